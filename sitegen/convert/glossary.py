"""Glossaries: names and house style that OpenCC cannot know, and that win over it.

A term gives the same word in several scripts or variants:

    [[terms]]
    zh-Hans = "普京"
    zh-Hant = "普丁"

Keys are a script (zh-Hans, zh-Hant) or a variant name (zh-HK ...), which wins
over its script. Sources of terms, later ones winning for the same word: the
presets named in sitegen.toml (and those on by default for a variant, VARIANT_PRESETS),
the site's glossary.toml, the article's own `glossary:` front matter.

A terms file may say, for all its terms, `from = "zh-Hans"` (they convert only text written
in that script: a regional word is safe one way and not the other, 视频 -> 影片 but not 影片 ->
视频, which is also a film) and `whole_words = true` (a term converts only where it begins a
word of the sentence and does not run into the next: 视频 in 观看视频 and 视频会议, never in
电视频道 or 内存 in 国内|存款).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Iterable

from sitegen.schema import PRESETS_DIR
from sitegen.errors import ConfigError, Problem
from sitegen.model import Article

GLOSSARY_FILE = "glossary.toml"
SCRIPTS = ("zh-Hans", "zh-Hant")
VARIANT_PRESETS = {"zh-TW": ("taiwan-vocabulary",)}
"""Presets on for a variant of that name, whatever [glossary] presets says (the site's own
glossary still wins over them)."""


@dataclass(frozen=True)
class Term:
    forms: tuple[tuple[str, str], ...]
    """(script or variant name, how the word is written there) pairs."""
    only_from: str = ""
    """Converts only text written in this script (empty: either)."""
    whole_word: bool = False
    """Converts only where it begins a word of the sentence and does not run into the next."""

    def form(self, *names: str) -> str | None:
        """The word in the first of `names` (a variant, then its script) the term knows."""
        known = dict(self.forms)
        return next((known[n] for n in names if n in known), None)


def article_terms(article: Article) -> tuple[Term, ...]:
    return tuple(Term(forms) for forms in article.glossary)


def read_terms(data: Any, where: str) -> tuple[tuple[Term, ...], list[Problem]]:
    """Terms from a parsed `[[terms]]` array (or a front matter list), with problems by key path."""
    if not isinstance(data, list):
        return (), [Problem(where, "must be a list of terms, each a table of script = word")]
    terms, problems = [], []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or len(item) < 2 or not all(
                isinstance(k, str) and k.startswith("zh-") and isinstance(v, str) and v.strip()
                for k, v in item.items()):
            problems.append(Problem(f"{where}[{i}]", "must give the word in at least two scripts, "
                                    'e.g. { zh-Hans = "普京", zh-Hant = "普丁" }'))
            continue
        terms.append(Term(tuple(sorted(item.items()))))
    return tuple(terms), problems


def load_terms_file(path: Path, label: str) -> tuple[Term, ...]:
    """Terms of a glossary file; ConfigError naming every bad entry."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError([Problem(label, f"not valid TOML: {exc}")]) from None
    unknown = [Problem(f"{label}: {key}", "unknown key") for key in data.keys() - {"terms", "from", "whole_words"}]
    terms, problems = read_terms(data.get("terms", []), f"{label}: terms")
    only_from, whole_word = data.get("from", ""), data.get("whole_words", False)
    if only_from not in ("", *SCRIPTS):
        problems.append(Problem(f"{label}: from", f"must be one of {', '.join(SCRIPTS)}"))
    if not isinstance(whole_word, bool):
        problems.append(Problem(f"{label}: whole_words", "must be true or false"))
    if unknown or problems:
        raise ConfigError(unknown + problems)
    return tuple(Term(t.forms, only_from, whole_word) for t in terms)


def site_terms(root: Path, presets: Iterable[str]) -> tuple[Term, ...]:
    """The presets' terms, then the site's glossary.toml (if any)."""
    terms: list[Term] = []
    for name in presets:
        terms += load_terms_file(PRESETS_DIR / f"{name}.toml", f"preset {name}")
    if (root / GLOSSARY_FILE).is_file():
        terms += load_terms_file(root / GLOSSARY_FILE, GLOSSARY_FILE)
    return tuple(terms)


@cache
def variant_terms(variant: str) -> tuple[Term, ...]:
    """The terms of the presets on by default for a variant of this name (read once: an article
    with a glossary of its own gets a converter of its own)."""
    return tuple(term for name in VARIANT_PRESETS.get(variant, ())
                 for term in load_terms_file(PRESETS_DIR / f"{name}.toml", f"preset {name}"))


def replacements(terms: Iterable[Term], source_script: str, variant: str,
                 script: str) -> tuple[dict[str, str], frozenset[str]]:
    """Source word -> variant word for one direction, later terms winning for the same word;
    and the source words that convert only as whole words."""
    table: dict[str, str] = {}
    whole: set[str] = set()
    for term in terms:
        source, target = term.form(source_script), term.form(variant, script)
        if source and target and term.only_from in ("", source_script):
            table[source] = target
            (whole.add if term.whole_word else whole.discard)(source)
    return table, frozenset(whole)
