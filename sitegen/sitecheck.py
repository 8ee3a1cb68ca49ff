"""Check the built site as readers, search engines and feed readers meet it, before it is published.

Every page's references must land on a file of the output (on the host that serves them), every
hreflang pair must be reciprocal, every sitemap `<loc>` and feed entry must be a page, feeds must
be XML, and a page of one variant may lead into another only through the script switch (an `<a>`
marked `hreflang`, as the theme's switch is) or its hreflang alternates.

Pages are read in worker processes forked with the list of files (each worker resolves what its
pages refer to: sending every reference back would cost more than resolving it); only the
hreflang pairs, which need every page, are matched here.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterable, Iterator, NamedTuple

from sitegen.config import SiteConfig
from sitegen.errors import Report
from sitegen.fsutil import files_under
from sitegen.site.urls import SITEMAP_MAX_BYTES, SITEMAP_MAX_URLS
from sitegen.processes import forked_pool, no_cycle_collection, workers_for
from sitegen.sitecheck_refs import SCHEME, Layout, Ref, Target, clean, hosts_of, refs_in, refs_of, tags_in

MIN_FILES_PER_WORKER = 400
"""Below this, forking workers costs more than it saves."""
CHUNK = 250
ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
SITEMAP_FILE = re.compile(r"sitemap(?:-[0-9]+)?\.xml")
"""A sitemap, or a part of one too large for a single file (outputs/sitemap.py)."""
XHTML = "{http://www.w3.org/1999/xhtml}"
FEEDS = ("atom.xml", "rss.xml")
ROOT_PAGES = ("index.html", "404.html")
"""At the site host's root: the chooser between scripts, and the 404 page it shares. May link anywhere."""


class Scan(NamedTuple):
    """What one file of the output says, as far as the check needs it."""

    key: str
    problems: list[str]
    alternates: list[tuple[str, str, str]]
    """A page's hreflang alternates on the site: (hreflang, href, the file it lands on)."""
    names: tuple[str, ...] = ()
    """The files that stand for the page in an hreflang pair: itself, and its canonical page."""


def check_built_site(config: SiteConfig, output_dir: Path | None = None, workers: int | None = None) -> Report:
    """Check the built site in `output_dir` (default: the site's public/) with `workers` processes
    (default: every core); one error per broken reference, naming the page, the reference and why."""
    report = Report()
    output = output_dir or config.output_dir
    files = [path for path, _ in files_under(output, hidden=True)]
    pages = [path for path in files if path.endswith(".html")]
    if not pages:
        report.error(str(output), "the site is not built: run sitegen build first")
        return report
    layout = Layout(output, hosts_of(config), frozenset(files))
    others = [path for path in files if _kind(path) not in ("page", "")]
    with no_cycle_collection():
        scans = list(_scan_all(layout, others + pages, workers))  # the big XML files first: no long tail
    found = [(scan.key, problem) for scan in scans for problem in scan.problems] + list(_unpaired(scans))
    for where, message in sorted(dict.fromkeys(found), key=lambda problem: problem[0]):  # by file, as found
        report.error(where, message)
    report.count("pages checked", len(pages))
    return report


def _kind(key: str) -> str:
    name = key.rsplit("/", 1)[-1]
    if name.endswith(".html"):
        return "page"
    if SITEMAP_FILE.fullmatch(name):
        return "sitemap"
    return {"robots.txt": "robots"}.get(name, "feed" if name in FEEDS else "")


# ---- every file, on every core ---------------------------------------------

def _scan_all(layout: Layout, keys: list[str], workers: int | None) -> Iterator[Scan]:
    chunks = [keys[at:at + CHUNK] for at in range(0, len(keys), CHUNK)]
    workers = workers_for(len(keys), MIN_FILES_PER_WORKER, workers)
    if workers < 2:
        for chunk in chunks:
            yield from _scan_chunk(layout, chunk)
        return
    with forked_pool(workers, _start_worker, (layout,)) as pool:
        for scans in pool.imap(_work, chunks):
            yield from scans


_worker: list[Layout] = []
"""In a worker process only: the layout, inherited from the check when it was forked."""


def _start_worker(layout: Layout) -> None:
    _worker.append(layout)


