"""OPML, the subscription-list format every feed reader imports and exports: read and made.

Reading is defensive, as the file comes from elsewhere. The bytes are decoded as feeds are
(GBK, Big5 and BOMs included; sitegen.fetch.decode), then parsed by expat into ElementTree
elements. A DOCTYPE is refused outright: OPML needs none, and it is where entity expansion
(billion laughs) and external entities (XXE) are declared. A file that is not well-formed is
one error naming the file and line. Attribute names are matched in any case (`xmlurl`,
`xmlURL`), as some exporters write them so.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator
from xml.parsers import expat

from sitegen.errors import SitegenError
from sitegen.fetch.decode import LEADING_NOTHING, as_utf8_xml, decode_feed

MAX_OPML_BYTES = 10 * 1024 * 1024
"""Largest OPML file read: a list of some thousand feeds is well under 1 MB."""
MAX_DEPTH = 100
"""Deepest nesting of elements read (folders in folders): a file past it is built to crash readers."""
NOT_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
"""Characters XML 1.0 cannot hold at all, even escaped."""


@dataclass(frozen=True)
class Outline:
    """One outline that is not a folder: a feed, or an entry that ought to have been one."""

    title: str
    """Its `title` attribute, else its `text`, white space collapsed; may be empty."""
    xml_url: str
    """The feed's address (`xmlUrl`), as written; empty when the outline has none."""
    category: str = ""
    """The title of the innermost folder outline holding it; empty at the top level."""
    html_url: str = ""
    """The web site the feed belongs to (`htmlUrl`), if given."""
    line: int = 0
    """Line of the file where the outline starts (0 when not read from a file)."""


@dataclass(frozen=True)
class Opml:
    title: str
    """The list's `<head><title>`, or empty."""
    outlines: tuple[Outline, ...]
    """Every non-folder outline, in document order."""


class _Refused(Exception):
    """Raised inside expat's handlers to stop the parse."""


# ---- reading -----------------------------------------------------------------

def read_opml(path: Path) -> Opml:
    """The OPML file at `path`; a SitegenError naming the file when it cannot be read as one."""
    try:
        with path.open("rb") as file:
            data = file.read(MAX_OPML_BYTES + 1)
    except FileNotFoundError:
        raise SitegenError(f"{path}: no such file") from None
    except OSError as exc:
        raise SitegenError(f"{path}: cannot be read: {exc.strerror or exc}") from None
    if len(data) > MAX_OPML_BYTES:
        raise SitegenError(f"{path}: larger than {MAX_OPML_BYTES // 2**20} MB; not a list of feeds")
    return parse_opml(data, str(path))


def parse_opml(data: bytes, where: str) -> Opml:
    """The outlines of an OPML document; `where` names it in errors."""
    root, lines = _element_tree(data, where)
    if root.tag != "opml":
        raise SitegenError(f"{where}: not an OPML file: its root element is <{root.tag}>, not <opml>")
    body = root.find("body")
    if body is None:
        raise SitegenError(f"{where}: not an OPML file: it has no <body>")
    title = _collapsed(root.findtext("head/title") or "")
    return Opml(title, tuple(_outlines(body, "", lines)))


def _element_tree(data: bytes, where: str) -> tuple[ET.Element, dict[ET.Element, int]]:
    """The document's root element, and the line each element starts on."""
    text = decode_feed(data).text
    # as_utf8_xml drops blank lines before the XML declaration: count them back into line numbers
    reader = _Reader(lines_dropped=text.count("\n", 0, len(text) - len(text.lstrip(LEADING_NOTHING))))
    try:
        return reader.read(as_utf8_xml(text)), reader.lines
    except _Refused as exc:
        raise SitegenError(f"{where}: line {reader.line}: refused: {exc}") from None
    except expat.ExpatError as exc:
        raise SitegenError(f"{where}: line {exc.lineno + reader.lines_dropped}, column {exc.offset + 1}: "
                           f"not valid XML: {expat.ErrorString(exc.code)}") from None


class _Reader:
    """expat building ElementTree elements, noting the line each starts on; it stops at a DOCTYPE
    and at elements nested deeper than MAX_DEPTH (`_Refused`)."""

    def __init__(self, lines_dropped: int):
        self.lines_dropped = lines_dropped
        self.lines: dict[ET.Element, int] = {}
        self.depth = 0
        self.builder = ET.TreeBuilder()
        self.parser = expat.ParserCreate()
        self.parser.StartElementHandler, self.parser.EndElementHandler = self.start, self.end
        self.parser.CharacterDataHandler = self.builder.data
        self.parser.StartDoctypeDeclHandler = self.doctype
        self.parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def read(self, data: bytes) -> ET.Element:
        self.parser.Parse(data, True)
        return self.builder.close()

    @property
    def line(self) -> int:
        return self.parser.CurrentLineNumber + self.lines_dropped

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise _Refused(f"elements nested more than {MAX_DEPTH} deep")
        self.lines[self.builder.start(tag, attrs)] = self.line

    def end(self, tag: str) -> None:
        self.depth -= 1
        self.builder.end(tag)

    def doctype(self, *_: object) -> None:
        raise _Refused("it declares a DOCTYPE (where XML entity attacks live; OPML needs none)")


def _outlines(parent: ET.Element, folder: str, lines: dict[ET.Element, int]) -> Iterator[Outline]:
    for element in parent.iterfind("outline"):
        attrs = {name.lower(): value for name, value in element.attrib.items()}
        title = _collapsed(attrs.get("title") or attrs.get("text") or "")
        xml_url = attrs.get("xmlurl", "").strip()
        is_folder = len(element) > 0 and not xml_url
        if not is_folder:
            yield Outline(title, xml_url, folder, attrs.get("htmlurl", "").strip(), lines[element])
        # a feed outline holding outlines is rare, but what it holds is read, in the same folder
        yield from _outlines(element, (title or folder) if is_folder else folder, lines)


def _collapsed(text: str) -> str:
    return " ".join(text.split())


# ---- making ------------------------------------------------------------------

def make_opml(title: str, feeds: Iterable[Outline]) -> bytes:
    """An OPML 2.0 document, UTF-8: one `rss` outline per feed, in folders by category, each
    folder where its first feed comes. No dates: the same feeds give the same bytes."""
    root = ET.Element("opml", version="2.0")
    ET.SubElement(ET.SubElement(root, "head"), "title").text = _xml_safe(title)
    body = ET.SubElement(root, "body")
    folders: dict[str, ET.Element] = {}
    for feed in feeds:
        parent = body
        if feed.category:
            name = _xml_safe(feed.category)
            parent = folders.get(feed.category) or ET.SubElement(body, "outline", text=name, title=name)
            folders[feed.category] = parent
        ET.SubElement(parent, "outline", _feed_attributes(feed))
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="utf-8",
                                                                       xml_declaration=False) + b"\n"


def _feed_attributes(feed: Outline) -> dict[str, str]:
    name = _xml_safe(feed.title)
    attributes = {"type": "rss", "text": name, "title": name, "xmlUrl": _xml_safe(feed.xml_url)}
    if feed.html_url:
        attributes["htmlUrl"] = _xml_safe(feed.html_url)
    return attributes


def _xml_safe(text: str) -> str:
    """`text` without the characters XML cannot carry (TOML can: a name may hold "\\u0001")."""
    return NOT_XML_CHARS.sub("", text)
