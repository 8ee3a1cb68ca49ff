"""Article bodies: CommonMark plus tables, parsed once, rendered per variant.

Raw HTML is off: bodies hold Markdown only, and anything that looks like a tag is
shown as text. Linkify stays off because it swallows the Chinese text after a URL.
"""

from __future__ import annotations

from typing import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.token import Token


def new_parser() -> MarkdownIt:
    return MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])


def parse(md: MarkdownIt, body: str) -> list[Token]:
    return md.parse(body)


def render(md: MarkdownIt, tokens: Sequence[Token], site_url: Callable[[str], str]) -> str:
    """HTML for `tokens`; root-relative links and images go through `site_url`."""
    return md.renderer.render(_resolve_urls(tokens, site_url), md.options, {})


def _resolve_urls(tokens: Sequence[Token], site_url: Callable[[str], str]) -> list[Token]:
    resolved = []
    for token in tokens:
        if token.children:
            token = token.copy(children=_resolve_urls(token.children, site_url))
        for attr in ("href", "src"):
            value = token.attrs.get(attr)
            if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                token = token.copy(attrs={**token.attrs, attr: site_url(value)})
        resolved.append(token)
    return resolved
