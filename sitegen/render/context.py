"""What each template receives: one dataclass per page type.

Every template gets three names: `site` (SiteView), `page` (the page's
dataclass below) and `t` (converts a UI string, written in Traditional
characters, into the page's script). A site's own templates may rely on exactly
these fields; tests hold the theme to them.
"""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.model import Image, LocalizedArticle


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    lang: str = ""
    """The variant the link leads to, for `hreflang`; empty when it is not a translation."""


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


@dataclass(frozen=True)
class ArticlePage:
    article: LocalizedArticle
    url: str
    """This page's absolute URL (本文網址)."""
    date_text: str
    """Publication time in the site's time zone, Chinese format."""
    breadcrumb: tuple[Link, ...]
    image_src: str
    """The lead image's `src`, or empty."""
    translations: tuple[Link, ...]
    """The same article in the other variants."""
    alternates: tuple[Link, ...]
    """Absolute URLs of this page in every variant, this one included, for hreflang."""


@dataclass(frozen=True)
class HomePage:
    items: tuple[ArticleSummary, ...]
    number: int
    """This page's number, from 1."""
    count: int
    """How many pages the listing has."""
    newer: str
    """Link to the previous (newer) page, or empty."""
    older: str
    """Link to the next (older) page, or empty."""
    translations: tuple[Link, ...]
    alternates: tuple[Link, ...]


@dataclass(frozen=True)
class RootPage:
    """The site root: sends readers to the variant of their choice."""

    variants: tuple[Link, ...]
    translations: tuple[Link, ...]
    """Always empty: the root page belongs to no variant."""
    alternates: tuple[Link, ...]
