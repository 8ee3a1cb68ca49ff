"""The built demo site in a real headless Chromium: script switch, clean pages, CJK glyphs, screenshots.

Debian's /usr/bin/chromium driven by the `playwright` package; never a downloaded browser
(`playwright install` fails on these machines). `python3 dev.py test`, run as root, installs
chromium and fonts-noto-cjk. Missing either (or playwright) is a loud skip on a developer's
machine and a failure on CI, which must run these tests.

Screenshots go to .test-artifacts/screenshots/ (git-ignored), where a person can look at them.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser import SCREENSHOT_FOLDER
from tests.browser.helpers import built_and_served, cjk_font_installed, require
from tests.helpers import REPO, copy_demo_site

try:
    from playwright.sync_api import Page, expect
except ImportError:  # reported by the `browser` fixture
    Page = expect = None

# Warnings raised inside Playwright's own modules are shown, not turned into errors
# (the suite runs with filterwarnings = error); none is known to occur today.
pytestmark = [pytest.mark.filterwarnings("default:::playwright"),
              pytest.mark.filterwarnings("default:::pyee"),
              pytest.mark.filterwarnings("default:::greenlet")]

SCREENSHOTS = REPO / ".test-artifacts" / "screenshots"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

ARTICLE = "2023/0915/1954134.html"
TITLE = {"zh-Hant": "朝俄加強軍事關係 中共態度曖昧含糊", "zh-Hans": "朝俄加强军事关系 中共态度暧昧含糊"}
VARIANT_PATH = {"zh-Hant": "/zh-hant/", "zh-Hans": "/zh-hans/"}
WIDTHS = {"desktop": {"viewport": {"width": 1280, "height": 800}},
          "phone": {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 2,
                    "is_mobile": True, "has_touch": True}}
# name of the screenshot -> path on the site
PAGES = {"root": "/",
         "home-zh-hant": "/zh-hant/", "home-zh-hans": "/zh-hans/",
         "article-zh-hant": f"/zh-hant/{ARTICLE}", "article-zh-hans": f"/zh-hans/{ARTICLE}"}


@pytest.fixture(scope="module")
def site_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The repository's demo site, built into tmp and served by sitegen's preview server."""
    root = copy_demo_site(tmp_path_factory.mktemp("demo") / "site")
    with built_and_served(root) as url:
        yield url


@pytest.fixture(scope="module")
def screenshots(request: pytest.FixtureRequest) -> Path:
    """The stable screenshot folder, emptied of the last run's pictures."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    request.config.stash[SCREENSHOT_FOLDER] = SCREENSHOTS
    return SCREENSHOTS


def expect_article(page: Page, site_url: str, variant: str) -> None:
    expect(page).to_have_url(f"{site_url}{VARIANT_PATH[variant]}{ARTICLE}")
    expect(page.locator("html")).to_have_attribute("lang", variant)
    expect(page.locator("h1")).to_have_text(TITLE[variant])


def test_script_switch_leads_to_the_same_article_and_back(open_page, site_url):
    page, watch = open_page(**WIDTHS["desktop"])
    page.goto(f"{site_url}/zh-hant/{ARTICLE}")
    expect_article(page, site_url, "zh-Hant")
    for variant in ("zh-Hans", "zh-Hant"):
        # By hreflang, not by the nav's class, so the test outlives template changes.
        page.locator(f'a[hreflang="{variant}"]').first.click()
        expect_article(page, site_url, variant)
        page.wait_for_load_state("load")
    assert watch.problems == []


@pytest.mark.parametrize("locale, home", [("zh-TW", "/zh-hant/"), ("zh-HK", "/zh-hant/"), ("zh-CN", "/zh-hans/"),
                                          ("en-US", "/")])
def test_root_page_sends_readers_to_their_script(open_page, site_url, locale, home):
    page, watch = open_page(locale=locale, **WIDTHS["desktop"])
    page.goto(f"{site_url}/")
    expect(page).to_have_url(f"{site_url}{home}")
    page.wait_for_load_state("load")
    assert watch.problems == []


def test_the_chosen_script_is_remembered(open_page, site_url):
    page, watch = open_page(locale="zh-TW", **WIDTHS["desktop"])
    page.goto(f"{site_url}/zh-hant/{ARTICLE}")
    page.locator('a[hreflang="zh-Hans"]').first.click()
    expect_article(page, site_url, "zh-Hans")
    page.goto(f"{site_url}/")
    expect(page).to_have_url(f"{site_url}/zh-hans/")  # the choice beats the browser's zh-TW
    page.wait_for_load_state("networkidle")  # leaving earlier aborts its lazy images: not a site problem
    page.goto(f"{site_url}/?choose")
    expect(page.locator("#script-choice a")).to_have_count(2)  # the chooser stays when asked for
    assert watch.problems == []


@pytest.mark.parametrize("variant", ["zh-Hant", "zh-Hans"])
def test_chinese_text_is_drawn_with_a_cjk_font(open_page, site_url, variant):
    require(cjk_font_installed(), "no Noto Sans CJK font (Debian package fonts-noto-cjk)")
    page, watch = open_page(**WIDTHS["desktop"])
    page.goto(f"{site_url}{VARIANT_PATH[variant]}{ARTICLE}")
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    fonts = {}
    for selector in ("h1", "main p"):
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        used = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
        fonts[selector] = {font["familyName"]: font["glyphCount"] for font in used}
    print(f"{variant} fonts used: {fonts}")
    # Noto Sans CJK SC has the Simplified glyph forms (and comma placement), TC/HK the Traditional:
    # fontconfig picks by <html lang>, unless the theme's font-family forces one.
    forms = ("SC",) if variant == "zh-Hans" else ("TC", "HK")
    for selector, used in fonts.items():
        assert any("CJK" in family and family.endswith(forms) for family in used), \
            f"{selector} on a {variant} page is drawn without a CJK {'/'.join(forms)} font: {used}"
    assert watch.problems == []


@pytest.mark.parametrize("width", list(WIDTHS))
def test_screenshots(open_page, site_url, screenshots, width):
    page, watch = open_page(**WIDTHS[width])
    print(f"screenshots: {screenshots}")
    for name, path in PAGES.items():
        page.goto(f"{site_url}{path}")
        page.wait_for_load_state("load")
        shot = screenshots / f"{name}-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        data = shot.read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 1000, f"{shot} is not a PNG picture"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px wider than the {width} window"
    assert watch.problems == []