def _work(keys: list[str]) -> list[Scan]:
    return _scan_chunk(_worker[0], keys)


def _scan_chunk(layout: Layout, keys: list[str]) -> list[Scan]:
    scanners = {"page": scan_page, "sitemap": scan_sitemap, "feed": scan_feed, "robots": scan_robots}
    scans = []
    root = os.path.join(layout.root, "")  # plain strings: pathlib costs more than reading a page
    for key in keys:
        try:
            with open(root + key, "rb") as file:
                data = file.read()
        except OSError as exc:  # gone since the listing, unreadable
            scans.append(Scan(key, [f"cannot be read: {exc.strerror or exc}"], []))
            continue
        scans.append(scanners[_kind(key)](layout, key, data))
    return scans


# ---- pages -------------------------------------------------------------------

class TagChecks(NamedTuple):
    """What one tag of a page contributes: problems, hreflang alternates, canonical pages."""

    problems: tuple[str, ...]
    alternates: tuple[tuple[str, str, str], ...]
    canonicals: tuple[str, ...]


NO_CHECKS = TagChecks((), (), ())
MEMO_SIZE = 50_000
"""Tags remembered per host and variant: the same navigation is on every page, but a tag with a
relative URL (which depends on the page) is never remembered."""


def scan_page(layout: Layout, key: str, data: bytes) -> Scan:
    host = layout.host_of(key)
    relative, base = key[len(host.tree):], layout.url_of(key)
    variant = "" if not host.tree and relative in ROOT_PAGES else host.variant_at(relative)
    anywhere = relative.endswith("404.html")  # a 404 page is served at any missing URL
    memo = layout.memos.setdefault((host.base_url, variant), {})
    if len(memo) > MEMO_SIZE:
        memo.clear()
    problems: list[str] = []
    alternates: list[tuple[str, str, str]] = []
    names = [key]
    for tag in tags_in(data.decode("utf-8", "replace")):
        checks = memo.get(tag)
        if checks is None:
            checks, same_on_every_page = _tag_checks(layout, refs_of(tag), base, variant, anywhere)
            if same_on_every_page:
                memo[tag] = checks
        if checks is not NO_CHECKS:
            problems += checks.problems
            alternates += checks.alternates
            names += checks.canonicals
    return Scan(key, problems, alternates, tuple(names))


def _tag_checks(layout: Layout, refs: list[Ref], base: str, variant: str,
                anywhere: bool) -> tuple[TagChecks, bool]:
    """What a tag's references amount to on a page of `variant` at `base`; and whether that is the
    same on every such page of the host (no reference relative to the page's own URL)."""
    problems, alternates, canonicals, same = [], [], [], True
    for ref in refs:
        landing = layout.resolve(ref.url, base)
        if _relative(ref.url):
            same = False
            if anywhere:
                problems.append(f"{ref.label} {ref.url} : relative, on a page served at any missing URL")
        if isinstance(landing, str):
            problems.append(f"{ref.label} {ref.url} : {landing}")
        if not isinstance(landing, Target):
            continue
        if ref.alternate:
            alternates.append((ref.label.removeprefix("hreflang "), ref.url, landing.key))
        elif ref.canonical:
            canonicals.append(landing.key)
        if variant and landing.variant not in ("", variant) and not ref.alternate \
                and ref.hreflang.lower() != landing.variant.lower():
            problems.append(f"{ref.label} {ref.url} : leads into {landing.variant}, not through the script switch")
    if problems or alternates or canonicals:
        return TagChecks(tuple(problems), tuple(alternates), tuple(canonicals)), same
    return NO_CHECKS, same


def _relative(url: str) -> bool:
    """Relative to the page's own URL (not `/x`, `//host/x`, `#x` or `scheme:x`)."""
    return bool(url) and url[0] not in "/#" and not SCHEME.match(url)


def _unpaired(scans: list[Scan]) -> Iterator[tuple[str, str]]:
    """hreflang links whose page does not link back (x-default needs none: it is the chooser)."""
    back = {scan.key: {target for _, _, target in scan.alternates} for scan in scans if scan.names}
    for scan in scans:
        for lang, url, target in scan.alternates:
            if lang.lower() != "x-default" and not back.get(target, set()).intersection(scan.names):
                yield scan.key, f"hreflang {lang} {url} : that page has no hreflang alternate back to this one"


