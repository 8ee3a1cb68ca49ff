"""Outputs -> the output folder, as they are made: atomic writes, identical bytes left alone
(mtime kept, so rsync and deploy see nothing new), collisions refused. Each written file is
recorded with the key of what made it, so the next build can skip a page whose key is the same
and whose file is as it was written.

The folder is owned through those records, never assumed: a file no longer produced is removed
only when the last build recorded writing it and it is still as written. Files sitegen did not
write (a first build into a folder that holds other things, records lost with `.sitegen/`, a
file edited by hand) are left and counted, never deleted.

The folder changes in one short step at the end (see staging.py)."""

from __future__ import annotations

import errno
import os
import shutil
from contextlib import nullcontext
from dataclasses import dataclass
from functools import cached_property
from itertools import chain
from operator import attrgetter
from pathlib import Path
from typing import ContextManager

from sitegen.errors import Report, SitegenError
from sitegen.fsutil import (UnsafePathError, check_relative, file_holds, files_under, safe_join,
                            write_if_changed, write_new)
from sitegen.model import Output
from sitegen.records import PageRecord, on_disk_as_recorded
from sitegen.staging import put_in_place


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


class OutputWriteError(SitegenError):
    """An output could not be written (a full disk, a read-only folder)."""

    def __init__(self, path: str, exc: OSError):
        space = " (the disk is full)" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else ""
        super().__init__(f"cannot write {path}{space}: {exc.strerror or exc}")
        self.path = path

    def __reduce__(self) -> tuple:  # made in worker processes, sent back to the build
        return _rebuilt_write_error, (self.path, str(self))


def _rebuilt_write_error(path: str, message: str) -> OutputWriteError:
    error = OutputWriteError.__new__(OutputWriteError)
    SitegenError.__init__(error, message)
    error.path = path
    return error


"""In the staging folder: what `finish` moves into place and removes, written before it starts."""


