"""The one place where URLs and output paths are made.

A *path* is relative to its host's root (`/zh-hant/2023/0915/1954134.html`,
without the sub-path of base_url). A variant either shares the site's host under
its path prefix, or has a host of its own (its `base_url`); a host of its own
gets an output tree of its own, `public/<variant>/`. A link adds the sub-path of
the host (`/news/...`), or is absolute when it crosses to another host.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from sitegen.config import SiteSettings, VariantConfig
from sitegen.model import Article
from sitegen.site.pagination import FIRST

SAFE = "/%:@&=+$,;~!*'()#?"
NOTHING_TO_QUOTE = re.compile(r"[A-Za-z0-9_.~\-" + re.escape(SAFE) + "]*")
"""What `quote` leaves as it is: letters, digits, `_.-~` and SAFE."""

SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
"""What one sitemap file may hold (sitemaps.org): search engines refuse a larger one."""
FEED_FILES = {"atom": "atom.xml", "rss": "rss.xml"}


def quoted(path: str) -> str:
    """`path` percent-encoded as `quote(path, safe=SAFE)` does, in one match when nothing in it
    needs encoding (most paths): a page holds many links, and a sitemap every page's."""
    return path if NOTHING_TO_QUOTE.fullmatch(path) else quote(path, safe=SAFE)


@dataclass(frozen=True)
class Urls:
    site: SiteSettings

    # ---- paths of each page kind ----

    def article(self, article: Article, variant: VariantConfig) -> str:
        return variant.path + self.permalink(article)

    def permalink(self, article: Article) -> str:
        """The article's path in every variant, after the variant's own path."""
        local = article.date.astimezone(ZoneInfo(self.site.timezone))
        permalink = self.site.permalink.format(
            year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}",
            id=article.id, source=article.source)
        return permalink.lstrip("/")

    def home(self, variant: VariantConfig, page: int = FIRST) -> str:
        return _paged(variant.path, page)

    def term(self, kind: str, slug: str, variant: VariantConfig, page: int = FIRST) -> str:
        """A category, tag or source page."""
        return _paged(f"{variant.path}{kind}/{slug}/", page)

    def archive(self, variant: VariantConfig, year: int, month: int | None = None, page: int = FIRST) -> str:
        return _paged(f"{variant.path}{year:04d}/" + (f"{month:02d}/" if month else ""), page)

    def feed(self, variant: VariantConfig, kind: str, category: str = "") -> str:
        folder = f"{variant.path}category/{category}/" if category else variant.path
        return folder + FEED_FILES[kind]

    def not_found(self, variant: VariantConfig | None = None) -> str:
        return (variant.path if variant else "/") + "404.html"

    def root(self) -> str:
        return "/"

    def search(self, variant: VariantConfig) -> str:
        return f"{variant.path}search/"

    def search_bundle(self, variant: VariantConfig) -> str:
        """The folder of the variant's search index (Pagefind's bundle), beside its pages."""
        return f"{variant.path}pagefind/"

    def stylesheet(self) -> str:
        """The theme's stylesheet (every host has its copy)."""
        return "/css/sitegen.css"

    def script(self) -> str:
        """The theme's script (every host has its copy)."""
        return "/js/sitegen.js"

    def search_script(self) -> str:
        """The theme's search page script (every host has its copy)."""
        return "/js/search.js"

    def sitemap(self) -> str:
        return "/sitemap.xml"

    def sitemap_part(self, number: int) -> str:
        """Part `number` (from 1) of a sitemap too large for one file (outputs/sitemap.py)."""
        return f"/sitemap-{number}.xml"

    def robots(self) -> str:
        return "/robots.txt"

    # ---- where a path lives ----

    def base_url(self, variant: VariantConfig | None) -> str:
        return variant.base_url if variant and variant.base_url else self.site.base_url

    def base_path(self, variant: VariantConfig | None = None) -> str:
        """The sub-path the host's site lives under: `/` or e.g. `/news/`."""
        return urlsplit(self.base_url(variant)).path or "/"

    def link(self, path: str, variant: VariantConfig | None = None) -> str:
        """What an `href`/`src` on the same host holds for `path`."""
        return quoted(self.base_path(variant) + path.lstrip("/"))

    def absolute(self, path: str, variant: VariantConfig | None = None) -> str:
        return self.base_url(variant) + quoted(path.lstrip("/"))

    def href(self, path: str, to: VariantConfig | None, on: VariantConfig | None) -> str:
        """A link from a page of `on` to `path` of `to`: relative on one host, absolute across hosts."""
        same_host = self.base_url(to) == self.base_url(on)
        return self.link(path, to) if same_host else self.absolute(path, to)

    def tree(self, variant: VariantConfig | None) -> str:
        """The folder inside `public/` that holds a host's files: '' or `zh-hant/` for a host of its own."""
        return variant.tree if variant else ""

    def output_file(self, path: str, variant: VariantConfig | None = None) -> str:
        """The file inside `public/` that serves `path`."""
        relative = path.lstrip("/")
        if relative.endswith("/") or not relative:
            relative += "index.html"
        return self.tree(variant) + relative


def _paged(folder: str, page: int) -> str:
    """A list's first page at its folder; its numbered pages (site/pagination.py) below it."""
    return folder if page == FIRST else f"{folder}page/{page}/"
