"""End to end: html5sec's hostile feed, fetched over loopback and built, leaves nothing executable."""

import json
import re

from bs4 import BeautifulSoup

from sitegen.build import build
from sitegen.config import load_config
from sitegen.errors import Report
from sitegen.fetch.ingest import fetch_sources
from tests.helpers import shared_fixture
from tests.feedserver import Scripted

SCRIPTING = {"script", "iframe", "object", "embed", "svg", "math", "form", "base", "meta", "link", "style"}
ALLOWED_HEAD = {"meta", "link"}  # the theme's own, checked separately


def bad_url(value: str) -> bool:
    squashed = re.sub(r"[\x00-\x20]", "", value).lower()
    return squashed.startswith(("javascript:", "vbscript:", "data:text", "data:application"))


def test_hostile_feed_fetches_and_builds_inert(make_site, feed_server):
    data = shared_fixture("xss/html5sec/hostile-feed.rss.xml").read_bytes()
    url = feed_server.route("hostile.xml", Scripted(200, data, {"Content-Type": "application/rss+xml"}))
    root = make_site('[site]\ntitle = "測試"\nbase_url = "https://news.example.org/"\n'
                     f'[[sources]]\nid = "evil"\nname = "惡意"\nurl = "{url}"\n')
    report = Report()
    [result] = fetch_sources(load_config(root), report)
    assert result.status == "fetched" and result.new > 150
    built = build(load_config(root))
    assert not built.report.failed, built.report.problems[:3]
    pages = list((root / "public").rglob("*.html"))
    assert len(pages) > 300
    for page in pages:
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        body = soup.body
        theirs = [t for t in body.find_all(SCRIPTING)
                  if not (t.name == "form" and t.get("class") in (["site-search"], ["search-form"], ["not-found-search"]))
                  and not (t.name == "script" and t.get("src") == "/js/search.js" and not t.string)]
        assert not theirs, page  # the theme's own search forms aside
        for tag in soup.find_all(True):
            assert not [a for a in tag.attrs if a.lower().startswith("on")], (page, tag)
            assert "style" not in tag.attrs, (page, tag)
            for attr in ("href", "src", "action", "formaction", "srcset"):
                assert not bad_url(str(tag.get(attr, ""))), (page, tag)
        head_tags = {t.name for t in soup.head.find_all(True)}
        assert head_tags <= {"meta", "title", "link", "script"}, page
        for script in soup.head.find_all("script"):  # the theme's own file, or JSON-LD data
            if script.get("type") == "application/ld+json":
                json.loads(script.string)
            else:
                assert script["src"] == "/js/sitegen.js" and not script.string, page
