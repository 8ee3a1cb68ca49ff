"""Dates as pages show them: in the site's time zone, written the Chinese way."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo


def chinese_date(moment: datetime, timezone: str, with_time: bool = True) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    day = f"{local.year}年{local.month}月{local.day}日"
    return f"{day} {local:%H:%M}" if with_time else day


def short_date(moment: datetime, timezone: str) -> str:
    """Month, day and time (09-15 10:21), as compact lists of the newest stories show it."""
    return f"{moment.astimezone(ZoneInfo(timezone)):%m-%d %H:%M}"
