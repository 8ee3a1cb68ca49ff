"""Categories, tags and sources as pages: one term per name, whatever script it was written in.

國際 in a Traditional article and 国际 in a Simplified one are the same category:
terms are keyed by their pinyin, which both scripts share, and that key is also
the term's slug, the same in every variant (/zh-hans/category/guo-ji/).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Iterable

from sitegen.fsutil import clear_of_devices
from sitegen.model import Article

@dataclass(frozen=True, eq=False)  # compared by identity: one object per term
class TaxonomyTerm:
    kind: str
    """category, tag or source."""
    slug: str
    """Script-independent, used in URLs: pinyin (guo-ji) or the source id."""
    name: str
    """The name as an article wrote it."""
    lang: str
    """The script `name` is written in, to convert it per variant."""
    articles: tuple[Article, ...]
    """Newest first."""


def slugify(name: str) -> str:
    return clear_of_devices(pinyin_slug(name) or "term")


def pinyin_slug(name: str) -> str:
    """`guo-ji` for 國際 (ASCII letters and digits kept, lower-cased); '' when nothing in the name
    gives a letter or digit (emoji, kana, punctuation only)."""
    from pypinyin import lazy_pinyin  # slow to import (its phrase table), and most builds have every slug remembered

    words = [w.strip().lower() for w in lazy_pinyin(name)]
    slug = "-".join(re.sub(r"[^a-z0-9]+", "-", w).strip("-") for w in words if w.strip())
    return re.sub(r"-{2,}", "-", slug).strip("-")


def build_terms(kind: str, articles: Iterable[Article], names_of: Callable[[Article], Iterable[str]],
                same_name: Callable[[str], str], slugs: dict[str, str] | None = None
                ) -> tuple[tuple[TaxonomyTerm, ...], dict[str, TaxonomyTerm]]:
    """Terms of one kind, each with its articles, and the term of each name as articles wrote it;
    `same_name` maps a name to a script-free key (e.g. its Simplified form), so 國際 and 国际 meet
    while homophones stay apart. `slugs`: slugify's answers remembered from earlier builds (added to)."""
    groups: dict[str, list[tuple[str, Article]]] = defaultdict(list)
    keys: dict[str, str] = {}
    for article in articles:
        names = names_of(article)
        for name in names if len(names) < 2 else dict.fromkeys(names):
            if name not in keys:
                keys[name] = same_name(name)
            groups[keys[name]].append((name, article))
    slugs = _unique_slugs(sorted(groups), kind, {} if slugs is None else slugs)
    terms, by_key = [], {}
    for key in sorted(groups, key=lambda k: slugs[k]):
        # The name as written in the first script, then the first name: of a few distinct pairs.
        lang, name = min({(article.lang, name) for name, article in groups[key]})
        term = by_key[key] = TaxonomyTerm(kind, slugs[key], name, lang, _each_once(groups[key]))
        terms.append(term)
    return tuple(terms), {name: by_key[key] for name, key in keys.items()}


def _each_once(members: list[tuple[str, Article]]) -> tuple[Article, ...]:
    """The articles in order, each once: an article that wrote the term's name in two scripts is
    in `members` twice, one after the other (told by identity: hashing articles is slow)."""
    found: list[Article] = []
    for _, article in members:
        if not found or found[-1] is not article:
            found.append(article)
    return tuple(found)


def _unique_slugs(keys: list[str], kind: str, known: dict[str, str]) -> dict[str, str]:
    slugs: dict[str, str] = {}
    taken: set[str] = set()
    for key in keys:  # sorted, so the same names always get the same suffixes
        if kind != "source" and key not in known:
            known[key] = slugify(key)
        slug = key if kind == "source" else known[key]
        candidate, n = slug, 2
        while candidate in taken:
            candidate, n = f"{slug}-{n}", n + 1
        taken.add(candidate)
        slugs[key] = candidate
    return slugs
