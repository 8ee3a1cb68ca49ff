"""What the browser tests share (here and tests/serve/test_live_reload.py): Debian's Chromium driven
by Playwright, and a Watch on everything that goes wrong in a browser context.

Never a downloaded browser (`playwright install` fails on these machines). Missing chromium or
playwright is a loud skip on a developer's machine and a failure on CI, which must run these tests.
The `browser` fixture (tests/conftest.py) launches it; `open_page` (tests/browser/conftest.py) opens pages.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

try:
    from playwright.sync_api import Browser, BrowserContext, Route, sync_playwright
except ImportError:  # reported by chromium()
    sync_playwright = None

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google's hosts at every start.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def require(present: bool, what: str) -> None:
    """A missing tool: a loud skip on a developer's machine, a failure on CI."""
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what}: CI must run the browser tests (`python3 dev.py test` installs it as root)")
    pytest.skip(f"LOUD SKIP: {what}, so the browser tests are NOT RUN "
                "(`python3 dev.py test` as root installs it)")


def cjk_font_installed() -> bool:
    fc_list = shutil.which("fc-list")
    return bool(fc_list) and "noto sans cjk" in subprocess.run(
        [fc_list], capture_output=True, text=True, check=False).stdout.lower()


@contextmanager
def chromium() -> Iterator[Browser]:
    """Headless /usr/bin/chromium, closed afterwards; a loud skip (on CI a failure) without it or playwright."""
    require(sync_playwright is not None, "the playwright package is not installed")
    require(CHROMIUM.exists(), f"{CHROMIUM} is missing (Debian package chromium)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


class Watch:
    """Everything that went wrong in one browser context: console errors, uncaught exceptions,
    failed requests, HTTP errors, and any request for a host other than 127.0.0.1 (aborted)."""

    def __init__(self, context: BrowserContext) -> None:
        self.problems: list[str] = []
        context.on("console", self._console)
        context.on("weberror", lambda error: self.problems.append(f"uncaught exception: {error.error}"))
        context.on("requestfailed", self._failed)
        context.on("response", lambda response: response.status >= 400 and self.problems.append(
            f"HTTP {response.status}: {response.url}"))
        context.route("**/*", self._loopback_only)

    def _failed(self, request) -> None:
        # ERR_ABORTED is the browser cancelling a load because the page moved on (a click on the
        # script switch while an image still loads); a broken resource shows as an HTTP error instead.
        if "ERR_ABORTED" not in str(request.failure):
            self.problems.append(f"request failed: {request.url} ({request.failure})")

    def _console(self, message) -> None:
        if message.type == "error":
            self.problems.append(f"console error: {message.text} at {message.location}")

    def _loopback_only(self, route: Route) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            self.problems.append(f"request leaves 127.0.0.1: {route.request.url}")
            route.abort()


@contextmanager
def built_and_served(root: Path, quiet: bool = True) -> Iterator[str]:
    """The site at `root` built and served by sitegen's preview server on 127.0.0.1: its URL, no
    trailing slash. `quiet`: the build says nothing at all (else it only must not fail)."""
    from sitegen.build import build
    from sitegen.config import load_config
    from sitegen.serve.server import make_server
    from tests.feedserver import running

    config = load_config(root)
    report = build(config).report
    assert not (report.problems if quiet else report.failed), report.problems
    with running(make_server(config.output_dir, "/", "127.0.0.1", 0), trailing_slash=False) as url:
        yield url
