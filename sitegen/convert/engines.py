"""OpenCC's converters, and OpenCC with the rules it lacks: Simplified text converted word by
word (convert/boundaries.py), and 著 -> 着 where Traditional text becomes Simplified
(convert/particle.py). Light to import: the converter process (convert/answering.py) starts
with this alone."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import opencc

from sitegen.convert.boundaries import within_words
from sitegen.convert.particle import particle_zhe
from sitegen.errors import SitegenError

TextConverter = Callable[[str], str]


class UnknownConverterError(SitegenError, ValueError):
    """A variant names an OpenCC config that OpenCC does not have."""


def bundled(config: str) -> bool:
    """Whether OpenCC comes with `config` (which then loads: no need to try it early)."""
    return f"{config}.json" in opencc.CONFIGS or config in opencc.CONFIGS


def load_opencc(config: str) -> TextConverter:
    try:
        return opencc.OpenCC(config).convert
    except RuntimeError:
        known = ", ".join(sorted(c.removesuffix(".json") for c in opencc.CONFIGS))
        raise UnknownConverterError(f"OpenCC has no config {config!r} (known: {known})") from None


def with_rules(convert: TextConverter, source_script: str, script: str, phrases: Path | None = None) -> TextConverter:
    """OpenCC's `convert` (from `source_script` into `script`) with the rules it lacks. `phrases`:
    where OpenCC's phrases are kept ready to load (see convert/boundaries.py)."""
    if source_script == "zh-Hans":
        return within_words(convert, phrases)
    return particle_zhe(convert) if script == "zh-Hans" else convert


class Engines:
    """OpenCC's configs, and each with sitegen's rules, loaded in this process on first use and
    kept (what `within_words` remembers is shared by every text it converts). `phrases`: see
    `with_rules`."""

    def __init__(self, phrases: Path | None = None) -> None:
        self.phrases = phrases
        self._opencc: dict[str, TextConverter] = {"": _identity}
        self._ruled: dict[tuple[str, str, str], TextConverter] = {}

    def opencc(self, config: str) -> TextConverter:
        if config not in self._opencc:
            self._opencc[config] = load_opencc(config)
        return self._opencc[config]

    def ruled(self, config: str, source_script: str, script: str) -> TextConverter:
        key = (config, source_script, script)
        if key not in self._ruled:
            self._ruled[key] = with_rules(self.opencc(config), source_script, script, self.phrases)
        return self._ruled[key]


def _identity(text: str) -> str:
    return text
