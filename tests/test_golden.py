"""The demo site builds to the golden tree in tests/data/golden/demo/, byte for byte (see its README)."""

from __future__ import annotations

from pathlib import Path

from tests.golden import GOLDEN, REGENERATE, build_demo, tree, tree_differences


def test_the_demo_site_builds_to_the_golden_tree(tmp_path: Path):
    assert GOLDEN.is_dir(), f"{GOLDEN} is missing: {REGENERATE}"
    build_demo(tmp_path / "public")
    differences = tree_differences(tree(GOLDEN), tree(tmp_path / "public"))
    assert not differences, f"the demo site no longer builds to {GOLDEN}:\n{differences}\n\n{REGENERATE}"
