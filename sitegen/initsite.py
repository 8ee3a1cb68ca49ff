"""`sitegen init`: a new site folder whose first steps work offline.

The scaffold's first source is a feed file inside the site (feeds/sample.xml), so
`sitegen fetch` stores stories with no network, and the steps printed after `init`
(the same as the README's) show a built site the first time they are run.
"""

from __future__ import annotations

import shlex
import shutil
from pathlib import Path

from sitegen.errors import SitegenError

SCAFFOLD_DIR = Path(__file__).resolve().parent / "scaffold"
WORKFLOWS_DIR = Path(__file__).resolve().parent / "workflows"
WORKFLOW = ".github/workflows/publish.yml"
"""Fetch, build, check and publish on a schedule, on GitHub Actions (see the README's sitegen deploy)."""
GITIGNORE = "# made by sitegen: the built site, and its fetch state and caches\npublic/\n.sitegen/\n"
STEPS = (
    ("sitegen fetch", "the sample feed (and the feeds you add to sitegen.toml) into content/"),
    ("sitegen build", "the site, both scripts, into public/"),
    ("sitegen serve", "preview on http://127.0.0.1:8000/ (Ctrl-C stops)"),
)


def next_steps(target: Path) -> list[str]:
    """The commands to run after `init`, one a line, each with its comment: one a line (not
    chained with &&) so a feed that fails, which makes fetch exit 1, still leaves a site to see."""
    width = max(len(command) for command, _ in STEPS) + 2
    return [f"cd {shlex.quote(str(target))}"] + [f"{command:<{width}}# {why}" for command, why in STEPS]


def make_site(target: Path) -> None:
    """Copy the scaffold into `target` (absent or empty) and write its .gitignore and publishing
    workflow; on failure
    what was copied is taken away again, so a failed init leaves nothing behind."""
    existed = target.exists()
    if existed and not target.is_dir():
        raise SitegenError(f"{target}: exists and is not a folder; nothing was done")
    if existed and any(target.iterdir()):
        raise SitegenError(f"{target}: folder exists and is not empty; nothing was done")
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SitegenError(f"{target}: cannot make the folder: {exc.strerror or exc}; nothing was done") from None
    try:
        shutil.copytree(SCAFFOLD_DIR, target, dirs_exist_ok=True,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        # written here, not kept in the scaffold: a dotfile in the package may not survive packaging
        (target / ".gitignore").write_text(GITIGNORE, encoding="utf-8")
        workflow = target / WORKFLOW
        workflow.parent.mkdir(parents=True)
        shutil.copyfile(WORKFLOWS_DIR / "publish.yml", workflow)
    except OSError as exc:
        _take_back(target, existed)
        raise SitegenError(f"{target}: cannot write the site: {exc.strerror or exc}; nothing was done") from None


def _take_back(target: Path, existed: bool) -> None:
    """Remove what make_site copied (the folder was empty or absent before)."""
    if not existed:
        shutil.rmtree(target, ignore_errors=True)
        return
    for child in target.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)
