"""Live reload of `sitegen serve`, end to end: a real `sitegen serve` process, a real headless Chromium.

The test edits the site's files the way an editor does and then only waits: every change on the
page comes from the injected reload script (the test never calls reload() or goto() after an edit).
Same Chromium, launch arguments and CI rule as the browser tests (tests/browser/helpers.py): a missing
browser is a loud skip on a developer's machine and a failure on CI.
"""

from __future__ import annotations

import re
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import Watch
from tests.helpers import REPO, edit
from tests.serve.helpers import (
    ARTICLE_FILE,
    HANS_PAGE,
    HANT_PAGE,
    OLD_SENTENCE,
    RELOAD_SCRIPT,
    SitegenServe,
    tracebacks,
)

try:
    from playwright.sync_api import Browser, Page, expect
except ImportError:  # the `browser` fixture reports it (skip, or fail on CI)
    Browser = Page = expect = None

pytestmark = [pytest.mark.filterwarnings("default:::playwright"),
              pytest.mark.filterwarnings("default:::pyee"),
              pytest.mark.filterwarnings("default:::greenlet")]

THEME = REPO / "sitegen" / "theme"
MARKER = {"zh-Hant": "編輯剛剛改寫了這一句：測試標記甲乙丙，說明檔案已經更新。",
          "zh-Hans": "编辑刚刚改写了这一句：测试标记甲乙丙，说明档案已经更新。"}
TITLE_HANT = "朝俄加強軍事關係 中共態度曖昧含糊"
WAIT_MS = 15_000


CLIENT_GONE = ("ConnectionResetError", "BrokenPipeError")
"""A browser that reloads or closes a tab drops its connections; test_hammer.py holds the server to
printing no traceback for that, the tests here to printing none for anything else."""


def assert_public_has_no_reload_script(site: Path, require_pages: bool = True) -> None:
    pages = list((site / "public").rglob("*.html"))
    assert pages or not require_pages, "public/ holds no pages"
    dirty = [str(p.relative_to(site)) for p in pages if b"__sitegen" in p.read_bytes()]
    assert dirty == [], f"the reload script was written into public/: {dirty[:5]}"
    assert not list((site / "public").rglob("*reload.js*")), "reload.js was written into public/"


# --- fixtures ------------------------------------------------------------------------------------------------------


@pytest.fixture
def site(demo_site: Path) -> Path:
    """A copy of the repository's demo site in tmp (tests/conftest.py)."""
    return demo_site


@pytest.fixture
def start_serving(site: Path) -> Iterator[Callable[[], SitegenServe]]:
    """Start `sitegen serve` on the test's site (after the test has prepared it); stopped afterwards,
    and its output must hold no traceback."""
    servers: list[SitegenServe] = []

    def start() -> SitegenServe:
        servers.append(SitegenServe(site))
        return servers[-1]

    yield start
    for server in servers:
        output = server.stop()
        assert [t for t in tracebacks(server.lines) if not t.startswith(CLIENT_GONE)] == [], output
        assert_public_has_no_reload_script(site, require_pages=False)


@pytest.fixture
def context(browser: Browser):
    ctx = browser.new_context(viewport={"width": 1280, "height": 800})
    watch = Watch(ctx)
    try:
        yield ctx, watch
    finally:
        ctx.close()


def problems(watch: Watch) -> list[str]:
    """What went wrong in the browser, less what a live reload does by design: a page that reloads
    aborts its own event stream (and, when it is fast, the stylesheet it was still loading)."""
    benign = re.compile(r"^request failed: http://127\.0\.0\.1:\d+/(__sitegen/events|css/sitegen\.css\S*) "
                        r"\(net::ERR_ABORTED\)$")
    return [p for p in watch.problems if not benign.match(p)]


def open_tab(ctx, server: SitegenServe, path: str) -> Page:
    page = ctx.new_page()
    page.goto(server.url + path)
    page.wait_for_load_state("load")
    # The reload script is on the page (only served pages have it) and its stream is open.
    expect(page.locator('script[src$="/__sitegen/reload.js"]')).to_have_count(1)
    return page


