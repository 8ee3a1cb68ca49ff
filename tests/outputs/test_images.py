"""The site's own pictures in smaller renditions, and how pages draw every picture: sizes from the
files (or the feed), srcset/sizes, lazy thumbnails, an alt that never repeats the caption
(sitegen/images/, outputs/images.py, render/images.py, templates/image.html). Real builds, real
JPEGs made with Pillow, read back with Pillow."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
import struct
import zlib
from pathlib import Path

from PIL import Image

from sitegen.build import build
from sitegen.config import load_config
from sitegen.images.facts import ImageProblem, read_facts, svg_size
from tests.helpers import HOUR_AGO, article, edit_settled, photo, settle, tree

PHOTO = "/media/ab/photo.jpg"
CAPTION = "市场里卖蔬果的摊位。"


def with_lead(text: str, url: str, caption: str = CAPTION, **size: int) -> str:
    """An article file's text with a lead image in its front matter."""
    lines = ["image:", f"  url: {url}", f"  caption: {caption}", "  credit: 路透社",
             *(f"  {key}: {value}" for key, value in size.items())]
    return text.replace("\n---\n", "\n" + "\n".join(lines) + "\n---\n", 1)


def site_with(make_site, pictures: dict[str, bytes], leads: dict[str, str | tuple[str, dict]]) -> Path:
    """A site whose articles (ids a1, b2, …, one a day) lead with the given pictures, which are
    put in static/ as `images = "download"` puts them; settled, not built."""
    files = {}
    for day, (article_id, lead) in enumerate(leads.items(), start=1):
        url, size = lead if isinstance(lead, tuple) else (lead, {})
        text = article(id=article_id, title=f"第{day}条新闻").replace("2024-03-01", f"2024-03-{day:02d}")
        files[f"content/{article_id}.md"] = with_lead(text, url, **size)
    root = make_site(files=files)
    for relative, data in pictures.items():
        (root / "static" / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / "static" / relative).write_bytes(data)
    settle(root)
    return root


def built_ok(root: Path):
    report = build(load_config(root)).report
    assert not report.failed, report.problems
    return report


def renditions(root: Path) -> dict[str, bytes]:
    folder = root / "public" / "media" / "r"
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def page(root: Path, article_id: str, variant: str = "zh-hans") -> str:
    [found] = (root / "public" / variant).glob(f"20*/*/{article_id}.html")
    return found.read_text(encoding="utf-8")


def imgs(html: str) -> list[str]:
    return re.findall(r"<img [^>]*>", html)


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf' {name}="([^"]*)"', tag)
    return found.group(1) if found else None


