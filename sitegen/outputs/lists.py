"""List pages of every variant (home, each term's, each archive's): what they are, their places,
their keys and their contexts, each worked out only when asked for (a small rebuild asks for few)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from itertools import compress, count
from typing import Callable, Iterable, Sequence

from sitegen.config import VariantConfig
from sitegen.digests import digest
from sitegen.model import Article, Link, Output
from sitegen.outputs.produce import Made, Producer, Run
from sitegen.render.context import HomePage, ListPage
from sitegen.render.pages import home_page, list_page
from sitegen.render.variant import VariantRenderer
from sitegen.site.front import front_page
from sitegen.site.pagination import FIRST, newer_page, older_page, page_numbers, page_of, stories_on
from sitegen.site.taxonomy import TaxonomyTerm


@dataclass(frozen=True)
class ListSpec:
    """One paginated list: the home page's, a term's or an archive's."""

    kind: str
    heading: str
    articles: Sequence[Article]
    path_for: Callable[[VariantConfig, int], str]
    """The path of page n in a variant."""
    feeds: tuple[Link, ...] = ()
    archives: bool = False
    """Whether its pages link to every archive."""


@dataclass(frozen=True)
class ListPlan:
    """A list page before it is made: its path, its key, and how to make its context."""

    path: str
    key: str
    make: Callable[[], ListPage | HomePage]
    template: str = "list.html"
    """home.html for the front page (the first page of the home list)."""


@dataclass(frozen=True)
class ListJob:
    """One list page: the `number`-th page of the renderer's `index`-th list (see VariantLists.plan)."""

    renderer: int
    index: int
    number: int
    key: str
    """LATER when the worker works it out (produce.Run.keep_or_claim)."""
    where: str


class ListPages(Producer):
    name = "lists"

    def __init__(self) -> None:
        self._changed: dict[int, set[int]] = {}
        """The pages of each list holding a changed article, by the list's index (the same in every variant)."""

    def plan(self, run: Run) -> list[ListJob]:
        jobs, changed_ids = [], _changed_ids(run)
        for index, renderer in enumerate(run.renderers):
            where, lists = f"{renderer.variant.name} lists", variant_lists(renderer)
            for number, spec in enumerate(lists.specs):
                changed = self._changed_pages(run, number, spec, changed_ids) if changed_ids is not None else None
                name = list_place(renderer, number)
                # Same shape: the pages showing no changed story stay where they are (places hold
                # a list's pages in page_numbers' order, from FIRST: a page's number is its position).
                if changed is not None and run.kept_in_place(name, where, but=changed):
                    for page in sorted(changed):  # the pages showing a changed story are planned
                        listing = lists.listing(number, page)
                        _printed(run, lists, number, page, listing.path)
                        key = run.keep_or_claim(listing.path, where, lambda n=number, p=page: lists.plan(n, p).key)
                        if key is not None:
                            jobs.append(ListJob(index, number, page, key, where))
                    continue
                paths = []
                for page in lists.page_numbers(spec):
                    listing = lists.listing(number, page)
                    paths.append(listing.path)
                    if changed is not None:  # same shape: only a page showing a changed article may change
                        unchanged = page not in changed
                        if not unchanged:
                            _printed(run, lists, number, page, listing.path)
                    else:  # the site changed shape: a page made from what it was made from is kept
                        unchanged = _printed(run, lists, number, page, listing.path) == \
                            renderer.memory.list_prints.get(listing.path) and _template(spec, page) == "list.html"
                    key = run.keep_or_claim(listing.path, where, lambda n=number, p=page: lists.plan(n, p).key,
                                            unchanged=unchanged)
                    if key is not None:
                        jobs.append(ListJob(index, number, page, key, where))
                run.places[name] = tuple(paths)
        return jobs

    def work(self, run: Run, job: ListJob) -> tuple[Made, ...]:
        renderer = run.renderers[job.renderer]
        plan = variant_lists(renderer).plan(job.index, job.number)
        return (run.make(job.key or plan.key, lambda: renderer.render(plan.template, plan.make(), plan.path)),)

    def take(self, run: Run, job: ListJob, made: tuple[Made, ...]) -> None:
        run.take(job.where, made[0])

    def _changed_pages(self, run: Run, index: int, spec: ListSpec, changed_ids: frozenset[int]) -> set[int]:
        """The pages of the list holding a changed article (see `_changed_ids`)."""
        if index not in self._changed:
            per_page, stories = run.site.config.site.paginate, len(spec.articles)
            if changed_ids.isdisjoint(map(id, spec.articles)):  # most lists: told in one C call
                found: Iterable[int] = ()
            else:
                found = compress(count(), map(changed_ids.__contains__, map(id, spec.articles)))
            self._changed[index] = {page_of(i, stories, per_page) for i in found}
            if spec.kind == "home":  # the front page shows stories from beyond its page: its key decides
                self._changed[index].add(FIRST)
        return self._changed[index]


