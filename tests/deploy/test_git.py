"""Deploy to a branch of a real bare git repository, and read what arrived by cloning it."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from sitegen.build import build
from sitegen.config import load_config
from sitegen.deploy.run import DeployOptions, deploy
from tests.deploy.helpers import add_target, git, require, tree_of

require("git")


@pytest.fixture
def bare(tmp_path: Path) -> Path:
    repo = tmp_path / "pages.git"
    git("init", "--bare", "--quiet", str(repo))
    return repo


def published(bare: Path, tmp_path: Path, branch: str = "gh-pages") -> Path:
    clone = tmp_path / f"clone-{len(list(tmp_path.glob('clone-*')))}"
    git("clone", "--quiet", "--branch", branch, str(bare), str(clone))
    return clone


def commits(bare: Path, branch: str = "gh-pages") -> list[str]:
    return git("--git-dir", str(bare), "log", "--format=%H %s", branch).splitlines()


def test_the_built_tree_arrives_on_the_branch_and_a_second_deploy_commits_nothing(demo_site, bare, tmp_path):
    add_target(demo_site, "pages", f'url = "git+file://{bare}"\ncname = "news.example.org"')
    build(load_config(demo_site))
    said: list[str] = []
    report = deploy(load_config(demo_site), DeployOptions(), say=said.append)
    assert not report.failed, report.problems
    clone = published(bare, tmp_path)
    files = tree_of(clone, skip=".git")
    assert files.pop(".nojekyll") == b""
    assert files.pop("CNAME") == b"news.example.org\n"
    assert files == tree_of(demo_site / "public")
    assert said[0].startswith("pages: sent ") and "committed" in said[0]
    again = deploy(load_config(demo_site), DeployOptions(), say=said.append)
    assert not again.failed and len(commits(bare)) == 1
    assert "sent 0 files" in said[1] and "nothing changed" in said[1]


def test_history_is_kept_and_a_withdrawn_story_leaves_the_branch(demo_site, bare, tmp_path):
    add_target(demo_site, "pages", f'url = "git+file://{bare}#site"')
    build(load_config(demo_site))
    deploy(load_config(demo_site), DeployOptions(), say=lambda line: None)
    gone = sorted((demo_site / "content").rglob("*.md"))[0]
    pages = [p.relative_to(demo_site / "public").as_posix()
             for p in (demo_site / "public").rglob(f"{load_id(gone)}.html")]
    assert len(pages) == 2
    before = set(tree_of(demo_site / "public"))
    gone.unlink()
    build(load_config(demo_site))
    withdrawn = before - set(tree_of(demo_site / "public"))  # its pages, and terms only it had
    said: list[str] = []
    deploy(load_config(demo_site), DeployOptions(), say=said.append)
    assert len(commits(bare, "site")) == 2  # the first commit is still there: history kept
    files = tree_of(published(bare, tmp_path, "site"), skip=".git")
    assert set(pages) <= withdrawn and not withdrawn & set(files)
    assert f", deleted {len(withdrawn)}," in said[0]


def load_id(path: Path) -> str:
    from sitegen.content.frontmatter import split

    meta = split(path.read_text(encoding="utf-8"))[0]
    return str(meta.get("id") or path.stem)


def test_the_commit_names_the_sites_own_commit(demo_site, bare):
    add_target(demo_site, "pages", f'url = "git+file://{bare}"')
    git("init", "--quiet", str(demo_site))
    (demo_site / ".gitignore").write_text("public/\n.sitegen/\n", encoding="utf-8")
    git("-C", str(demo_site), "add", "-A")
    git("-C", str(demo_site), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "site")
    head = git("-C", str(demo_site), "rev-parse", "--short=12", "HEAD").strip()
    build(load_config(demo_site))
    deploy(load_config(demo_site), DeployOptions(), say=lambda line: None)
    assert commits(bare)[0].endswith(f"Publish the site at {head} (sitegen deploy)")


def test_a_dry_run_lists_what_would_go_and_changes_nothing(demo_site, bare):
    add_target(demo_site, "pages", f'url = "git+file://{bare}"')
    build(load_config(demo_site))
    said: list[str] = []
    report = deploy(load_config(demo_site), DeployOptions(dry_run=True), say=said.append)
    assert not report.failed
    assert subprocess.run(["git", "--git-dir", str(bare), "rev-parse", "--verify", "gh-pages"],
                          capture_output=True).returncode != 0, "a dry run made the branch"
    sends = [line for line in said if line.startswith("pages: send ")]
    assert len(sends) == len(tree_of(demo_site / "public")) + 1  # and .nojekyll
    assert said[-1].startswith("pages: would send")


def test_an_unreachable_remote_is_one_line_and_the_other_targets_still_run(demo_site, bare, tmp_path):
    add_target(demo_site, "broken", f'url = "git+file://{tmp_path}/no-such-repo.git"')
    add_target(demo_site, "pages", f'url = "git+file://{bare}"')
    build(load_config(demo_site))
    report = deploy(load_config(demo_site), DeployOptions(), say=lambda line: None)
    errors = [p for p in report.problems if p.level == "error"]
    assert [p.where for p in errors] == ["deploy.broken"] and "\n" not in errors[0].message
    assert len(commits(bare)) == 1
