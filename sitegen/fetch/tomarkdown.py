"""Cleaned HTML -> Markdown: markdownify writes the blocks, sitegen.fetch.inline what is in them.

Markdown holds less than HTML, so the tree is first put in a shape Markdown can say:

- Blocks rise out of inline elements and headings: <a href=u><h2>標題</h2></a> is
  <h2><a href=u>標題</a></h2>, and <b><p>一</p><p>二</p></b> is two bold paragraphs.
- A table cell is one line: blocks inside it become text between spaces, <pre> code; and
  every row gets as many cells as the widest (Markdown drops cells past the header's).
- A list item outside a list gets a list; content in a list outside an item gets an item.
- Two lists of one kind in a row use different bullets (`-`/`+`, `1.`/`1)`): CommonMark
  would read them as one list.
"""

from __future__ import annotations

import re
from itertools import groupby
from typing import Callable

from bs4 import BeautifulSoup, NavigableString, Tag
from bs4.element import PreformattedString
from markdownify import MarkdownConverter

from sitegen.fetch.inline import CODE, MARKS, inline_markdown

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
CELLS = {"td", "th"}
LISTS = {"ul", "ol"}
BLOCKS = {"p", "div", "li", "ul", "ol", "blockquote", "figure", "figcaption", "table", "thead", "tbody", "tfoot",
          "tr", "td", "th", "caption", "pre", "hr", "section", "article", "aside", "header", "footer", "main",
          "nav", "dl", "dt", "dd", *HEADINGS}
_HOLDS_NO_BLOCKS = {"a", "span", "sub", "sup", *MARKS, *CODE, *HEADINGS, "p"}
_EXTRACT_NEWLINES = re.compile(r"^(\n*)((?:.*[^\n])?)(\n*)$", flags=re.DOTALL)


def soup_to_markdown(soup: BeautifulSoup) -> str:
    """Markdown for cleaned HTML (changes `soup`)."""
    _lift_blocks(soup)
    _flatten_cells(soup)
    _square_tables(soup)
    _adopt_orphans(soup)
    _alternate_lists(soup)
    converter = _Converter(heading_style="ATX", bullets="-", wrap=True, wrap_width=None, autolinks=False)
    return tidy_markdown(converter.convert_soup(soup))


# A fenced code block, also in a list item or quote: the fence may follow `- `, `1. `, `> ` or indentation.
_FENCED = re.compile(r"(^(?:[ \t>]|[-+](?= )|\d{1,9}[.)](?= ))*(`{3,})\n.*?^[ \t>]*\2$)", re.M | re.S)


def tidy_markdown(markdown: str) -> str:
    """Collapse blank lines and drop trailing spaces, except inside fenced code."""
    pieces = _FENCED.split(markdown)
    for i in range(0, len(pieces), 3):
        pieces[i] = re.sub(r"\n{3,}", "\n\n", re.sub(r"[ \t\xa0\u3000]+$", "", pieces[i], flags=re.M))
    return "".join(p for i, p in enumerate(pieces) if i % 3 != 2).strip()


# The tree, in a shape Markdown can say


def _is_block(node: Tag | NavigableString) -> bool:
    return node.name in BLOCKS


def _lift_blocks(soup: BeautifulSoup) -> None:
    """Blocks inside inline elements, headings and paragraphs rise out of them (deepest first)."""
    holders = {id(parent): parent for block in soup.find_all(BLOCKS) for parent in block.parents
               if parent.name in _HOLDS_NO_BLOCKS}
    for element in reversed([e for e in soup.find_all(_HOLDS_NO_BLOCKS) if id(e) in holders]):
        pieces: list[Tag | NavigableString] = []
        for is_block, group in groupby([child.extract() for child in list(element.children)], key=_is_block):
            group = list(group)
            if not is_block:
                pieces += _inside(soup, element, group)
                continue
            for block in group:
                if element.name != "p":  # a paragraph only lets its blocks out
                    _wrap_inside(soup, block, element)
                pieces.append(block)
        element.replace_with(*pieces)


def _wrap_inside(soup: BeautifulSoup, block: Tag, template: Tag) -> None:
    """The inline content of `block`, at any depth, wrapped in copies of `template`."""
    if block.name in ("pre", "hr") or block.name in HEADINGS and template.name in HEADINGS:
        return
    for is_block, group in groupby(list(block.children), key=_is_block):
        group = list(group)
        if is_block:
            for child in group:
                _wrap_inside(soup, child, template)
        else:
            anchor = soup.new_string("")
            group[0].insert_before(anchor)
            anchor.replace_with(*_inside(soup, template, [child.extract() for child in group]))


def _inside(soup: BeautifulSoup, template: Tag, nodes: list) -> list:
    """`nodes` inside a copy of `template`; whitespace between blocks carries no mark and stays bare."""
    if all(_blank_text(node) for node in nodes):
        return nodes
    copy = soup.new_tag(template.name, attrs=dict(template.attrs))
    for node in nodes:
        copy.append(node)
    return [copy]


def _flatten_cells(soup: BeautifulSoup) -> None:
    """A Markdown table cell is one line of inline content."""
    for cell in soup.find_all(CELLS):
        for block in reversed(cell.find_all(BLOCKS)):
            if block.name == "pre":
                block.name = "code"
            elif block.name == "hr":
                block.replace_with(" ")
            else:
                block.insert_before(" ")
                block.insert_after(" ")
                block.unwrap()


