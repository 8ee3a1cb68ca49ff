"""The stored Markdown renders back to the cleaned HTML it was written from.

For cleaned HTML H (`clean_html`: sanitized, text tidied, figures made image paragraphs)
and its Markdown M (`html_to_markdown`), rendering M with the build's markdown-it
configuration (`new_parser()`; not the page's heading outline or table box, which
`render()` adds later and which change no text) gives the same blocks (paragraphs, headings, list items,
quotes, table cells, code blocks, rules, each at the same place in the same lists and
quotes) holding the same characters, each with the same link (href and title), code and
emphasis, and the same images (src, alt, title, link). Compared as DOM, not as strings.

What HTML can say and Markdown cannot is stated once, in `meaning` below, as the
documented rules of sitegen.fetch.inline (and inline_rules) and sitegen.fetch.tomarkdown:

- whitespace as a browser shows it, trimmed at a block's edges and around line breaks;
- a <br> is a line break, two or more a paragraph break, none at a block's edge; in a
  heading or table cell a space, or nothing between two CJK characters;
- emphasis, links and headings around blocks reach into them; a table cell is one line;
- a stray <li>, and text in a list outside its items, are items;
- emphasis may be lost only where CommonMark cannot say it (inline.py rules 4 and 5):
  bold on punctuation, code or images at its edge; italic and strikethrough in a block
  that has bold (or italic) beside them. Emphasis is never gained, never shown as `*`.

Checked by tests/fetch/test_roundtrip.py on every feed body in the fixtures and on 1,000 generated
fragments, and by tests/fetch/test_clean.py on its cases (`assert_round_trip`).
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import unquote

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString

from sitegen.content.markdown import new_parser
from sitegen.fetch.clean import clean_html, html_to_markdown, is_plain_text
from sitegen.fetch.markdown_text import IS_CJK, squash

MD = new_parser()
LINK = "https://news.example.com/2023/0915/1954134.html"

MARKS = {"b": "strong", "strong": "strong", "i": "em", "em": "em", "s": "del", "del": "del", "strike": "del"}
CODE = {"code", "kbd", "samp", "tt"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CONTAINERS = {"blockquote", "ul", "ol", "li", "tr", "td", "th"}
BLOCKS = CONTAINERS | HEADINGS | {"p", "div", "figure", "figcaption", "table", "thead", "tbody", "tfoot", "caption",
                                  "pre", "hr", "section", "article", "aside", "header", "footer", "main", "nav",
                                  "dl", "dt", "dd"}


# What a piece of HTML shows


@dataclass(frozen=True)
class Block:
    path: tuple  # the lists, items, quotes, rows and cells it is in, numbered in order of appearance
    kind: str  # p, h1..h6, pre, hr
    entries: tuple  # (character, marks, link) | (IMG, src, alt, title, link, marks) | ("\n",)


BR = "\0br"  # a <br>, told apart from a newline in the text
IMG = "\0image"


@dataclass(frozen=True)
class _Where:
    path: tuple = ()
    kind: str = "p"
    marks: frozenset = frozenset()
    link: tuple | None = None
    cell: bool = False

    def inside(self, name: str, key: object) -> _Where:
        return _Where(self.path + ((name, key),), self.kind, self.marks, self.link, self.cell)


class _Reader:
    def __init__(self, rendered: bool):
        self.rendered = rendered
        self.blocks: list[tuple] = []
        self.entries: list[tuple] = []  # (character | BR | image tuple, _Where)

    def children(self, node: Tag, where: _Where) -> None:
        """An <li> outside a list, and what a list holds outside its items, are items of their
        own (as sitegen.fetch.tomarkdown makes them)."""
        group: object | None = None
        for child in node.children:
            if _blank(child):
                self.node(child, where)
                continue
            if child.name == "li" and _block_parent(child).name not in ("ul", "ol"):
                group = group if isinstance(group, _OrphanItems) else _OrphanItems()
                self.node(child, where.inside("ul", group))
            elif node.name in ("ul", "ol") and child.name != "li" and not (isinstance(child, Tag) and child.find("li")):
                group = group if isinstance(group, _OrphanContent) else _OrphanContent()
                self.node(child, where.inside("li", group))
            else:
                group = None
                self.node(child, where)

    def node(self, node, where: _Where) -> None:  # noqa: ANN001
        if isinstance(node, PreformattedString):  # comments, CDATA, processing instructions
            return
        if isinstance(node, NavigableString):
            self.entries += [(char, where) for char in str(node)]
        elif node.name == "br":
            self.entries.append((BR, where))
        elif node.name == "img":
            self.entries.append(((IMG, self.url(node.get("src", "")), squash(node.get("alt", "")),
                                  squash(node.get("title", "")), where.link, where.marks), where))
        elif node.name in BLOCKS:
            self.cell_block(node, where) if where.cell else self.block(node, where)
        else:
            self.children(node, self.inline(node, where))

    def block(self, node: Tag, where: _Where) -> None:
        self.end()
        if node.name == "pre":
            code = "".join("\n" if n.name == "br" else str(n) for n in node.descendants
                           if n.name == "br" or isinstance(n, NavigableString) and not isinstance(n, PreformattedString))
            if code.strip():
                self.blocks.append((where.path, "pre", ((code.strip("\n"),),)))
            return
        if node.name == "hr":
            self.blocks.append((where.path, "hr", ()))
            return
        if node.name in CONTAINERS:
            where = where.inside("cell" if node.name in ("td", "th") else node.name, id(node))
        kind = node.name if node.name in HEADINGS else where.kind  # the innermost heading
        self.children(node, _Where(where.path, kind, where.marks, where.link, node.name in ("td", "th")))
        self.end()

    def cell_block(self, node: Tag, where: _Where) -> None:
        """A table cell is one line: blocks in it are text between spaces, <pre> is code."""
        self.entries.append((" ", where))
        if node.name != "hr":
            self.children(node, _Where(where.path, where.kind, where.marks | ({"code"} if node.name == "pre" else set()),
                                       where.link, True))
            self.entries.append((" ", where))

    def inline(self, node: Tag, where: _Where) -> _Where:
        marks, link = where.marks, where.link
        if node.name in MARKS:
            marks = marks | {MARKS[node.name]}
        if node.name in CODE:
            marks = marks | {"code"}
        if node.name == "a" and node.get("href"):
            link = (self.url(node["href"]), squash(node.get("title", "")))
        return _Where(where.path, where.kind, marks, link, where.cell)

    def url(self, url: str) -> str:
        return unquote(url if self.rendered else MD.normalizeLink(url))

    def end(self) -> None:
        """The block read so far, as a browser shows it."""
        if not self.entries:
            return
        entries, self.entries = self.entries, []
        where = entries[0][1]
        one_line = where.kind in HEADINGS or where.cell
        for part in _split(_spaced(entries), one_line):
            if any(not isinstance(e, str) or e != BR and not _space(e) for e, _ in part):
                self.blocks.append((where.path, where.kind, tuple(_entry(e, w) for e, w in part)))

    def result(self) -> list[Block]:
        self.end()
        numbers: dict[object, int] = {}
        return [Block(tuple((name, numbers.setdefault(key, len(numbers))) for name, key in path), kind, entries)
                for path, kind, entries in self.blocks]


class _OrphanItems:
    """The list that <li> elements outside any list are in."""


class _OrphanContent:
    """The item that content in a list outside its items is in."""


def _block_parent(node: Tag) -> Tag:
    parent = node.parent
    while parent is not None and parent.name not in BLOCKS and parent.name != "[document]":
        parent = parent.parent
    return parent


def _blank(node) -> bool:  # noqa: ANN001
    return isinstance(node, NavigableString) and (isinstance(node, PreformattedString) or not node.strip())


def _space(char: str) -> bool:
    return char in "\t\n\v\f\r" or unicodedata.category(char) == "Zs"


def _spaced(entries: list) -> list:
    """Whitespace as a browser collapses it: one space between words, none next to a line break."""
    kept: list = []
    for entry, where in entries:
        if isinstance(entry, str) and entry in " \t\n\r\f":
            entry = " "
        if entry == " " and (not kept or kept[-1][0] in (" ", BR)):
            continue
        if entry == BR and kept and kept[-1][0] == " ":
            kept.pop()
        kept.append((entry, where))
    return kept


def _split(entries: list, one_line: bool) -> list[list]:
    """Blocks at runs of two or more line breaks, breaks at an edge dropped; in one line a break
    is a space, or nothing between two CJK characters."""
    parts: list[list] = []
    current: list = []
    breaks = 0
    for entry, where in entries:
        if entry == BR:
            breaks += 1
            continue
        if breaks and current:
            if one_line:
                if not (IS_CJK.match(_char(current[-1][0])) and IS_CJK.match(_char(entry))):
                    current.append((" ", where))
            elif breaks >= 2:
                parts.append(current)
                current = []
            else:
                current.append((BR, where))
        breaks = 0
        if not (entry == " " and current and current[-1][0] == " "):
            current.append((entry, where))
    parts.append(current)
    return [_trimmed(part) for part in parts]


def _char(entry) -> str:  # noqa: ANN001
    return entry if isinstance(entry, str) and entry != BR else ")"  # an image ends with ")" in Markdown


def _trimmed(part: list) -> list:
    """markdown-it trims a paragraph's Unicode whitespace, and a break at an edge means nothing."""
    start, end = 0, len(part)
    while start < end and _edge(part[start][0]):
        start += 1
    while end > start and _edge(part[end - 1][0]):
        end -= 1
    return part[start:end]


