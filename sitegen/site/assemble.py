"""Content + config -> Site: articles in reading order, taxonomies, archives, neighbours."""

from __future__ import annotations

import functools
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from functools import cached_property
from typing import Callable, Sequence
from zoneinfo import ZoneInfo

from sitegen.config import SiteConfig, SourceConfig
from sitegen.model import Article
from sitegen.site.taxonomy import TaxonomyTerm, build_terms
from sitegen.site.urls import Urls

RELATED = 5
NAMES: dict[str, Callable[[Article], Sequence[str]]] = {
    "category": lambda a: a.categories, "tag": lambda a: a.tags, "source": lambda a: (a.source,)}
"""The names an article gives itself for each kind of term."""
ESTIMATE_BELOW = timedelta(days=1)
"""How far down reading order takes an article whose date is estimated (see reading_key)."""


@dataclass(frozen=True)
class Near:
    """The terms and articles an article page shows besides the article itself. Page keys, the
    pages and `Site.linking_to` all derive from this one definition."""

    category: TaxonomyTerm | None
    tags: tuple[TaxonomyTerm, ...]
    source: TaxonomyTerm | None
    newer: Article | None
    older: Article | None
    related: tuple[Article, ...]

    @property
    def articles(self) -> tuple[Article, ...]:
        """The other articles the page links to."""
        return tuple(a for a in (self.newer, self.older, *self.related) if a is not None)


@dataclass(frozen=True)
class Archive:
    year: int
    month: int | None
    """None for a whole year."""
    articles: tuple[Article, ...]


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    urls: Urls
    articles: tuple[Article, ...]
    """Reading order, newest first (see reading_key)."""
    terms: dict[str, tuple[TaxonomyTerm, ...]] = field(default_factory=dict)
    """category, tag and source terms, by kind."""
    term_names: dict[str, dict[str, TaxonomyTerm]] = field(default_factory=dict)
    """The term of each name an article gives itself (`NAMES`), by kind."""
    archives: tuple[Archive, ...] = ()
    """Years and months, newest first."""
    waiting: dict[str, str] = field(default_factory=dict)
    """In a preview: `draft` or `scheduled`, by article path, for the articles not published yet."""
    withdrawn: tuple[Article, ...] = ()
    """Stories published, then withdrawn: in none of the above; their pages say they were withdrawn."""

    def trees(self) -> list[str]:
        """The output tree of every host (the site's own, and each variant's with a host of its own)."""
        return sorted({self.urls.tree(v) for v in [None, *self.config.variants]})

    def source_of(self, article: Article) -> SourceConfig | None:
        return self.config.source(article.source)

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(newer, older) articles next to this one."""
        index = self._index_of(article)
        newer = self.articles[index - 1] if index > 0 else None
        older = self.articles[index + 1] if index + 1 < len(self.articles) else None
        return newer, older

    def related(self, article: Article) -> tuple[Article, ...]:
        """Nearest stories in time from the same (first) category."""
        if article not in self._related:
            self._related[article] = self._nearest_in_category(article)
        return self._related[article]

    def category_of(self, article: Article) -> TaxonomyTerm | None:
        """The article's first category (None when it has none, or is not on the site). Looked up
        when asked: a small rebuild asks for a few articles', and a table of all costs 30 ms at
        20,000 stories."""
        if not article.categories or self._index_of(article, None) is None:
            return None
        return self.term_names["category"][article.categories[0]]

    def terms_of(self, kind: str, article: Article) -> tuple[TaxonomyTerm, ...]:
        """The article's terms of one kind, in the terms' order."""
        if self._index_of(article, None) is None:
            return ()
        names, term_of = NAMES[kind](article), self.term_names[kind]
        if len(names) < 2:
            return tuple(term_of[name] for name in names)
        return tuple(sorted(dict.fromkeys(term_of[name] for name in names), key=self._term_order[kind].__getitem__))

    @cached_property
    def _term_order(self) -> dict[str, dict[TaxonomyTerm, int]]:
        return {kind: {term: i for i, term in enumerate(terms)} for kind, terms in self.terms.items()}

    def near(self, article: Article) -> Near:
        """What the article's page shows of the rest of the site (remembered: keys and pages ask again)."""
        if article not in self._near:
            newer, older = self.neighbours(article)
            self._near[article] = Near(
                category=self.category_of(article), tags=self.terms_of("tag", article),
                source=next(iter(self.terms_of("source", article)), None),
                newer=newer, older=older, related=self.related(article))
        return self._near[article]

    def context(self, article: Article) -> tuple[Article | None, ...]:
        """The articles, in their places, that `near(article)` is worked out from: its neighbours in
        reading order and its first category's articles up to RELATED places either side (itself
        among them). The same context, the same `near`."""
        newer, older = self.neighbours(article)
        term = self.category_of(article)
        if term is None:
            return newer, older
        i = self._position(term, article)
        return newer, older, *term.articles[max(0, i - RELATED):i + RELATED + 1]

    def linking_to(self, article: Article) -> set[Article]:
        """The articles whose pages show this one: those within its reach whose `near` holds it."""
        return {other for other in self.within_reach(article) if article in self.near(other).articles}

    def within_reach(self, article: Article) -> set[Article]:
        """Every article whose page could show this one, and so whose context holds it: its
        neighbours in reading order, and the articles up to RELATED places from it in each of its
        categories. It must cover all `near` can link to (tests/site/test_near.py holds it to the
        whole site's `near`): a small rebuild asks for a few articles' reach instead of every
        article's `near`."""
        index = self._index_of(article)
        found = set(self.articles[max(0, index - 1):index + 2])
        own = self.articles[index] is article  # then each term holds it as this object, or not at all
        for term in self.terms.get("category", ()):
            i = self._by_identity[term].get(id(article)) if own else self._positions[term].get(article)
            if i is not None:
                found.update(term.articles[max(0, i - RELATED):i + RELATED + 1])
        found.discard(article)
        return found

    @cached_property
    def _near(self) -> dict[Article, Near]:
        return {}

    def _index_of(self, article: Article, *missing: None) -> int:
        """The article's index in reading order (KeyError, or `missing` if given, when it is not there)."""
        i = self._by_identity[None].get(id(article))
        if i is not None and self.articles[i] is article:
            return i
        return self._index.get(article, *missing) if missing else self._index[article]

    def _position(self, term: TaxonomyTerm, article: Article) -> int:
        """The article's index among its category `term`'s articles (as `_index_of`)."""
        i = self._by_identity[term].get(id(article))
        if i is not None and term.articles[i] is article:
            return i
        return self._positions[term][article]

    @cached_property
    def _by_identity(self) -> dict[TaxonomyTerm | None, dict[int, int]]:
        """Where each article is in reading order (under None) and among each category's articles, by
        the object's identity: a small rebuild asks for a few of the site's own articles, and this
        costs a tenth of hashing them all. Other objects equal to one of them (a worker's copy) are
        looked up by equality, in `_index` and `_positions`."""
        found: dict[TaxonomyTerm | None, dict[int, int]] = {None: {id(a): i for i, a in enumerate(self.articles)}}
        for term in self.terms.get("category", ()):
            found[term] = {id(a): i for i, a in enumerate(term.articles)}
        return found

    @cached_property
    def _index(self) -> dict[Article, int]:
        return {a: i for i, a in enumerate(self.articles)}

    @cached_property
    def _related(self) -> dict[Article, tuple[Article, ...]]:
        return {}  # filled as asked: a small rebuild asks for a few

    @cached_property
    def _positions(self) -> dict[TaxonomyTerm, dict[Article, int]]:
        return {term: {a: i for i, a in enumerate(term.articles)} for term in self.terms.get("category", ())}

    def _nearest_in_category(self, article: Article) -> tuple[Article, ...]:
        term = self.category_of(article)
        if term is None:
            return ()
        i, items, when = self._position(term, article), term.articles, article.date.timestamp()
        window = items[max(0, i - RELATED):i] + items[i + 1:i + 1 + RELATED]
        return tuple(sorted(window, key=lambda a: (abs(a.date.timestamp() - when), a.id))[:RELATED])


