"""Withdrawn stories: at each one's address in every variant, a notice that it was withdrawn
(render/pages.py `withdrawn_page`); and, for hosts that read a `_redirects` file (Netlify), a rule
answering those addresses with 410 Gone.

A static file cannot carry an HTTP status, so on GitHub Pages, Cloudflare Pages (whose `_redirects`
knows no 410: it ignores such lines) and plain S3 the notice page, marked noindex, is what readers
and crawlers get. The rules come first in `_redirects`, the site's own `static/_redirects` after them.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from sitegen.digests import digest
from sitegen.model import Output
from sitegen.outputs.produce import Producer, Run
from sitegen.render.pages import withdrawn_page

HOST_RULES = "_redirects"
HOST_RULES_ORIGIN = "withdrawn stories (410 rules for Netlify)"


class WithdrawnPages(Producer):
    name = "withdrawn stories"

    def finish(self, run: Run) -> None:
        site, urls = run.site, run.site.urls
        rules: dict[str, list[str]] = {}
        for renderer in run.renderers:
            variant = renderer.variant
            for article in site.withdrawn:
                path = urls.article(article, variant)
                key = renderer.keys.page("withdrawn", path, article.withdrawn)
                run.group(f"{variant.name} withdrawn content/{article.path}", key, [urls.output_file(path, variant)],
                          lambda r=renderer, a=article: [withdrawn_page(r, a)])
                address = urlsplit(urls.absolute(path, variant)).path
                rules.setdefault(urls.tree(variant), []).append(f"{address} {address} 410!")
        for tree, lines in sorted(rules.items()):
            self._host_rules(run, tree, lines)

    @staticmethod
    def _host_rules(run: Run, tree: str, lines: list[str]) -> None:
        try:
            theirs = (run.site.config.static_dir / HOST_RULES).read_bytes()
        except OSError:  # none (or unreadable: copying static/ says so)
            theirs = b""
        data = ("# Withdrawn stories answer 410 Gone (sitegen build writes these lines; static/_redirects follows)\n"
                + "\n".join(sorted(lines)) + "\n").encode("utf-8") + theirs
        run.group(HOST_RULES_ORIGIN, digest(data), [tree + HOST_RULES],
                  lambda: [Output(tree + HOST_RULES, data, HOST_RULES_ORIGIN)], pages=False)


def written_by_rules(run: Run, path: str) -> bool:
    """Whether `path` is a `_redirects` these rules wrote (holding the site's own after them)."""
    return run.writer.owners.get(path) == HOST_RULES_ORIGIN
