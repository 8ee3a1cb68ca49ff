"""The GitHub Actions workflow `sitegen init` writes: its triggers and steps, and its commands run
here, in order, on a new site that is a git repository with a remote, offline."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import yaml

from tests.deploy.helpers import git, require

VENV_BIN = Path(sys.executable).parent


def new_site(tmp_path: Path) -> Path:
    made = subprocess.run([sys.executable, "-m", "sitegen", "init", "news"], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120)
    assert made.returncode == 0, made.stderr
    return tmp_path / "news"


def workflow(site: Path) -> dict:
    return yaml.safe_load((site / ".github/workflows/publish.yml").read_text(encoding="utf-8"))


def test_init_writes_a_workflow_that_fetches_builds_checks_and_publishes(tmp_path):
    flow = workflow(new_site(tmp_path))
    triggers = flow[True]  # YAML 1.1 reads the key `on` as true
    assert set(triggers) == {"schedule", "push", "workflow_dispatch"} and triggers["schedule"][0]["cron"]
    assert flow["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}
    steps = flow["jobs"]["publish"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    runs = " ".join(step.get("run", "") for step in steps)
    assert "actions/cache" in uses and next(s for s in steps if "cache" in s.get("uses", ""))["with"]["path"] == ".sitegen"
    assert runs.index("sitegen fetch") < runs.index("git push") < runs.index("sitegen build") \
        < runs.index("sitegen check --built")
    assert uses[-2:] == ["actions/upload-pages-artifact", "actions/deploy-pages"]
    assert steps[-2]["with"]["path"] == "public"


def run_steps(site: Path) -> None:
    """Every `run:` step as GitHub runs it (bash -eo pipefail), but the install: sitegen is in .venv."""
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ['PATH']}", "GIT_TERMINAL_PROMPT": "0"}
    for step in workflow(site)["jobs"]["publish"]["steps"]:
        if "run" not in step or step.get("name") == "Install sitegen":
            continue
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=site,
                              env={**env, **step.get("env", {})}, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, f"{step['name']}:\n{done.stdout}{done.stderr}"


def test_the_workflows_commands_commit_fetched_stories_back_and_build_a_site_that_checks(tmp_path):
    require("git")
    site, origin = new_site(tmp_path), tmp_path / "origin.git"
    git("init", "--bare", "--quiet", "--initial-branch=main", str(origin))
    git("-C", str(site), "init", "--quiet", "--initial-branch=main")
    git("-C", str(site), "add", "-A")
    git("-C", str(site), "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "--quiet", "-m", "new site")
    git("-C", str(site), "remote", "add", "origin", str(origin))
    git("-C", str(site), "push", "--quiet", "-u", "origin", "main")
    run_steps(site)
    log = git("--git-dir", str(origin), "log", "--format=%s", "main").splitlines()
    assert log == ["Fetched stories", "new site"]
    stored = git("--git-dir", str(origin), "ls-tree", "-r", "--name-only", "main", "content/sample").split()
    assert len(stored) == 3  # the sample feed's stories, kept in the repository
    assert list((site / "public/zh-hant").rglob("*.html"))
    run_steps(site)  # the next scheduled run: nothing new fetched, nothing committed
    assert len(git("--git-dir", str(origin), "log", "--format=%s", "main").splitlines()) == 2
