"""sitemap.xml with hreflang alternates, and robots.txt pointing to it: one pair per host.

A sitemap file holds at most 50,000 URLs and 50 MiB (sitemaps.org), and search engines refuse a
larger one. A host with more pages (some 18,000 articles in two scripts) gets its URLs in parts,
`sitemap-1.xml`, `sitemap-2.xml`, …, and `sitemap.xml` becomes the index of those parts, so
robots.txt and whoever submitted sitemap.xml need not change."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Callable

from sitegen.config import VariantConfig
from sitegen.digests import digest
from sitegen.model import Output
from sitegen.outputs.articles import ArticlePages, article_listings
from sitegen.outputs.lists import list_listings
from sitegen.outputs.produce import Producer, Run
from sitegen.site.assemble import Site
from sitegen.site.urls import SITEMAP_MAX_BYTES, SITEMAP_MAX_URLS

URLSET = (b'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
          b'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n', b"</urlset>\n")
INDEX = (b'<?xml version="1.0" encoding="utf-8"?>\n<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n',
         b"</sitemapindex>\n")


class Sitemaps(Producer):
    """Made from the list of pages alone: kept when no page came, went or changed its date."""

    name = "sitemaps"

    def finish(self, run: Run) -> None:
        site, memory, writer = run.site, run.renderers[0].memory, run.writer
        paths = sitemap_paths(site, writer.recorded)
        # The same shape, the same pages in the same places with the same dates (pipeline._shape).
        if run.changes is not None and writer.keep_all_if_intact(tuple(paths), "sitemap"):
            return
        remembered = run.renderers[0].remembered(ArticlePages.name)
        listings = [listing for article in site.articles
                    for listing in article_listings(run.renderers, remembered, article)]
        listings += [listing for renderer in run.renderers for listing in list_listings(renderer)] + run.listings
        key = digest(memory.fingerprint, tuple((o.page, o.variant, o.lastmod) for o in listings))
        run.group("sitemap", key, paths, lambda: sitemap_outputs(site, listings), pages=False)


def sitemap_paths(site: Site, recorded: Callable[[str], bool]) -> list[str]:
    """Where `sitemap_outputs` puts its files: each host's sitemap and robots.txt, and the parts
    of a split sitemap that were `recorded` (the same pages make the same parts)."""
    paths = []
    for tree in site.trees():
        paths += [tree + site.urls.output_file(path) for path in (site.urls.sitemap(), site.urls.robots())]
        number = 1
        while recorded(part := tree + site.urls.output_file(site.urls.sitemap_part(number))):
            paths.append(part)
            number += 1
    return paths


def sitemap_outputs(site: Site, pages: list[Output]) -> list[Output]:
    """For each host (the site's, and each variant with a host of its own): its sitemap (split in
    parts if it must be) and robots.txt."""
    variants = {v.name: v for v in site.config.variants}
    by_suffix: dict[str, dict[str, Output]] = defaultdict(dict)
    for page in pages:
        if page.page and page.variant:
            variant = variants[page.variant]
            by_suffix[page.page.removeprefix(variant.path)][variant.name] = page
    hosts: dict[str, list[VariantConfig | None]] = defaultdict(list)
    for variant in [None, *site.config.variants]:
        hosts[site.urls.tree(variant)].append(variant)
    # Each entry encoded as it is made, so the text is held once as bytes, not also whole as str.
    urls: dict[str, list[bytes]] = {tree: [] for tree in hosts}
    urls[""] += [f"  <url>\n    <loc>{_escaped(site.urls.absolute(p.page))}</loc>\n  </url>\n".encode()
                 for p in pages if p.page and not p.variant]  # the root chooser
    _add_entries(site, by_suffix, variants, urls)
    outputs = []
    for tree, members in sorted(hosts.items()):
        owner = next((v for v in members if v), None) if tree else None
        outputs += _sitemap_files(site, tree, owner, urls[tree])
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {site.urls.absolute(site.urls.sitemap(), owner)}\n"
        outputs.append(Output(tree + site.urls.output_file(site.urls.robots()), robots.encode("utf-8"), "robots.txt"))
    return outputs


def _add_entries(site: Site, by_suffix: dict[str, dict[str, Output]], variants: dict[str, VariantConfig],
                 urls: dict[str, list[bytes]]) -> None:
    """Each page's <url>, in the order of its path without the variant's prefix, added to the URLs
    of its variant's host: its address and its alternates worked out once for all its variants
    (a sitemap holds every page: 55,000 at 20,000 articles)."""
    x_default = (f'    <xhtml:link rel="alternate" hreflang="x-default" '
                 f'href="{_escaped(site.urls.absolute(site.urls.root()))}"/>\n')
    host_urls = {name: urls[site.urls.tree(variant)] for name, variant in variants.items()}
    for suffix, found in sorted(by_suffix.items()):
        names = sorted(found)
        locs = [_escaped(site.urls.absolute(found[name].page, variants[name])) for name in names]
        lines = []
        for name, loc in zip(names, locs):
            own = variants[name].path + suffix  # the same page in this variant, where it would be
            href = loc if found[name].page == own else _escaped(site.urls.absolute(own, variants[name]))
            lines.append(f'    <xhtml:link rel="alternate" hreflang="{name}" href="{href}"/>\n')
        if len(found) > 1:
            lines.append(x_default)
        alternates = "".join(lines)
        for name, loc in zip(names, locs):
            host_urls[name].append(_url(loc, found[name].lastmod, alternates).encode())


def _sitemap_files(site: Site, tree: str, owner: VariantConfig | None, urls: list[bytes]) -> list[Output]:
    """One host's sitemap.xml: its URLs, or, when they are too many for one file, the index of
    the parts that hold them."""
    parts = _parts(urls)
    sitemap = tree + site.urls.output_file(site.urls.sitemap())
    if len(parts) == 1:
        return [Output(sitemap, _joined(URLSET, parts[0]), "sitemap")]
    outputs, index = [], []
    for number, part in enumerate(parts, start=1):
        path = site.urls.sitemap_part(number)
        outputs.append(Output(tree + site.urls.output_file(path), _joined(URLSET, part), "sitemap"))
        index.append(f"  <sitemap>\n    <loc>{_escaped(site.urls.absolute(path, owner))}</loc>\n  </sitemap>\n".encode())
    return [Output(sitemap, _joined(INDEX, index), "sitemap"), *outputs]


def _joined(frame: tuple[bytes, bytes], entries: list[bytes]) -> bytes:
    """The entries between the frame's opening and closing, joined once (a sitemap may be 50 MiB)."""
    return b"".join([frame[0], *entries, frame[1]])


def _parts(urls: list[bytes]) -> list[list[bytes]]:
    """The URLs in order, cut into runs that each fit in one sitemap file."""
    room = SITEMAP_MAX_BYTES - len(URLSET[0]) - len(URLSET[1])
    parts: list[list[bytes]] = [[]]
    size = 0
    for url in urls:
        if parts[-1] and (len(parts[-1]) == SITEMAP_MAX_URLS or size + len(url) > room):
            parts.append([])
            size = 0
        parts[-1].append(url)
        size += len(url)
    return parts


def _url(loc: str, lastmod: str, alternates: str) -> str:
    """One <url>: the page, and (`alternates`) the same page in every variant that has it."""
    lastmod = f"    <lastmod>{lastmod}</lastmod>\n" if lastmod else ""
    return f"  <url>\n    <loc>{loc}</loc>\n{lastmod}{alternates}  </url>\n"


XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _escaped(text: str) -> str:
    """`text` as XML character data or a double-quoted attribute value (xml.sax.saxutils would do,
    but importing it imports urllib.request and ssl: a tenth of a small rebuild's imports)."""
    return text.translate(XML_ESCAPES) if ESCAPED.search(text) else text


ESCAPED = re.compile(r'[&<>"]')
