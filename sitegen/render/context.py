"""What each template receives: one dataclass per page type.

Every page template gets three names: `site` (SiteView), `page` (one of the
page dataclasses below) and `t` (converts a UI string, written in Traditional
characters, into the page's script). Feeds get `site`, `feed` and `t`; an entry's
content (feed-content.html) gets `site`, `a` (LocalizedArticle), `url` (the entry's page),
`title_only` (as FeedEntry.title_only) and `t`. A site's own templates may rely on exactly
these fields; tests hold the theme to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.model import Image, Link, LocalizedArticle



@dataclass(frozen=True)
class SiteView:
    title: str
    """The site's title in this page's script."""
    lang: str
    """The page's variant, used as `<html lang>`."""
    home: str
    """Link to this variant's home page."""
    root: str
    """Link to the script chooser at the site root."""
    stylesheet: str
    """Link to the theme's stylesheet."""
    script: str
    """Link to the theme's script (remembers the reader's choice of script)."""
    nav: tuple[Link, ...]
    """The variant's categories, for the header."""
    feeds: tuple[Link, ...]
    """This variant's Atom and RSS feeds."""
    favicon: str = ""
    """Link to the site's own icon (`static/favicon.ico`, `.svg` or `.png`), or empty: then the
    theme asks for no icon at all."""
    search_script: str = ""
    """Link to the theme's search page script."""
    search: str = ""
    """Link to this variant's search page (the header's search box sends the query there), or
    empty when the site has no search."""


@dataclass(frozen=True)
class Meta:
    """What search engines and social sites read from a page's head."""

    title: str
    description: str
    url: str
    """This page's absolute URL."""
    canonical: str
    alternates: tuple[Link, ...]
    """Absolute URLs of this page in every variant, then x-default, for hreflang."""
    og_type: str
    """website or article."""
    og_locale: str
    image: str
    """Absolute URL of the page's image, or empty."""
    json_ld: str
    """JSON-LD, ready to put in a script element (already made safe for HTML), or empty."""
    noindex: bool = False
    """Search engines are asked not to index the page (a withdrawn story's notice)."""


@dataclass(frozen=True)
class ArticleSummary:
    """An article as a list entry."""

    title: str
    href: str
    date_text: str
    summary: str
    source_name: str
    image: Image | None
    image_src: str
    status: str = ""
    """`draft` or `scheduled` for an article a preview shows before it is published; else empty."""


@dataclass(frozen=True)
class ArticlePage:
    article: LocalizedArticle
    meta: Meta
    url: str
    """This page's absolute URL (本文網址)."""
    date_text: str
    """Publication time in the site's time zone, Chinese format."""
    updated_text: str
    """When the story was updated, or empty."""
    breadcrumb: tuple[Link, ...]
    image_src: str
    """The lead image's `src`, or empty."""
    category: Link | None
    tags: tuple[Link, ...]
    source: Link | None
    """The source's page on this site."""
    newer: Link | None
    older: Link | None
    related: tuple[Link, ...]
    """Stories from the same category, nearest in time."""
    translations: tuple[Link, ...]
    """The same article in the other variants."""
    status: str = ""
    """`draft` or `scheduled` for an article a preview shows before it is published; else empty."""
    title_only: bool = False
    """The story has no text of its own (a feed item with only a title and a link): the page shows
    the title, the summary if any, the attribution and a link to the original (when there is one)
    instead of a body."""


@dataclass(frozen=True)
class ListPage:
    """Home, category, tag, source and archive pages: a paginated list of articles."""

    kind: str
    """home, category, tag, source, year or month."""
    heading: str
    """What the list is of (the category's name, 2023年9月 ...); empty on the home page."""
    meta: Meta
    items: tuple[ArticleSummary, ...]
    number: int
    """This page's number, from 1."""
    count: int
    """How many pages the list has."""
    newer: str
    """Link to the previous (newer) page, or empty."""
    older: str
    """Link to the next (older) page, or empty."""
    feeds: tuple[Link, ...]
    """Feeds of this list (a category's), or empty."""
    archives: tuple[Link, ...]
    """Year and month archive links, on the home page and archive pages."""
    translations: tuple[Link, ...]


@dataclass(frozen=True)
class RootPage:
    """The site root: sends readers to the variant of their choice."""

    variants: tuple[Link, ...]
    meta: Meta
    translations: tuple[Link, ...]
    """Always empty: the root page belongs to no variant."""


@dataclass(frozen=True)
class NotFoundPage:
    meta: Meta
    homes: tuple[Link, ...]
    """Every variant's home page."""
    translations: tuple[Link, ...]
    """Always empty."""


@dataclass(frozen=True)
class WithdrawnPage:
    """What stands at a withdrawn story's address: that it was withdrawn, when and why; nothing of the story."""

    meta: Meta
    date_text: str
    reason: str
    """In the variant's script; may be empty."""
    home: str
    """Link to the variant's home page."""
    translations: tuple[Link, ...]


@dataclass(frozen=True)
class SearchPage:
    meta: Meta
    translations: tuple[Link, ...]
    """The search page of the other variants (the theme's script carries the query along)."""
    bundle: str
    """Link to the variant's search index folder (Pagefind's bundle, holding pagefind.js)."""
    base: str
    """What the index's page paths are under on this host: `/`, or the sub-path the site lives under."""


@dataclass(frozen=True)
class FeedEntry:
    title: str
    url: str
    id: str
    """A permanent id (tag: URI) that does not change with the URL scheme."""
    published: str
    """RFC 3339."""
    updated: str
    published_rfc822: str
    author: str
    summary: str
    content_html: str
    """The body followed by the attribution block; for a title-only story, the summary if any, a
    link to the original (when there is one) and the attribution."""
    categories: tuple[str, ...]
    title_only: bool = False
    """The story has no text of its own, as ArticlePage.title_only."""


@dataclass(frozen=True)
class FeedView:
    title: str
    url: str
    """The feed's own absolute URL."""
    home: str
    """Absolute URL of the page the feed is of."""
    id: str
    updated: str
    """RFC 3339: the newest entry's date, never the time of the build."""
    updated_rfc822: str
    lang: str
    entries: tuple[FeedEntry, ...]
