"""Atom and RSS 2.0 per variant, site-wide and per category, each entry carrying its attribution."""

from __future__ import annotations

from email.utils import format_datetime
from typing import Iterator, Sequence
from urllib.parse import urlsplit

from sitegen.model import Article, Output
from sitegen.render.context import FeedEntry, FeedView
from sitegen.render.pages import FEED_SIZE, VariantRenderer
from sitegen.render.templates import render_template



def feed_outputs(renderer: VariantRenderer) -> Iterator[Output]:
    """The variant's site feeds, then one pair per category."""
    site, variant = renderer.site, renderer.variant
    urls = site.urls
    yield from _pair(renderer, renderer.site_view.title, site.articles, urls.home(variant), "")
    for term in site.terms.get("category", ()):
        title = f"{renderer.term_name(term)} - {renderer.site_view.title}"
        yield from _pair(renderer, title, term.articles, urls.term("category", term.slug, variant), term.slug)


def _pair(renderer: VariantRenderer, title: str, articles: Sequence[Article], home_path: str,
          category: str) -> Iterator[Output]:
    entries = tuple(_entry(renderer, a) for a in articles[:FEED_SIZE])
    urls, variant = renderer.site.urls, renderer.variant
    newest = max((a.updated or a.date for a in articles[:FEED_SIZE]), default=None)
    for kind in ("atom", "rss"):
        path = urls.feed(variant, kind, category)
        feed = FeedView(
            title=title, url=urls.absolute(path, variant), home=urls.absolute(home_path, variant),
            id=_tag(renderer, f"{variant.name}/{category or 'all'}"),
            updated=newest.isoformat() if newest else "1970-01-01T00:00:00+00:00",
            updated_rfc822=format_datetime(newest) if newest else "Thu, 01 Jan 1970 00:00:00 +0000",
            lang=variant.name, entries=entries)
        xml = render_template(renderer.env, f"{kind}.xml", {"site": renderer.site_view, "feed": feed,
                                                            "t": renderer.ui})
        yield Output(urls.output_file(path, variant), xml.encode("utf-8"), f"{kind}.xml")


def _entry(renderer: VariantRenderer, article: Article) -> FeedEntry:
    urls, variant = renderer.site.urls, renderer.variant
    localized = renderer.localized(article)
    url = urls.absolute(urls.article(article, variant), variant)
    content = render_template(renderer.env, "feed-content.html",
                              {"site": renderer.site_view, "a": localized, "url": url, "t": renderer.ui})
    return FeedEntry(
        title=localized.title, url=url, id=_tag(renderer, f"{variant.name}/{article.id}"),
        published=article.date.isoformat(), updated=(article.updated or article.date).isoformat(),
        published_rfc822=format_datetime(article.date), author=localized.author or localized.source_name or "-",
        summary=localized.summary, content_html=content, categories=localized.categories)


def _tag(renderer: VariantRenderer, specific: str) -> str:
    """A tag: URI (RFC 4151): permanent, whatever URL scheme the site moves to later."""
    host = urlsplit(renderer.site.config.site.base_url).hostname or "localhost"
    return f"tag:{host},2000:{specific}"
