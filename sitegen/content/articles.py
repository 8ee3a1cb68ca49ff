"""Front matter <-> Article: the content contract of DESIGN.md, checked field by field."""

from __future__ import annotations

import hashlib
import re
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sitegen.errors import ContentError
from sitegen.fsutil import WINDOWS_DEVICE
from sitegen.model import NOT_IN_XML, SCRIPTS, Article, Image, Withdrawal, control_problem

REQUIRED = ("title", "date", "source", "lang")
OPTIONAL = ("id", "guid", "source_name", "source_url", "author", "categories", "tags", "summary",
            "image", "editor", "original_title", "updated", "fetched", "content_hash", "glossary", "draft",
            "date_estimated", "republish", "withdrawn", "featured")
TEXT_FIELDS = ("guid", "source_name", "author", "summary", "editor",
               "original_title", "content_hash")
ARTICLE_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MAX_ID_CHARS = 100
"""An id is a file name in every permalink (file names stop at 255 bytes) and part of every URL."""
MAX_NAME_URL_CHARS = 200
"""A category or tag names a folder in URLs, its pinyin: at most this long (file names stop at 255 bytes)."""


class ArticleError(ContentError, ValueError):
    """The front matter does not describe a valid article."""


def article_from_meta(meta: dict[str, Any], body: str, path: str, default_id: str) -> tuple[Article, list[str]]:
    """An Article from parsed front matter, plus warnings (e.g. unknown keys).

    Raises ArticleError naming every field that is missing or wrong.
    """
    errors = [f"{key}: is required" for key in REQUIRED if key not in meta or meta[key] in (None, "")]
    if bad := NOT_IN_XML.search(body):
        errors.append(f"body: {control_problem(bad.group())} (line {body.count(chr(10), 0, bad.start()) + 1})")
    fields: dict[str, Any] = {}
    for key, read in _READERS.items():
        if key in meta and meta[key] is not None:
            try:
                fields[key] = read(meta[key])
            except (TypeError, ValueError) as exc:
                errors.append(f"{key}: {exc}")
    article_id = fields.pop("id", None) or default_id.lower()
    if problem := id_problem(article_id):
        errors.append(f"id: {problem}")
    if errors:
        raise ArticleError("; ".join(errors))
    warnings = [f"{key}: unknown front matter key (ignored)" for key in sorted(meta.keys() - _READERS.keys(), key=str)]
    return Article(id=article_id, body=body, path=path, **fields), warnings


def id_problem(article_id: str) -> str:
    """Why `article_id` cannot be an article's id (it names files and URLs), or ''."""
    shown = repr(article_id if len(article_id) <= 60 else article_id[:60] + "…")
    if not ARTICLE_ID.match(article_id):
        return f"{shown} must match [a-z0-9][a-z0-9_-]* (it is used in URLs)"
    if len(article_id) > MAX_ID_CHARS:
        return f"{shown} is {len(article_id)} characters long, over {MAX_ID_CHARS} (it is a file name in URLs)"
    if WINDOWS_DEVICE.match(article_id):
        return f"{shown} is a name Windows keeps for a device (CON, PRN, AUX, NUL, COM1-9, LPT1-9); choose another"
    return ""


def name_too_long(name: str) -> bool:
    """Whether a category or tag name could make a folder name too long: its slug is its pinyin,
    at most 7 characters (`zhuang-`) for a Chinese character (counted so for anything from the CJK
    blocks on) and at most 1 for any other."""
    return sum(7 if c >= "\u2e80" else 1 for c in name) > MAX_NAME_URL_CHARS


def article_to_meta(article: Article) -> dict[str, Any]:
    """Front matter for `article`, in a fixed key order, empty fields left out."""
    meta: dict[str, Any] = {"title": article.title, "date": article.date.isoformat(),
                            "source": article.source, "lang": article.lang, "id": article.id}
    for key in OPTIONAL[1:]:
        value = _plain(getattr(article, key))
        if value:
            meta[key] = value
    return meta


