"""Feed entries -> Articles: identity, selection, cleaning, full text and images."""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Iterable, Sequence
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from sitegen.config import SourceConfig
from sitegen.content.articles import ingested_hash, name_too_long
from sitegen.convert.detect import detect_script
from sitegen.convert.opencc import Converters
from sitegen.fetch.clean import html_to_markdown, html_to_text
from sitegen.fetch.fulltext import fetch_fulltext
from sitegen.fetch.http import Allowance, FetchError, HttpClient
from sitegen.fetch.images import store_images
from sitegen.fetch.parse import FeedEntry
from sitegen.model import NOT_IN_XML, Article, Image, Script


def web_url(url: str) -> str:
    """`url` if it is an http(s) URL, else empty: feed links may be hostile."""
    return url if urlsplit(url).scheme in ("http", "https") else ""


def _key_candidates(entry: FeedEntry) -> tuple[str, str, str]:
    date = entry.published or entry.updated
    return entry.guid, entry.link, f"{entry.title}\n{date.isoformat() if date else ''}"


def story_keys(entries: Sequence[FeedEntry]) -> list[str]:
    """What makes each entry a story: its GUID, else its link, else title and date.

    A GUID or link that the feed gives to entries with different titles identifies
    nothing (broken feeds repeat one value on every item), so the next key is used.
    """
    titles_by_value: dict[str, set[str]] = defaultdict(set)
    for entry in entries:
        for value in _key_candidates(entry)[:2]:
            titles_by_value[value].add(entry.title)
    return [next(v for v in _key_candidates(e) if v and len(titles_by_value.get(v, ())) <= 1)
            for e in entries]


def story_id(source_id: str, key: str) -> str:
    """A short id that the same story keeps on every fetch."""
    return hashlib.sha256(f"{source_id}\n{key}".encode()).hexdigest()[:10]


def select_entries(entries: Iterable[FeedEntry], source: SourceConfig) -> list[FeedEntry]:
    """The entries the source's include/exclude words and max_items let through."""
    chosen = [e for e in entries if _wanted(e, source)]
    if source.max_items:
        newest_first = sorted(chosen, key=lambda e: (e.published or e.updated or datetime.min.replace(
            tzinfo=ZoneInfo("UTC"))), reverse=True)
        chosen = newest_first[:source.max_items]
    return chosen


def _wanted(entry: FeedEntry, source: SourceConfig) -> bool:
    if not (source.include or source.exclude):
        return True
    text = html_to_text(" ".join((entry.title, entry.summary_html, entry.content_html)))
    if source.include and not any(word in text for word in source.include):
        return False
    return not any(word in text for word in source.exclude)


BY_FEED, BY_FETCH, AHEAD = "feed", "fetch", "ahead"
"""How an entry was dated when its own date could not be used as it is (see ArticleMaker.date)."""
STEP = timedelta(seconds=1)
"""Between entries dated by the feed or the fetch, so that they keep the feed's order (first the newest)."""


@dataclass(frozen=True)
class Made:
    article: Article | None
    warnings: tuple[str, ...] = ()
    dated_by: str = ""
    """BY_FEED, BY_FETCH or AHEAD when the entry's own date was missing or after the fetch; reported
    once per source (date_warnings), not once per entry: a feed without dates has none on any item."""


def date_warnings(dated_by: Counter[str], feed_date: datetime | None, fetched_at: datetime, zone: str) -> list[str]:
    """One line per way a feed's new stories were dated, counted in `dated_by` (see Made.dated_by)."""
    lines: list[str] = []
    if n := dated_by[BY_FEED]:
        when = feed_date.isoformat() if feed_date else ""
        lines.append(f"{_items(n)} had no date that could be read; dated by the feed ({when}){_estimated(n)}")
    if n := dated_by[BY_FETCH]:
        when = fetched_at.astimezone(ZoneInfo(zone)).isoformat()
        lines.append(f"{_items(n)} had no date that could be read; dated by this fetch ({when}){_estimated(n)}")
    if n := dated_by[AHEAD]:
        lines.append(f"{_items(n)} {'was' if n == 1 else 'were'} dated after this fetch "
                     "(a wrong time zone upstream?); dated when fetched")
    return lines


def _items(n: int) -> str:
    return f"{n} item{'s' * (n != 1)}"


def _estimated(n: int) -> str:
    return ", marked date_estimated" if n == 1 else ", a second apart in the feed's order, marked date_estimated"


