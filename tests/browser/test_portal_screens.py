"""The built demo site as readers see it, screen by screen, in headless Chromium: home, a category,
an article and the 404 page of each script, and the root chooser and its 404, each at 1280×800 and
390×844, light and dark. Every screen is photographed (.test-artifacts/screenshots/portal/, for a
person to look at), must not scroll sideways, and must pass axe-core with no violation; the front
page must show at least eight stories and one large picture before any scrolling.

axe-core comes from node_modules/ (package-lock.json; `python3 dev.py test` installs it with npm).
Without it, or without Chromium, the test is a loud skip on a developer's machine and fails on CI.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import SCREENSHOT_FOLDER
from tests.browser.helpers import Watch, built_and_served, require
from tests.helpers import REPO, copy_demo_site

pytestmark = [pytest.mark.filterwarnings("default:::playwright"),
              pytest.mark.filterwarnings("default:::pyee"),
              pytest.mark.filterwarnings("default:::greenlet")]

AXE = REPO / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPO / ".test-artifacts" / "screenshots" / "portal"
VIEWPORTS = {"1280": {"viewport": {"width": 1280, "height": 800}},
             "390": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                     "is_mobile": True, "has_touch": True}}
SCHEMES = ("light", "dark")
VARIANTS = ("zh-hant", "zh-hans")
SCREENS = {"home": "", "category": "category/she-hui/", "article": "2023/0915/1954134.html", "404": "404.html"}
"""Each variant's screens, by name: their paths under the variant's folder."""
ROOT_SCREENS = {"root": "/", "root-404": "/404.html"}
STORY_PATH = r"/\d{4}/\d{4}/[^/]+\.html$"
"""An article's permalink in the demo site (/{year}/{month}{day}/{id}.html)."""

LOAD_EVERY_IMAGE = """async () => {
  for (const img of document.images) img.loading = "eager";
  await Promise.all([...document.images].map(img => img.decode().catch(() => null)));
}"""
RUN_AXE = """async () => (await axe.run(document, {resultTypes: ["violations"]})).violations.map(v =>
  `${v.id} (${v.impact}): ${v.help}: ` + v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "))"""
FIRST_VIEW = """([width, height, story]) => {
  const inView = e => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0 && r.bottom <= height && r.right <= width; };
  const titles = [...document.querySelectorAll("main a[href]")]
    .filter(a => new RegExp(story).test(new URL(a.href).pathname) && a.textContent.trim() && inView(a));
  const pictures = [...document.querySelectorAll("main img")]
    .filter(img => img.complete && img.naturalWidth > 0 && inView(img));
  return {stories: new Set(titles.map(a => a.href)).size,
          widest: Math.max(0, ...pictures.map(img => img.getBoundingClientRect().width))};
}"""


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's demo site, built once into tmp and served on 127.0.0.1."""
    root = copy_demo_site(tmp_path_factory.mktemp("portal") / "site")
    with built_and_served(root) as url:
        yield url


@pytest.fixture(scope="module")
def screenshots(request: pytest.FixtureRequest) -> Path:
    """This module's screenshot folder, emptied of the last run's pictures (named at the end of the run)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    request.config.stash[SCREENSHOT_FOLDER] = SCREENSHOTS.parent
    return SCREENSHOTS


def every_screen() -> dict[str, str]:
    """Screen name -> path on the site."""
    screens = {f"{name}-{variant}": f"/{variant}/{path}" for variant in VARIANTS for name, path in SCREENS.items()}
    return {**screens, **ROOT_SCREENS}


def problems_on(page, name: str, width: str) -> list[str]:
    """What is wrong with the screen `page` shows: sideways scrolling, axe-core's violations."""
    found = []
    scroll, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    if scroll > client:
        found.append(f"{name} at {width}px: scrolls sideways ({scroll}px of content in {client}px)")
    found += [f"{name} at {width}px: axe: {violation}" for violation in page.evaluate(RUN_AXE)]
    return found


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_every_screen_fits_and_passes_axe(browser, site_url, screenshots, width, scheme):
    require(AXE.exists(), f"{AXE.relative_to(REPO)} is missing (`npm ci` installs axe-core from package-lock.json)")
    context = browser.new_context(locale="en-US", color_scheme=scheme, **VIEWPORTS[width])
    try:
        watch = Watch(context)
        # An init script runs before the page's own and outside its Content-Security-Policy, which
        # would refuse an injected <script>: the CSP stays on, so a page breaking it shows as an error.
        context.add_init_script(path=str(AXE))
        page, problems = context.new_page(), []
        for name, path in every_screen().items():
            page.goto(f"{site_url}{path}")
            page.wait_for_load_state("load")
            page.evaluate(LOAD_EVERY_IMAGE)
            page.screenshot(path=str(screenshots / f"{name}-{width}-{scheme}.png"), full_page=True)
            problems += problems_on(page, name, width)
        assert problems == [], "\n".join(problems)
        assert watch.problems == []
    finally:
        context.close()


@pytest.mark.parametrize("variant", VARIANTS)
def test_the_front_page_shows_eight_stories_and_a_large_picture_before_scrolling(browser, site_url, variant):
    context = browser.new_context(locale="en-US", **VIEWPORTS["1280"])
    try:
        watch, page = Watch(context), context.new_page()
        page.goto(f"{site_url}/{variant}/")
        page.wait_for_load_state("load")
        page.evaluate(LOAD_EVERY_IMAGE)
        seen = page.evaluate(FIRST_VIEW, [1280, 800, STORY_PATH])
        print(f"{variant} front page, first 1280×800 view: {json.dumps(seen)}")
        assert seen["stories"] >= 8, f"only {seen['stories']} stories' titles in the first view"
        assert seen["widest"] >= 400, f"the widest picture in the first view is {seen['widest']}px wide"
        assert watch.problems == []
    finally:
        context.close()
