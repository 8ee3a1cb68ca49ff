"""What a page needs to know of one of the site's image files: its size as shown, and the
renditions made of it. Reading the facts decodes only the header; `encode.py` makes the pixels."""

from __future__ import annotations

import hashlib
import re
import warnings
from dataclasses import dataclass
from io import BytesIO

from defusedxml import ElementTree

from sitegen.errors import SitegenError

WIDTHS = (320, 640, 1024, 1600)
"""Rendition widths, each made only when smaller than the original."""
RESIZED = {"JPEG": "jpg", "MPO": "jpg", "PNG": "png", "WEBP": "webp"}
"""Formats renditions are made of (Pillow's name: the extension kept for the original-format ones).
MPO is the JPEG many phone cameras write (a JPEG with a second, depth or preview, picture)."""
RECIPE = "q80-webp75-lanczos-1"
"""Changes whenever encode.py would make other bytes: renditions are named by it too, never stale."""
ROTATED = {5, 6, 7, 8}
"""EXIF orientations that turn the picture a quarter: width and height swap when it is shown."""


class ImageProblem(SitegenError):
    """The file cannot be read as an image; the message says why, in a phrase."""


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    extension: str
    """jpg, png or webp."""
    path: str
    """Its path in the site, named by the original's bytes: `/media/r/3f2a9c1b0d4e-640.webp`."""


@dataclass(frozen=True)
class ImageFacts:
    path: str
    """The original's path in the site (`/media/ab/….jpg`)."""
    width: int
    """As shown (after EXIF orientation); 0 when the file does not say (an SVG without a size)."""
    height: int
    digest: str
    """Of the file's bytes and RECIPE: renditions are named by it."""
    kind: str
    """Pillow's name of its format (JPEG, PNG, WEBP, GIF …), or SVG."""
    renditions: tuple[Rendition, ...] = ()
    """Smallest first; empty for SVGs, GIFs and images no wider than the smallest width."""


def read_facts(path: str, data: bytes) -> ImageFacts:
    """The facts of the image file at site path `path`, holding `data`. Raises ImageProblem."""
    name = hashlib.sha256(RECIPE.encode() + b"\0" + data).hexdigest()
    if path.lower().endswith(".svg"):
        return facts_of(path, name, *svg_size(data), "SVG")
    return facts_of(path, name, *_raster_size(data))


def facts_of(path: str, digest: str, width: int, height: int, kind: str) -> ImageFacts:
    """The facts of a picture whose header said its size and kind (Pillow's format name, or SVG)."""
    extension = RESIZED.get(kind)
    widths = [w for w in WIDTHS if w < width] if extension else []
    renditions = [r for w in widths for r in _pair(digest, w, max(1, round(height * w / width)), extension)]
    if widths and width <= WIDTHS[-1] and extension != "webp":
        # A WebP of the whole picture too: else a wide screen would pick the heavier original.
        renditions.append(_rendition(digest, width, height, "webp"))
    return ImageFacts(path, width, height, digest, kind, tuple(renditions))


def _pair(name: str, width: int, height: int, extension: str) -> tuple[Rendition, ...]:
    """The WebP rendition of one width and the one in the original's format (one, for a WebP)."""
    extensions = ("webp",) if extension == "webp" else ("webp", extension)
    return tuple(_rendition(name, width, height, ext) for ext in extensions)


def _rendition(name: str, width: int, height: int, extension: str) -> Rendition:
    return Rendition(width, height, extension, f"/media/r/{name[:12]}-{width}.{extension}")


def _raster_size(data: bytes) -> tuple[int, int, str]:
    """(width, height, Pillow format) from the header; a picture past Pillow's MAX_IMAGE_PIXELS
    (a decompression bomb) is refused like a broken one."""
    from PIL import Image as Pillow  # here: a build that reads no picture never loads Pillow
    from PIL import UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Pillow.DecompressionBombWarning)
            with Pillow.open(BytesIO(data)) as image:
                width, height = image.size
                orientation = image.getexif().get(0x0112)
                # An animation (APNG, animated WebP) would keep only its first frame: it is shown as it
                # is. An MPO's second frame is a depth map or preview, not a frame of an animation.
                animated = getattr(image, "is_animated", False) and image.format != "MPO"
                kind = "" if animated else image.format or ""
    except (Pillow.DecompressionBombError, Pillow.DecompressionBombWarning) as exc:
        raise ImageProblem(f"too many pixels to resize safely ({exc})") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as exc:
        raise ImageProblem(f"not an image Pillow can read ({exc})") from None
    return (height, width, kind) if orientation in ROTATED else (width, height, kind)


LENGTH = re.compile(r"^\s*([0-9]*\.?[0-9]+)\s*(px)?\s*$")


def svg_size(data: bytes) -> tuple[int, int]:
    """An SVG's size from its `width`/`height` (plain or px numbers), else its `viewBox`; (0, 0)
    when neither says. Parsed with defusedxml: a drawing may carry entity attacks."""
    try:
        root = ElementTree.fromstring(data)
    except Exception as exc:  # defusedxml's refusals and ParseError alike
        raise ImageProblem(f"not an SVG drawing that can be read ({type(exc).__name__})") from None
    width, height = (_length(root.get(name, "")) for name in ("width", "height"))
    if width and height:
        return width, height
    box = (root.get("viewBox") or "").replace(",", " ").split()
    try:
        box_width, box_height = (float(n) for n in box[2:4]) if len(box) == 4 else (0.0, 0.0)
    except ValueError:
        return 0, 0
    return (round(box_width), round(box_height)) if box_width > 0 and box_height > 0 else (0, 0)


def _length(value: str) -> int:
    """A width or height in pixels, or 0 for a relative one (`100%`, `10em`) or none."""
    match = LENGTH.match(value)
    return round(float(match.group(1))) if match else 0
