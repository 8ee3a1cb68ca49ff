"""Outputs -> the output folder, as they are made: atomic writes, identical bytes left alone
(mtime kept, so rsync and deploy see nothing new), collisions refused. Each written file is
recorded with the key of what made it, so the next build can skip a page whose key is the same
and whose file is as it was written.

The folder is owned through those records, never assumed: a file no longer produced is removed
only when the last build recorded writing it and it is still as written. Files sitegen did not
write (a first build into a folder that holds other things, records lost with `.sitegen/`, a
file edited by hand) are left and counted, never deleted."""

from __future__ import annotations

import os
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import ContextManager

from sitegen.errors import Report, SitegenError
from sitegen.fsutil import UnsafePathError, files_under, safe_join, write_if_changed
from sitegen.model import Output


@dataclass(frozen=True)
class PageRecord:
    """An output as written: skipped next time while its key and the file on disk stay the same."""

    key: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Stored:
    """One output written (or found identical: `written` False), and its record."""

    path: str
    written: bool
    record: PageRecord


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int
    left: int = 0
    """Files in the folder that this build did not make and that no record says sitegen wrote."""


class OutputWriter:
    """`records`: what the last build wrote (path -> key, size, mtime). `buffered`: hold every
    output until `finish` (so a failed build can write nothing at all)."""

    def __init__(self, output_dir: Path, report: Report, records: dict[str, PageRecord] | None = None,
                 buffered: bool = False):
        self.output_dir, self.report, self.buffered = output_dir, report, buffered
        self.old_records = records or {}
        self.records: dict[str, PageRecord] = {}
        self.owners: dict[str, str] = {}
        self.written = self.unchanged = 0
        self._pending: list[tuple[Output, str]] = []
        self._folders: dict[str, Path] = {}

    def is_current(self, path: str, key: str) -> bool:
        """The file at `path` was made from `key` and is still as it was written."""
        record = self.old_records.get(path)
        return bool(key) and record is not None and record.key == key and \
            on_disk_as_recorded(self.output_dir, path, record)

    def is_intact(self, path: str) -> bool:
        """The last build recorded the file at `path`, and it is still as it was written."""
        record = self.old_records.get(path)
        return record is not None and self.is_current(path, record.key)

    def keep(self, path: str, origin: str) -> None:
        """`path` stays as it is (it was current)."""
        if self.claim(path, origin):
            self.records[path] = self.old_records[path]
            self.unchanged += 1

    def put(self, output: Output, key: str = "") -> None:
        """Write `output` now (or at `finish` when buffered); `key` records what made it."""
        if self.claim(output.path, output.origin):
            self.put_claimed(output, key)

    def claim(self, path: str, origin: str) -> bool:
        """Take `path` for `origin`; False (and reported) when another output has it."""
        if path in self.owners:
            earlier = self.owners[path] or "another page"
            self.report.error(origin, f"would overwrite {path}, already made from {earlier}")
            return False
        self.owners[path] = origin
        return True

    def put_claimed(self, output: Output, key: str = "") -> None:
        if self.buffered:
            self._pending.append((output, key))
        else:
            self._write(output, key)

    def store(self, output: Output, key: str) -> Stored:
        """Write a claimed output now, in this process or a worker (see `account`); raises UnsafePathError."""
        target = self._target(output.path)
        written = write_if_changed(target, output.data)
        stat = target.stat()  # recorded even without a key: a build with nothing to do checks every file
        return Stored(output.path, written, PageRecord(key, stat.st_size, stat.st_mtime_ns))

    def account(self, stored: Stored) -> None:
        """Count and record a `store` made elsewhere."""
        self.records[stored.path] = stored.record
        if stored.written:
            self.written += 1
        else:
            self.unchanged += 1

    def failed(self, path: str) -> None:
        """`path` could not be made this time: its old file stays, and is made again next build."""
        self.owners.setdefault(path, "")

    def finish(self, guard: ContextManager | None = None) -> WriteResult:
        """Write what is pending, then remove the files the last build recorded writing that this
        one did not produce (each only while it is still as written). Without records, nothing is
        removed: the files found that this build did not make are counted as left."""
        with guard or nullcontext():
            for output, key in self._pending:
                self._write(output, key)
            self._pending = []
            gone = {path: record for path, record in self.old_records.items() if path not in self.owners}
            removed = _remove_recorded(self.output_dir, gone)
        left = len(gone) - removed if self.old_records else _count_others(self.output_dir, set(self.owners))
        return WriteResult(self.written, self.unchanged, removed, left)

    def _write(self, output: Output, key: str) -> None:
        try:
            self.account(self.store(output, key))
        except UnsafePathError as exc:
            self.report.error(output.origin, str(exc))
            del self.owners[output.path]

    def _target(self, path: str) -> Path:
        """Where `path` goes; each folder is checked (and made) once, not once per file."""
        folder, _, name = path.rpartition("/")
        if name in ("", ".", ".."):
            raise UnsafePathError(f"path leaves its folder: {path!r}")
        if folder not in self._folders:
            resolved = safe_join(self.output_dir, folder) if folder else self.output_dir.resolve()
            resolved.mkdir(parents=True, exist_ok=True)
            self._folders[folder] = resolved
        return self._folders[folder] / name


SITE_PARTS = ("sitegen.toml", "content", "templates", "static", ".sitegen", ".git")
"""What an output folder must never be, hold or be inside of: the site's own files."""


def check_output_dir(root: Path, output_dir: Path) -> None:
    """Refuse an output folder that is the site folder, an ancestor of it, inside one of its own
    folders, or that holds a site of its own: a build there could overwrite the user's work."""
    site, output = root.resolve(), output_dir.resolve()
    problem = ""
    if output.exists() and not output.is_dir():
        problem = "is not a folder"
    elif blocked := next((p for p in output.parents if p.exists() and not p.is_dir()), None):
        problem = f"{blocked} is not a folder"
    elif site.is_relative_to(output):
        problem = "is the site folder" if output == site else f"holds the site folder {site}"
    elif inside := next((part for part in SITE_PARTS[1:] if output.is_relative_to(site / part)), ""):
        problem = f"is inside the site's {inside}/ folder"
    elif mine := next((part for part in SITE_PARTS[:3] if (output / part).exists()), ""):
        problem = f"holds {mine}: it looks like a site folder, not an output folder"
    if problem:
        raise SitegenError(f"--output {output_dir}: {problem}; nothing was done")


def on_disk_as_recorded(output_dir: Path, path: str, record: PageRecord) -> bool:
    """The file at `path` is still as the record says it was written (size and mtime)."""
    try:
        stat = os.stat(os.path.join(output_dir, path))
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns)


def _remove_recorded(output_dir: Path, gone: dict[str, PageRecord]) -> int:
    """Delete these recorded files while each is still as written, and the folders they leave empty."""
    removed = 0
    for path, record in sorted(gone.items()):
        try:
            safe_join(output_dir, path)  # the records come from a file: checked like any path
        except UnsafePathError:
            continue
        if not on_disk_as_recorded(output_dir, path, record):
            continue  # changed since sitegen wrote it, or gone: not ours to remove
        target = output_dir / path
        target.unlink()
        removed += 1
        for folder in target.parents:
            if folder == output_dir or any(folder.iterdir()):
                break
            folder.rmdir()
    return removed


def _count_others(output_dir: Path, made: set[str]) -> int:
    """Files under `output_dir` that this build did not make (left alone, only counted)."""
    return sum(relative not in made for relative, _ in files_under(output_dir, hidden=True))
