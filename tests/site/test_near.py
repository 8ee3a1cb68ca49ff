"""What an article page shows of the others is defined once (`Site.near`): `linking_to`, which a
small rebuild follows to the pages a changed article appears on, agrees with it on every article
of sites shaped to stress it (one category or many, several categories per article, equal dates,
estimated dates)."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import datetime, timedelta, timezone

import pytest

from sitegen.config import load_config
from sitegen.model import Article
from sitegen.site.assemble import Site, assemble
from tests.helpers import REPO

CATEGORIES = ["国际", "財經", "科技", "社會", "體育"]


def whole_inverse(site: Site) -> dict[Article, set[Article]]:
    found: dict[Article, set[Article]] = defaultdict(set)
    for article in site.articles:
        for other in site.near(article).articles:
            found[other].add(article)
    return found


def random_articles(seed: int, n: int) -> list[Article]:
    rng, start = random.Random(seed), datetime(2024, 1, 1, tzinfo=timezone.utc)
    articles = []
    for i in range(n):
        date = start + timedelta(hours=rng.choice([0, 1, 1, 2, 30]) * rng.randint(0, n))
        pool = CATEGORIES[:rng.randint(1, 5)]
        categories = tuple(rng.sample(pool, rng.randint(0, min(2, len(pool)))))
        articles.append(Article(id=f"a{i}", title=f"第{i}篇", date=date, source="s", lang="zh-Hans", body="",
                                path=f"s/a{i}.md", categories=categories, date_estimated=rng.random() < 0.1))
    return articles


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
