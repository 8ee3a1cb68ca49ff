"""Convert a Markdown file's text for `sitegen convert`, leaving every other byte as it was.

Code, link targets, autolinks, HTML tags, front-matter keys and non-text fields
are cut out before conversion (bare URLs are kept by the converter itself) and put back unchanged; spacing and line breaks are
kept byte for byte.
"""

from __future__ import annotations

import re

from sitegen.convert.converter import ScriptConverter

FRONT_MATTER = re.compile(r"\A(---[ \t]*\r?\n)(.*?\r?\n)(---[ \t]*(?:\r?\n|\Z))", re.DOTALL)
TEXT_KEYS = {"title", "summary", "author", "source_name", "editor", "original_title", "categories", "tags",
             "caption", "credit"}
FM_LINE = re.compile(r"^(\s*)([A-Za-z_]+)(\s*:\s*)(.*?)(\r?)$")
FM_ITEM = re.compile(r"^(\s*-\s+)(.*?)(\r?)$")
PROTECTED = re.compile(
    r"(?ms)^(?P<fence>[ \t]*(`{3,}|~{3,}).*?^[ \t]*\2[ \t]*$)"  # fenced code blocks
    r"|(?P<code>(`+).+?\4)"                                      # code spans
    r"|(?P<target>\]\(\s*(?:<[^>\n]*>|[^)\s]*))"                 # link and image targets (not titles)
    r"|(?P<refdef>^[ ]{0,3}\[[^\]\n]+\]:[^\n]*$)"                # reference definitions
    r"|(?P<tag></?[A-Za-z][^>\n]*>|<[a-z][a-z0-9+.-]*:[^>\s]*>)"  # HTML tags and autolinks
    r"|(?P<para>\n[ \t]*\n\s*)")                                # blank lines end a block


def convert_markdown(text: str, converter: ScriptConverter) -> str:
    match = FRONT_MATTER.match(text)
    if not match:
        return _convert_body(text, converter)
    opening, meta, closing = match.groups()
    return opening + _convert_front_matter(meta, converter) + closing + _convert_body(text[match.end():], converter)


def _convert_body(text: str, converter: ScriptConverter) -> str:
    pieces: list[tuple[bool, str]] = []  # (is text to convert, piece)
    position = 0
    for match in PROTECTED.finditer(text):
        pieces += [(True, text[position:match.start()]), (False, match.group(0))]
        position = match.end()
    pieces.append((True, text[position:]))
    blocks: list[list[str]] = [[]]
    for is_text, piece in pieces:
        if is_text:
            blocks[-1].append(piece)
        elif piece.strip() == "" and "\n" in piece:
            blocks.append([])
    converted = iter(t for block in converter.convert_blocks([b for b in blocks if b]) for t in block)
    return "".join(next(converted) if is_text else piece for is_text, piece in pieces)


def _convert_front_matter(meta: str, converter: ScriptConverter) -> str:
    """Values of text fields (and their list items) converted; keys and other fields as they were."""
    lines, in_list = [], False
    for line in meta.split("\n"):
        if match := FM_LINE.match(line):
            indent, key, colon, value, cr = match.groups()
            in_list = key in TEXT_KEYS and not value
            if key in TEXT_KEYS and value:
                line = indent + key + colon + converter(value) + cr
        elif in_list and (item := FM_ITEM.match(line)):
            line = item.group(1) + converter(item.group(2)) + item.group(3)
        lines.append(line)
    return "\n".join(lines)
