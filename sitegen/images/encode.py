"""The pixels of a rendition, made with Pillow. The same original always gives the same bytes:
fixed quality and settings, no metadata but the colour profile (EXIF, with its dates and GPS, is
left out; its orientation is applied first, so the picture stands as the camera meant)."""

from __future__ import annotations

from io import BytesIO

from PIL import Image as Pillow
from PIL import ImageOps

from sitegen.images.facts import ImageProblem, Rendition

SAVE = {
    "jpg": {"format": "JPEG", "quality": 80, "optimize": True, "progressive": True},
    "png": {"format": "PNG", "optimize": True},
    "webp": {"format": "WEBP", "quality": 75, "method": 4},
}


def encode_all(data: bytes, renditions: tuple[Rendition, ...]) -> tuple[bytes, ...]:
    """The bytes of each rendition of the original `data`, in order; decoded once. Raises ImageProblem.
    `data` must have passed `read_facts`, which refuses decompression bombs: this may run on threads,
    where Pillow's bomb warning cannot be caught safely (warning filters are global)."""
    try:
        with Pillow.open(BytesIO(data)) as opened:
            upright = _plain(ImageOps.exif_transpose(opened))
        sized: dict[tuple[int, int], Pillow.Image] = {}  # the WebP and the JPEG of a width share one resize
        for r in renditions:
            if (r.width, r.height) not in sized:
                sized[r.width, r.height] = upright.resize((r.width, r.height), Pillow.Resampling.LANCZOS)
        return tuple(_save(sized[r.width, r.height], r.extension) for r in renditions)
    except Pillow.DecompressionBombError as exc:
        raise ImageProblem(f"too many pixels to resize safely ({exc})") from None
    except (OSError, ValueError, SyntaxError) as exc:  # truncated or corrupt pixel data
        raise ImageProblem(f"its pixels cannot be read ({exc})") from None


def _plain(image: Pillow.Image) -> Pillow.Image:
    """RGB, or RGBA when the picture has transparency; CMYK, palettes and 16-bit taken to them."""
    alpha = image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)
    plain = image.convert("RGBA" if alpha else "RGB")
    # Only the colour profile rides along (colours stay true); EXIF, XMP and comments do not.
    icc = image.info.get("icc_profile")
    plain.info = {"icc_profile": icc} if icc else {}
    return plain


def _save(image: Pillow.Image, extension: str) -> bytes:
    if extension == "jpg" and image.mode == "RGBA":
        image = image.convert("RGB")
    out = BytesIO()
    icc = image.info.get("icc_profile")
    image.save(out, **SAVE[extension], **({"icc_profile": icc} if icc else {}))
    return out.getvalue()
