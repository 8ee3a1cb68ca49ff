"""Configured sources -> content/: one file per story, updated only when upstream changed
and nobody edited it here.

Sources are fetched concurrently (network-bound work in a bounded thread pool);
every decision and write happens in the calling thread, one source at a time,
so the state and content/ are never written from two places at once.
"""

from __future__ import annotations

import html
import re
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Mapping

from sitegen.config import SiteConfig, SourceConfig
from sitegen.content.articles import ingested_hash
from sitegen.content.store import load_articles, read_article, write_article
from sitegen.errors import ContentError, Report, SitegenError
from sitegen.fetch.entries import ArticleMaker, date_warnings, select_entries, story_id, story_keys
from sitegen.fetch.decode import decode_feed
from sitegen.fetch.http import Allowance, FetchError, HttpClient, Limits, Response, is_web_url, read_local
from sitegen.fetch.parse import FeedParseError, parse_feed
from sitegen.fetch.state import FetchState, KnownStory, Validators, fetch_lock
from sitegen.health import Attempt, HealthRecordError, record_attempts
from sitegen.model import Article

MAX_WORKERS = 8


@dataclass(frozen=True)
class Candidate:
    """A story that is new, or whose entry changed upstream since the last fetch."""

    article: Article
    upstream_hash: str
    dated_by: str = ""
    """How the article was dated when its entry's date could not be used (see entries.date_warnings)."""


@dataclass(frozen=True)
class Harvest:
    """What one source gave, before anything is stored."""

    source: SourceConfig
    status: str
    """fetched, not modified, or failed."""
    error: str = ""
    validators: Validators = Validators()
    candidates: tuple[Candidate, ...] = ()
    unchanged: tuple[tuple[str, str, str], ...] = ()
    """(id, path, upstream hash) of stories whose entry did not change."""
    warnings: tuple[str, ...] = ()
    feed_date: datetime | None = None
    fetched_at: datetime | None = None
    """When the stories were fetched (what undated new stories are dated by, when the feed has no date)."""


@dataclass
class SourceResult:
    source: str
    status: str
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    error: str = ""
    warnings: list[str] = field(default_factory=list)


Progress = Callable[[int, int, str], None]


def fetch_sources(config: SiteConfig, report: Report, only: set[str] | None = None,
                  now: datetime | None = None, progress: Progress | None = None,
                  limits: Limits = Limits()) -> list[SourceResult]:
    """Fetch every (or each named) source; a failing source is reported, the others go on."""
    sources = [s for s in config.sources if not only or s.id in only]
    fetched_at = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    with fetch_lock(config.state_dir):
        state = FetchState(config.state_dir)
        try:
            if state.is_new:
                _rebuild_state(config, state)
            return _fetch_all(config, sources, state, fetched_at, report, progress, limits)
        finally:
            state.close()


def _fetch_all(config: SiteConfig, sources: list[SourceConfig], state: FetchState, fetched_at: datetime,
               report: Report, progress: Progress | None, limits: Limits) -> list[SourceResult]:
    known = state.known_stories()
    results: dict[str, SourceResult] = {}
    attempts: list[Attempt] = []
    with HttpClient(config.site.base_url, limits) as client, \
            ThreadPoolExecutor(max_workers=min(MAX_WORKERS, max(1, len(sources)))) as pool:
        maker = ArticleMaker(client, config.static_dir, fetched_at)
        futures = [pool.submit(_timed_harvest, source, client, config.root, state.validators(source.id, source.url),
                               known, maker) for source in sources]
        for done, future in enumerate(as_completed(futures), start=1):
            crop, seconds = future.result()
            results[crop.source.id] = _store(crop, config.content_dir, known, state, report)
            attempts.append(_attempt(crop, results[crop.source.id], seconds, fetched_at))
            if progress:
                progress(done, len(sources), crop.source.id)
    _record_health(config.state_dir, attempts, report)
    return [results[s.id] for s in sources]


def _timed_harvest(source: SourceConfig, *args) -> tuple[Harvest, float]:
    """`harvest` and its wall time: the source's response time in its health record."""
    start = time.monotonic()
    return harvest(source, *args), time.monotonic() - start


