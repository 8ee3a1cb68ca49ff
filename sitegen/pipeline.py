"""The build's stages, run when the check (sitegen/build.py) found something to do: load
(content/store.py) → images (images/catalog.py) → assemble (site/assemble.py) → localize
(convert/localize.py, through each variant's renderer) → produce (outputs/, one producer per kind
of output) → write (write.py) → remember (cache.py).

Articles come from the build cache unless their file changed, converted forms are reused by key,
and only outputs whose key changed are made (see outputs/produce.py).
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import ContextManager, Iterator

from sitegen.buildtypes import BuildOptions, BuildResult, Found
from sitegen.cache import BuildCache, cache_dir, load_shards, save_cache
from sitegen.config import SiteConfig
from sitegen.content.cached import CachedFile
from sitegen.content.schedule import DRAFT, SCHEDULED, Schedule, schedule
from sitegen.content.store import Content, load_content
from sitegen.convert.opencc import Converters
from sitegen.convert.rights import rights_key
from sitegen.digests import digest
from sitegen.errors import Report
from sitegen.images.catalog import ImageCatalog, prepare_images
from sitegen.model import Article
from sitegen.outputs.feeds import feed_articles
from sitegen.outputs.kinds import producers
from sitegen.outputs.produce import Changes, Run, produce
from sitegen.render.keys import RenderMemory
from sitegen.render.pages import make_renderers
from sitegen.render.templates import THEME_DIR, new_environment
from sitegen.render.variant import VariantRenderer
from sitegen.site.assemble import Site, assemble
from sitegen.site.layout import layout_of, placed
from sitegen.static import favicon_path
from sitegen.theme_check import unknown_templates
from sitegen.staging import staging_for
from sitegen.write import OutputWriter, WriteResult


FEW_TO_CONVERT = 50
"""Articles read from their files, past which a build converts in its own process (and workers)
rather than in the converter process (see convert/elsewhere.py): each answer through the pipe
costs its round trip."""


def run_stages(config: SiteConfig, options: BuildOptions, found: Found, result: BuildResult,
               converters: Converters, write_guard: ContextManager | None, keep_last_good: bool,
               save: bool) -> BuildResult:
    """load → images → assemble → localize → produce → write → remember (see `build.build`)."""
    report, timed, cache = result.report, partial(_timed, result.timings), result.cache
    with timed("load"):
        cache = result.cache = _with_shards(cache, report)
        cache.inputs, cache.stamps = "", {}  # what the pages were built from is known again once they are
        converters.names.start(cache.names)
        content = load_content(config.content_dir, report, cache=cache, started_ns=found.started_ns,
                               workers=options.workers, listing=found.listing,
                               sources=frozenset(s.id for s in config.sources))
        plan = on_the_site(content, found.now, options.preview, report)
        if len(content.bodies) > FEW_TO_CONVERT:  # many to convert: here, on every core
            converters.stop_elsewhere()
    with timed("images"):
        images = _with_images(content, config, options.workers, report)
        _keyed_by_rights_and_pictures(content, config, images, cache.files)
    with timed("assemble"):
        fingerprint = digest(found.settings, _theme_digest(config), favicon_path(config.static_dir))
        report.problems.extend(unknown_templates(config.templates_dir))
        result.warm = _assembled(config, content, plan, cache, converters, fingerprint, result.warm)
    with timed("localize"):
        renderers = _localizers(result.warm, content, cache, images)
    writer = OutputWriter(options.output_dir, report, cache.pages, buffered=keep_last_good,
                          staging=staging_for(config.state_dir, options.output_dir),
                          not_as_written=found.not_as_written)
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
        _remember(cache, renderers, writer, result.warm.shape, found, report, run)
        cache.names = converters.names.kept()
        cache.next_due, cache.preview = plan.next_due, options.preview
        if save:
            _save(config, cache, report)
    return result


def _with_images(content: Content, config: SiteConfig, workers: int | None, report: Report) -> ImageCatalog:
    """The lead pictures' sizes and renditions (made once, kept in .sitegen/images/)."""
    leads = [article.image.url for article in content.articles if article.image]
    return prepare_images(leads, (config.static_dir, THEME_DIR / "static"), config.state_dir / "images", report,
                          workers)


def _keyed_by_rights_and_pictures(content: Content, config: SiteConfig, images: ImageCatalog,
                                  files: dict[str, CachedFile]) -> None:
    """Each article's key takes in how much its source republishes (see build._without_rights) and
    its lead picture's facts (a picture replaced under the same name makes its pages anew), in one
    digest; an article from a source republishing whole stories, without a picture of the site's
    own, keeps its file's key. The digest is kept with the file's entry in the cache (`files`), for
    as long as the key, rights and picture stay the same."""
    # Once per source, not per article (reversed: the first source of an id wins, as config.source says).
    rights_of = {source.id: rights_key(source) for source in reversed(config.sources)}
    keys = content.keys
    for article in content.articles:
        key = keys.get(article.path)
        if key is None:
            continue
        rights = rights_of.get(article.source, WHOLE)
        facts = images.of(article.image.url) if article.image else None
        if facts is not None or rights != WHOLE:
            # The picture's path and bytes say all its facts are (sizes, renditions), in less to digest.
            picture = (facts.path, facts.digest) if facts is not None else None
            cached = files.get(article.path)
            if cached is not None and cached.keyed[:3] == (key, rights, picture):
                keys[article.path] = cached.keyed[3]
                continue
            keys[article.path] = digest(key, rights, picture)
            if cached is not None and cached.article is article:
                cached.keyed = (key, rights, picture, keys[article.path])


