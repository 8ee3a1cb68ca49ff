"""Fixtures of the browser tests (the `browser` itself is in tests/conftest.py), and the screenshot
folder named at the end of the run, so a person knows where to look."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser import SCREENSHOT_FOLDER
from tests.browser.helpers import Watch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page


@pytest.fixture
def open_page(browser: Browser) -> Iterator[Callable[..., tuple[Page, Watch]]]:
    """A page in a fresh context (options as for new_context) and its Watch; closed afterwards."""
    contexts: list[BrowserContext] = []

    def open_(**options) -> tuple[Page, Watch]:
        context = browser.new_context(**options)
        contexts.append(context)
        watch = Watch(context)
        return context.new_page(), watch

    yield open_
    for context in contexts:
        context.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter, config: pytest.Config) -> None:
    folder = config.stash.get(SCREENSHOT_FOLDER, None)
    if folder is not None:
        count = len(list(folder.rglob("*.png")))  # sub-folders too (portal/: test_portal_screens.py)
        terminalreporter.write_line(f"screenshots: {folder} ({count} pictures)")
