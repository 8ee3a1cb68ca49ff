"""Site -> HTML outputs: every page of every variant, the root chooser and the 404 pages."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Callable, Iterator, Sequence
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
from sitegen.render import markdown
from sitegen.render.context import (ArticlePage, ArticleSummary, Link, ListPage, Meta, NotFoundPage, RootPage,
                                    SiteView)
from sitegen.render.meta import article_json_ld, page_meta
from sitegen.render.templates import TemplateProblem, render_template
from sitegen.site.assemble import Archive, Site
from sitegen.site.taxonomy import TaxonomyTerm

STYLESHEET = "/css/sitegen.css"
SCRIPT = "/js/sitegen.js"
FEED_SIZE = 50
"""Entries in each feed."""
UI_SCRIPT = "zh-Hant"
"""The script the theme's UI strings are written in."""
PathIn = Callable[[VariantConfig], str]


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
        return self.convert_from(UI_SCRIPT)(text)

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
        return Link(self.term_name(term), self.href(self.site.urls.term(term.kind, term.slug, self.variant)))

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
            feeds=(Link("Atom", link(urls.feed(v, "atom"), v)), Link("RSS", link(urls.feed(v, "rss"), v))))

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

    def localize(self, article: Article, tokens: Sequence[Token]) -> LocalizedArticle:
        """The article in this variant's script; remembered for the articles the feeds will ask for
        again (only those: memory must not grow with the archive)."""
        if article in self._localized:
            return self._localized[article]
        localized = self._localize(article, tokens)
        if article in self.feed_articles:
            self._localized[article] = localized
        return localized

    @cached_property
    def feed_articles(self) -> set[Article]:
        """The newest articles of the site and of each category: what the feeds carry."""
        chosen = set(self.site.articles[:FEED_SIZE])
        for term in self.site.terms.get("category", ()):
            chosen.update(term.articles[:FEED_SIZE])
        return chosen

    @cached_property
    def _localized(self) -> dict[Article, LocalizedArticle]:
        return {}

    def localized(self, article: Article) -> LocalizedArticle:
        """The article in this script, parsing its body unless an earlier page already did."""
        if article in self._localized:
            return self._localized[article]
        return self.localize(article, markdown.parse(self.md, article.body))

    def _localize(self, article: Article, tokens: Sequence[Token]) -> LocalizedArticle:
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

    def article_page(self, article: Article, tokens: Sequence[Token]) -> Output:
        urls, localized = self.site.urls, self.localize(article, tokens)
        path_in: PathIn = lambda v: urls.article(article, v)  # noqa: E731
        category = self.site.category_of.get(article)
        newer, older = self.site.neighbours(article)
        url = urls.absolute(path_in(self.variant), self.variant)
        tz = self.site.config.site.timezone
        canonical = article.source_url if self.site.config.site.canonical == "original" and article.source_url else ""
        page = ArticlePage(
            article=localized, url=url,
            meta=self.meta(localized.title, localized.summary or _excerpt(localized.body_html), path_in, "article",
                           self.image_absolute(article.image),
                           article_json_ld(self.site, self.variant, localized, url,
                                           self.image_absolute(article.image)), canonical),
            date_text=chinese_date(article.date, tz),
            updated_text=chinese_date(article.updated, tz) if article.updated else "",
            breadcrumb=self.breadcrumb(category), image_src=self.image_src(article.image),
            category=self.term_link(category) if category else None,
            tags=tuple(self.term_link(t) for t in self._terms_of("tag", article)),
            source=next((self.term_link(t) for t in self._terms_of("source", article)), None),
            newer=self.article_link(newer) if newer else None, older=self.article_link(older) if older else None,
            related=tuple(self.article_link(a) for a in self.site.related(article)),
            translations=self.translations(path_in))
        return self.render("article.html", page, path_in(self.variant),
                           lastmod=(article.updated or article.date).isoformat())

    def breadcrumb(self, category: TaxonomyTerm | None) -> tuple[Link, ...]:
        crumbs = [Link(self.ui("新聞"), self.href(self.site.urls.home(self.variant)))]
        if category:
            crumbs.append(self.term_link(category))
        return (*crumbs, Link(self.ui("正文"), ""))

    def _terms_of(self, kind: str, article: Article) -> list[TaxonomyTerm]:
        return self._term_index[kind].get(article, [])

    @cached_property
    def _term_index(self) -> dict[str, dict[Article, list[TaxonomyTerm]]]:
        index: dict[str, dict[Article, list[TaxonomyTerm]]] = {}
        for kind, terms in self.site.terms.items():
            by_article: dict[Article, list[TaxonomyTerm]] = {}
            for term in terms:
                for article in term.articles:
                    by_article.setdefault(article, []).append(term)
            index[kind] = by_article
        return index

    # ---- lists ----

    def summary(self, article: Article) -> ArticleSummary:
        """The article as a list entry (remembered: it appears in many lists)."""
        if article not in self._summaries:
            self._summaries[article] = self._summary(article)
        return self._summaries[article]

    @cached_property
    def _summaries(self) -> dict[Article, ArticleSummary]:
        return {}

    def _summary(self, article: Article) -> ArticleSummary:
        convert, source = self.convert_from(article.lang, article), self.site.source_of(article)
        title, summary, source_name = convert.convert_texts(
            [article.title, article.summary, article.source_name or (source.name if source else "")])
        return ArticleSummary(title=title, href=self.href(self.site.urls.article(article, self.variant)),
                              date_text=chinese_date(article.date, self.site.config.site.timezone),
                              summary=summary, source_name=source_name, image=article.image,
                              image_src=self.image_src(article.image))

    def list_pages(self, kind: str, heading: str, articles: Sequence[Article], path_for: Callable[..., str],
                   feeds: tuple[Link, ...] = (), archives: tuple[Link, ...] = ()) -> Iterator[Output]:
        """Paginated pages; `path_for(variant, page)` gives each page's path."""
        per_page = self.site.config.site.paginate
        count = max(1, math.ceil(len(articles) / per_page))
        title = f"{heading} - {self.site_view.title}" if heading else self.site_view.title
        for number in range(1, count + 1):
            path_in: PathIn = lambda v, n=number: path_for(v, n)  # noqa: E731
            page = ListPage(
                kind=kind, heading=heading,
                meta=self.meta(title if number == 1 else f"{title} ({number})", heading or self.site_view.title,
                               path_in),
                items=tuple(self.summary(a) for a in articles[(number - 1) * per_page:number * per_page]),
                number=number, count=count,
                newer=self.href(path_for(self.variant, number - 1)) if number > 1 else "",
                older=self.href(path_for(self.variant, number + 1)) if number < count else "",
                feeds=feeds, archives=archives, translations=self.translations(path_in))
            yield self.render("list.html", page, path_in(self.variant))

    def all_lists(self) -> Iterator[Callable[[], list[Output]]]:
        """One job per list (home, each term, each archive), so a failing one is reported alone."""
        urls, archive_links = self.site.urls, self.archive_links()
        yield lambda: list(self.list_pages("home", "", self.site.articles, urls.home, archives=archive_links))
        for kind, terms in self.site.terms.items():
            for term in terms:
                feeds = self.category_feeds(term) if kind == "category" else ()
                path_for = (lambda k, s: lambda v, n: urls.term(k, s, v, n))(kind, term.slug)
                yield (lambda t, p, f: lambda: list(self.list_pages(t.kind, self.term_name(t), t.articles, p, f)))(
                    term, path_for, feeds)
        for archive in self.site.archives:
            yield (lambda a: lambda: list(self.archive_pages(a, archive_links)))(archive)

    def archive_pages(self, archive: Archive, archive_links: tuple[Link, ...]) -> Iterator[Output]:
        heading = f"{archive.year}年" + (f"{archive.month}月" if archive.month else "")
        path_for = lambda v, n: self.site.urls.archive(v, archive.year, archive.month, n)  # noqa: E731
        yield from self.list_pages("month" if archive.month else "year", heading, archive.articles, path_for,
                                   archives=archive_links)

    def archive_links(self) -> tuple[Link, ...]:
        return tuple(Link(f"{a.year}年" + (f"{a.month}月" if a.month else ""),
                          self.href(self.site.urls.archive(self.variant, a.year, a.month)))
                     for a in self.site.archives)

    def category_feeds(self, term: TaxonomyTerm) -> tuple[Link, ...]:
        return tuple(Link(label, self.href(self.site.urls.feed(self.variant, kind, term.slug)))
                     for label, kind in (("Atom", "atom"), ("RSS", "rss")))

    def not_found_page(self, homes: tuple[Link, ...], path: str, on_site_host: bool = False) -> Output:
        urls = self.site.urls
        page = NotFoundPage(meta=self.meta(self.ui("找不到這個網頁"), "", lambda v: urls.not_found(v)),
                            homes=homes, translations=())
        return self.render("404.html", page, path, listed=False, on_site_host=on_site_host)


