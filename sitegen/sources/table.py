"""`sitegen sources list`: the sources as a table in a terminal's columns.

Chinese characters take two columns of a terminal (East Asian Wide and Fullwidth), combining
marks and format characters none; the columns are padded by that width, not by `len`.
Ambiguous-width characters (·, —) count as one, as most terminals outside CJK locales show them.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

from sitegen.config import SourceConfig

HEADINGS = ("id", "name", "category", "script", "republish", "url")
GAP = "  "


def sources_table(sources: Sequence[SourceConfig]) -> list[str]:
    """The table's lines, headings first."""
    return aligned([HEADINGS, *(_row(source) for source in sources)])


def aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """One line per row, each cell padded to its column's widest; no line ends in spaces."""
    widths = [max(text_width(cell) for cell in column) for column in zip(*rows)]
    return [GAP.join(_padded(cell, width) for cell, width in zip(row, widths)).rstrip() for row in rows]


def text_width(text: str) -> int:
    """Columns `text` takes in a terminal."""
    return sum(_char_width(char) for char in text)


def _row(source: SourceConfig) -> tuple[str, ...]:
    cells = (source.id, source.name, source.category or "-", source.script, source.republish, source.url)
    return tuple(_printable(cell) for cell in cells)


def _char_width(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) == "Cf":
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def _printable(text: str) -> str:
    """`text` with control characters (a TOML string may hold a newline) shown as spaces, so a
    row stays one line."""
    return "".join(" " if unicodedata.category(char) == "Cc" else char for char in text)


def _padded(text: str, width: int) -> str:
    return text + " " * (width - text_width(text))
