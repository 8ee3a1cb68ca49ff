"""Inline HTML -> CommonMark that the build's renderer reads back as the same text and marks.

A run of inline nodes (text, b/strong, i/em, s/del, code, a, img, br) becomes a list of
units: one character, one code span, one image or one line break each, carrying the marks
(strong, em, del) and the link around it. The Markdown is written from those marks, not
from the tree, so the same text with the same marks gives the same Markdown however the
feed nested its tags. The rules, in the order they apply:

1. Runs of one mark that touch are one run: <b>A？</b><b>B？</b> is **A？B？**, never the
   **A？****B？** that CommonMark cannot close.
2. A link inside emphasis stays inside it (*a [b](u) c*); emphasis that starts or ends
   with a link, or crosses one, is cut there and written inside the link text too
   ([**b**](u)c rather than **[b](u)c**), so a delimiter never has to open before `[`.
3. Whitespace and line breaks at the edge of a mark move outside it (`** a**` cannot open).
4. CommonMark opens `*` and `~~` only before a word and closes them only after one, unless
   the other side is punctuation or space: between an ideograph and punctuation
   (中**“引号”**文) they do neither. There the punctuation (or code span, or image) at the
   edge moves outside the mark: 中“**引号**”文. A mark left with nothing keeps its text
   and loses its emphasis: losing emphasis is better than showing asterisks.
5. Where marks nest so that CommonMark's "rule of three" pairs the asterisks differently
   (<i><b>a</b>b<b>c</b></i> between ideographs), the renderer is asked: italic, then
   strikethrough, gives way, nearest the first misread character first, until the
   paragraph reads back as written. Bold is kept: bold alone always reads back.

A <br> is a line break, two or more in a row a paragraph break, and breaks at the edge of a
block mean nothing. In a heading or table cell (one line) a break is a space, or nothing
between two CJK characters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Callable, Iterable, Iterator, Sequence

from bs4 import NavigableString, Tag
from bs4.element import PreformattedString

from sitegen.fetch.inline_rules import (DELIMITER, GIVES_WAY, Link, Run, Span, Unit, flank, give_way, is_space,
                                       reads_back)
from sitegen.fetch.markdown_text import (IS_CJK, LINK_SCHEMES, code_span, destination, escape_text, image_markdown,
                                         title_part)
from sitegen.fetch.readback import DEL, EM, STRONG

MARKS = {"b": STRONG, "strong": STRONG, "i": EM, "em": EM, "s": DEL, "del": DEL, "strike": DEL}
CODE = {"code", "kbd", "samp", "tt"}
_HTML_SPACE = re.compile("[ \t\n\r\f]+")  # what a browser collapses (not \xa0 or \u3000)
_OUTER_FIRST = {DEL: 0, STRONG: 1, EM: 2}  # nesting of marks that start and end together



def inline_markdown(nodes: Iterable[Tag | NavigableString], one_line: bool = False, in_table: bool = False) -> str:
    """Markdown for a run of inline nodes: paragraphs joined by a blank line, or one line for a
    heading or table cell (`one_line`)."""
    units = _code_spans(_collapse(_units(nodes)))
    paragraphs = [_one_line(units)] if one_line else _paragraphs(units)
    style = _Style(heading=one_line and not in_table, table=in_table)
    return "\n\n".join(text for p in paragraphs if p and (text := _paragraph(p, style)))


# The tree -> units


def _units(nodes: Iterable[Tag | NavigableString], marks: frozenset[str] = frozenset(),
           link: Link | None = None, code: bool = False) -> Iterator[Unit]:
    for node in nodes:
        if isinstance(node, PreformattedString):  # comments, CDATA, processing instructions
            continue
        if isinstance(node, NavigableString):
            for char in _HTML_SPACE.sub(" ", str(node)):
                yield Unit("code" if code else "char", char, marks, link)
        elif node.name == "br":
            yield Unit("break", "", marks, link)
        elif node.name == "img":
            if image := image_markdown(node):
                yield Unit("image", image, marks, link)
        else:
            inner = link
            if node.name == "a" and node.get("href", "").lower().startswith(LINK_SCHEMES):
                inner = Link(node["href"], node.get("title", ""))
            yield from _units(node.children, marks | {MARKS[node.name]} if node.name in MARKS else marks,
                              inner, code or node.name in CODE)


def _collapse(units: Iterable[Unit]) -> list[Unit]:
    """Spaces as a browser shows them: one between words, none at a line's start or end."""
    kept: list[Unit] = []
    for unit in units:
        if unit.text == " " and (not kept or kept[-1].text == " " or kept[-1].kind == "break"):
            continue
        if unit.kind == "break" and kept and kept[-1].text == " ":
            kept.pop()
        kept.append(unit)
    if kept and kept[-1].text == " ":
        kept.pop()
    return kept