def _attempt(crop: Harvest, result: SourceResult, seconds: float, at: datetime) -> Attempt:
    items = len(crop.candidates) + len(crop.unchanged) if crop.status == "fetched" else None
    return Attempt(crop.source.id, at, crop.status != "failed", crop.error, round(seconds, 3), items, result.new)


def _record_health(state_dir: Path, attempts: list[Attempt], report: Report) -> None:
    try:
        record_attempts(state_dir, attempts)
    except HealthRecordError as exc:  # the stories are stored: a lost health record is worth a line, no more
        report.warning("source health", f"not recorded: {exc}")


def harvest(source: SourceConfig, client: HttpClient, site_root: Path, validators: Validators,
            known: Mapping[str, KnownStory], maker: ArticleMaker) -> Harvest:
    """Fetch and parse one source and prepare its new or changed stories (runs in a worker)."""
    allowance = Allowance.starting_now(source.deadline)
    try:
        if is_web_url(source.url):
            response = client.get(source.url, etag=validators.etag, last_modified=validators.last_modified,
                                  max_bytes=source.max_bytes, allowance=allowance,
                                  accept="application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.8")
        else:
            response = read_local(source.url, site_root, source.max_bytes)
        if response.status == 304:
            return Harvest(source, "not modified", validators=validators)
        try:
            feed = parse_feed(response, source.timezone, maker.fetched_at)
        except FeedParseError as exc:  # what the server sent instead, when it is plain to see
            unreadable = str(exc).startswith("not a readable RSS or Atom feed")
            raise FeedParseError(unreadable and not_a_feed(response) or str(exc)) from None
    except FetchError as exc:  # FeedParseError too
        return Harvest(source, "failed", error=str(exc), validators=validators)
    new_validators = Validators(response.headers.get("etag", ""), response.headers.get("last-modified", ""))
    candidates, unchanged, warnings, seen = [], [], list(feed.warnings), set()
    feed_script = maker.feed_script(feed.entries) if source.script == "auto" else source.script
    named = allowance.for_named(response.url)  # the source's one deadline goes on for its pages and images
    entries = select_entries(feed.entries, source)
    for position, (entry, key) in enumerate(zip(entries, story_keys(entries))):
        entry_id = story_id(source.id, key)
        if entry_id in seen:
            continue
        seen.add(entry_id)
        story, upstream = known.get(entry_id), entry.upstream_hash
        if story and story.upstream_hash == upstream:
            unchanged.append((entry_id, story.path, upstream))
            continue
        made = maker.make(entry, entry_id, source, named, feed.date, feed_script, position)
        warnings.extend(made.warnings)
        if made.article is not None:
            candidates.append(Candidate(made.article, upstream, made.dated_by))
    return Harvest(source, "fetched", validators=new_validators, candidates=tuple(candidates),
                   unchanged=tuple(unchanged), warnings=tuple(warnings), feed_date=feed.date,
                   fetched_at=maker.fetched_at)


FEED_TYPES = ("xml", "rss", "atom", "text/plain", "octet-stream")
"""Content-Type words a feed is sent with, rightly or not (text/plain and octet-stream are common)."""
HTML_TAG = re.compile(rb"<(!doctype\s+html|html)[\s>]", re.IGNORECASE)
SPACE = re.compile(rb"\s*")
TITLE = re.compile(r"<title[^>]*>", re.IGNORECASE)


def not_a_feed(response: Response) -> str:
    """What the server sent instead of a feed, when that is plain to see (an HTML page, an image,
    JSON ...), for the error line; empty when it looks like a broken feed."""
    content_type = response.headers.get("content-type", "")
    media = content_type.split(";")[0].strip().lower()
    head = response.data[:65536].removeprefix(b"\xef\xbb\xbf")
    if media == "text/html" or _starts_html(head):
        text = decode_feed(head, content_type).text
        found = TITLE.search(text)
        end = text.lower().find("</title", found.end()) if found else -1
        title = " ".join(html.unescape(text[found.end():end]).split())[:80] if found and end >= 0 else ""
        return (f"not a readable RSS or Atom feed: the server sent an HTML page{f' titled {title!r}' if title else ''}"
                f" ({media or 'no Content-Type'})")
    if media and not any(word in media for word in FEED_TYPES):
        return f"not a readable RSS or Atom feed: the server sent {media} ({len(response.data):,} bytes)"
    return ""


