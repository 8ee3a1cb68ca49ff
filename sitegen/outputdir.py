"""Where a build may write: never over the site's own files, whatever `--output` says."""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import SitegenError

SITE_PARTS = ("sitegen.toml", "content", "templates", "static", ".sitegen", ".git")
"""What an output folder must never be, hold or be inside of: the site's own files."""


def check_output_dir(root: Path, output_dir: Path) -> None:
    """Refuse an output folder that is the site folder, an ancestor of it, inside one of its own
    folders, or that holds a site of its own: a build there could overwrite the user's work."""
    site, output = root.resolve(), output_dir.resolve()
    problem = ""
    if output.exists() and not output.is_dir():
        problem = "is not a folder"
    elif blocked := next((p for p in output.parents if p.exists() and not p.is_dir()), None):
        problem = f"{blocked} is not a folder"
    elif site.is_relative_to(output):
        problem = "is the site folder" if output == site else f"holds the site folder {site}"
    elif inside := next((part for part in SITE_PARTS[1:] if output.is_relative_to(site / part)), ""):
        problem = f"is inside the site's {inside}/ folder"
    elif mine := next((part for part in SITE_PARTS[:3] if (output / part).exists()), ""):
        problem = f"holds {mine}: it looks like a site folder, not an output folder"
    if problem:
        raise SitegenError(f"--output {output_dir}: {problem}; nothing was done")