def stylesheet_href(page: Page) -> str:
    hrefs = page.eval_on_selector_all('link[rel="stylesheet"]', "links => links.map(l => l.href)")
    assert len(hrefs) == 1, hrefs
    return hrefs[0]


def has_marker(page: Page) -> bool:
    return page.evaluate("window.__marker") == 1


# --- tests ---------------------------------------------------------------------------------------------------------


def test_an_article_edit_shows_in_both_scripts_without_reloading_by_hand(site, start_serving, context):
    ctx, watch = context
    server = start_serving()
    hant, hans = open_tab(ctx, server, HANT_PAGE), open_tab(ctx, server, HANS_PAGE)
    expect(hant.locator("main")).to_contain_text(OLD_SENTENCE)
    for page in (hant, hans):
        page.evaluate("window.__marker = 1")

    edit(site / ARTICLE_FILE, lambda text: text.replace(OLD_SENTENCE, MARKER["zh-Hant"], 1))

    expect(hant.locator("main .body")).to_contain_text(MARKER["zh-Hant"], timeout=WAIT_MS)
    expect(hans.locator("main .body")).to_contain_text(MARKER["zh-Hans"], timeout=WAIT_MS)
    expect(hant.locator("main .body")).not_to_contain_text(OLD_SENTENCE)
    expect(hans.locator("main .body")).not_to_contain_text(MARKER["zh-Hant"])  # converted, not copied
    assert not has_marker(hant) and not has_marker(hans), "the pages changed without being reloaded?"
    assert server.get(HANT_PAGE)[0] == 200
    assert problems(watch) == []


def test_a_new_template_override_shows_on_the_open_page(site, start_serving, context):
    ctx, watch = context
    assert not (site / "templates" / "article.html").exists()
    server = start_serving()
    page = open_tab(ctx, server, HANT_PAGE)
    expect(page.locator("#live-marker")).to_have_count(0)

    template = (THEME / "templates" / "article.html").read_text(encoding="utf-8")
    with_marker = template.replace("<h1>{{ a.title }}</h1>",
                                   '<h1>{{ a.title }}</h1>\n  <p id="live-marker">模板已更新</p>', 1)
    assert with_marker != template
    (site / "templates" / "article.html").write_text(with_marker, encoding="utf-8")

    expect(page.locator("#live-marker")).to_have_text("模板已更新", timeout=WAIT_MS)
    expect(page.locator("h1")).to_have_text(TITLE_HANT)
    assert problems(watch) == []


def test_a_css_change_restyles_the_page_without_reloading_it(site, start_serving, context):
    ctx, watch = context
    css = site / "static" / "css" / "sitegen.css"
    css.parent.mkdir(parents=True)
    shutil.copy(THEME / "static" / "css" / "sitegen.css", css)  # the site's own copy of the theme's
    server = start_serving()
    page = open_tab(ctx, server, HANT_PAGE)
    h1 = page.locator("h1")
    expect(h1).to_have_text(TITLE_HANT)
    before = h1.evaluate("e => getComputedStyle(e).color")
    assert before != "rgb(1, 2, 3)"
    page.evaluate("window.__marker = 1")

    edit(css, lambda text: text + "\nh1 { color: rgb(1, 2, 3) }\n")
    expect(h1).to_have_css("color", "rgb(1, 2, 3)", timeout=WAIT_MS)
    assert has_marker(page), "the page was reloaded for a CSS-only change"

    # More changes: every swap must point the link at the stylesheet again, not at a missing URL.
    for color in ("rgb(4, 5, 6)", "rgb(7, 8, 9)"):
        before_href = stylesheet_href(page)
        edit(css, lambda text, color=color: re.sub(r"h1 \{ color: rgb\([^)]*\) \}", f"h1 {{ color: {color} }}", text))
        page.wait_for_function("h => document.querySelector('link[rel=stylesheet]').href !== h", arg=before_href,
                               timeout=WAIT_MS, polling=20)
        href = stylesheet_href(page)
        status = server.get(href[len(server.url):])[0]
        assert status == 200, (f"after the CSS change to {color} the stylesheet link became {href}, "
                               f"HTTP {status}: the page lost its styles (it was {before_href})")
        assert href.count("sitegen-epoch=") == 1, href
        expect(h1).to_have_css("color", color, timeout=WAIT_MS)
        assert has_marker(page), "the page was reloaded for a CSS-only change"

    status, headers, body = server.get("/css/sitegen.css")
    assert status == 200 and b"rgb(7, 8, 9)" in body and headers["content-type"].startswith("text/css")
    assert problems(watch) == []


