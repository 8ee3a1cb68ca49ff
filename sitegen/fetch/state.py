"""Fetch state in .sitegen/fetch.sqlite: validators for conditional GET, and what
each stored story looked like upstream. Safe to delete: ids come from the stories,
and a lost state is rebuilt from content/.
"""

from __future__ import annotations

import sqlite3
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from sitegen.errors import SitegenError
from sitegen.fsutil import waiting_lock

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id TEXT PRIMARY KEY, url TEXT NOT NULL, etag TEXT NOT NULL DEFAULT '',
    last_modified TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS stories (
    id TEXT PRIMARY KEY, source TEXT NOT NULL, path TEXT NOT NULL,
    upstream_hash TEXT NOT NULL DEFAULT '');
"""


class FetchLockedError(SitegenError):
    """Another sitegen fetch holds the site's fetch lock."""


@dataclass(frozen=True)
class Validators:
    etag: str = ""
    last_modified: str = ""


@dataclass(frozen=True)
class KnownStory:
    path: str
    """Where the story is stored, relative to content/."""
    upstream_hash: str
    """Hash of the feed entry last seen; empty when rebuilt from content/."""


class FetchState:
    """The state database of one site, opened for one fetch run."""

    def __init__(self, state_dir: Path):
        state_dir.mkdir(parents=True, exist_ok=True)
        path = state_dir / "fetch.sqlite"
        self.is_new = not path.exists()
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.executescript(SCHEMA)

    def close(self) -> None:
        self._db.close()

    def validators(self, source_id: str, url: str) -> Validators:
        row = self._db.execute("SELECT etag, last_modified FROM sources WHERE id = ? AND url = ?",
                               (source_id, url)).fetchone()
        return Validators(*row) if row else Validators()

    def known_stories(self) -> dict[str, KnownStory]:
        rows = self._db.execute("SELECT id, path, upstream_hash FROM stories")
        return {story_id: KnownStory(path, upstream) for story_id, path, upstream in rows}

    def save_source(self, source_id: str, url: str, validators: Validators,
                    stories: Iterable[tuple[str, str, str]]) -> None:
        """Record one source's validators and its stories (id, path, upstream hash) in one transaction."""
        with self._transaction():
            self._db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?, ?)",
                             (source_id, url, validators.etag, validators.last_modified))
            self._db.executemany("INSERT OR REPLACE INTO stories VALUES (?, ?, ?, ?)",
                                 ((sid, source_id, path, upstream) for sid, path, upstream in stories))

    def remember(self, stories: Iterable[tuple[str, str, str]]) -> None:
        """Record stories found in content/ (id, source, path) when the state was lost."""
        with self._transaction():
            self._db.executemany("INSERT OR IGNORE INTO stories VALUES (?, ?, ?, '')", stories)

    @contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


@contextmanager
def fetch_lock(state_dir: Path) -> Iterator[None]:
    """Hold the site's fetch lock, or raise FetchLockedError at once."""
    path = state_dir / "fetch.lock"

    def refuse(holder: str) -> None:
        raise FetchLockedError(f"another sitegen fetch (pid {holder}) is running on this site "
                               f"(lock: {path}); try again when it has finished")

    with waiting_lock(path, on_wait=refuse):
        yield
