"""Article Markdown -> HTML: figures, conversion, and CommonMark conformance."""

from __future__ import annotations

import json

import pytest

from markdown_it import MarkdownIt

from sitegen.convert.converter import ScriptConverter
from sitegen.convert.localize import convert_tokens
from sitegen.convert.opencc import Converters
from sitegen.render.markdown import new_parser, parse, render
from tests.conftest import shared_fixture

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
     '<h1><img src="https://a.example/1.jpg" alt="圖" title="說明" /></h1>\n'),
])
def test_everything_else_renders_as_before(markdown, expected):
    assert to_html(markdown) == expected


def test_a_converted_figure_keeps_its_converted_caption():
    tokens = convert_tokens(parse(MD, '![气象雷达图](https://a.example/1.jpg "气象雷达图显示台风云系（资料图片）")'),
                            ScriptConverter(Converters().get("s2tw"), "zh-Hant", "zh-Hant", "zh-Hans", {}, False))
    assert render(MD, tokens, lambda path: path) == (
        '<figure><img src="https://a.example/1.jpg" alt="氣象雷達圖" />'
        '<figcaption>氣象雷達圖顯示颱風雲系（資料圖片）</figcaption></figure>\n')


# CommonMark 0.31.2. Examples whose output differs from the spec's, and why.
# Computed, not guessed: the last test below proves each reason.
WHITESPACE = {218, 239, 240}  # <blockquote></blockquote> for <blockquote>\n</blockquote>, as upstream
FIGURE = {572, 573, 576, 577, 584, 585, 586, 588, 589, 591}  # a lone titled image becomes a <figure>
HTML_OFF = {21, 31, 201, 308, 309, 344, 475, 476, 477, 491, 494, 524, 536, *range(148, 192),
            613, 614, 615, 616, 617, 623, *range(625, 632), 642, 643}  # raw HTML is shown as text
# The table and strikethrough extensions change no example's output.


def spec_examples() -> list[dict]:
    return json.loads(shared_fixture("commonmark/spec-0.31.2.json").read_text(encoding="utf-8"))


def test_commonmark_spec_examples():
    examples = spec_examples()
    assert len(examples) == 652
    failures = [ex["example"] for ex in examples
                if ex["example"] not in WHITESPACE | FIGURE | HTML_OFF and to_html(ex["markdown"]) != ex["html"]]
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
        elif number in HTML_OFF:
            assert to_html(markdown) != expected
            assert to_html(markdown, with_html) == expected
    extended_only = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    assert all(extended_only.render(ex["markdown"]) == MarkdownIt("commonmark").render(ex["markdown"])
               for ex in spec_examples())
