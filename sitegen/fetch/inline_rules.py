"""The units inline Markdown is written from, and the two rules that may change what is
written after a first try (see sitegen.fetch.inline): delimiters that CommonMark cannot open
or close beside punctuation (rule 4), and marks that the renderer pairs differently than
meant (rule 5)."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace

from sitegen.fetch.markdown_text import squash
from sitegen.fetch.readback import BREAK, CODE_MARK, DEL, EM, IMAGE, STRONG, link_target, read

DELIMITER = {STRONG: "**", EM: "*", DEL: "~~"}
GIVES_WAY = {EM: 0, DEL: 1, STRONG: 2}  # which mark is dropped first when the renderer misreads


@dataclass(frozen=True, eq=False)
class Link:
    """One <a>: two links side by side stay two links, so they are told apart by identity."""

    href: str
    title: str


@dataclass(frozen=True)
class Unit:
    kind: str  # "char", "code", "image" or "break"
    text: str  # the character, the code, or the image's Markdown
    marks: frozenset[str] = frozenset()
    link: Link | None = None


@dataclass(frozen=True)
class Span:
    """Units [start, end) under one mark. Spans nest: an overlap is split when found."""

    mark: str
    start: int
    end: int


@dataclass(frozen=True)
class Run:
    """A run of one delimiter character as written, at a boundary between units."""

    at: int  # offset in the paragraph's Markdown
    length: int
    boundary: int
    opens: tuple[Span, ...]
    closes: tuple[Span, ...]


# Rule 4: delimiters that cannot open or close


def flank(units: list[Unit], spans: list[Span], runs: list[Run], markdown: str) -> list[Span] | None:
    """None when every run can open and close what it must, else the spans shrunk once."""
    for run in runs:
        before = markdown[run.at - 1] if run.at else " "  # a line's edge counts as space
        after = markdown[run.at + run.length] if run.at + run.length < len(markdown) else " "
        left, right = _flanking(before, after)
        if run.opens and not left:
            return _shrink(units, spans, run, opening=True)
        if run.closes and not right:
            return _shrink(units, spans, run, opening=False)
    return None


def _flanking(before: str, after: str) -> tuple[bool, bool]:
    """CommonMark's left- and right-flanking delimiter runs, as markdown-it decides them."""
    left = not is_space(after) and (not _is_punct(after) or is_space(before) or _is_punct(before))
    right = not is_space(before) and (not _is_punct(before) or is_space(after) or _is_punct(after))
    return left, right


def _shrink(units: list[Unit], spans: list[Span], run: Run, opening: bool) -> list[Span]:
    """Move the unit at the failing edge out of the spans that open (or close) there, and
    punctuation at their other edge too, so quotes stay in pairs: 「**名字**」, not 「**名字」**.
    When `~~` and `*` meet there, only one can touch the word outside: strikethrough gives way."""
    here = [s for s in spans if (s.start if opening else s.end) == run.boundary]
    if {DELIMITER[s.mark][0] for s in here} == {"*", "~"}:
        moving = [s for s in here if s.mark == DEL]
        return [s for s in spans if s not in moving] + [_cut(s, opening, not opening) for s in moving]
    cut = [_cut(s, opening or _punct_unit(units[s.start]), not opening or _punct_unit(units[s.end - 1]))
           for s in here]
    return [s for s in spans if s not in here] + cut


def _cut(span: Span, start: bool, end: bool) -> Span:
    return replace(span, start=span.start + start, end=span.end - end)


def _punct_unit(unit: Unit) -> bool:
    return unit.kind == "char" and _is_punct(unit.text)


def is_space(char: str) -> bool:
    return char in "\t\n\v\f\r" or unicodedata.category(char) == "Zs"


def _is_punct(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


# Rule 5: ask the renderer


def reads_back(markdown: str, units: list[Unit], spans: list[Span]) -> bool:
    return read(markdown) == [entry for entry, _ in _meant(units, spans)]


def _meant(units: list[Unit], spans: list[Span]) -> list[tuple[tuple, int]]:
    """What the paragraph should read as, in read()'s terms, with the unit each entry is from."""
    meant = []
    for i, unit in enumerate(units):
        marks = frozenset(s.mark for s in spans if s.start <= i < s.end)
        link = (link_target(unit.link.href), squash(unit.link.title)) if unit.link else None
        if unit.kind == "code":
            meant += [((char, marks | {CODE_MARK}, link), i) for char in unit.text]
        else:
            meant.append((({"image": IMAGE, "break": BREAK}.get(unit.kind, unit.text), marks, link), i))
    return meant


def give_way(markdown: str, units: list[Unit], spans: list[Span]) -> list[Span]:
    """The spans without one of the marks that yield first (italic, then strikethrough), the
    one nearest the first character the renderer reads differently."""
    meant, got = _meant(units, spans), read(markdown)
    first = next((k for k, (m, r) in enumerate(zip(meant, got)) if m[0] != r), min(len(meant), len(got)))
    unit = meant[min(first, len(meant) - 1)][1]
    yielding = min(GIVES_WAY[s.mark] for s in spans)
    dropped = min((s for s in spans if GIVES_WAY[s.mark] == yielding),
                  key=lambda s: (max(s.start - unit, unit - s.end + 1, 0), s.end - s.start))
    return [s for s in spans if s != dropped]
