"""Site -> HTML outputs: article pages, paginated home pages and the root chooser."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime
from typing import Callable, Iterator, Sequence
from zoneinfo import ZoneInfo

import jinja2
from markdown_it import MarkdownIt
from markdown_it.token import Token

from sitegen.config import VariantConfig
from sitegen.convert.detect import detect_script
from sitegen.convert.converter import ScriptConverter
from sitegen.convert.localize import convert_tokens
from sitegen.convert.glossary import article_terms
from sitegen.convert.opencc import Converters
from sitegen.errors import Report
from sitegen.model import Article, Image, LocalizedArticle, Output
from sitegen.render import markdown
from sitegen.render.context import (ArticlePage, ArticleSummary, HomePage, Link, RootPage,
                                    SiteView)
from sitegen.render.templates import TemplateProblem, render_template
from sitegen.site.assemble import Site

STYLESHEET = "/css/sitegen.css"
UI_SCRIPT = "zh-Hant"
"""The script the theme's UI strings are written in."""


def chinese_date(moment: datetime, timezone: str) -> str:
    local = moment.astimezone(ZoneInfo(timezone))
    return f"{local.year}年{local.month}月{local.day}日 {local:%H:%M}"


@dataclass(frozen=True)
class VariantRenderer:
    """Renders every page of one variant."""

    site: Site
    variant: VariantConfig
    converters: Converters
    env: jinja2.Environment
    md: MarkdownIt

    def convert_from(self, lang: str, article: Article | None = None) -> ScriptConverter:
        terms = article_terms(article) if article else ()
        return self.converters.for_variant(self.variant, lang, terms)

    def convert_any(self, text: str) -> str:
        """Convert config text, which may be written in either script."""
        return self.convert_from(detect_script(text, self.converters, UI_SCRIPT))(text)

    def ui(self, text: str) -> str:
        return self.convert_from(UI_SCRIPT)(text)

    @cached_property
    def site_view(self) -> SiteView:
        urls = self.site.urls
        return SiteView(title=self.convert_any(self.site.config.site.title), lang=self.variant.name,
                        home=urls.link(urls.home(self.variant)), root=urls.link(urls.root()),
                        stylesheet=urls.link(STYLESHEET))

    def render(self, template: str, page: object, path: str) -> Output:
        context = {"site": self.site_view, "page": page, "t": self.ui}
        html = render_template(self.env, template, context)
        return Output(self.site.urls.output_file(path), html.encode("utf-8"), template)

    # ---- articles ----

    def localize(self, article: Article, tokens: Sequence[Token]) -> LocalizedArticle:
        convert = self.convert_from(article.lang, article)
        source = self.site.source_of(article)
        image = article.image or Image("")
        texts = [article.title, article.summary, article.author,
                 article.source_name or (source.name if source else ""),
                 article.editor or (source.editor if source else ""),
                 image.caption, image.credit, *article.categories, *article.tags]
        (title, summary, author, source_name, editor, caption, credit, *names) = convert.convert_texts(texts)
        body = markdown.render(self.md, convert_tokens(tokens, convert), self.site.urls.link)
        n = len(article.categories)
        return LocalizedArticle(
            article=article, variant=self.variant.name, title=title, summary=summary, body_html=body,
            author=author, source_name=source_name, editor=editor,
            categories=tuple(names[:n]), tags=tuple(names[n:]),
            image=Image(image.url, caption, credit) if article.image else None,
            license=self.convert_any(source.license) if source and source.license else "")

    def image_src(self, image: Image | None) -> str:
        if image is None:
            return ""
        return self.site.urls.link(image.url) if image.url.startswith("/") else image.url

    def href_in(self, variant: VariantConfig, path: str) -> str:
        """A link to `path` of `variant`: absolute when it lives on a host of its own."""
        urls = self.site.urls
        return urls.absolute(path, variant) if variant.base_url else urls.link(path)

    def translations(self, path_in: Callable[[VariantConfig], str]) -> tuple[Link, ...]:
        return tuple(Link(v.label, self.href_in(v, path_in(v)), v.name)
                     for v in self.site.config.variants if v != self.variant)

    def alternates(self, path_in: Callable[[VariantConfig], str]) -> tuple[Link, ...]:
        urls = self.site.urls
        return tuple(Link(v.label, urls.absolute(path_in(v), v), v.name) for v in self.site.config.variants)

    def article_page(self, article: Article, tokens: Sequence[Token]) -> Output:
        urls, localized = self.site.urls, self.localize(article, tokens)
        path_in = lambda v: urls.article(article, v)  # noqa: E731
        crumbs = [Link(self.ui("新聞"), urls.link(urls.home(self.variant)))]
        crumbs += [Link(name, "") for name in localized.categories[:1]]
        crumbs.append(Link(self.ui("正文"), ""))
        page = ArticlePage(
            article=localized, url=urls.absolute(path_in(self.variant), self.variant),
            date_text=chinese_date(article.date, self.site.config.site.timezone),
            breadcrumb=tuple(crumbs), image_src=self.image_src(article.image),
            translations=self.translations(path_in), alternates=self.alternates(path_in))
        return self.render("article.html", page, path_in(self.variant))

    # ---- listings ----

    def summary(self, article: Article) -> ArticleSummary:
        convert, source = self.convert_from(article.lang, article), self.site.source_of(article)
        title, summary, source_name = convert.convert_texts(
            [article.title, article.summary, article.source_name or (source.name if source else "")])
        return ArticleSummary(title=title, href=self.site.urls.link(self.site.urls.article(article, self.variant)),
                              date_text=chinese_date(article.date, self.site.config.site.timezone),
                              summary=summary, source_name=source_name, image=article.image,
                              image_src=self.image_src(article.image))

    def home_pages(self) -> Iterator[Output]:
        per_page, articles, urls = self.site.config.site.paginate, self.site.articles, self.site.urls
        count = max(1, math.ceil(len(articles) / per_page))
        for number in range(1, count + 1):
            path_in = lambda v, n=number: urls.home(v, n)  # noqa: E731
            page = HomePage(
                items=tuple(self.summary(a) for a in articles[(number - 1) * per_page:number * per_page]),
                number=number, count=count,
                newer=urls.link(urls.home(self.variant, number - 1)) if number > 1 else "",
                older=urls.link(urls.home(self.variant, number + 1)) if number < count else "",
                translations=self.translations(path_in), alternates=self.alternates(path_in))
            yield self.render("home.html", page, path_in(self.variant))


