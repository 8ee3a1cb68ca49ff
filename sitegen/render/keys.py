"""Page keys: equal keys, equal pages. A key is a digest of everything a page is made from — the
settings and theme (`RenderMemory.fingerprint`), the variant's header, and the page's own inputs,
other articles and terms among them by what the page shows of them — so a page whose key is
unchanged need not be made again. Also what rendering remembers between pages and builds."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import cached_property
from typing import Callable

from sitegen.digests import digest
from sitegen.images.catalog import ImageCatalog
from sitegen.model import Article, LocalizedArticle
from sitegen.render.context import ArticleSummary, SiteView
from sitegen.site.assemble import Site
from sitegen.site.links import VariantLinks
from sitegen.site.taxonomy import TaxonomyTerm


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
    contexts: dict[str, str] = field(default_factory=dict)
    """Each article's `ContextPrints` print, by article path, as its pages were last made or kept."""
    list_prints: dict[str, str] = field(default_factory=dict)
    """Each list page's print (outputs/lists.py: `_printed`), by output path, as the page was last made or kept."""
    places: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each article page's files, one per variant, by article path, and each list's pages' (by
    outputs/lists.py: `list_place`), as the last build placed them."""
    with_body: Callable[[Article], Article] = lambda article: article
    """The article with its body (articles may come from the build cache without)."""
    images: ImageCatalog = field(default_factory=ImageCatalog)
    """The site's pictures as this build found them. Each article's key holds its lead picture's
    facts (build.py), so what is remembered of the article changes when the picture does."""

    def key_of(self, article: Article) -> str:
        try:
            return self.keys[article.path]
        except KeyError:  # an article not read from content/ (tests, previews)
            return digest(article)


class PageKeys:
    """The keys of one variant's pages; what is worked out is remembered (a warm site asks again)."""

    def __init__(self, memory: RenderMemory, variant: str, header: SiteView, site: Site, links: VariantLinks,
                 entry: Callable[[Article], ArticleSummary]):
        """`header`: what every page of the variant shows of the site; `entry`: an article as other
        pages show it, but for its category label (VariantRenderer.entry)."""
        self.memory, self.variant, self.header = memory, variant, header
        self.site, self.links, self.entry = site, links, entry
        self._keys: dict[tuple, str] = {}
        self._term_digests: dict[TaxonomyTerm, str] = {}
        self._shown: dict[str, str] = {}

    @cached_property
    def base(self) -> str:
        """What every page of this variant depends on besides its own inputs: settings, theme, header."""
        return digest(self.memory.fingerprint, self.variant, self.header)

    def page(self, kind: str, *inputs: object) -> str:
        """The key of a page made from `inputs` (and `base`) alone."""
        memo = (kind, inputs)
        if memo not in self._keys:
            self._keys[memo] = digest(self.base, kind, *inputs)
        return self._keys[memo]

    def article_page(self, article: Article) -> str:
        """The key of an article page: the article, and what it shows of the rest of the site
        (`Site.near`), terms and other articles by what the page shows of them (an article whose
        body alone changed changes no other page)."""
        near, shown, term = self.site.near(article), self.shown, self.term
        return self.page("article", self.memory.key_of(article), term(near.category),
                         tuple(term(t) for t in near.tags), term(near.source),
                         shown(near.newer) if near.newer else "", shown(near.older) if near.older else "",
                         tuple(shown(a) for a in near.related))

    def shown(self, article: Article) -> str:
        """A digest of what other pages show of `article`: its list entry, which holds its link, and
        its category label, which is digested apart (the entry's digest is kept across builds, the
        label's link may change with other articles)."""
        article_key = self.memory.key_of(article)
        if article_key not in self._shown:
            key = (article_key, self.variant)
            if key not in self.memory.shown:
                self.memory.shown[key] = digest(self.entry(article))
            self._shown[article_key] = digest(self.memory.shown[key], self.term(self.site.category_of(article)))
        return self._shown[article_key]

    def term(self, term: TaxonomyTerm | None) -> str:
        """A digest of the term's link: what a page shows of a term."""
        if term is None:
            return ""
        if term not in self._term_digests:
            self._term_digests[term] = digest(self.links.term(term))
        return self._term_digests[term]


class ContextPrints:
    """What the keys of an article's pages (`PageKeys.article_page`, in every variant: `bases`) are
    worked out from, as read rather than as worked out: the article, its terms, and the articles of
    its context (`Site.context`), each by what its entry is made from. Equal prints, equal keys.
    A print costs a tenth of the keys, so a site whose shape changed (a new story) keeps the pages
    of the articles whose context did not without working out their keys."""

    def __init__(self, site: Site, memory: RenderMemory, bases: tuple[str, ...]):
        self.site, self.memory, self.bases = site, memory, "\0".join(bases)
        self._term_ids: dict[int, str] = {}
        self._entries: dict[int, str] = {}
        """Each article's `entry`, by the object's identity (a context shows an article often)."""

    def of(self, article: Article) -> str:
        site, entry = self.site, self.entry
        terms = "\0".join(map(self._term_id, (*site.terms_of("tag", article), *site.terms_of("source", article))))
        context = [entry(other) if other is not None else "-" for other in site.context(article)]
        text = "\n".join([self.bases, entry(article), terms, *context])
        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()

    def entry(self, article: Article) -> str:
        """What the article's entry and category label are made from."""
        found = self._entries.get(id(article))
        if found is None:
            category = self._term_id(self.site.category_of(article))
            found = self._entries[id(article)] = \
                f"{self.memory.key_of(article)}\t{category}\t{self.site.waiting.get(article.path, '')}"
        return found

    def _term_id(self, term: TaxonomyTerm | None) -> str:
        if term is None:
            return ""
        found = self._term_ids.get(id(term))
        if found is None:
            found = self._term_ids[id(term)] = "\x1f".join((term.kind, term.slug, term.name, term.lang))
        return found
