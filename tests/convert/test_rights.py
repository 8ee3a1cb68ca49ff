"""convert/rights.py: which policy an article gets, and the opening a summary publishes."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from sitegen.config import SourceConfig
from sitegen.content import markdown
from sitegen.convert.rights import cut_text, opening, republishing, rights_key
from sitegen.model import Article

STORY = Article("a1", "标题", datetime(2024, 3, 1, tzinfo=timezone.utc), "src", "zh-Hans", "")
SOURCE = SourceConfig(id="src", name="来源", url="https://example.org/feed", category="", script="auto",
                      fulltext=False, images="hotlink", license="", editor="", timezone="Asia/Taipei",
                      max_bytes=1, max_items=0, include=(), exclude=(), categories={})


@pytest.mark.parametrize("source, own, published", [
    ("full", "", "full"), ("summary", "", "summary"), ("title", "", "title"),
    ("full", "summary", "summary"), ("full", "title", "title"), ("summary", "title", "title"),
    ("summary", "full", "summary"), ("title", "full", "title"), ("title", "summary", "title"),
])
def test_the_article_narrows_its_source_and_never_widens_it(source, own, published):
    assert republishing(replace(STORY, republish=own), replace(SOURCE, republish=source)) == published


def test_an_article_of_no_source_is_published_as_its_front_matter_says():
    assert republishing(STORY, None) == "full"
    assert republishing(replace(STORY, republish="title"), None) == "title"


def test_the_summary_length_is_part_of_the_key_only_for_a_summary_source():
    assert rights_key(replace(SOURCE, summary_length=80)) == rights_key(replace(SOURCE, summary_length=90))
    summary = replace(SOURCE, republish="summary")
    assert rights_key(replace(summary, summary_length=80)) != rights_key(replace(summary, summary_length=90))


def test_text_is_cut_at_the_last_sentence_that_fits_else_with_an_ellipsis():
    assert cut_text("短句。", 10) == "短句。"
    assert cut_text("第一句话。第二句话！第三句话很长很长。", 12) == "第一句话。第二句话！"
    assert cut_text("「引号里的话。」后面还有很多很多字", 9) == "「引号里的话。」"
    cut = cut_text("没有句号的一段很长很长很长的文字", 8)
    assert cut == "没有句号的一段…" and len(cut) == 8


def rendered(body: str, length: int) -> str:
    md = markdown.new_parser()
    return markdown.render(md, opening(markdown.parse(md, body), length), lambda path: path)


def test_the_opening_is_whole_paragraphs_that_fit():
    body = "第一段十个字的内容。\n\n第二段也是十个字。\n\n第三段不应该出现在摘要里。"
    assert rendered(body, 20) == "<p>第一段十个字的内容。</p>\n<p>第二段也是十个字。</p>\n"
    assert rendered(body, 15) == "<p>第一段十个字的内容。</p>\n"


def test_the_opening_leaves_out_images_and_code_and_keeps_links_and_emphasis():
    body = ("![图](https://img.example/a.jpg)\n\n```\ncode()\n```\n\n"
            "开头有**重点**和[链接](https://example.org/)。![图](b.jpg)\n\n后面的段落。")
    out = rendered(body, 40)
    assert "<img" not in out and "code()" not in out
    assert "<strong>重点</strong>" in out and '<a href="https://example.org/">链接</a>' in out
    assert "后面的段落" in out


def test_a_first_paragraph_longer_than_the_length_is_cut_at_a_sentence():
    out = rendered("第一句话很短。第二句话要长得多才行，超过了长度。\n\n第二段。", 10)
    assert out == "<p>第一句话很短。</p>\n"
