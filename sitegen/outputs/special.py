"""The 404 page of every variant, and the root chooser with its own 404 (made from the variants'
homes and the settings alone)."""

from __future__ import annotations

from sitegen.model import Output
from sitegen.outputs.produce import Producer, Run
from sitegen.render.pages import default_renderer, home_links, not_found_latest, not_found_page, root_pages


class SpecialPages(Producer):
    name = "special pages"

    def finish(self, run: Run) -> None:
        site, urls = run.site, run.site.urls
        run.listings.append(Output(urls.output_file(urls.root()), b"", "root.html", page=urls.root()))
        for renderer in run.renderers:
            homes, path = home_links(site, renderer.variant), urls.not_found(renderer.variant)
            latest = tuple(renderer.keys.shown(a) for a in not_found_latest(site))
            run.group(f"{renderer.variant.name} 404", renderer.keys.page("404", homes, path, latest),
                      [urls.output_file(path, renderer.variant)],
                      lambda r=renderer, h=homes, p=path: [not_found_page(r, h, p)])
        root = [urls.output_file(urls.root()), urls.output_file(urls.not_found())]
        run.group("root page", default_renderer(run.renderers).keys.page("root", home_links(site, None)), root,
                  lambda: root_pages(run.renderers))
