"""The theme's text colours keep WCAG AA contrast (4.5:1) on its background, light and dark."""

import re

import pytest

from sitegen.render.templates import THEME_DIR

CSS = (THEME_DIR / "static/css/sitegen.css").read_text(encoding="utf-8")


def palette(block: str) -> dict[str, str]:
    return dict(re.findall(r"--(\w+):\s*#([0-9a-fA-F]{6})", block))


def luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


LIGHT = palette(CSS.split("@media (prefers-color-scheme: dark)")[0])
DARK = {**LIGHT, **palette(CSS.split("@media (prefers-color-scheme: dark)")[1].split("}")[0])}


@pytest.mark.parametrize("scheme", [LIGHT, DARK], ids=["light", "dark"])
@pytest.mark.parametrize("colour", ["fg", "muted", "accent"])
def test_text_colours_are_readable(scheme, colour):
    assert contrast(scheme[colour], scheme["bg"]) >= 4.5, (colour, scheme[colour], scheme["bg"])


def test_the_palette_was_found():
    assert {"fg", "muted", "accent", "bg"} <= LIGHT.keys() and DARK["bg"] != LIGHT["bg"]
