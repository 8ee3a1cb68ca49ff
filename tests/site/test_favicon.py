"""The site's own icon: static/favicon.ico (or .png, .svg) is linked from every page, under the
base URL's sub-path and on each variant's host; without one, pages keep the empty icon that
makes browsers ask for nothing."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from sitegen.static import favicon_path
from tests.helpers import article, sitegen

ICON = re.compile(r'<link rel="icon" href="([^"]*)">')
SVG = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'><circle cx='8' cy='8' r='8'/></svg>"
SUB_PATH = '[site]\ntitle = "測試新聞"\nbase_url = "https://example.github.io/news/"\n'
OWN_HOST = SUB_PATH + ('[variants.zh-Hans]\npath = "/zh-hans/"\n'
                       '[variants.zh-Hant]\nbase_url = "https://tw.example.org/"\n')


def icons(public: Path) -> dict[str, str]:
    """The icon link of every page, by file."""
    found = {}
    for page in public.rglob("*.html"):
        links = ICON.findall(page.read_text(encoding="utf-8"))
        assert len(links) == 1, page
        found[page.relative_to(public).as_posix()] = links[0]
    return found


def build(root: Path) -> Path:
    built = sitegen("build", "--site", str(root))
    assert built.returncode == 0, built.stderr
    return root / "public"


def test_without_an_icon_pages_link_the_empty_one(make_site):
    public = build(make_site(config=SUB_PATH, files={"content/a.md": article(source="local")}))
    assert set(icons(public).values()) == {"data:,"}


def test_the_sites_icon_is_linked_under_the_sub_path(make_site):
    root = make_site(config=SUB_PATH, files={"content/a.md": article(source="local"), "static/favicon.svg": SVG})
    public = build(root)
    assert (public / "favicon.svg").read_text(encoding="utf-8") == SVG
    found = icons(public)
    assert {"index.html", "404.html", "zh-hant/index.html", "zh-hans/404.html"} <= set(found)
    assert set(found.values()) == {"/news/favicon.svg"}


def test_a_variant_on_its_own_host_links_its_own_copy(make_site):
    root = make_site(config=OWN_HOST, files={"content/a.md": article(source="local"), "static/favicon.png": "png"})
    public = build(root)
    assert (public / "favicon.png").is_file() and (public / "zh-hant/favicon.png").is_file()
    for page, href in icons(public).items():
        assert href == ("/favicon.png" if page.startswith("zh-hant/") else "/news/favicon.png"), page


def test_an_icon_added_later_reaches_every_page(make_site):
    root = make_site(config=SUB_PATH, files={"content/a.md": article(source="local")})
    long_ago = time.time() - 120  # settled files: the build's nothing-changed check is what is tested
    for path in root.rglob("*"):
        os.utime(path, (long_ago, long_ago))
    assert set(icons(build(root)).values()) == {"data:,"}
    (root / "static").mkdir(exist_ok=True)
    (root / "static/favicon.ico").write_bytes(b"\x00\x00\x01\x00")
    os.utime(root / "static/favicon.ico", (long_ago + 60, long_ago + 60))
    assert set(icons(build(root)).values()) == {"/news/favicon.ico"}


def test_ico_is_preferred_then_svg_then_png(tmp_path):
    assert favicon_path(tmp_path) == ""
    for name in ("favicon.png", "favicon.svg", "favicon.ico"):
        (tmp_path / name).write_bytes(b"icon")
        assert favicon_path(tmp_path) == "/" + name
    (tmp_path / "favicon.ico").unlink()
    (tmp_path / "favicon.ico").mkdir()  # a folder of that name is no icon
    assert favicon_path(tmp_path) == "/favicon.svg"