def _starts_html(data: bytes) -> bool:
    """Whether `data` starts, after white space and comments, with <!doctype html> or <html>."""
    at = SPACE.match(data).end()
    while data.startswith(b"<!--", at):
        end = data.find(b"-->", at + 4)
        if end < 0:
            return False
        at = SPACE.match(data, end + 3).end()
    return HTML_TAG.match(data, at) is not None


def _store(crop: Harvest, content_dir: Path, known: Mapping[str, KnownStory], state: FetchState,
           report: Report) -> SourceResult:
    """Write one source's stories, record them in the state, and report the outcome."""
    source = crop.source
    where = f"source {source.id} ({source.url})"
    result = SourceResult(source.id, crop.status, unchanged=len(crop.unchanged), error=crop.error,
                          warnings=list(crop.warnings))
    stored, dated_by = list(crop.unchanged), Counter[str]()
    for candidate in crop.candidates:
        try:
            outcome, path = _store_one(candidate.article, content_dir, known.get(candidate.article.id), result)
        except (SitegenError, OSError) as exc:  # a folder linked out of content/, a full disk: this story only
            report.error(f"{where}: {candidate.article.id}", f"not stored: {exc}")
            continue
        if outcome:
            setattr(result, outcome, getattr(result, outcome) + 1)
        if outcome == "new":  # an update keeps the date it had: nothing was dated now
            dated_by[candidate.dated_by] += 1
        if path:
            stored.append((candidate.article.id, path, candidate.upstream_hash))
    if crop.fetched_at:
        result.warnings.extend(date_warnings(dated_by, crop.feed_date, crop.fetched_at, source.timezone))
    if crop.status != "failed":
        state.save_source(source.id, source.url, crop.validators, stored)
    for warning in result.warnings:
        report.warning(where, warning)
    if crop.error:
        report.error(where, crop.error)
    for key in ("new", "updated", "unchanged"):
        report.count(key, getattr(result, key))
    return result


def _store_one(article: Article, content_dir: Path, story: KnownStory | None,
               result: SourceResult) -> tuple[str, str]:
    """(counter to bump, path now holding the story) after storing `article` if it should be."""
    path = story.path if story else article.path
    target = content_dir / path
    if not target.exists():
        if story:  # an editor deleted it: it stays deleted
            return "", path
        write_article(content_dir, article)
        return "new", path
    try:
        current, _ = read_article(target, content_dir)
    except (ContentError, OSError) as exc:
        result.warnings.append(f"content/{path} cannot be read ({exc}); left as it is")
        return "", path
    if current.withdrawn or ingested_hash(article) == current.content_hash:
        return "unchanged", path  # a withdrawn story stays withdrawn, whatever its feed says now
    if ingested_hash(current) != current.content_hash:
        result.warnings.append(f"content/{path} changed upstream but was edited here; kept the local edit")
        return "unchanged", path
    # The date, and so the URL, stays; whether it was estimated goes with it. What only an editor
    # sets (a pin, a narrower policy, a draft, the story's own terms) is not the feed's to undo.
    write_article(content_dir, replace(article, path=path, date=current.date, fetched=current.fetched,
                                       date_estimated=current.date_estimated,
                                       updated=article.updated or article.fetched, featured=current.featured,
                                       republish=current.republish, draft=current.draft,
                                       glossary=current.glossary))
    return "updated", path


def _rebuild_state(config: SiteConfig, state: FetchState) -> None:
    """After the state was deleted, learn the stored stories from content/ so none is duplicated."""
    sources = {s.id for s in config.sources}
    articles = load_articles(config.content_dir, Report()) if config.content_dir.is_dir() else []
    state.remember((a.id, a.source, a.path) for a in articles if a.source in sources)

