"""Source health: what each fetch of a source brought, kept in .sitegen/ for `sitegen sources status`.

`sitegen fetch` records one `Attempt` per source and run in `.sitegen/health.sqlite` (under the
fetch lock, so there is one writer at a time); `sitegen sources status` and the build's
`/_status/` page read them back as one `SourceHealth` per source. Like the fetch state the file
is safe to delete: the history starts again.

It stays small: every write drops the attempts older than KEEP_DAYS and all but each source's
last KEEP_ATTEMPTS. What must outlive them (when the source was first recorded, its last success,
its last new story, its error streak) is kept in one `Standing` row per source.

Nothing here reads the clock: the caller says what `now` is, so the same records always give the
same figures.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Mapping, Sequence

from sitegen.errors import SitegenError

if TYPE_CHECKING:
    import sqlite3

HEALTH_FILE = "health.sqlite"
KEEP_DAYS = 60
KEEP_ATTEMPTS = 3000
"""Per source: a month of fetches every 15 minutes."""
WINDOW_DAYS = 30
"""Items per day and the median response time are taken over this many days."""
LOCK_WAIT = 10.0
"""Seconds to wait for another reader or writer of the file (a build reading it, a stuck process)."""

SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    source TEXT NOT NULL, at TEXT NOT NULL, ok INTEGER NOT NULL, error TEXT NOT NULL,
    seconds REAL NOT NULL, items INTEGER, new INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS attempts_of_source ON attempts (source, at);
CREATE TABLE IF NOT EXISTS standing (
    source TEXT PRIMARY KEY, first_at TEXT NOT NULL, last_at TEXT NOT NULL, last_success TEXT,
    last_new TEXT, streak INTEGER NOT NULL, last_error TEXT NOT NULL);
"""


class HealthRecordError(SitegenError):
    """The health records could not be written (a full disk, a damaged file)."""


@dataclass(frozen=True)
class Attempt:
    """One fetch of one source."""

    source: str
    at: datetime
    """When the fetch run started (every source of a run shares it)."""
    ok: bool
    error: str = ""
    """Why it failed (empty when ok)."""
    seconds: float = 0.0
    """Wall time of the source's fetch: the feed, and any pages and images it named."""
    items: int | None = None
    """Stories the feed held; None when it was not modified or the fetch failed."""
    new: int = 0
    """New stories stored."""


@dataclass(frozen=True)
class Standing:
    """What is known of a source beyond its kept attempts."""

    first_at: datetime
    last_at: datetime
    last_success: datetime | None
    last_new: datetime | None
    """The last attempt that stored a new story."""
    streak: int
    """Failed attempts in a row, up to the last one."""
    last_error: str
    """The error of the streak's last attempt ('' when the last attempt was ok)."""


@dataclass(frozen=True)
class History:
    """Every record, as read: empty when nothing is recorded or the file cannot be read."""

    standing: Mapping[str, Standing] = field(default_factory=dict)
    attempts: Mapping[str, tuple[Attempt, ...]] = field(default_factory=dict)
    """Each source's kept attempts, oldest first."""
    problem: str = ""
    """Why the records could not be read ('' when they could, or there were none)."""

    @property
    def newest(self) -> datetime | None:
        """The last recorded attempt of any source."""
        return max((s.last_at for s in self.standing.values()), default=None)


@dataclass(frozen=True)
class SourceHealth:
    """How one source has fared, as of a given time."""

    source: str
    last_attempt: datetime | None = None
    """None: never fetched (nor any other field known)."""
    last_success: datetime | None = None
    streak: int = 0
    last_error: str = ""
    items_per_day: float = 0.0
    """New stories stored per day over the last WINDOW_DAYS (or since the first kept attempt)."""
    last_new: datetime | None = None
    last_seconds: float | None = None
    median_seconds: float | None = None
    """Over the successful attempts of the last WINDOW_DAYS."""
    failing: bool = False
    """The last `failing_runs` attempts or more all failed."""
    silent: bool = False
    """No new story for more than `silent_days` days, while recorded that long."""

    @property
    def fetched(self) -> bool:
        return self.last_attempt is not None

    @property
    def flagged(self) -> bool:
        return self.failing or self.silent

    @property
    def flag(self) -> str:
        if not self.fetched:
            return "never fetched"
        return "FAILING" if self.failing else "SILENT" if self.silent else "ok"