def list_place(renderer: VariantRenderer, index: int) -> str:
    """The name the files of a variant's `index`-th list go by in `Run.places` (no article's path
    holds a NUL)."""
    return f"\0{renderer.variant.name}\0{index}"


def list_listings(renderer: VariantRenderer) -> list[Output]:
    """Every list page of the variant: its place and sitemap entry, without its bytes."""
    lists = variant_lists(renderer)
    return [lists.listing(number, page) for number, spec in enumerate(lists.specs) for page in lists.page_numbers(spec)]


def _printed(run: Run, lists: VariantLists, index: int, number: int, path: str) -> str:
    """Page `number` of the `index`-th list as read (remembered in `run.list_prints` by `path`):
    what its key is made from, with each article by what its entry is made from (`ContextPrints`).
    Equal prints, equal keys (the front page, arranged from beyond its list, is never judged by one)."""
    spec = lists.specs[index]
    newer, older = lists.neighbours(spec, number)
    items = "\n".join(map(run.prints.entry, lists.page_items(spec, number)))  # type: ignore[union-attr]
    found = run.list_prints[path] = digest(lists.spec_print(index), number, newer, older, items)
    return found


def _changed_ids(run: Run) -> frozenset[int] | None:
    """The changed articles by identity, when they are known (None: every page's key decides). The
    lists hold the site's own article objects, so a list is walked for them in a loop that stays in
    C: a small rebuild of a large site walks every list for a few articles."""
    if run.changes is None:
        return None
    return frozenset(id(a) for a in run.site.articles if a.path in run.changes.articles)


def variant_lists(renderer: VariantRenderer) -> VariantLists:
    """The variant's lists (remembered while the site stays warm)."""
    remembered = renderer.remembered(ListPages.name)
    if "lists" not in remembered:
        remembered["lists"] = VariantLists(renderer)
    return remembered["lists"]


