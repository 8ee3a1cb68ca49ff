"""A source's rights policy (`republish = "full" | "summary" | "title"`) on the built site: what a
summary or a title-only source publishes — pages, feeds, JSON-LD, OpenGraph, lists, search index —
and that switching the policy re-renders exactly that source's pages."""

from __future__ import annotations

import gzip
import html
import json
import re
from pathlib import Path

import feedparser

from sitegen.build import build
from sitegen.config import load_config
from sitegen.content.store import load_articles
from sitegen.errors import Report
from tests.helpers import settle, snapshot

LENGTH = 150
BODY = re.compile(r'<div class="body">(.*?)</div>', re.DOTALL)
READ_ON = re.compile(r'<p class="read-original">.*?</p>', re.DOTALL)
TAG = re.compile(r"<[^>]+>")


def with_policy(site: Path, source: str, policy: str, length: int = LENGTH) -> None:
    config = site / "sitegen.toml"
    text = re.sub(r'\nrepublish = "\w+"\nsummary_length = \d+\n', "\n", config.read_text(encoding="utf-8"))
    lines = f'id = "{source}"\n' + (f'republish = "{policy}"\nsummary_length = {length}\n' if policy != "full" else "")
    config.write_text(text.replace(f'id = "{source}"\n', lines, 1), encoding="utf-8")


def stories(site: Path, source: str):
    return [a for a in load_articles(site / "content", Report()) if a.source == source]


def own_script_page(site: Path, article) -> Path:
    """The article's page in the script it is written in (no conversion between file and page)."""
    [page] = (site / "public" / article.lang.lower()).rglob(f"{article.id}.html")
    return page


def text_of(fragment: str) -> str:
    return "".join(html.unescape(TAG.sub("", fragment)).split())


def paragraphs(body: str) -> list[str]:
    return ["".join(p.split()) for p in body.split("\n\n") if p.strip() and not p.startswith(("#", "!", "<"))]


def everything_published(site: Path) -> str:
    """Every page, feed and search-index fragment of the built site, as text."""
    public = site / "public"
    parts = [p.read_text(encoding="utf-8") for p in public.rglob("*") if p.suffix in (".html", ".xml")]
    parts += [gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in public.rglob("*.pf_fragment")]
    return "".join("".join(part.split()) for part in parts)


def test_a_summary_source_publishes_its_opening_and_a_link_nowhere_more(demo_site):
    with_policy(demo_site, "voa", "summary")
    report = build(load_config(demo_site)).report
    assert not report.failed, report.problems
    published = everything_published(demo_site)
    for article in stories(demo_site, "voa"):
        page = own_script_page(demo_site, article).read_text(encoding="utf-8")
        [body] = BODY.findall(page)
        assert article.source_url in READ_ON.search(body).group(0) and 'rel="noopener"' in body
        shown = text_of(READ_ON.sub("", body))
        assert 0 < len(shown) <= LENGTH
        for paragraph in paragraphs(article.body):
            if paragraph not in shown:  # the rest of the story: on no page, in no feed, not in the index
                assert paragraph[-30:] not in published, (article.id, paragraph)
        assert article.image is None or article.image.url not in page  # an image is a work of its own
        ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page).group(1))
        assert len(ld.get("description", "")) <= LENGTH and "image" not in ld
        og = html.unescape(re.search(r'<meta property="og:description" content="([^"]*)"', page).group(1))
        assert len(og) <= LENGTH


def test_a_summary_whose_first_paragraph_is_too_long_ends_at_a_sentence(demo_site):
    with_policy(demo_site, "voa", "summary", length=50)
    assert not build(load_config(demo_site)).report.failed
    for article in stories(demo_site, "voa"):
        [body] = BODY.findall(own_script_page(demo_site, article).read_text(encoding="utf-8"))
        shown = text_of(READ_ON.sub("", body))
        assert 0 < len(shown) <= 50 and shown[-1] in "。！？…」”", shown
        assert paragraphs(article.body)[0].startswith(shown.rstrip("…"))


def test_a_title_source_publishes_the_headline_attribution_and_link_only(demo_site):
    with_policy(demo_site, "dw", "title")
    assert not build(load_config(demo_site)).report.failed
    feeds = [feedparser.parse((demo_site / "public" / v / kind).read_bytes())
             for v in ("zh-hans", "zh-hant") for kind in ("atom.xml", "rss.xml")]
    published = everything_published(demo_site)
    for article in stories(demo_site, "dw"):
        page = own_script_page(demo_site, article).read_text(encoding="utf-8")
        [body] = BODY.findall(page)
        assert text_of(READ_ON.sub("", body)) == "" and article.source_url in body
        assert "".join(article.title.split()) in text_of(page) and 'class="license"' in page
        assert '<figure class="lead">' not in page and 'property="og:image"' not in page
        for paragraph in paragraphs(article.body) + ["".join(article.summary.split())]:
            assert paragraph[-20:] not in published
        for feed in feeds:
            entry = next(e for e in feed.entries if e.link.endswith(f"/{article.id}.html"))
            assert article.source_url in (entry.content[0].value if "content" in entry else entry.summary)


def test_front_matter_narrows_a_source_never_widens_it(demo_site):
    [first, *_] = stories(demo_site, "rfa")
    path = demo_site / "content" / first.path
    path.write_text(path.read_text(encoding="utf-8").replace("\n---\n", "\nrepublish: title\n---\n", 1),
                    encoding="utf-8")
    [voa, *_] = stories(demo_site, "voa")
    other = demo_site / "content" / voa.path
    other.write_text(other.read_text(encoding="utf-8").replace("\n---\n", "\nrepublish: full\n---\n", 1),
                     encoding="utf-8")
    with_policy(demo_site, "voa", "summary")
    assert not build(load_config(demo_site)).report.failed
    [narrowed] = BODY.findall(own_script_page(demo_site, first).read_text(encoding="utf-8"))
    assert text_of(READ_ON.sub("", narrowed)) == ""
    [kept] = BODY.findall(own_script_page(demo_site, voa).read_text(encoding="utf-8"))
    assert 0 < len(text_of(READ_ON.sub("", kept))) <= LENGTH


def test_switching_a_source_to_summary_and_back_re_renders_exactly_its_pages(demo_site):
    settle(demo_site)
    assert not build(load_config(demo_site)).report.failed
    full = snapshot(demo_site / "public")
    with_policy(demo_site, "voa", "summary")
    assert not build(load_config(demo_site)).report.failed
    summary = snapshot(demo_site / "public")
    changed = {path for path in full.keys() & summary.keys() if full[path][0] != summary[path][0]}
    touched = {path for path in full.keys() & summary.keys() if full[path][1] != summary[path][1]}
    assert touched == changed, "a page whose bytes did not change was written again"
    voa_pages = {own_script_page(demo_site, a).relative_to(demo_site / "public").as_posix()
                 for a in stories(demo_site, "voa")}
    assert voa_pages <= changed
    ids = [a.id for a in stories(demo_site, "voa")]
    for path in changed:  # every page that changed shows a voa story (or is the search index)
        assert "/pagefind/" in path or any(f"/{i}.html" in summary[path][0].decode() for i in ids), path
    with_policy(demo_site, "voa", "full")
    assert not build(load_config(demo_site)).report.failed
    assert {p: data for p, (data, _) in snapshot(demo_site / "public").items()} == \
        {p: data for p, (data, _) in full.items()}
