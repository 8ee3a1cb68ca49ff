"""Feed bytes -> ParsedFeed, with feedparser; its own sanitizer is off (nh3 cleans later).

Before feedparser sees the bytes, the feed's prolog is read with defusedxml's expat parser
(`refuse_xml_attacks`): a feed that declares XML entities other than small plain-text ones
(entity expansion: billion laughs, quadratic blow-up; external entities: XXE; parameter
entities; unparsed entities) is refused with one line naming the attack, and nothing of it is
stored. A DOCTYPE's external DTD is never read or fetched, so a plain DOCTYPE (RSS 0.91's
Netscape one) is fine. A feed that is merely malformed still goes to feedparser, which is
tolerant, unless it holds entity declarations that could not be checked.
"""

from __future__ import annotations

import calendar
import hashlib
import re
import xml.sax
from dataclasses import dataclass
from datetime import datetime, timezone

import feedparser
from defusedxml import ElementTree as SafeElementTree
from defusedxml.common import DefusedXmlException
from defusedxml.expatreader import DefusedExpatParser

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
    image_size: tuple[int, int] = (0, 0)
    """The image's width and height as the feed gives them (Media RSS), or (0, 0). Not part of
    `upstream_hash`: a feed that starts sizing its images has not changed its stories."""

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
    data = as_utf8_xml(decoded.text)
    refuse_xml_attacks(data)
    # Relative URLs in an item's HTML are resolved later against the item's own link:
    # feeds often live on another host than the articles (feeds.example.com).
    parsed = feedparser.parse(data, sanitize_html=False, resolve_relative_uris=False, response_headers=headers)
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
    captions = media_descriptions(data, len(parsed.entries))
    return ParsedFeed(
        title=feed.get("title", ""), date=feed_date,
        entries=tuple(_entry(e, default_zone, reference, texts) for e, texts in zip(parsed.entries, captions)),
        warnings=tuple(warnings))


def _reference(feed_date: datetime | None, fetched_at: datetime) -> datetime:
    """What an item's year-less date must not be after: the feed's own date, which says when the
    feed was written (an old feed's `05/20` is from before it), unless that is after the fetch."""
    return min(feed_date, fetched_at) if feed_date else fetched_at


def _utf8_content_type(content_type: str) -> str:
    media_type = content_type.split(";")[0].strip() or "application/xml"
    return f"{media_type}; charset=utf-8"


MEDIA_RSS = re.compile(r"^\{https?://search\.yahoo\.com/mrss/?\}description$")
ITEM = re.compile(r"^(?:\{[^}]*\})?(?:item|entry)$")


def media_descriptions(data: bytes, entries: int) -> list[frozenset[str]]:
    """The texts of each item's Media RSS descriptions (<media:description>), in feed order.

    feedparser reads <media:description>, a photo's or a video's caption, as the item's own
    description: the caption then stands in for the story's summary, or for its whole text when the
    feed has both. Knowing the captions, `_entry` keeps them out of the story. Empty sets when the
    feed does not use Media RSS, or is too broken to read strictly (feedparser is more tolerant)."""
    nothing = [frozenset[str]()] * entries
    if b"search.yahoo.com/mrss" not in data:
        return nothing
    try:
        root = SafeElementTree.fromstring(data)
    except (SafeElementTree.ParseError, DefusedXmlException, ValueError):
        return nothing
    items = [element for element in root.iter() if ITEM.match(str(element.tag))]
    if len(items) != entries:
        return nothing
    return [frozenset("".join(d.itertext()).strip() for d in item.iter() if MEDIA_RSS.match(str(d.tag)))
            for item in items]


def _story_texts(entry: feedparser.FeedParserDict, captions: frozenset[str]) -> tuple[str, str]:
    """(summary, content) of the story, without what feedparser took from <media:description>,
    unless a caption is all the text the item has (a video feed's description)."""
    content = entry.get("content") or []
    summary, text = entry.get("summary", "") or "", content[0].get("value", "") if content else ""
    if not captions or not any(t and t.strip() not in captions for t in (summary, text)):
        return summary, text
    return ("" if summary.strip() in captions else summary), ("" if text.strip() in captions else text)