class OutputWriter:
    """`records`: what the last build wrote (path -> key, size, mtime). `buffered`: hold every
    output until `finish` (so a failed build can write nothing at all). `staging`: where outputs
    are written until `finish` moves them into place (None: straight into the output folder).
    `not_as_written`: the recorded files known not to be as written, when every one was looked at
    just before (the build's check): the others are then not looked at again."""

    def __init__(self, output_dir: Path, report: Report, records: dict[str, PageRecord] | None = None,
                 buffered: bool = False, staging: Path | None = None, not_as_written: frozenset[str] | None = None):
        self.output_dir, self.report, self.buffered, self.staging = output_dir, report, buffered, staging
        self.not_as_written = not_as_written
        self.old_records = records or {}
        self.records: dict[str, PageRecord] = {}
        self.owners: dict[str, str] = {}
        self.written = self.unchanged = 0
        self.unwritable = 0
        """How many outputs could not be written."""
        self._pending: list[tuple[Output, str]] = []
        self._folders: dict[str, Path] = {}

    def recorded(self, path: str) -> bool:
        """The last build recorded writing `path` (so what is there may be kept)."""
        return path in self.old_records

    def is_current(self, path: str, key: str) -> bool:
        """The file at `path` was made from `key` and is still as it was written."""
        record = self.old_records.get(path)
        if not key or record is None or record.key != key:
            return False
        if self.not_as_written is not None:
            return path not in self.not_as_written
        return on_disk_as_recorded(self.output_dir, path, record)

    def is_intact(self, path: str) -> bool:
        """The last build recorded the file at `path`, and it is still as it was written."""
        record = self.old_records.get(path)
        return record is not None and self.is_current(path, record.key)

    def keep_if_intact(self, path: str, origin: str) -> bool:
        """Keep `path` if the last build recorded it, it is still as written and no other output
        has it (`is_intact` and `keep` in one: a small build asks this of every page it knows
        nothing changed for)."""
        return self.keep_all_if_intact((path,), origin)

    def keep_all_if_intact(self, paths: tuple[str, ...], origin: str) -> bool:
        """Keep every one of `paths` as `keep_if_intact` would, or (if one cannot be) none of them."""
        # Asked of nearly every page of a small rebuild: what it looks up is looked up once.
        old, owners, not_as_written, records = self.old_records, self.owners, self.not_as_written, []
        for path in paths:
            record = old.get(path)
            if record is None or not record.key or path in owners:
                return False
            if path in not_as_written if not_as_written is not None else \
                    not on_disk_as_recorded(self.output_dir, path, record):
                return False
            records.append(record)
        kept = self.records
        for path, record in zip(paths, records):
            owners[path] = origin
            kept[path] = record
        self.unchanged += len(paths)
        return True

    def keep_each_if_intact(self, groups: dict[str, tuple[str, ...]], names: list[str], origin: str) -> set[str]:
        """`keep_all_if_intact` for the paths of each of `names` in `groups` (a group is kept whole
        or not at all); the names whose paths were not kept, or that have none in `groups`."""
        if self.not_as_written is not None and self._keep_every_group(groups, names, origin):
            return set()
        return {name for name in names if name not in groups or not self.keep_all_if_intact(groups[name], origin)}

    def _keep_every_group(self, groups: dict[str, tuple[str, ...]], names: list[str], origin: str) -> bool:
        """Keep the paths of every one of `names`, if every one can be kept (the usual case: then
        each check runs over all of them at once, in C); else keep none and say so."""
        try:
            paths = list(chain.from_iterable(map(groups.__getitem__, names)))
        except KeyError:
            return False
        records = list(map(self.old_records.get, paths))
        if None in records or not all(map(KEY, records)) or len(set(paths)) != len(paths) or \
                not self.owners.keys().isdisjoint(paths) or not self.not_as_written.isdisjoint(paths):
            return False
        self.owners.update(dict.fromkeys(paths, origin))
        self.records.update(zip(paths, records))
        self.unchanged += len(paths)
        return True

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
        """Write a claimed output now, in this process or a worker (see `account`): into staging,
        unless the output folder already holds these bytes. Raises UnsafePathError, and OSError
        when it cannot be written (a full disk)."""
        check_relative(output.path)  # enough for staging, sitegen's own folder: no link in it leads out
        try:
            if self.staging is None:
                return self._store_in_place(output, key)
            if self._output_dir_there:
                there = self._target(self.output_dir, output.path, make=False)
                if file_holds(there, output.data):
                    stat = there.stat()
                    return Stored(output.path, False, PageRecord(key, stat.st_size, stat.st_mtime_ns))
            stat = write_new(os.path.join(self.staging, output.path), output.data)
        except OSError as exc:
            raise OutputWriteError(output.path, exc) from None
        # Recorded even without a key: a build with nothing to do checks every file.
        return Stored(output.path, True, PageRecord(key, stat.st_size, stat.st_mtime_ns))

    def _store_in_place(self, output: Output, key: str) -> Stored:
        target = self._target(self.output_dir, output.path)
        written = write_if_changed(target, output.data)
        stat = target.stat()
        return Stored(output.path, written, PageRecord(key, stat.st_size, stat.st_mtime_ns))

    @cached_property
    def _output_dir_there(self) -> bool:
        """Whether the output folder exists: a first build's has nothing to compare with."""
        return os.path.lexists(self.output_dir)

    def account(self, stored: Stored) -> None:
        """Count and record a `store` made elsewhere."""
        self.records[stored.path] = stored.record
        if stored.written:
            self.written += 1
        else:
            self.unchanged += 1

    def key_of(self, path: str) -> str:
        """The key of what this build put or kept at `path` ('' for nothing)."""
        if path in self.records:
            return self.records[path].key
        return next((key for output, key in self._pending if output.path == path), "")

    def current(self, path: str) -> bytes:
        """The bytes `path` holds once this build is in place: what it wrote (staged or held), else the
        file in the output folder (kept). OSError when there is none."""
        held = next((output.data for output, _ in self._pending if output.path == path), None)
        if held is not None:
            return held
        if self.staging is not None:
            try:
                return safe_join(self.staging, path).read_bytes()
            except FileNotFoundError:
                pass
        return safe_join(self.output_dir, path).read_bytes()

    def failed(self, path: str) -> None:
        """`path` could not be made this time: its old file stays, and is made again next build."""
        self.owners.setdefault(path, "")

    def finish(self, guard: ContextManager | None = None) -> WriteResult:
        """Write what is pending, then put the build in place (see the module's docstring): move
        what was staged, and remove the files the last build recorded writing that this one did
        not produce (each only while it is still as written). Without records, nothing is
        removed: the files found that this build did not make are counted as left. A file that
        could not be written (a full disk) puts nothing in place: the folder stays as it was."""
        with guard or nullcontext():
            for output, key in self._pending:
                self._write(output, key)
            self._pending = []
            gone = {path: record for path, record in self.old_records.items() if path not in self.owners}
            if self.unwritable:
                self.discard()
                return WriteResult(0, self.unchanged, 0, 0)
            removed = put_in_place(self.output_dir, self.staging, gone)
        left = len(gone) - removed if self.old_records else _count_others(self.output_dir, set(self.owners))
        return WriteResult(self.written, self.unchanged, removed, left)

    def unwritable_file(self, where: str, problem: OutputWriteError) -> None:
        """An output that could not be written: said once (the rest fail alike); nothing will be
        put in place."""
        self.owners.setdefault(problem.path, "")
        if not self.unwritable:
            self.report.error(where, f"{problem}; {self.output_dir} was left as it was")
        self.unwritable += 1

    def discard(self) -> None:
        """Throw away what was staged (the output folder is left as it was)."""
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)

    def _write(self, output: Output, key: str) -> None:
        try:
            self.account(self.store(output, key))
        except UnsafePathError as exc:
            self.report.error(output.origin, str(exc))
            del self.owners[output.path]
        except OutputWriteError as exc:
            self.unwritable_file(output.origin, exc)

    def _target(self, root: Path, path: str, make: bool = True) -> Path:
        """Where `path` goes under `root` (its folder made if `make`); each folder is checked once,
        not once per file."""
        folder, _, name = path.rpartition("/")
        if name in ("", ".", ".."):
            raise UnsafePathError(f"path leaves its folder: {path!r}")
        if (root, folder) not in self._folders:
            resolved = safe_join(root, folder) if folder else root.resolve()
            if make:
                try:
                    resolved.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise OutputWriteError(path, exc) from None
            self._folders[root, folder] = resolved
        return self._folders[root, folder] / name


KEY = attrgetter("key")


def _count_others(output_dir: Path, made: set[str]) -> int:
    """Files under `output_dir` that this build did not make (left alone, only counted)."""
    return sum(relative not in made for relative, _ in files_under(output_dir, hidden=True))
