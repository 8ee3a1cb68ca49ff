"""The golden demo-site tree: the repository's demo site as the code builds it, kept byte for byte in
tests/data/golden/demo/ (see tests/data/golden/README.md).

    python3 dev.py golden          rebuild the tree with the current code (runs this file in .venv)

tests/test_golden.py builds the demo site the same way (`build_demo`) and compares. This module needs
only sitegen and the standard library, so that it runs as a script and `PYTHONPATH=SRC` picks the
sitegen it builds with (the script's own folder is tests/, which holds no sitegen).
"""

from __future__ import annotations

import difflib
import shutil
import sys
import tempfile
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "data" / "golden" / "demo"
NOW = datetime(2030, 1, 1, tzinfo=timezone.utc)
"""What counts as now for the demo's build: after every demo article, whenever the test runs."""
SITE_FILES = ("sitegen.toml", "glossary.toml", "content", "templates", "static", "feeds")
"""What a site is made of (README, "The site folder"); never public/ or the .sitegen/ caches."""
REGENERATE = "run `python3 dev.py golden` and review the diff (git diff tests/data/golden) if the change is intended"


def copy_demo_site(root: Path) -> Path:
    """Copy the repository's demo site (config, glossary, content, templates, static, feeds: whichever
    exist) into the new folder `root`, without its public/ or .sitegen/ caches."""
    root.mkdir(parents=True)
    for name in SITE_FILES:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, root / name)
        elif source.is_file():
            shutil.copy2(source, root / name)
    return root


def build_demo(output: Path, now: datetime = NOW) -> None:
    """Build a fresh copy of the demo site into `output` (no cache, nothing stored); raise on any problem."""
    from sitegen.build import build
    from sitegen.config import load_config

    with tempfile.TemporaryDirectory(prefix="sitegen-golden-") as tmp:
        root = copy_demo_site(Path(tmp) / "demo")
        result = build(load_config(root), output_dir=output, save=False, now=now)
    if result.report.problems:
        raise AssertionError("the demo site builds with problems:\n" + "\n".join(map(str, result.report.problems)))


def tree(folder: Path, skip: str = "") -> dict[str, bytes]:
    """Every file below `folder` by relative POSIX path, with its bytes (leaving out a top-level
    folder `skip`, such as .git)."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not (skip and p.relative_to(folder).parts[0] == skip)}


def tree_differences(expected: dict[str, bytes], actual: dict[str, bytes], shown: int = 3,
                     lines: int = 60) -> str:
    """How `actual` differs from `expected` ("" when the same): missing and extra files, the changed
    ones, and a unified diff of the first `shown` changed files (at most `lines` lines each)."""
    missing = sorted(expected.keys() - actual.keys())
    extra = sorted(actual.keys() - expected.keys())
    changed = sorted(p for p in expected.keys() & actual.keys() if expected[p] != actual[p])
    if not (missing or extra or changed):
        return ""
    out = []
    for title, paths in (("missing", missing), ("extra", extra), ("changed", changed)):
        if paths:
            out.append(f"{len(paths)} {title}: " + ", ".join(paths[:20]) + (" …" if len(paths) > 20 else ""))
    for path in changed[:shown]:
        try:
            old, new = expected[path].decode("utf-8"), actual[path].decode("utf-8")
        except UnicodeDecodeError:
            out.append(f"--- {path}: binary, {len(expected[path])} -> {len(actual[path])} bytes")
            continue
        diff = list(difflib.unified_diff(old.splitlines(), new.splitlines(), f"expected/{path}", f"actual/{path}",
                                         lineterm="", n=2))
        out.extend(diff[:lines] + ([f"... ({len(diff) - lines} more diff lines)"] if len(diff) > lines else []))
    return "\n".join(out)


def regenerate(golden: Path = GOLDEN) -> None:
    """Replace `golden` with the demo site as the current code builds it."""
    golden.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="sitegen-golden-out-", dir=golden.parent) as tmp:
        fresh = Path(tmp) / "demo"
        build_demo(fresh)
        before = tree(golden) if golden.exists() else {}
        after = tree(fresh)
        if golden.exists():
            shutil.rmtree(golden)
        fresh.rename(golden)
    import sitegen
    print(f"golden: built with {Path(sitegen.__file__).parent} into {golden.relative_to(REPO)}: {len(after)} files")
    added, removed = sorted(after.keys() - before.keys()), sorted(before.keys() - after.keys())
    changed = sorted(p for p in after.keys() & before.keys() if after[p] != before[p])
    for title, paths in (("added", added), ("removed", removed), ("changed", changed)):
        print(f"golden: {len(paths)} {title}" + (": " + ", ".join(paths[:10]) if paths else "")
              + (" …" if len(paths) > 10 else ""))


if __name__ == "__main__":
    if sys.argv[1:]:
        sys.exit(f"usage: {sys.argv[0]} (no arguments)")
    regenerate()
