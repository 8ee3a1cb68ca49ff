"""Atom and RSS 2.0 per variant, site-wide and per category, each entry carrying its attribution."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Iterator
from urllib.parse import urlsplit

from sitegen.convert.localize import title_only
from sitegen.model import Article, Output
from sitegen.outputs.produce import Producer, Run
from sitegen.render.context import FeedEntry, FeedView
from sitegen.render.templates import render_template
from sitegen.render.variant import VariantRenderer
from sitegen.site.assemble import Site

KINDS = ("atom", "rss")
FEED_SIZE = 50
"""Entries in each feed."""


def feed_articles(site: Site) -> set[Article]:
    """The newest articles of the site and of each category: what the feeds carry."""
    chosen = set(site.articles[:FEED_SIZE])
    for term in site.terms.get("category", ()):
        chosen.update(term.articles[:FEED_SIZE])
    return chosen


@dataclass(frozen=True)
class FeedPlan:
    """One feed pair (Atom and RSS) before rendering."""

    title: str
    articles: tuple[Article, ...]
    """The entries, newest first."""
    home_path: str
    category: str
    """The category's slug; empty for the site-wide feeds."""

    def paths(self, renderer: VariantRenderer) -> tuple[str, str]:
        urls, variant = renderer.site.urls, renderer.variant
        return tuple(urls.output_file(urls.feed(variant, kind, self.category), variant)  # type: ignore[return-value]
                     for kind in KINDS)

    def key(self, renderer: VariantRenderer) -> str:
        """Everything in the pair is made from these and the settings."""
        return renderer.keys.page("feed", self.title, self.home_path, self.category,
                                 tuple(renderer.memory.key_of(a) for a in self.articles))


class Feeds(Producer):
    name = "feeds"

    def finish(self, run: Run) -> None:
        for renderer in run.renderers:
            where = f"{renderer.variant.name} feeds"
            for plan in run.collect(where, lambda r=renderer: list(feed_plans(r))):
                run.group(where, plan.key(renderer), plan.paths(renderer), lambda r=renderer, p=plan: feed_pair(r, p))


def feed_plans(renderer: VariantRenderer) -> Iterator[FeedPlan]:
    """The variant's site feeds, then one pair per category."""
    site, variant = renderer.site, renderer.variant
    urls = site.urls
    yield FeedPlan(renderer.site_view.title, site.articles[:FEED_SIZE], urls.home(variant), "")
    for term in site.terms.get("category", ()):
        title = f"{renderer.links.term_name(term)} - {renderer.site_view.title}"
        yield FeedPlan(title, term.articles[:FEED_SIZE], urls.term("category", term.slug, variant), term.slug)


def feed_pair(renderer: VariantRenderer, plan: FeedPlan) -> list[Output]:
    entries = tuple(_entry(renderer, a) for a in plan.articles)
    urls, variant = renderer.site.urls, renderer.variant
    newest = max((a.updated or a.date for a in plan.articles), default=None)
    outputs = []
    for kind, output_path in zip(KINDS, plan.paths(renderer)):
        path = urls.feed(variant, kind, plan.category)
        feed = FeedView(
            title=plan.title, url=urls.absolute(path, variant), home=urls.absolute(plan.home_path, variant),
            id=_tag(renderer, f"{variant.name}/{plan.category or 'all'}"),
            updated=newest.isoformat() if newest else "1970-01-01T00:00:00+00:00",
            updated_rfc822=_rfc822(newest) if newest else "Thu, 01 Jan 1970 00:00:00 +0000",
            lang=variant.name, entries=entries)
        xml = render_template(renderer.env, f"{kind}.xml", {"site": renderer.site_view, "feed": feed,
                                                            "t": renderer.text.ui})
        outputs.append(Output(output_path, xml.encode("utf-8"), f"{kind}.xml"))
    return outputs


def _entry(renderer: VariantRenderer, article: Article) -> FeedEntry:
    urls, variant = renderer.site.urls, renderer.variant
    localized = renderer.localized(article)
    url = urls.absolute(urls.article(article, variant), variant)
    # A title-only story's entry would otherwise hold the attribution alone; the template says
    # where the story is instead.
    bare = title_only(localized)
    content = render_template(renderer.env, "feed-content.html", {"site": renderer.site_view, "a": localized,
                                                                  "url": url, "title_only": bare,
                                                                  "t": renderer.text.ui})
    return FeedEntry(
        title=localized.title, url=url, id=_tag(renderer, f"{variant.name}/{article.id}"),
        published=article.date.isoformat(), updated=(article.updated or article.date).isoformat(),
        published_rfc822=_rfc822(article.date), author=localized.author or localized.source_name or "-",
        summary=localized.summary, content_html=content, categories=localized.categories, title_only=bare)


def _tag(renderer: VariantRenderer, specific: str) -> str:
    """A tag: URI (RFC 4151): permanent, whatever URL scheme the site moves to later."""
    host = urlsplit(renderer.site.config.site.base_url).hostname or "localhost"
    return f"tag:{host},2000:{specific}"


def _rfc822(when: datetime) -> str:
    from email.utils import format_datetime  # only for a feed made again: with what it imports, 5 ms

    return format_datetime(when)
