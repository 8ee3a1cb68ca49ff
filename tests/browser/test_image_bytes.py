"""A phone loading the home page downloads small renditions, not the full-size photos: the demo
site with its pictures replaced by photo-like JPEGs (2000×1125, as `images = "download"` stores
them), loaded in headless Chromium as a 390×844 phone at 3× and scrolled to the bottom, must
receive less than a third of the image bytes the full-size originals of the same pictures weigh
(what the page loaded before renditions: every thumbnail was its original, scaled by CSS)."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.browser.helpers import built_and_served
from tests.helpers import copy_demo_site, photo

pytestmark = [pytest.mark.filterwarnings("default:::playwright"),
              pytest.mark.filterwarnings("default:::pyee"),
              pytest.mark.filterwarnings("default:::greenlet")]

PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
LEAD = re.compile(r"^(  url: )(/images/demo/[^\n]+\.svg)$", re.M)


def with_photos(root: Path) -> dict[str, Path]:
    """Each article's lead picture replaced by a photo stored as a download is (static/media/ab/
    <digest>.jpg), its front matter pointed at it; the photos by site path."""
    originals = {}
    for seed, file in enumerate(sorted((root / "content").rglob("*.md"))):
        text = file.read_text(encoding="utf-8")
        if not LEAD.search(text):
            continue
        data = photo(2000, 1125, seed=seed)
        digest = hashlib.sha256(data).hexdigest()
        path = f"/media/{digest[:2]}/{digest[:24]}.jpg"
        (root / "static" / path.lstrip("/")).parent.mkdir(parents=True, exist_ok=True)
        (root / "static" / path.lstrip("/")).write_bytes(data)
        file.write_text(LEAD.sub(lambda m: m.group(1) + path, text, count=1), encoding="utf-8")
        originals[path] = root / "static" / path.lstrip("/")
    assert len(originals) >= 10, "the demo site should lead with pictures"
    return originals


@pytest.fixture(scope="module")
def photo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, Path]]]:
    """The demo site with photos, built and served: (its URL, the originals by site path)."""
    root = copy_demo_site(tmp_path_factory.mktemp("photos") / "site")
    originals = with_photos(root)
    with built_and_served(root, quiet=False) as url:
        yield url, originals


def scroll_to_the_bottom(page) -> None:  # noqa: ANN001 - a Playwright Page
    """Scroll a screen at a time, as a reader does, so every lazy picture is asked for."""
    for _ in range(100):
        at_bottom = page.evaluate("() => { window.scrollBy(0, window.innerHeight * 0.8);"
                                  " return window.innerHeight + window.scrollY >= document.body.scrollHeight - 2; }")
        page.wait_for_timeout(100)
        if at_bottom:
            break
    page.wait_for_load_state("networkidle")


def test_a_phone_loads_under_a_third_of_the_full_size_image_bytes(open_page, photo_site):
    url, originals = photo_site
    page, watch = open_page(**PHONE)
    responses = []
    page.on("response", lambda response: response.request.resource_type == "image" and responses.append(response))
    page.goto(f"{url}/zh-hant/", wait_until="load")
    scroll_to_the_bottom(page)
    shown = page.evaluate("() => [...document.querySelectorAll('main img')].map(i => "
                          "({src: new URL(i.getAttribute('src'), location.href).pathname, done: i.complete,"
                          " width: i.naturalWidth}))")
    assert not watch.problems, watch.problems
    received = [(urlsplit(response.url).path, len(response.body())) for response in responses]
    assert shown and all(img["done"] and img["width"] > 0 for img in shown), shown
    pictures = {img["src"] for img in shown if img["src"] in originals}
    assert pictures, "the home page shows none of the photos"
    before = sum(originals[src].stat().st_size for src in pictures)  # each thumbnail was its original
    now = sum(size for _, size in received)
    print(f"\nhome page on a phone (390×844 at 3×), {len(pictures)} photos: {now:,} image bytes received "
          f"with renditions, {before:,} for the full-size originals ({now / before:.1%})")
    assert not [address for address, _ in received if address in originals], "a full-size original was loaded"
    assert now < before / 3