def _entry(entry: feedparser.FeedParserDict, zone: str, reference: datetime,
           captions: frozenset[str] = frozenset()) -> FeedEntry:
    content = entry.get("content") or []
    summary, text = _story_texts(entry, captions)
    return FeedEntry(
        guid=entry.get("id", "") or "",
        link=entry.get("link", "") or "",
        title=entry.get("title", "") or "",
        published=_date(entry, "published", zone, reference),
        updated=_date(entry, "updated", zone, reference),
        author=entry.get("author", "") or "",
        tags=tuple(t["term"] for t in entry.get("tags", []) if t.get("term")),
        summary_html=summary,
        content_html=text,
        image_url=_image_url(entry),
        image_size=_image_size(entry),
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
    media = _media_image(entry)
    if media is not None:
        return media["url"]
    for link in entry.get("links", []):
        if link.get("rel") == "enclosure" and str(link.get("type", "")).startswith("image/"):
            return link.get("href", "")
    return ""


def _media_image(entry: feedparser.FeedParserDict) -> dict | None:
    """The first Media RSS `media:content` or `media:thumbnail` that is an image."""
    for media in (*entry.get("media_content", []), *entry.get("media_thumbnail", [])):
        if media.get("url") and media.get("medium", "image") == "image":
            return media
    return None


def _image_size(entry: feedparser.FeedParserDict) -> tuple[int, int]:
    """(width, height) of the image `_image_url` picks, when its Media RSS element gives both as
    whole numbers of pixels; else (0, 0). An enclosure carries no size."""
    media = _media_image(entry)
    sizes = [str((media or {}).get(name, "")).strip() for name in ("width", "height")]
    if not all(size.isdigit() and 0 < int(size) <= 100_000 for size in sizes):
        return 0, 0
    return int(sizes[0]), int(sizes[1])


MAX_ENTITY_CHARS = 64
"""The longest replacement text an XML entity may have (an HTML entity is one or two characters)."""
MAX_ENTITY_EXPANSION = 1_000_000
"""The most characters all references to a feed's entities may expand to, together."""
_ENTITY_DECLARATION = re.compile(rb"<!ENTITY", re.IGNORECASE)
_FIRST_ELEMENT = re.compile(rb"<\w")


def refuse_xml_attacks(data: bytes) -> None:
    """Raise FeedParseError if the feed `data` (UTF-8 XML) declares XML entities that are not
    small plain text: each must be internal (no SYSTEM or PUBLIC id), a general entity (not %name),
    parsed, at most MAX_ENTITY_CHARS characters with no markup and no reference to other entities,
    and all references together may add at most MAX_ENTITY_EXPANSION characters.

    Only the prolog is parsed (up to the first element), so this is quick and needs no memory to
    speak of; nothing is expanded, read or fetched. Malformed XML is left to feedparser, unless the
    part of it that feedparser takes entity declarations from (everything before the first element)
    holds declarations the XML parser did not read: feedparser's fallback would still expand them.
    """
    prolog = _Prolog()
    prolog.setContentHandler(xml.sax.ContentHandler())
    try:
        prolog.feed(data)
        prolog.close()
    except _PrologRead:
        pass
    except xml.sax.SAXParseException:
        pass  # malformed: feedparser copes; the declarations are counted below
    except DefusedXmlException as exc:  # the handlers below refuse first; this is what any other raise means
        raise FeedParseError(f"refused: defusedxml refused the feed's DTD ({exc}) (XML attack)") from None
    first = _FIRST_ELEMENT.search(data)
    head = data[:first.start()] if first else data
    written = len(_ENTITY_DECLARATION.findall(head))
    if written > prolog.declared:
        raise FeedParseError(
            "refused: the feed holds XML entity declarations that an XML parser does not read (in a comment, after "
            "an unread parameter entity, or in a broken DOCTYPE) and feedparser's fallback would expand "
            "(entity expansion attack)")
    if prolog.entities:
        _refuse_expansion(data[len(head):], prolog.entities)


def _refuse_expansion(body: bytes, entities: dict[str, str]) -> None:
    """Refuse when the references to `entities` in `body` add more than MAX_ENTITY_EXPANSION characters.
    References are counted as written, in text, attributes and CDATA alike (an overcount at worst)."""
    names = b"|".join(re.escape(name.encode("utf-8")) for name in sorted(entities, key=len, reverse=True))
    expanded = 0
    for match in re.finditer(rb"&(" + names + rb");", body):
        expanded += len(entities[match.group(1).decode("utf-8")])
        if expanded > MAX_ENTITY_EXPANSION:
            raise FeedParseError(f"refused: the feed's XML entities would expand to over {MAX_ENTITY_EXPANSION:,} "
                                 "characters (entity expansion attack, quadratic blow-up)")


class _PrologRead(Exception):
    """The first element started: every declaration has been seen."""


class _Prolog(DefusedExpatParser):
    """defusedxml's SAX parser, reading only the prolog: entity declarations are checked one by one
    (the first that is not allowed raises FeedParseError at once, before any is expanded), and the
    DOCTYPE's external DTD is skipped, never read."""

    def __init__(self) -> None:
        super().__init__(forbid_dtd=False, forbid_entities=True, forbid_external=True)
        self.entities: dict[str, str] = {}
        """The allowed entities by name, with their replacement text."""
        self.declared = 0
        """How many entity declarations expat reported."""

    def reset(self) -> None:
        super().reset()
        self._parser.StartElementHandler = self._first_element

    def _first_element(self, *_: object) -> None:
        raise _PrologRead()

    def defused_entity_decl(self, name, is_parameter_entity, value, base, sysid, pubid,  # noqa: ANN001, PLR0913
                            notation_name) -> None:
        self.declared += 1
        shown = f"%{name};" if is_parameter_entity else f"&{name};"
        external = sysid is not None or pubid is not None or value is None
        if is_parameter_entity and external:
            raise FeedParseError(f"refused: the feed declares an external XML parameter entity {shown} "
                                 f"({_external_id(sysid, pubid)}) (XXE, external DTD); nothing was fetched")
        if is_parameter_entity:
            raise FeedParseError(f"refused: the feed declares an XML parameter entity {shown} "
                                 "(parameter entity attack)")
        if external:
            kind = "an unparsed (NDATA) XML entity" if notation_name else "an external XML entity"
            raise FeedParseError(f"refused: the feed declares {kind} {shown} ({_external_id(sysid, pubid)}) (XXE); "
                                 "nothing was read or fetched")
        if "&" in value:
            raise FeedParseError(f"refused: the feed declares XML entities that expand other entities ({shown}) "
                                 "(entity expansion attack, billion laughs)")
        if "<" in value:
            raise FeedParseError(f"refused: the feed declares an XML entity that holds markup ({shown}) "
                                 "(entity injection)")
        if len(value) > MAX_ENTITY_CHARS:
            raise FeedParseError(f"refused: the feed declares a {len(value):,}-character XML entity ({shown}), over "
                                 f"{MAX_ENTITY_CHARS} (entity expansion attack, quadratic blow-up)")
        self.entities.setdefault(name, value)

    def defused_unparsed_entity_decl(self, name, base, sysid, pubid, notation_name) -> None:  # noqa: ANN001
        self.defused_entity_decl(name, False, None, base, sysid, pubid, notation_name)

    def defused_external_entity_ref_handler(self, context, base, sysid, pubid) -> int:  # noqa: ANN001
        if context is None:  # the DOCTYPE's external subset (RSS 0.91's Netscape DTD): skipped, never read
            return 1
        raise FeedParseError(f"refused: the feed refers to an external XML entity ({_external_id(sysid, pubid)}) "
                             "(XXE); nothing was read or fetched")


def _external_id(sysid: str | None, pubid: str | None) -> str:
    """SYSTEM '…' or PUBLIC '…', shortened, on one line (repr escapes line breaks)."""
    if sysid is None and pubid is not None:
        return f"PUBLIC {_short(pubid)}"
    return f"SYSTEM {_short(sysid or '')}"


def _short(text: str, limit: int = 80) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "…")
