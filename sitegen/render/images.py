"""Images as pages draw them (context.ImageView): a site picture with its renditions and size from
the build's image catalog (images/catalog.py), a hotlinked one with the size its feed gave, if any."""

from __future__ import annotations

from typing import Callable

from sitegen.images.catalog import ImageCatalog
from sitegen.images.facts import ImageFacts
from sitegen.model import Image
from sitegen.render.context import ImageView


def image_view(image: Image | None, catalog: ImageCatalog, href: Callable[[str], str]) -> ImageView | None:
    """`image` as drawn on a page whose links `href` makes of site paths. Its alt is always empty:
    the lead figure's caption describes the picture and a thumbnail sits by its headline, and
    saying either again only makes screen readers read it twice."""
    if image is None or not image.url:
        return None
    if not image.url.startswith("/"):  # hotlinked
        return ImageView(image.url, width=image.width, height=image.height)
    facts = catalog.of(image.url)
    if facts is None:  # not in static/, or unreadable (the build warned)
        return ImageView(href(image.url), width=image.width, height=image.height)
    return _with_renditions(facts, href)


def _with_renditions(facts: ImageFacts, href: Callable[[str], str]) -> ImageView:
    original = href(facts.path)
    webp = [r for r in facts.renditions if r.extension == "webp"]
    own = [r for r in facts.renditions if r.extension != "webp"]
    if not facts.renditions:
        return ImageView(original, width=facts.width, height=facts.height)
    if not own:  # a WebP original: its renditions are already WebP
        return ImageView(original, _srcset(webp, href, original, facts.width), "", facts.width, facts.height)
    return ImageView(original, _srcset(own, href, original, facts.width), _srcset(webp, href), facts.width,
                     facts.height)


def _srcset(renditions: list, href: Callable[[str], str], original: str = "", width: int = 0) -> str:
    """`src 320w, src 640w, …`, the original last when given (unless a rendition is as wide, or
    its address holds a comma or space, which a srcset would split it at)."""
    entries = [f"{href(r.path)} {r.width}w" for r in renditions]
    if original and all(r.width < width for r in renditions) and not {",", " "} & set(original):
        entries.append(f"{original} {width}w")
    return ", ".join(entries)
