"""Links as one variant's pages show them: to other pages, terms, images and feeds, labelled in
the variant's script. Relative on one host, absolute across hosts (see urls.py)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Callable

from sitegen.config import VariantConfig
from sitegen.convert.variant_text import VariantText
from sitegen.model import Image, Link
from sitegen.site.assemble import Site
from sitegen.site.taxonomy import TaxonomyTerm

PathIn = Callable[[VariantConfig], str]
"""A page's path in each variant."""
FEED_KINDS = (("Atom", "atom"), ("RSS", "rss"))


@dataclass(frozen=True)
class VariantLinks:
    site: Site
    variant: VariantConfig
    text: VariantText

    def href(self, path: str, to: VariantConfig | None = None) -> str:
        """A link from this variant's pages to `path` of `to` (default: this variant)."""
        return self.site.urls.href(path, to or self.variant, self.variant)

    def translations(self, path_in: PathIn) -> tuple[Link, ...]:
        """The same page in the other variants."""
        return tuple(Link(v.label, self.href(path_in(v), v), v.name)
                     for v in self.site.config.variants if v != self.variant)

    def term_name(self, term: TaxonomyTerm) -> str:
        if term.kind == "source":
            source = self.site.config.source(term.slug)
            name = source.name if source else (term.articles[0].source_name or term.slug)
            return self.text.setting(name)
        return self.text.converter(term.lang)(term.name)

    def term(self, term: TaxonomyTerm) -> Link:
        """The term's page (remembered: pages and keys ask for the same few again and again)."""
        if term not in self._terms:
            path = self.site.urls.term(term.kind, term.slug, self.variant)
            self._terms[term] = Link(self.term_name(term), self.href(path))
        return self._terms[term]

    @cached_property
    def _terms(self) -> dict[TaxonomyTerm, Link]:
        return {}

    def feeds(self, category: str = "", on_site_host: bool = False) -> tuple[Link, ...]:
        """The variant's Atom and RSS feeds (a category's, or the whole variant's), linked from a
        page of this variant, or of the site's own host."""
        urls, host = self.site.urls, None if on_site_host else self.variant
        return tuple(Link(label, urls.href(urls.feed(self.variant, kind, category), self.variant, host))
                     for label, kind in FEED_KINDS)

    def image_src(self, image: Image | None) -> str:
        if image is None:
            return ""
        return self.href(image.url) if image.url.startswith("/") else image.url

    def image_absolute(self, image: Image | None) -> str:
        if image is None:
            return ""
        return self.site.urls.absolute(image.url) if image.url.startswith("/") else image.url
