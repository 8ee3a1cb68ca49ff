"""Sites for the `sitegen sources` tests, made as a user makes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from sitegen.cli import main
from tests.sources.helpers import EMPTY_SITE


@pytest.fixture
def empty_site(tmp_path: Path) -> Path:
    """A site whose sitegen.toml has a [site] table (and comments) and no sources."""
    root = tmp_path / "empty"
    root.mkdir()
    (root / "sitegen.toml").write_text(EMPTY_SITE, encoding="utf-8")
    return root


@pytest.fixture
def new_site(tmp_path: Path) -> Path:
    """A site made by `sitegen init`: one source (`sample`, a feed file), and commented-out BBC."""
    root = tmp_path / "new"
    assert main(["init", str(root)]) == 0
    return root
