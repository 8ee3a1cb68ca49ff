"""The build: content + config + theme -> public/, redoing only what changed.

This module decides whether there is anything to do, cheaply: with nothing changed since the last
good build (every input file's size and mtime, the settings, the theme, and every output file as
written) the build stops after checking that, having loaded none of the libraries that convert or
render, so a cron job's build that finds nothing new costs little more than starting Python. A
file changed so recently that its mtime could hide a later change is judged by its bytes instead.

Otherwise sitegen/pipeline.py runs the stages: load → images → assemble → localize → produce →
write → remember, each redoing only what changed.
"""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path
from typing import ContextManager, Iterator

from sitegen.buildtypes import BuildOptions, BuildResult, Found
from sitegen.cache import BuildCache, cache_dir, content_stamps, load_cache, shard_of
from sitegen.config import SiteConfig
from sitegen.content.cached import article_files
from sitegen.convert.glossary import site_terms
from sitegen.convert.elsewhere import ConverterProcess
from sitegen.convert.opencc import Converters, check_converters, converters_wanted, phrases_file
from sitegen.digests import digest, file_digest
from sitegen.errors import Report
from sitegen.fsutil import files_under, waiting_lock
from sitegen.outputdir import check_output_dir
from sitegen.processes import meanwhile, no_cycle_collection
from sitegen.records import not_as_recorded
from sitegen.stamps import code_version, tree_state
from sitegen.static import static_files
from sitegen.staging import finish_interrupted, staging_for

def build(config: SiteConfig, output_dir: Path | None = None, *, converters: Converters | None = None,
          write_guard: ContextManager | None = None, keep_last_good: bool = False,
          cache: BuildCache | None = None, warm: object = None, save: bool = True,
          workers: int | None = None, preview: bool = False, now: datetime | None = None, search: str = "now",
          search_index: dict | None = None) -> BuildResult:
    """Build the site. `converters`: warm ones to reuse (serve); `write_guard`: held while files are
    written (serve's lock, so no reader sees half a site); `keep_last_good`: write nothing if anything
    failed, so public/ stays the last good site; `cache`: the build cache to start from (default: the
    one stored in .sitegen/build/); `warm`: the last build's site, in memory (serve: its `result.warm`);
    `save`: store the cache afterwards; for the others see `BuildOptions`.
    Raises SitegenError, touching nothing, when the output folder is one that must not be written."""
    check_output_dir(config.root, output_dir or config.output_dir)
    options = BuildOptions((output_dir or config.output_dir).resolve(), preview, now, workers, search, search_index)
    with output_lock(config, options.output_dir), no_cycle_collection():
        return _build(config, options, converters, write_guard, keep_last_good, cache, warm, save)


@contextmanager
def output_lock(config: SiteConfig, output_dir: Path) -> Iterator[Path]:
    """Hold the site's build lock (one process at a time writes, deploys or checks its output),
    and first finish what a build killed while it put its files in place left half done. Yields
    the staging folder of builds into `output_dir`."""
    say = lambda holder: print(f"waiting for another sitegen process (pid {holder}) to finish with the "  # noqa: E731
                               f"output of {config.root}", file=sys.stderr, flush=True)
    with waiting_lock(config.state_dir / "build.lock", say):
        staging = staging_for(config.state_dir, output_dir)
        finish_interrupted(output_dir, staging)
        yield staging


def _build(config: SiteConfig, options: BuildOptions, converters: Converters | None,
           write_guard: ContextManager | None, keep_last_good: bool, cache: BuildCache | None, warm: object,
           save: bool) -> BuildResult:
    """Check; then, if there is anything to do, the stages (sitegen/pipeline.py)."""
    result = BuildResult(Report(), warm=warm)
    start = time.perf_counter()
    cache = result.cache = cache if cache is not None else _stored_cache(config, result.report)
    elsewhere = _converting_elsewhere(config, cache, options.workers) if converters is None else None
    try:
        found = _check(config, options, cache, converters, elsewhere)
        result.timings["check"] = time.perf_counter() - start
        if found.nothing_to_do:
            _replay(cache, result.report)
            return result
        from sitegen.pipeline import run_stages  # the libraries that convert and render load only for work

        converters = converters or check_converters(config, elsewhere)
        return run_stages(config, options, found, result, converters, write_guard, keep_last_good, save)
    finally:
        if elsewhere is not None:
            elsewhere.stop()


CONVERT_ELSEWHERE_FROM = 1000
"""Articles, from which a build of a site built before loads the converters in a process of its
own while it checks, reads and assembles the site (see convert/elsewhere.py). Such a build mostly
converts a few new articles; in a smaller site there is too little to do meanwhile."""


def _converting_elsewhere(config: SiteConfig, cache: BuildCache, workers: int | None) -> ConverterProcess | None:
    """The converter process, not started yet, when it pays: a large site, built before, and
    another core (`workers`: the processes the build may use; default: every core)."""
    if len(cache.made_from) < CONVERT_ELSEWHERE_FROM or (workers or len(os.sched_getaffinity(0))) < 2:
        return None
    return ConverterProcess(*converters_wanted(config), phrases_file(config))


