"""Real-world feeds, served over HTTP on 127.0.0.1, go into content/ intact and safe.

feedparser's conformance feeds (BSD, copied in tests/data/feedparser) are served
with their `Header:` lines as response headers. The Chinese feeds of
shared/fixtures/feeds-zh are not all permissively licensed, so they are read
from the shared folder beside the repository instead of being copied.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timezone
from pathlib import Path

import feedparser
import pytest

from sitegen.config import load_config
from sitegen.content.store import content_files, load_articles
from sitegen.errors import Report
from sitegen.fetch.clean import html_to_text
from sitegen.fetch.ingest import fetch_sources
from tests.helpers import DATA, SHARED_FIXTURES, shared_fixture
from tests.feedserver import Scripted

FEEDPARSER = DATA / "feedparser"
FEEDS_ZH = SHARED_FIXTURES / "feeds-zh"
NOW = datetime(2026, 1, 1, tzinfo=timezone.utc)
UNSAFE = re.compile(r"<\s*(script|iframe|object|embed|svg|style|form)|javascript:|vbscript:|data:text/html"
                    r"|\son[a-z]+\s*=", re.IGNORECASE)
LINK_TARGET = re.compile(r"\]\(<?([^)\s>]+)")

# What feedparser's own expectations say, restated for what we store. Left out:
# sanitize/item_description_iframe.xml (`safe<iframe …/> description`): HTML has no
# self-closing iframe, so " description" is inside the dropped element, where no
# browser would show it either.
EXPECTED_TEXT = {
    "tests/encoding/demoronize-1.xml": "don’t",
    "tests/encoding/double-encoded-html.xml": "…",
    "tests/wellformed/sanitize/entry_content_script_base64.xml": "safe description",
    "tests/wellformed/sanitize/entry_content_script_inline.xml": "safe description",
    "tests/wellformed/sanitize/entry_content_style_tag.xml": "safe **description**",
    "tests/wellformed/sanitize/item_description_embed.xml": "safe description",
    "tests/wellformed/sanitize/item_description_link.xml": "safe description",
    "tests/wellformed/sanitize/item_description_meta.xml": "safe description",
    "tests/wellformed/sanitize/item_description_object.xml": "safe description",
    "tests/wellformed/base/http_item_content_encoded_base_content_location.xml": "(http://example.com/relative/uri)",
    "tests/wellformed/base/rel_uri_with_unicode_character.xml": "(http://any.test/%C3%80)",
}




def site_for(make_site, url: str, script: str = "auto") -> Path:
    return make_site('[site]\ntitle = "測試"\nbase_url = "https://news.example.org/"\n'
                     f'[[sources]]\nid = "fixture"\nname = "來源"\nurl = "{url}"\nscript = "{script}"\n')


def fetch_once(root: Path):
    report = Report()
    [result] = fetch_sources(load_config(root), report, now=NOW)
    return result, report


def assert_stored_safely(root: Path, report: Report) -> list:
    files = content_files(root / "content")
    for path in files:
        text = path.read_text(encoding="utf-8")  # UTF-8, or this raises
        assert not UNSAFE.search(text), f"{path}: {UNSAFE.search(text)}"
        for target in LINK_TARGET.findall(text):
            assert target.startswith(("http://", "https://", "mailto:", "/")), f"{path}: relative link {target}"
    articles = load_articles(root / "content", Report())
    assert len(articles) == len(files), "every stored file loads back"
    assert all("\n" not in p.message for p in report.problems)
    return articles


FEEDPARSER_CASES = json.loads((FEEDPARSER / "manifest.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("case", FEEDPARSER_CASES, ids=[c["path"] for c in FEEDPARSER_CASES])
def test_feedparser_conformance_feed(case, make_site, feed_server):
    headers = dict(h.split(": ", 1) for h in case["http_headers"])
    headers.setdefault("Content-type", "text/xml")
    url = feed_server.route("feed.xml", Scripted(200, (FEEDPARSER / case["path"]).read_bytes(), headers))
    root = site_for(make_site, url)
    result, report = fetch_once(root)
    assert result.status in ("fetched", "failed")
    articles = assert_stored_safely(root, report)
    if case["path"] in EXPECTED_TEXT:
        assert any(EXPECTED_TEXT[case["path"]] in a.body + a.summary + a.title for a in articles), \
            [a.body for a in articles]


def test_an_unsafe_content_location_is_not_a_base(make_site, feed_server):
    case = "tests/wellformed/http/headers_content_location-unsafe.xml"
    url = feed_server.route("feed.xml", Scripted(200, (FEEDPARSER / case).read_bytes(),
                                                 {"Content-Location": "javascript:alert('unsafe');"}))
    root = site_for(make_site, url)
    _, report = fetch_once(root)
    assert "javascript" not in "".join(p.read_text(encoding="utf-8") for p in content_files(root / "content"))


def test_an_item_with_only_a_link_is_reported_not_stored(make_site, feed_server):
    case = "tests/illformed/rss_item_link_corrupted_ampersands.xml"
    root = site_for(make_site, feed_server.route("feed.xml", Scripted(200, (FEEDPARSER / case).read_bytes())))
    _, report = fetch_once(root)
    assert content_files(root / "content") == []
    assert "entry 'http://link/get?a=1&b=2' skipped: no title and no text" in [p.message for p in report.problems]


ZH_CASES = json.loads((FEEDS_ZH / "manifest.json").read_text(encoding="utf-8")) if FEEDS_ZH.exists() else []


def oracle_titles(data: bytes) -> set[str]:
    """Titles as feedparser reads the file on its own, where the manifest says that is right."""
    return {html_to_text(e.get("title", "")) for e in feedparser.parse(data).entries} - {""}


@pytest.mark.parametrize("charset", ["none", "declared"])
@pytest.mark.parametrize("case", ZH_CASES or [None], ids=[c["path"] for c in ZH_CASES] or ["missing"])
def test_chinese_feed(case, charset, make_site, feed_server):
    shared_fixture("feeds-zh/manifest.json")
    data = (FEEDS_ZH / case["path"]).read_bytes()
    content_type = "application/xml" + (f"; charset={case['declared_encoding']}"
                                        if charset == "declared" and case["declared_encoding"] else "")
    root = site_for(make_site, feed_server.route("feed.xml", Scripted(200, data, {"Content-Type": content_type})))
    result, report = fetch_once(root)
    assert result.status == "fetched", result.error
    articles = assert_stored_safely(root, report)
    assert len(articles) == result.new <= case["entries"]
    assert len({a.source_url or a.guid or a.title for a in articles}) == len(articles)
    assert all("\ufffd" not in a.title + a.body + a.summary for a in articles)
    if case["feedparser_encoding"] and not case["bozo"]:  # entries without a title get an excerpt
        assert oracle_titles(data) <= {a.title for a in articles}
    script = {"Traditional": "zh-Hant", "Simplified": "zh-Hans"}[case["script"]]
    assert [a.title for a in articles if a.lang != script] == []
    again, _ = fetch_once(root)
    assert again.new == 0 and again.updated == 0
