"""What an article page shows of the others is defined once (`Site.near`): `linking_to`, which a
small rebuild follows to the pages a changed article appears on, agrees with it on every article
of sites shaped to stress it (one category or many, several categories per article, equal dates,
estimated dates)."""

from __future__ import annotations

from collections import defaultdict

import pytest

from sitegen.config import load_config
from sitegen.model import Article
from sitegen.site.assemble import Site, assemble
from tests.helpers import REPO
from tests.site.random_sites import random_articles


def whole_inverse(site: Site) -> dict[Article, set[Article]]:
    found: dict[Article, set[Article]] = defaultdict(set)
    for article in site.articles:
        for other in site.near(article).articles:
            found[other].add(article)
    return found


@pytest.mark.parametrize("seed", range(12))
def test_linking_to_is_the_inverse_of_near(seed):
    config = load_config(REPO)
    site = assemble(config, random_articles(seed, 120), same_name=lambda name: name)
    inverse = whole_inverse(site)
    for article in site.articles:
        assert site.linking_to(article) == inverse.get(article, set()), article.id


def test_on_the_demo_site():
    from sitegen.convert.opencc import check_converters
    from sitegen.content.store import load_articles
    from sitegen.errors import Report

    config = load_config(REPO)
    site = assemble(config, load_articles(config.content_dir, Report()),
                    same_name=check_converters(config).get("t2s"))
    inverse = whole_inverse(site)
    assert any(inverse.values())
    for article in site.articles:
        assert site.linking_to(article) == inverse.get(article, set())
