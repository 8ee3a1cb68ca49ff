"""Publish to a branch of a git repository (GitHub Pages, Codeberg Pages, any host serving a branch).

The built tree becomes one commit on the branch, its parent the branch as the remote has it,
so history is kept; a tree equal to the branch's makes no commit. The commit is made with git's
plumbing in a cache repository under .sitegen/deploy/ (no checkout of thousands of files),
then pushed: a push is all or nothing, so readers never see half a site.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

from sitegen.deploy.job import DeployError, Outcome, Publish, Steps
from sitegen.targets import DeployTarget

NOJEKYLL = ".nojekyll"
"""Without it GitHub Pages runs Jekyll, which hides files and folders starting with _ or ."""
FALLBACK_AUTHOR = {"GIT_AUTHOR_NAME": "sitegen", "GIT_AUTHOR_EMAIL": "sitegen@localhost",
                   "GIT_COMMITTER_NAME": "sitegen", "GIT_COMMITTER_EMAIL": "sitegen@localhost"}


def publish(target: DeployTarget, job: Publish, cache_root: Path) -> Outcome:
    """Commit `job.files` to the target's branch and push it. `cache_root`: where the cache
    repository lives (it holds what was fetched and made, so a second deploy fetches little)."""
    git, steps = _Git(cache_root / _folder_name(target), target), Steps(job.progress, 4)
    git.prepare()
    old = git.fetch_branch()
    steps.next()
    tree = git.write_tree(_with_extras(job, target))
    steps.next()
    outcome = git.compare(old, tree, job)
    if not outcome.sent and not outcome.deleted and old:
        outcome.note = f"nothing changed: {target.branch} stays at {old[:12]}"
    elif not job.dry_run:
        commit = git.commit(tree, old, _message(job.site_root))
        steps.next()
        git.push(commit)
        outcome.note = f"committed {commit[:12]} to {target.branch}"
    steps.finish()
    return outcome


def _folder_name(target: DeployTarget) -> str:
    """One cache repository per remote: a name from the target and a digest of where it points."""
    return f"{target.name}-{hashlib.sha256(target.location.encode()).hexdigest()[:12]}.git"


def _with_extras(job: Publish, target: DeployTarget) -> dict[str, bytes | Path]:
    """The files to commit, by path: the host tree, `.nojekyll`, and `CNAME` when the target names one."""
    files: dict[str, bytes | Path] = {f.path: f.source for f in job.files}
    files[NOJEKYLL] = b""
    if target.cname:
        files["CNAME"] = f"{target.cname}\n".encode()
    return files


def _message(site_root: Path) -> str:
    """Names the site's own commit when the site is a git repository."""
    head = subprocess.run(["git", "-C", str(site_root), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                          text=True, check=False)
    if head.returncode != 0:
        return "Publish the site (sitegen deploy)"
    dirty = subprocess.run(["git", "-C", str(site_root), "status", "--porcelain"], capture_output=True, text=True,
                           check=False).stdout.strip()
    return f"Publish the site at {head.stdout.strip()}{' with uncommitted changes' if dirty else ''} (sitegen deploy)"


class _Git:
    """git commands in the cache repository, each failing as one DeployError line."""

    def __init__(self, repo: Path, target: DeployTarget):
        self.repo, self.target = repo, target
        self.ref = f"refs/heads/{target.branch}"

    def run(self, *args: str, stdin: str = "", env: dict[str, str] | None = None) -> str:
        command = ["git", "--git-dir", str(self.repo), *args]
        try:
            done = subprocess.run(command, input=stdin, capture_output=True, text=True, check=False,
                                  env={**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})})
        except FileNotFoundError:
            raise DeployError("git is not installed (Debian: apt-get install git)") from None
        if done.returncode != 0:
            why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
            raise DeployError(f"{self.target.url}: git {args[0]}: {why}")
        return done.stdout

    def prepare(self) -> None:
        if not (self.repo / "HEAD").exists():
            self.repo.parent.mkdir(parents=True, exist_ok=True)
            self.run("init", "--bare", "--quiet")

    def fetch_branch(self) -> str:
        """The branch's commit on the remote, fetched; '' when the branch is not there yet."""
        heads = self.run("ls-remote", "--heads", self.target.location, self.target.branch)
        if not heads.strip():
            return ""
        self.run("fetch", "--quiet", "--no-tags", self.target.location, f"+{self.ref}:{self.ref}")
        return self.run("rev-parse", self.ref).strip()

    def write_tree(self, files: dict[str, bytes | Path]) -> str:
        """The tree of `files`, made in a private index (blobs written in one batch per kind)."""
        paths = sorted(files)
        on_disk = [p for p in paths if isinstance(files[p], Path)]
        blobs = dict(zip(on_disk, self.run("hash-object", "-w", "--stdin-paths", "--no-filters",
                                           stdin="".join(f"{files[p]}\n" for p in on_disk)).split()))
        for path in paths:
            if path not in blobs:
                blobs[path] = self._blob(files[path])
        index = self.repo / "sitegen-deploy.index"
        index.unlink(missing_ok=True)
        env = {"GIT_INDEX_FILE": str(index)}
        self.run("update-index", "--add", "-z", "--index-info",
                 stdin="".join(f"100644 {blobs[p]}\t{p}\0" for p in paths), env=env)
        tree = self.run("write-tree", env=env).strip()
        index.unlink(missing_ok=True)
        return tree

    def _blob(self, data: bytes) -> str:
        done = subprocess.run(["git", "--git-dir", str(self.repo), "hash-object", "-w", "--stdin"], input=data,
                              capture_output=True, check=True)
        return done.stdout.decode().strip()

    def compare(self, old: str, tree: str, job: Publish) -> Outcome:
        """What the new tree sends and deletes against the branch's."""
        sizes = {f.path: f.size for f in job.files}
        if not old:
            changes = [("A", path) for path in self.run("ls-tree", "-r", "--name-only", "-z", tree).split("\0") if path]
        else:
            fields = self.run("diff-tree", "-r", "--no-renames", "--name-status", "-z", old, tree).split("\0")
            changes = list(zip(fields[0::2], fields[1::2]))
        outcome = Outcome()
        for status, path in changes:
            if status == "D":
                outcome.deleted += 1
                outcome.plan.append(f"delete {path}")
            else:
                outcome.sent += 1
                outcome.bytes += sizes.get(path, 0)
                outcome.plan.append(f"send {path}")
        outcome.unchanged = len(job.files) - sum(1 for status, path in changes if status != "D" and path in sizes)
        return outcome

    def commit(self, tree: str, parent: str, message: str) -> str:
        env = {} if self._has_identity() else FALLBACK_AUTHOR  # a fresh CI machine has no git identity
        return self.run("commit-tree", tree, *(["-p", parent] if parent else []), "-m", message, env=env).strip()

    def _has_identity(self) -> bool:
        found = subprocess.run(["git", "--git-dir", str(self.repo), "config", "--get", "user.email"],
                               capture_output=True, check=False)
        return found.returncode == 0 and bool(found.stdout.strip())

    def push(self, commit: str) -> None:
        self.run("push", "--quiet", self.target.location, f"{commit}:{self.ref}")
        self.run("update-ref", self.ref, commit)