def test_a_broken_template_shows_an_overlay_over_the_last_good_page_until_fixed(site, start_serving, context):
    ctx, watch = context
    template = (THEME / "templates" / "article.html").read_text(encoding="utf-8")

    def version(marker: str) -> str:
        return template.replace("<h1>{{ a.title }}</h1>",
                                f'<h1>{{{{ a.title }}}}</h1>\n  <p id="live-marker">{marker}</p>', 1)

    override = site / "templates" / "article.html"
    override.write_text(version("好版本一"), encoding="utf-8")
    server = start_serving()
    page = open_tab(ctx, server, HANT_PAGE)
    expect(page.locator("#live-marker")).to_have_text("好版本一")
    overlay = page.locator("#sitegen-error")
    expect(overlay).to_have_count(0)

    mark = server.mark()
    edit(override, lambda text: text.replace('<p id="live-marker">', '<p id="live-marker">{{ page.nope }', 1))
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text("article.html")
    server.wait_for_line(r"^build failed", since=mark)
    # Underneath: the last good page, still served as it was (public/ kept the last good build).
    expect(page.locator("#live-marker")).to_have_text("好版本一")
    expect(page.locator("h1")).to_have_text(TITLE_HANT)
    status, _, body = server.get(HANT_PAGE)
    assert status == 200 and "好版本一".encode() in body

    # A tab opened while the build is broken shows the overlay at once.
    late = open_tab(ctx, server, HANT_PAGE)
    expect(late.locator("#sitegen-error")).to_contain_text("article.html", timeout=WAIT_MS)
    expect(late.locator("#live-marker")).to_have_text("好版本一")

    override.write_text(version("修好了版本二"), encoding="utf-8")
    for tab in (page, late):
        expect(tab.locator("#live-marker")).to_have_text("修好了版本二", timeout=WAIT_MS)
        expect(tab.locator("#sitegen-error")).to_have_count(0)
    assert problems(watch) == []


def test_broken_front_matter_shows_an_overlay_and_a_fix_recovers(site, start_serving, context):
    ctx, watch = context
    server = start_serving()
    page = open_tab(ctx, server, HANT_PAGE)
    overlay = page.locator("#sitegen-error")
    article = site / ARTICLE_FILE
    good = article.read_text(encoding="utf-8")

    edit(article, lambda text: text.replace('date: "2023-09-15T10:21:00+08:00"', 'date: "2023-09-15T10:21:00+08:00', 1))
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text("1954134.md")
    expect(page.locator("h1")).to_have_text(TITLE_HANT)  # the last good article underneath
    expect(page.locator("main .body")).to_contain_text(OLD_SENTENCE)
    assert server.get(HANT_PAGE)[0] == 200  # not left out of public/: nothing was written

    edit(article, lambda text: good.replace(OLD_SENTENCE, MARKER["zh-Hant"], 1))
    expect(page.locator("main .body")).to_contain_text(MARKER["zh-Hant"], timeout=WAIT_MS)
    expect(overlay).to_have_count(0)

    # A missing required field is an error too; and a second fix recovers again.
    edit(article, lambda text: text.replace("lang: zh-Hant\n", "", 1))
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text("1954134.md")
    expect(page.locator("main .body")).to_contain_text(MARKER["zh-Hant"])
    edit(article, lambda text: good)
    expect(page.locator("main .body")).to_contain_text(OLD_SENTENCE, timeout=WAIT_MS)
    expect(overlay).to_have_count(0)
    assert problems(watch) == []