def _plain(value: Any) -> Any:
    """A field as YAML writes it: dates as ISO text, tuples as lists, (script, word) pairs as maps."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, Image):
        return {k: v for k, v in vars(value).items() if v}
    if isinstance(value, Withdrawal):
        return {"date": value.date.isoformat(), **({"reason": value.reason} if value.reason else {})}
    if isinstance(value, tuple) and value and isinstance(value[0], tuple):
        return [dict(pairs) for pairs in value]
    if isinstance(value, tuple):
        return list(value)
    return value


def ingested_hash(article: Article) -> str:
    """Hash of the fields a fetch writes and an editor may change.

    Stored as `content_hash` when a story is fetched; if the file later hashes
    differently, someone edited it and a fetch must not overwrite it.
    """
    image = article.image or Image("")
    parts = (article.title, article.summary, article.body.strip("\n"), article.author,
             "\x1f".join(article.categories), "\x1f".join(article.tags), article.source_url,
             image.url, image.caption, image.credit)
    return hashlib.sha256("\x1e".join(parts).encode()).hexdigest()


def _text(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise TypeError(f"must be text, not {value!r}")
    if bad := NOT_IN_XML.search(str(value)):
        raise ValueError(control_problem(bad.group()))
    return str(value).strip()


def _date(value: Any) -> datetime:
    try:
        parsed = datetime.fromisoformat(_text(value))
    except ValueError:
        raise ValueError(f"{value!r} is not an ISO 8601 date such as 2023-09-15T10:21:00+08:00") from None
    if parsed.tzinfo is None:
        raise ValueError(f"{value!r} has no UTC offset; add one such as +08:00")
    return parsed


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"must be true or false, not {value!r}")
    return value


def _lang(value: Any) -> str:
    if value not in SCRIPTS:
        raise ValueError(f"must be zh-Hans or zh-Hant, not {value!r}")
    return value


def _names(value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list):
        raise TypeError(f"must be a list of names, not {value!r}")
    names = tuple(_text(item) for item in items)
    if "" in names:
        raise ValueError("holds an empty name")
    for name in names:
        if name_too_long(name):
            raise ValueError(f"{name[:20] + '…'!r} is too long to name a page (its URL would pass "
                             f"{MAX_NAME_URL_CHARS} characters)")
    return names


def _web_url(value: Any) -> str:
    url = _text(value)
    if url and urlsplit(url).scheme not in ("http", "https"):
        raise ValueError(f"{url!r} is not an http(s) URL")
    return url


def _image_url(value: Any) -> str:
    url = _text(value)
    if urlsplit(url).scheme not in ("http", "https") and not _site_path(url):
        raise ValueError(f"image url {url!r} must be an http(s) URL or a path in the site such as /images/a.jpg")
    return url


def _site_path(url: str) -> bool:
    """A path from the site's root that stays in it: no `..` segment, backslash or control character."""
    return (url.startswith("/") and not url.startswith("//") and ".." not in url.split("/")
            and "\\" not in url and not any(c < " " or c == "\x7f" for c in url))


def _image(value: Any) -> Image:
    if isinstance(value, str):
        value = {"url": value}
    if not isinstance(value, dict) or not value.get("url"):
        raise TypeError("must be a URL or a mapping with url, caption, credit, width, height")
    if unknown := value.keys() - {"url", "caption", "credit", "width", "height"}:
        raise ValueError(f"unknown key {sorted(unknown)[0]!r} (known: url, caption, credit, width, height)")
    fields = {key: _text(v) for key, v in value.items() if v is not None and key not in IMAGE_SIZE}
    sizes = {key: _pixels(key, value[key]) for key in IMAGE_SIZE if value.get(key) is not None}
    return Image(**{**fields, **sizes, "url": _image_url(fields["url"])})


IMAGE_SIZE = ("width", "height")


def _pixels(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value <= 100_000:
        raise ValueError(f"image {key} {value!r} must be a whole number of pixels, such as 1200")
    return value


def _glossary(value: Any) -> tuple[tuple[tuple[str, str], ...], ...]:
    if not isinstance(value, list):
        raise TypeError("must be a list of terms such as {zh-Hans: 普京, zh-Hant: 普丁}")
    terms = []
    for term in value:
        if not isinstance(term, dict) or len(term) < 2 or not all(
                isinstance(k, str) and k.startswith("zh-") and isinstance(v, str) and v for k, v in term.items()):
            raise ValueError(f"{term!r} must give the word in at least two scripts, e.g. {{zh-Hans: 普京, zh-Hant: 普丁}}")
        terms.append(tuple(sorted(term.items())))
    return tuple(terms)


def _republish(value: Any) -> str:
    if value not in ("full", "summary", "title"):
        raise ValueError(f"{value!r} must be one of full, summary, title (it narrows the source's republish)")
    return value


def _withdrawal(value: Any) -> Withdrawal:
    if not isinstance(value, dict) or value.get("date") in (None, ""):
        raise TypeError("must be a mapping with the date it was withdrawn and a reason, "
                        "e.g. {date: 2026-12-01, reason: 應原作者要求}")
    if unknown := value.keys() - {"date", "reason"}:
        raise ValueError(f"unknown key {sorted(unknown, key=str)[0]!r} (known: date, reason)")
    return Withdrawal(date=_date(value["date"]), reason=_text(value.get("reason") or ""))


_READERS = {
    "title": _text, "date": _date, "source": _text, "lang": _lang, "id": _text,
    "categories": _names, "tags": _names, "image": _image, "updated": _date, "fetched": _date,
    "glossary": _glossary, "draft": _flag, "date_estimated": _flag, "republish": _republish,
    "withdrawn": _withdrawal, "featured": _flag,
    "source_url": _web_url, **{key: _text for key in TEXT_FIELDS},
}
