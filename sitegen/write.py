"""Outputs -> public/: atomic writes, identical bytes left alone, collisions refused,
files no longer produced removed."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sitegen.errors import Report
from sitegen.fsutil import UnsafePathError, safe_join, write_if_changed
from sitegen.model import Output


@dataclass(frozen=True)
class WriteResult:
    written: int
    unchanged: int
    removed: int


def write_outputs(output_dir: Path, outputs: list[Output], report: Report) -> WriteResult:
    output_dir.mkdir(parents=True, exist_ok=True)
    owners: dict[str, str] = {}
    written = unchanged = 0
    for output in outputs:
        if output.path in owners:
            report.error(output.origin, f"would overwrite {output.path}, already made from {owners[output.path]}")
            continue
        owners[output.path] = output.origin
        try:
            target = safe_join(output_dir, output.path)
        except UnsafePathError as exc:
            report.error(output.origin, str(exc))
            continue
        if write_if_changed(target, output.data):
            written += 1
        else:
            unchanged += 1
    removed = _remove_stale(output_dir, set(owners))
    return WriteResult(written, unchanged, removed)


def _remove_stale(output_dir: Path, keep: set[str]) -> int:
    """Delete files under `output_dir` that this build did not produce."""
    removed = 0
    for folder, dirs, files in os.walk(output_dir, topdown=False):
        for name in files:
            path = Path(folder, name)
            if path.relative_to(output_dir).as_posix() not in keep:
                path.unlink()
                removed += 1
        if folder != str(output_dir) and not os.listdir(folder):
            os.rmdir(folder)
    return removed
