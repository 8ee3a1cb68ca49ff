"""Tell whether a text is written in Simplified or Traditional characters."""

from __future__ import annotations

from collections import Counter

from sitegen.convert.opencc import Converters
from sitegen.model import Script


def detect_script(text: str, converters: Converters, default: Script = "zh-Hans") -> Script:
    """The script whose characters dominate `text`; `default` when no character tells.

    Each distinct Han character is converted alone, so only characters that exist
    in one script count: 發 votes Traditional, 发 Simplified, 的 neither.
    """
    to_hans, to_hant = converters.get("t2s"), converters.get("s2t")
    hant = hans = 0
    for char, n in Counter(c for c in text if "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff").items():
        hant += n * (to_hans(char) != char)
        hans += n * (to_hant(char) != char)
    if hant == hans:
        return default
    return "zh-Hant" if hant > hans else "zh-Hans"
