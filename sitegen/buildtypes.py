"""What a build passes between its check (build.py) and its stages (pipeline.py): what it was
asked to do, what the check found, and what it gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable

from sitegen.cache import BuildCache
from sitegen.errors import Report
from sitegen.fsutil import Listing


@dataclass(frozen=True)
class BuildOptions:
    """How to build, besides the site's own config."""

    output_dir: Path
    """Where the pages go (the site's public/ unless told otherwise), resolved."""
    preview: bool = False
    """Show drafts and scheduled articles, marked (serve)."""
    now: datetime | None = None
    """What counts as now for scheduled articles (default: the clock)."""
    workers: int | None = None
    """Processes for pages (default: every core)."""
    search: str = "now"
    """An out-of-date search index is made `now`, or `later` (serve: see outputs/search.py)."""
    search_index: dict | None = None
    """Search indexes made in the background, to write if the pages are still those indexed."""


@dataclass(frozen=True)
class Found:
    """What the check found: whether there is anything to do, and what the stages go on from."""

    nothing_to_do: bool
    started_ns: int
    now: datetime
    settings: str
    """Fingerprint of the code, libraries, config and glossary (see `_settings`)."""
    listing: Listing
    """content/ as listed now."""
    inputs: str
    """Fingerprint of every input but the articles' files ('' if a build must not rely on it)."""
    stamps: dict[str, str]
    """The articles' files by size and mtime, one fingerprint per cache shard (see `content_stamps`)."""
    not_as_written: frozenset[str] | None
    """The recorded outputs whose file is not as the last build wrote it (None: not looked at)."""


@dataclass
class BuildResult:
    report: Report
    timings: dict[str, float] = field(default_factory=dict)
    cache: BuildCache = field(default_factory=BuildCache)
    """The cache as this build left it (serve keeps it for the next build)."""
    warm: object = None
    """The site as this build assembled it, a pipeline.WarmSite (serve keeps it for the next build)."""
    search_jobs: Callable[[], list] = lambda: []
    """Search indexes left to make in the background (`search="later"`; outputs/search.py), worked out
    when called."""
