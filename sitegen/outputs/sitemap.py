"""sitemap.xml with hreflang alternates, and robots.txt pointing to it: one pair per host."""

from __future__ import annotations

from collections import defaultdict
from xml.sax.saxutils import escape, quoteattr

from sitegen.config import VariantConfig
from sitegen.digests import digest
from sitegen.model import Output
from sitegen.outputs.produce import Producer, Run
from sitegen.site.assemble import Site


class Sitemaps(Producer):
    """Made from the list of pages alone: kept when no page came, went or changed its date."""

    name = "sitemaps"

    def finish(self, run: Run) -> None:
        site, memory = run.site, run.renderers[0].memory
        key = digest(memory.fingerprint, tuple((o.page, o.variant, o.lastmod) for o in run.listings))
        run.group("sitemap", key, sitemap_paths(site), lambda: sitemap_outputs(site, run.listings), pages=False)


def sitemap_paths(site: Site) -> list[str]:
    """Where `sitemap_outputs` puts its files."""
    return [tree + site.urls.output_file(path) for tree in site.trees()
            for path in (site.urls.sitemap(), site.urls.robots())]


def sitemap_outputs(site: Site, pages: list[Output]) -> list[Output]:
    """For each host (the site's, and each variant with a host of its own): its sitemap and robots.txt."""
    variants = {v.name: v for v in site.config.variants}
    by_suffix: dict[str, dict[str, Output]] = defaultdict(dict)
    for page in pages:
        if page.page and page.variant:
            variant = variants[page.variant]
            by_suffix[page.page.removeprefix(variant.path)][variant.name] = page
    hosts: dict[str, list[VariantConfig | None]] = defaultdict(list)
    for variant in [None, *site.config.variants]:
        hosts[site.urls.tree(variant)].append(variant)
    outputs = []
    for tree, members in sorted(hosts.items()):
        names = {v.name for v in members if v}
        # Each entry encoded as it is made, so the text is held once as bytes, not also whole as str.
        xml = [b'<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
               b'xmlns:xhtml="http://www.w3.org/1999/xhtml">\n']
        xml += [f"  <url>\n    <loc>{escape(site.urls.absolute(p.page))}</loc>\n  </url>\n".encode()
                for p in pages if p.page and not p.variant and not tree]  # the root chooser
        xml += [_url(site, found[name], suffix, found, variants).encode()
                for suffix, found in sorted(by_suffix.items()) for name in sorted(found) if name in names]
        xml.append(b"</urlset>\n")
        owner = next((v for v in members if v), None) if tree else None
        sitemap_url = site.urls.absolute(site.urls.sitemap(), owner)
        robots = f"User-agent: *\nAllow: /\n\nSitemap: {sitemap_url}\n"
        sitemap, robots_txt = (tree + site.urls.output_file(p) for p in (site.urls.sitemap(), site.urls.robots()))
        outputs += [Output(sitemap, b"".join(xml), "sitemap"), Output(robots_txt, robots.encode("utf-8"), "robots.txt")]
    return outputs


def _url(site: Site, page: Output, suffix: str, found: dict[str, Output],
         variants: dict[str, VariantConfig]) -> str:
    """One <url>: the page, and the same page in every variant that has it."""
    own = variants[page.variant]
    lines = [f"  <url>\n    <loc>{escape(site.urls.absolute(page.page, own))}</loc>\n"]
    if page.lastmod:
        lines.append(f"    <lastmod>{page.lastmod}</lastmod>\n")
    for name in sorted(found):
        other = variants[name]
        href = site.urls.absolute(other.path + suffix, other)
        lines.append(f'    <xhtml:link rel="alternate" hreflang="{name}" href={quoteattr(href)}/>\n')
    if len(found) > 1:
        lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" '
                     f'href={quoteattr(site.urls.absolute(site.urls.root()))}/>\n')
    return "".join(lines) + "  </url>\n"
