"""A body with no HTML element at all is text: its line breaks and indents mean something.

Feeds that send plain text mark paragraphs the way a typewriter would: a blank line, or a
line indented with two ideographic spaces (　　) or with spaces. Read as HTML, all of that
would collapse into one paragraph. Here:

- a blank line, and a line that starts indented (U+3000, space, tab, no-break space),
  start a paragraph, except a line indented with spaces that goes on with a Latin word
  cut at the end of the line before (`(Hong \\n  Kong People's`): that is wrapping;
- the other line breaks are the source's wrapping: lines are joined with nothing between
  two CJK characters and with a space otherwise (between two Latin words);
- the text is escaped, so `*`, `_`, `[`, a leading `#` or `1.` show as themselves.
"""

from __future__ import annotations

import re

from sitegen.fetch.markdown_text import IS_CJK, escape_text

_INDENT = ("\u3000", " ", "\t", "\xa0")
_RUN_OF_SPACES = re.compile("[ \t\f\v]+")
_LATIN = re.compile("[A-Za-z0-9\u00c0-\u024f]")


def text_to_markdown(text: str) -> str:
    """Markdown paragraphs for plain text (entities already decoded)."""
    return "\n\n".join(escape_text(p, line_start=True) for p in paragraphs(text))


def paragraphs(text: str) -> list[str]:
    found: list[list[str]] = []
    current: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if not line.strip() or line.startswith(_INDENT) and not _wrapped_word(current, line):
            if current:
                found.append(current)
            current = []
        if line.strip():
            current.append(_RUN_OF_SPACES.sub(" ", line.strip()))
    if current:
        found.append(current)
    return [_joined(lines) for lines in found]


def _wrapped_word(current: list[str], line: str) -> bool:
    """A space-indented line that goes on with Latin text after a line ending in Latin text."""
    return bool(current) and line.startswith((" ", "\t")) and bool(
        _LATIN.match(current[-1][-1]) and _LATIN.match(line.strip()[0]))


def _joined(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        text += line if IS_CJK.match(text[-1]) and IS_CJK.match(line[0]) else f" {line}"
    return text