def _code_spans(units: list[Unit]) -> list[Unit]:
    """Neighbouring code characters under the same marks and link are one code span."""
    merged: list[Unit] = []
    for unit in units:
        last = merged[-1] if merged else None
        if unit.kind == "code" and last and last.kind == "code" and (last.marks, last.link) == (unit.marks, unit.link):
            merged[-1] = replace(last, text=last.text + unit.text)
        else:
            merged.append(unit)
    return merged


def _break_runs(units: Sequence[Unit]) -> Iterator[tuple[int, int]]:
    return _runs(units, lambda u: u.kind == "break" or None)


def _paragraphs(units: list[Unit]) -> list[list[Unit]]:
    """Split at two or more breaks in a row; a break at a paragraph's edge means nothing."""
    paragraphs, start = [], 0
    for i, j in _break_runs(units):
        if j - i >= 2:
            paragraphs.append(units[start:i])
            start = j
    paragraphs.append(units[start:])
    return [_strip_edges(p) for p in paragraphs]


def _one_line(units: list[Unit]) -> list[Unit]:
    """Breaks become a space, or nothing between two CJK characters."""
    line, previous = [], 0
    for i, j in _break_runs(units):
        line += units[previous:i]
        before, after = units[i - 1].text[-1:] if i else "", units[j].text[:1] if j < len(units) else ""
        if not (IS_CJK.match(before) and IS_CJK.match(after)):
            line.append(Unit("char", " "))
        previous = j
    return _strip_edges(_code_spans(_collapse(line + units[previous:])))


def _strip_edges(units: list[Unit]) -> list[Unit]:
    """Without breaks and spaces (no-break and ideographic ones too) at either end, as the renderer trims them."""
    start, end = 0, len(units)
    while start < end and _blank(units[start]):
        start += 1
    while end > start and _blank(units[end - 1]):
        end -= 1
    return units[start:end]


def _runs(units: Sequence[Unit], key: Callable[[Unit], object]) -> Iterator[tuple[int, int]]:
    """(start, end) of each run of units whose key is the same object, and not None."""
    i = 0
    for value, group in groupby(units, key=lambda u: id(k) if (k := key(u)) is not None else None):
        n = sum(1 for _ in group)
        if value is not None:
            yield i, i + n
        i += n


# Units -> spans


def _blank(unit: Unit) -> bool:
    return unit.kind == "break" or unit.kind == "char" and is_space(unit.text)


def _trim_links(units: list[Unit]) -> list[Unit]:
    """A link starts and ends with something visible; a link with nothing visible is none."""
    units = list(units)
    for start, end in _runs(units, lambda u: u.link):
        visible = [i for i in range(start, end) if not _blank(units[i])]
        for i in range(start, end):
            if not visible or not visible[0] <= i <= visible[-1]:
                units[i] = replace(units[i], link=None)
    return units


def _spans(units: list[Unit]) -> list[Span]:
    """Each mark's runs of units."""
    return _tidy([Span(mark, start, end) for mark in DELIMITER
                  for start, end in _runs(units, lambda u, m=mark: True if m in u.marks else None)], units)


def _tidy(spans: Iterable[Span], units: Sequence[Unit]) -> list[Span]:
    """Trimmed of blanks (rule 3); pieces of one mark that touch joined (what split them is
    gone); split where a link begins or ends unless the link lies inside (rule 2); nested."""
    joined: list[Span] = []
    for span in sorted((s for s in (_trimmed(s, units) for s in spans) if s), key=lambda s: (s.mark, s.start)):
        if joined and joined[-1].mark == span.mark and joined[-1].end == span.start:
            joined[-1] = replace(joined[-1], end=span.end)
        else:
            joined.append(span)
    return _nest([piece for span in joined for piece in _around_links(span, units)])


def _around_links(span: Span | None, units: Sequence[Unit]) -> list[Span]:
    """`span` trimmed and cut where a link begins or ends, until each link it meets lies wholly
    inside a piece or holds it: [**x**](u)y, not **[x](u)y**."""
    span = span and _trimmed(span, units)
    if span is None:
        return []
    for start, end in _runs(units, lambda u: u.link):
        if start < span.end and end > span.start and not span.start < start < end < span.end \
                and not start <= span.start < span.end <= end:
            bounds = sorted({span.start, span.end} | {c for c in (start, end) if span.start < c < span.end})
            return [piece for a, b in zip(bounds, bounds[1:]) for piece in _around_links(replace(span, start=a, end=b), units)]
    return [span]


