"""Feed bytes -> UTF-8 XML that feedparser cannot misread.

Chinese feeds lie about their encoding: "gb2312" feeds hold GBK or GB18030
characters (镕, 喆, 𠮷), "big5" feeds hold HKSCS characters (嘅, 咗), and some
declare nothing or the wrong thing. We decode with the widest compatible codec,
fall back to detection when the declared one fails, then hand feedparser UTF-8
with a matching declaration.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from charset_normalizer import from_bytes

WIDER = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
         "big5": "big5hkscs", "big5-tw": "big5hkscs", "x-x-big5": "big5hkscs", "csbig5": "big5hkscs"}
BOMS = ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"), (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# How "<?" looks in each wide encoding when there is no BOM (XML 1.0, appendix F).
XML_START_WITHOUT_BOM = {b"\0\0\0<": "utf-32-be", b"<\0\0\0": "utf-32-le",
                         b"\0<\0?": "utf-16-be", b"<\0?\0": "utf-16-le"}
XML_DECLARATION = re.compile(rb"^\s*<\?xml[^>]*?\?>", re.IGNORECASE)
XML_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""", re.IGNORECASE)
LEADING_NOTHING = " \t\r\n\ufeff"
"""XML white space, and BOMs (one can follow a blank line, or be doubled), before the document."""
HTTP_CHARSET = re.compile(r"""charset\s*=\s*["']?([A-Za-z0-9._:-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    """The codec that read the bytes."""
    note: str
    """Why the declared encoding was not used as is, or empty."""


def decode_feed(data: bytes, content_type: str = "") -> Decoded:
    """The feed's text, read with the best codec for what it holds."""
    for bom, codec in BOMS:
        if data.startswith(bom):
            return Decoded(data[len(bom):].decode(codec, errors="replace"), codec, "")
    declared = _declared(data, content_type)
    if declared is None or declared.startswith(("utf-16", "utf-32")):
        declared = XML_START_WITHOUT_BOM.get(data[:4], declared)
    for codec in _candidates(declared):
        text = _strict(data, codec)
        if text is not None:
            note = f"declared {declared} but is {codec}" if declared and codec != declared else ""
            return Decoded(text, codec, note)
    return _detected(data, declared)


def _candidates(declared: str | None) -> list[str]:
    """Codecs to try in order. Valid UTF-8 is almost never another encoding's text, so it goes
    first, except for UTF-16/32, whose ASCII-range text is also valid (NUL-laden) UTF-8."""
    if declared and declared.startswith("utf-16") or declared and declared.startswith("utf-32"):
        return [declared]
    extra = ["cp950"] if declared == "big5hkscs" else []
    return list(dict.fromkeys(["utf-8", *filter(None, [declared]), *extra]))


def as_utf8_xml(text: str) -> bytes:
    """UTF-8 bytes whose XML declaration (if any) says utf-8 and comes first.

    Whitespace or a BOM before the declaration (PHP-made feeds often print a blank line first)
    makes the XML malformed, though nothing is lost: it is dropped, as it means nothing there.
    """
    data = text.lstrip(LEADING_NOTHING).encode("utf-8")
    declaration = XML_DECLARATION.match(data)
    if declaration:
        fixed = XML_ENCODING.sub(b'encoding="utf-8"', declaration.group(0))
        data = fixed + data[declaration.end():]
    return data


def _declared(data: bytes, content_type: str) -> str | None:
    """The charset named by HTTP, else by the XML declaration, widened; None if none or unknown."""
    match = HTTP_CHARSET.search(content_type)
    name = match.group(1) if match else None
    if name is None and (declaration := XML_DECLARATION.match(data[:512])):
        found = XML_ENCODING.search(declaration.group(0))
        name = found.group(1).decode("ascii") if found else None
    if name is None:
        return None
    try:
        codec = codecs.lookup(WIDER.get(name.lower(), name)).name
    except LookupError:
        return None
    return "utf-8" if codec in ("ascii", "us-ascii") else codec  # an ASCII claim is read as its superset


def _strict(data: bytes, codec: str) -> str | None:
    """`data` decoded with `codec`; a sequence cut off at the very end is dropped, not a failure."""
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        if exc.reason == "unexpected end of data" and exc.end == len(data):
            return data[:exc.start].decode(codec, errors="strict")
        return None
    except LookupError:
        return None


def _detected(data: bytes, declared: str | None) -> Decoded:
    guess = from_bytes(data, cp_isolation=["utf_8", "gb18030", "big5hkscs", "utf_16", "cp1252"]).best()
    codec = guess.encoding if guess else "utf-8"
    codec = WIDER.get(codec.replace("_", "-"), codec)
    text = data.decode(codec, errors="replace")
    why = f"not valid {declared}" if declared else "no encoding declared"
    return Decoded(text, codec, f"{why}; read as {codec}")