def make_renderers(site: Site, converters: Converters, env: jinja2.Environment) -> list[VariantRenderer]:
    md = markdown.new_parser()
    return [VariantRenderer(site, v, converters, env, md) for v in site.config.variants]


def render_site(renderers: list[VariantRenderer], collect) -> list[Output]:  # noqa: ANN001
    """Every page of every variant. `collect(where, make)` runs one job, reporting its failure."""
    site, md = renderers[0].site, renderers[0].md
    outputs: list[Output] = []
    for article in site.articles:
        tokens = markdown.parse(md, article.body)
        for renderer in renderers:
            outputs += collect(f"content/{article.path}", lambda: [renderer.article_page(article, tokens)])
    for renderer in renderers:
        for job in renderer.all_lists():
            outputs += collect(f"{renderer.variant.name} lists", job)
        outputs += collect(f"{renderer.variant.name} 404", lambda: [renderer.not_found_page(
            home_links(site, renderer.variant), site.urls.not_found(renderer.variant))])
    outputs += collect("root page", lambda: root_pages(renderers))
    return outputs


def home_links(site: Site, on: VariantConfig | None) -> tuple[Link, ...]:
    """Every variant's home, linked from a page on `on`'s host (None: the site's own host)."""
    urls = site.urls
    return tuple(Link(v.label, urls.href(urls.home(v), v, on), v.name) for v in site.config.variants)


