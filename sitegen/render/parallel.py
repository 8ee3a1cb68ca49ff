"""Article pages rendered on every core: one job per article (parse once, every variant), in
worker processes forked from the build, results in job order so output never depends on timing.

Forking is what makes this cheap: the workers start with the site, the warm converters and the
templates already in memory. A process with other threads running (the preview server) is never
forked (a thread's held lock would stay held in the child): it renders in-process instead.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from dataclasses import dataclass
from typing import Iterator, Sequence

from sitegen.model import Article, LocalizedArticle, Output
from sitegen.render import markdown
from sitegen.render.pages import ArticleSurroundings, VariantRenderer
from sitegen.render.templates import TemplateProblem
from sitegen.fsutil import UnsafePathError
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
class VariantResult:
    job: VariantJob
    output: Output | None
    """The page, when it is for the caller to write."""
    stored: Stored | None
    """The page as written here, when the writer writes as pages come."""
    localized: LocalizedArticle | None
    problem: str = ""
    """What kept the page from being made (a template problem) or written."""


def render_article(renderers: Sequence[VariantRenderer], job: ArticleJob,
                   writer: OutputWriter | None = None) -> tuple[VariantResult, ...]:
    """The article's pages in the variants the job names, written at once if `writer` writes as pages
    come (so a worker writes its own pages: no page travels between processes). The same function
    in-process or in a worker."""
    renderer = renderers[job.variants[0].renderer]
    tokens = markdown.parse(renderer.md, job.article.body)
    results = []
    for variant in job.variants:
        renderer = renderers[variant.renderer]
        localized = renderer.localize(job.article, tokens)
        kept = localized if variant.keep_localized else None
        try:
            output = renderer.article_page(job.article, variant.around, localized)
            if writer is None or writer.buffered:
                results.append(VariantResult(variant, output, None, kept))
            else:
                results.append(VariantResult(variant, None, writer.store(output, variant.key), kept))
        except TemplateProblem as exc:
            results.append(VariantResult(variant, None, None, None, f"template: {exc}"))
        except UnsafePathError as exc:
            results.append(VariantResult(variant, None, None, None, str(exc)))
    return tuple(results)


def render_articles(renderers: Sequence[VariantRenderer], jobs: Sequence[ArticleJob], writer: OutputWriter,
                    workers: int | None = None) -> Iterator[tuple[ArticleJob, tuple[VariantResult, ...]]]:
    """Each job with its results, in job order. `workers`: processes to use (default: every core)."""
    workers = workers or len(os.sched_getaffinity(0))
    workers = min(workers, len(jobs) // MIN_JOBS_PER_WORKER)
    if workers < 2 or writer.buffered or threading.active_count() > 1:
        for job in jobs:
            yield job, render_article(renderers, job, writer)
        return
    context = multiprocessing.get_context("fork")
    with context.Pool(workers, _start_worker, (renderers, writer)) as pool:
        yield from zip(jobs, pool.imap(_work, jobs, chunksize=CHUNK))


_worker: list[tuple[Sequence[VariantRenderer], OutputWriter]] = []
"""In a worker process only: its renderers and writer, inherited from the build when it was forked."""


def _start_worker(renderers: Sequence[VariantRenderer], writer: OutputWriter) -> None:
    _worker.append((renderers, writer))


def _work(job: ArticleJob) -> tuple[VariantResult, ...]:
    renderers, writer = _worker[0]
    return render_article(renderers, job, writer)