def render_site(site: Site, converters: Converters, env: jinja2.Environment, report: Report) -> list[Output]:
    """Every page of every variant; a page that fails is reported and left out."""
    md = markdown.new_parser()
    renderers = [VariantRenderer(site, v, converters, env, md) for v in site.config.variants]
    pages = _PageCollector()
    for article in site.articles:
        tokens = markdown.parse(md, article.body)
        for renderer in renderers:
            pages.add(f"content/{article.path}", lambda: [renderer.article_page(article, tokens)])
    for renderer in renderers:
        pages.add(f"{renderer.variant.name} home", lambda: list(renderer.home_pages()))
    pages.add("root page", lambda: [root_page(renderers)])
    pages.report_to(report)
    return pages.outputs


def root_page(renderers: list[VariantRenderer]) -> Output:
    site = renderers[0].site
    default = next(r for r in renderers if r.variant.name == site.config.site.default_variant)
    home_in = site.urls.home
    links = tuple(Link(r.variant.label, default.href_in(r.variant, home_in(r.variant)), r.variant.name)
                  for r in renderers)
    page = RootPage(variants=links, translations=(), alternates=default.alternates(home_in))
    return default.render("root.html", page, site.urls.root())


class _PageCollector:
    """Gathers outputs; a template problem is reported once, however many pages it breaks."""

    def __init__(self) -> None:
        self.outputs: list[Output] = []
        self.failures: dict[str, list[str]] = {}

    def add(self, where: str, make: Callable[[], list[Output]]) -> None:
        try:
            self.outputs.extend(make())
        except TemplateProblem as exc:
            self.failures.setdefault(str(exc), []).append(where)

    def report_to(self, report: Report) -> None:
        for message, places in self.failures.items():
            others = len(places) - 1
            more = f" (and {others} more page{'s' * (others > 1)})" if others else ""
            report.error(places[0], f"template: {message}{more}")
