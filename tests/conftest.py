"""Shared fixtures: the repository's demo site, small sites in tmp folders, a feed server."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Iterator

import pytest

from tests.feedserver import FeedServer

REPO = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"


def shared_fixture(relative: str) -> Path:
    """A third-party file we may read but not copy (licence), from shared/ beside the repository.

    Missing is a loud skip on a developer's machine and a failure on CI, which has shared/.
    """
    path = SHARED_FIXTURES / relative
    if not path.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{path} is missing: CI runs with shared/ beside the repository")
        pytest.skip(f"LOUD SKIP: {path} is missing, so what it feeds is NOT TESTED (see shared/fixtures/README.md)")
    return path

MINIMAL_CONFIG = """\
[site]
title = "測試新聞"
base_url = "https://news.example.org/"

[[sources]]
id = "hans"
name = "示范新闻"
url = "{hans_url}"
category = "国际"
script = "auto"
license = "转载请注明出处。"
editor = "王编辑"
"""


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
    root = tmp_path / "demo"
    root.mkdir()
    shutil.copy(REPO / "sitegen.toml", root)
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture
def feed_server() -> Iterator[FeedServer]:
    """A real HTTP server on 127.0.0.1 serving tests/data/feeds (see tests/feedserver.py)."""
    with FeedServer(DATA / "feeds") as server:
        yield server
