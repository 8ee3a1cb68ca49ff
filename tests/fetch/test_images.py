"""Storing article images against a real HTTP server on 127.0.0.1 serving tests/data/images."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Iterator

import pytest

from sitegen.fetch.http import HttpClient, Limits
from sitegen.fetch.images import image_type, store_images
from tests.feedserver import FeedServer

IMAGES = Path(__file__).resolve().parent.parent / "data" / "images"


@pytest.fixture(scope="module")
def images() -> Iterator[FeedServer]:
    """tests/data/images over HTTP; `?type=…` sets a file's Content-Type; requests are logged."""
    with FeedServer(IMAGES) as server:
        yield server


@pytest.fixture
def images_url(images) -> str:
    return images.url()


@pytest.fixture
def client(images) -> Iterator[HttpClient]:
    images.log.clear()
    with HttpClient("https://news.example.org/", Limits(retries=0)) as c:
        yield c


def site_path(name: str, extension: str) -> str:
    """Where a fixture's bytes belong: /media/<2 hex>/<24 hex>.<ext>."""
    digest = hashlib.sha256((IMAGES / name).read_bytes()).hexdigest()
    return f"/media/{digest[:2]}/{digest[:24]}.{extension}"


def stored_files(static: Path) -> list[Path]:
    return sorted(p for p in static.rglob("*") if p.is_file())


def test_body_and_lead_images_are_stored_under_content_addressed_names(client, images_url, tmp_path):
    u = images_url
    body = (f"导语。\n\n![红点]({u}pixel.png)\n\n图片说明。\n\n![绿点]({u}pixel.gif \"标题\") 与 ![蓝点](<{u}pixel.jpg>)\n\n"
            f"> ![引用中的图]({u}pixel.webp)\n\n- ![列表中的图]({u}pixel.avif)\n")
    result = store_images(body, u + "jpeg-named-photo.bin?type=application/octet-stream", client, tmp_path)
    assert result.problems == ()
    assert result.markdown == (
        f"导语。\n\n![红点]({site_path('pixel.png', 'png')})\n\n图片说明。\n\n"
        f"![绿点]({site_path('pixel.gif', 'gif')} \"标题\") 与 ![蓝点](<{site_path('pixel.jpg', 'jpg')}>)\n\n"
        f"> ![引用中的图]({site_path('pixel.webp', 'webp')})\n\n- ![列表中的图]({site_path('pixel.avif', 'avif')})\n")
    assert result.image_url == site_path("jpeg-named-photo.bin", "jpg")  # the bytes name the type, not the URL
    for name, extension in (("pixel.png", "png"), ("pixel.gif", "gif"), ("pixel.jpg", "jpg"),
                            ("pixel.webp", "webp"), ("pixel.avif", "avif"), ("jpeg-named-photo.bin", "jpg")):
        assert (tmp_path / site_path(name, extension).lstrip("/")).read_bytes() == (IMAGES / name).read_bytes()
    assert len(stored_files(tmp_path)) == 6


def test_an_image_used_twice_and_as_lead_is_fetched_and_stored_once(client, images, images_url, tmp_path):
    png = images_url + "pixel.png"
    result = store_images(f"![一]({png})\n\n![二]({png})\n", png, client, tmp_path)
    stored = site_path("pixel.png", "png")
    assert result.markdown == f"![一]({stored})\n\n![二]({stored})\n" and result.image_url == stored
    assert [r.path for r in images.log] == ["/pixel.png"]
    assert len(stored_files(tmp_path)) == 1


def test_a_second_run_rewrites_nothing(client, images_url, tmp_path):
    body = f"![红点]({images_url}pixel.png)\n\n![绿点]({images_url}pixel.gif)\n"
    first = store_images(body, "", client, tmp_path)
    files = stored_files(tmp_path)
    for path in files:  # an old mtime, so any rewrite would show
        os.utime(path, ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    second = store_images(body, "", client, tmp_path)
    assert second == first
    assert stored_files(tmp_path) == files
    assert {path.stat().st_mtime_ns for path in files} == {1_000_000_000_000_000_000}


def test_refused_and_failed_images_keep_their_remote_url(client, images_url, tmp_path):
    u = images_url
    body = (f"![矢量图]({u}drawing.svg?type=image/svg%2Bxml)\n\n![假图]({u}not-really-a.jpg)\n\n"
            f"![大图]({u}noise-32x32.png)\n\n![已删除]({u}gone.png)\n\n![好图]({u}pixel.png)\n")
    result = store_images(body, u + "gone.png", client, tmp_path, max_bytes=2048)
    assert result.problems == (
        f"{u}drawing.svg?type=image/svg%2Bxml: refused: an SVG drawing (it can carry script); "
        "only JPEG, PNG, GIF, WebP or AVIF images are stored",
        f"{u}not-really-a.jpg: refused: an HTML or XML document; "
        "only JPEG, PNG, GIF, WebP or AVIF images are stored",
        f"{u}noise-32x32.png: larger than the 2,048-byte limit (3,172 bytes)",
        f"{u}gone.png: HTTP 404 Not Found",
    )
    assert result.markdown == body.replace(f"{u}pixel.png", site_path("pixel.png", "png"))
    assert result.image_url == u + "gone.png"
    assert stored_files(tmp_path) == [tmp_path / site_path("pixel.png", "png").lstrip("/")]


def test_only_image_destinations_change(client, images_url, tmp_path):
    png = images_url + "pixel.png"
    body = (f"原图地址 `{png}`，写法 `![图]({png})`，[查看大图]({png})。\n\n"
            f"```\n![图]({png})\n```\n\n    ![图]({png})\n\n![图]({png})\n")
    result = store_images(body, "", client, tmp_path)
    last = f"![图]({png})\n"
    assert result.markdown == body[:-len(last)] + f"![图]({site_path('pixel.png', 'png')})\n"


def test_a_destination_written_differently_from_its_parsed_url_is_still_found(client, images_url, tmp_path):
    body = f"![图]({images_url}pixel.png?说明=图片&amp;x=1)\n"  # the parser percent-encodes and unescapes it
    result = store_images(body, "", client, tmp_path)
    assert result.problems == () and result.markdown == f"![图]({site_path('pixel.png', 'png')})\n"


def test_local_and_data_images_and_an_empty_lead_are_left_alone(client, images, tmp_path):
    body = "![本站图](/media/ab/cd.png)\n\n![内嵌](data:image/png;base64,iVBORw0KGgo=)\n"
    result = store_images(body, "", client, tmp_path)
    assert (result.markdown, result.image_url, result.problems) == (body, "", ())
    assert images.log == [] and stored_files(tmp_path) == []


@pytest.mark.parametrize(("name", "expected"), [
    ("pixel.png", "png"), ("pixel.gif", "gif"), ("pixel.jpg", "jpg"), ("pixel.webp", "webp"),
    ("pixel.avif", "avif"), ("jpeg-named-photo.bin", "jpg"), ("drawing.svg", None), ("not-really-a.jpg", None)])
def test_image_type_reads_the_bytes(name, expected):
    assert image_type((IMAGES / name).read_bytes()) == expected


def test_avif_is_known_by_a_compatible_brand_too():
    ftyp = (28).to_bytes(4, "big") + b"ftypmif1" + b"\0\0\0\0" + b"mif1miafavif"
    assert image_type(ftyp) == "avif"
    assert image_type((20).to_bytes(4, "big") + b"ftypheic\0\0\0\0mif1") is None
