"""Pages rendered on every core: one job per article (parsed once, rendered in every variant) or
list page, in worker processes (see sitegen/processes.py) that write what they render; results
come back in job order, so output never depends on timing."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterator, Sequence

from sitegen.fsutil import UnsafePathError
from sitegen.model import Article, LocalizedArticle, Output
from sitegen.processes import forked_pool, workers_for
from sitegen.content import markdown
from sitegen.render.pages import ArticleSurroundings, VariantRenderer
from sitegen.render.templates import TemplateProblem
from sitegen.write import OutputWriter, Stored

MIN_JOBS_PER_WORKER = 64
"""Below this, starting workers costs more than it saves."""
CHUNK = 16


@dataclass(frozen=True)
class VariantJob:
    renderer: int
    """Index of the variant's renderer."""
    around: ArticleSurroundings
    key: str
    keep_localized: bool
    """Send the converted article back (the feeds will want it)."""


@dataclass(frozen=True)
class ArticleJob:
    article: Article
    variants: tuple[VariantJob, ...]


@dataclass(frozen=True)
class ListJob:
    """One list page: the `number`-th page of the renderer's `index`-th list (see VariantLists.plan)."""

    renderer: int
    index: int
    number: int
    key: str
    where: str


@dataclass(frozen=True)
class VariantResult:
    job: VariantJob | ListJob
    output: Output | None
    """The page, when it is for the caller to write."""
    stored: Stored | None
    """The page as written here, when the writer writes as pages come."""
    localized: LocalizedArticle | None
    problem: str = ""
    """What kept the page from being made (a template problem) or written."""


def render_article(renderers: Sequence[VariantRenderer], job: ArticleJob,
                   writer: OutputWriter | None = None) -> tuple[VariantResult, ...]:
    """The article's pages in the variants the job names (its body parsed once)."""
    tokens = markdown.parse(renderers[job.variants[0].renderer].md, job.article.body)
    results = []
    for variant in job.variants:
        renderer = renderers[variant.renderer]
        localized = renderer.localize(job.article, tokens)
        page = lambda: renderer.article_page(job.article, variant.around, localized)  # noqa: E731
        results.append(_made(variant, variant.key, page, writer, localized if variant.keep_localized else None))
    return tuple(results)


def render_list(renderers: Sequence[VariantRenderer], job: ListJob,
                writer: OutputWriter | None = None) -> tuple[VariantResult, ...]:
    renderer = renderers[job.renderer]
    plan = renderer.lists.plan(job.index, job.number)
    return (_made(job, job.key, lambda: renderer.render("list.html", plan.make(), plan.path), writer),)


def _made(job: VariantJob | ListJob, key: str, make: Callable[[], Output], writer: OutputWriter | None,
          localized: LocalizedArticle | None = None) -> VariantResult:
    """The page `make` makes, written at once if `writer` writes as pages come (so a worker writes
    its own pages: no page travels between processes), or what kept it from being made."""
    try:
        output = make()
        if writer is None or writer.buffered:
            return VariantResult(job, output, None, localized)
        return VariantResult(job, None, writer.store(output, key), localized)
    except TemplateProblem as exc:
        return VariantResult(job, None, None, None, f"template: {exc}")
    except UnsafePathError as exc:
        return VariantResult(job, None, None, None, str(exc))


Job = ArticleJob | ListJob


def _run(renderers: Sequence[VariantRenderer], job: Job, writer: OutputWriter | None) -> tuple[VariantResult, ...]:
    if isinstance(job, ArticleJob):
        return render_article(renderers, job, writer)
    return render_list(renderers, job, writer)


def render_jobs(renderers: Sequence[VariantRenderer], jobs: Sequence[Job], writer: OutputWriter,
                workers: int | None = None) -> Iterator[tuple[Job, tuple[VariantResult, ...]]]:
    """Each job with its results, in job order. `workers`: processes to use (default: every core)."""
    workers = workers_for(len(jobs), MIN_JOBS_PER_WORKER, workers)
    if workers < 2 or writer.buffered:
        for job in jobs:
            yield job, _run(renderers, job, writer)
        return
    with forked_pool(workers, _start_worker, (renderers, writer)) as pool:
        yield from zip(jobs, pool.imap(_work, jobs, chunksize=CHUNK))


_worker: list[tuple[Sequence[VariantRenderer], OutputWriter]] = []
"""In a worker process only: its renderers and writer, inherited from the build when it was forked."""


def _start_worker(renderers: Sequence[VariantRenderer], writer: OutputWriter) -> None:
    _worker.append((renderers, writer))


def _work(job: Job) -> tuple[VariantResult, ...]:
    renderers, writer = _worker[0]
    return _run(renderers, job, writer)