class ArticleMaker:
    """Turns entries into articles; shared by the fetch threads, so it holds no mutable state."""

    def __init__(self, client: HttpClient, static_dir: Path, fetched_at: datetime):
        self.client, self.static_dir, self.fetched_at = client, static_dir, fetched_at
        self.converters = Converters()
        for config in ("t2s", "s2t"):  # build before threads share it
            self.converters.get(config)

    def feed_script(self, entries: Iterable[FeedEntry]) -> Script:
        """The script most of a feed is written in: the answer for entries that do not tell
        (an English story in a Traditional feed is filed with the feed)."""
        text = "\n".join(html_to_text(f"{e.title} {e.summary_html}") for e in entries)
        return detect_script(text, self.converters)

    def date(self, entry: FeedEntry, feed_date: datetime | None, position: int) -> tuple[datetime, str]:
        """The entry's date, and how it was found when not from the entry (BY_FEED, BY_FETCH, AHEAD).

        `position` is the entry's place in the feed (0 the first): entries without a date keep that
        order, one STEP apart, the first the newest, as feeds list them.
        """
        own = entry.published or entry.updated
        if own is not None and own > self.fetched_at:
            # A story in the feed is out already: a date ahead of now is a wrong zone or clock upstream,
            # and the build would hold the story back as scheduled until then.
            return self.fetched_at, AHEAD
        if own is not None:
            return own, ""
        if feed_date is not None and feed_date <= self.fetched_at:  # kept as it was: the first at the feed's
            return feed_date - position * STEP, BY_FEED
        # Below the fetch itself, where a story dated ahead is put: that one has a date of its own.
        return self.fetched_at - (position + 1) * STEP, BY_FETCH

    def make(self, entry: FeedEntry, entry_id: str, source: SourceConfig, allowance: Allowance,
             feed_date: datetime | None, feed_script: Script = "zh-Hans", position: int = 0) -> Made:
        """The entry as an article, with the full-text page and images it names fetched within
        `allowance` (the source's); None when it has nothing to publish."""
        warnings: list[str] = []
        entry = _xml_safe(entry)
        label = f"entry {entry.guid or entry.link or entry.title!r}"
        # A story without a title (or whose title was all markup) is named by the start of its text.
        title = (html_to_text(entry.title) or html_to_text(entry.summary_html)[:40]
                 or html_to_text(entry.content_html)[:40])
        if not title:
            return Made(None, (f"{label} skipped: no title and no text",))
        date, dated_by = self.date(entry, feed_date, position)
        link = web_url(entry.link)
        body = NOT_IN_XML.sub("", self._body(entry, link, source, title, allowance, warnings))  # a full-text page's too
        image_url = web_url(entry.image_url)
        if source.images == "download":
            stored = store_images(body, image_url, self.client, self.static_dir, allowance)
            body, image_url = stored.markdown, stored.image_url
            warnings.extend(f"image {problem}" for problem in stored.problems)
        zone = ZoneInfo(source.timezone)
        lang = source.script if source.script != "auto" else detect_script(f"{title}\n{body}", self.converters,
                                                                           default=feed_script)
        article = Article(
            id=entry_id, title=title, date=date.astimezone(zone), source=source.id, lang=lang,  # type: ignore[arg-type]
            body=body, path=f"{source.id}/{entry_id}.md", guid=entry.guid, source_name=source.name,
            source_url=link, author=html_to_text(entry.author), categories=_categories(entry, source),
            tags=_tags(entry, warnings),
            summary=html_to_text(entry.summary_html) if entry.content_html else "",
            image=_lead_image(image_url, entry), editor=source.editor, original_title=title,
            updated=entry.updated.astimezone(zone) if entry.published and entry.updated not in (None, date) else None,
            fetched=self.fetched_at.astimezone(zone), date_estimated=dated_by in (BY_FEED, BY_FETCH))
        return Made(replace_hash(article), tuple(warnings), dated_by)

    def _body(self, entry: FeedEntry, link: str, source: SourceConfig, title: str, allowance: Allowance,
              warnings: list[str]) -> str:
        html, base = entry.content_html or entry.summary_html, link or web_url(entry.base)
        if source.fulltext and not entry.content_html and link:
            try:
                html, base = fetch_fulltext(self.client, link, source.max_bytes, allowance), link
            except FetchError as exc:  # FulltextError too
                warnings.append(f"full text of {link}: {exc}; stored the summary")
        return html_to_markdown(html, base, fallback_alt=title)


def _lead_image(url: str, entry: FeedEntry) -> Image | None:
    """The lead image; a hotlinked one keeps the size its feed gave (a stored one's file tells its own)."""
    if not url:
        return None
    width, height = (0, 0) if url.startswith("/") else entry.image_size
    return Image(url, width=width, height=height)


def _xml_safe(entry: FeedEntry) -> FeedEntry:
    """The entry without the characters XML cannot carry (NUL, other control characters): feeds send them
    by mistake (or not), and a stored one would be refused by the build, or break the site's own feeds."""
    texts = {name: NOT_IN_XML.sub("", value) for name, value in vars(entry).items()
             if isinstance(value, str) and NOT_IN_XML.search(value)}
    tags = tuple(NOT_IN_XML.sub("", tag) for tag in entry.tags)
    return replace(entry, **texts, tags=tags) if texts or tags != entry.tags else entry


def _tags(entry: FeedEntry, warnings: list[str]) -> tuple[str, ...]:
    """The entry's tags as text, once each; one too long to name a page (its folder) is dropped, and said."""
    tags = tuple(dict.fromkeys(t for t in map(html_to_text, entry.tags) if t))
    for tag in (t for t in tags if name_too_long(t)):
        warnings.append(f"tag {tag[:20] + '…'!r} ({len(tag)} characters) dropped: too long to name a page")
    return tuple(t for t in tags if not name_too_long(t))


def _categories(entry: FeedEntry, source: SourceConfig) -> tuple[str, ...]:
    mapped = [source.categories[t] for t in entry.tags if t in source.categories]
    chosen = mapped or ([source.category] if source.category else [])
    return tuple(dict.fromkeys(chosen))


def replace_hash(article: Article) -> Article:
    return replace(article, content_hash=ingested_hash(article))
