"""Script injection, tried in a real browser: thousands of published XSS vectors, placed in every
field a feed item has (title, summary, body, author, category, image URL and caption), fetched
over loopback and built; then every page of both scripts is opened in headless Chromium with a
hook on every way script could show itself — alert/prompt/confirm/print, dialogs, navigation,
requests to any host but 127.0.0.1, and Content-Security-Policy reports. Twice: with the theme's
CSP, where a CSP report would mean markup got past the sanitizer, and with the CSP stripped from
every page, where nothing but the sanitizer stands in the way. No vector may do anything, and
every hostile story is stored (sanitized), none dropped."""

from __future__ import annotations

import http.server
import json
import re
from functools import partial
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from sitegen.build import build
from sitegen.config import load_config
from sitegen.content.store import load_articles
from sitegen.errors import Report
from sitegen.fetch.ingest import fetch_sources
from tests.feedserver import Scripted, running
from tests.helpers import DATA, shared_fixture

ITEMS = 60
FEEDS_OWN_HOSTS = {"origin.example", "img.origin.example"}
"""The feed's site and image host: a story's own images load from there (hotlinked, as any feed's
do; aborted here all the same). A request to any other host is a vector reaching out."""
NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
CSP_META = re.compile(rb'<meta http-equiv="Content-Security-Policy"[^>]*>')
TRAP = """
(() => {
  const hit = (how) => { (window.__xss = window.__xss || []).push(how); };
  for (const name of ["alert", "prompt", "confirm", "print"]) {
    window[name] = (...args) => { hit(name + ":" + String(args[0])); };
  }
  document.addEventListener("securitypolicyviolation", (e) => hit("csp:" + e.violatedDirective + " " + e.blockedURI));
})();
"""


def vectors() -> list[str]:
    """html5sec, DOMPurify's test cases, the OWASP cheat sheet's blocks and payloadbox's list."""
    found = [v["payload"] for v in json.loads(shared_fixture("xss/html5sec/vectors.json").read_text())["vectors"]]
    found += [c["payload"] for c in json.loads((DATA / "xss/dompurify/expect.json").read_text())
              if isinstance(c.get("payload"), str)]
    found += [c["payload"] for c in json.loads(shared_fixture("xss/owasp/xss-filter-evasion-payloads.json")
                                               .read_text())["items"]]
    found += (DATA / "xss/payloadbox/xss-payload-list.txt").read_text(encoding="utf-8").splitlines()
    return [NOT_XML.sub("", v) for v in found if v.strip()]


def hostile_feed(all_vectors: list[str]) -> bytes:
    """ITEMS stories: a line of real text in the title and body, hostile markup everywhere. Each
    field of story n holds vectors of its own, the body a share of all of them."""
    short = all_vectors[:700]  # the hand-made sets come first: each field gets its own
    per_body = -(-len(all_vectors) // ITEMS)
    items = []
    for n in range(ITEMS):
        one = lambda field: escape(short[(n * 6 + field) % len(short)])  # noqa: E731
        body = f"<p>第{n}則的正文。</p>\n" + "\n".join(f"<p>{v}</p>" for v in all_vectors[n * per_body:(n + 1) * per_body])
        image = short[(n * 6 + 4) % len(short)]
        url = image if n % 2 else "https://img.origin.example/a.jpg?x=" + image  # raw, then inside a real URL
        items.append(f"""<item>
  <title>第{n}則 {one(0)}</title>
  <link>https://origin.example/story/{n}</link>
  <guid isPermaLink="false">hostile-{n}</guid>
  <pubDate>Mon, 0{1 + n % 9} Jan 2024 08:{n % 60:02d}:00 +0800</pubDate>
  <description>{one(1)}</description>
  <content:encoded>{escape(body)}</content:encoded>
  <dc:creator>{one(2)}</dc:creator>
  <category>{one(3)}</category>
  <media:content url={quoteattr(url)} medium="image"><media:description>{one(5)}</media:description>
    <media:credit>{one(0)}</media:credit></media:content>
</item>""")
    return ('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
            'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/" '
            'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>惡意</title>'
            '<link>https://origin.example/</link><description>x</description>\n'
            + "\n".join(items) + "\n</channel></rss>\n").encode("utf-8")


def test_no_vector_runs_or_reaches_out_in_a_real_browser(make_site, feed_server, browser):
    all_vectors = vectors()
    assert len(all_vectors) > 6000
    url = feed_server.route("hostile.xml", Scripted(200, hostile_feed(all_vectors),
                                                    {"Content-Type": "application/rss+xml"}))
    root = make_site('[site]\ntitle = "測試"\nbase_url = "https://news.example.org/"\n'
                     f'[[sources]]\nid = "evil"\nname = "惡意"\nurl = "{url}"\n')
    [result] = fetch_sources(load_config(root), Report())
    stored = load_articles(root / "content", Report())
    assert result.status == "fetched" and len(stored) == ITEMS, "every hostile story is stored, sanitized"
    built = build(load_config(root))
    assert not built.report.failed, built.report.problems[:3]
    public = root / "public"
    pages = sorted(p.relative_to(public).as_posix() for p in public.rglob("*.html"))
    assert len(pages) > 2 * ITEMS
    (root / "check").mkdir()
    (root / "check/ran.html").write_text('<img src="x" onerror="alert(1)"><script>fetch("https://evil.example/")'
                                         "</script>", encoding="utf-8")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(root)))
    with running(server) as base:
        base = base.rstrip("/") + "/"
        # The hooks catch what runs: a page that does run script is caught both ways.
        assert len(_open_every_page(browser, base, ["check/ran.html"], strip_csp=True)) >= 2
        pages = [f"public/{page}" for page in pages]
        for strip_csp in (False, True):
            incidents = _open_every_page(browser, base, pages, strip_csp)
            assert incidents == [], f"CSP {'stripped' if strip_csp else 'on'}: {incidents[:5]}"
    print(f"{len(all_vectors)} vectors, {ITEMS} stories stored of {ITEMS}, {len(pages)} pages opened twice "
          "(CSP on, CSP stripped): 0 executions, 0 foreign requests, 0 navigations")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib hook name
        pass


def _open_every_page(browser, base: str, pages: list[str], strip_csp: bool) -> list[str]:
    context = browser.new_context(java_script_enabled=True)
    incidents: list[str] = []
    context.add_init_script(TRAP)
    context.on("dialog", lambda dialog: (incidents.append(f"dialog {dialog.type}: {dialog.message}"),
                                         dialog.dismiss()))

    def route(route_) -> None:
        request = route_.request
        if not request.url.startswith(base):
            if urlsplit(request.url).hostname not in FEEDS_OWN_HOSTS:
                incidents.append(f"request to {request.url[:120]}")
            route_.abort()
        elif strip_csp and request.resource_type == "document":
            response = route_.fetch()
            route_.fulfill(response=response, body=CSP_META.sub(b"", response.body()))
        else:
            route_.continue_()

    context.route("**/*", route)
    page = context.new_page()
    try:
        for relative in pages:
            target = base + relative
            page.goto(target, wait_until="load")
            page.wait_for_timeout(20)  # let timers and onload handlers of any surviving markup fire
            hits = page.evaluate("window.__xss || []")
            incidents += [f"{relative}: {hit}" for hit in hits]
            if page.url.split("#")[0] != target:
                incidents.append(f"{relative}: navigated to {page.url[:120]}")
    finally:
        context.close()
    return incidents
