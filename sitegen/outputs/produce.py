"""Outputs as producers: every kind of output (article pages, lists, feeds, sitemaps, …) is one
`Producer`, and `produce` runs them all the same way, in three steps:

1. `plan`: each producer looks at the key of each output it would make (render/keys.py) and
   keeps the file the last build wrote when the key and the file are as they were; for pages
   that must be made it returns jobs.
2. The jobs of every producer run on every core (outputs/parallel.py); each job's pages come
   back as `Made` results, in job order, so output never depends on timing.
3. `finish`: what is made from everything before it (feeds want the articles converted, the
   sitemap every page's place), in this process.

Adding a kind of output is one module with a `Producer` and one line in outputs/kinds.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import AbstractSet, Callable, ContextManager, Iterable, Sequence

from sitegen.errors import SitegenError
from sitegen.fsutil import UnsafePathError
from sitegen.model import Output
from sitegen.outputs.parallel import on_every_core
from sitegen.render.keys import ContextPrints
from sitegen.render.templates import PageCollector, TemplateProblem
from sitegen.render.variant import VariantRenderer
from sitegen.site.assemble import Site
from sitegen.write import OutputWriteError, OutputWriter, Stored


@dataclass(frozen=True)
class Changes:
    """What changed since the last build, known when the site kept its shape: the same articles in
    the same order and places (dates, terms, sources), the same settings and theme. Then a page can
    only have changed if it shows a changed article, and the others keep their record as it is."""

    articles: frozenset[str]
    """Paths of the articles whose file changed (and so, possibly, what any page shows of them)."""


LATER = ""
"""The key of an output to be made, when it is worked out where the output is made (`keep_or_claim`)."""


@dataclass(frozen=True)
class Made:
    """One output a job made (or failed to make)."""

    key: str
    output: Output | None = None
    """The output, when it is for the caller to write."""
    stored: Stored | None = None
    """The output as written by the worker, when the writer writes as pages come."""
    problem: SitegenError | None = None
    """What kept it from being made (a TemplateProblem) or written (an UnsafePathError, an
    OutputWriteError)."""
    extra: object = None
    """What the producer sends back besides the output (an article page: its converted article)."""


@dataclass
class Run:
    """One build's production: the variants' renderers, the writer, and what was made."""

    renderers: list[VariantRenderer]
    writer: OutputWriter
    collect: PageCollector = field(default_factory=PageCollector)
    workers: int | None = None
    """Processes for pages (default: every core)."""
    changes: Changes | None = None
    contexts: dict[str, str] = field(default_factory=dict)
    """Article pages' context prints worked out by this build (outputs/articles.py), by article path."""
    prints: ContextPrints | None = None
    """What pages are made from, as read (set by the article pages' plan, used by the lists' too)."""
    list_prints: dict[str, str] = field(default_factory=dict)
    """List pages' prints worked out by this build (outputs/lists.py), by output path."""
    places: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Every article page's files, one per variant, by article path (outputs/articles.py), and every
    list's pages' (outputs/lists.py: `list_place`)."""
    listings: list[Output] = field(default_factory=list)
    """The place and sitemap entry (bytes left out) of every HTML page but the article and list
    pages (outputs/articles.py: `article_listings`, outputs/lists.py: `list_listings`), whether made or kept."""
    made: int = 0
    search: str = "now"
    """When a search index that is out of date is made: `now`, or `later` (serve: the last index
    stays, and what is out of date is left in `search_jobs` for the background)."""
    search_index: dict | None = None
    """Indexes made in the background, by variant: (key, outputs) (see outputs/search.py)."""
    search_jobs: Callable[[], list] = lambda: []
    """The indexes left to make (`later`): outputs/search.py's SearchJobs, worked out when called
    (after the pages are written: it reads the key of every article page)."""

    @property
    def site(self) -> Site:
        return self.renderers[0].site

    def keep_or_claim(self, path: str, where: str, key: Callable[[], str], unchanged: bool = False) -> str | None:
        """The key of the output at `path` when it must be made (it is then claimed), or None when
        its file is kept (`unchanged`: the producer knows nothing it shows changed, so an intact
        file is enough; else its key must be as recorded) or another output claimed the path.
        `key` is asked for only when needed: working it out is most of the cost of a small build.
        LATER when nothing is recorded at `path`: the output is made whatever its key, so the key
        is worked out where it is made (a cold build's keys, then, on every core)."""
        if unchanged and self.writer.keep_if_intact(path, where):
            return None
        if not self.writer.recorded(path):
            return LATER if self.writer.claim(path, where) else None
        found = key()
        if self.writer.is_current(path, found):
            self.writer.keep(path, where)
            return None
        return found if self.writer.claim(path, where) else None

    def kept_in_place(self, name: str, origin: str, but: AbstractSet[int] = frozenset()) -> bool:
        """Whether the files of `name` (an article's pages, or a list's: see `places`) were kept
        where the last build put them, without being placed again: only while the site keeps its
        shape (then its pages are the ones the last build made), and only if every one is intact.
        The producer asks this only of pages that show no change, or says which do (`but`: their
        positions among the place's files, a list's page numbers): those it plans itself."""
        place = self.renderers[0].memory.places.get(name) if self.changes is not None else None
        if place is None or any(position >= len(place) for position in but):
            return False
        kept = tuple(path for position, path in enumerate(place) if position not in but) if but else place
        if not self.writer.keep_all_if_intact(kept, origin):
            return False
        self.places[name] = place
        return True

    def keep_in_place(self, names: list[str], origin: str) -> set[str]:
        """`kept_in_place` for each of `names`, at once; the names whose files were not kept."""
        if self.changes is None:
            return set(names)
        places = self.renderers[0].memory.places
        left = self.writer.keep_each_if_intact(places, names, origin)
        self.places.update(zip(names, map(places.get, names)))  # most are kept: the others then go
        for name in left:
            self.places.pop(name, None)
        return left

    def make(self, key: str, make: Callable[[], Output], extra: object = None) -> Made:
        """The output `make` makes, written at once if the writer writes as pages come (so a worker
        writes its own pages: no page travels between processes), or what kept it from being made."""
        try:
            output = make()
            if self.writer.buffered:
                return Made(key, output=output, extra=extra)
            return Made(key, stored=self.writer.store(output, key), extra=extra)
        except (TemplateProblem, UnsafePathError, OutputWriteError) as exc:
            return Made(key, problem=exc)

    def take(self, where: str, made: Made) -> None:
        """A job's output: written (or, if the worker wrote it, accounted for), or its problem said.
        A page not made keeps its old file (it was claimed, so it is not removed)."""
        if made.problem is not None:
            if isinstance(made.problem, TemplateProblem):
                self.collect.failed(where, str(made.problem))
            elif isinstance(made.problem, OutputWriteError):
                self.writer.unwritable_file(where, made.problem)
            else:
                self.writer.report.error(where, str(made.problem))
            return
        self.made += 1
        if made.stored:
            self.writer.account(made.stored)
        elif made.output is not None:
            self.writer.put_claimed(made.output, made.key)

    def group(self, where: str, key: str, paths: Sequence[str], make: Callable[[], list[Output]],
              pages: bool = True) -> None:
        """Outputs made together from one key: kept together, or made again together. `pages`:
        count them among the pages made."""
        if all(self.writer.is_current(path, key) for path in paths):
            for path in paths:
                self.writer.keep(path, where)
            return
        outputs = self.collect(where, make)
        for output in outputs:
            self.writer.put(output, key)
        self.made += len(outputs) if pages else 0


class Producer:
    """One kind of output. A producer overrides what it needs: `plan` (and then `work` and `take`)
    for outputs made on every core, `finish` for outputs made afterwards in this process."""

    name = "outputs"
    """What -v timings and messages call it."""

    def plan(self, run: Run) -> Iterable[object]:
        """Keep what is current; return a job for each thing to make (they go to worker processes)."""
        return ()

    def work(self, run: Run, job: object) -> tuple[Made, ...]:
        """Make one job's outputs (in a worker process, which writes them if the writer writes
        as pages come)."""
        raise NotImplementedError

    def take(self, run: Run, job: object, made: tuple[Made, ...]) -> None:
        """A job's results, back in this process."""
        raise NotImplementedError

    def finish(self, run: Run) -> None:
        """Make what is made after every job's pages."""


def produce(producers: Sequence[Producer], run: Run, timed: Callable[[str], ContextManager]) -> None:
    """Run every producer (see the module's docstring); `timed(stage)` times each step."""
    jobs: list[tuple[int, object]] = []
    with timed("plan"):
        for index, producer in enumerate(producers):
            jobs += [(index, job) for job in producer.plan(run)]
    with timed("render"):
        work = lambda item: producers[item[0]].work(run, item[1])  # noqa: E731
        for (index, job), made in on_every_core(work, jobs, run.workers, here=run.writer.buffered):
            producers[index].take(run, job, made)
    for producer in producers:
        if type(producer).finish is not Producer.finish:
            with timed(producer.name):
                producer.finish(run)
