"""The stored Markdown renders back to the cleaned HTML it was written from (`assert_round_trip`; the
invariant, and what HTML can say that Markdown cannot, are stated in tests/fetch/roundtrip.py).

Checked on every feed body in the fixtures and on 1,000 generated fragments.
"""

from __future__ import annotations

import html
from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.fetch.http import Response
from sitegen.fetch.parse import FeedParseError, parse_feed
from tests.fetch.roundtrip import assert_round_trip
from tests.helpers import DATA, shared_fixture

NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)


# Every feed body in the fixtures


LOCAL_FEEDS = sorted((DATA / "feeds").glob("*.xml"))
SHARED_FEEDS = ["chardet/Big5/coolloud.org.tw.xml", "chardet/Big5/ebao.us.xml", "chardet/Big5/sinica.edu.tw.xml",
                "chardet/GB2312/acnnewswire.net.xml", "chardet/GB2312/cnblog.org.xml",
                "chardet/GB2312/softsea.net.xml", "chardet/GB2312/w3cn.org.xml", "feeder/rss_geekpark.xml",
                "rss-parser/encoding-gb2312.xml", "wechat-feeds/caixin_MjY2NzgwMjU0MA.xml",
                "wechat-feeds/thepaper_MjM5MzI5NTU3MQ.xml"]


def feed_bodies(data: bytes) -> list[tuple[str, str, str]]:
    """(HTML, link, title) of each entry, read the way fetch reads it (entries._body)."""
    response = Response(status=200, data=data, url="https://feeds.example.com/feed.xml")
    try:
        feed = parse_feed(response, "Asia/Taipei", NOW)
    except FeedParseError:
        return []
    return [(e.content_html or e.summary_html, e.link, e.title) for e in feed.entries]


def assert_feed_round_trips(data: bytes) -> int:
    failures = []
    bodies = feed_bodies(data)
    for body, link, title in bodies:
        try:
            assert_round_trip(body, link, title)
        except AssertionError as problem:
            failures.append(str(problem))
    assert not failures, f"{len(failures)} of {len(bodies)} items:\n" + "\n".join(failures[:3])
    return len(bodies)


@pytest.mark.parametrize("path", LOCAL_FEEDS, ids=lambda p: p.name)
def test_every_body_of_the_local_feeds_round_trips(path):
    assert_feed_round_trips(path.read_bytes())


@pytest.mark.parametrize("relative", SHARED_FEEDS)
def test_every_body_of_the_real_chinese_feeds_round_trips(relative):
    assert assert_feed_round_trips(shared_fixture(f"feeds-zh/{relative}").read_bytes()) > 0


# Generated fragments


CJK_TEXT = "中文新聞朝鮮俄羅斯领导人天津真的台灣"
CJK_PUNCT = "，。、：；！？「」『』“”‘’（）《》·—…"
ASCII = "abcXYZ019 "
MARKDOWN_CHARS = "*_#>[]`!-+=|~\\&<.)"
_text_chars = st.text(st.sampled_from(CJK_TEXT + CJK_PUNCT + ASCII + MARKDOWN_CHARS + "\n\u3000\xa0"),
                      min_size=1, max_size=8)
_raw = st.sampled_from(["&amp;", "&lt;", "&nbsp;", "&#42;", "&quot;", "1. ", "# ", "> ", "- ", "**", "AT&T", " "])
TEXT = st.one_of(_text_chars.map(html.escape), _raw)
HREFS = ["https://a.example/x", "https://a.example/中文?q=1&r=(2)", "mailto:desk@example.org", "http://b.example/"]
IMAGE = st.builds(lambda src, alt: f'<img src="{src}" alt="{html.escape(alt)}">',
                  st.sampled_from(["https://i.example/1.jpg", "https://i.example/a b.png"]), _text_chars)
INLINE_TAGS = ["strong", "em", "b", "i", "code"]
BLOCK_TAGS = ["p", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6"]


def _wrap(tag: str):  # noqa: ANN202
    return lambda children: f"<{tag}>{''.join(children)}</{tag}>"


def _inline(children):  # noqa: ANN001, ANN202
    return st.one_of(
        *[st.lists(children, min_size=1, max_size=3).map(_wrap(tag)) for tag in INLINE_TAGS],
        st.builds(lambda href, kids: f'<a href="{href}">{"".join(kids)}</a>', st.sampled_from(HREFS),
                  st.lists(children, min_size=1, max_size=3)))


INLINE = st.recursive(st.one_of(TEXT, IMAGE, st.just("<br>")), _inline, max_leaves=12)


def _blocks(children):  # noqa: ANN001, ANN202
    items = st.lists(st.one_of(INLINE, children), min_size=1, max_size=3).map(_wrap("li"))
    return st.one_of(
        *[st.lists(st.one_of(INLINE, children), min_size=1, max_size=3).map(_wrap(tag)) for tag in BLOCK_TAGS],
        st.lists(items, min_size=1, max_size=3).map(_wrap("ul")),
        st.lists(items, min_size=1, max_size=3).map(_wrap("ol")),
        st.lists(st.one_of(children, INLINE), min_size=1, max_size=2).map(  # blocks inside inline elements
            lambda kids: f"<strong>{''.join(kids)}</strong>"),
        st.builds(lambda href, kids: f'<a href="{href}">{"".join(kids)}</a>', st.sampled_from(HREFS),
                  st.lists(children, min_size=1, max_size=2)))


PRE = _text_chars.map(lambda t: f"<pre>{html.escape(t)}\n  x = `1`</pre>")
FRAGMENT = st.lists(st.recursive(st.one_of(INLINE.map(_wrap("p")), PRE), _blocks, max_leaves=6),
                    min_size=1, max_size=3).map("".join)


@settings(max_examples=1000, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(FRAGMENT)
def test_generated_html_round_trips(fragment):
    assert_round_trip(fragment)
