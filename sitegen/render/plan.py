"""Every output of the site, made only where what it is made from changed.

Each page gets a key (render/keys.py): a digest of everything it is made from. A page whose key and file
are as the last build left them is kept as it is; the others are rendered (article pages on
every core) and handed to the writer as they come.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable, Sequence

from sitegen.cache import digest
from sitegen.model import Output
from sitegen.outputs.feeds import feed_pair, feed_plans
from sitegen.outputs.sitemap import sitemap_outputs, sitemap_paths
from sitegen.render.lists import ListSpec
from sitegen.render.pages import VariantRenderer, default_renderer, home_links, root_pages
from sitegen.render.parallel import ArticleJob, ListJob, VariantJob, render_jobs
from sitegen.render.templates import PageCollector
from sitegen.write import OutputWriter


@dataclass(frozen=True)
class Changes:
    """What changed since the last build, known when the site kept its shape: the same articles in
    the same order and places (dates, terms, sources), the same settings and theme. Then a page can
    only have changed if it shows a changed article, and the others keep their record as it is."""

    articles: frozenset[str]
    """Paths of the articles whose file changed (and so, possibly, what any page shows of them)."""


@dataclass
class SiteRender:
    renderers: list[VariantRenderer]
    writer: OutputWriter
    collect: PageCollector
    workers: int | None = None
    listings: list[Output] = field(default_factory=list)
    """Every HTML page's place and sitemap entry (bytes left out), whether rendered or kept."""
    rendered: int = 0
    changes: Changes | None = None
    _jobs: list = field(default_factory=list)
    _list_changes: dict[int, set[int]] = field(default_factory=dict)

    def articles(self) -> None:
        """Article pages: their keys now, rendering (on every core) in `render`."""
        for article in self.renderers[0].site.articles:
            variants = []
            untouched = self.changes is not None and article.path not in self._showing_changes
            for index, renderer in enumerate(self.renderers):
                listing = renderer.article_listing(article)
                self.listings.append(listing)
                if untouched and self.writer.is_intact(listing.path):
                    self.writer.keep(listing.path, listing.origin)
                    continue
                key = renderer.keys.article_page(article)
                if self.writer.is_current(listing.path, key):
                    self.writer.keep(listing.path, listing.origin)
                    continue
                if not self.writer.claim(listing.path, listing.origin):
                    continue
                wanted = article in renderer.feed_articles and \
                    (renderer.memory.key_of(article), renderer.variant.name) not in renderer.memory.localized
                variants.append(VariantJob(index, renderer.surroundings(article), key, wanted))
            if variants:
                self._jobs.append(ArticleJob(self.renderers[0].memory.with_body(article), tuple(variants)))

    def lists(self) -> None:
        """List pages: their keys now, rendering in `render`."""
        for index, renderer in enumerate(self.renderers):
            where = f"{renderer.variant.name} lists"
            for number, spec in enumerate(renderer.lists.specs):
                for page in range(1, renderer.lists.page_count(spec) + 1):
                    listing = renderer.lists.listing(number, page)
                    self.listings.append(listing)
                    file = listing.path
                    if self.changes and page not in self._changed_pages(number, spec) and self.writer.is_intact(file):
                        self.writer.keep(file, where)
                        continue
                    plan = renderer.lists.plan(number, page)
                    if self.writer.is_current(file, plan.key):
                        self.writer.keep(file, where)
                    elif self.writer.claim(file, where):
                        self._jobs.append(ListJob(index, number, page, plan.key, where))

    @cached_property
    def _showing_changes(self) -> set[str]:
        """Paths of the articles whose pages show a changed article: those, and the ones linking to them."""
        site, changed = self.renderers[0].site, self.changes.articles if self.changes else frozenset()
        showing = set(changed)
        for article in site.articles:
            if article.path in changed:
                showing.update(a.path for a in site.linking_to(article))
        return showing

    def _changed_pages(self, index: int, spec: ListSpec) -> set[int]:
        """The pages of the `index`-th list holding a changed article (the same in every variant)."""
        if index not in self._list_changes:
            per_page, changed = self.renderers[0].site.config.site.paginate, self.changes.articles
            self._list_changes[index] = {i // per_page + 1 for i, a in enumerate(spec.articles) if a.path in changed}
        return self._list_changes[index]

    def render(self) -> None:
        """Every page whose key changed, in worker processes when there are many."""
        jobs, self._jobs = self._jobs, []
        for job, results in render_jobs(self.renderers, jobs, self.writer, self.workers):
            for result in results:
                if isinstance(job, ArticleJob) and result.localized is not None:
                    renderer = self.renderers[result.job.renderer]
                    renderer.memory.localized[renderer.memory.key_of(job.article), renderer.variant.name] = \
                        result.localized
                if result.problem:
                    self._failed(job.where if isinstance(job, ListJob) else f"content/{job.article.path}",
                                 result.problem)
                    continue
                self.rendered += 1
                if result.stored:
                    self.writer.account(result.stored)
                else:
                    self.writer.put_claimed(result.output, result.job.key)

    def _failed(self, where: str, problem: str) -> None:
        """A page not made: its old file stays (it was claimed, so it is not removed)."""
        if problem.startswith("template: "):
            self.collect.failed(where, problem.removeprefix("template: "))
        else:
            self.writer.report.error(where, problem)

    def feeds(self) -> None:
        for renderer in self.renderers:
            where = f"{renderer.variant.name} feeds"
            for plan in self.collect(where, lambda r=renderer: list(feed_plans(r))):
                self.rendered += self._group(where, plan.key(renderer), plan.paths(renderer),
                                             lambda r=renderer, p=plan: feed_pair(r, p))

    def special_pages(self) -> None:
        """404 pages and the root chooser (made from the variants' homes and the settings alone)."""
        site, urls = self.renderers[0].site, self.renderers[0].site.urls
        for renderer in self.renderers:
            homes, path = home_links(site, renderer.variant), urls.not_found(renderer.variant)
            self.rendered += self._group(f"{renderer.variant.name} 404", renderer.keys.page("404", homes, path),
                                         [urls.output_file(path, renderer.variant)],
                                         lambda r=renderer, h=homes, p=path: [r.not_found_page(h, p)])
        default = default_renderer(self.renderers)
        root = [urls.output_file(urls.root()), urls.output_file(urls.not_found())]
        self.listings.append(Output(root[0], b"", "root.html", page=urls.root()))
        self.rendered += self._group("root page", default.keys.page("root", home_links(site, None)), root,
                                     lambda: root_pages(self.renderers))

    def sitemaps(self) -> None:
        """Made from the list of pages alone: kept when no page came, went or changed its date."""
        site, renderer = self.renderers[0].site, self.renderers[0]
        key = digest(renderer.memory.fingerprint, tuple((o.page, o.variant, o.lastmod) for o in self.listings))
        self._group("sitemap", key, sitemap_paths(site), lambda: sitemap_outputs(site, self.listings))

    def _group(self, where: str, key: str, paths: Sequence[str], make: Callable[[], list[Output]]) -> int:
        """Outputs made together from one key: kept together, or made again together. How many were made."""
        if all(self.writer.is_current(path, key) for path in paths):
            for path in paths:
                self.writer.keep(path, where)
            return 0
        outputs = self.collect(where, make)
        for output in outputs:
            self.writer.put(output, key)
        return len(outputs)
