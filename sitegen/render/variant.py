"""One variant's pages: its text and links, the theme, and what rendering remembers."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property

import jinja2
from markdown_it import MarkdownIt

from sitegen.config import VariantConfig
from sitegen.content import markdown
from sitegen.convert.localize import headline, localize
from sitegen.convert.variant_text import VariantText
from sitegen.model import Article, LocalizedArticle, Output
from sitegen.render.dates import chinese_date, short_date
from sitegen.render.images import image_view
from sitegen.render.context import ArticleSummary, Link, Meta, SiteView
from sitegen.render.keys import PageKeys, RenderMemory
from sitegen.render.meta import page_meta
from sitegen.render.templates import render_template
from sitegen.site.assemble import Site
from sitegen.site.links import PathIn, VariantLinks
from sitegen.static import favicon_path

NAV_CATEGORIES = 8
"""Categories in the header: the largest, in the order of their slugs. Ordered by size, the header
(and so every page of the site) would change whenever one category overtook another, which two of
much the same size do with every other story a fetch brings."""


@dataclass(frozen=True)
class VariantRenderer:
    """Renders one variant's pages (page contexts come from render/pages.py)."""

    site: Site
    variant: VariantConfig
    text: VariantText
    links: VariantLinks
    env: jinja2.Environment
    md: MarkdownIt
    memory: RenderMemory = field(default_factory=lambda: RenderMemory())

    @cached_property
    def site_view(self) -> SiteView:
        return self.site_view_on(self.variant)

    def site_view_on(self, host: VariantConfig | None) -> SiteView:
        """The site as seen from a page on `host` (the root pages live on the site's own host)."""
        urls, v, links = self.site.urls, self.variant, self.links
        link = lambda path, to: urls.href(path, to, host)  # noqa: E731
        categories = self.site.terms.get("category", ())
        largest = sorted(categories, key=lambda t: (-len(t.articles), t.slug))[:NAV_CATEGORIES]
        nav = sorted(largest, key=lambda t: t.slug)  # not by size: every page shows the header
        return SiteView(
            title=self.text.setting(self.site.config.site.title), lang=v.name,
            home=link(urls.home(v), v), root=link(urls.root(), None),
            stylesheet=link(urls.stylesheet(), host), script=link(urls.script(), host),
            nav=tuple(Link(links.term_name(t), link(urls.term(t.kind, t.slug, v), v)) for t in nav),
            feeds=links.feeds(on_site_host=host is None),
            favicon=link(self._favicon, host) if self._favicon else "",
            search=link(urls.search(v), v) if self.site.config.site.search else "",
            search_script=link(urls.search_script(), host))

    @cached_property
    def _favicon(self) -> str:
        return favicon_path(self.site.config.static_dir)

    def render(self, template: str, page: object, path: str, lastmod: str = "", listed: bool = True,
               on_site_host: bool = False) -> Output:
        """The page at `path` from `template`. `listed`: the sitemap lists it; `on_site_host`: it
        lives on the site's own host whatever the variant (root pages)."""
        view = self.site_view_on(None) if on_site_host else self.site_view
        html = render_template(self.env, template, {"site": view, "page": page, "t": self.text.ui})
        return Output(self.site.urls.output_file(path, None if on_site_host else self.variant), html.encode("utf-8"),
                      template, page=path if listed else "", variant="" if on_site_host else self.variant.name,
                      lastmod=lastmod)

    def meta(self, title: str, description: str, path_in: PathIn, og_type: str = "website",
             image: str = "", json_ld: str = "", canonical: str = "", noindex: bool = False) -> Meta:
        return page_meta(self.site, self.variant, title, description, path_in, og_type, image, json_ld, canonical,
                         noindex)

    def localize(self, article: Article, tokens: list) -> LocalizedArticle:
        """The article published in this variant, from its parsed body (see convert/localize.py)."""
        return localize(article, tokens, self.text, self.site.source_of(article), self.md, self.links.href)

    def localized(self, article: Article) -> LocalizedArticle:
        """The article published in this variant, for the feeds: remembered, else parsed and localized."""
        key = (self.memory.key_of(article), self.variant.name)
        if key not in self.memory.localized:
            article = self.memory.with_body(article)
            self.memory.localized[key] = self.localize(article, markdown.parse(self.md, article.body))
        return self.memory.localized[key]

    def summary(self, article: Article) -> ArticleSummary:
        """The article as a list entry: its `entry`, labelled with its category (remembered while
        the site stays warm: it appears in many lists)."""
        key = self.memory.key_of(article)
        if key not in self._labelled:
            term = self.site.category_of(article)
            entry = self.entry(article)
            self._labelled[key] = replace(entry, category=self.links.term(term)) if term else entry
        return self._labelled[key]

    def entry(self, article: Article) -> ArticleSummary:
        """The article as a list entry without its category label: made of the article and the
        settings alone, so remembered across builds too. The label is not: a category's link may
        change with other articles (a new homophone category takes its slug)."""
        key = (self.memory.key_of(article), self.variant.name)
        if key not in self.memory.summaries:
            self.memory.summaries[key] = self._summary(article)
        return self.memory.summaries[key]

    @cached_property
    def _labelled(self) -> dict[str, ArticleSummary]:
        return {}

    def _summary(self, article: Article) -> ArticleSummary:
        text = headline(article, self.text, self.site.source_of(article))
        return ArticleSummary(title=text.title, href=self.links.href(self.site.urls.article(article, self.variant)),
                              date_text=chinese_date(article.date, self.site.config.site.timezone),
                              iso_date=article.date.isoformat(),
                              time_text=short_date(article.date, self.site.config.site.timezone),
                              summary=text.summary, source_name=text.source_name, image=text.image,
                              image_src=self.links.image_src(text.image),
                              status=self.site.waiting.get(article.path, ""),
                              image_view=image_view(text.image, self.memory.images, self.links.href))

    def article_link(self, article: Article) -> Link:
        entry = self.summary(article)
        return Link(entry.title, entry.href)

    def remembered(self, what: str) -> dict:
        """A table an output kind keeps of this variant while the site stays warm (serve)."""
        return self._remembered.setdefault(what, {})

    @cached_property
    def _remembered(self) -> dict[str, dict]:
        return {}

    @cached_property
    def keys(self) -> PageKeys:
        return PageKeys(self.memory, self.variant.name, self.site_view, self.site, self.links, self.entry)
