"""What the tests share: plain constants, functions and classes. Fixtures live in conftest.py files.

No test module (test_*.py) imports another (tests/test_layout.py checks): what two of them use is
here, or in a package's own helper module (tests/browser/helpers.py, tests/deploy/helpers.py,
tests/fetch/helpers.py, tests/fetch/roundtrip.py, tests/serve/helpers.py, tests/site/awkward.py).
This module imports sitegen only inside functions, so a broken sitegen fails the tests that use it,
not the collection of every test.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests import golden

REPO = golden.REPO
DATA = REPO / "tests" / "data"
SHARED_FIXTURES = REPO.parent / "shared" / "fixtures"

copy_demo_site = golden.copy_demo_site
"""Copy the repository's demo site, without its caches, into a new folder (tests/golden.py)."""
tree = golden.tree
"""Every file below a folder by relative POSIX path, with its bytes (tests/golden.py)."""


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
"""A site with one source, `hans` (the `make_site` fixture's default config, with its feed file)."""

ARTICLE = """\
---
title: {title}
date: "2024-03-01T23:30:00+00:00"
source: {source}
lang: {lang}
id: {id}
source_url: https://origin.example/{id}
author: {author}
categories: [{category}]
---

{body}
"""


def article(id="a1", title="头发与皇后", lang="zh-Hans", source="hans", author="记者", category="国际",
            body="后天发布新闻。"):
    """An article file's text (dated 2024-03-01 23:30 UTC, so 2024/0302 in the site's Taipei time)."""
    return ARTICLE.format(**locals())


def built(root: Path):
    """Build the site at `root` into its public/: (the report, public/)."""
    from sitegen.build import build
    from sitegen.config import load_config

    result = build(load_config(root))
    return result.report, root / "public"


COMMANDS = ["init", "new", "withdraw", "fetch", "build", "serve", "deploy", "check", "convert", "sources"]
"""sitegen's commands, as `sitegen --help` lists them."""


def sitegen(*args: str, cwd: Path | None = None, stdin: str = "", timeout: float = 120) -> subprocess.CompletedProcess:
    """`python -m sitegen ARGS` in a subprocess, as a user runs it."""
    return subprocess.run([sys.executable, "-m", "sitegen", *args], cwd=cwd, input=stdin,
                          capture_output=True, text=True, timeout=timeout)


HOUR_AGO = time.time() - 3600


def paginated(root: Path, per_page: int) -> None:
    """Set the site's `paginate` (stories per list page)."""
    config = root / "sitegen.toml"
    config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", f"[site]\npaginate = {per_page}\n"),
                      encoding="utf-8")


def settle(root: Path) -> None:
    """Date every input an hour back: files changed just before a build are not trusted by size and
    mtime (they could change again within the same mtime), and these tests want them trusted."""
    for folder in ("content", "templates", "static"):
        for path in (root / folder).rglob("*"):
            if path.is_file():
                os.utime(path, (HOUR_AGO, HOUR_AGO))


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Every file below `folder` with its bytes and mtime: what must stay as it was, not even touched."""
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file()}


def snapshot_with_folders(root: Path) -> dict[str, tuple]:
    """Every path below `root`, folders too, with its bytes and mtime: what a failed command must leave as it was."""
    return {p.relative_to(root).as_posix(): (p.is_dir(), None if p.is_dir() else p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(root.rglob("*"))}


def edit(path: Path, change: Callable[[str], str]) -> str:
    """Rewrite a file in place, as an editor's plain save does (open, truncate, write, close), now;
    the new text. The change must change something."""
    old = path.read_text(encoding="utf-8")
    new = change(old)
    assert new != old, f"the edit of {path} changes nothing"
    with open(path, "w", encoding="utf-8") as f:
        f.write(new)
    return new


def edit_settled(path: Path, old: str, new: str) -> None:
    """Replace `old` with `new` in a file and date it 59 minutes back (after `settle`): changed, and
    settled, so a build may trust its size and mtime."""
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, (HOUR_AGO + 60, HOUR_AGO + 60))


def photo(width: int = 1600, height: int = 900, seed: int = 0, orientation: int = 0) -> bytes:
    """A photo-like JPEG (a colour gradient, blotches and grain, all from `seed`: the same bytes every
    run), with EXIF holding a camera date and, when given, an orientation: real photos have both."""
    import random

    from PIL import Image

    rng, size = random.Random(seed), (width, height)
    small = (max(1, width // 24), max(1, height // 24))
    gradient = Image.merge("RGB", [Image.linear_gradient("L").resize(size),
                                   Image.linear_gradient("L").rotate(90).resize(size), Image.new("L", size, 110)])
    blotches = Image.frombytes("RGB", small, rng.randbytes(small[0] * small[1] * 3)).resize(size, Image.BICUBIC)
    grain = Image.frombytes("RGB", size, rng.randbytes(width * height * 3))
    picture = Image.blend(Image.blend(gradient, blotches, 0.45), grain, 0.08)
    exif = Image.Exif()
    exif[0x0132] = "2024:03:01 08:30:00"  # DateTime: what renditions must not carry
    if orientation:
        exif[0x0112] = orientation
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, exif=exif.tobytes())
    return out.getvalue()
