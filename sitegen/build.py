"""The build recipe: content + config + theme -> public/, redoing only what changed.

With nothing changed since the last good build (every input file's size and mtime, the
settings, the theme, and every output file as written), the build stops after checking that.
Otherwise articles come from the build cache unless their file changed, converted forms are
reused by key, and only outputs whose key changed are made (see outputs/produce.py).

The stages, each a module of its own: load (content/store.py) → images (images/catalog.py) →
assemble (site/assemble.py) → localize (convert/localize.py, through each variant's renderer) →
produce (outputs/, one producer per kind of output) → write (write.py) → remember (cache.py).
"""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from functools import partial
from pathlib import Path
from typing import Callable, ContextManager, Iterator

from sitegen.cache import BuildCache, cache_dir, code_version, load_cache, load_shards, save_cache, tree_state
from sitegen.config import SiteConfig
from sitegen.content.schedule import DRAFT, SCHEDULED, Schedule, schedule
from sitegen.content.store import Content, load_content
from sitegen.convert.glossary import site_terms
from sitegen.convert.opencc import Converters, UnknownConverterError
from sitegen.convert.rights import rights_key
from sitegen.digests import digest
from sitegen.errors import ConfigError, Problem, Report
from sitegen.fsutil import files_under, waiting_lock
from sitegen.health import health_stamp
from sitegen.images.catalog import ImageCatalog, prepare_images
from sitegen.model import Article
from sitegen.outputs.feeds import feed_articles
from sitegen.outputs.kinds import producers
from sitegen.outputs.produce import Changes, Run, produce
from sitegen.processes import no_cycle_collection
from sitegen.render.keys import RenderMemory
from sitegen.render.pages import make_renderers
from sitegen.render.templates import THEME_DIR, new_environment
from sitegen.render.variant import VariantRenderer
from sitegen.site.assemble import Site, assemble
from sitegen.static import favicon_path, static_files
from sitegen.theme_check import unknown_templates
from sitegen.write import (OutputWriter, WriteResult, check_output_dir, finish_interrupted, on_disk_as_recorded,
                           staging_for)


@dataclass
class BuildResult:
    report: Report
    timings: dict[str, float] = field(default_factory=dict)
    cache: BuildCache = field(default_factory=BuildCache)
    """The cache as this build left it (serve keeps it for the next build)."""
    warm: WarmSite | None = None
    """The site as this build assembled it (serve keeps it for the next build)."""
    search_jobs: Callable[[], list] = lambda: []
    """Search indexes left to make in the background (`search="later"`; outputs/search.py), worked out
    when called."""


@dataclass(frozen=True)
class BuildOptions:
    """How to build, besides the site's own config."""

    output_dir: Path
    """Where the pages go (the site's public/ unless told otherwise), resolved."""
    preview: bool = False
    """Show drafts and scheduled articles, marked (serve)."""
    now: datetime | None = None
    """What counts as now for scheduled articles (default: the clock)."""
    workers: int | None = None
    """Processes for pages (default: every core)."""
    search: str = "now"
    """An out-of-date search index is made `now`, or `later` (serve: see outputs/search.py)."""
    search_index: dict | None = None
    """Search indexes made in the background, to write if the pages are still those indexed."""


