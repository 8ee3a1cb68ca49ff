"""Text as Markdown shows it: escaping, link destinations and titles, code spans, and the
whitespace rules of Chinese text (no space where a line break fell between two ideographs)."""

from __future__ import annotations

import re
from urllib.parse import quote

from bs4 import Tag

LINK_SCHEMES = ("http:", "https:", "mailto:")
IMAGE_SCHEMES = ("http:", "https:")

# Ideographs and full-width punctuation, plus the shared punctuation Chinese text uses
# as its own (· — ‘ ’ “ ” …): no space is needed between them when lines are joined.
CJK = ("\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f\u3000-\u303f\uff00-\uffef"
       "\xb7\u2014\u2018\u2019\u201c\u201d\u2026")
IS_CJK = re.compile(f"[{CJK}]")
_SPECIAL = re.compile(r"[\\`*_\[\]<|~]|&(?=#?[0-9a-z]+;)", re.I)
_LINE_START = re.compile(r"^(\d{0,9})((?<=\d)[.)]|(?<!\d)[#>+=-])")  # headings, quotes, lists, rules


def escape_text(text: str, line_start: bool = False, heading: bool = False) -> str:
    """Text that Markdown shows as it is: `*`, `_`, `[`, a leading `#` or `1.` and so on escaped;
    in a `heading` every `#`, or a trailing ` #` would vanish as a closing sequence."""
    text = _SPECIAL.sub(r"\\\g<0>", text)
    if heading:
        text = text.replace("#", "\\#")
    return _LINE_START.sub(r"\1\\\2", text) if line_start else text


def image_markdown(img: Tag) -> str:
    """`![alt](src "title")`, or "" for an image that is not on the web."""
    src = img.get("src", "")
    if not src.lower().startswith(IMAGE_SCHEMES):
        return ""
    return f"![{escape_text(squash(img.get('alt', '')))}]({destination(src)}{title_part(img.get('title', ''))})"


def destination(url: str) -> str:
    url = re.sub(r"[\s()<>\\]", lambda m: quote(m.group()), url)
    return re.sub(r"&(?=#?[0-9a-z]+;)", r"\\&", url, flags=re.I)  # or the renderer decodes it


def title_part(title: str) -> str:
    escaped = re.sub(r'[\\"&]', r"\\\g<0>", squash(title))  # \ " & are literal in a title
    return f' "{escaped}"' if escaped else ""


def squash(text: str) -> str:
    """One line: source wrapping between CJK characters removed, other whitespace one space."""
    text = re.sub(f"(?<=[{CJK}])[ \\t\\f]*[\\r\\n][ \\t\\r\\n\\f]*(?=[{CJK}])", "", text)
    return re.sub("[ \\t\\r\\n\\f\\xa0]+", " ", text).strip()


def code_span(code: str, in_table: bool = False) -> str:
    if in_table:
        code = code.replace("|", "\\|")
    fence = "`" * (1 + max(map(len, re.findall("`+", code)), default=0))
    # The renderer takes one space off each end when both have one; a backtick at an end needs one.
    pad = " " if "`" in (code[0], code[-1]) or code[0] == code[-1] == " " and code.strip(" ") else ""
    return f"{fence}{pad}{code}{pad}{fence}"