def _square_tables(soup: BeautifulSoup) -> None:
    """Every row as wide as the widest: a Markdown table drops cells past its header's width."""
    for table in soup.find_all("table"):
        rows = table.find_all("tr")
        widths = [sum(_colspan(cell) for cell in row.find_all(CELLS)) for row in rows]
        for row, width in zip(rows, widths):
            for _ in range(max(widths, default=0) - width):
                row.append(soup.new_tag("td"))


def _colspan(cell: Tag) -> int:
    span = str(cell.get("colspan", "1"))
    return max(1, min(1000, int(span))) if span.isdigit() else 1  # as markdownify counts it


def _adopt_orphans(soup: BeautifulSoup) -> None:
    """A browser shows a stray <li> as an item and text in a <ul> beside the items: Markdown
    can only say either as an item of a list."""
    for item in soup.find_all("li"):
        if item.parent is not None and item.parent.name not in LISTS:
            _group_into(soup, item, "ul", lambda node: node.name == "li")
    for list_ in soup.find_all(LISTS):
        for child in list(list_.children):
            if child.parent is list_ and child.name != "li" and not _blank_text(child):
                _group_into(soup, child, "li", lambda node: node.name != "li")


def _group_into(soup: BeautifulSoup, first: Tag | NavigableString, name: str,
                belongs: Callable[[Tag | NavigableString], bool]) -> None:
    """`first` and the siblings after it that belong (or are blank text), in a new `name` element."""
    group = [first]
    for sibling in first.next_siblings:
        if not (belongs(sibling) or _blank_text(sibling)):
            break
        group.append(sibling)
    while group and _blank_text(group[-1]):
        group.pop()
    wrapper = soup.new_tag(name)
    first.insert_before(wrapper)
    for node in group:
        wrapper.append(node.extract())


def _blank_text(node: Tag | NavigableString) -> bool:
    return isinstance(node, NavigableString) and (isinstance(node, PreformattedString) or not node.strip())


def _alternate_lists(soup: BeautifulSoup) -> None:
    """Mark a list that follows one of its kind, to be written with the other bullet."""
    for list_ in soup.find_all(LISTS):
        previous = next((s for s in list_.previous_siblings if not (_blank_text(s) or _shows_nothing(s))), None)
        if previous is not None and previous.name == list_.name and not previous.get("data-sitegen-alt"):
            list_["data-sitegen-alt"] = "1"


def _shows_nothing(node: Tag | NavigableString) -> bool:
    """An element that writes no Markdown (an empty paragraph between two lists)."""
    return isinstance(node, Tag) and not node.get_text().strip() and node.find(["img", "hr"]) is None \
        and node.name != "hr"


# Markdown


class _Converter(MarkdownConverter):
    """markdownify for the blocks; each run of inline nodes goes to inline_markdown."""

    def process_tag(self, node: Tag, parent_tags: set[str] | None = None) -> str:
        parent_tags = parent_tags or set()
        if node.name == "pre":
            return self.convert_pre(node, _pre_text(node), parent_tags)
        inner = parent_tags | {node.name} | ({"_inline"} if node.name in HEADINGS | CELLS else set())
        pieces: list[str] = []
        for is_block, children in groupby(node.children, key=_is_block):
            if is_block:
                pieces += [self.process_tag(child, inner) for child in children]
            elif markdown := inline_markdown(children, "_inline" in inner, bool(inner & CELLS)):
                pieces.append(f"\n\n{markdown}" if pieces else markdown)  # text after a nested list is a paragraph
        convert = self.get_conv_fn_cached(node.name)
        text = _join(pieces)
        return convert(node, text, parent_tags) if convert else text

    def convert_pre(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        fence = "`" * max(3, 1 + max(map(len, re.findall("`+", text)), default=0))
        return f"\n\n{fence}\n{text.strip(chr(10))}\n{fence}\n\n" if text.strip() else ""

    def convert_hr(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        return "\n\n---\n\n"

    def convert_hN(self, n: int, el: Tag, text: str, parent_tags: set[str]) -> str:
        # The text is one line already; markdownify's own would squeeze spaces in code spans.
        return f"\n\n{'#' * max(1, min(6, n))} {text.strip()}\n\n" if text.strip() else ""

    def convert_li(self, el: Tag, text: str, parent_tags: set[str]) -> str:
        text = text.strip()
        if not text:
            return "\n"
        alternate = el.parent is not None and el.parent.get("data-sitegen-alt")
        if el.parent is not None and el.parent.name == "ol":
            bullet = f"{1 + len(el.find_previous_siblings('li'))}{')' if alternate else '.'} "
        else:
            bullet = "+ " if alternate else "- "
        indent = " " * len(bullet)
        lines = text.split("\n")
        return bullet + "\n".join([lines[0]] + [indent + line if line else "" for line in lines[1:]]) + "\n"


def _join(pieces: list[str]) -> str:
    """markdownify's joining: at most one blank line where two pieces meet."""
    joined = [""]
    for piece in filter(None, pieces):
        leading, body, trailing = _EXTRACT_NEWLINES.match(piece).groups()
        if joined[-1] and leading:
            leading = "\n" * min(2, max(len(joined.pop()), len(leading)))
        joined += [leading, body, trailing]
    return "".join(joined)


def _pre_text(pre: Tag) -> str:
    """What a <pre> shows: its text, a <br> as a new line; nothing else inside means anything."""
    return "".join("\n" if node.name == "br" else str(node) for node in pre.descendants
                   if node.name == "br" or isinstance(node, NavigableString) and not isinstance(node, PreformattedString))
