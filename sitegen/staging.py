"""Putting a build's files in place: staged as they are made, moved into the output folder at the
end by a commit list, and what the last build recorded but this one did not make removed (each
only while still as written).

The output folder changes in one short step at the end. With a staging folder (on the same
file system), new and changed files are written there as they are made; the writer's `finish`
(write.py) then writes a commit list, moves them into place by rename and removes what is gone.
A build killed before the commit list exists leaves the output folder as it was (its staging is
thrown away next time); one killed during the moves is finished by `finish_interrupted` before
the next build, serve, deploy or check reads the folder. The moves go new files first, replaced ones next and
removals last, so a reader during them (or after a kill among them) meets every file whole, old
or new, and no link to a page that is not there yet or any more. A full disk leaves the old site
whole."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path

from sitegen.fsutil import UnsafePathError, atomic_write, files_under, safe_join
from sitegen.records import PageRecord, on_disk_as_recorded

COMMIT_LIST = "commit.json"


def put_in_place(output_dir: Path, staging: Path | None, gone: dict[str, PageRecord]) -> int:
    """Move what was staged into `output_dir` and remove `gone` (how many removed). Without staging,
    the files were written in place: only what is gone is removed."""
    if staging is None:
        return _remove_recorded(output_dir, gone)
    if not gone and _put_whole(staging, output_dir):
        return 0
    staged = sorted(path for path, _ in files_under(staging, hidden=True) if path != COMMIT_LIST)
    # A reader coming from the old site never meets a broken link during the moves: new files go in
    # before the pages that link to them are replaced, and what is gone goes once nothing links to it.
    staged.sort(key=lambda path: os.path.lexists(os.path.join(output_dir, path)))
    atomic_write(staging / COMMIT_LIST, json.dumps({"move": staged, "remove": {
        path: [r.size, r.mtime_ns] for path, r in gone.items()}}).encode())
    return finish_interrupted(output_dir, staging)


def _put_whole(staging: Path, output_dir: Path) -> bool:
    """A first build, into a folder that is not there yet: the staged tree becomes it in one rename
    (moving every file on its own takes a tenth of a cold build). False, touching nothing, when
    the folder is there (even empty: it may have been made with an owner or mode of its own)."""
    if os.path.lexists(output_dir) or not staging.is_dir():
        return False
    output_dir.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(staging, output_dir)
    except OSError:  # made meanwhile, or another file system after all: file by file, as always
        return False
    return True


def staging_for(state_dir: Path, output_dir: Path) -> Path:
    """Where a build into `output_dir` stages its files: in the site's state folder, or beside the
    output folder when that is on another file system (a move must be a rename)."""
    try:
        same_device = os.stat(state_dir).st_dev == os.stat(output_dir.parent).st_dev
    except OSError:
        same_device = False
    if same_device:
        return state_dir / "staging" / hashlib.blake2b(str(output_dir).encode(), digest_size=6).hexdigest()
    return output_dir.parent / f".{output_dir.name}.sitegen-staging"


def finish_interrupted(output_dir: Path, staging: Path) -> int:
    """Put a build's staged files in place by its commit list, and remove what the list says is
    gone (how many removed). Safe to run again after being killed part way: what is done is
    skipped. Staging without a commit list is a build killed before it began to change the
    output folder: it is thrown away. Without staging, nothing to do."""
    commit = staging / COMMIT_LIST
    if not commit.exists():
        shutil.rmtree(staging, ignore_errors=True)
        return 0
    plan = json.loads(commit.read_text(encoding="utf-8"))
    for path in plan["move"]:
        source = staging / path
        if source.exists():  # else moved before the last run was killed
            target = safe_join(output_dir, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
    removed = _remove_recorded(output_dir, {path: PageRecord("", size, mtime)
                                            for path, (size, mtime) in plan["remove"].items()})
    commit.unlink()
    shutil.rmtree(staging, ignore_errors=True)
    return removed


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
