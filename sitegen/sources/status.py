"""`sitegen sources status`: how each source of sitegen.toml has fared, as a table or as JSON.

A flagged source (failing, or silent) makes the exit status 1, so that cron can alert.
Sources recorded in the health file but no longer in sitegen.toml are not shown.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime, timezone
from typing import TextIO
from zoneinfo import ZoneInfo

from sitegen.config import SiteConfig
from sitegen.errors import SitegenError
from sitegen.health import COLUMNS, SourceHealth, read_history, source_health, status_cells
from sitegen.sources.table import aligned


def print_status(config: SiteConfig, now: datetime, as_json: bool = False, out: TextIO | None = None) -> int:
    """Print every source's health as of `now` (to `out`, default: standard output as it is at the
    call); 1 when any source is flagged, else 0."""
    healths = health_now(config, now)
    names = {s.id: s.name for s in config.sources}
    text = status_json(healths, names) if as_json else status_table(healths, names, now, config.site.timezone)
    (out or sys.stdout).write(text)
    return 1 if any(h.flagged for h in healths) else 0


def health_now(config: SiteConfig, now: datetime) -> list[SourceHealth]:
    """The health of the site's sources; a health file that cannot be read stops the command."""
    history = read_history(config.state_dir)
    if history.problem:
        raise SitegenError(history.problem)
    limits = config.health
    return source_health(history, [s.id for s in config.sources], now, limits.failing_runs, limits.silent_days)


def status_table(healths: list[SourceHealth], names: dict[str, str], now: datetime, zone: str) -> str:
    """The table, aligned for a terminal (a Chinese character takes two columns), then the error
    of each source failing now."""
    lines = aligned([COLUMNS, *(status_cells(h, names[h.source], now, ZoneInfo(zone)) for h in healths)])
    lines += [f"{h.source}: {h.streak} failed in a row: {h.last_error}" for h in healths if h.streak]
    if not healths:
        lines.append("(no sources in sitegen.toml)")
    return "\n".join(lines) + f"\ntimes in {zone}\n"


def status_json(healths: list[SourceHealth], names: dict[str, str]) -> str:
    """A JSON list, one object per source in sitegen.toml's order; times in ISO 8601 (UTC)."""
    return json.dumps([_document(h, names[h.source]) for h in healths], ensure_ascii=False, indent=2,
                      sort_keys=True) + "\n"


def _document(health: SourceHealth, name: str) -> dict:
    return {
        "source": health.source, "name": name, "fetched": health.fetched, "flag": health.flag,
        "failing": health.failing, "silent": health.silent, "streak": health.streak,
        "last_error": health.last_error, "last_attempt": _iso(health.last_attempt),
        "last_success": _iso(health.last_success), "last_new_story": _iso(health.last_new),
        "items_per_day": round(health.items_per_day, 2),
        "last_response_ms": _ms(health.last_seconds), "median_response_ms": _ms(health.median_seconds),
    }


def _iso(moment: datetime | None) -> str | None:
    return moment.astimezone(timezone.utc).isoformat() if moment else None


def _ms(seconds: float | None) -> int | None:
    return round(seconds * 1000) if seconds is not None else None

