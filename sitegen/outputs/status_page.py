"""The editor's `/_status/` page (`[health] status_page = true`): the `sitegen sources status` table
as HTML, on the site's own host.

It is unlisted: no page links to it, and it is in no sitemap, feed or search index (it never
joins `run.listings`); `noindex, nofollow` keeps it out of search engines that find it anyway.
The build reads no clock: the table is as of the last recorded fetch, and says when that was, so
the same records and settings make the same bytes. The page's key is its bytes: it is rewritten
when a fetch changed what it shows, and kept otherwise. With the setting off it is not made, and
the page an earlier build wrote is removed like any output no longer made.
"""

from __future__ import annotations

from html import escape
from zoneinfo import ZoneInfo

from sitegen.config import SiteConfig
from sitegen.digests import digest
from sitegen.health import COLUMNS, History, read_history, source_health, status_cells
from sitegen.model import Output
from sitegen.outputs.produce import Producer, Run

STATUS_PATH = "/_status/"
CSP = ("default-src 'self'; img-src 'self' https: data:; style-src 'self'; script-src 'self'; "
       "object-src 'none'; base-uri 'self'; form-action 'self'")
"""The theme's policy (templates/base.html), without scripts of its own."""


class StatusPage(Producer):
    name = "status page"

    def finish(self, run: Run) -> None:
        config = run.site.config
        if not config.health.status_page:
            return
        history = read_history(config.state_dir)
        if history.problem:  # the page says no fetch is recorded; the build goes on
            run.writer.report.warning("status page", history.problem)
        urls = run.site.urls
        page = status_html(config, history, urls.link(urls.stylesheet()))
        path = urls.output_file(STATUS_PATH)
        run.group("status page", digest(page), [path], lambda: [Output(path, page, "status page")])


def status_html(config: SiteConfig, history: History, stylesheet: str) -> bytes:
    """The whole page, as of the newest attempt in `history`."""
    title = f"Source health · {config.site.title}"
    return "\n".join([
        "<!doctype html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="robots" content="noindex, nofollow">', f"<title>{escape(title)}</title>",
        '<link rel="icon" href="data:,">', f'<link rel="stylesheet" href="{escape(stylesheet)}">',
        "</head>", "<body>", '<main id="main" class="body">', f"<h1>{escape(title)}</h1>",
        *_report(config, history), "</main>", "</body>", "</html>", ""]).encode("utf-8")


def _report(config: SiteConfig, history: History) -> list[str]:
    now = history.newest
    if now is None:
        return ["<p>No fetch is recorded. Run <code>sitegen fetch</code>, then build again.</p>"]
    limits, zone = config.health, ZoneInfo(config.site.timezone)
    healths = source_health(history, [s.id for s in config.sources], now, limits.failing_runs, limits.silent_days)
    names = {s.id: s.name for s in config.sources}
    stamp = now.astimezone(zone)
    lines = [f'<p>As of the last recorded fetch, <time datetime="{stamp.isoformat()}">'
             f"{stamp:%Y-%m-%d %H:%M} ({escape(config.site.timezone)})</time>. Flagged: FAILING after "
             f"{limits.failing_runs} failed fetches in a row, SILENT after more than {limits.silent_days} "
             "days without a new story.</p>",
             '<div class="table-scroll"><table>',
             "<thead><tr>" + "".join(f'<th scope="col">{escape(c)}</th>' for c in COLUMNS) + "</tr></thead>",
             "<tbody>"]
    lines += [_row(status_cells(h, names[h.source], now, zone)) for h in healths]
    lines += ["</tbody></table></div>"]
    failing = [h for h in healths if h.streak]
    if failing:
        lines += ["<h2>Last errors</h2>", "<ul>"]
        lines += [f"<li><code>{escape(h.source)}</code>: {h.streak} failed in a row: {escape(h.last_error)}</li>"
                  for h in failing]
        lines += ["</ul>"]
    return lines


def _row(cells: tuple[str, ...]) -> str:
    source, name, *rest = cells
    return (f'<tr><th scope="row">{escape(source)}</th><td lang="zh">{escape(name)}</td>'
            + "".join(f"<td>{escape(cell)}</td>" for cell in rest) + "</tr>")
