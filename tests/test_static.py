"""static/ reaches public/ as it is, dotfiles included (.well-known/), VCS and editor plumbing left out."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sitegen.static import static_files, unpublished
from tests.helpers import article, sitegen

STATIC = {
    "static/.well-known/security.txt": "Contact: mailto:security@news.example.org\n",
    "static/.nojekyll": "",
    "static/images/a.svg": "<svg xmlns='http://www.w3.org/2000/svg'/>",
    "static/.git/HEAD": "ref: refs/heads/main\n",
    "static/.git/objects/ab/cdef": "blob",
    "static/.gitignore": "*.psd\n",
    "static/images/.gitkeep": "",
    "static/.DS_Store": "junk",
    "static/images/.a.svg.swp": "vim",
    "static/.#a.css": "emacs lock",
}


def site_with_static(make_site) -> Path:
    return make_site(files={"content/a.md": article(), **STATIC})


def settle(root: Path, seconds_ago: float) -> None:
    """Date every file back, so the build trusts sizes and mtimes (it does not trust files that
    changed in the last two seconds) and its nothing-changed check is what is tested."""
    when = time.time() - seconds_ago
    for path in root.rglob("*"):
        os.utime(path, (when, when), follow_symlinks=False)


def test_dotfiles_are_copied_and_vcs_and_editor_files_are_not(make_site):
    root = site_with_static(make_site)
    built = sitegen("build", "--site", str(root))
    assert built.returncode == 0, built.stderr
    public = root / "public"
    assert (public / ".well-known/security.txt").read_text(encoding="utf-8") == STATIC["static/.well-known/security.txt"]
    assert (public / ".nojekyll").is_file() and (public / "images/a.svg").is_file()
    assert not (public / ".git").exists()
    for left_out in (".gitignore", "images/.gitkeep", ".DS_Store", "images/.a.svg.swp", ".#a.css"):
        assert not (public / left_out).exists(), left_out


def test_a_changed_dotfile_is_built_again(make_site):
    """Fails until the build's nothing-changed check lists static/ with `static_files`."""
    root = site_with_static(make_site)
    settle(root, 120)
    assert sitegen("build", "--site", str(root)).returncode == 0
    unchanged = sitegen("build", "--site", str(root))
    assert " 0 files written" in unchanged.stdout, unchanged.stdout  # the check trusts the settled files
    security = root / "static/.well-known/security.txt"
    security.write_text("Contact: mailto:new@news.example.org\nExpires: 2030-01-01T00:00:00Z\n", encoding="utf-8")
    settle(security, 60)
    again = sitegen("build", "--site", str(root))
    assert again.returncode == 0, again.stderr
    assert (root / "public/.well-known/security.txt").read_text(encoding="utf-8").startswith("Contact: mailto:new@")


def test_static_files_lists_what_is_published(make_site):
    root = site_with_static(make_site)
    assert [relative for relative, _ in static_files(root / "static")] == [
        ".nojekyll", ".well-known/security.txt", "images/a.svg"]


def test_only_dot_names_are_ever_left_out():
    assert unpublished(".git") and unpublished(".gitignore") and unpublished(".x.swp") and unpublished(".#x")
    assert not unpublished(".well-known") and not unpublished(".htaccess") and not unpublished(".nojekyll")
    assert not unpublished("notes~") and not unpublished("a.swp")  # not dotfiles: copied as before


def test_a_link_in_static_that_leads_out_is_not_copied_and_is_said(make_site, tmp_path):
    root = site_with_static(make_site)
    secret = tmp_path / "outside"
    secret.mkdir()
    (secret / "id_rsa").write_text("PRIVATE KEY", encoding="utf-8")
    (root / "static/key.txt").symlink_to(secret / "id_rsa")
    (root / "static/shared").symlink_to(secret)
    (root / "static/images/same.svg").symlink_to(root / "static/images/a.svg")  # inside: followed
    for _ in range(2):  # said again by a build with nothing to do
        built = sitegen("build", "--site", str(root))
        assert built.returncode == 0, built.stderr
        assert [line for line in built.stderr.splitlines() if "static/" in line] == [
            f"warning: static/{name}: a symbolic link that leads out of static/ (or loops); not copied: copy the "
            "files in instead" for name in ("key.txt", "shared/")]
    published = [p for p in (root / "public").rglob("*") if p.is_file()]
    assert not [p for p in published if b"PRIVATE KEY" in p.read_bytes()]
    assert (root / "public/images/same.svg").read_bytes() == (root / "static/images/a.svg").read_bytes()
