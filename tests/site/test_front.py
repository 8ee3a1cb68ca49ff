"""The front page: which story leads (`featured: true`, else the newest), the band of top stories,
a section per category holding only stories not shown above, the latest list as the home list's
first page, and a category label on each story in the page's script."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from sitegen.build import build
from sitegen.config import load_config
from sitegen.content.articles import ArticleError, article_from_meta
from tests.helpers import paginated

STORY = """\
---
title: {title}
date: "2024-03-{day:02d}T08:00:00+00:00"
source: hans
lang: zh-Hans
id: {id}
categories: [{category}]
{extra}---

正文。
"""
STORIES = [("n1", "国际", 20), ("n2", "财经", 19), ("n3", "国际", 18), ("n4", "财经", 17), ("n5", "国际", 16),
           ("n6", "财经", 15), ("n7", "国际", 14), ("n8", "国际", 13)]
"""(id, category, day in March): n1 is the newest."""


def front_site(make_site, featured: str = "", paginate: int = 6) -> Path:
    files = {f"content/{id_}.md": STORY.format(title=f"新闻{id_}", day=day, id=id_, category=category,
                                               extra="featured: true\n" if id_ == featured else "")
             for id_, category, day in STORIES}
    root = make_site(files=files)
    paginated(root, paginate)
    result = build(load_config(root))
    assert not result.report.failed, result.report.problems
    return root


def ids(page: BeautifulSoup, selector: str) -> list[str]:
    return [a["href"].rsplit("/", 1)[-1].removesuffix(".html") for a in page.select(selector)]


def home(root: Path, variant: str = "zh-hans") -> BeautifulSoup:
    return BeautifulSoup((root / f"public/{variant}/index.html").read_text(encoding="utf-8"), "html.parser")


def test_the_newest_story_leads_and_each_story_is_shown_once_above_the_latest_list(make_site):
    page = home(front_site(make_site))
    assert ids(page, ".front-lead .story-title a") == ["n1"]
    assert ids(page, ".front-top .story-title a") == ["n2", "n3", "n4", "n5"]
    sections = {s.h2.get_text(): ids(s, ".story-title a") for s in page.select(".front-section")}
    assert sections == {"国际": ["n7", "n8"], "财经": ["n6"]}  # the larger category first, nothing twice
    assert list(sections) == ["国际", "财经"]
    assert ids(page, ".front-latest li a") == ["n1", "n2", "n3", "n4", "n5", "n6"]  # paginate = 6
    assert page.select_one(".front-more a[rel=next]")["href"] == "/zh-hans/page/1/"


def test_the_home_list_goes_on_after_the_latest_list(make_site):
    root = front_site(make_site)
    next_page = BeautifulSoup((root / "public/zh-hans/page/1/index.html").read_text(encoding="utf-8"), "html.parser")
    assert ids(next_page, ".article-list h2 a") == ["n7", "n8"]
    assert next_page.select_one(".pagination a[rel=prev]")["href"] == "/zh-hans/"


def test_a_featured_story_leads_however_old(make_site):
    page = home(front_site(make_site, featured="n7"))
    assert ids(page, ".front-lead .story-title a") == ["n7"]
    assert ids(page, ".front-top .story-title a") == ["n1", "n2", "n3", "n4"]
    assert "n7" not in ids(page, ".front-section .story-title a")


def test_stories_carry_their_category_in_the_pages_script(make_site):
    root = front_site(make_site)
    labels = {a.get_text(): a["href"] for a in home(root, "zh-hant").select(".front-top .story-label")}
    assert labels == {"國際": "/zh-hant/category/guo-ji/", "財經": "/zh-hant/category/cai-jing/"}
    assert [t["datetime"] for t in home(root).select(".front-latest time")][0] == "2024-03-20T08:00:00+00:00"
    assert home(root).select(".front-latest time")[0].get_text() == "03-20 16:00"  # the site's zone: Taipei


def test_featured_is_read_from_front_matter():
    meta = {"title": "标题", "date": "2024-03-01T08:00:00+00:00", "source": "local", "lang": "zh-Hans"}
    assert article_from_meta({**meta, "featured": True}, "", "a.md", "a")[0].featured
    assert not article_from_meta(meta, "", "a.md", "a")[0].featured
    with pytest.raises(ArticleError, match="featured: must be true or false"):
        article_from_meta({**meta, "featured": "yes"}, "", "a.md", "a")
