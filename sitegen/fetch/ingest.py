"""Configured sources -> new articles in content/, one file per story.

A story already stored is left alone: a re-fetch never overwrites an edit.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.config import SiteConfig, SourceConfig
from sitegen.content.store import write_article
from sitegen.convert.detect import detect_script
from sitegen.convert.opencc import Converters
from sitegen.errors import Report
from sitegen.fetch.clean import html_to_markdown, html_to_text
from sitegen.fetch.http import FetchError, fetch
from sitegen.fetch.parse import FeedEntry, FeedParseError, parse_feed
from sitegen.model import Article, Image


def web_url(url: str) -> str:
    """`url` if it is an http(s) URL, else empty: feed links may be hostile."""
    return url if urlsplit(url).scheme in ("http", "https") else ""


def story_key(entry: FeedEntry) -> str:
    """What makes two entries the same story: GUID, else link, else title and date."""
    date = entry.published or entry.updated
    return entry.guid or entry.link or f"{entry.title}\n{date.isoformat() if date else ''}"


def article_id(source_id: str, entry: FeedEntry) -> str:
    """A short id that the same story keeps on every fetch."""
    return hashlib.sha256(f"{source_id}\n{story_key(entry)}".encode()).hexdigest()[:10]


def fetch_sources(config: SiteConfig, report: Report, only: set[str] | None = None,
                  now: datetime | None = None) -> None:
    """Fetch every (or each named) source; each failure is reported and the rest go on."""
    converters = Converters()
    fetched_at = (now or datetime.now(timezone.utc)).replace(microsecond=0)
    for source in config.sources:
        if only and source.id not in only:
            continue
        where = f"source {source.id} ({source.url})"
        try:
            feed = parse_feed(fetch(source.url, config.root, config.site.base_url))
        except (FetchError, FeedParseError) as exc:
            report.error(where, str(exc))
            continue
        if feed.warning:
            report.warning(where, feed.warning)
        _store_entries(config.content_dir, source, feed.entries, converters, fetched_at, report, where)


def _store_entries(content_dir: Path, source: SourceConfig, entries: tuple[FeedEntry, ...],
                   converters: Converters, fetched_at: datetime, report: Report, where: str) -> None:
    seen: set[str] = set()
    for entry in entries:
        entry_id = article_id(source.id, entry)
        if entry_id in seen or (content_dir / source.id / f"{entry_id}.md").exists():
            report.count("already stored")
            seen.add(entry_id)
            continue
        seen.add(entry_id)
        article = entry_to_article(entry, entry_id, source, converters, fetched_at)
        if isinstance(article, str):
            report.warning(where, f"entry {story_key(entry)!r} skipped: {article}")
            continue
        write_article(content_dir, article)
        report.count("new articles")


def entry_to_article(entry: FeedEntry, entry_id: str, source: SourceConfig, converters: Converters,
                     fetched_at: datetime) -> Article | str:
    """The article for `entry`, or why it cannot be stored."""
    date = entry.published or entry.updated
    if date is None:
        return "no date it could read"
    zone = ZoneInfo(source.timezone)
    title = html_to_text(entry.title) or html_to_text(entry.summary_html)[:40]
    if not title:
        return "no title and no text"
    body = html_to_markdown(entry.content_html or entry.summary_html, entry.link)
    summary = html_to_text(entry.summary_html) if entry.content_html else ""
    lang = source.script if source.script != "auto" else detect_script(f"{title}\n{body}", converters)
    return Article(
        id=entry_id, title=title, date=date.astimezone(zone), source=source.id, lang=lang, body=body,  # type: ignore[arg-type]
        path=f"{source.id}/{entry_id}.md", guid=entry.guid, source_name=source.name,
        source_url=web_url(entry.link), author=html_to_text(entry.author), categories=(source.category,) if source.category else (),
        tags=tuple(html_to_text(t) for t in entry.tags), summary=summary,
        image=Image(web_url(entry.image_url)) if web_url(entry.image_url) else None, editor=source.editor,
        updated=entry.updated.astimezone(zone) if entry.published and entry.updated not in (None, date) else None,
        fetched=fetched_at.astimezone(zone),
        content_hash=hashlib.sha256(f"{title}\n{body}".encode()).hexdigest(),
    )