def root_pages(renderers: list[VariantRenderer]) -> list[Output]:
    """The chooser at the root of the site's own host, and its 404 page."""
    site = renderers[0].site
    default = next(r for r in renderers if r.variant.name == site.config.site.default_variant)
    urls, links = site.urls, home_links(site, None)
    page = RootPage(variants=links, translations=(),
                    meta=default.meta(default.site_view.title, default.site_view.title, urls.home,
                                      canonical=urls.absolute(urls.root())))
    return [default.render("root.html", page, urls.root(), on_site_host=True),
            default.not_found_page(links, urls.not_found(), on_site_host=True)]


def _excerpt(html: str, length: int = 120) -> str:
    text = re.sub(r"<[^>]+>", "", html)
    text = re.sub(r"\s+", " ", text).strip()
    return text[:length]


class PageCollector:
    """Gathers outputs; a template problem is reported once, however many pages it breaks."""

    def __init__(self) -> None:
        self.failures: dict[str, list[str]] = {}

    def __call__(self, where: str, make: Callable[[], list[Output]]) -> list[Output]:
        try:
            return make()
        except TemplateProblem as exc:
            self.failures.setdefault(str(exc), []).append(where)
            return []

    def report_to(self, report) -> None:  # noqa: ANN001
        for message, places in self.failures.items():
            others = len(places) - 1
            more = f" (and {others} more page{'s' * (others > 1)})" if others else ""
            report.error(places[0], f"template: {message}{more}")
