"""What the output folder holds as sitegen wrote it: a record per file (the key it was made from,
its size and mtime), and whether the files on disk are still as recorded. A build skips a page
whose key and file are as recorded, and removes only files its records say it wrote."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple


class PageRecord(NamedTuple):
    """An output as written: skipped next time while its key and the file on disk stay the same.
    A tuple: a big site has hundreds of thousands, and the build cache stores them as plain tuples."""

    key: str
    size: int
    mtime_ns: int


def not_as_recorded(output_dir: Path, records: dict[str, PageRecord]) -> frozenset[str]:
    """The recorded files that are gone or not as written (another size or mtime): a stat each,
    relative to the folder, which a build with nothing to do makes for every page it wrote."""
    try:
        folder = os.open(output_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError:  # no output folder: nothing is as written
        return frozenset(records)
    changed = []
    try:
        for path, record in records.items():
            try:
                found = os.stat(path, dir_fd=folder)
            except (OSError, ValueError):
                changed.append(path)
                continue
            if found.st_size != record.size or found.st_mtime_ns != record.mtime_ns:
                changed.append(path)
    finally:
        os.close(folder)
    return frozenset(changed)


def on_disk_as_recorded(output_dir: Path, path: str, record: PageRecord) -> bool:
    """The file at `path` is still as the record says it was written (size and mtime)."""
    try:
        stat = os.stat(os.path.join(output_dir, path))
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns) == (record.size, record.mtime_ns)
