"""The facts of the pictures the last build read, by file, with the size and mtime it had then: a
build reads and hashes only the pictures that changed since (a site may hold thousands, and
`serve` builds after every save). Kept in the renditions' cache folder; lost or damaged, it is
rebuilt by reading every picture once."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

from sitegen.fsutil import atomic_write, settled
from sitegen.images.facts import RECIPE, ImageFacts, facts_of

FILE = "facts.json"

Stamp = tuple[int, int]
"""A file's size and mtime (ns)."""


class KnownFacts:
    """The last build's facts, and this build's, to store for the next."""

    def __init__(self, folder: Path):
        self.folder, self.started_ns = folder, time.time_ns()
        self.old: dict[str, list] = _load(folder / FILE)
        self.new: dict[str, list] = {}

    def get(self, url: str, file: Path, stamp: Stamp) -> ImageFacts | None:
        """The facts of `file` as last read, if it still has the size and mtime it had then."""
        entry = self.old.get(str(file))
        if entry is None or tuple(entry[:2]) != stamp:
            return None
        self.new[str(file)] = entry
        return facts_of(url, *entry[2:])

    def put(self, file: Path, stamp: Stamp, facts: ImageFacts) -> None:
        """Remember `facts` unless the file changed too recently to trust its mtime (it could change
        again within the same mtime, and look as it was)."""
        if settled(stamp[1], self.started_ns):
            self.new[str(file)] = [*stamp, facts.digest, facts.width, facts.height, facts.kind]

    def save(self) -> None:
        """Store this build's facts (none: no file). An error is the caller's: only speed is lost."""
        if not self.new:
            (self.folder / FILE).unlink(missing_ok=True)
        elif self.new != self.old:
            text = json.dumps({"recipe": RECIPE, "files": self.new}, ensure_ascii=False, sort_keys=True)
            atomic_write(self.folder / FILE, text.encode("utf-8"))


def stamp_of(file: Path) -> Stamp:
    stat = os.stat(file)
    return stat.st_size, stat.st_mtime_ns


def _load(path: Path) -> dict[str, list]:
    try:
        stored = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(stored, dict) or stored.get("recipe") != RECIPE or not isinstance(stored.get("files"), dict):
        return {}
    return {file: entry for file, entry in stored["files"].items() if _well_formed(entry)}


ENTRY = (int, int, str, int, int, str)
"""size, mtime, digest, width, height, kind."""


def _well_formed(entry: object) -> bool:
    return isinstance(entry, list) and len(entry) == len(ENTRY) and \
        all(isinstance(value, kind) and not isinstance(value, bool) for value, kind in zip(entry, ENTRY))
