"""Convert text from one script into one variant: inline overrides, glossary, OpenCC, quotes.

OpenCC never changes ASCII, so bare URLs (ASCII; Chinese right after one is text)
need no protection. Many short texts (the text nodes of an article) go through one OpenCC call,
joined by private-use separators that no dictionary entry matches, so no word
is ever formed across two texts. Overrides and glossary words are swapped for
private-use placeholders before OpenCC runs and swapped back after, so OpenCC
never touches them.
"""

from __future__ import annotations

import re
from functools import cached_property
from typing import Callable, Sequence

from sitegen.convert.boundaries import word_bounds
from sitegen.convert.quotes import corner_quotes, curly_quotes

INLINE = "\ue000"
"""Between two texts of one block (a paragraph's text nodes)."""
BLOCK = "\ue001"
"""Between blocks (paragraphs): a pair of quotation marks never spans it (see quotes.py for a
quotation over several paragraphs)."""
PLACEHOLDER_BASE = 0xF0000
PLACEHOLDERS = re.compile("[\U000F0000-\U000FFFFD]")
OVERRIDE = re.compile("-\\{([^\ue000\ue001]*?)\\}-")
"""An inline override `-{…}-`, never across two texts or blocks (converted in one call, they must
come back as many as they went)."""
OVERRIDE_CHOICE = re.compile(r"\s*(zh-[A-Za-z]+)\s*:(.*)", re.DOTALL)

NAME_LENGTH = 32
"""Texts up to this long converted on their own are remembered (names, not article text)."""
OpenCC = Callable[[str], str]
NameKey = tuple[str, str, str]
"""(variant, script the text is written in, text)."""
REMEMBERED_NAMES = 50_000


class Remembered:
    """Short texts converted on their own (taxonomy names, on every page): those an earlier build
    converted under the same settings, and those converted now. What is kept for the next build
    is both, unless that grows past REMEMBERED_NAMES (renamed tags pile up): then only the ones
    this build used."""

    def __init__(self) -> None:
        self.earlier: dict[NameKey, str] = {}
        self.now: dict[NameKey, str] = {}

    def start(self, earlier: dict[NameKey, str]) -> None:
        """A build begins, given what the stored cache remembers."""
        self.earlier, self.now = {**self.kept(), **earlier}, {}

    def get(self, key: NameKey) -> str | None:
        found = self.now.get(key)
        if found is None and (found := self.earlier.get(key)) is not None:
            self.now[key] = found
        return found

    def put(self, key: NameKey, converted: str) -> None:
        self.now[key] = converted

    def kept(self) -> dict[NameKey, str]:
        both = {**self.earlier, **self.now}
        return both if len(both) <= REMEMBERED_NAMES else dict(self.now)


