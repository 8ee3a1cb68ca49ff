"""著 as the particle: zh-Hans writes 着 (看着, 随着, 意味着, 接着), Traditional text writes 著.

OpenCC `t2s` keeps 著 for both the particle and the verb 'to write, to be noted'; `tw2s` writes
着 everywhere, 土著 and 著作权 included. In Simplified text 着 is the rule and 著 the exception,
kept only in the words below: the CC-CEDICT entries whose Simplified form keeps 著
(`bench/convert_mine.py --zhe` lists them), less the ones that are also read as the particle
(要著 in 不要著急). A 著 after a space is an author's credit (卢汉 著), kept too. Names
are the site's glossary's to keep.
"""

from __future__ import annotations

import re
from typing import Callable

WORDS_KEEPING_ZHU = (
    "著作权", "著作", "著名", "著称于世", "著称", "著书立说", "著书", "著述", "著录", "著者",
    "显著", "卓著", "土著人", "土著", "名著", "四大名著", "巨著", "鸿篇巨著", "原著", "专著", "编著",
    "译著", "论著", "遗著", "拙著", "合著", "新著", "恶名昭著", "臭名昭著", "昭著", "彰明较著",
    "见微知著", "察微知著", "仰屋著书", "炳著", "较著",
)
_KEPT_WORD = re.compile("|".join(sorted(WORDS_KEEPING_ZHU, key=len, reverse=True)) + r"|(?<=\s)著")


def particle_zhe(t2s: Callable[[str], str]) -> Callable[[str], str]:
    """`t2s`, then 著 -> 着 outside the words that keep 著."""

    def convert(text: str) -> str:
        converted = t2s(text)
        if "著" not in converted:
            return converted
        pieces, last = [], 0
        for match in _KEPT_WORD.finditer(converted):
            pieces += [converted[last:match.start()].replace("著", "着"), match.group(0)]
            last = match.end()
        return "".join(pieces) + converted[last:].replace("著", "着")

    return convert
