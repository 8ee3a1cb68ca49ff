"""Content + config -> Site: articles in reading order, taxonomies, archives, neighbours."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable
from zoneinfo import ZoneInfo

from sitegen.config import SiteConfig, SourceConfig
from sitegen.errors import Report
from sitegen.model import Article
from sitegen.site.taxonomy import TaxonomyTerm, build_terms
from sitegen.site.urls import Urls

RELATED = 5


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
    """Newest first; ties broken by id so the order never depends on the file system."""
    terms: dict[str, tuple[TaxonomyTerm, ...]] = field(default_factory=dict)
    """category, tag and source terms, by kind."""
    archives: tuple[Archive, ...] = ()
    """Years and months, newest first."""
    category_of: dict[Article, TaxonomyTerm] = field(default_factory=dict)
    """Each article's first category."""

    def source_of(self, article: Article) -> SourceConfig | None:
        return self.config.source(article.source)

    def neighbours(self, article: Article) -> tuple[Article | None, Article | None]:
        """(newer, older) articles next to this one."""
        index = self._index[article]
        newer = self.articles[index - 1] if index > 0 else None
        older = self.articles[index + 1] if index + 1 < len(self.articles) else None
        return newer, older

    def related(self, article: Article) -> tuple[Article, ...]:
        """Nearest stories in time from the same category."""
        return self._related.get(article, ())

    @cached_property
    def _index(self) -> dict[Article, int]:
        return {a: i for i, a in enumerate(self.articles)}

    @cached_property
    def _related(self) -> dict[Article, tuple[Article, ...]]:
        return _related_in_category(self.category_of)


def assemble(config: SiteConfig, articles: list[Article], report: Report,
             same_name: Callable[[str], str], slugs: dict[str, str] | None = None) -> Site:
    """`same_name` maps a taxonomy name to a script-free key (its Simplified form); `slugs`:
    taxonomy slugs remembered from earlier builds."""
    for article in articles:
        if article.source != "local" and config.source(article.source) is None:
            report.warning(f"content/{article.path}", f"source {article.source!r} is not in sitegen.toml")
    ordered = tuple(sorted(articles, key=lambda a: (-a.date.timestamp(), a.id)))
    terms = {
        "category": build_terms("category", ordered, lambda a: a.categories, same_name, slugs),
        "tag": build_terms("tag", ordered, lambda a: a.tags, same_name, slugs),
        "source": build_terms("source", ordered, lambda a: [a.source], lambda s: s),
    }
    by_key = {same_name(term.name): term for term in terms["category"]}
    category_of = {a: by_key[same_name(a.categories[0])] for a in ordered if a.categories}
    return Site(config=config, urls=Urls(config.site), articles=ordered, terms=terms,
                archives=_archives(ordered, config.site.timezone), category_of=category_of)


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


def _related_in_category(category_of: dict[Article, TaxonomyTerm]) -> dict[Article, tuple[Article, ...]]:
    related: dict[Article, tuple[Article, ...]] = {}
    positions = {term: {a: i for i, a in enumerate(term.articles)} for term in set(category_of.values())}
    times = {a: a.date.timestamp() for a in category_of}
    for article, term in category_of.items():
        i, items, when = positions[term][article], term.articles, times[article]
        window = items[max(0, i - RELATED):i] + items[i + 1:i + 1 + RELATED]
        nearest = sorted(window, key=lambda a: (abs(times[a] - when), a.id))
        related[article] = tuple(nearest[:RELATED])
    return related
