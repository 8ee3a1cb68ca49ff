"""Feed dates read the way Chinese feeds mean them.

feedparser gets these silently wrong: `2023年9月13日` becomes a date filled in
from today, `CST` is taken as US Central, a date with no zone as UTC. We parse
the raw string ourselves: CST, 北京时间 and GMT+8 mean +08:00, and a date with no
zone is in the source's time zone. Nothing here ever looks at the clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

ZONE_NAMES = {"CST": "+0800", "CCT": "+0800", "HKT": "+0800", "TWT": "+0800", "BJT": "+0800",
              "北京时间": "+0800", "北京時間": "+0800", "台北時間": "+0800", "香港時間": "+0800"}
NUMERIC = re.compile(
    r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?"
    r"(?:\s*[T\s]\s*(?:(?P<ampm>上午|下午|凌晨|晚上|中午)\s*)?(?P<H>\d{1,2})\s*[:時时点點]\s*(?P<M>\d{1,2})\s*分?"
    r"(?:\s*[:]\s*(?P<S>\d{1,2})(?:\.\d+)?\s*秒?)?)?"
    r"\s*(?P<zone>Z|[+-]\d{2}:?\d{2}|(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\s*$",
    re.IGNORECASE)
GMT_OFFSET = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
WEEKDAY_CN = re.compile(r"^\s*(?:星期|周|週|禮拜|礼拜)[一二三四五六日天]\s*[,，]?\s*")
OFFSET_NO_SPACE = re.compile(r"(\d{2}:\d{2}(?::\d{2})?)([+-]\d{4})\s*$")


def parse_date(raw: str, default_zone: str) -> datetime | None:
    """A timezone-aware datetime for a feed's date string, or None if it cannot be read."""
    text = WEEKDAY_CN.sub("", raw.strip())
    for name, offset in ZONE_NAMES.items():
        text = re.sub(rf"(?<![A-Za-z]){name}(?![A-Za-z])", offset, text)
    text = GMT_OFFSET.sub(_offset, text)
    zone = ZoneInfo(default_zone)
    for reader in (_numeric, _rfc822, _iso):
        moment = reader(text, zone)
        if moment is not None:
            return moment
    return None


def _offset(match: re.Match) -> str:
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    return f"{sign}{hours:02d}{minutes:02d}"


def _numeric(text: str, zone: ZoneInfo) -> datetime | None:
    """2023年9月13日 08:00, 2023/09/13 8:00, 2023-09-13 08:00:00 (+08:00 optional)."""
    match = NUMERIC.match(text)
    if not match:
        return None
    hour = int(match["H"] or 0)
    if match["ampm"] in ("下午", "晚上") and hour < 12:
        hour += 12
    try:
        moment = datetime(int(match["y"]), int(match["m"]), int(match["d"]), hour, int(match["M"] or 0),
                          int(match["S"] or 0))
    except ValueError:
        return None
    return _zoned(moment, match["zone"], zone)


def _rfc822(text: str, zone: ZoneInfo) -> datetime | None:
    """Wed, 13 Sep 2023 08:00:00 +0800 (also with the offset glued to the time)."""
    try:
        moment = parsedate_to_datetime(OFFSET_NO_SPACE.sub(r"\1 \2", text))
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is None:  # no zone, or "-0000": local time of the source
        return moment.replace(tzinfo=zone)
    return moment


def _iso(text: str, zone: ZoneInfo) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=zone)


def _zoned(moment: datetime, offset: str | None, zone: ZoneInfo) -> datetime:
    if not offset:
        return moment.replace(tzinfo=zone)
    if offset.upper() == "Z":
        return moment.replace(tzinfo=timezone.utc)
    sign = -1 if offset.startswith("-") else 1
    digits = offset[1:].replace(":", "")
    return moment.replace(tzinfo=timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))))
