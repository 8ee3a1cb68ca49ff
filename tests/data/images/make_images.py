"""Regenerate the image fixtures: `python make_images.py` with Pillow installed (Pillow >= 11.3
writes AVIF). Pillow is not a sitegen dependency: this runs once, by hand, and the bytes are kept."""

import random
from pathlib import Path

from PIL import Image

HERE = Path(__file__).resolve().parent


def main() -> None:
    for name, color in (("pixel.png", (200, 30, 30)), ("pixel.gif", (30, 200, 30)), ("pixel.jpg", (30, 30, 200)),
                        ("pixel.webp", (200, 200, 30)), ("pixel.avif", (30, 200, 200))):
        image = Image.new("RGB", (1, 1), color)
        image.save(HERE / name, quality=90) if name.endswith((".jpg", ".webp", ".avif")) else image.save(HERE / name)
    # A real JPEG whose name and Content-Type say otherwise: the type comes from the bytes.
    Image.new("RGB", (1, 1), (120, 60, 0)).save(HERE / "jpeg-named-photo.bin", format="JPEG", quality=90)
    rng = random.Random(20240705)
    noise = Image.new("RGB", (32, 32))
    noise.putdata([(rng.randrange(256), rng.randrange(256), rng.randrange(256)) for _ in range(32 * 32)])
    noise.save(HERE / "noise-32x32.png")


if __name__ == "__main__":
    main()
