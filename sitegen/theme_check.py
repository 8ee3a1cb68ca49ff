"""A site's templates/ against the theme's template names.

A site replaces a theme template by putting a file of the same name in templates/;
a file with any other name is never loaded unless another template includes it, so
`index.html` or `artcle.html` would be ignored without a word. This says so.
"""

from __future__ import annotations

from difflib import get_close_matches
from pathlib import Path

from sitegen.errors import Problem
from sitegen.fsutil import files_under
from sitegen.schema import THEME_DIR


def theme_template_names() -> list[str]:
    """The bundled theme's template names, sorted."""
    return [relative for relative, _ in files_under(THEME_DIR / "templates")]


def unknown_templates(templates_dir: Path) -> list[Problem]:
    """A warning for each file in `templates_dir` that is not named as a theme template.
    Hidden files (editor leftovers) and README files (notes for people) are not templates."""
    known = theme_template_names()
    return [Problem(f"{templates_dir.name}/{relative}", _message(relative, known), "warning")
            for relative, _ in files_under(templates_dir)
            if relative not in known and not _is_readme(relative)]


def _message(relative: str, known: list[str]) -> str:
    # compared without the extension: every name ends in .html, which would make all of them look close
    stems = {name.rsplit(".", 1)[0]: name for name in known}
    close = get_close_matches(relative.rsplit(".", 1)[0], list(stems), n=1, cutoff=0.75)
    hint = f"did you mean {stems[close[0]]}? " if close else ""
    return (f"not a theme template ({hint}known: {', '.join(known)}); "
            "it is used only if another template includes it")


def _is_readme(relative: str) -> bool:
    return relative.rsplit("/", 1)[-1].upper().startswith("README")
