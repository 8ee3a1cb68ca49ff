"""What an article's body makes of its page and feed entries: one <h1> per page, and a story with
no text of its own (title-only) shown as the title, a link to the original and the attribution."""

from __future__ import annotations

from pathlib import Path

import feedparser
from bs4 import BeautifulSoup

from tests.helpers import article, built

PAGE = "public/{variant}/2024/0302/{id}.html"  # the article() date, 2024-03-01 23:30 UTC, in Asia/Taipei
READ = {"zh-hant": "閱讀原文", "zh-hans": "阅读原文"}
LOCAL = """\
---
title: 本站快讯
date: "2024-03-01T23:30:00+00:00"
source: local
lang: zh-Hans
id: local1
author: 本站记者
---
"""


def build_site(make_site, files: dict[str, str]) -> Path:
    root = make_site(files=files)
    report, _ = built(root)
    assert not report.failed, report.problems
    return root


def page(root: Path, variant: str, id: str) -> BeautifulSoup:
    return BeautifulSoup((root / PAGE.format(variant=variant, id=id)).read_text(encoding="utf-8"), "html.parser")


def entry(root: Path, variant: str, kind: str, id: str) -> str:
    """The HTML content of the article's entry in the variant's site feed."""
    parsed = feedparser.parse((root / f"public/{variant}/{kind}.xml").read_bytes())
    assert parsed.bozo == 0
    (found,) = [e for e in parsed.entries if e.link.endswith(f"/{id}.html")]
    return found.content[0].value if kind == "atom" else found.description


def test_body_headings_sit_under_the_one_h1(make_site):
    body = "# 小标题\n\n正文。\n\n### 细节\n\n细节正文。\n\n## 另一节"
    root = build_site(make_site, {"content/a1.md": article(body=body)})
    for variant in READ:
        html = page(root, variant, "a1")
        assert len(html.find_all("h1")) == 1 and html.h1.get_text() in ("头发与皇后", "頭髮與皇后")
        assert [h.name for h in html.select(".body :is(h1, h2, h3, h4, h5, h6)")] == ["h2", "h3", "h3"]
        for kind in ("atom", "rss"):
            content = BeautifulSoup(entry(root, variant, kind, "a1"), "html.parser")
            assert [h.name for h in content.find_all(["h1", "h2", "h3", "h4", "h5", "h6"])] == ["h2", "h3", "h3"]


def test_a_title_only_story_links_to_the_original(make_site):
    root = build_site(make_site, {"content/t1.md": article(id="t1", body="")})
    for variant, words in READ.items():
        html = page(root, variant, "t1")
        assert html.select_one(".body") is None  # no empty body box
        link = html.select_one(".read-original a")
        assert link.get_text() == words and link["href"] == "https://origin.example/t1"
        assert html.select_one(".attribution a[href='https://origin.example/t1']")  # 來源, still there
        title = html.h1.get_text()
        assert html.find("meta", attrs={"name": "description"})["content"] == title  # not empty
        for kind in ("atom", "rss"):
            content = BeautifulSoup(entry(root, variant, kind, "t1"), "html.parser")
            assert [(a.get_text(), a["href"]) for a in content.find_all("a")][:1] == [
                (words, "https://origin.example/t1")]
            assert ("來源" if variant == "zh-hant" else "来源") in content.get_text()


def test_a_title_only_story_with_a_summary_shows_it(make_site):
    text = article(id="t2", body="  \n").replace("categories:", "summary: 示范摘要。\ncategories:")
    root = build_site(make_site, {"content/t2.md": text})
    html = page(root, "zh-hans", "t2")
    assert html.select_one(".article > .summary").get_text() == "示范摘要。"
    assert html.find("meta", attrs={"name": "description"})["content"] == "示范摘要。"
    assert html.select_one(".read-original a")["href"] == "https://origin.example/t2"


def test_a_local_story_without_text_has_no_dangling_link(make_site):
    root = build_site(make_site, {"content/local1.md": LOCAL})
    for variant in READ:
        html = page(root, variant, "local1")
        assert html.select_one(".read-original") is None and html.select_one(".body") is None
        assert html.h1.get_text() in ("本站快讯", "本站快訊") and html.select_one(".attribution")
        for kind in ("atom", "rss"):
            assert READ[variant] not in entry(root, variant, kind, "local1")


def test_a_story_with_text_is_not_title_only(make_site):
    root = build_site(make_site, {"content/a1.md": article(body="A & B 发布。")})
    html = page(root, "zh-hans", "a1")
    assert html.select_one(".body") and html.select_one(".read-original") is None
    # the description is the text as a reader sees it, entities decoded once (not `A &amp;amp; B`)
    assert html.find("meta", attrs={"name": "description"})["content"] == "A & B 发布。"
    assert 'content="A &amp; B 发布。"' in (root / PAGE.format(variant="zh-hans", id="a1")).read_text("utf-8")
