"""The front page's arrangement: which story leads, which make the band of top stories, which open
each category's section, and which fill the latest list. The page and its key both derive from
this one definition (outputs/lists.py), as article pages do from `Site.near`."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import islice

from sitegen.model import Article
from sitegen.site.assemble import Site
from sitegen.site.taxonomy import TaxonomyTerm

TOP_STORIES = 4
SECTIONS = 8
"""Category sections, the largest categories first (as the header's categories)."""
SECTION_STORIES = 4


@dataclass(frozen=True)
class Section:
    category: TaxonomyTerm
    articles: tuple[Article, ...]
    """Its newest stories that the lead and the top band do not show already."""


@dataclass(frozen=True)
class Front:
    lead: Article | None
    """The newest featured story, else the newest; None on a site without stories."""
    top: tuple[Article, ...]
    """The newest stories after the lead."""
    sections: tuple[Section, ...]
    """Only categories with a story left to show."""
    latest: tuple[Article, ...]
    """The first page of the home list, newest first: the list's next page follows it."""


def front_page(site: Site) -> Front:
    lead = _lead(site)
    # Only as far into the lists as the page shows: a list may hold every story of the site.
    top = tuple(islice((a for a in site.articles if a is not lead), TOP_STORIES))
    shown = {lead, *top}
    sections = []
    for category in _largest_categories(site):
        stories = tuple(islice((a for a in category.articles if a not in shown), SECTION_STORIES))
        if stories:
            sections.append(Section(category, stories))
            shown.update(stories)
    return Front(lead, top, tuple(sections), site.articles[:site.config.site.paginate])


def _lead(site: Site) -> Article | None:
    featured = (a for a in site.articles if a.featured)
    return next(featured, None) or next(iter(site.articles), None)


def _largest_categories(site: Site) -> list[TaxonomyTerm]:
    categories = site.terms.get("category", ())
    return sorted(categories, key=lambda t: (-len(t.articles), t.slug))[:SECTIONS]
