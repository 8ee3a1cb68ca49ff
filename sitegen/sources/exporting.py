"""`sitegen sources export`: the site's feeds as OPML 2.0, for a feed reader or another site."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from sitegen.config import SiteConfig, SourceConfig
from sitegen.sources.opml import Outline, make_opml


@dataclass(frozen=True)
class Export:
    data: bytes
    """The OPML document, UTF-8."""
    left_out: tuple[SourceConfig, ...]
    """Sources read from a feed file in the site folder: no reader elsewhere could follow them."""


def export_sources(config: SiteConfig) -> Export:
    """Every source with an http(s) feed URL, in config order, in folders by category."""
    feeds = [Outline(title=s.name, xml_url=s.url, category=s.category) for s in config.sources if _online(s)]
    left_out = tuple(s for s in config.sources if not _online(s))
    return Export(make_opml(config.site.title, feeds), left_out)


def _online(source: SourceConfig) -> bool:
    return urlsplit(source.url).scheme in ("http", "https")
