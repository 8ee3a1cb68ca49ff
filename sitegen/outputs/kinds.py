"""Every kind of output a build makes, in the order they are made (a path two kinds would both
write goes to the first). A new kind of output is a module with a `Producer` and a line here."""

from __future__ import annotations

from sitegen.outputs.articles import ArticlePages
from sitegen.outputs.feeds import Feeds
from sitegen.outputs.images import ImageRenditions
from sitegen.outputs.lists import ListPages
from sitegen.outputs.produce import Producer
from sitegen.outputs.sitemap import Sitemaps
from sitegen.outputs.search import SearchPages
from sitegen.outputs.special import SpecialPages
from sitegen.outputs.status_page import StatusPage
from sitegen.outputs.static import StaticFiles
from sitegen.outputs.withdrawn import WithdrawnPages


def producers() -> list[Producer]:
    """A fresh producer of each kind, for one build."""
    return [
        ArticlePages(),
        ListPages(),
        Feeds(),
        SpecialPages(),
        SearchPages(),
        WithdrawnPages(),
        Sitemaps(),
        StatusPage(),
        ImageRenditions(),
        StaticFiles(),
    ]
