"""What the deploy tests share: a target added to a site's config, git, and a folder's files."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers import tree


def add_target(root: Path, name: str, body: str) -> None:
    """Append a [deploy.NAME] table to the site's sitegen.toml."""
    with (root / "sitegen.toml").open("a", encoding="utf-8") as config:
        config.write(f"\n[deploy.{name}]\n{body}\n")


def git(*args: str) -> str:
    return subprocess.run(["git", *args], check=True, capture_output=True, text=True).stdout


tree_of = tree
"""Every file below `folder` by relative path (leaving out a top-level folder `skip`, such as .git)."""


def require(tool: str) -> None:
    """Skip the calling test module loudly without `tool`; in CI (where dev.py installs it) fail instead."""
    import os
    import shutil

    import pytest

    if shutil.which(tool) is None:
        if os.environ.get("CI"):
            pytest.fail(f"{tool} is missing: dev.py test installs it in CI", pytrace=False)
        pytest.skip(f"LOUD SKIP: {tool} is not installed, so what needs it is NOT TESTED", allow_module_level=True)
