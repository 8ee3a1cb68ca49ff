"""Adding [[sources]] to sitegen.toml (sitegen.sources.tomlfile): what would not load is never written."""

from __future__ import annotations

import contextlib
import os
import subprocess

import pytest

from sitegen.config import load_config
from sitegen.errors import ConfigError, SitegenError
from sitegen.sources.tomlfile import append_sources
from tests.sources.helpers import EMPTY_SITE


def test_tables_that_would_not_load_are_not_written(empty_site):
    config = empty_site / "sitegen.toml"
    before = config.read_bytes()
    with pytest.raises(ConfigError) as refused:
        append_sources(empty_site, [{"id": "Not An Id", "name": "", "url": "https://x.example/rss"}])
    assert [str(p) for p in refused.value.problems] == [
        "error: sitegen.toml with the new sources: sources[0].id: 'Not An Id' must match [a-z0-9-]+ and not be 'local'",
        "error: sitegen.toml with the new sources: sources[0].name: must not be empty",
    ]
    assert config.read_bytes() == before
    assert sorted(p.name for p in empty_site.iterdir()) == ["sitegen.toml"]  # no temporary file left


def test_strings_are_escaped_as_toml_wants(empty_site):
    name = 'Say "hi" \\ 新聞 now'
    append_sources(empty_site, [{"id": "odd", "name": name, "url": "https://odd.example/rss"}],
                   comment="from\na file name with a line break")
    assert load_config(empty_site).sources[0].name == name
    assert "# from a file name with a line break\n[[sources]]\n" in (empty_site / "sitegen.toml").read_text("utf-8")


def test_a_full_disk_leaves_the_file_as_it_was(tmp_path):
    """The site's folder is a small tmpfs, filled up (root only, as tests/test_disk_full.py)."""
    if os.geteuid() != 0 and not os.environ.get("CI"):
        pytest.skip("LOUD SKIP: mounting a small tmpfs needs root (CI runs as root and runs this test)")
    site = tmp_path / "full-disk"
    site.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(site)], check=True)
    try:
        (site / "sitegen.toml").write_text(EMPTY_SITE, encoding="utf-8")
        with (site / "filler").open("wb") as filler, contextlib.suppress(OSError):
            filler.write(b"x" * 128 * 1024)
        with pytest.raises(SitegenError, match=r"sitegen.toml: cannot be written: No space left on device; "
                                               r"it is as it was"):
            append_sources(site, [{"id": "a", "name": "A" * 8192, "url": "https://a.example/rss"}])
        assert (site / "sitegen.toml").read_text(encoding="utf-8") == EMPTY_SITE
        assert sorted(p.name for p in site.iterdir()) == ["filler", "sitegen.toml"]
    finally:
        subprocess.run(["umount", "-l", str(site)], check=False)
