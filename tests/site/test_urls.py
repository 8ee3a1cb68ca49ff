"""Paths percent-encoded for links: `quoted` answers as urllib's quote does, whatever the path."""

from __future__ import annotations

from urllib.parse import quote

from hypothesis import given
from hypothesis import strategies as st

from sitegen.site.urls import SAFE, quoted


def test_every_ascii_character_is_encoded_as_quote_encodes_it():
    for code in range(128):
        path = f"zh-hant/2024/{chr(code)}x/index.html"
        assert quoted(path) == quote(path, safe=SAFE), repr(chr(code))


def test_paths_that_need_nothing_come_back_as_they_are():
    for path in ("", "zh-hans/2024/0302/x1.html", "tags/guo-ji/page/2/", "a_b.c~d-e/%E4%B8%AD?q=1&r=2#top"):
        assert quoted(path) is path


@given(st.text(alphabet=st.characters(exclude_categories=("Cs",)), max_size=40))
def test_any_text_is_encoded_as_quote_encodes_it(path):
    assert quoted(path) == quote(path, safe=SAFE)


def test_chinese_and_spaces_are_encoded():
    assert quoted("tags/国际 新闻/") == "tags/%E5%9B%BD%E9%99%85%20%E6%96%B0%E9%97%BB/"
