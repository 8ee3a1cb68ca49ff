"""Site -> HTML outputs: every page of every variant, the root chooser and the 404 pages."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from html import unescape
from typing import Callable, Sequence
from zoneinfo import ZoneInfo

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sitegen.config import VariantConfig
from sitegen.convert.converter import ScriptConverter
from sitegen.convert.detect import detect_script
from sitegen.convert.glossary import article_terms
from sitegen.convert.localize import convert_tokens
from sitegen.convert.opencc import Converters
from sitegen.model import Article, Image, LocalizedArticle, Output
from sitegen.content import markdown
from sitegen.render.context import (ArticlePage, ArticleSummary, Link, Meta, NotFoundPage, RootPage,
                                    SiteView)
from sitegen.render.keys import PageKeys, RenderMemory
from sitegen.render.lists import VariantLists
from sitegen.render.meta import article_json_ld, page_meta
from sitegen.render.templates import render_template
from sitegen.static import favicon_path
from sitegen.site.assemble import Site
from sitegen.site.taxonomy import TaxonomyTerm

STYLESHEET = "/css/sitegen.css"
SCRIPT = "/js/sitegen.js"
FEED_SIZE = 50
"""Entries in each feed."""
UI_SCRIPT = "zh-Hant"
"""The script the theme's UI strings are written in."""
PathIn = Callable[[VariantConfig], str]


@dataclass(frozen=True)
class ArticleSurroundings:
    """What an article page shows of the rest of the site. With the article itself and the
    settings, it is all the page is made from (so it is part of the page's key)."""

    category: Link | None
    tags: tuple[Link, ...]
    source: Link | None
    newer: Link | None
    older: Link | None
    related: tuple[Link, ...]


def chinese_date(moment: datetime, timezone: str, with_time: bool = True) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    day = f"{local.year}年{local.month}月{local.day}日"
    return f"{day} {local:%H:%M}" if with_time else day


