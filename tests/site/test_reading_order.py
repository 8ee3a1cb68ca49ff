"""Reading order: newest first, and a date the feed never gave (date_estimated) does not lead."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import feedparser

from sitegen.build import build
from sitegen.config import load_config
from sitegen.model import Article
from sitegen.site.assemble import reading_key

TAIPEI = timezone(timedelta(hours=8))
FETCHED = datetime(2024, 8, 3, 20, 0, tzinfo=TAIPEI)


def story(title: str, hours_before: float, estimated: bool = False) -> Article:
    return Article(id=title.lower(), title=title, date=FETCHED - timedelta(hours=hours_before), source="local",
                   lang="zh-Hans", body="正文。", path=f"{title}.md", fetched=FETCHED, date_estimated=estimated)


def test_an_estimated_date_ranks_a_day_below_itself_and_after_real_dates_at_a_tie():
    articles = [story("Undated1", 1 / 3600, True), story("Real1h", 1), story("Undated2", 2 / 3600, True),
                story("Real23h", 23), story("Real25h", 25), story("Tie", 24 + 1 / 3600),
                story("Feed2019", 5 * 365 * 24, True), story("Real2020", 4 * 365 * 24)]
    assert [a.title for a in sorted(articles, key=reading_key)] == [
        "Real1h", "Real23h", "Tie", "Undated1", "Undated2", "Real25h", "Real2020", "Feed2019"]


def test_lists_and_feeds_follow_the_reading_order(make_site):
    files = {f"content/{a.title}.md": front_matter(a) for a in
             (story("Undated", 1 / 3600, True), story("Today", 3), story("Yesterday", 30))}
    root = make_site(files=files)
    result = build(load_config(root))
    assert not result.report.failed, result.report.problems
    atom = feedparser.parse((root / "public/zh-hans/atom.xml").read_bytes())
    assert [entry.title for entry in atom.entries] == ["Today", "Undated", "Yesterday"]


def front_matter(article: Article) -> str:
    estimated = "date_estimated: true\n" if article.date_estimated else ""
    return (f'---\ntitle: {article.title}\ndate: "{article.date.isoformat()}"\nsource: local\nlang: zh-Hans\n'
            f'fetched: "{FETCHED.isoformat()}"\n{estimated}---\n正文。\n')