# ---- writing ------------------------------------------------------------------

def record_attempts(state_dir: Path, attempts: Sequence[Attempt]) -> None:
    """Add `attempts` (in the order they happened) and prune, in one transaction.
    Raises HealthRecordError when the file cannot be written."""
    import sqlite3  # here, not at the top: a build imports this module for its status page

    if not attempts:
        return
    path = state_dir / HEALTH_FILE
    try:
        state_dir.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(path, isolation_level=None, timeout=LOCK_WAIT)
        try:
            db.executescript(SCHEMA)
            db.execute("BEGIN IMMEDIATE")
            for attempt in attempts:
                _add(db, attempt)
            _prune(db, max(a.at for a in attempts))
            db.execute("COMMIT")
        finally:
            db.close()  # an open transaction is rolled back
    except (sqlite3.Error, OSError) as exc:
        raise HealthRecordError(f"{path}: {exc}") from None


def advance(standing: Standing | None, attempt: Attempt) -> Standing:
    """A source's standing after `attempt`."""
    first_at = standing.first_at if standing else attempt.at
    if attempt.ok:
        last_new = attempt.at if attempt.new else standing.last_new if standing else None
        return Standing(first_at, attempt.at, attempt.at, last_new, 0, "")
    return Standing(first_at, attempt.at, standing.last_success if standing else None,
                    standing.last_new if standing else None, (standing.streak if standing else 0) + 1,
                    attempt.error)


def _add(db: sqlite3.Connection, attempt: Attempt) -> None:
    db.execute("INSERT INTO attempts VALUES (?, ?, ?, ?, ?, ?, ?)",
               (attempt.source, _text(attempt.at), int(attempt.ok), attempt.error, attempt.seconds,
                attempt.items, attempt.new))
    row = db.execute("SELECT * FROM standing WHERE source = ?", (attempt.source,)).fetchone()
    new = advance(_standing(row) if row else None, attempt)
    db.execute("INSERT OR REPLACE INTO standing VALUES (?, ?, ?, ?, ?, ?, ?)",
               (attempt.source, _text(new.first_at), _text(new.last_at), _text(new.last_success),
                _text(new.last_new), new.streak, new.last_error))


def _prune(db: sqlite3.Connection, now: datetime) -> None:
    cutoff = _text(now - timedelta(days=KEEP_DAYS))
    db.execute("DELETE FROM attempts WHERE at < ?", (cutoff,))
    db.execute("""DELETE FROM attempts WHERE rowid IN (
                      SELECT rowid FROM (SELECT rowid, ROW_NUMBER() OVER (
                          PARTITION BY source ORDER BY at DESC, rowid DESC) AS place FROM attempts)
                      WHERE place > ?)""", (KEEP_ATTEMPTS,))
    db.execute("DELETE FROM standing WHERE last_at < ?", (cutoff,))  # a source long gone from the site


# ---- reading ------------------------------------------------------------------

def read_history(state_dir: Path) -> History:
    """Every record in `state_dir`; never raises (a missing file is no history, a damaged one
    is no history with its `problem`). Opened read-only: reading never makes the file."""
    import sqlite3

    path = state_dir / HEALTH_FILE
    if not path.is_file():
        return History()
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=LOCK_WAIT)
        try:
            if not db.execute("SELECT 1 FROM sqlite_master WHERE name = 'standing'").fetchone():
                return History()  # made, but nothing recorded yet
            standing = {row[0]: _standing(row) for row in db.execute("SELECT * FROM standing")}
            attempts: dict[str, list[Attempt]] = {}
            for row in db.execute("SELECT * FROM attempts ORDER BY at, rowid"):
                attempts.setdefault(row[0], []).append(_attempt(row))
        finally:
            db.close()
    except (sqlite3.Error, OSError, ValueError) as exc:  # ValueError: a time that is not one
        return History(problem=f"{path} cannot be read ({exc}); delete it to start the records again")
    return History(standing, {source: tuple(rows) for source, rows in attempts.items()})


