"""How much of a story the site may republish: its source's `republish` (full, summary or title),
narrowed, never widened, by the article's own front matter; and the opening a summary publishes.

The stored Markdown always keeps the whole story: the policy is applied when pages, feeds and the
search index are made (convert/localize.py), so changing it re-renders what is stored.
"""

from __future__ import annotations

import re
from typing import Sequence

from markdown_it.token import Token

from sitegen.config import REPUBLISH, SourceConfig
from sitegen.model import Article

FULL, SUMMARY, TITLE = REPUBLISH
SENTENCE_END = re.compile(r"[。！？!?…」』”][」』”]*")
_OPENING_BLOCKS = {"paragraph_open", "heading_open", "blockquote_open", "bullet_list_open", "ordered_list_open"}
"""Blocks a summary may publish; code, tables, raw HTML and images are left to the original."""


def republishing(article: Article, source: SourceConfig | None) -> str:
    """full, summary or title: the narrower of the source's policy and the article's own."""
    allowed = source.republish if source else FULL
    wanted = article.republish or FULL
    return max(allowed, wanted, key=REPUBLISH.index)


def summary_length(source: SourceConfig | None) -> int:
    return source.summary_length if source else SourceConfig.summary_length


def rights_key(source: SourceConfig | None) -> tuple[str, int]:
    """What of a source's settings decides how much of its articles is published (an article's own
    front matter is in its file): part of each article's key, so a change re-renders exactly its pages."""
    policy = source.republish if source else FULL
    return policy, summary_length(source) if policy == SUMMARY else 0


def cut_text(text: str, length: int) -> str:
    """`text` if it fits in `length` characters, else its longest opening of whole sentences that
    does, else its first `length - 1` characters and an ellipsis."""
    if len(text) <= length:
        return text
    ends = [m.end() for m in SENTENCE_END.finditer(text, 0, length + 1) if m.end() <= length]
    return text[:ends[-1]] if ends else text[:length - 1].rstrip() + "…"


def opening(tokens: Sequence[Token], length: int) -> list[Token]:
    """The body's first blocks of text, whole, while their text fits in `length` characters; when
    the first block alone is longer, its text cut at a sentence end. Images are left out."""
    kept: list[Token] = []
    used = 0
    for block in _top_level_blocks(tokens):
        if block[0].type not in _OPENING_BLOCKS:
            continue
        block = [_without_images(t) for t in block]
        size = len(_text_of(block))
        if size == 0:
            continue
        if used + size > length:
            if not kept:
                kept = _paragraph(cut_text(_text_of(block), length))
            break
        kept.extend(block)
        used += size
    return kept


def _top_level_blocks(tokens: Sequence[Token]) -> list[list[Token]]:
    blocks, current = [], []
    for token in tokens:
        current.append(token)
        if token.level == 0 and token.nesting <= 0:
            blocks.append(current)
            current = []
    return blocks


def _text_of(block: Sequence[Token]) -> str:
    parts = []
    for token in block:
        for child in token.children or ():
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
    return "".join(parts).strip()


def _without_images(token: Token) -> Token:
    if not token.children or not any(c.type == "image" for c in token.children):
        return token
    return token.copy(children=[c for c in token.children if c.type != "image"])


def _paragraph(text: str) -> list[Token]:
    inline = Token("inline", "", 0, content=text, children=[Token("text", "", 0, content=text)], block=True)
    return [Token("paragraph_open", "p", 1, block=True), inline, Token("paragraph_close", "p", -1, block=True)]
