"""File-system helpers every writer uses: atomic writes and safe paths."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Callable, Iterator

from sitegen.errors import SitegenError

RACY_NS = 2_000_000_000
"""A file changed this close to the build's start may change again within the same mtime: not trusted."""


class UnsafePathError(SitegenError, ValueError):
    """A path built from outside data would leave its root folder."""


def atomic_write(path: Path, data: bytes) -> None:
    """Write `data` to `path` so readers see the old file or the new one, never half."""
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except FileNotFoundError:  # checked only now: most writes go to a folder that exists
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_if_changed(path: Path, data: bytes) -> bool:
    """Atomically write unless the file already holds these bytes (keeps its mtime)."""
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    atomic_write(path, data)
    return True


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing anything that would resolve outside `root`."""
    parts = relative.replace("\\", "/").split("/")
    if relative.startswith("/") or "\0" in relative or ".." in parts:
        raise UnsafePathError(f"path leaves its folder: {relative!r}")
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise UnsafePathError(f"path leaves its folder: {relative!r}")
    return candidate


def files_under(folder: Path, hidden: bool = False,
                skip: Callable[[str], bool] | None = None) -> list[tuple[str, os.DirEntry]]:
    """(path relative to `folder`, entry) of every file below it, by path; each entry holds the
    file's stat. Hidden files and folders (a name starting with '.') are left out unless `hidden`;
    a file or folder whose name `skip` is true for is left out too (a folder is not entered)."""
    start = len(os.path.join(str(folder), ""))
    found = [(entry.path[start:].replace(os.sep, "/"), entry) for entry in _entries(str(folder), hidden, skip)]
    return sorted(found, key=lambda pair: pair[0])


def _entries(folder: str, hidden: bool, skip: Callable[[str], bool] | None) -> Iterator[os.DirEntry]:
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if (entry.name.startswith(".") and not hidden) or (skip is not None and skip(entry.name)):
            continue
        if entry.is_dir():
            yield from _entries(entry.path, hidden, skip)
        elif entry.is_file():
            yield entry
