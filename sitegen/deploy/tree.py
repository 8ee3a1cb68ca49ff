"""The files one deploy target publishes, and what a host needs to know of each.

A site whose variants have hosts of their own builds one tree per host: public/ for the
site's own host (less the other hosts' folders), public/zh-hant/ for a variant's.
"""

from __future__ import annotations

import hashlib
import mimetypes
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from sitegen.fsutil import files_under
from sitegen.targets import DeployTarget

TEXT_TYPES = {".html": "text/html", ".xml": "application/xml", ".css": "text/css", ".js": "text/javascript",
              ".txt": "text/plain", ".json": "application/json", ".svg": "image/svg+xml",
              ".webmanifest": "application/manifest+json", ".md": "text/markdown"}
FEEDS = {"atom.xml": "application/atom+xml", "rss.xml": "application/rss+xml"}
FINGERPRINT = re.compile(r"[.-][0-9a-f]{8,64}\.[A-Za-z0-9]+$")
"""A name holding a digest of the file's bytes (`app.3f2a9c1b.css`, downloaded media `media/<sha>.jpg`)."""
FINGERPRINTED_FOLDERS = ("media/",)
"""Folders whose files are named by their bytes (images stored by `images = "download"`)."""


@dataclass(frozen=True)
class LocalFile:
    path: str
    """Where the file goes on the host, relative to the tree's root, with forward slashes."""
    source: Path

    @property
    def data(self) -> bytes:
        """Read when sent, not kept: a site with many images is more than memory should hold."""
        return self.source.read_bytes()

    @cached_property
    def md5(self) -> str:
        """What S3 reports as the ETag of an object uploaded in one part."""
        with self.source.open("rb") as f:
            return hashlib.file_digest(f, lambda: hashlib.md5(usedforsecurity=False)).hexdigest()

    @property
    def size(self) -> int:
        return self.source.stat().st_size


def local_files(output_dir: Path, target: DeployTarget, trees: set[str]) -> list[LocalFile]:
    """Every file of the target's host tree, by path. `trees`: the folders of every host of the
    site, so that the site's own tree leaves the other hosts' out."""
    root = output_dir / target.tree
    others = tuple(t for t in trees if t and t != target.tree) if not target.tree else ()
    return [LocalFile(relative, Path(entry.path)) for relative, entry in files_under(root, hidden=True)
            if not (others and relative.startswith(others))]


def content_type(path: str) -> str:
    """The Content-Type a host should serve `path` with; text types say charset=utf-8."""
    name = path.rsplit("/", 1)[-1]
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    kind = FEEDS.get(name) or TEXT_TYPES.get(suffix)
    if kind:
        return f"{kind}; charset=utf-8"
    guessed, _ = mimetypes.guess_type(name)
    return guessed or "application/octet-stream"


def fingerprinted(path: str) -> bool:
    return path.startswith(FINGERPRINTED_FOLDERS) or bool(FINGERPRINT.search(path))


def cache_control(path: str, target: DeployTarget) -> str:
    """Long for assets named by their bytes; short for pages, feeds, the sitemap and the rest."""
    return target.cache_control_fingerprinted if fingerprinted(path) else target.cache_control


def upload_rank(path: str) -> int:
    """The order changed files go up in, so that no reader meets a link to what is not there yet:
    assets, then article pages, then lists (index pages), then feeds, then the sitemap."""
    name = path.rsplit("/", 1)[-1]
    if name.startswith("sitemap") and name.endswith(".xml") or name == "robots.txt":
        return 4
    if name.endswith(".xml"):
        return 3
    if name == "index.html" or name == "404.html":
        return 2
    if name.endswith(".html"):
        return 1
    return 0


def upload_groups(new: list[str], changed: list[str]) -> list[list[str]]:
    """The order files go up in, as groups whose files may go up together, each group after the one
    before: all new files first (no live page links to them until a changed page does), then the
    changed files by rank, and within a rank the deeper first (a variant's home before the root page)."""
    def key(path: str) -> tuple:
        return upload_rank(path), -path.count("/"), path
    by_step: dict[tuple, list[str]] = {}
    for path in sorted(changed, key=key):
        by_step.setdefault(key(path)[:2], []).append(path)
    return ([sorted(new, key=key)] if new else []) + list(by_step.values())