# ---- sitemaps, feeds, robots.txt ---------------------------------------------

def scan_sitemap(layout: Layout, key: str, data: bytes) -> Scan:
    root, problems = _xml(data, "sitemap")
    if root is None:
        return Scan(key, problems, [])
    base, tree = layout.url_of(key), layout.host_of(key).tree
    urls = sum(1 for _ in root.iter(SITEMAP + "url"))
    if urls > SITEMAP_MAX_URLS or len(data) > SITEMAP_MAX_BYTES:
        problems.append(f"{urls:,} URLs in {len(data):,} bytes: search engines read at most {SITEMAP_MAX_URLS:,} "
                        f"URLs and {SITEMAP_MAX_BYTES:,} bytes from one sitemap file")
    for loc in root.iter(SITEMAP + "loc"):
        url = (loc.text or "").strip()
        landing = layout.resolve(url, base) if url.startswith(("http://", "https://")) else "not an absolute URL"
        if isinstance(landing, str):
            problems.append(f"loc {url} : {landing}")
        elif landing is None or layout.host_of(landing.key).tree != tree:
            problems.append(f"loc {url} : not on this sitemap's host ({layout.url_of(tree)})")
    links = dict.fromkeys((link.get("hreflang", ""), link.get("href", "")) for link in root.iter(XHTML + "link"))
    links = [(f"hreflang {lang}", href) for lang, href in links]  # each page's alternates are listed many times
    return Scan(key, problems + _broken(layout, key, links), [])


def scan_feed(layout: Layout, key: str, data: bytes) -> Scan:
    root, problems = _xml(data, "feed")
    if root is None:
        return Scan(key, problems, [])
    links, entries = _feed_parts(root)
    if root.tag not in (ATOM + "feed", "rss"):
        problems.append("neither an Atom nor an RSS feed")
    problems += _broken(layout, key, links)
    for entry, html in entries:
        refs = [(ref.label, ref.url) for ref in refs_in(html)]  # cleaning again changes nothing
        problems += [f"{problem} (in the entry {entry})" for problem in _broken(layout, key, refs)]
    return Scan(key, problems, [])


def _feed_parts(root: ET.Element) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(label, URL) of the feed's links and its entries' links; (entry URL, HTML) of each entry's content."""
    rss = root.tag == "rss"
    links = [("link", link.get("href", "")) for link in root.findall(("channel/" if rss else "") + ATOM + "link")]
    links += [("link", root.findtext("channel/link", ""))] if rss else []
    contents = []
    for entry in root.findall("channel/item") if rss else root.findall(ATOM + "entry"):
        urls = [entry.findtext("link", "")] if rss else [link.get("href", "") for link in entry.findall(ATOM + "link")]
        links += [("entry link", url) for url in urls]
        content = entry.find(ATOM + "content")
        html = entry.findtext("description", "") if rss else \
            (content.text or "") if content is not None and content.get("type") in ("html", "text/html") else ""
        contents.append((clean(urls[0], entities=False) if urls else "", html))
    return links, contents


def scan_robots(layout: Layout, key: str, data: bytes) -> Scan:
    lines = data.decode("utf-8", "replace").splitlines()
    maps = [("Sitemap", line.split(":", 1)[1].strip()) for line in lines if line.lower().startswith("sitemap:")]
    return Scan(key, _broken(layout, key, maps), [])


def _broken(layout: Layout, key: str, refs: Iterable[tuple[str, str]]) -> list[str]:
    """'label url : why' for each reference (XML text) of the file `key` that lands on no file of the site."""
    base, problems = layout.url_of(key), []
    for label, url in refs:
        url = clean(url, entities=False)
        landing = layout.resolve(url, base)
        if isinstance(landing, str):
            problems.append(f"{label} {url} : {landing}")
    return problems


def _xml(data: bytes, what: str) -> tuple[ET.Element | None, list[str]]:
    try:
        return ET.fromstring(data), []
    except ET.ParseError as exc:
        return None, [f"not well-formed XML ({exc}): no {what} reader can read it"]
