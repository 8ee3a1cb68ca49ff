"""The data that flows between stages. Frozen dataclasses, no I/O."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Script = Literal["zh-Hans", "zh-Hant"]
SCRIPTS: tuple[Script, ...] = ("zh-Hans", "zh-Hant")


NOT_IN_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
"""Characters XML 1.0 cannot carry (NUL and the other control characters but tab and line breaks): one in
an article would make the site's own feeds unreadable."""


def control_problem(character: str) -> str:
    """What is wrong with a text holding `character` (a match of NOT_IN_XML)."""
    return f"holds the control character U+{ord(character):04X}, which pages and feeds cannot carry; remove it"


@dataclass(frozen=True)
class Image:
    url: str
    """Absolute http(s) URL, or a path inside the site such as `/images/a.jpg`."""
    caption: str = ""
    credit: str = ""
    width: int = 0
    """Its size in pixels when the feed or front matter gives it (0: not known); a site image's
    own file says its size at build time."""
    height: int = 0


@dataclass(frozen=True)
class Withdrawal:
    """A story taken down: its pages become a notice saying so, and it leaves every list."""

    date: datetime
    reason: str = ""
    """Why, as the notice says it (e.g. at whose request)."""


@dataclass(frozen=True)
class Article:
    """One story as stored in `content/`, in the script it was written in."""

    id: str
    """Stable short id, unique per site; used in the permalink."""
    title: str
    date: datetime
    """Publication time, always timezone-aware."""
    source: str
    """A source id from sitegen.toml, or `local` for original writing."""
    lang: Script
    """The script the text is written in; conversion starts from here, once."""
    body: str
    """CommonMark text."""
    path: str = ""
    """Where the article is stored, relative to `content/` (empty before storing)."""
    guid: str = ""
    source_name: str = ""
    source_url: str = ""
    """The original article this one republishes."""
    author: str = ""
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    summary: str = ""
    image: Image | None = None
    editor: str = ""
    original_title: str = ""
    updated: datetime | None = None
    fetched: datetime | None = None
    content_hash: str = ""
    """Hash of what was ingested, so a re-fetch can tell upstream changes from local edits."""
    glossary: tuple[tuple[tuple[str, str], ...], ...] = ()
    """This article's own terms, each as (script, word) pairs; they win over the site's."""
    draft: bool = False
    """Not published until this is false (a preview shows it, marked)."""
    date_estimated: bool = False
    """The feed gave the story no date it could read: `date` is the feed's or the fetch's, a guess,
    so reading order puts the story below real-dated ones (site.assemble.reading_key)."""

    republish: str = ""
    """Narrows its source's `republish` (summary or title); empty: as the source says."""
    withdrawn: Withdrawal | None = None
    """Taken down: published only as a notice (see outputs/withdrawn.py)."""
    featured: bool = False
    """Pinned to lead the front page: the newest featured story leads it (site/front.py)."""

    def __hash__(self) -> int:
        # Articles key many dicts while a site is built; hashing all fields each time showed in profiles.
        # Equal articles have equal paths and ids, so this agrees with ==.
        return hash((self.path, self.id))


@dataclass(frozen=True)
class LocalizedArticle:
    """An article's text in one variant's script, body rendered to HTML."""

    article: Article
    variant: str
    title: str
    summary: str
    body_html: str
    author: str
    source_name: str
    editor: str
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    image: Image | None = None
    license: str = ""
    """The source's reprint notice, in this variant's script."""
    republish: str = "full"
    """How much of the story is published (convert/rights.py): full, summary or title."""


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    lang: str = ""
    """The variant the link leads to, for `hreflang`; empty when it is not a translation."""


@dataclass(frozen=True)
class Output:
    """One file of the built site."""

    path: str
    """Relative path inside `public/`, with forward slashes."""
    data: bytes
    origin: str
    """What produced it (an article file, a template, a static file), for error messages."""
    page: str = ""
    """For an HTML page: its path on its host, which the sitemap lists; else empty."""
    variant: str = ""
    lastmod: str = ""
    """For an article page: when it last changed (ISO 8601)."""
