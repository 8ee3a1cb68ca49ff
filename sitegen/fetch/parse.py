"""Feed bytes -> FeedEntry list, with feedparser; its own sanitizer is off (nh3 cleans later)."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime, timezone

import feedparser

from sitegen.fetch.http import Fetched


class FeedParseError(Exception):
    pass


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


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: tuple[FeedEntry, ...]
    warning: str
    """Why the feed was only partly readable, or empty."""


def parse_feed(fetched: Fetched) -> ParsedFeed:
    headers = dict(fetched.headers)
    if fetched.url.startswith(("http://", "https://")):
        headers["content-location"] = fetched.url
    # Relative URLs in an item's HTML are resolved later against the item's own link:
    # feeds often live on another host than the articles (feeds.example.com).
    parsed = feedparser.parse(fetched.data, sanitize_html=False, resolve_relative_uris=False,
                              response_headers=headers)
    problem = parsed.get("bozo_exception")
    if not parsed.entries and (parsed.get("bozo") or not parsed.get("version")):
        raise FeedParseError(f"not a readable RSS or Atom feed{f': {problem}' if problem else ''}")
    warning = ""
    if parsed.get("bozo") and not isinstance(problem, feedparser.CharacterEncodingOverride):
        warning = f"feed is malformed ({problem}); kept the {len(parsed.entries)} entries that could be read"
    return ParsedFeed(title=parsed.feed.get("title", ""), entries=tuple(_entry(e) for e in parsed.entries),
                      warning=warning)


def _entry(entry: feedparser.FeedParserDict) -> FeedEntry:
    content = entry.get("content") or []
    return FeedEntry(
        guid=entry.get("id", "") or "",
        link=entry.get("link", "") or "",
        title=entry.get("title", "") or "",
        # dict.get: feedparser's own get() falls back from updated to published, with a warning
        published=_utc(dict.get(entry, "published_parsed")),
        updated=_utc(dict.get(entry, "updated_parsed")),
        author=entry.get("author", "") or "",
        tags=tuple(t["term"] for t in entry.get("tags", []) if t.get("term")),
        summary_html=entry.get("summary", "") or "",
        content_html=content[0].get("value", "") if content else "",
        image_url=_image_url(entry),
    )


def _utc(parsed_time) -> datetime | None:  # noqa: ANN001 - feedparser's time.struct_time
    if not parsed_time:
        return None
    return datetime.fromtimestamp(calendar.timegm(parsed_time), tz=timezone.utc)


def _image_url(entry: feedparser.FeedParserDict) -> str:
    for media in (*entry.get("media_content", []), *entry.get("media_thumbnail", [])):
        if media.get("url") and media.get("medium", "image") == "image":
            return media["url"]
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            return link.get("href", "")
    return ""
