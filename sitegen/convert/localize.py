"""Convert an article's text, and only its text, into one variant's script.

URLs, link targets, code spans and blocks, ids and front-matter keys are never
touched: the body is converted on the Markdown token stream, not as a string.
"""

from __future__ import annotations

from typing import Sequence

from markdown_it.token import Token

from sitegen.convert.opencc import TextConverter

# Joins many short texts into one OpenCC call; a private-use character matches
# no dictionary entry, so no conversion ever spans two texts.
_SEPARATOR = "\ue000"
_TEXT_TOKENS = {"text", "image"}


def convert_texts(texts: Sequence[str], convert: TextConverter) -> list[str]:
    """`convert` applied to each text, in one call where the texts allow it."""
    if not texts:
        return []
    if any(_SEPARATOR in t for t in texts):
        return [convert(t) for t in texts]
    converted = convert(_SEPARATOR.join(texts)).split(_SEPARATOR)
    if len(converted) != len(texts):  # a converter that altered the separator: be safe
        return [convert(t) for t in texts]
    return converted


def convert_tokens(tokens: Sequence[Token], convert: TextConverter) -> list[Token]:
    """New tokens with every text node, image alt and link/image title converted."""
    slots = list(_text_slots(tokens))
    converted = convert_texts([text for _, _, text in slots], convert)
    replacements = {(id(token), field): text for (token, field, _), text in zip(slots, converted)}
    return _rebuild(tokens, replacements)


def _text_slots(tokens: Sequence[Token]):
    for token in tokens:
        if token.type in _TEXT_TOKENS and token.content:
            yield token, "content", token.content
        title = token.attrs.get("title")
        if isinstance(title, str) and title:
            yield token, "title", title
        if token.children:
            yield from _text_slots(token.children)


def _rebuild(tokens: Sequence[Token], replacements: dict[tuple[int, str], str]) -> list[Token]:
    rebuilt = []
    for token in tokens:
        changes: dict = {}
        if (id(token), "content") in replacements:
            changes["content"] = replacements[id(token), "content"]
        if (id(token), "title") in replacements:
            changes["attrs"] = {**token.attrs, "title": replacements[id(token), "title"]}
        if token.children:
            changes["children"] = _rebuild(token.children, replacements)
        rebuilt.append(token.copy(**changes) if changes else token)
    return rebuilt
