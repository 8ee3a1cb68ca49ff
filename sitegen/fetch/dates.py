"""Feed dates read the way Chinese feeds mean them.

feedparser gets these silently wrong: `2023年9月13日` becomes a date filled in
from today, `CST` is taken as US Central, a date with no zone as UTC. We parse
the raw string ourselves: CST, 北京时间 and GMT+8 mean +08:00, and a date with no
zone is in the source's time zone. A date without a year (`05/20 7:03 am`,
`5月20日 07:03`, `May 20 7:03`) goes in the latest year that does not put it after
a moment the caller names (the feed's own date, or the fetch): feedparser would
give it no date at all, and the fetch would then date the story "now".
Nothing here ever looks at the clock.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from email.utils import parsedate_to_datetime
from zoneinfo import ZoneInfo

ZONE_NAMES = {"CST": "+0800", "CCT": "+0800", "HKT": "+0800", "TWT": "+0800", "BJT": "+0800",
              "北京时间": "+0800", "北京時間": "+0800", "台北時間": "+0800", "香港時間": "+0800"}
# A time after the date: 08:00, 8:00:05, 下午3時20分, 7:03 am, 7:03 p.m.
TIME = (r"(?:\s*[T\s,，]\s*(?:(?P<ampm>上午|下午|凌晨|早上|晚上|中午)\s*)?"
        r"(?P<H>\d{1,2})\s*[:時时点點]\s*(?P<M>\d{1,2})\s*分?(?:\s*[:]\s*(?P<S>\d{1,2})(?:\.\d+)?\s*秒?)?"
        r"(?:\s*(?P<meridiem>[ap])\.?m\.?)?)?")
ZONE = r"\s*(?P<zone>Z|GMT|UTC|UT|[+-]\d{2}:?\d{2}|(?:GMT|UTC)\s*[+-]\s*\d{1,2}(?::?\d{2})?)?\s*$"
NUMERIC = re.compile(r"^(?P<y>\d{4})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?" + TIME + ZONE,
                     re.IGNORECASE)
MONTHS = {name: number for number, name in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), start=1)}
MONTH_NAME = r"(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# Month and day, year optional (rare, but then it is read as written): the year-less forms.
MONTH_DAY = (
    re.compile(r"^(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})\s*日?" + TIME + ZONE, re.IGNORECASE),
    re.compile(r"^" + MONTH_NAME + r"\s*(?P<d>\d{1,2})(?:st|nd|rd|th)?(?:\s*,?\s*(?P<y>\d{4}))?" + TIME + ZONE,
               re.IGNORECASE),
    re.compile(r"^(?P<d>\d{1,2})\s*" + MONTH_NAME + r"(?:\s*,?\s*(?P<y>\d{4}))?" + TIME + ZONE, re.IGNORECASE),
)
LATEST_AHEAD = timedelta(days=1)
"""How far after the reference a year-less date may fall and still be this year's: a few hours ahead
is a zone or clock mistake upstream (the fetch dates it when fetched), not a story from last year."""
GMT_OFFSET = re.compile(r"(?:GMT|UTC)\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?", re.IGNORECASE)
WEEKDAY_CN = re.compile(r"^\s*(?:星期|周|週|禮拜|礼拜)[一二三四五六日天]\s*[,，]?\s*")
WEEKDAY_EN = re.compile(r"^\s*(?:mon|tue|wed|thu|fri|sat|sun)[a-z]*\.?\s*,?\s*", re.IGNORECASE)
OFFSET_NO_SPACE = re.compile(r"(\d{2}:\d{2}(?::\d{2})?)([+-]\d{4})\s*$")


def parse_date(raw: str, default_zone: str, reference: datetime | None = None) -> datetime | None:
    """A timezone-aware datetime for a feed's date string, or None if it cannot be read.

    A date without a year needs `reference` (without one it cannot be read): it takes the latest
    year that puts it no more than LATEST_AHEAD after that moment.
    """
    text = WEEKDAY_CN.sub("", raw.strip())
    for name, offset in ZONE_NAMES.items():
        text = re.sub(rf"(?<![A-Za-z]){name}(?![A-Za-z])", offset, text)
    text = GMT_OFFSET.sub(_offset, text)
    zone = ZoneInfo(default_zone)
    # Month names before RFC 822, whose lenient reader drops what it does not know ("7:03 pm" -> 07:03).
    return (_numeric(text, zone) or _month_day(WEEKDAY_EN.sub("", text), zone, reference)
            or _rfc822(text, zone) or _iso(text, zone))


def _offset(match: re.Match) -> str:
    sign, hours, minutes = match.group(1), int(match.group(2)), int(match.group(3) or 0)
    return f"{sign}{hours:02d}{minutes:02d}"


def _numeric(text: str, zone: ZoneInfo) -> datetime | None:
    """2023年9月13日 08:00, 2023/09/13 8:00, 2023-09-13 08:00:00 (+08:00 optional)."""
    match = NUMERIC.match(text)
    if not match:
        return None
    try:
        return _zoned(datetime(int(match["y"]), int(match["m"]), int(match["d"]), *_clock(match)),
                      match["zone"], zone)
    except ValueError:
        return None


def _month_day(text: str, zone: ZoneInfo, reference: datetime | None) -> datetime | None:
    """05/20 7:03 am, 5月20日 07:03, May 20 7:03, 20 May 07:03 +0800 (a year, when written, is used)."""
    match = next(filter(None, (pattern.match(text) for pattern in MONTH_DAY)), None)
    if match is None:
        return None
    found = match.groupdict()
    month = MONTHS[found["mon"][:3].lower()] if found.get("mon") else int(found["m"])
    offset = None if found["zone"] in ("-0000", "-00:00") else found["zone"]  # RFC 2822: zone unknown
    try:
        clock = _clock(match)
        if found.get("y"):
            return _zoned(datetime(int(found["y"]), month, int(found["d"]), *clock), offset, zone)
        datetime(2000, month, int(found["d"]))  # a month and day that exist in some year (2000 had 29 Feb)
    except ValueError:
        return None
    if reference is None:
        return None
    latest = reference + LATEST_AHEAD
    # From the year after the reference's (its zone may differ from the date's) back; eight years
    # always meet a 29 February.
    for year in range(latest.year + 1, latest.year - 9, -1):
        try:
            moment = _zoned(datetime(year, month, int(found["d"]), *clock), offset, zone)
        except ValueError:
            continue
        if moment <= latest:
            return moment
    return None


def _clock(match: re.Match) -> tuple[int, int, int]:
    """(hour, minute, second) of a matched TIME, 00:00:00 when none; raises ValueError when impossible."""
    hour, minute, second = int(match["H"] or 0), int(match["M"] or 0), int(match["S"] or 0)
    if match["ampm"] in ("下午", "晚上") and hour < 12:
        hour += 12
    meridiem = (match["meridiem"] or "").lower()
    if meridiem and not 1 <= hour <= 12:
        raise ValueError(f"{hour} {meridiem}m")
    if meridiem:
        hour = hour % 12 + (12 if meridiem == "p" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise ValueError(f"{hour}:{minute}:{second}")
    return hour, minute, second


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
    if offset.upper() in ("Z", "GMT", "UTC", "UT"):
        return moment.replace(tzinfo=timezone.utc)
    sign = -1 if offset.startswith("-") else 1
    digits = offset[1:].replace(":", "")
    return moment.replace(tzinfo=timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))))
