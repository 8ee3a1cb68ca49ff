"""How the build's Markdown renderer reads a paragraph: each character with its marks and link.

sitegen.fetch.inline writes emphasis by CommonMark's rules, and then asks here whether the
renderer agrees (its rule 5): CommonMark's "rule of three" pairs asterisks by the lengths
of whole delimiter runs, which no local rule can foresee in every nesting. The answer comes
from the parser the build itself uses (sitegen.content.markdown.new_parser).
"""

from __future__ import annotations

import threading
from urllib.parse import unquote

from markdown_it import MarkdownIt

from sitegen.content.markdown import new_parser

STRONG, EM, DEL, CODE_MARK = "strong", "em", "del", "code"
IMAGE, BREAK = "\0image", "\n"  # how an image and a line break appear in what is read
_OPENS = {"strong_open": STRONG, "em_open": EM, "s_open": DEL}
_CLOSES = {"strong_close": STRONG, "em_close": EM, "s_close": DEL}
_local = threading.local()


def read(markdown: str) -> list[tuple]:
    """(character, marks, link) for each character of inline `markdown` as the renderer reads it;
    an image is one IMAGE entry, a line break one BREAK. A link is (target, title)."""
    entries: list[tuple] = []
    marks: list[str] = []
    link = None
    for token in _parser().parseInline(markdown)[0].children or []:
        if token.type in _OPENS:
            marks.append(_OPENS[token.type])
        elif token.type in _CLOSES and _CLOSES[token.type] in marks:
            del marks[len(marks) - 1 - marks[::-1].index(_CLOSES[token.type])]
        elif token.type in ("link_open", "link_close"):
            link = (unquote(str(token.attrs["href"])), str(token.attrs.get("title", ""))) \
                if token.type == "link_open" else None
        elif token.type in ("image", "hardbreak", "softbreak"):
            entries.append((IMAGE if token.type == "image" else BREAK, frozenset(marks), link))
        else:
            code = {CODE_MARK} if token.type == "code_inline" else set()
            entries += [(char, frozenset(marks) | code, link) for char in token.content]
    return entries


def link_target(href: str) -> str:
    """`href` as read() gives it back: normalized by the renderer (percent-encoding, IDN), then decoded."""
    return unquote(_parser().normalizeLink(href))


def _parser() -> MarkdownIt:
    """The build's parser; one per thread, as fetch cleans entries on several."""
    if not hasattr(_local, "parser"):
        _local.parser = new_parser()
    return _local.parser
