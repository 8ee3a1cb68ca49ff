"""Page contexts, as plain functions of a variant's renderer: what each template receives (see
context.py), and the pages made from them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import jinja2

from sitegen.config import VariantConfig
from sitegen.content import markdown
from sitegen.convert.localize import description, title_only
from sitegen.convert.opencc import Converters
from sitegen.convert.variant_text import VariantText
from sitegen.model import Article, LocalizedArticle, Output
from sitegen.render.context import (ArticlePage, ArticleSummary, HomePage, HomeSection, Link, ListPage, NotFoundPage,
                                    RootPage, ScriptChoice, SearchPage, WithdrawnPage)
from sitegen.render.dates import chinese_date
from sitegen.render.images import image_view
from sitegen.render.keys import RenderMemory
from sitegen.render.meta import article_json_ld
from sitegen.render.variant import VariantRenderer
from sitegen.site.assemble import Site
from sitegen.site.front import Front
from sitegen.site.links import PathIn, VariantLinks
from sitegen.site.pagination import FIRST


@dataclass(frozen=True)
class ArticleSurroundings:
    """What an article page shows of the rest of the site (`Site.near`, as links in the variant).
    With the article itself and the settings, it is all the page is made from."""

    category: Link | None
    tags: tuple[Link, ...]
    source: Link | None
    newer: Link | None
    older: Link | None
    related: tuple[Link, ...]


def make_renderers(site: Site, converters: Converters, env: jinja2.Environment,
                   memory: RenderMemory | None = None) -> list[VariantRenderer]:
    """A renderer for every variant, sharing the Markdown parser and what rendering remembers."""
    md, memory = markdown.new_parser(), memory or RenderMemory()
    renderers = []
    for variant in site.config.variants:
        text = VariantText(variant, converters)
        renderers.append(VariantRenderer(site, variant, text, VariantLinks(site, variant, text), env, md, memory))
    return renderers


def surroundings(r: VariantRenderer, article: Article) -> ArticleSurroundings:
    near, term = r.site.near(article), r.links.term
    return ArticleSurroundings(
        category=term(near.category) if near.category else None, tags=tuple(term(t) for t in near.tags),
        source=term(near.source) if near.source else None,
        newer=r.article_link(near.newer) if near.newer else None,
        older=r.article_link(near.older) if near.older else None,
        related=tuple(r.article_link(a) for a in near.related))


def article_page(r: VariantRenderer, article: Article, around: ArticleSurroundings,
                 localized: LocalizedArticle) -> Output:
    """The page of `article`: from the article, its surroundings and the settings only (see keys.py)."""
    site, urls = r.site, r.site.urls
    path_in: PathIn = lambda v: urls.article(article, v)  # noqa: E731
    url = urls.absolute(path_in(r.variant), r.variant)
    tz = site.config.site.timezone
    canonical = article.source_url if site.config.site.canonical == "original" and article.source_url else ""
    image = r.links.image_absolute(localized.image)  # none when only the title is republished
    page = ArticlePage(
        article=localized, url=url,
        meta=r.meta(localized.title, description(localized), path_in, "article", image,
                    article_json_ld(site, r.variant, localized, url, image), canonical),
        date_text=chinese_date(article.date, tz),
        updated_text=chinese_date(article.updated, tz) if article.updated else "",
        breadcrumb=breadcrumb(r, around.category), image_src=r.links.image_src(localized.image),
        category=around.category, tags=around.tags, source=around.source,
        newer=around.newer, older=around.older, related=around.related, translations=r.links.translations(path_in),
        status=site.waiting.get(article.path, ""), title_only=title_only(localized),
        image_view=image_view(localized.image, r.memory.images, r.links.href))
    return r.render("article.html", page, path_in(r.variant), lastmod=(article.updated or article.date).isoformat())


def breadcrumb(r: VariantRenderer, category: Link | None) -> tuple[Link, ...]:
    crumbs = [Link(r.text.ui("新聞"), r.links.href(r.site.urls.home(r.variant)))]
    if category:
        crumbs.append(category)
    return (*crumbs, Link(r.text.ui("正文"), ""))


def list_page(r: VariantRenderer, kind: str, heading: str, path_in: PathIn, items: Sequence[ArticleSummary],
              number: int, newer: str, older: str, feeds: tuple[Link, ...],
              archives: tuple[Link, ...]) -> ListPage:
    """Page `number` of a list (site/pagination.py; `newer`/`older`: the neighbouring pages' paths, or empty)."""
    title = f"{heading} - {r.site_view.title}" if heading else r.site_view.title
    return ListPage(
        kind=kind, heading=heading,
        meta=r.meta(title if number == FIRST else f"{title} ({number})", heading or r.site_view.title, path_in),
        items=tuple(items), number=number,
        newer=r.links.href(newer) if newer else "", older=r.links.href(older) if older else "",
        feeds=feeds, archives=archives, translations=r.links.translations(path_in))


def home_page(r: VariantRenderer, front: Front, path_in: PathIn, older: str,
              archives: tuple[Link, ...]) -> HomePage:
    """The front page: the first page of the home list, as `front` arranges it (`older`: the path of
    the home list's next page, or empty)."""
    summaries = lambda articles: tuple(r.summary(a) for a in articles)  # noqa: E731
    title = r.site_view.title
    return HomePage(
        meta=r.meta(title, title, path_in), lead=r.summary(front.lead) if front.lead else None,
        top=summaries(front.top),
        sections=tuple(HomeSection(r.links.term(s.category), summaries(s.articles)) for s in front.sections),
        latest=summaries(front.latest), older=r.links.href(older) if older else "",
        archives=archives, translations=r.links.translations(path_in))


NOT_FOUND_LATEST = 10
"""Stories a variant's 404 page offers instead of the page that is not there."""


def not_found_page(r: VariantRenderer, homes: tuple[Link, ...], path: str, on_site_host: bool = False) -> Output:
    """A variant's 404 page: its search box and newest stories; on the site root's host, the choice of script."""
    urls = r.site.urls
    latest = () if on_site_host else tuple(r.summary(a) for a in not_found_latest(r.site))
    page = NotFoundPage(meta=r.meta(r.text.ui("找不到這個網頁"), "", lambda v: urls.not_found(v)),
                        homes=homes, translations=(), latest=latest,
                        search="" if on_site_host else r.site_view.search)
    return r.render("404.html", page, path, listed=False, on_site_host=on_site_host)


def not_found_latest(site: Site) -> Sequence[Article]:
    return site.articles[:NOT_FOUND_LATEST]


def withdrawn_page(r: VariantRenderer, article: Article) -> Output:
    """The notice at a withdrawn story's address: not its title, text or image (what was withdrawn
    may be the headline itself), and not for search engines; the sitemap does not list it."""
    urls, withdrawal = r.site.urls, article.withdrawn
    assert withdrawal is not None
    path_in: PathIn = lambda v: urls.article(article, v)  # noqa: E731
    title = r.text.ui("這篇報導已撤下")
    page = WithdrawnPage(meta=r.meta(title, "", path_in, noindex=True),
                         date_text=chinese_date(withdrawal.date, r.site.config.site.timezone, with_time=False),
                         reason=r.text.setting(withdrawal.reason) if withdrawal.reason else "",
                         home=r.links.href(urls.home(r.variant)), translations=r.links.translations(path_in))
    return r.render("withdrawn.html", page, path_in(r.variant), listed=False)


def search_page(r: VariantRenderer, path: str) -> Output:
    """The variant's search page: the theme's script asks the variant's index (outputs/search.py)."""
    urls, v = r.site.urls, r.variant
    search_in = lambda variant: urls.search(variant)  # noqa: E731
    page = SearchPage(meta=r.meta(r.text.ui("搜尋"), "", search_in), translations=r.links.translations(search_in),
                      bundle=urls.href(urls.search_bundle(v), v, v), base=urls.base_path(v))
    return r.render("search.html", page, path)


def home_links(site: Site, on: VariantConfig | None) -> tuple[Link, ...]:
    """Every variant's home, linked from a page on `on`'s host (None: the site's own host)."""
    urls = site.urls
    return tuple(Link(v.label, urls.href(urls.home(v), v, on), v.name) for v in site.config.variants)


def default_renderer(renderers: Sequence[VariantRenderer]) -> VariantRenderer:
    """The renderer of the site's default variant (it makes the root pages)."""
    return next(r for r in renderers if r.variant.name == renderers[0].site.config.site.default_variant)


def root_pages(renderers: Sequence[VariantRenderer]) -> list[Output]:
    """The chooser at the root of the site's own host, and its 404 page."""
    site, default = renderers[0].site, default_renderer(renderers)
    urls, links = site.urls, home_links(site, None)
    # Each choice speaks its own script: 以繁體中文閱讀全站新聞 / 以简体中文阅读全站新闻
    notes = {r.variant.name: r.text.ui("以") + r.variant.label + r.text.ui("閱讀全站新聞") for r in renderers}
    page = RootPage(variants=links, translations=(), choices=tuple(ScriptChoice(link, notes[link.lang]) for link in links),
                    meta=default.meta(default.site_view.title, default.site_view.title, urls.home,
                                      canonical=urls.absolute(urls.root())))
    return [default.render("root.html", page, urls.root(), on_site_host=True),
            not_found_page(default, links, urls.not_found(), on_site_host=True)]


