"""No page scrolls sideways on a phone, whatever its articles hold: the demo site plus articles
with a 200-character URL as link text, a 100-letter word, a 12-column table, a 2000px-wide image,
a 200-column code line (tests/site/awkward.py), measured in headless Chromium at 320 and 390 px."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.browser.helpers import built_and_served
from tests.helpers import copy_demo_site
from tests.site.awkward import add_awkward_articles

pytestmark = [pytest.mark.filterwarnings("default:::playwright"),
              pytest.mark.filterwarnings("default:::pyee"),
              pytest.mark.filterwarnings("default:::greenlet")]

VARIANTS = ("/zh-hant/", "/zh-hans/")
LISTS = ("", "category/jun-zheng/", "tag/zhang-wang-zhi/")
"""The home page and two list pages that carry the awkward articles' titles and summaries."""


@pytest.fixture(scope="module")
def awkward_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, str]]]:
    """The demo site with the awkward articles, served: (its URL, article id -> path in a variant)."""
    root = copy_demo_site(tmp_path_factory.mktemp("awkward") / "site")
    paths = add_awkward_articles(root)
    with built_and_served(root) as url:
        yield url, paths


@pytest.mark.parametrize("width", [320, 390])
def test_no_page_is_wider_than_a_phone(open_page, awkward_site, width):
    site_url, paths = awkward_site
    page, watch = open_page(viewport={"width": width, "height": 800}, device_scale_factor=2,
                            is_mobile=True, has_touch=True)
    too_wide = []
    for variant in VARIANTS:
        for path in [*LISTS, *paths.values()]:
            page.goto(f"{site_url}{variant}{path}")
            page.wait_for_load_state("load")
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
            assert client == width, f"{variant}{path}: the page is laid out {client}px wide, not {width}px"
            if scroll > client:
                too_wide.append(f"{variant}{path}: {scroll}px")
            # List entries hide what overflows them: a long title must wrap, not be cut off.
            clipped = page.evaluate("[...document.querySelectorAll('.article-list li')]"
                                    ".filter(e => e.scrollWidth > e.clientWidth).length")
            if clipped:
                too_wide.append(f"{variant}{path}: {clipped} list entries cut off")
    assert too_wide == [], f"wider than the {width}px screen"
    assert watch.problems == []


def test_wide_content_scrolls_inside_its_own_box(open_page, awkward_site):
    """The table and the code line are still whole: they scroll, they are not cut or squeezed."""
    site_url, paths = awkward_site
    page, watch = open_page(viewport={"width": 320, "height": 800}, is_mobile=True)
    page.goto(f"{site_url}/zh-hant/{paths['wide-table']}")
    box = page.locator(".body .table-scroll")
    assert box.evaluate("e => e.scrollWidth > e.clientWidth && getComputedStyle(e).overflowX == 'auto'")
    assert box.evaluate("e => e.querySelector('td').textContent") == "1234567"
    one_line = "e => { const r = document.createRange(); r.selectNodeContents(e); return r.getClientRects().length }"
    assert page.locator(".body td").first.evaluate(one_line) == 1  # kept whole, not squeezed to a digit a line
    page.goto(f"{site_url}/zh-hant/{paths['long-pre']}")
    assert page.locator(".body pre").evaluate("e => e.scrollWidth > e.clientWidth")
    page.goto(f"{site_url}/zh-hant/{paths['wide-image']}")
    for image in page.locator("main img").all():
        assert image.evaluate("e => e.complete && e.naturalWidth == 2000 && e.clientWidth <= 320")
    assert watch.problems == []
