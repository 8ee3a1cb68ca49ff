"""List entries made once, on every core, before the pages that show them.

Each story stands in several lists of each variant (home, its category, tags and source, its
year and month) and beside its neighbours on their pages, as its entry (VariantRenderer.entry:
title, summary and source name converted, the date written out). Left to the page workers, every
worker made nearly every entry for itself, as the lists it drew showed nearly every story. A
build that makes many pages makes the entries first, each once, on every core, and the page
workers start with all of them."""

from __future__ import annotations

from sitegen.model import Article
from sitegen.outputs.parallel import on_every_core
from sitegen.render.context import ArticleSummary
from sitegen.render.variant import VariantRenderer

MIN_JOBS = 256
"""Below this many page jobs, the page workers make the few entries they show."""
CHUNK = 64


def entries_first(renderers: list[VariantRenderer], jobs: int, pages: int,
                  workers: int | None = None) -> list[tuple[str, str]]:
    """Every entry the site's stories lack in any variant, made before `jobs` page jobs are done,
    when they make most of the site's `pages` (a first build, a new theme; an article's job makes
    its page in every variant): a build that makes fewer shows fewer stories than the site holds,
    and its workers make the entries they show. `workers`: processes to use (default: every
    core). Returns the keys of the entries made, for `forget_entries`."""
    if jobs < max(MIN_JOBS, pages // 2):
        return []
    memory, made = renderers[0].memory, []
    wanted = [(n, article) for article in renderers[0].site.articles for n, renderer in enumerate(renderers)
              if (memory.key_of(article), renderer.variant.name) not in memory.summaries]
    chunks = [wanted[at:at + CHUNK] for at in range(0, len(wanted), CHUNK)]
    for chunk, entries in on_every_core(lambda chunk: _entries(renderers, chunk), chunks, workers):
        for (n, article), entry in zip(chunk, entries):
            made.append((memory.key_of(article), renderers[n].variant.name))
            memory.summaries[made[-1]] = entry
    return made


def forget_entries(renderers: list[VariantRenderer], made: list[tuple[str, str]]) -> None:
    """The entries `entries_first` made, dropped once the pages are made: they are held only while
    the page workers start (60 MB at 20,000 articles, the build's peak otherwise), and not kept in
    the build cache, as a small rebuild reads its cache faster than it makes the few entries it needs."""
    summaries = renderers[0].memory.summaries
    for key in made:
        summaries.pop(key, None)


def _entries(renderers: list[VariantRenderer], chunk: list[tuple[int, Article]]) -> list[ArticleSummary]:
    return [renderers[n].entry(article) for n, article in chunk]
