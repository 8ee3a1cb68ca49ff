"""Static files: the theme's, then the site's static/ on top, copied as they are."""

from __future__ import annotations

from pathlib import Path

from sitegen.fsutil import files_under
from sitegen.model import Output
from sitegen.render.templates import THEME_DIR


def static_outputs(site_static: Path) -> list[Output]:
    """One output per file; a site file replaces the theme file of the same path."""
    files: dict[str, str] = {}
    for folder in (THEME_DIR / "static", site_static):
        files.update((relative, entry.path) for relative, entry in files_under(folder))
    return [Output(relative, Path(path).read_bytes(), f"static/{relative}") for relative, path in sorted(files.items())]
