"""File-system helpers every writer uses: atomic writes and safe paths."""

from __future__ import annotations

import fcntl
import os
import re
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

from sitegen.errors import SitegenError

RACY_NS = 2_000_000_000
"""A file changed this close to the build's start may change again within the same mtime: not trusted."""


def settled(mtime_ns: int, started_ns: int) -> bool:
    """A file with this mtime, seen by a build started at `started_ns`, may be trusted by its size
    and mtime (RACY_NS)."""
    return mtime_ns < started_ns - RACY_NS


WINDOWS_DEVICE = re.compile(r"^(?:con|prn|aux|nul|com[0-9]|lpt[0-9])$", re.I)
"""Names Windows keeps for devices, whatever the extension (con.html): never a file or folder name."""


def clear_of_devices(name: str) -> str:
    """`name`, or `name-1` when it is a name Windows keeps for a device (a tag 'CON' -> tag/con-1/):
    a site built here must copy onto any host."""
    return f"{name}-1" if WINDOWS_DEVICE.match(name) else name


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
    if file_holds(path, data):
        return False
    atomic_write(path, data)
    return True


def file_holds(path: Path, data: bytes) -> bool:
    """`path` is a file holding exactly `data`."""
    try:
        return path.read_bytes() == data
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return False


def safe_join(root: Path, relative: str) -> Path:
    """`root / relative`, refusing anything that would resolve outside `root`."""
    check_relative(relative)
    candidate = (root / relative).resolve()
    if not candidate.is_relative_to(root.resolve()):
        raise UnsafePathError(f"path leaves its folder: {relative!r}")
    return candidate


def check_relative(relative: str) -> None:
    """Refuse a relative path that leaves its folder by its spelling alone (absolute, `..`, a NUL).
    Enough inside a folder sitegen made itself, which holds no link out; `safe_join` for any other."""
    parts = relative.replace("\\", "/").split("/")
    if relative.startswith("/") or "\0" in relative or ".." in parts:
        raise UnsafePathError(f"path leaves its folder: {relative!r}")


def write_new(path: str, data: bytes) -> os.stat_result:
    """Write `data` to a file no reader can see yet (a staging folder's), making its folder if
    needed: its stat once written. Plain os calls: a cold build writes thousands of these."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags, 0o644)
    except FileNotFoundError:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(path, flags, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
        return os.fstat(fd)
    finally:
        os.close(fd)


class Listing(list[tuple[str, os.DirEntry]]):
    """What `files_under` gives: a list of (relative path, entry), by path, and `not_followed`."""

    not_followed: tuple[str, ...] = ()
    """Relative paths of the symbolic links below the folder that were not followed, a folder's with
    a trailing '/': they lead out of it, or into a folder that holds them (a loop). Whoever reads
    the listing may report them."""


def files_under(folder: Path, hidden: bool = False,
                skip: Callable[[str], bool] | None = None) -> Listing:
    """(path relative to `folder`, entry) of every file below it, by path; each entry holds the
    file's stat. Hidden files and folders (a name starting with '.') are left out unless `hidden`;
    a file or folder whose name `skip` is true for is left out too (a folder is not entered).
    A symbolic link is followed only when it leads to a file or folder inside `folder` (and not to
    one that holds it): nothing outside is listed, so nothing outside is read through a listing."""
    start = len(os.path.join(str(folder), ""))
    not_followed: list[str] = []
    root = os.path.realpath(folder)
    found = [(entry.path[start:].replace(os.sep, "/"), entry)
             for entry in _entries(str(folder), root, root, hidden, skip, not_followed)]
    listing = Listing(sorted(found, key=lambda pair: pair[0]))
    listing.not_followed = tuple(sorted(path[start:].replace(os.sep, "/") for path in not_followed))
    return listing


def _entries(folder: str, real: str, root: str, hidden: bool, skip: Callable[[str], bool] | None,
             not_followed: list[str]) -> Iterator[os.DirEntry]:
    """The files below `folder`, whose real path is `real`, inside the real folder `root`."""
    try:
        entries = list(os.scandir(folder))
    except (FileNotFoundError, NotADirectoryError):
        return
    for entry in entries:
        if (entry.name.startswith(".") and not hidden) or (skip is not None and skip(entry.name)):
            continue
        entry_real = ""  # worked out for folders only: most entries are files (a big site's every article)
        if entry.is_symlink():
            entry_real = os.path.realpath(entry.path)
            if not _inside(entry_real, root) or (entry.is_dir() and _inside(real, entry_real)):
                not_followed.append(entry.path + ("/" if entry.is_dir() else ""))
                continue
        if entry.is_dir():
            yield from _entries(entry.path, entry_real or os.path.join(real, entry.name), root, hidden, skip,
                                not_followed)
        elif entry.is_file():
            yield entry


def _inside(path: str, folder: str) -> bool:
    """Whether the real path `path` is `folder` or below it."""
    return path == folder or path.startswith(os.path.join(folder, ""))


@contextmanager
def waiting_lock(path: Path, on_wait: Callable[[str], None] = lambda holder: None) -> Iterator[None]:
    """Hold the lock file at `path` (made if missing), waiting for another process that holds it;
    `on_wait(holder)` is told its pid first (and may raise instead, to refuse rather than wait).
    Released when the process ends, however it ends."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            lock.seek(0)
            on_wait(lock.read().strip() or "?")
            fcntl.flock(lock, fcntl.LOCK_EX)
        lock.seek(0)
        lock.truncate()
        lock.write(str(os.getpid()))
        lock.flush()
        try:
            yield
        finally:
            lock.truncate(0)
            fcntl.flock(lock, fcntl.LOCK_UN)
