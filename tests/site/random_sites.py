"""Random sites that stress assembling: one category or many, several categories per article,
equal dates, estimated dates (shared by the tests of site/)."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from sitegen.model import Article

CATEGORIES = ["国际", "財經", "科技", "社會", "體育"]


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
