"""Feed bytes -> ParsedFeed, with feedparser; its own sanitizer is off (nh3 cleans later)."""

from __future__ import annotations

import calendar
import hashlib
import re
from dataclasses import dataclass
from datetime import datetime, timezone

import feedparser

from sitegen.fetch.dates import parse_date
from sitegen.fetch.decode import as_utf8_xml, decode_feed
from sitegen.fetch.http import FetchError, Response


class FeedParseError(FetchError):
    """What was fetched is not a readable RSS or Atom feed."""


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as the feed gave it (HTML not yet cleaned)."""

    guid: str
    link: str
    title: str
    """May hold markup or entities."""
    published: datetime | None
    updated: datetime | None
    author: str
    tags: tuple[str, ...]
    summary_html: str
    content_html: str
    image_url: str
    base: str = ""
    """What relative URLs in the entry's HTML are relative to when it has no link."""

    @property
    def upstream_hash(self) -> str:
        """Changes when the story's text changes upstream (dates alone do not count)."""
        parts = (self.title, self.link, self.author, "\x1f".join(self.tags), self.summary_html,
                 self.content_html, self.image_url)
        return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    date: datetime | None
    """The feed's own date, for entries that carry none."""
    entries: tuple[FeedEntry, ...]
    warnings: tuple[str, ...]
    """Why the feed was only partly readable, how it was decoded."""


def parse_feed(response: Response, default_zone: str, fetched_at: datetime) -> ParsedFeed:
    """The feed's stories. `fetched_at` places dates written without a year (see _reference)."""
    decoded = decode_feed(response.data, response.headers.get("content-type", ""))
    headers = {"content-type": _utf8_content_type(response.headers.get("content-type", ""))}
    for base in (response.headers.get("content-location", ""), response.url):
        if base.startswith(("http://", "https://")):
            headers["content-location"] = base
            break
    # Relative URLs in an item's HTML are resolved later against the item's own link:
    # feeds often live on another host than the articles (feeds.example.com).
    parsed = feedparser.parse(as_utf8_xml(decoded.text), sanitize_html=False, resolve_relative_uris=False,
                              response_headers=headers)
    problem = parsed.get("bozo_exception")
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise FeedParseError(f"not a readable RSS or Atom feed{f': {problem}' if problem else ''}")
    warnings = [f"encoding: {decoded.note}"] if decoded.note else []
    if parsed.get("bozo") and not isinstance(problem, feedparser.CharacterEncodingOverride):
        warnings.append(f"feed is malformed ({problem}); kept the {len(parsed.entries)} entries that could be read")
    feed = parsed.feed
    # The feed's own date, if written without a year, is placed by the fetch.
    feed_date = (_date(feed, "updated", default_zone, fetched_at)
                 or _date(feed, "published", default_zone, fetched_at))
    reference = _reference(feed_date, fetched_at)
    return ParsedFeed(
        title=feed.get("title", ""), date=feed_date,
        entries=tuple(_entry(e, default_zone, reference) for e in parsed.entries),
        warnings=tuple(warnings))


def _reference(feed_date: datetime | None, fetched_at: datetime) -> datetime:
    """What an item's year-less date must not be after: the feed's own date, which says when the
    feed was written (an old feed's `05/20` is from before it), unless that is after the fetch."""
    return min(feed_date, fetched_at) if feed_date else fetched_at


def _utf8_content_type(content_type: str) -> str:
    media_type = content_type.split(";")[0].strip() or "application/xml"
    return f"{media_type}; charset=utf-8"


def _entry(entry: feedparser.FeedParserDict, zone: str, reference: datetime) -> FeedEntry:
    content = entry.get("content") or []
    return FeedEntry(
        guid=entry.get("id", "") or "",
        link=entry.get("link", "") or "",
        title=entry.get("title", "") or "",
        published=_date(entry, "published", zone, reference),
        updated=_date(entry, "updated", zone, reference),
        author=entry.get("author", "") or "",
        tags=tuple(t["term"] for t in entry.get("tags", []) if t.get("term")),
        summary_html=entry.get("summary", "") or "",
        content_html=content[0].get("value", "") if content else "",
        image_url=_image_url(entry),
        base=(content[0] if content else entry.get("summary_detail") or {}).get("base", "") or "",
    )


def _date(item: feedparser.FeedParserDict, field: str, zone: str, reference: datetime) -> datetime | None:
    """Our reading of the raw date; feedparser's only where it cannot have invented a part.

    dict.get bypasses feedparser's own get(), which falls back from updated to published.
    """
    raw = dict.get(item, field) or ""
    if not raw:
        return None
    ours = parse_date(raw, zone, reference)
    if ours is not None:
        return ours
    theirs = dict.get(item, f"{field}_parsed")
    if theirs and _all_parts_present(raw, theirs):
        return datetime.fromtimestamp(calendar.timegm(theirs), tz=timezone.utc)
    return None


def _all_parts_present(raw: str, parsed) -> bool:  # noqa: ANN001 - time.struct_time
    """feedparser fills a missing month or day from today; accept it only if the year and
    the day are written in the raw string (month names are words, so they are not checked)."""
    numbers = {int(n) for n in re.findall(r"\d+", raw)}
    return parsed.tm_year in numbers and parsed.tm_mday in numbers


def _image_url(entry: feedparser.FeedParserDict) -> str:
    for media in (*entry.get("media_content", []), *entry.get("media_thumbnail", [])):
        if media.get("url") and media.get("medium", "image") == "image":
            return media["url"]
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            return link.get("href", "")
    return ""