def _edge(entry) -> bool:  # noqa: ANN001
    return isinstance(entry, str) and (entry == BR or _space(entry))


def _entry(entry, where: _Where) -> tuple:  # noqa: ANN001
    if not isinstance(entry, str):
        return entry
    if entry == BR:
        return ("\n",)
    if _space(entry):  # a space shows no emphasis, link or code
        return (entry, frozenset(), None)
    return (entry, frozenset(where.marks), where.link)


def meaning(markup: str, rendered: bool) -> list[Block]:
    reader = _Reader(rendered)
    reader.children(BeautifulSoup(markup, "html.parser"), _Where())
    return reader.result()


# The invariant


def render(markdown: str) -> str:
    return MD.render(markdown)


def differences(cleaned: str, markdown: str) -> list[str]:
    """How the rendered Markdown differs from the cleaned HTML, beyond the documented rules."""
    want, got = meaning(cleaned, rendered=False), meaning(render(markdown), rendered=True)
    if [(b.path, b.kind) for b in want] != [(b.path, b.kind) for b in got]:
        return [f"blocks: {[(b.path, b.kind, _text(b)) for b in want]} != {[(b.path, b.kind, _text(b)) for b in got]}"]
    problems = []
    for w, g in zip(want, got):
        problems += _block_differences(w, g)
    return problems


