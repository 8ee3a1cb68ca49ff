"""A site placed by the last build's layout (site/layout.py) is the site assembling would make:
same order, terms (names, scripts, slugs, stories), archives and first categories, holding
today's article objects. A layout is used only for stories of the shape it was made for."""

from __future__ import annotations

import pickle
import random
from dataclasses import replace

import pytest

from sitegen.config import load_config
from sitegen.model import Article
from sitegen.site.assemble import Site, assemble
from sitegen.site.layout import layout_of, placed
from tests.helpers import REPO
from tests.site.random_sites import random_articles

TAGS = ["欧盟", "歐盟", "能源", "能源", "選舉", "选举"]


def described(site: Site) -> tuple:
    """Everything assembling decides, by article path and term slug."""
    paths = lambda articles: tuple(a.path for a in articles)  # noqa: E731
    terms = {kind: [(t.slug, t.name, t.lang, paths(t.articles)) for t in kept] for kind, kept in site.terms.items()}
    names = {kind: {name: term.slug for name, term in named.items()} for kind, named in site.term_names.items()}
    archives = [(a.year, a.month, paths(a.articles)) for a in site.archives]
    first = {a.path: term.slug for a in site.articles if (term := site.category_of(a)) is not None}
    return paths(site.articles), terms, names, archives, first, site.waiting, paths(site.withdrawn)


def varied_articles(seed: int, n: int) -> list[Article]:
    """Random dates and categories (see test_near), tags written in either script, two sources."""
    rng = random.Random(seed)
    return [replace(a, tags=tuple(rng.sample(TAGS, rng.randint(0, 3))), source=rng.choice(["s", "t"]),
                    lang=rng.choice(["zh-Hans", "zh-Hant"])) for a in random_articles(seed, n)]


def same_name(name: str) -> str:
    return name.replace("歐", "欧").replace("選舉", "选举")


@pytest.fixture(scope="module")
def config():
    return load_config(REPO)


@pytest.mark.parametrize("seed", range(6))
def test_a_site_placed_by_its_layout_is_the_site_assembled(config, seed):
    articles = varied_articles(seed, 60 + 17 * seed)
    withdrawn = [replace(articles.pop(), path="w/gone.md")]
    waiting = {articles[3].path: "draft"}
    site = assemble(config, articles, same_name=same_name, slugs={}, waiting=waiting, withdrawn=withdrawn)
    layout = pickle.loads(pickle.dumps(layout_of(site, "shape")))  # as the next build reads it
    today = [replace(a) for a in reversed(articles)]  # equal stories, new objects, in another order
    again = placed(layout, "shape", config, today, waiting, withdrawn)
    assert again is not None
    assert described(again) == described(site)
    assert {id(a) for a in again.articles} == {id(a) for a in today}
    for term in again.terms["category"]:
        assert all(any(a is b for b in today) for a in term.articles)
    assert again.neighbours(again.articles[1]) == site.neighbours(site.articles[1])


def test_a_layout_is_used_only_for_the_stories_it_was_made_for(config):
    articles = varied_articles(7, 40)
    layout = layout_of(assemble(config, articles, same_name=same_name, slugs={}), "shape")
    assert placed(layout, "another shape", config, articles, {}, []) is None
    assert placed(None, "shape", config, articles, {}, []) is None
    assert placed(layout, "shape", config, articles[:-1], {}, []) is None
    renamed = [*articles[:-1], replace(articles[-1], path="s/other.md")]
    assert placed(layout, "shape", config, renamed, {}, []) is None
    assert placed(layout, "shape", config, [*articles, articles[0]], {}, []) is None


def test_an_empty_site_has_an_empty_layout(config):
    site = assemble(config, [], same_name=same_name)
    again = placed(layout_of(site, "shape"), "shape", config, [], {}, [])
    assert again is not None and described(again) == described(site)