@dataclass(frozen=True)
class VariantRenderer:
    """Renders every page of one variant."""

    site: Site
    variant: VariantConfig
    converters: Converters
    env: jinja2.Environment
    md: MarkdownIt
    memory: RenderMemory = field(default_factory=lambda: RenderMemory())

    # ---- text in this variant's script ----

    def convert_from(self, lang: str, article: Article | None = None) -> ScriptConverter:
        terms = article_terms(article) if article else ()
        return self.converters.for_variant(self.variant, lang, terms)

    def convert_any(self, text: str) -> str:
        """Convert config text, which may be written in either script (remembered: source names
        and notices recur on every article page)."""
        if text not in self._config_texts:
            self._config_texts[text] = self.convert_from(detect_script(text, self.converters, UI_SCRIPT))(text)
        return self._config_texts[text]

    @cached_property
    def _config_texts(self) -> dict[str, str]:
        return {}

    def ui(self, text: str) -> str:
        """A theme string in this variant's script (remembered: every page asks for the same few)."""
        if text not in self._ui_texts:
            self._ui_texts[text] = self.convert_from(UI_SCRIPT)(text)
        return self._ui_texts[text]

    @cached_property
    def _ui_texts(self) -> dict[str, str]:
        return {}

    def term_name(self, term: TaxonomyTerm) -> str:
        if term.kind == "source":
            source = self.site.config.source(term.slug)
            name = source.name if source else (term.articles[0].source_name or term.slug)
            return self.convert_any(name)
        return self.convert_from(term.lang)(term.name)

    # ---- links ----

    def href(self, path: str, to: VariantConfig | None = None) -> str:
        return self.site.urls.href(path, to or self.variant, self.variant)

    def translations(self, path_in: PathIn) -> tuple[Link, ...]:
        return tuple(Link(v.label, self.href(path_in(v), v), v.name)
                     for v in self.site.config.variants if v != self.variant)

    def term_link(self, term: TaxonomyTerm) -> Link:
        """The term's link in this variant (remembered: pages and keys ask for the same few again and again)."""
        if term not in self._term_links:
            path = self.site.urls.term(term.kind, term.slug, self.variant)
            self._term_links[term] = Link(self.term_name(term), self.href(path))
        return self._term_links[term]

    @cached_property
    def _term_links(self) -> dict[TaxonomyTerm, Link]:
        return {}

    def article_link(self, article: Article) -> Link:
        summary = self.summary(article)
        return Link(summary.title, summary.href)

    def image_src(self, image: Image | None) -> str:
        if image is None:
            return ""
        return self.href(image.url, None) if image.url.startswith("/") else image.url

    def image_absolute(self, image: Image | None) -> str:
        if image is None:
            return ""
        return self.site.urls.absolute(image.url) if image.url.startswith("/") else image.url

    @cached_property
    def site_view(self) -> SiteView:
        return self.site_view_on(self.variant)

    def site_view_on(self, host: VariantConfig | None) -> SiteView:
        """The site as seen from a page on `host` (the root pages live on the site's own host)."""
        urls, v = self.site.urls, self.variant
        link: Callable[[str, VariantConfig | None], str] = lambda path, to: urls.href(path, to, host)  # noqa: E731
        categories = self.site.terms.get("category", ())
        nav = sorted(categories, key=lambda t: (-len(t.articles), t.slug))[:8]
        return SiteView(
            title=self.convert_any(self.site.config.site.title), lang=v.name,
            home=link(urls.home(v), v), root=link(urls.root(), None),
            stylesheet=link(STYLESHEET, host), script=link(SCRIPT, host),
            nav=tuple(Link(self.term_name(t), link(urls.term(t.kind, t.slug, v), v)) for t in nav),
            feeds=(Link("Atom", link(urls.feed(v, "atom"), v)), Link("RSS", link(urls.feed(v, "rss"), v))),
            favicon=link(self._favicon, host) if self._favicon else "")

    @cached_property
    def _favicon(self) -> str:
        return favicon_path(self.site.config.static_dir)

    def render(self, template: str, page: object, path: str, lastmod: str = "", listed: bool = True,
               on_site_host: bool = False) -> Output:
        """`on_site_host`: the page lives on the site's own host whatever the variant (root pages)."""
        view = self.site_view_on(None) if on_site_host else self.site_view
        context = {"site": view, "page": page, "t": self.ui}
        html = render_template(self.env, template, context)
        return Output(self.site.urls.output_file(path, None if on_site_host else self.variant), html.encode("utf-8"),
                      template, page=path if listed else "", variant="" if on_site_host else self.variant.name,
                      lastmod=lastmod)

    def meta(self, title: str, description: str, path_in: PathIn, og_type: str = "website",
             image: str = "", json_ld: str = "", canonical: str = "") -> Meta:
        return page_meta(self.site, self.variant, title, description, path_in, og_type, image, json_ld, canonical)

    # ---- articles ----

    def localized(self, article: Article) -> LocalizedArticle:
        """The article in this script (for the feeds): from the cache, else parsed and converted."""
        key = (self.memory.key_of(article), self.variant.name)
        if key not in self.memory.localized:
            article = self.memory.with_body(article)
            self.memory.localized[key] = self.localize(article, markdown.parse(self.md, article.body))
        return self.memory.localized[key]

    @cached_property
    def feed_articles(self) -> set[Article]:
        """The newest articles of the site and of each category: what the feeds carry."""
        chosen = set(self.site.articles[:FEED_SIZE])
        for term in self.site.terms.get("category", ()):
            chosen.update(term.articles[:FEED_SIZE])
        return chosen

    def localize(self, article: Article, tokens: Sequence[Token]) -> LocalizedArticle:
        convert = self.convert_from(article.lang, article)
        source = self.site.source_of(article)
        image = article.image or Image("")
        texts = [article.title, article.summary, article.author,
                 article.source_name or (source.name if source else ""),
                 article.editor or (source.editor if source else ""),
                 image.caption, image.credit, *article.categories, *article.tags]
        (title, summary, author, source_name, editor, caption, credit, *names) = convert.convert_texts(texts)
        body = markdown.render(self.md, convert_tokens(tokens, convert), lambda p: self.href(p, None))
        n = len(article.categories)
        return LocalizedArticle(
            article=article, variant=self.variant.name, title=title, summary=summary, body_html=body,
            author=author, source_name=source_name, editor=editor,
            categories=tuple(names[:n]), tags=tuple(names[n:]),
            image=Image(image.url, caption, credit) if article.image else None,
            license=self.convert_any(source.license) if source and source.license else "")

    def surroundings(self, article: Article) -> ArticleSurroundings:
        near, link = self.keys.near(article), self.term_link
        return ArticleSurroundings(
            category=link(near.category) if near.category else None, tags=tuple(link(t) for t in near.tags),
            source=link(near.source) if near.source else None,
            newer=self.article_link(near.newer) if near.newer else None,
            older=self.article_link(near.older) if near.older else None,
            related=tuple(self.article_link(a) for a in near.related))

    @cached_property
    def keys(self) -> PageKeys:
        """This variant's page keys."""
        return PageKeys(self)

    def article_page(self, article: Article, around: ArticleSurroundings, localized: LocalizedArticle) -> Output:
        """The page of `article`: from the article, its surroundings and the settings only (see keys.py)."""
        urls = self.site.urls
        path_in: PathIn = lambda v: urls.article(article, v)  # noqa: E731
        url = urls.absolute(path_in(self.variant), self.variant)
        tz = self.site.config.site.timezone
        canonical = article.source_url if self.site.config.site.canonical == "original" and article.source_url else ""
        page = ArticlePage(
            article=localized, url=url,
            meta=self.meta(localized.title, description(localized), path_in, "article",
                           self.image_absolute(article.image),
                           article_json_ld(self.site, self.variant, localized, url,
                                           self.image_absolute(article.image)), canonical),
            date_text=chinese_date(article.date, tz),
            updated_text=chinese_date(article.updated, tz) if article.updated else "",
            breadcrumb=self.breadcrumb(around.category), image_src=self.image_src(article.image),
            category=around.category, tags=around.tags, source=around.source,
            newer=around.newer, older=around.older, related=around.related, translations=self.translations(path_in),
            status=self.site.waiting.get(article.path, ""), title_only=title_only(localized))
        return self.render("article.html", page, path_in(self.variant),
                           lastmod=(article.updated or article.date).isoformat())

    def article_listing(self, article: Article) -> Output:
        """The article page's place and sitemap entry, without its bytes (remembered, for a warm site)."""
        if article not in self._listings:
            path = self.site.urls.article(article, self.variant)
            self._listings[article] = Output(self.site.urls.output_file(path, self.variant), b"", "article.html",
                                             page=path, variant=self.variant.name,
                                             lastmod=(article.updated or article.date).isoformat())
        return self._listings[article]

    @cached_property
    def _listings(self) -> dict[Article, Output]:
        return {}

    def breadcrumb(self, category: Link | None) -> tuple[Link, ...]:
        crumbs = [Link(self.ui("新聞"), self.href(self.site.urls.home(self.variant)))]
        if category:
            crumbs.append(category)
        return (*crumbs, Link(self.ui("正文"), ""))

    # ---- lists ----

    def summary(self, article: Article) -> ArticleSummary:
        """The article as a list entry (remembered, across builds too: it appears in many lists)."""
        key = (self.memory.key_of(article), self.variant.name)
        if key not in self.memory.summaries:
            self.memory.summaries[key] = self._summary(article)
        return self.memory.summaries[key]

    def _summary(self, article: Article) -> ArticleSummary:
        convert, source = self.convert_from(article.lang, article), self.site.source_of(article)
        title, summary, source_name = convert.convert_texts(
            [article.title, article.summary, article.source_name or (source.name if source else "")])
        return ArticleSummary(title=title, href=self.href(self.site.urls.article(article, self.variant)),
                              date_text=chinese_date(article.date, self.site.config.site.timezone),
                              summary=summary, source_name=source_name, image=article.image,
                              image_src=self.image_src(article.image), status=self.site.waiting.get(article.path, ""))

    @cached_property
    def lists(self) -> VariantLists:
        """The variant's list pages: home, each term's, each archive's."""
        return VariantLists(self)

    def not_found_page(self, homes: tuple[Link, ...], path: str, on_site_host: bool = False) -> Output:
        urls = self.site.urls
        page = NotFoundPage(meta=self.meta(self.ui("找不到這個網頁"), "", lambda v: urls.not_found(v)),
                            homes=homes, translations=())
        return self.render("404.html", page, path, listed=False, on_site_host=on_site_host)


