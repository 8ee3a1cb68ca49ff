"""The body of a linked article page, for feeds that carry only a summary.

trafilatura does the extraction; it is an optional extra because it weighs 69 MB,
so it is imported only when a source asks for full text. Two of its habits are
worked around here: it drops `<figcaption>` (we re-attach captions from the page)
and it sometimes keeps the page's `<h1>` (the title, which the page template
already prints: a second copy would show the title twice).
"""

from __future__ import annotations

import codecs
import re
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from sitegen.fetch.decode import BOMS, HTTP_CHARSET, WIDER
from sitegen.fetch.http import Allowance, FetchError, HttpClient

if TYPE_CHECKING:
    from lxml.html import HtmlElement

HTML_TYPES = {"text/html", "application/xhtml+xml"}
# A charset named by <meta charset>, <meta http-equiv content="…; charset=…"> or <?xml encoding>.
META_CHARSET = re.compile(rb"""<(?:meta[^>]+?charset|\?xml[^>]+?encoding)\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""",
                          re.IGNORECASE)
# Servers send latin-1 as a default they never checked; a page that names its own charset knows better.
DEFAULT_CLAIMS = {"iso8859-1", "cp1252"}
MIN_TEXT = 50
# Lazy-loading pages keep the real image in a data- attribute; trafilatura picks that one.
IMAGE_SOURCES = ("src", "data-src", "data-original", "data-lazy-src")


class FulltextError(FetchError):
    """The page held no usable article; the message says why in one line."""


def fetch_fulltext(client: HttpClient, url: str, max_bytes: int, allowance: Allowance | None = None) -> str:
    """Clean HTML fragment of the article body at `url`.

    It is not yet sanitized or converted: the caller runs `html_to_markdown` on it,
    passing the page URL as base. trafilatura already makes the URLs it keeps absolute
    against the final URL, but anything it missed stays relative and needs that base.

    Raises `FetchError` (unchanged, from the HTTP client) when the page cannot be had,
    and `FulltextError` when it is not HTML, holds no article, or trafilatura is missing.
    """
    try:
        import trafilatura  # noqa: PLC0415 - heavy optional extra, loaded only when used
    except ImportError:
        raise FulltextError("full text needs the optional extra: pip install 'sitegen[fulltext]'") from None
    response = client.get(url, max_bytes=max_bytes, accept="text/html,application/xhtml+xml", allowance=allowance)
    content_type = response.headers.get("content-type", "")
    _check_html(content_type, response.data)
    page = trafilatura.load_html(decode_html(response.data, content_type))
    if page is None:
        raise FulltextError("no article text found on the page")
    captions = _figure_captions(page, response.url)
    extracted = trafilatura.extract(
        page, url=response.url, output_format="html", include_comments=False, include_images=True,
        include_formatting=True, include_tables=True, include_links=True, favor_precision=True)
    body = _body(extracted)
    if body is None or _text_length(body) < MIN_TEXT:
        raise FulltextError("no article text found on the page")
    _drop_leading_title(body)
    _attach_captions(body, captions, response.url)
    return _inner_html(body)


def decode_html(data: bytes, content_type: str = "") -> str:
    """The page's text: by its BOM, else as UTF-8 if it is valid UTF-8 (other encodings' Chinese
    text almost never is, and stale declarations are common), else by the HTTP charset, else by
    <meta charset>; each widened (gb2312 -> gb18030, big5 -> big5hkscs) because Chinese pages
    understate their charset."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(codec, errors="replace")
    match = HTTP_CHARSET.search(content_type)
    http = _codec(match.group(1)) if match else None
    meta = _codec(m.group(1).decode("ascii")) if (m := META_CHARSET.search(data[:4096])) else None
    if http in DEFAULT_CLAIMS and meta:
        http = None
    declared = [c for c in (http, meta) if c]
    for codec in dict.fromkeys(["utf-8", *declared]):
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            continue
    # Some bad bytes in a declared Chinese charset read better as that charset than as UTF-8.
    return data.decode(declared[0] if declared else "utf-8", errors="replace")


def _codec(name: str) -> str | None:
    try:
        codec = codecs.lookup(WIDER.get(name.lower(), name)).name
    except LookupError:
        return None
    return "utf-8" if codec == "ascii" else codec


def _check_html(content_type: str, data: bytes) -> None:
    mime = content_type.split(";")[0].strip().lower()
    if mime in HTML_TYPES:
        return
    if not mime and re.search(rb"<html|<!doctype html", data[:1024], re.IGNORECASE):
        return  # no Content-Type at all: trust a page that plainly starts as HTML
    raise FulltextError(f"not an HTML page (Content-Type: {mime or 'none'})")


def _figure_captions(page: HtmlElement, page_url: str) -> dict[str, str]:
    """{absolute image URL: caption text} for every <figure> with an image and a caption."""
    captions = {}
    for figure in page.iter("figure"):
        caption = figure.find(".//figcaption")
        text = " ".join(caption.text_content().split()) if caption is not None else ""
        for img in figure.iter("img") if text else ():
            captions.update({urljoin(page_url, img.get(a).strip()): text for a in IMAGE_SOURCES if img.get(a)})
    return captions


def _body(extracted: str | None) -> HtmlElement | None:
    if not extracted:
        return None
    from lxml.html import document_fromstring  # noqa: PLC0415 - lxml comes with the extra

    return document_fromstring(extracted).find("body")


def _text_length(element: HtmlElement) -> int:
    return len("".join("".join(element.itertext()).split()))


def _drop_leading_title(body: HtmlElement) -> None:
    first = next(iter(body), None)
    if first is not None and first.tag == "h1" and not (body.text or "").strip():
        body.text = (body.text or "") + (first.tail or "")
        body.remove(first)


def _attach_captions(body: HtmlElement, captions: dict[str, str], page_url: str) -> None:
    """Wrap each kept image whose page <figure> had a caption back into <figure>+<figcaption>."""
    from lxml.html import Element  # noqa: PLC0415

    text = " ".join("".join(body.itertext()).split())
    for img in list(body.iter("img")):
        caption = captions.get(urljoin(page_url, (img.get("src") or "").strip()))
        if not caption or caption in text:
            continue  # no caption, or trafilatura kept it after all
        figure = Element("figure")
        img.addprevious(figure)
        figure.tail, img.tail = img.tail, None
        figure.append(img)
        figcaption = Element("figcaption")
        figcaption.text = caption
        figure.append(figcaption)


def _inner_html(body: HtmlElement) -> str:
    from lxml.html import tostring  # noqa: PLC0415

    return ((body.text or "") + "".join(tostring(child, encoding="unicode") for child in body)).strip()
