"""Convert an article's text, and only its text, into one variant's script.

URLs, link targets, code spans and blocks, ids and front-matter keys are never
touched: the body is converted on the Markdown token stream, not as a string.
"""

from __future__ import annotations

from itertools import groupby
from typing import Iterator, Sequence

from markdown_it.token import Token

from sitegen.convert.converter import ScriptConverter

_TEXT_TOKENS = {"text", "image"}
Slot = tuple[Token, str, str, int]
"""(token, field, text, block): field is content or title; a block is one run of inline text."""


def convert_tokens(tokens: Sequence[Token], converter: ScriptConverter) -> list[Token]:
    """New tokens with every text node, image alt and link/image title converted."""
    slots = list(_text_slots(tokens, [0]))
    if not converter.converting and not any("-{" in slot[2] for slot in slots):
        return list(tokens)  # the article's own script, no inline overrides: nothing to change
    blocks = [[slot[2] for slot in group] for _, group in groupby(slots, key=lambda slot: slot[3])]
    converted = [text for block in converter.convert_blocks(blocks) for text in block]
    replacements = {(id(token), field): text for (token, field, _, _), text in zip(slots, converted)}
    return _rebuild(tokens, replacements)


def _text_slots(tokens: Sequence[Token], counter: list[int], block: int | None = None) -> Iterator[Slot]:
    in_autolink = False
    for token in tokens:
        if token.type in ("link_open", "link_close") and token.markup == "autolink":
            in_autolink = token.type == "link_open"  # <https://…> shows its URL as text: keep it
        if in_autolink:
            continue
        if token.children:  # an inline run, or an image whose alt text is its children
            counter[0] += 1
            yield from _text_slots(token.children, counter, block if block is not None else counter[0])
        elif token.type in _TEXT_TOKENS and token.content:
            yield token, "content", token.content, block if block is not None else _next(counter)
        title = token.attrs.get("title")
        if isinstance(title, str) and title:
            yield token, "title", title, _next(counter)  # its own block: quotes never pair into it


def _next(counter: list[int]) -> int:
    counter[0] += 1
    return counter[0]


def _rebuild(tokens: Sequence[Token], replacements: dict[tuple[int, str], str]) -> list[Token]:
    """Copies of the tokens that change (and of their parents); the others are shared."""
    rebuilt = []
    for token in tokens:
        changes: dict = {}
        if (id(token), "content") in replacements:
            changes["content"] = replacements[id(token), "content"]
        if (id(token), "title") in replacements:
            changes["attrs"] = {**token.attrs, "title": replacements[id(token), "title"]}
        if token.children:
            children = _rebuild(token.children, replacements)
            if any(new is not old for new, old in zip(children, token.children)):
                changes["children"] = children
        rebuilt.append(token.copy(**changes) if changes else token)
    return rebuilt