def test_served_pages_carry_the_reload_script_and_public_never_does(site, start_serving):
    server = start_serving()
    for path in ("/", "/zh-hant/", HANT_PAGE, HANS_PAGE, "/zh-hant/no-such-page.html"):
        status, headers, body = server.get(path)
        assert status == (404 if "no-such" in path else 200), path
        assert headers["content-type"] == "text/html; charset=utf-8", path
        assert len(RELOAD_SCRIPT.findall(body)) == 1, f"{path}: {body[-300:]!r}"
        assert body.index(b"/__sitegen/reload.js") < body.rindex(b"</body>"), path
        assert int(headers["content-length"]) == len(body)
    status, headers, body = server.get("/__sitegen/reload.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript") and b"EventSource" in body
    for path in ("/css/sitegen.css", "/js/sitegen.js", "/zh-hant/atom.xml", "/sitemap.xml"):
        status, _, body = server.get(path)
        assert status == 200 and b"__sitegen" not in body, path  # only HTML gets the script
    mark = server.mark()
    edit(site / ARTICLE_FILE, lambda text: text.replace(OLD_SENTENCE, MARKER["zh-Hant"], 1))
    server.wait_for_line(r"^rebuilt in", since=mark)
    assert MARKER["zh-Hant"].encode() in server.get(HANT_PAGE)[2]
    assert_public_has_no_reload_script(site)
    # The build reads the sources and writes public/: neither may start another build by itself.
    time.sleep(0.5)
    builds = sum(line.startswith("rebuilt in") for line in server.lines[mark:])
    time.sleep(1.5)
    assert sum(line.startswith("rebuilt in") for line in server.lines[mark:]) == builds, server.lines[mark:]


@pytest.mark.parametrize("breakage", ["raises while rendering", "not UTF-8"])
def test_a_template_that_fails_in_any_way_shows_an_overlay_and_a_fix_recovers(site, start_serving, context, breakage):
    """Not only Jinja's own errors: a template that raises while rendering (`{{ a.title + 1 }}`, a TypeError)
    or one saved in Big5 by an old editor must show the overlay too, and the next good save must build."""
    ctx, watch = context
    template = (THEME / "templates" / "article.html").read_text(encoding="utf-8")
    good = template.replace("<h1>{{ a.title }}</h1>", '<h1>{{ a.title }}</h1>\n  <p id="live-marker">好版本</p>', 1)
    override = site / "templates" / "article.html"
    override.write_text(good, encoding="utf-8")
    server = start_serving()
    page = open_tab(ctx, server, HANT_PAGE)
    expect(page.locator("#live-marker")).to_have_text("好版本")
    overlay = page.locator("#sitegen-error")

    mark = server.mark()
    if breakage == "not UTF-8":
        override.write_bytes(good.replace("好版本", "繁體中文範本").encode("big5"))
    else:
        override.write_text(good.replace("<h1>{{ a.title }}</h1>", "<h1>{{ a.title + 1 }}</h1>", 1), encoding="utf-8")
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text("article.html")
    expect(page.locator("#live-marker")).to_have_text("好版本")  # the last good page underneath
    server.wait_for_line(r"^build failed", since=mark)

    override.write_text(good.replace("好版本", "修好了"), encoding="utf-8")
    expect(page.locator("#live-marker")).to_have_text("修好了", timeout=WAIT_MS)
    expect(overlay).to_have_count(0)
    assert problems(watch) == []


def test_a_site_that_does_not_build_at_start_shows_why_and_recovers(site, start_serving, context):
    """A fresh checkout (no public/ yet) with one article the build rejects: serve says "the browser
    shows why", so the browser must show why, and the fix must bring the site up without a reload by hand."""
    ctx, watch = context
    article = site / ARTICLE_FILE
    good = article.read_text(encoding="utf-8")
    edit(article, lambda text: text.replace("lang: zh-Hant\n", "", 1))
    assert not (site / "public").exists()
    server = start_serving()
    server.wait_for_line(r"^build failed", timeout=5)
    page = ctx.new_page()
    page.goto(server.url + HANT_PAGE)
    overlay = page.locator("#sitegen-error")
    expect(overlay).to_be_visible(timeout=WAIT_MS)
    expect(overlay).to_contain_text("1954134.md")

    edit(article, lambda text: good)
    expect(page.locator("h1")).to_have_text(TITLE_HANT, timeout=WAIT_MS)
    expect(overlay).to_have_count(0)
    assert [p for p in problems(watch) if "404" not in p] == []  # the first load was a 404, by design
