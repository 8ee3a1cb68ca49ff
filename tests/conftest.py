"""Shared fixtures: the repository's demo site, small sites in tmp folders, a feed server, a browser.

Only fixtures: what tests import (constants, functions, classes) is in tests/helpers.py."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator

import pytest

from tests.feedserver import FeedServer
from tests.helpers import DATA, MINIMAL_CONFIG, copy_demo_site


@pytest.fixture
def make_site(tmp_path: Path):
    """Make a site folder from a sitegen.toml text and {relative path: text} content files."""

    def make(config: str = MINIMAL_CONFIG.format(hans_url="feeds/hans.xml"),
             files: dict[str, str] | None = None) -> Path:
        root = tmp_path / "site"
        (root / "content").mkdir(parents=True, exist_ok=True)
        (root / "sitegen.toml").write_text(config, encoding="utf-8")
        for relative, text in (files or {}).items():
            path = root / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return root

    return make


@pytest.fixture
def demo_site(tmp_path: Path) -> Path:
    """A copy of the repository's own site (config, content, templates, static)."""
    return copy_demo_site(tmp_path / "demo")


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 serving tests/data/feeds (see tests/feedserver.py)."""
    with FeedServer(DATA / "feeds") as server:
        yield server


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright, for the module (tests/browser/helpers.py):
    without it a loud skip on a developer's machine, a failure on CI."""
    from tests.browser.helpers import chromium

    with chromium() as launched:
        yield launched