def build(config: SiteConfig, output_dir: Path | None = None, *, converters: Converters | None = None,
          write_guard: ContextManager | None = None, keep_last_good: bool = False,
          cache: BuildCache | None = None, warm: WarmSite | None = None, save: bool = True,
          workers: int | None = None, preview: bool = False, now: datetime | None = None, search: str = "now",
          search_index: dict | None = None) -> BuildResult:
    """Build the site. `converters`: warm ones to reuse (serve); `write_guard`: held while files are
    written (serve's lock, so no reader sees half a site); `keep_last_good`: write nothing if anything
    failed, so public/ stays the last good site; `cache`: the build cache to start from (default: the
    one stored in .sitegen/build/); `warm`: the last build's site, in memory (serve); `save`: store the
    cache afterwards; for the others see `BuildOptions`.
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
           write_guard: ContextManager | None, keep_last_good: bool, cache: BuildCache | None, warm: WarmSite | None,
           save: bool) -> BuildResult:
    """The recipe: check → load → assemble → localize → produce → write → remember."""
    started_ns, now = time.time_ns(), options.now or datetime.now(timezone.utc)
    result = BuildResult(Report(), warm=warm)
    report, timed = result.report, partial(_timed, result.timings)
    with timed("check"):
        cache = result.cache = cache if cache is not None else _stored_cache(config, report)
        settings, listing = _settings(config, converters), files_under(config.content_dir)
        inputs = _inputs_digest(config, listing, settings, options, started_ns)
        cache.start(settings, options.output_dir)
        if _nothing_to_do(cache, inputs, options, now):
            _replay(cache, report)
            return result
    converters = converters or check_converters(config)
    with timed("load"):
        cache = result.cache = _with_shards(cache, report)
        converters.names.start(cache.names)
        content = load_content(config.content_dir, report, cache=cache, started_ns=started_ns,
                               workers=options.workers, listing=listing, sources=frozenset(s.id for s in config.sources))
        plan = _on_the_site(content, now, options.preview, report)
        _with_rights(content, config)
    with timed("images"):
        images = _with_images(content, config, options.workers, report)
    with timed("assemble"):
        fingerprint = digest(settings, _theme_digest(config), favicon_path(config.static_dir))
        report.problems.extend(unknown_templates(config.templates_dir))
        result.warm = _assembled(config, content, plan, cache, converters, fingerprint, result.warm)
    with timed("localize"):
        renderers = _localizers(result.warm, content, cache, images)
    writer = OutputWriter(options.output_dir, report, cache.pages, buffered=keep_last_good,
                          staging=staging_for(config.state_dir, options.output_dir))
    changes = Changes(frozenset(p for p, key in content.keys.items() if cache.made_from.get(p) != key)) \
        if result.warm.shape == cache.shape else None
    run = Run(renderers, writer, workers=options.workers, changes=changes, search=options.search,
              search_index=options.search_index)
    produce(producers(), run, timed)
    result.search_jobs = run.search_jobs
    run.collect.report_to(report)
    report.count("articles", len(content.articles))
    report.count("pages rendered", run.made)
    if keep_last_good and report.failed:
        writer.discard()
        return result
    with timed("write"):
        written = writer.finish(write_guard)
    if writer.unwritable:
        return result  # nothing was put in place; the stored cache still describes the folder
    _say_written(written, options.output_dir, bool(writer.old_records), report)
    with timed("remember"):
        _remember(cache, renderers, writer, result.warm.shape, inputs, report)
        cache.names = converters.names.kept()
        cache.next_due, cache.preview = plan.next_due, options.preview
        if save:
            _save(config, cache, report)
    return result


def _settings(config: SiteConfig, converters: Converters | None) -> str:
    """Fingerprint of the code, libraries, config and glossary: converted forms hold only under it."""
    terms = converters.terms if converters else site_terms(config.root, config.glossary.presets)
    return digest(code_version(), _without_rights(config), terms)


def _without_rights(config: SiteConfig) -> SiteConfig:
    """The config but for how much each source republishes: that is part of each article's key
    (`_with_rights`), so a change re-renders that source's pages, not the whole site."""
    return replace(config, sources=tuple(replace(s, republish="full", summary_length=0) for s in config.sources))


def _with_rights(content: Content, config: SiteConfig) -> None:
    """Each fetched article's key takes in how much its source republishes (see `_without_rights`)."""
    for article in content.articles:
        source = config.source(article.source)
        if source is not None and article.path in content.keys:
            content.keys[article.path] = digest(content.keys[article.path], rights_key(source))


def _with_images(content: Content, config: SiteConfig, workers: int | None, report: Report) -> ImageCatalog:
    """The lead pictures' sizes and renditions (made once, kept in .sitegen/images/). Each article's
    key takes in its picture's facts: a picture replaced under the same name makes its pages anew."""
    leads = [article.image.url for article in content.articles if article.image]
    catalog = prepare_images(leads, (config.static_dir, THEME_DIR / "static"), config.state_dir / "images", report,
                             workers)
    for article in content.articles:
        facts = catalog.of(article.image.url) if article.image else None
        if facts is not None and article.path in content.keys:
            content.keys[article.path] = digest(content.keys[article.path], facts)
    return catalog


def _nothing_to_do(cache: BuildCache, inputs: str, options: BuildOptions, now: datetime) -> bool:
    """Every input as the last good build found it, no scheduled story due, every output as written."""
    due = bool(cache.next_due) and now.timestamp() * 1e9 >= cache.next_due
    return bool(inputs) and inputs == cache.inputs and not due and \
        all(on_disk_as_recorded(options.output_dir, path, record) for path, record in cache.pages.items())


