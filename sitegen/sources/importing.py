"""`sitegen sources import FILE.opml`: an OPML file's feeds become [[sources]] of sitegen.toml.

Every outline that is not a folder is added or skipped with a reason: it has no xmlUrl, its URL
is not one sitegen.toml accepts (http(s)), or the feed is a source already
(the same address over http or https) or came earlier in the file. A source's name is the
outline's title, its category the folder holding it, its id the title's pinyin (the slugs of
categories and tags), else the feed's host name, else `source`, moved on to `-2`, `-3` ... when
another source has it. Sources there already are never touched.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from sitegen.config import SiteConfig, SourceConfig
from sitegen.fsutil import WINDOWS_DEVICE
from sitegen.schema import feed_url
from sitegen.site.taxonomy import pinyin_slug
from sitegen.sources.opml import Outline, read_opml
from sitegen.sources.tomlfile import append_sources

ID_MAX = 40
"""Longest id made from a title: it names the source's folder of content/ and may be in URLs."""
FEED_HOST = re.compile(r"^(?:www|feeds?|rss)\.(?=.+\.)")
"""The part of a feed's host name that says nothing of whose feed it is (feeds.bbci.co.uk)."""


@dataclass(frozen=True)
class NewSource:
    id: str
    name: str
    url: str
    category: str
    line: int
    """The line of the OPML file it came from."""


@dataclass(frozen=True)
class Skipped:
    line: int
    title: str
    """The outline's title, else its URL (what the user will recognise it by)."""
    reason: str


@dataclass(frozen=True)
class ImportPlan:
    added: tuple[NewSource, ...]
    skipped: tuple[Skipped, ...]


def import_opml(config: SiteConfig, opml_path: Path) -> ImportPlan:
    """Append the OPML file's new feeds to the site's sitegen.toml (untouched when none is new)."""
    plan = plan_import(read_opml(opml_path).outlines, config.sources, taken_ids(config))
    if plan.added:
        append_sources(config.root, [_table(source) for source in plan.added],
                       comment=f"Added by `sitegen sources import {opml_path.name}`.")
    return plan


def plan_import(outlines: Iterable[Outline], existing: Iterable[SourceConfig], taken: set[str]) -> ImportPlan:
    """Which outlines become sources, with which ids, and why the others do not."""
    seen = {_feed_key(source.url): f"already a source: {source.id}" for source in existing}
    taken = set(taken)
    added, skipped = [], []
    for outline in outlines:
        reason = _refusal(outline, seen)
        if reason:
            skipped.append(Skipped(outline.line, outline.title or outline.xml_url, reason))
            continue
        source = _new_source(outline, taken)
        taken.add(source.id)
        seen[_feed_key(source.url)] = f"the same feed as line {outline.line}"
        added.append(source)
    return ImportPlan(tuple(added), tuple(skipped))


def taken_ids(config: SiteConfig) -> set[str]:
    """The sources' ids, and the names of content/'s folders: one left by a source since removed
    would otherwise hand its stories to a new source of the same id."""
    taken = {source.id for source in config.sources}
    if config.content_dir.is_dir():
        taken |= {path.name.lower() for path in config.content_dir.iterdir() if path.is_dir()}
    return taken


def _refusal(outline: Outline, seen: dict[tuple[str, str, str], str]) -> str | None:
    if not outline.xml_url:
        return "no xmlUrl: not a feed"
    problem = feed_url(outline.xml_url)
    if problem:
        return f"xmlUrl: {problem}"
    return seen.get(_feed_key(outline.xml_url))


def _feed_key(url: str) -> tuple[str, str, str]:
    """What makes two feed URLs the same feed: host (in any case), path and query; not the scheme."""
    parts = urlsplit(url.strip())
    return parts.netloc.lower(), parts.path or "/", parts.query


def _new_source(outline: Outline, taken: set[str]) -> NewSource:
    host = urlsplit(outline.xml_url).hostname or ""
    wanted = _shortened(pinyin_slug(outline.title)) or _shortened(pinyin_slug(FEED_HOST.sub("", host))) or "source"
    return NewSource(_free_id(wanted, taken), outline.title or host, outline.xml_url, outline.category, outline.line)


def _shortened(slug: str) -> str:
    """`slug` cut to ID_MAX characters, between words when it has any."""
    if len(slug) <= ID_MAX:
        return slug
    head = slug[:ID_MAX + 1]
    return head.rsplit("-", 1)[0] if "-" in head else slug[:ID_MAX]


def _free_id(wanted: str, taken: set[str]) -> str:
    """`wanted`, else `wanted-2`, `wanted-3` ...: the first that no source has and config accepts."""
    candidates = itertools.chain([wanted], (f"{wanted}-{n}" for n in itertools.count(2)))
    return next(c for c in candidates if c not in taken and c != "local" and not WINDOWS_DEVICE.match(c))


def _table(source: NewSource) -> dict[str, str]:
    table = {"id": source.id, "name": source.name, "url": source.url}
    if source.category:
        table["category"] = source.category
    return table