class ScriptConverter:
    """Text written in `source_script` -> text for the variant `variant` (whose script is `script`)."""

    def __init__(self, opencc: OpenCC | None, variant: str, script: str, source_script: str,
                 glossary: dict[str, str], quotes: bool, whole_words: frozenset[str] = frozenset(),
                 plain: OpenCC | None = None, names: Remembered | None = None,
                 bounds: Callable[[str], set[int]] = word_bounds):
        self.opencc, self.variant, self.script = _nul_safe(opencc), variant, script
        self.bounds = bounds
        """Where the words of a text start and end (see `_glossary_word`)."""
        self.source_script = source_script
        self.names = Remembered() if names is None else names
        """Short texts converted by `__call__`: shared with the build cache, so a rebuild need not
        convert a taxonomy name again."""
        self.plain = _nul_safe(plain) or self.opencc
        """`opencc` without sitegen's own rules (OpenCC alone): enough to sort the glossary words."""
        self.converting = opencc is not None  # zh-Hant -> zh-HK converts within one script
        self.quotes = quotes and self.converting and source_script != script
        # Identity terms (台 -> 台) matter too: they keep OpenCC away from the word.
        self.glossary = glossary if self.converting else {}
        self.whole_words = whole_words if self.converting else frozenset()
        self.words = sorted(self.glossary, key=len, reverse=True)  # the longest match wins
        self.pattern = _alternation(self.words)

    @cached_property
    def _checks(self) -> tuple[re.Pattern | None, re.Pattern | None]:
        """The glossary words OpenCC gets wrong even on their own (台 -> 臺): text holding one
        needs protection; and the words it gets right on their own, which may still go wrong
        inside a longer one (被发明 -> 被髮明), so are checked in its output (a single character
        OpenCC gets right alone it gets right, unless sitegen's rules are at work too). Asked of
        OpenCC alone, which loads no segmenter: a word that agrees alone but not within sitegen's
        rules is still checked in the output. Worked out on first use, as a build that converts
        nothing new never needs it."""
        agrees = {w for w, alone in zip(self.words, self._each_alone(self.words)) if alone == self.glossary[w]}
        rules = self.plain is not self.opencc  # sitegen's rules may change even one character (著)
        return (_alternation([w for w in self.words if w not in agrees]),
                _alternation([w for w in self.words if w in agrees and (len(w) > 1 or rules)]))

    def _each_alone(self, words: list[str]) -> list[str]:
        """Each word converted on its own by OpenCC alone, in one call: no phrase crosses a separator."""
        if any(INLINE in word for word in words):
            return [self.plain(word) for word in words]  # type: ignore[misc]
        return self.plain(INLINE.join(words)).split(INLINE)  # type: ignore[misc]

    def __call__(self, text: str) -> str:
        key = (self.variant, self.source_script, text)
        if (known := self.names.get(key)) is not None:
            return known
        converted = self.convert_blocks([[text]])[0][0]
        if len(text) <= NAME_LENGTH:
            self.names.put(key, converted)
        return converted

    def convert_texts(self, texts: Sequence[str]) -> list[str]:
        """Each text converted on its own (as separate blocks)."""
        return [block[0] for block in self.convert_blocks([[t] for t in texts])]

    def convert_blocks(self, blocks: Sequence[Sequence[str]]) -> list[list[str]]:
        """Blocks of texts converted in one go; the structure comes back unchanged."""
        if not blocks:
            return []
        if any(sep in t for texts in blocks for t in texts for sep in (INLINE, BLOCK)):
            return [[self._convert_joined(t) for t in texts] for texts in blocks]
        joined = BLOCK.join(INLINE.join(texts) for texts in blocks)
        parts = self._convert_joined(joined).split(BLOCK)
        return [part.split(INLINE) if texts else [] for part, texts in zip(parts, blocks)]

    def _convert_joined(self, text: str) -> str:
        # Not remembered: an article's text is converted once per build, and the short texts that
        # recur (names, the theme's and the settings' strings) are remembered where they are asked for.
        fast = self._without_protection(text)
        return fast if fast is not None else self._with_protection(text)

    def _without_protection(self, text: str) -> str | None:
        """OpenCC alone, when it already writes every glossary word as the glossary says.

        Most text needs no protection (t2s gets 颱風 and 發布 right); checking the
        output is cheaper than protecting. Lengths must agree to compare positions.
        """
        if "-{" in text or not self.converting:
            return None
        disagreeing, to_check = self._checks
        if disagreeing is not None and disagreeing.search(text):
            return None
        converted = self.opencc(text)  # type: ignore[misc]
        if to_check is not None:
            if len(converted) != len(text):
                return None
            for match in to_check.finditer(text):
                if converted[match.start():match.end()] != self.glossary[match.group(0)]:
                    return None
        return self._quotes(converted) if self.quotes else converted

    def _with_protection(self, text: str) -> str:
        placeholders = _Placeholders(text)
        if "-{" in text:
            text = OVERRIDE.sub(lambda m: placeholders.hold(self._override(m.group(1))), text)
        if self.pattern is not None:
            text = self.pattern.sub(self._glossary_word(text, placeholders), text)
        if self.converting:
            text = self.opencc(text)  # type: ignore[misc]
        if self.quotes:
            text = self._quotes(text)
        return placeholders.restore(text)

    def _glossary_word(self, text: str, placeholders: _Placeholders) -> Callable[[re.Match], str]:
        """A glossary word's placeholder, unless the word converts only as a whole word and the
        match cuts a word of the sentence: it must start where a word starts, and end where one
        ends or inside that same word (网络 in 网络安全, not 视频 in 电视频道 or 内存 in 国内|存款).
        OpenCC converts a word refused."""
        bounds: set[int] = set()

        def replace(match: re.Match) -> str:
            word, start, end = match.group(0), match.start(), match.end()
            if word in self.whole_words:
                if not bounds:
                    bounds.update(self.bounds(text))
                if start not in bounds or (end not in bounds and any(b in bounds for b in range(start + 1, end))):
                    return word
            return placeholders.hold(self.glossary[word])

        return replace

    def _override(self, body: str) -> str:
        """`-{text}-` stays as written; `-{zh-Hans:甲;zh-Hant:乙}-` picks this variant's word."""
        choices = dict(m.groups() for part in body.split(";") if (m := OVERRIDE_CHOICE.fullmatch(part)))
        if not choices:
            return body
        return choices.get(self.variant) or choices.get(self.script) or next(iter(choices.values()))

    def _quotes(self, text: str) -> str:
        return corner_quotes(text, BLOCK) if self.script == "zh-Hant" else curly_quotes(text)


def _nul_safe(opencc: OpenCC | None) -> OpenCC | None:
    """OpenCC ends its text at a NUL (a C string), losing the rest and every later text of a joined
    call: each piece between NULs is converted on its own instead."""
    if opencc is None:
        return None
    return lambda text: "\0".join(map(opencc, text.split("\0"))) if "\0" in text else opencc(text)


def _alternation(words: list[str]) -> re.Pattern | None:
    """A regex matching any of `words`, the longest where several start at one place.

    Built as a trie (发(?:布|明)) rather than a flat list of alternatives: the regex
    engine then tries one branch per character instead of every word.
    """
    if not words:
        return None
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return re.compile(_trie_pattern(tree))


def _trie_pattern(node: dict) -> str:
    branches = [re.escape(char) + _trie_pattern(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
    return f"(?:{body})?" if "" in node else body  # greedy: the longer word wins


class _Placeholders:
    """Private-use characters standing in for words OpenCC must not touch, one per distinct word."""

    def __init__(self, text: str):
        self.taken = set(PLACEHOLDERS.findall(text))  # never reuse a character the text already holds
        self.by_word: dict[str, str] = {}
        self.by_char: dict[str, str] = {}
        self.next_code = PLACEHOLDER_BASE

    def hold(self, word: str) -> str:
        if word not in self.by_word:
            while chr(self.next_code) in self.taken:
                self.next_code += 1
            self.by_word[word] = chr(self.next_code)
            self.by_char[chr(self.next_code)] = word
            self.next_code += 1
        return self.by_word[word]

    def restore(self, text: str) -> str:
        if not self.by_word:
            return text
        return PLACEHOLDERS.sub(lambda m: self.by_char.get(m.group(0), m.group(0)), text)
