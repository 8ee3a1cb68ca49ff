"""Quotation marks in the variant's style: 「…」 and 『…』 in Traditional, “…” and ‘…’ in Simplified.

A pair of curly quotes becomes corner brackets when it quotes Chinese: the quoted text holds a
Han character, or the pair sits in a Chinese sentence (他说“OK”吧 -> 他說「OK」吧). Latin text
keeps its own marks (Who’s “OK”?), and an apostrophe never pairs (Let’s). A quotation running
over several paragraphs opens each paragraph and closes only at its end, so each of its
paragraphs holds an opening mark without a closing one, and the last a closing one. A mark left
without its pair (a summary cut short, a paragraph that ends a quotation begun earlier) follows
the text it touches: an opening mark before Chinese, a closing one after it.
"""

from __future__ import annotations

import re

HAN = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003134f\U000f0000-\U000ffffd"  # placeholders stand for words
CHINESE = f"{HAN}\u3000-\u303f\uff00-\uffef"
"""Han, or full-width punctuation (，。：「 …): what a Chinese sentence is made of."""
# Patterns as text, compiled on first use (re keeps them): compiling these large classes costs
# some 10 ms, which a command that converts nothing should not pay.
_HAN_CHAR = f"[{HAN}]"
_CHINESE_BEFORE = f"[{CHINESE}][ \u00a0]*$"
_CHINESE_AFTER = f"^[ \u00a0]*[{CHINESE}]"
_UNPAIRED_OPENING = f"“(?=[{HAN}])"
_UNPAIRED_CLOSING = f"(?<=[{CHINESE}])”"
CORNER_TO_CURLY = (("「", "“"), ("」", "”"), ("『", "‘"), ("』", "’"))


def corner_quotes(text: str, block_separator: str) -> str:
    """Curly quotes that quote Chinese -> corner brackets; blocks (paragraphs) are joined by
    `block_separator`, which a pair never spans."""
    if "“" in text:
        text = _pairs(text, "“", "”", "「", "」", block_separator)
        if "“" in text and block_separator in text:
            text = _across_blocks(text, block_separator)
    if "“" in text or "”" in text:
        text = re.sub(_UNPAIRED_CLOSING, "」", re.sub(_UNPAIRED_OPENING, "「", text))
    if "‘" in text:
        text = _pairs(text, "‘", "’", "『", "』", block_separator)
    return text


def curly_quotes(text: str) -> str:
    """Corner brackets -> curly quotes: they are only ever Chinese quotes, so no pairing is needed."""
    for corner, curly in CORNER_TO_CURLY:
        text = text.replace(corner, curly)
    return text


def _pairs(text: str, opening: str, closing: str, corner_open: str, corner_close: str, block: str) -> str:
    # A closing single quote before a letter is an apostrophe (Let’s): never the end of a pair.
    apostrophe = "(?![A-Za-z])" if closing == "’" else ""
    pair = re.compile(f"{opening}([^{opening}{closing}{block}]*){closing}{apostrophe}")

    def swap(match: re.Match) -> str:
        if re.search(_HAN_CHAR, match.group(1)) or _in_chinese(text, match.start(), match.end()):
            return f"{corner_open}{match.group(1)}{corner_close}"
        return match.group(0)

    return pair.sub(swap, text)


def _in_chinese(text: str, start: int, end: int) -> bool:
    """The text just before `start` or just after `end` (spaces aside) is Chinese."""
    return bool(re.compile(_CHINESE_BEFORE).search(text, max(0, start - 8), start)
                or re.search(_CHINESE_AFTER, text[end:end + 8]))


def _across_blocks(text: str, block: str) -> str:
    """An opening mark left without its pair opens a quotation that goes on into the next
    paragraph: that paragraph opens with a mark again, or holds the closing one."""
    blocks = text.split(block)
    for i in range(len(blocks) - 1):
        start = blocks[i].rfind("“")
        if start < 0 or "”" in blocks[i][start:] or not re.compile(_HAN_CHAR).search(blocks[i], start):
            continue
        following = blocks[i + 1].lstrip()
        if following.startswith(("“", "「")):
            blocks[i] = f"{blocks[i][:start]}「{blocks[i][start + 1:]}"
        elif 0 <= (end := blocks[i + 1].find("”")) and "“" not in blocks[i + 1][:end]:
            blocks[i] = f"{blocks[i][:start]}「{blocks[i][start + 1:]}"
            blocks[i + 1] = f"{blocks[i + 1][:end]}」{blocks[i + 1][end + 1:]}"
    return block.join(blocks)
