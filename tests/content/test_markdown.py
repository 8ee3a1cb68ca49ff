"""Article Markdown -> HTML: figures, conversion, and CommonMark conformance."""

from __future__ import annotations

import json
import re

import pytest

from markdown_it import MarkdownIt

from sitegen.convert.converter import ScriptConverter
from sitegen.convert.localize import convert_tokens
from sitegen.convert.opencc import Converters
from sitegen.content.markdown import new_parser, parse, render
from tests.helpers import shared_fixture

MD = new_parser()




def to_html(markdown: str, md: MarkdownIt = MD) -> str:
    return render(md, parse(md, markdown), lambda path: path)


def test_an_image_alone_with_a_title_is_a_figure():
    assert to_html('![金正恩](https://a.example/1.jpg "說明（REUTERS）")') == (
        '<figure><img src="https://a.example/1.jpg" alt="金正恩" /><figcaption>說明（REUTERS）</figcaption></figure>\n')


def test_the_caption_is_escaped_and_root_relative_sources_go_through_site_url():
    tokens = parse(MD, '![圖](/img/a.jpg "<b>說明</b> & \\"引號\\"")')
    assert render(MD, tokens, lambda path: "/news" + path) == (
        '<figure><img src="/news/img/a.jpg" alt="圖" />'
        '<figcaption>&lt;b&gt;說明&lt;/b&gt; &amp; &quot;引號&quot;</figcaption></figure>\n')


@pytest.mark.parametrize("markdown, expected", [
    ("![圖](https://a.example/1.jpg)", '<p><img src="https://a.example/1.jpg" alt="圖" /></p>\n'),
    ('文字 ![圖](https://a.example/1.jpg "說明")',
     '<p>文字 <img src="https://a.example/1.jpg" alt="圖" title="說明" /></p>\n'),
    ('![圖](https://a.example/1.jpg "說明") ![圖](https://a.example/2.jpg "說明")',
     '<p><img src="https://a.example/1.jpg" alt="圖" title="說明" /> '
     '<img src="https://a.example/2.jpg" alt="圖" title="說明" /></p>\n'),
    ('[![圖](https://a.example/1.jpg "說明")](https://a.example/)',
     '<p><a href="https://a.example/"><img src="https://a.example/1.jpg" alt="圖" title="說明" /></a></p>\n'),
    ('- ![圖](https://a.example/1.jpg "說明")',
     '<ul>\n<li><img src="https://a.example/1.jpg" alt="圖" title="說明" /></li>\n</ul>\n'),
    ('# ![圖](https://a.example/1.jpg "說明")',
     '<h2><img src="https://a.example/1.jpg" alt="圖" title="說明" /></h2>\n'),
])
def test_everything_else_renders_as_before(markdown, expected):
    assert to_html(markdown) == expected


def test_a_converted_figure_keeps_its_converted_caption():
    tokens = convert_tokens(parse(MD, '![气象雷达图](https://a.example/1.jpg "气象雷达图显示台风云系（资料图片）")'),
                            ScriptConverter(Converters().get("s2tw"), "zh-Hant", "zh-Hant", "zh-Hans", {}, False))
    assert render(MD, tokens, lambda path: path) == (
        '<figure><img src="https://a.example/1.jpg" alt="氣象雷達圖" />'
        '<figcaption>氣象雷達圖顯示颱風雲系（資料圖片）</figcaption></figure>\n')


@pytest.mark.parametrize("markdown, levels", [
    ("# 一\n\n正文\n\n## 二\n\n### 三", ["h2", "h3", "h4"]),  # the page title is the one <h1>
    ("## 二\n\n### 三\n\n## 二", ["h2", "h3", "h2"]),  # already under the title: kept
    ("### 三\n\n#### 四", ["h2", "h3"]),  # the highest becomes <h2>
    ("# 一\n\n### 三", ["h2", "h3"]),  # no level skipped (vnu: an error), the outline kept
    ("# 一\n\n### 三\n\n## 二\n\n### 三", ["h2", "h3", "h3", "h4"]),
    ("# 一\n\n#### 四\n\n### 三", ["h2", "h3", "h3"]),  # 四 and 三 are both under 一
    ("# 1\n\n## 2\n\n### 3\n\n#### 4\n\n##### 5\n\n###### 6", ["h2", "h3", "h4", "h5", "h6", "h6"]),
    ("一\n===\n\n二\n---", ["h2", "h3"]),  # setext headings too
    ("> # 引述\n\n- # 列表", ["h2", "h2"]),  # inside quotes and lists too
    ("正文，沒有標題。", []),
])
def test_body_headings_sit_under_the_page_title(markdown, levels):
    assert re.findall(r"<(h[1-6])>", to_html(markdown)) == levels
    assert len(re.findall(r"</h[1-6]>", to_html(markdown))) == len(levels)