WHOLE = rights_key(None)
"""What a source that republishes whole stories adds to its articles' keys: nothing."""


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


def on_the_site(content: Content, now: datetime, preview: bool, report: Report) -> Schedule:
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
    shape = _shape(content.articles, fingerprint, waiting, cache.files)
    site = placed(cache.layout, shape, config, content.articles, waiting, plan.withdrawn)
    if site is None:
        site = assemble(config, content.articles, same_name=converters.same_name, slugs=cache.slugs,
                        waiting=waiting, withdrawn=plan.withdrawn)
        cache.layout = layout_of(site, shape)
    environment = new_environment(config.templates_dir, compiled=config.state_dir / "templates")
    renderers = make_renderers(site, converters, environment, RenderMemory(fingerprint))
    return WarmSite(signature, heads, site, renderers, shape)


def _localizers(warm: WarmSite, content: Content, cache: BuildCache, images: ImageCatalog) -> list[VariantRenderer]:
    """The variants' renderers, which localize each article as its pages are made (convert/localize.py),
    remembering the converted forms the cache holds for today's articles."""
    memory = warm.renderers[0].memory
    memory.images = images
    memory.keys, memory.with_body = content.keys, content.with_body
    memory.summaries, memory.shown, memory.localized = cache.summaries, cache.shown, cache.localized
    # Prints describe the pages of the folder last built: another folder's pages may be older.
    memory.contexts, memory.list_prints = (cache.contexts, cache.list_prints) \
        if cache.prints_for == cache.output_dir else ({}, {})
    memory.places = cache.places if cache.places_for == cache.output_dir else {}
    return warm.renderers


def _shape(articles: list[Article], fingerprint: str, waiting: dict[str, str], files: dict[str, CachedFile]) -> str:
    """What places every article among the others (order, dates, terms, sources), under these settings
    and theme: equal shapes, same pages showing the same articles (see outputs/produce.py: Changes),
    and the same assembled site (site/layout.py). The date it was last updated is part of it too, as
    the sitemap lists it: equal shapes, equal sitemaps. Each article's part says all that places
    it, its path included, so the parts are taken in their own order, whatever the articles'.
    Each article's part is kept with its file's entry in the cache (`files`), for as long as the
    site holds that entry's article: a small rebuild works out the parts of the files it read."""
    parts = []
    for article in articles:
        cached = files.get(article.path)
        if cached is None or cached.article is not article:
            parts.append(_shape_part(article))
            continue
        if not cached.shape_part:
            cached.shape_part = _shape_part(article)
        parts.append(cached.shape_part)
    parts.sort()
    return digest(fingerprint, sorted(waiting.items()), "\n".join(parts))


def _shape_part(a: Article) -> str:
    """An article's part of the site's shape."""
    return digest(a.path, a.id, a.date, a.updated, a.date_estimated, a.lang, a.source, a.source_name, a.categories,
                  a.tags)


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


def _remember(cache: BuildCache, renderers: list[VariantRenderer], writer: OutputWriter, shape: str, found: Found,
              report: Report, run: Run) -> None:
    """What the next build starts from: the records of what was written now, what they were made from,
    and converted forms of today's articles only (full texts for the feeds' only). The article pages'
    context prints, and every page's place, are kept only when every page was made: a page that
    failed keeps its old file, which its new print must not vouch for."""
    memory = renderers[0].memory
    memory.contexts = {} if report.failed else {**memory.contexts, **run.contexts}
    memory.list_prints = {} if report.failed else \
        {path: found for path, found in {**memory.list_prints, **run.list_prints}.items() if path in writer.records}
    cache.contexts = {path: found for path, found in memory.contexts.items() if path in memory.keys}
    memory.places = cache.places = {} if report.failed else run.places
    cache.list_prints, cache.prints_for, cache.places_for = memory.list_prints, cache.output_dir, cache.output_dir
    keys = set(memory.keys.values())
    cache.summaries = {k: v for k, v in memory.summaries.items() if k[0] in keys}
    cache.shown = {k: v for k, v in memory.shown.items() if k[0] in keys}
    carried = feed_articles(renderers[0].site)
    wanted = {(memory.key_of(a), r.variant.name) for r in renderers for a in carried}
    cache.localized = {k: v for k, v in memory.localized.items() if k in wanted}
    cache.pages, cache.shape, cache.made_from = writer.records, shape, dict(memory.keys)
    cache.inputs, cache.stamps = ("", {}) if report.failed else (found.inputs, found.stamps)
    cache.last_report = (tuple(p for p in report.problems if p.level != "error"), len(memory.keys))


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    yield
    timings[stage] = time.perf_counter() - start