def health_stamp(state_dir: Path) -> tuple[int, int] | None:
    """Size and mtime of the health file (None: there is none): what tells a build that a fetch was recorded."""
    try:
        found = (state_dir / HEALTH_FILE).stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


def _standing(row: tuple) -> Standing:
    _, first_at, last_at, last_success, last_new, streak, last_error = row
    return Standing(_time(first_at), _time(last_at), _time(last_success), _time(last_new), streak, last_error)


def _attempt(row: tuple) -> Attempt:
    source, at, ok, error, seconds, items, new = row
    return Attempt(source, _time(at), bool(ok), error, seconds, items, new)


def _text(moment: datetime | None) -> str | None:
    """UTC ISO 8601 to the second: text that sorts as time does."""
    return moment.astimezone(timezone.utc).isoformat(timespec="seconds") if moment else None


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


# ---- what the records add up to ---------------------------------------------------

def source_health(history: History, sources: Iterable[str], now: datetime, failing_runs: int,
                  silent_days: int) -> list[SourceHealth]:
    """The health of each of `sources`, in their order, as of `now`."""
    return [health_of(source, history.standing.get(source), history.attempts.get(source, ()), now,
                      failing_runs, silent_days) for source in sources]


def health_of(source: str, standing: Standing | None, attempts: Sequence[Attempt], now: datetime,
              failing_runs: int, silent_days: int) -> SourceHealth:
    import statistics

    if standing is None:
        return SourceHealth(source)
    since = max(now - timedelta(days=WINDOW_DAYS), attempts[0].at if attempts else now)
    recent = [a for a in attempts if since <= a.at <= now]
    days = max(1.0, (now - since) / timedelta(days=1))  # a first day counts as a whole one
    response = [a.seconds for a in recent if a.ok]
    quiet_since = standing.last_new or standing.first_at
    return SourceHealth(
        source, last_attempt=standing.last_at, last_success=standing.last_success, streak=standing.streak,
        last_error=standing.last_error, items_per_day=sum(a.new for a in recent) / days,
        last_new=standing.last_new, last_seconds=attempts[-1].seconds if attempts else None,
        median_seconds=statistics.median(response) if response else None,
        failing=standing.streak >= failing_runs, silent=now - quiet_since > timedelta(days=silent_days))


# ---- how the figures read -----------------------------------------------------------

COLUMNS = ("source", "name", "last success", "streak", "items/day", "last new story", "median ms", "flag")


def status_cells(health: SourceHealth, name: str, now: datetime, zone: tzinfo) -> tuple[str, ...]:
    """One source's row of the status table (COLUMNS), as `sitegen sources status` and the
    `/_status/` page show it."""
    if not health.fetched:
        return (health.source, name, "-", "-", "-", "-", "-", health.flag)
    success = f"{ago(health.last_success, now)} ({local(health.last_success, zone)})" \
        if health.last_success else "never"
    median = f"{health.median_seconds * 1000:.0f}" if health.median_seconds is not None else "-"
    return (health.source, name, success, str(health.streak), f"{health.items_per_day:.1f}",
            ago(health.last_new, now) if health.last_new else "never", median, health.flag)


def ago(then: datetime, now: datetime) -> str:
    """How long before `now`: `just now`, `5 min ago`, `3 h ago`, `2 d ago`."""
    seconds = max(0, int((now - then).total_seconds()))
    if seconds < 60:
        return "just now"
    for unit, size in (("d", 86400), ("h", 3600)):
        if seconds >= size:
            return f"{seconds // size} {unit} ago"
    return f"{seconds // 60} min ago"


def local(moment: datetime, zone: tzinfo) -> str:
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M")
