"""Content + config -> Site: the articles in reading order, with their sources."""

from __future__ import annotations

from dataclasses import dataclass

from sitegen.config import SiteConfig, SourceConfig
from sitegen.errors import Report
from sitegen.model import Article
from sitegen.site.urls import Urls


@dataclass(frozen=True)
class Site:
    config: SiteConfig
    urls: Urls
    articles: tuple[Article, ...]
    """Newest first; ties broken by id so the order never depends on the file system."""

    def source_of(self, article: Article) -> SourceConfig | None:
        return self.config.source(article.source)


def assemble(config: SiteConfig, articles: list[Article], report: Report) -> Site:
    for article in articles:
        if article.source != "local" and config.source(article.source) is None:
            report.warning(f"content/{article.path}", f"source {article.source!r} is not in sitegen.toml")
    ordered = sorted(articles, key=lambda a: (-a.date.timestamp(), a.id))
    return Site(config=config, urls=Urls(config.site), articles=tuple(ordered))