def _text(block: Block) -> str:
    return "".join(e[0] if e[0] != IMG else "<img>" for e in block.entries)


def _block_differences(want: Block, got: Block) -> list[str]:
    if [e[0] for e in want.entries] != [e[0] for e in got.entries] or want.kind == "pre" and want != got:
        return [f"text: {_text(want)!r} != {_text(got)!r}"]
    problems = []
    has = {mark for e in want.entries for mark in _marks(e)}
    for i, (w, g) in enumerate(zip(want.entries, got.entries)):
        if w[0] == IMG or len(w) == 1:
            if w[:5] != g[:5] or len(w) > 1 and g[5] - w[5]:  # emphasis on an image: never gained
                problems.append(f"{w} != {g}")
            continue
        if w[2] != g[2] or ("code" in w[1]) != ("code" in g[1]):
            problems.append(f"link or code of {w[0]!r} in {_text(want)!r}: {w[1:]} != {g[1:]}")
        if g[1] - w[1]:
            problems.append(f"{w[0]!r} in {_text(want)!r} gained {set(g[1] - w[1])}")
        for mark in w[1] - g[1] - {"code"}:
            if not _may_lose(mark, want.entries, i, has):
                problems.append(f"{w[0]!r} in {_text(want)!r} lost {mark}")
    return problems


def _may_lose(mark: str, entries: tuple, i: int, has: set) -> bool:
    """inline.py rule 5: italic and strikethrough give way beside bold (or italic); rule 4: a
    mark's edge loses punctuation, code and images, never letters or ideographs inside."""
    if mark == "em" and "strong" in has or mark == "del" and has & {"strong", "em"}:
        return True
    start, end = i, i + 1
    while start > 0 and mark in _marks(entries[start - 1]):
        start -= 1
    while end < len(entries) and mark in _marks(entries[end]):
        end += 1
    return all(_loose(entries[k]) for k in range(start, i + 1)) or all(_loose(entries[k]) for k in range(i, end))


def _marks(entry: tuple) -> frozenset:
    return entry[1] if len(entry) == 3 else entry[5] if len(entry) == 6 else frozenset()


def _loose(entry: tuple) -> bool:
    """Punctuation, code and images: what rule 4 may move out of a mark's edge."""
    return len(entry) != 3 or "code" in entry[1] or unicodedata.category(entry[0])[0] in "PS"


def assert_round_trip(fragment: str, base_url: str = LINK, fallback_alt: str = "標題") -> None:
    markdown = html_to_markdown(fragment, base_url, fallback_alt)
    if is_plain_text(fragment):
        return assert_plain_text_round_trip(fragment, markdown)
    cleaned = str(clean_html(fragment, base_url, fallback_alt))
    problems = differences(cleaned, markdown)
    assert not problems, f"\nHTML: {cleaned!r}\nMarkdown: {markdown!r}\n" + "\n".join(problems[:5])


def assert_plain_text_round_trip(text: str, markdown: str) -> None:
    """Plain text: the same characters, a paragraph for each run of lines that a blank line or
    an indent starts (sitegen.fetch.plaintext), and nothing but paragraphs."""
    text = html.unescape(text).replace("\r\n", "\n").replace("\r", "\n")
    starts, previous = 0, ""
    for line in text.split("\n"):
        latin_wrap = re.search(r"[A-Za-z0-9]\s*$", previous) and re.match(r"[ \t]+[A-Za-z0-9]", line)
        starts += bool(line.strip()) and (not previous.strip() or line[:1] in " \t\xa0\u3000" and not latin_wrap)
        previous = line
    shown = meaning(render(markdown), rendered=True)
    assert [b.kind for b in shown] == ["p"] * starts, markdown
    assert re.sub(r"\s", "", "".join(map(_text, shown))) == re.sub(r"\s", "", text)
