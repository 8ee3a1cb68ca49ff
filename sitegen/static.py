"""Static files: the theme's, then the site's static/ on top, copied as they are."""

from __future__ import annotations

from pathlib import Path

from sitegen.model import Output
from sitegen.render.templates import THEME_DIR


def static_outputs(site_static: Path) -> list[Output]:
    """One output per file; a site file replaces the theme file of the same path."""
    files: dict[str, Path] = {}
    for folder in (THEME_DIR / "static", site_static):
        if folder.is_dir():
            for path in sorted(p for p in folder.rglob("*") if p.is_file()):
                relative = path.relative_to(folder).as_posix()
                if not any(part.startswith(".") for part in relative.split("/")):
                    files[relative] = path
    return [Output(relative, path.read_bytes(), f"static/{relative}") for relative, path in sorted(files.items())]