def _save(config: SiteConfig, cache: BuildCache, report: Report) -> None:
    try:
        save_cache(cache_dir(config.state_dir), cache)
    except OSError as exc:  # the site is built; only the next build is slower
        report.warning("build cache", f"not stored ({exc}); the next build does everything again")


@dataclass(frozen=True)
class WarmSite:
    """What serve keeps between builds, in memory: the assembled site and its renderers, reused
    while the same articles (apart from their bodies) are assembled under the same settings,
    theme and converters, so what they remember stays good. Never stored."""

    signature: str
    """A digest of the settings, theme and converters' terms, and which stories wait (preview)."""
    heads: tuple[Article, ...]
    """The articles, without their bodies."""
    site: Site
    renderers: list[VariantRenderer]
    shape: str


def _on_the_site(content: Content, now: datetime, preview: bool, report: Report) -> Schedule:
    """Leave drafts and future articles out of `content` (a preview keeps them, keyed apart so that
    nothing made of them marked is taken for the published page), and say which wait."""
    plan = schedule(content.articles, now, preview)
    for article in content.articles:
        if article.withdrawn:  # keyed apart: outputs/withdrawn.py makes its notices
            del content.keys[article.path]
            report.note(f"content/{article.path}", f"withdrawn ({article.withdrawn.date.date()}): its pages say so; "
                                                   "it is in no list, feed, sitemap or search index")
    content.articles = plan.articles
    for path, status in plan.waiting.items():
        if preview:
            content.keys[path] = digest(content.keys[path], status)
        else:
            del content.keys[path]
        report.note(f"content/{path}", WAITING[status] + (" (shown, marked, in this preview)" if preview else ""))
    return plan


WAITING = {DRAFT: "draft: not published (sitegen serve shows it)",
           SCHEDULED: "dated in the future: published by the first build after its date"}


def _say_written(written: WriteResult, output_dir: Path, had_records: bool, report: Report) -> None:
    report.count("files written", written.written)
    report.count("unchanged", written.unchanged)
    report.count("removed", written.removed)
    if not written.left:
        return
    if had_records:
        report.warning(str(output_dir), f"{written.left} file(s) no longer made were left: they changed since "
                                        "sitegen wrote them")
    else:
        report.note(str(output_dir), f"{written.left} file(s) here were not written by this build and were left "
                                     "as they are (sitegen removes only files it recorded writing)")


def _assembled(config: SiteConfig, content: Content, plan: Schedule, cache: BuildCache,
               converters: Converters, fingerprint: str, warm: WarmSite | None) -> WarmSite:
    """The site and its renderers: `warm`'s when it was assembled from the same (see WarmSite)."""
    waiting = plan.waiting
    signature, heads = digest(fingerprint, sorted(waiting.items())), (*content.articles, *plan.withdrawn)
    if warm is not None and warm.signature == signature and warm.heads == heads:
        return warm
    # 國際 and 国际 are one category: names meet in their Simplified form
    site = assemble(config, content.articles, same_name=converters.get("t2s"), slugs=cache.slugs, waiting=waiting,
                    withdrawn=plan.withdrawn)
    renderers = make_renderers(site, converters, new_environment(config.templates_dir), RenderMemory(fingerprint))
    return WarmSite(signature, heads, site, renderers, _shape(site, fingerprint))


def _localizers(warm: WarmSite, content: Content, cache: BuildCache, images: ImageCatalog) -> list[VariantRenderer]:
    """The variants' renderers, which localize each article as its pages are made (convert/localize.py),
    remembering the converted forms the cache holds for today's articles."""
    memory = warm.renderers[0].memory
    memory.images = images
    memory.keys, memory.with_body = content.keys, content.with_body
    memory.summaries, memory.shown, memory.localized = cache.summaries, cache.shown, cache.localized
    return warm.renderers


def _shape(site: Site, fingerprint: str) -> str:
    """What places every article among the others (order, dates, terms, sources), under these settings
    and theme: equal shapes, same pages showing the same articles (see render.plan.Changes)."""
    return digest(fingerprint, sorted(site.waiting.items()),
                  tuple((a.path, a.id, a.date, a.date_estimated, a.lang, a.source, a.source_name, a.categories,
                         a.tags) for a in site.articles))


