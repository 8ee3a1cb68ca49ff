"""Article bodies: CommonMark plus tables, parsed once, rendered per variant.

Raw HTML is off: bodies hold Markdown only, and anything that looks like a tag is
shown as text. Linkify stays off because it swallows the Chinese text after a URL.
A paragraph holding nothing but an image with a title is a figure, the title its
caption: `![alt](src "caption")` renders as <figure> with a <figcaption>.

The page title is the page's one <h1>, so body headings are set under it by their place in the
body's outline: the highest is an <h2>, and no level is skipped (`#` and `###` become <h2> and
<h3>; `##` sections stay <h2>; never past <h6>). A table is wrapped in a
<div class="table-scroll">, the box that scrolls sideways when the table is wider than a phone,
so the page itself never does.
"""

from __future__ import annotations

from typing import Callable, Sequence

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import OptionsDict


def new_parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"html": False, "typographer": False}).enable(["table", "strikethrough"])
    md.add_render_rule("figure_image", _render_figure_image)
    return md


def parse(md: MarkdownIt, body: str) -> list[Token]:
    return md.parse(body)


def render(md: MarkdownIt, tokens: Sequence[Token], site_url: Callable[[str], str]) -> str:
    """HTML for `tokens`; root-relative links and images go through `site_url`."""
    # Figures are found here, not at parse time: `tokens` may have been converted
    # to another script since, captions (image titles) included.
    blocks = _scrolling_tables(_outlined_headings(_figures(_resolve_urls(tokens, site_url))))
    return md.renderer.render(blocks, md.options, {})


def _resolve_urls(tokens: Sequence[Token], site_url: Callable[[str], str]) -> list[Token]:
    """Copies of the tokens that change (and of their parents); the others are shared."""
    resolved = []
    for token in tokens:
        if token.children:
            children = _resolve_urls(token.children, site_url)
            if any(new is not old for new, old in zip(children, token.children)):
                token = token.copy(children=children)
        for attr in ("href", "src"):
            value = token.attrs.get(attr)
            if isinstance(value, str) and value.startswith("/") and not value.startswith("//"):
                token = token.copy(attrs={**token.attrs, attr: site_url(value)})
        resolved.append(token)
    return resolved


def _figures(tokens: list[Token]) -> list[Token]:
    for i in range(len(tokens) - 2):
        opening, inline, closing = tokens[i:i + 3]
        if _is_figure(opening, inline, closing):
            tokens[i] = opening.copy(type="figure_open", tag="figure")
            tokens[i + 1] = inline.copy(children=[inline.children[0].copy(type="figure_image")])
            tokens[i + 2] = closing.copy(type="figure_close", tag="figure")
    return tokens


def _is_figure(opening: Token, inline: Token, closing: Token) -> bool:
    if opening.type != "paragraph_open" or opening.hidden or closing.type != "paragraph_close":
        return False
    children = inline.children or []
    title = children[0].attrs.get("title") if len(children) == 1 and children[0].type == "image" else ""
    return isinstance(title, str) and bool(title.strip())


def _render_figure_image(self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict,
                         env: dict) -> str:
    image = tokens[idx]
    attrs = {name: value for name, value in image.attrs.items() if name != "title"}
    attrs["alt"] = self.renderInlineAsText(image.children or [], options, env)
    img = self.renderToken([image.copy(type="image", attrs=attrs)], 0, options, env)
    return f"{img}<figcaption>{escapeHtml(str(image.attrs['title']))}</figcaption>"


def _outlined_headings(tokens: list[Token]) -> list[Token]:
    """Each heading at its depth in the body's outline, under the page title's <h1>: a heading
    with no higher heading before it is <h2>, one under an <h2> is <h3>, and so on (<h6> at most).

    Not a fixed shift: `#` then `###` would become <h2> then <h4>, and a skipped level is an
    error to the Nu HTML checker (and a gap for screen-reader users); the outline itself, which
    heading belongs under which, is kept. A body of `##` sections is already right and keeps them."""
    above: list[int] = []  # the source levels of the headings the next one may sit under
    outlined: list[Token] = []
    tag = ""  # the open heading's new tag, for its closing token
    for token in tokens:
        if token.type == "heading_open":
            level = int(token.tag[1])
            while above and above[-1] >= level:
                above.pop()
            tag = f"h{min(2 + len(above), 6)}"
            above.append(level)
        if token.type in ("heading_open", "heading_close") and token.tag != tag:
            token = token.copy(tag=tag)  # a copy: parsed tokens are shared by every variant
        outlined.append(token)
    return outlined


def _scrolling_tables(tokens: list[Token]) -> list[Token]:
    """Each table inside its own scrolling box: a 12-column table may be wider than a phone, and
    only the table should scroll then, not the page."""
    wrapped: list[Token] = []
    for token in tokens:
        if token.type == "table_open":
            wrapped.append(_box(token, "table_scroll_open", 1))
        wrapped.append(token)
        if token.type == "table_close":
            wrapped.append(_box(token, "table_scroll_close", -1))
    return wrapped


def _box(table: Token, kind: str, nesting: int) -> Token:
    """The scrolling box's opening (nesting 1) or closing (-1) <div>, at the table's depth."""
    attrs: dict[str, str | int | float] = {"class": "table-scroll"} if nesting == 1 else {}
    return Token(kind, "div", nesting, attrs=attrs, level=table.level, block=True)
