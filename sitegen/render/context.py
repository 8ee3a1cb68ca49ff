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
    """The variant's largest categories (at most eight), in the order of their slugs, for the header."""
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
class ImageView:
    """An image as pages draw it (the `picture` macro of image.html): the site's own pictures with
    their smaller renditions, every picture with its size when it is known."""

    src: str
    """The original: what a browser that reads no `srcset` loads."""
    srcset: str = ""
    """Renditions in the original's format and the original, by width (`… 640w, … 1600w`), or empty."""
    webp_srcset: str = ""
    """The WebP renditions, by width, for a `<source type="image/webp">`, or empty."""
    width: int = 0
    """The picture's size in pixels, as shown; 0 when not known (a hotlinked image the feed did not size)."""
    height: int = 0
    alt: str = ""
    """Empty when the picture is described by its caption or named by the heading next to it: never
    the caption or the title again, which screen readers would read twice."""


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
    image_view: ImageView | None = None
    """The lead image as a thumbnail draws it (renditions, size), or None."""
    category: Link | None = None
    """The story's (first) category, labelled in the page's script, linking to its page; or None."""
    iso_date: str = ""
    """Publication time, ISO 8601, for `<time datetime>`."""
    time_text: str = ""
    """Publication time, short (09-15 10:21, in the site's time zone), for compact lists."""


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
    image_view: ImageView | None = None
    """The lead image as the lead figure draws it (renditions, size, empty alt), or None."""


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
    """0 on the list's first page (its newest stories, at the list's own address); else the page's
    place counted from the oldest page, which is 1. A page keeps its number and its stories as newer
    stories come (site/pagination.py)."""
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
class HomeSection:
    """One category's part of the front page."""

    category: Link
    """The category's page, labelled with its name: the section's heading."""
    items: tuple[ArticleSummary, ...]
    """Its newest stories that the lead and the top band do not show already."""


@dataclass(frozen=True)
class HomePage:
    """A variant's front page (home.html): the first page of its home list; the others are ListPages.
    Which story leads is data: the newest with `featured: true` in its front matter, else the
    newest (sitegen/site/front.py arranges the page)."""

    meta: Meta
    lead: ArticleSummary | None
    """The lead story (shown with the largest image and its summary); None on a site without stories."""
    top: tuple[ArticleSummary, ...]
    """The band of top stories: the four newest after the lead."""
    sections: tuple[HomeSection, ...]
    """A section per category, the largest eight first; only those with a story left to show."""
    latest: tuple[ArticleSummary, ...]
    """The newest stories, as many as a list page holds (`paginate`), for a compact list with times;
    the home list's next page (`older`) follows on from its last."""
    older: str
    """Link to the home list's next page (older stories), or empty."""
    archives: tuple[Link, ...]
    """Year and month archive links."""
    translations: tuple[Link, ...]


@dataclass(frozen=True)
class ScriptChoice:
    """One way into the site, offered on the root page in its own script."""

    link: Link
    """To the variant's home page; `label` names the variant (繁體中文, 简体中文 …)."""
    note: str
    """A line saying what the reader gets, written in the variant's own script."""


@dataclass(frozen=True)
class RootPage:
    """The site root: sends readers to the variant of their choice."""

    variants: tuple[Link, ...]
    meta: Meta
    translations: tuple[Link, ...]
    """Always empty: the root page belongs to no variant."""
    choices: tuple[ScriptChoice, ...] = ()
    """Every variant, each offered in its own script."""


@dataclass(frozen=True)
class NotFoundPage:
    meta: Meta
    homes: tuple[Link, ...]
    """Every variant's home page."""
    translations: tuple[Link, ...]
    """Always empty."""
    latest: tuple[ArticleSummary, ...] = ()
    """A variant's ten newest stories (none on the site root's 404, which belongs to no variant)."""
    search: str = ""
    """Link to the variant's search page, or empty (no search, or the site root's 404)."""


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