def test_a_table_scrolls_in_its_own_box():
    assert to_html("| 甲 | 乙 |\n|---|---|\n| 1 | 2 |") == (
        '<div class="table-scroll">\n<table>\n<thead>\n<tr>\n<th>甲</th>\n<th>乙</th>\n</tr>\n</thead>\n'
        '<tbody>\n<tr>\n<td>1</td>\n<td>2</td>\n</tr>\n</tbody>\n</table>\n</div>\n')


def test_shared_tokens_are_not_changed_by_rendering():
    # Parsed tokens are kept and rendered again for every variant: moving a heading must copy it.
    tokens = parse(MD, "# 一\n\n| 甲 |\n|---|\n| 1 |")
    render(MD, tokens, lambda path: path)
    assert tokens[0].tag == "h1" and [t.type for t in tokens].count("table_scroll_open") == 0


# CommonMark 0.31.2. Examples whose output differs from the spec's, and why.
# Computed, not guessed: the last test below proves each reason.
WHITESPACE = {218, 239, 240}  # <blockquote></blockquote> for <blockquote>\n</blockquote>, as upstream
FIGURE = {572, 573, 576, 577, 584, 585, 586, 588, 589, 591}  # a lone titled image becomes a <figure>
HTML_OFF = {21, 31, 201, 308, 309, 344, 475, 476, 477, 491, 494, 524, 536, *range(148, 192),
            613, 614, 615, 616, 617, 623, *range(625, 632), 642, 643}  # raw HTML is shown as text
HEADINGS = {10, 62, 66, 67, 68, 72, 73, 74, 75, 76, 78, 79, 80, 81, 82, 83, 84, 115, 141, 214, 215,
            227, 228, 229, 230, 232, 300, 646, 647}  # headings set under the page title, no level skipped
# The table and strikethrough extensions change no example's output.


def heading_levels(html: str) -> list[int]:
    return [int(level) for level in re.findall(r"<h([1-6])>", html)]


def outline_is_under_the_title(html: str) -> bool:
    """No <h1> (the page title is one) and no skipped level: each heading at most one below the last."""
    levels = heading_levels(html)
    return all(level <= previous + 1 for previous, level in zip([1, *levels], levels)) and 1 not in levels


def without_levels(html: str) -> str:
    return re.sub(r"<(/?)h[1-6]>", r"<\1h>", html)


def spec_examples() -> list[dict]:
    return json.loads(shared_fixture("commonmark/spec-0.31.2.json").read_text(encoding="utf-8"))


def test_commonmark_spec_examples():
    examples = spec_examples()
    assert len(examples) == 652
    exceptions = WHITESPACE | FIGURE | HTML_OFF | HEADINGS
    failures = [ex["example"] for ex in examples
                if ex["example"] not in exceptions and to_html(ex["markdown"]) != ex["html"]]
    assert failures == []


def test_each_spec_exception_differs_for_exactly_its_reason():
    plain = new_parser()
    with_html = new_parser()
    with_html.options["html"] = True
    for ex in spec_examples():
        number, markdown, expected = ex["example"], ex["markdown"], ex["html"]
        if number in WHITESPACE:
            assert to_html(markdown) != expected
            assert to_html(markdown) == expected.replace("<blockquote>\n</blockquote>", "<blockquote></blockquote>")
        elif number in FIGURE:
            assert to_html(markdown) != expected and "<figure>" in to_html(markdown)
            assert plain.renderer.render(plain.parse(markdown), plain.options, {}) == expected
        elif number in HEADINGS:
            assert to_html(markdown) != expected and without_levels(to_html(markdown)) == without_levels(expected)
            assert outline_is_under_the_title(to_html(markdown)) and not outline_is_under_the_title(expected)
            assert plain.renderer.render(plain.parse(markdown), plain.options, {}) == expected
        elif number in HTML_OFF:
            assert to_html(markdown) != expected
            assert to_html(markdown, with_html) == expected
    extended_only = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    assert all(extended_only.render(ex["markdown"]) == MarkdownIt("commonmark").render(ex["markdown"])
               for ex in spec_examples())
