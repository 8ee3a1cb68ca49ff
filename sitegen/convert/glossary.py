"""Glossaries: names and house style that OpenCC cannot know, and that win over it.

A term gives the same word in several scripts or variants:

    [[terms]]
    zh-Hans = "普京"
    zh-Hant = "普丁"

Keys are a script (zh-Hans, zh-Hant) or a variant name (zh-HK ...), which wins
over its script. Sources of terms, later ones winning for the same word: the
presets named in sitegen.toml, the site's glossary.toml, the article's own
`glossary:` front matter.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from sitegen.schema import PRESETS_DIR
from sitegen.errors import ConfigError, Problem
from sitegen.model import Article

GLOSSARY_FILE = "glossary.toml"


@dataclass(frozen=True)
class Term:
    forms: tuple[tuple[str, str], ...]
    """(script or variant name, how the word is written there) pairs."""

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
    unknown = [Problem(f"{label}: {key}", "unknown key") for key in data.keys() - {"terms"}]
    terms, problems = read_terms(data.get("terms", []), f"{label}: terms")
    if unknown or problems:
        raise ConfigError(unknown + problems)
    return terms


def site_terms(root: Path, presets: Iterable[str]) -> tuple[Term, ...]:
    """The presets' terms, then the site's glossary.toml (if any)."""
    terms: list[Term] = []
    for name in presets:
        terms += load_terms_file(PRESETS_DIR / f"{name}.toml", f"preset {name}")
    if (root / GLOSSARY_FILE).is_file():
        terms += load_terms_file(root / GLOSSARY_FILE, GLOSSARY_FILE)
    return tuple(terms)


def replacements(terms: Iterable[Term], source_script: str, variant: str, script: str) -> dict[str, str]:
    """Source word -> variant word for one direction; later terms win for the same word."""
    table: dict[str, str] = {}
    for term in terms:
        source, target = term.form(source_script), term.form(variant, script)
        if source and target:
            table[source] = target
    return table
