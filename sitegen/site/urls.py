"""The one place where URLs and output paths are made.

A *path* is site-root-relative (`/zh-hant/2023/0915/1954134.html`) and names the
output file inside `public/`. A link adds the sub-path of `base_url` (`/news/...`);
an absolute URL adds the scheme and host of the site, or of the variant's own host.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote, urlsplit
from zoneinfo import ZoneInfo

from sitegen.config import SiteSettings, VariantConfig
from sitegen.model import Article


@dataclass(frozen=True)
class Urls:
    site: SiteSettings

    @property
    def base_path(self) -> str:
        """The sub-path the site lives under: `/` or e.g. `/news/`."""
        return urlsplit(self.site.base_url).path or "/"

    def article(self, article: Article, variant: VariantConfig) -> str:
        local = article.date.astimezone(ZoneInfo(self.site.timezone))
        permalink = self.site.permalink.format(
            year=f"{local.year:04d}", month=f"{local.month:02d}", day=f"{local.day:02d}",
            id=article.id, source=article.source)
        return variant.path + permalink.lstrip("/")

    def home(self, variant: VariantConfig, page: int = 1) -> str:
        return variant.path if page == 1 else f"{variant.path}page/{page}/"

    def root(self) -> str:
        return "/"

    def link(self, path: str) -> str:
        """What a page's `href`/`src` holds for a site path."""
        return quote(self.base_path + path.lstrip("/"), safe="/%:@&=+$,;~!*'()#?")

    def absolute(self, path: str, variant: VariantConfig | None = None) -> str:
        base = (variant.base_url if variant and variant.base_url else "") or self.site.base_url
        return base + quote(path.lstrip("/"), safe="/%:@&=+$,;~!*'()#?")

    def output_file(self, path: str) -> str:
        """The file inside `public/` that serves `path`."""
        relative = path.lstrip("/")
        return relative + "index.html" if relative.endswith("/") or not relative else relative