def _stored_cache(config: SiteConfig, report: Report) -> BuildCache:
    cache = load_cache(cache_dir(config.state_dir))
    if cache.problem:
        report.warning("build cache", f"{cache.problem}; building everything")
    return cache


def _with_shards(cache: BuildCache, report: Report) -> BuildCache:
    """The cache with its articles and converted forms read (a damaged shard: all of it dropped)."""
    loaded = load_shards(cache)
    if loaded is not cache:
        if loaded.problem:
            report.warning("build cache", f"{loaded.problem}; building everything")
        loaded.start(cache.settings, Path(cache.output_dir))
    return loaded


def _theme_digest(config: SiteConfig) -> str:
    """The site's own templates, by content (the bundled theme is part of the code version)."""
    files = sorted(p for p in config.templates_dir.rglob("*") if p.is_file()) if config.templates_dir.is_dir() else []
    return digest(*((p.relative_to(config.templates_dir).as_posix(), p.read_bytes()) for p in files))


def _inputs_digest(config: SiteConfig, content: list, settings: str, options: BuildOptions, started_ns: int) -> str:
    """Every input of a build, by size and mtime; '' when a file changed too recently to be sure of.
    (A template may include any file by name, hidden ones too; static files as they are copied,
    dotfiles among them; content files only when not hidden.)"""
    files, settled = tree_state([("content", content), ("static", static_files(config.static_dir)),
                                 ("templates", files_under(config.templates_dir, hidden=True))], started_ns)
    made_index = sorted((variant, key) for variant, (key, _) in (options.search_index or {}).items())
    rights = [rights_key(source) for source in config.sources]
    health = health_stamp(config.state_dir) if config.health.status_page else None  # a fetch may change only it
    return digest(settings, rights, health, str(options.output_dir), options.preview, options.search, made_index,
                  files) if settled else ""


def _replay(cache: BuildCache, report: Report) -> None:
    """Nothing to do: say so as a full build would have."""
    warnings, articles = cache.last_report
    report.problems.extend(warnings)
    report.count("articles", articles)
    report.count("pages rendered", 0)
    report.count("files written", 0)
    report.count("unchanged", len(cache.pages))
    report.count("removed", 0)


def _remember(cache: BuildCache, renderers: list[VariantRenderer], writer: OutputWriter, shape: str, inputs: str,
              report: Report) -> None:
    """What the next build starts from: the records of what was written now, what they were made from,
    and converted forms of today's articles only (full texts for the feeds' only)."""
    memory = renderers[0].memory
    keys = set(memory.keys.values())
    cache.summaries = {k: v for k, v in memory.summaries.items() if k[0] in keys}
    cache.shown = {k: v for k, v in memory.shown.items() if k[0] in keys}
    carried = feed_articles(renderers[0].site)
    wanted = {(memory.key_of(a), r.variant.name) for r in renderers for a in carried}
    cache.localized = {k: v for k, v in memory.localized.items() if k in wanted}
    cache.pages, cache.shape, cache.made_from = writer.records, shape, dict(memory.keys)
    cache.inputs = "" if report.failed else inputs
    cache.last_report = (tuple(p for p in report.problems if p.level != "error"), len(memory.keys))


def check_converters(config: SiteConfig) -> Converters:
    """Build every converter the variants name, so a bad name fails before any work."""
    converters, problems = Converters(site_terms(config.root, config.glossary.presets)), []
    for variant in config.variants:
        for key in ("from_hans", "from_hant"):
            try:
                converters.get(getattr(variant, key))
            except UnknownConverterError as exc:
                problems.append(Problem(f"variants.{variant.name}.{key}", str(exc)))
    if problems:
        raise ConfigError(problems)
    return converters


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start


def check_site(config: SiteConfig, now: datetime | None = None) -> Report:
    """What `sitegen check` says: every article read and checked as the build would (sources
    credited, ids unique), which are drafts or scheduled, and templates the theme does not know;
    nothing is written."""
    check_converters(config)
    report = Report()
    content = load_content(config.content_dir, report, sources=frozenset(s.id for s in config.sources))
    _on_the_site(content, now or datetime.now(timezone.utc), False, report)
    report.problems.extend(unknown_templates(config.templates_dir))
    report.count("articles", len(content.articles))
    return report