def _check(config: SiteConfig, options: BuildOptions, cache: BuildCache, converters: Converters | None,
           elsewhere: ConverterProcess | None = None) -> Found:
    """Whether anything changed since the last good build: settings, inputs, a scheduled story come
    due, or an output file not as written. Articles whose file was written again with the same bytes
    (a fetch that found nothing new, an editor's second save) count as unchanged. `elsewhere` is
    begun as soon as an article's file may have changed, so it loads while the rest is checked."""
    started_ns, now = time.time_ns(), options.now or datetime.now(timezone.utc)
    settings = _settings(config, converters)
    cache.start(settings, options.output_dir)
    # A stat of every output, on another core while content/ is listed and fingerprinted here.
    outputs_checked = meanwhile(not_as_recorded, options.output_dir, cache.pages) \
        if len(cache.pages) >= CHECK_OUTPUTS_APART_FROM else lambda: not_as_recorded(options.output_dir, cache.pages)
    listing = files_under(config.content_dir)
    articles = dict(article_files(listing))
    others = [(relative, entry) for relative, entry in listing if relative not in articles]
    inputs = _inputs_digest(config, others, settings, options, started_ns)
    stamps = content_stamps(articles, started_ns)
    if elsewhere is not None and stamps != cache.stamps:
        elsewhere.begin()
    not_as_written = outputs_checked()
    due = bool(cache.next_due) and now.timestamp() * 1e9 >= cache.next_due
    nothing_to_do = bool(inputs) and inputs == cache.inputs and not due and not not_as_written and \
        _same_articles(cache, stamps, articles)
    return Found(nothing_to_do, started_ns, now, settings, listing, inputs, stamps, not_as_written)


CHECK_OUTPUTS_APART_FROM = 5000
"""Output files, from which the check stats them in a process of its own (`processes.meanwhile`):
below, the fork costs more than the stats it would move (some 3 µs each)."""


def _same_articles(cache: BuildCache, stamps: dict[str, str], articles: dict[str, os.DirEntry]) -> bool:
    """Every article file holds what the last good build read: by size and mtime, or, for a file
    written since (or too recently to trust its mtime), by its bytes. Reads only the cache shards
    whose files changed, and only the changed files."""
    changed = {shard for shard in stamps.keys() | cache.stamps.keys() if stamps.get(shard) != cache.stamps.get(shard)}
    if not changed:
        return True
    known = cache.peek_files(changed)
    if known is None or set(known) != {path for path in articles if shard_of(path) in changed}:
        return False  # a shard unreadable, or an article added or removed
    for path, cached in known.items():
        stat = articles[path].stat()
        if (cached.size, cached.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
            continue
        try:
            data = Path(articles[path].path).read_bytes()
        except OSError:
            return False
        if file_digest(path, data) != cached.digest:
            return False
    return True


def _settings(config: SiteConfig, converters: Converters | None) -> str:
    """Fingerprint of the code, libraries, config and glossary: converted forms hold only under it."""
    terms = converters.terms if converters else site_terms(config.root, config.glossary.presets)
    return digest(code_version(), _without_rights(config), terms)


def _without_rights(config: SiteConfig) -> SiteConfig:
    """The config but for how much each source republishes: that is part of each article's key
    (pipeline.py), so a change re-renders that source's pages, not the whole site."""
    return replace(config, sources=tuple(replace(s, republish="full", summary_length=0) for s in config.sources))


def _stored_cache(config: SiteConfig, report: Report) -> BuildCache:
    cache = load_cache(cache_dir(config.state_dir))
    if cache.problem:
        report.warning("build cache", f"{cache.problem}; building everything")
    return cache


def _inputs_digest(config: SiteConfig, others: list[tuple[str, os.DirEntry]], settings: str,
                   options: BuildOptions, started_ns: int) -> str:
    """Every input of a build but the articles' files (`_same_articles` sees to those; `others`: the
    rest of content/): each file by size and mtime, or by its bytes when it changed too recently to trust its mtime. (A template may
    include any file by name, hidden ones too; static files as they are copied, dotfiles among them;
    content files only when not hidden.)"""
    files = tree_state([("content", others), ("static", static_files(config.static_dir)),
                        ("templates", files_under(config.templates_dir, hidden=True))], started_ns)
    made_index = sorted((variant, key) for variant, (key, _) in (options.search_index or {}).items())
    rights = [(source.republish, source.summary_length) for source in config.sources]  # see _without_rights
    health = _health_stamp(config.state_dir) if config.health.status_page else None  # a fetch may change only it
    return digest(settings, rights, health, str(options.output_dir), options.preview, options.search, made_index,
                  files)


def _health_stamp(state_dir: Path) -> tuple[int, int] | None:
    from sitegen.health import health_stamp  # only for a site with a status page: its import costs 10 ms

    return health_stamp(state_dir)


def _replay(cache: BuildCache, report: Report) -> None:
    """Nothing to do: say so as a full build would have."""
    warnings, articles = cache.last_report
    report.problems.extend(warnings)
    report.count("articles", articles)
    report.count("pages rendered", 0)
    report.count("files written", 0)
    report.count("unchanged", len(cache.pages))
    report.count("removed", 0)


def check_site(config: SiteConfig, now: datetime | None = None) -> Report:
    """What `sitegen check` says: every article read and checked as the build would (sources
    credited, ids unique), which are drafts or scheduled, and templates the theme does not know;
    nothing is written."""
    from sitegen.content.store import load_content
    from sitegen.convert.opencc import check_converters
    from sitegen.pipeline import on_the_site
    from sitegen.theme_check import unknown_templates

    check_converters(config)
    report = Report()
    content = load_content(config.content_dir, report, sources=frozenset(s.id for s in config.sources))
    on_the_site(content, now or datetime.now(timezone.utc), False, report)
    report.problems.extend(unknown_templates(config.templates_dir))
    report.count("articles", len(content.articles))
    return report