class VariantLists:
    """The list pages of one variant; what is worked out is remembered (a warm site asks again)."""

    def __init__(self, renderer: VariantRenderer):
        self.renderer = renderer
        self._plans: dict[tuple[int, int], ListPlan] = {}
        self._listings: dict[tuple[int, int], Output] = {}
        self._spec_prints: dict[int, str] = {}

    @cached_property
    def specs(self) -> list[ListSpec]:
        """Every list: home, each term, each archive."""
        r, urls = self.renderer, self.renderer.site.urls
        found = [ListSpec("home", "", r.site.articles, urls.home, archives=True)]
        for kind, terms in r.site.terms.items():
            for term in terms:
                found.append(ListSpec(kind, r.links.term_name(term), term.articles,
                                      (lambda k, s: lambda v, n: urls.term(k, s, v, n))(kind, term.slug),
                                      self._category_feeds(term) if kind == "category" else ()))
        for archive in r.site.archives:
            found.append(ListSpec("month" if archive.month else "year", _archive_name(archive.year, archive.month),
                                  archive.articles,
                                  (lambda a: lambda v, n: urls.archive(v, a.year, a.month, n))(archive),
                                  archives=True))
        return found

    def page_numbers(self, spec: ListSpec) -> range:
        return page_numbers(len(spec.articles), self.renderer.site.config.site.paginate)

    def spec_print(self, index: int) -> str:
        """What every page of the `index`-th list shows besides its own stories and links."""
        if index not in self._spec_prints:
            spec = self.specs[index]
            self._spec_prints[index] = digest(self.renderer.keys.base, spec.kind, spec.heading, spec.feeds,
                                              spec.archives and self._archive_links_key)
        return self._spec_prints[index]

    def page_items(self, spec: ListSpec, number: int) -> tuple[Article, ...]:
        return tuple(spec.articles[stories_on(number, len(spec.articles), self.renderer.site.config.site.paginate)])

    def neighbours(self, spec: ListSpec, number: int) -> tuple[str, str]:
        """The paths, in this variant, of the pages before and after page `number` of the list
        (newer, older); empty where there is none."""
        stories, per_page = len(spec.articles), self.renderer.site.config.site.paginate
        path = lambda n: "" if n is None else spec.path_for(self.renderer.variant, n)  # noqa: E731
        return path(newer_page(number, stories, per_page)), path(older_page(number, stories, per_page))

    def listing(self, index: int, number: int) -> Output:
        """Page `number` of the `index`-th list: its place and sitemap entry, without its bytes."""
        if (index, number) not in self._listings:
            r = self.renderer
            spec = self.specs[index]
            path, template = spec.path_for(r.variant, number), _template(spec, number)
            self._listings[index, number] = Output(r.site.urls.output_file(path, r.variant), b"", template,
                                                   page=path, variant=r.variant.name)
        return self._listings[index, number]

    def plan(self, index: int, number: int) -> ListPlan:
        """Page `number` of the `index`-th list, not yet made (planned here, made maybe in a worker)."""
        if (index, number) not in self._plans:
            self._plans[index, number] = self._plan(self.specs[index], number)
        return self._plans[index, number]

    def _plan(self, spec: ListSpec, number: int) -> ListPlan:
        if _template(spec, number) == "home.html":
            return self._front_plan(spec)
        r, path_for = self.renderer, spec.path_for
        items, (newer, older) = self.page_items(spec, number), self.neighbours(spec, number)
        paths = tuple(path_for(v, number) for v in r.site.config.variants)
        # Everything the page is made from: the items as they are shown, the rest as is.
        key = r.keys.page("list", spec.kind, spec.heading, number, paths, newer, older, spec.feeds,
                         tuple(r.keys.shown(a) for a in items), spec.archives and self._archive_links_key)
        path_in: Callable[[VariantConfig], str] = lambda v: path_for(v, number)  # noqa: E731
        return ListPlan(path_for(r.variant, number), key, lambda: list_page(
            r, spec.kind, spec.heading, path_in, [r.summary(a) for a in items], number, newer, older,
            spec.feeds, self.archive_links if spec.archives else ()))

    def _front_plan(self, spec: ListSpec) -> ListPlan:
        """The first page of the home list: the front page, arranged by site/front.py."""
        r, front = self.renderer, front_page(self.renderer.site)
        older = self.neighbours(spec, FIRST)[1]
        paths = tuple(spec.path_for(v, FIRST) for v in r.site.config.variants)
        shown = lambda articles: tuple(r.keys.shown(a) for a in articles)  # noqa: E731
        # Everything the page is made from: each story and section heading as it is shown, the rest as is.
        key = r.keys.page("home", paths, older, shown([front.lead] if front.lead else []), shown(front.top),
                          tuple((r.keys.term(s.category), shown(s.articles)) for s in front.sections),
                          shown(front.latest), self._archive_links_key)
        return ListPlan(spec.path_for(r.variant, FIRST), key, lambda: home_page(
            r, front, lambda v: spec.path_for(v, FIRST), older, self.archive_links), "home.html")

    @cached_property
    def archive_links(self) -> tuple[Link, ...]:
        r = self.renderer
        return tuple(Link(_archive_name(a.year, a.month), r.links.href(r.site.urls.archive(r.variant, a.year, a.month)))
                     for a in r.site.archives)

    @cached_property
    def _archive_links_key(self) -> str:
        return digest(self.archive_links)

    def _category_feeds(self, term: TaxonomyTerm) -> tuple[Link, ...]:
        return self.renderer.links.feeds(term.slug)


def _template(spec: ListSpec, number: int) -> str:
    """The first page of the home list is the front page; every other list page is a plain list."""
    return "home.html" if spec.kind == "home" and number == FIRST else "list.html"


def _archive_name(year: int, month: int | None) -> str:
    return f"{year}年" + (f"{month}月" if month else "")
