"""Store an article's images with the site, for sources with `images = "download"`.

Each distinct image is downloaded once, checked by its bytes (never by the header or
the name: an "image" may be an HTML error page or an SVG carrying script), and kept
under a content-addressed name, so the same picture from two articles is one file
and a second fetch writes nothing.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable
from urllib.parse import urlsplit

from markdown_it import MarkdownIt
from markdown_it.common.utils import unescapeAll
from markdown_it.token import Token

from sitegen.fetch.http import Allowance, FetchError, HttpClient
from sitegen.fsutil import safe_join, write_if_changed
from sitegen.content.markdown import new_parser

STORED_TYPES = "JPEG, PNG, GIF, WebP or AVIF"
# A link destination right after "](": <bracketed>, or bare with one level of balanced parentheses.
DESTINATION = re.compile(r"\]\(\s*(?P<dest><[^<>\n]*>|(?:[^\s()\\]|\\.|\((?:[^\s()\\]|\\.)*\))+)")


@dataclass(frozen=True)
class StoredImages:
    markdown: str
    """The body with every stored image's URL replaced by its site path."""
    image_url: str
    """The lead image URL, replaced likewise (or unchanged, or empty)."""
    problems: tuple[str, ...]
    """One line per image that could not be stored: "https://…/a.jpg: HTTP 404 Not Found"."""


class ImageError(FetchError):
    """The bytes are not an image we store; the message says what they are."""


def store_images(markdown: str, lead_url: str, client: HttpClient, static_dir: Path,
                 allowance: Allowance | None = None, max_bytes: int = 10 * 1024 * 1024) -> StoredImages:
    """Download the body's http(s) images and the lead image into `static_dir/media/`, within the
    source's allowance.

    A failed image keeps its remote URL and adds one problem line; the others still download.
    """
    md = new_parser()
    wanted = [*image_sources(md, markdown), *([lead_url] if _is_web(lead_url) else [])]
    stored: dict[str, str] = {}
    problems = []
    for url in dict.fromkeys(wanted):
        try:
            stored[url] = _store(url, client, static_dir, max_bytes, allowance)
        except FetchError as exc:  # ImageError too
            problems.append(f"{url}: {exc}")
    return StoredImages(rewrite_sources(md, markdown, stored), stored.get(lead_url, lead_url), tuple(problems))


def image_sources(md: MarkdownIt, markdown: str) -> list[str]:
    """The http(s) `src` of every image in `markdown`, as the parser reads it, in order."""
    return [src for src in _all_sources(md, markdown) if _is_web(src)]


def rewrite_sources(md: MarkdownIt, markdown: str, new: dict[str, str]) -> str:
    """`markdown` with each image destination found in `new` replaced by its new value.

    Candidates are found by pattern (`](URL` or `](<URL>`) and each replacement is kept
    only if the parser then sees one more image with the new source, so a link to the
    same URL, or `![a](URL)` written inside a code span or code block, stays as it was.
    """
    counts = Counter(_all_sources(md, markdown))
    for match in reversed(list(DESTINATION.finditer(markdown))):
        raw = match.group("dest")
        target = new.get(_parsed_destination(md, raw))
        if target is None:
            continue
        written = f"<{target}>" if raw.startswith("<") else target
        trial = markdown[:match.start("dest")] + written + markdown[match.end("dest"):]
        trial_counts = Counter(_all_sources(md, trial))
        if trial_counts[target] == counts[target] + 1:
            markdown, counts = trial, trial_counts
    return markdown


def image_type(data: bytes) -> str | None:
    """The file extension for the image format these bytes start with, or None."""
    if data.startswith(b"\xff\xd8\xff"):
        return "jpg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "webp"
    if data[4:8] == b"ftyp" and {b"avif", b"avis"} & _ftyp_brands(data):
        return "avif"
    return None


def _ftyp_brands(data: bytes) -> set[bytes]:
    """Major and compatible brands of an ISO-BMFF `ftyp` box (AVIF may be major brand mif1)."""
    box = data[8:min(int.from_bytes(data[:4], "big"), 64)]
    return {box[:4], *(box[i:i + 4] for i in range(8, len(box) - 3, 4))}


def _store(url: str, client: HttpClient, static_dir: Path, max_bytes: int, allowance: Allowance | None) -> str:
    response = client.get(url, max_bytes=max_bytes, accept="image/*", allowance=allowance)
    extension = image_type(response.data)
    if extension is None:
        raise ImageError(f"refused: {_what(response.data)}; only {STORED_TYPES} images are stored")
    digest = hashlib.sha256(response.data).hexdigest()
    relative = f"media/{digest[:2]}/{digest[:24]}.{extension}"
    write_if_changed(safe_join(static_dir, relative), response.data)
    return "/" + relative


def _what(data: bytes) -> str:
    head = data[:512].lstrip().lower()
    if b"<svg" in head or head.startswith(b"<?xml") and b"svg" in head:
        return "an SVG drawing (it can carry script)"
    if head.startswith(b"<"):
        return "an HTML or XML document"
    return "not an image format we know" if data else "empty"


def _all_sources(md: MarkdownIt, markdown: str) -> list[str]:
    return [token.attrGet("src") or "" for token in _walk(md.parse(markdown)) if token.type == "image"]


def _walk(tokens: Iterable[Token]) -> Iterable[Token]:
    for token in tokens:
        yield token
        yield from _walk(token.children or ())


def _parsed_destination(md: MarkdownIt, raw: str) -> str:
    """What the parser makes of a raw link destination (escapes undone, then normalized)."""
    return md.normalizeLink(unescapeAll(raw[1:-1] if raw.startswith("<") else raw))


def _is_web(url: str) -> bool:
    return urlsplit(url).scheme in ("http", "https")