def make_renderers(site: Site, converters: Converters, env: jinja2.Environment,
                   memory: RenderMemory | None = None) -> list[VariantRenderer]:
    md, memory = markdown.new_parser(), memory or RenderMemory()
    return [VariantRenderer(site, v, converters, env, md, memory) for v in site.config.variants]


def home_links(site: Site, on: VariantConfig | None) -> tuple[Link, ...]:
    """Every variant's home, linked from a page on `on`'s host (None: the site's own host)."""
    urls = site.urls
    return tuple(Link(v.label, urls.href(urls.home(v), v, on), v.name) for v in site.config.variants)


def default_renderer(renderers: list[VariantRenderer]) -> VariantRenderer:
    """The renderer of the site's default variant (it makes the root pages)."""
    return next(r for r in renderers if r.variant.name == renderers[0].site.config.site.default_variant)


def root_pages(renderers: list[VariantRenderer]) -> list[Output]:
    """The chooser at the root of the site's own host, and its 404 page."""
    site, default = renderers[0].site, default_renderer(renderers)
    urls, links = site.urls, home_links(site, None)
    page = RootPage(variants=links, translations=(),
                    meta=default.meta(default.site_view.title, default.site_view.title, urls.home,
                                      canonical=urls.absolute(urls.root())))
    return [default.render("root.html", page, urls.root(), on_site_host=True),
            default.not_found_page(links, urls.not_found(), on_site_host=True)]


def title_only(article: LocalizedArticle) -> bool:
    """Nothing to show under the title: judged by the rendered body, not the Markdown, because an
    article may come from the build cache without its text, and a body of only whitespace or
    link definitions renders to nothing too."""
    return not article.body_html.strip()


def description(article: LocalizedArticle) -> str:
    """The page's meta description: the summary, else the body's opening, else (a title-only
    story, or a body of images alone) the title, never empty."""
    return article.summary or _excerpt(article.body_html) or article.title


def _excerpt(body_html: str, length: int = 120) -> str:
    # Entities are decoded: the template escapes the text again, and `&amp;amp;` would show.
    text = unescape(re.sub(r"<[^>]+>", "", body_html))
    text = re.sub(r"\s+", " ", text).strip()
    return text[:length]