def assemble(config: SiteConfig, articles: list[Article], same_name: Callable[[str], str],
             slugs: dict[str, str] | None = None, waiting: dict[str, str] | None = None,
             withdrawn: list[Article] | None = None) -> Site:
    """`same_name` maps a taxonomy name to a script-free key (its Simplified form); `slugs`:
    taxonomy slugs remembered from earlier builds; `waiting`, `withdrawn`: see `Site`."""
    same_name = functools.cache(same_name)  # a few hundred names, asked for once per article
    ordered = tuple(sorted(articles, key=reading_key))
    terms, names = {}, {}
    for kind, names_of in NAMES.items():
        terms[kind], names[kind] = build_terms(kind, ordered, names_of, same_name if kind != "source" else str,
                                               slugs if kind != "source" else None)
    return site_of(config, ordered, terms, names, _archives(ordered, config.site.timezone), waiting, withdrawn)


def site_of(config: SiteConfig, ordered: tuple[Article, ...], terms: dict[str, tuple[TaxonomyTerm, ...]],
            names: dict[str, dict[str, TaxonomyTerm]], archives: tuple[Archive, ...],
            waiting: dict[str, str] | None, withdrawn: list[Article] | None) -> Site:
    """The site of articles in reading order, grouped into these terms and archives."""
    return Site(config=config, urls=Urls(config.site), articles=ordered, terms=terms, term_names=names,
                archives=archives,
                waiting=waiting or {}, withdrawn=tuple(sorted(withdrawn or (), key=lambda a: a.path)))


def reading_key(article: Article) -> tuple[float, bool, str]:
    """Sort key of reading order, newest first, for lists and feeds.

    An article whose date is estimated (the feed gave none: it is the feed's date or the fetch's)
    ranks as if dated ESTIMATE_BELOW earlier. A feed without dates can hand over twenty years of
    posts at once, all dated at that fetch: this keeps them below the real-dated news of the day
    before, whichever fetch brought that, so they never lead the home page over today's news, and
    they keep their feed's order among themselves. At equal ranks a real date goes first, then the
    id decides, so the order never depends on the file system.
    """
    rank = article.date - ESTIMATE_BELOW if article.date_estimated else article.date
    return -rank.timestamp(), article.date_estimated, article.id


def _archives(articles: tuple[Article, ...], timezone: str) -> tuple[Archive, ...]:
    zone = ZoneInfo(timezone)
    years: dict[int, list[Article]] = defaultdict(list)
    months: dict[tuple[int, int], list[Article]] = defaultdict(list)
    for article in articles:
        local = article.date.astimezone(zone)
        years[local.year].append(article)
        months[local.year, local.month].append(article)
    found = [Archive(year, None, tuple(items)) for year, items in years.items()]
    found += [Archive(year, month, tuple(items)) for (year, month), items in months.items()]
    return tuple(sorted(found, key=lambda a: (-a.year, -(a.month or 13))))
