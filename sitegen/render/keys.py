"""Page keys: equal keys, equal pages. A key is a digest of everything a page is made from — the
settings and theme (`RenderMemory.fingerprint`), the variant's header, and the page's own inputs,
other articles and terms among them by what the page shows of them — so a page whose key is
unchanged need not be made again. Also what rendering remembers between pages and builds."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Callable

from sitegen.cache import digest
from sitegen.model import Article, LocalizedArticle
from sitegen.render.context import ArticleSummary
from sitegen.site.taxonomy import TaxonomyTerm

if TYPE_CHECKING:
    from sitegen.render.pages import VariantRenderer


@dataclass(frozen=True)
class Near:
    """The terms and articles an article page links to."""

    category: TaxonomyTerm | None
    tags: tuple[TaxonomyTerm, ...]
    source: TaxonomyTerm | None
    newer: Article | None
    older: Article | None
    related: tuple[Article, ...]


@dataclass
class RenderMemory:
    """What rendering remembers from page to page, and, through the build cache, from build to build.
    Entries are keyed by the article's key (a digest of its file) and the variant, and hold under
    the settings they were made with (the cache drops them when those change); `fingerprint` is
    the settings and the theme, which every page key starts from."""

    fingerprint: str = ""
    keys: dict[str, str] = field(default_factory=dict)
    """Article key by article path."""
    summaries: dict[tuple[str, str], ArticleSummary] = field(default_factory=dict)
    shown: dict[tuple[str, str], str] = field(default_factory=dict)
    localized: dict[tuple[str, str], LocalizedArticle] = field(default_factory=dict)
    with_body: Callable[[Article], Article] = lambda article: article
    """The article with its body (articles may come from the build cache without)."""

    def key_of(self, article: Article) -> str:
        try:
            return self.keys[article.path]
        except KeyError:  # an article not read from content/ (tests, previews)
            return digest(article)


class PageKeys:
    """The keys of one variant's pages; what is worked out is remembered (a warm site asks again)."""

    def __init__(self, renderer: VariantRenderer):
        self.renderer = renderer
        self._keys: dict[tuple, str] = {}
        self._nears: dict[Article, Near] = {}
        self._term_digests: dict[TaxonomyTerm, str] = {}

    @cached_property
    def base(self) -> str:
        """What every page of this variant depends on besides its own inputs: settings, theme, header."""
        r = self.renderer
        return digest(r.memory.fingerprint, r.variant.name, r.site_view)

    def page(self, kind: str, *inputs: object) -> str:
        """The key of a page made from `inputs` (and `base`) alone."""
        memo = (kind, inputs)
        if memo not in self._keys:
            self._keys[memo] = digest(self.base, kind, *inputs)
        return self._keys[memo]

    def article_page(self, article: Article) -> str:
        """The key of what `surroundings` and `article_page` make: terms and other articles by
        what the page shows of them (an article whose body alone changed changes no other page)."""
        near, shown, term = self.near(article), self.shown, self._term
        return self.page("article", self.renderer.memory.key_of(article), term(near.category),
                         tuple(term(t) for t in near.tags), term(near.source),
                         shown(near.newer) if near.newer else "", shown(near.older) if near.older else "",
                         tuple(shown(a) for a in near.related))

    def shown(self, article: Article) -> str:
        """A digest of what other pages show of `article` (its list entry, which holds its link)."""
        r = self.renderer
        key = (r.memory.key_of(article), r.variant.name)
        if key not in r.memory.shown:
            r.memory.shown[key] = digest(r.summary(article))
        return r.memory.shown[key]

    def near(self, article: Article) -> Near:
        if article not in self._nears:
            site = self.renderer.site
            newer, older = site.neighbours(article)
            self._nears[article] = Near(
                category=site.category_of.get(article), tags=site.terms_of("tag", article),
                source=next(iter(site.terms_of("source", article)), None),
                newer=newer, older=older, related=site.related(article))
        return self._nears[article]

    def _term(self, term: TaxonomyTerm | None) -> str:
        """A digest of the term's link: what a page shows of a term."""
        if term is None:
            return ""
        if term not in self._term_digests:
            self._term_digests[term] = digest(self.renderer.term_link(term))
        return self._term_digests[term]
