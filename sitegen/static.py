"""Static files: the theme's, then the site's static/ on top, copied as they are.

Dotfiles are site files too (`static/.well-known/security.txt`, `.nojekyll`, `.htaccess`),
so they are copied; what is never a site file is left out: version-control folders and
their plumbing (`.git/`, `.gitignore`, `.gitkeep` ...) and the leftovers of editors and
file managers (`.x.swp`, `.#x`, `.DS_Store`). Names without a leading dot are copied as before.
"""

from __future__ import annotations

from pathlib import Path

from sitegen.errors import Report
from sitegen.fsutil import Listing, files_under
from sitegen.model import Output
from sitegen.schema import THEME_DIR

VCS_NAMES = frozenset({".git", ".hg", ".svn", ".bzr", ".gitignore", ".gitkeep", ".gitattributes",
                       ".gitmodules", ".hgignore", ".keep"})
LEFTOVER_SUFFIXES = (".swp", ".swo", ".swx", ".tmp", "~")
FAVICONS = ("favicon.ico", "favicon.svg", "favicon.png")


def unpublished(name: str) -> bool:
    """True for a dot-name in static/ that is repository or editor plumbing, not part of the site."""
    if not name.startswith("."):
        return False
    return (name in VCS_NAMES or name == ".DS_Store" or name.startswith(".#")
            or name.endswith(LEFTOVER_SUFFIXES))


def static_files(folder: Path) -> Listing:
    """The files of a static folder that are copied into public/, as `files_under` lists them.
    The build's nothing-changed check must list static/ with this too, or a changed dotfile is missed."""
    return files_under(folder, hidden=True, skip=unpublished)


NOT_FOLLOWED = "a symbolic link that leads out of static/ (or loops); not copied: copy the files in instead"


def static_outputs(site_static: Path, report: Report) -> list[Output]:
    """One output per file; a site file replaces the theme file of the same path. A link in static/
    that leads out of it is not followed (it would publish whatever file it leads to), and said."""
    files: dict[str, str] = {}
    for folder in (THEME_DIR / "static", site_static):
        listing = static_files(folder)
        files.update((relative, entry.path) for relative, entry in listing)
        for relative in listing.not_followed if folder == site_static else ():
            report.warning(f"static/{relative}", NOT_FOLLOWED)
    return [Output(relative, Path(path).read_bytes(), f"static/{relative}") for relative, path in sorted(files.items())]


def favicon_path(site_static: Path) -> str:
    """The path of the site's own icon (`/favicon.ico`, `/favicon.svg` or `/favicon.png`, the first
    that static/ holds), or '' when it has none: the theme then links an empty icon."""
    return next((f"/{name}" for name in FAVICONS if (site_static / name).is_file()), "")