def _trimmed(span: Span, units: Sequence[Unit]) -> Span | None:
    start, end = span.start, span.end
    while start < end and _blank(units[start]):
        start += 1
    while end > start and _blank(units[end - 1]):
        end -= 1
    return replace(span, start=start, end=end) if start < end else None


def _nest(spans: list[Span]) -> list[Span]:
    """Of two spans that overlap without nesting, the one that gives way first (italic, then
    strikethrough) is cut in two where the other begins or ends; bold is never cut."""
    todo, done = sorted(set(spans), key=_order), []
    while todo:
        span = todo.pop(0)
        crossed = next((d for d in done if d.start < span.start < d.end < span.end), None)
        if crossed is None:
            done.append(span)
        elif GIVES_WAY[crossed.mark] < GIVES_WAY[span.mark]:
            done.remove(crossed)
            todo = sorted({*todo, span, replace(crossed, end=span.start), replace(crossed, start=span.start)}, key=_order)
        else:
            todo = sorted({*todo, replace(span, end=crossed.end), replace(span, start=crossed.end)}, key=_order)
    return sorted(done, key=_order)


def _order(span: Span) -> tuple[int, int, int]:
    """Outermost first among spans that open together."""
    return span.start, -span.end, _OUTER_FIRST[span.mark]


# Spans -> Markdown


@dataclass(frozen=True)
class _Style:
    heading: bool = False  # `#` escaped everywhere: a heading's trailing ` #` would vanish
    table: bool = False  # `|` escaped in code too: it would end the cell


def _paragraph(units: list[Unit], style: _Style) -> str:
    units = _trim_links(units)
    spans = _spans(units)
    while True:
        markdown, runs = _write(units, spans, style)
        fixed = flank(units, spans, runs, markdown)  # rule 4
        if fixed is None:
            if not spans or reads_back(markdown, units, spans):
                return markdown
            fixed = give_way(markdown, units, spans)  # rule 5
        spans = _tidy(fixed, units)


class _Writer:
    def __init__(self, style: _Style):
        self.style, self.out, self.size, self.line_start = style, [], 0, True
        self.pending: tuple[str, list[str]] = ("char", [])  # text or code not written yet
        self.runs: list[Run] = []

    def put(self, markdown: str) -> None:
        kind, pieces = self.pending
        if pieces:
            self.pending = ("char", [])
            self._append(self._text(pieces, markdown) if kind == "char" else code_span("".join(pieces), self.style.table))
        self._append(markdown)

    def _text(self, pieces: list[str], following: str) -> str:
        text = escape_text("".join(pieces), self.line_start, self.style.heading)
        if text.endswith("!") and following.startswith("["):
            text = text[:-1] + "\\!"  # or the link would be an image
        return text

    def _append(self, markdown: str) -> None:
        if markdown:
            self.out.append(markdown)
            self.size += len(markdown)
            self.line_start = markdown.endswith("\n")

    def delimiters(self, boundary: int, pieces: list[tuple[Span, bool]]) -> None:
        if not pieces:
            return
        for _, group in groupby(pieces, key=lambda piece: DELIMITER[piece[0].mark][0]):
            group = list(group)
            self.put("")
            run = Run(self.size, 0, boundary, tuple(s for s, o in group if o), tuple(s for s, o in group if not o))
            self.put("".join(DELIMITER[s.mark] for s, _ in group))
            self.runs.append(replace(run, length=self.size - run.at))

    def unit(self, unit: Unit) -> None:
        if unit.kind in ("char", "code"):  # code spans that meet are one: `a``b` would read as one anyway
            if self.pending[0] != unit.kind:
                self.put("")
                self.pending = (unit.kind, [])
            self.pending[1].append(unit.text)
        else:
            self.put("\\\n" if unit.kind == "break" else unit.text)


def _write(units: list[Unit], spans: list[Span], style: _Style) -> tuple[str, list[Run]]:
    writer = _Writer(style)
    opening: dict[int, list[tuple[Span, bool]]] = {}
    closing: dict[int, list[tuple[Span, bool]]] = {}
    for span in spans:  # in _order: outermost first, so closed in reverse
        opening.setdefault(span.start, []).append((span, True))
        closing.setdefault(span.end, []).insert(0, (span, False))
    for i in range(len(units) + 1):
        before = units[i - 1].link if i else None
        after = units[i].link if i < len(units) else None
        if before is after:
            writer.delimiters(i, closing.get(i, []) + opening.get(i, []))
        else:
            writer.delimiters(i, closing.get(i, []))
            if before is not None:
                writer.put(f"]({destination(before.href)}{title_part(before.title)})")
            if after is not None:
                writer.put("[")
            writer.delimiters(i, opening.get(i, []))
        if i < len(units):
            writer.unit(units[i])
    writer.put("")
    return "".join(writer.out), writer.runs