def opened(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()  # every pixel decodes
    return picture


def test_a_photo_gets_renditions_in_webp_and_jpeg_for_each_smaller_width(make_site):
    root = site_with(make_site, {"media/ab/photo.jpg": photo(1600, 900)}, {"a1": PHOTO})
    built_ok(root)
    made = renditions(root)
    assert all(re.fullmatch(r"[0-9a-f]{12}-\d+\.(jpg|webp)", name) for name in made)
    shapes = sorted((opened(data).format, opened(data).size) for data in made.values())
    assert shapes == [("JPEG", (320, 180)), ("JPEG", (640, 360)), ("JPEG", (1024, 576)),
                      ("WEBP", (320, 180)), ("WEBP", (640, 360)), ("WEBP", (1024, 576)), ("WEBP", (1600, 900))]
    for data in made.values():
        picture = opened(data)
        assert not picture.getexif() and "exif" not in picture.info, "EXIF (a camera date) left in a rendition"
        assert b"2024:03:01" not in data


def test_the_lead_figure_offers_the_renditions_with_its_size_and_loads_first(make_site):
    root = site_with(make_site, {"media/ab/photo.jpg": photo(1600, 900)}, {"a1": PHOTO})
    built_ok(root)
    html = page(root, "a1")
    figure = re.search(r'<figure class="lead">(.*?)</figure>', html, re.S).group(1)
    source = re.search(r'<source type="image/webp" srcset="([^"]+)" sizes="([^"]+)">', figure)
    assert source, figure
    assert [w for w in re.findall(r" (\d+)w", source.group(1))] == ["320", "640", "1024", "1600"]
    [img] = imgs(figure)
    assert attribute(img, "src").endswith(PHOTO)
    assert re.findall(r"(\S+) (\d+)w", attribute(img, "srcset"))[-1][1] == "1600"
    assert attribute(img, "srcset").split(", ")[-1].endswith(f"{PHOTO} 1600w")
    assert attribute(img, "sizes") == source.group(2)
    assert (attribute(img, "width"), attribute(img, "height")) == ("1600", "900")
    assert attribute(img, "fetchpriority") == "high" and attribute(img, "loading") is None
    assert attribute(img, "decoding") == "async"
    # every rendition a page names is there
    for url in re.findall(r"(/media/r/[^ \"]+) \d+w", figure):
        assert (root / "public" / url.lstrip("/")).is_file(), url


def test_alt_never_repeats_the_caption_or_the_title(make_site):
    """The figcaption describes the picture; screen readers would read an alt holding it twice, and
    the title is the heading right above."""
    root = site_with(make_site, {"media/ab/photo.jpg": photo(800, 450)}, {"a1": PHOTO})
    built_ok(root)
    html = page(root, "a1")
    [img] = imgs(re.search(r'<figure class="lead">(.*?)</figure>', html, re.S).group(1))
    assert attribute(img, "alt") == ""
    assert "<figcaption>" in html and CAPTION in html
    for tag in imgs(html):
        assert CAPTION not in tag and "第1条新闻" not in tag


def test_exif_orientation_is_applied_and_the_page_gives_the_upright_size(make_site):
    # orientation 6: the camera was turned a quarter; the picture is shown 800 wide, 1200 high
    root = site_with(make_site, {"media/ab/photo.jpg": photo(1200, 800, orientation=6)}, {"a1": PHOTO})
    built_ok(root)
    shapes = sorted((opened(data).format, opened(data).size) for data in renditions(root).values())
    assert shapes == [("JPEG", (320, 480)), ("JPEG", (640, 960)),
                      ("WEBP", (320, 480)), ("WEBP", (640, 960)), ("WEBP", (800, 1200))]
    [img] = imgs(re.search(r'<figure class="lead">(.*?)</figure>', page(root, "a1"), re.S).group(1))
    assert (attribute(img, "width"), attribute(img, "height")) == ("800", "1200")


def test_renditions_are_the_same_bytes_every_build_and_made_only_once(make_site):
    root = site_with(make_site, {"media/ab/photo.jpg": photo(1600, 900)}, {"a1": PHOTO})
    built_ok(root)
    first = renditions(root)
    cache = root / ".sitegen" / "images"
    made_at = {p.name: p.stat().st_mtime_ns for p in cache.iterdir() if p.suffix != ".json"}
    assert set(made_at) == set(first)
    shutil.rmtree(root / "public")
    built_ok(root)
    assert renditions(root) == first
    assert {p.name: p.stat().st_mtime_ns for p in cache.iterdir() if p.suffix != ".json"} == made_at, "encoded again"
    shutil.rmtree(root / "public")
    shutil.rmtree(root / ".sitegen")  # a cold build encodes again: the same bytes
    built_ok(root)
    assert renditions(root) == first


def test_what_was_read_is_remembered_and_a_damaged_record_is_read_again(make_site):
    root = site_with(make_site, {"media/ab/photo.jpg": photo(1600, 900)}, {"a1": PHOTO})
    built_ok(root)
    record = root / ".sitegen/images/facts.json"
    stored = json.loads(record.read_text(encoding="utf-8"))
    assert [Path(file).name for file in stored["files"]] == ["photo.jpg"]
    before = page(root, "a1")
    record.write_text("{not json", encoding="utf-8")
    shutil.rmtree(root / "public")
    built_ok(root)
    assert page(root, "a1") == before and json.loads(record.read_text(encoding="utf-8")) == stored


def test_thumbnails_use_the_small_renditions_load_lazily_and_have_a_size(make_site):
    root = site_with(make_site, {"media/ab/photo.jpg": photo(1600, 900)}, {"a1": PHOTO})
    built_ok(root)
    listing = (root / "public/zh-hans/category/guo-ji/index.html").read_text(encoding="utf-8")
    [thumb] = [tag for tag in imgs(listing) if 'class="thumb"' in tag]
    assert attribute(thumb, "loading") == "lazy" and attribute(thumb, "alt") == ""
    assert (attribute(thumb, "width"), attribute(thumb, "height")) == ("1600", "900")
    assert attribute(thumb, "sizes") == "(max-width: 480px) 6rem, 8rem"
    assert re.search(r'<source type="image/webp" srcset="[^"]*-320\.webp 320w', listing)


def test_a_broken_picture_is_one_warning_and_its_pages_show_the_original(make_site):
    pictures = {"media/ab/garbage.jpg": b"\xff\xd8\xff\xe0" + b"not a jpeg at all " * 40,
                "media/ab/cut.jpg": photo(1600, 900)[:6000]}  # a good header, then the pixels stop
    root = site_with(make_site, pictures, {"a1": "/media/ab/garbage.jpg", "b2": "/media/ab/cut.jpg"})
    report = built_ok(root)
    warned = [str(p) for p in report.problems if p.level == "warning"]
    for name in ("garbage.jpg", "cut.jpg"):
        assert len([line for line in warned if name in line]) == 1, warned
        assert any(name in line and "show the original" in line for line in warned)
    for article_id, name in (("a1", "garbage.jpg"), ("b2", "cut.jpg")):
        [img] = imgs(re.search(r'<figure class="lead">(.*?)</figure>', page(root, article_id), re.S).group(1))
        assert attribute(img, "src").endswith(f"/media/ab/{name}") and attribute(img, "srcset") is None
        assert (root / "public/media/ab" / name).is_file()
    assert renditions(root) == {}


def png_claiming(width: int, height: int) -> bytes:
    """A 1×1 PNG whose header claims `width`×`height`: what a decompression bomb looks like to a reader."""
    out = io.BytesIO()
    Image.new("RGB", (1, 1)).save(out, "PNG")
    data = bytearray(out.getvalue())
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


def test_a_decompression_bomb_is_refused_with_a_warning(make_site):
    # 10000×10000 is past Pillow's MAX_IMAGE_PIXELS (a warning there), 30000×30000 past twice it (an error)
    pictures = {"media/ab/bomb.png": png_claiming(10_000, 10_000), "media/ab/big.png": png_claiming(30_000, 30_000)}
    root = site_with(make_site, pictures, {"a1": "/media/ab/bomb.png", "b2": "/media/ab/big.png"})
    report = built_ok(root)
    warned = [str(p) for p in report.problems if p.level == "warning"]
    for name in ("bomb.png", "big.png"):
        assert [line for line in warned if name in line and "too many pixels" in line], warned
    assert renditions(root) == {}


def test_renditions_go_when_no_article_leads_with_the_picture(make_site):
    root = site_with(make_site, {"media/ab/photo.jpg": photo(1600, 900)}, {"a1": PHOTO})
    built_ok(root)
    assert renditions(root)
    edit_settled(root / "content/a1.md", f"image:\n  url: {PHOTO}\n  caption: {CAPTION}\n  credit: 路透社\n", "")
    built_ok(root)
    assert renditions(root) == {} and list((root / ".sitegen/images").iterdir()) == []
    assert "<figure" not in page(root, "a1")


def test_a_picture_changed_under_the_same_name_gives_what_a_clean_build_gives(make_site, tmp_path):
    root = site_with(make_site, {"media/ab/photo.jpg": photo(1600, 900, seed=1)}, {"a1": PHOTO, "b2": PHOTO})
    built_ok(root)
    before = page(root, "a1")
    picture = root / "static/media/ab/photo.jpg"
    picture.write_bytes(photo(1600, 900, seed=2))
    os.utime(picture, (HOUR_AGO + 60, HOUR_AGO + 60))
    built_ok(root)
    assert page(root, "a1") != before  # new rendition names
    cold = tmp_path / "cold"
    shutil.copytree(root, cold, ignore=shutil.ignore_patterns("public", ".sitegen"))
    built_ok(cold)
    assert tree(root / "public") == tree(cold / "public")


SVG_VIEWBOX = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 450"><rect width="800" height="450"/></svg>'


def test_svgs_and_hotlinked_images_get_the_size_that_is_known(make_site):
    leads = {"a1": "/images/box.svg",
             "b2": ("https://img.example/sized.jpg", {"width": 1280, "height": 720}),
             "c3": "https://img.example/unsized.jpg"}
    root = site_with(make_site, {"images/box.svg": SVG_VIEWBOX}, leads)
    built_ok(root)
    sizes = {}
    for article_id in leads:
        [img] = imgs(re.search(r'<figure class="lead">(.*?)</figure>', page(root, article_id), re.S).group(1))
        sizes[article_id] = (attribute(img, "width"), attribute(img, "height"))
        assert attribute(img, "srcset") is None
    assert sizes == {"a1": ("800", "450"), "b2": ("1280", "720"), "c3": (None, None)}
    listing = (root / "public/zh-hans/category/guo-ji/index.html").read_text(encoding="utf-8")
    thumbs = {attribute(tag, "src"): tag for tag in imgs(listing) if 'class="thumb"' in tag}
    unsized = thumbs["https://img.example/unsized.jpg"]
    assert attribute(unsized, "loading") == "lazy" and attribute(unsized, "width") is None
    assert attribute(thumbs["https://img.example/sized.jpg"], "width") == "1280"


def test_svg_sizes_are_read_from_width_and_height_else_the_viewbox():
    assert svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="120px" height="80"/>') == (120, 80)
    assert svg_size(b'<svg xmlns="http://www.w3.org/2000/svg" width="100%" viewBox="0,0,640,360"/>') == (640, 360)
    assert svg_size(b'<svg xmlns="http://www.w3.org/2000/svg"/>') == (0, 0)
    bomb = (b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg">&b;</svg>')
    try:
        svg_size(bomb)
    except ImageProblem:
        pass
    else:
        raise AssertionError("an SVG declaring entities was read")


def test_a_small_picture_or_a_gif_gets_no_renditions_but_its_size():
    small = io.BytesIO()
    Image.new("RGB", (300, 200)).save(small, "PNG")
    gif = io.BytesIO()
    Image.new("P", (900, 600)).save(gif, "GIF")
    for data, size in ((small.getvalue(), (300, 200)), (gif.getvalue(), (900, 600))):
        facts = read_facts("/a", data)
        assert (facts.width, facts.height, facts.renditions) == (*size, ())
