"""Reading TOML tables against a schema: typed keys, defaults, and value checks.

Every problem is recorded with its key path instead of raised, so a config
with five mistakes is reported with five lines at once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sitegen.errors import Problem
from sitegen.model import NOT_IN_XML, control_problem

PERMALINK_FIELDS = {"year", "month", "day", "id", "source"}
URL_PATH = re.compile(r"^/([A-Za-z0-9._~-]+/)*$")
THEME_DIR = Path(__file__).resolve().parent / "theme"
"""The bundled theme: templates/ and static/ (a site's own folders of those names come first)."""
PRESETS_DIR = Path(__file__).resolve().parent / "convert" / "presets"
"""Glossary presets that ship with sitegen, switched on by name in [glossary] presets."""

# ---- reading tables -------------------------------------------------------

Check = Callable[[Any], str | None]
"""Returns a problem message, or None when the value is fine."""


@dataclass(frozen=True)
class Key:
    kind: type | tuple[type, ...]
    default: Any = None
    required: bool = False
    check: Check | None = None


def read_table(table: Any, keys: dict[str, Key], where: str, problems: list[Problem]) -> dict:
    """Typed values for `keys` from `table`, defaults filled in, problems recorded."""
    if not isinstance(table, dict):
        problems.append(Problem(where, "must be a table"))
        return {name: key.default for name, key in keys.items()}
    values = {}
    for name in table.keys() - keys.keys():
        problems.append(Problem(_join(where, name), "unknown key"))
    for name, key in keys.items():
        path = _join(where, name)
        if name not in table:
            if key.required:
                problems.append(Problem(path, "is required"))
            values[name] = key.default
            continue
        value = table[name]
        if not isinstance(value, key.kind) or (key.kind is int and isinstance(value, bool)):
            problems.append(Problem(path, f"must be {_kind_name(key.kind)}, not {value!r}"))
            value = key.default
        elif bad := _control_character(value):
            problems.append(Problem(path, control_problem(bad)))
        elif key.check and (message := key.check(value)):
            problems.append(Problem(path, message))
        values[name] = value
    return values


def _control_character(value: Any) -> str:
    """The first character of a text (or of the texts of a list or table) that no page or feed can
    carry (a NUL written as \\u0000), or ''."""
    if isinstance(value, str):
        found = NOT_IN_XML.search(value)
        return found.group() if found else ""
    if isinstance(value, dict):
        return next(filter(None, map(_control_character, [*value, *value.values()])), "")
    if isinstance(value, list):
        return next(filter(None, map(_control_character, value)), "")
    return ""


def _join(where: str, name: str) -> str:
    return f"{where}.{name}" if where else name


def _kind_name(kind: type | tuple[type, ...]) -> str:
    names = {str: "a string", int: "an integer", bool: "true or false", dict: "a table", list: "a list"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


# ---- checks ---------------------------------------------------------------

def http_url(value: str) -> str | None:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"not an http(s) URL: {value!r}"
    if parts.query or parts.fragment:
        return f"must not hold a query or fragment: {value!r}"
    return None


def feed_url(value: str) -> str | None:
    """An http(s) feed address; its query is part of it (`?format=rss`, `?cat=3`)."""
    parts = urlsplit(value)
    return None if parts.scheme in ("http", "https") and parts.netloc else f"not an http(s) URL: {value!r}"


def feed_location(value: str) -> str | None:
    scheme = urlsplit(value).scheme
    if scheme in ("http", "https"):
        return feed_url(value)
    if scheme and scheme != "file" and len(scheme) > 1:  # len 1: a Windows drive letter
        return f"not an http(s) URL or a file path: {value!r}"
    return None if value.strip() else "must not be empty"


def timezone(value: str) -> str | None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        return f"unknown time zone {value!r} (use an IANA name such as Asia/Taipei)"
    return None


def permalink(value: str) -> str | None:
    fields = set(re.findall(r"{(\w*)}", value))
    if not value.startswith("/"):
        return "must start with /"
    if unknown := fields - PERMALINK_FIELDS:
        return f"unknown placeholder {{{sorted(unknown)[0]}}}; known: {sorted(PERMALINK_FIELDS)}"
    if "id" not in fields:
        return "must contain {id}, or two articles could share a page"
    if not (value.endswith(".html") or value.endswith("/")):
        return "must end in .html or /"
    return None


def url_path(value: str) -> str | None:
    return None if URL_PATH.match(value) else f"must be a URL path like /zh-hant/, not {value!r}"


def one_of(*choices: str) -> Check:
    return lambda v: None if v in choices else f"must be one of {', '.join(choices)}, not {v!r}"


def positive(value: int) -> str | None:
    return None if value > 0 else "must be at least 1"


def not_negative(value: int) -> str | None:
    return None if value >= 0 else "must be 0 or more"


def words(value: list) -> str | None:
    if not all(isinstance(v, str) and v.strip() for v in value):
        return "must be a list of non-empty strings"
    return None


def preset_names() -> list[str]:
    return sorted(p.stem for p in PRESETS_DIR.glob("*.toml"))


def presets(names: list) -> str | None:
    known = preset_names()
    unknown = [n for n in names if n not in known]
    return f"unknown preset {unknown[0]!r} (known: {', '.join(known)})" if unknown else None


def name_map(value: dict) -> str | None:
    if not all(isinstance(v, str) and v.strip() for v in value.values()):
        return "must map feed category names to site category names (strings)"
    return None


def nonempty(value: str) -> str | None:
    return None if value.strip() else "must not be empty"
