"""Tell whether a text is written in Simplified or Traditional characters."""

from __future__ import annotations

from collections import Counter

from sitegen.convert.converter import INLINE
from sitegen.convert.opencc import Converters
from sitegen.model import Script

# Characters OpenCC would change to Traditional that Traditional text also uses as they
# are (台灣, 皇后, 公里, 只有, 准許, 長征, 風采 ...): they are evidence of neither script.
# Found by converting real Taiwan text (the Big5 feeds, the sample article) char by char.
SHARED = set("台后里面干只系准征采了才周布范松斗谷丰冲志朴杰卷制致注于余游")
HAN_RANGES = (("\u3400", "\u9fff"), ("\uf900", "\ufaff"))


def detect_script(text: str, converters: Converters, default: Script = "zh-Hans") -> Script:
    """The script whose characters dominate `text`; `default` when no character tells.

    Each distinct Han character is converted alone, so only characters that exist
    in one script count: 發 votes Traditional, 发 Simplified, 的 and 台 neither. They go
    through OpenCC in one call, apart: no phrase crosses the separator between two.
    """
    counts = Counter(c for c in text if any(lo <= c <= hi for lo, hi in HAN_RANGES))
    chars = list(counts)
    as_hans, as_hant = (converters.get(config)(INLINE.join(chars)).split(INLINE) for config in ("t2s", "s2tw"))
    hant = hans = 0
    for char, in_hans, in_hant in zip(chars, as_hans, as_hant):
        hant += counts[char] * (in_hans != char)
        hans += counts[char] * (char not in SHARED and in_hant != char)
    if hant == hans:
        return default
    return "zh-Hant" if hant > hans else "zh-Hans"
