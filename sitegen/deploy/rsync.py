"""Publish with real rsync: to a folder, an ssh host (`host:path`) or an rsync daemon (`rsync://`).

`--checksum` sends only files whose bytes changed (a rebuilt page with the same bytes keeps its
mtime anyway); `--delete` takes withdrawn pages away. Every run is first a dry run, so that
a destination that would lose more than `max_deletes` files (a wrong path, say) is refused
before anything is sent; the real run puts all new files in place at the end
(`--delay-updates`) and deletes last (`--delete-after`).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from sitegen.deploy.job import DeployError, Outcome, Publish, Steps, too_many_deletes
from sitegen.errors import SitegenError
from sitegen.outputdir import check_output_dir
from sitegen.targets import DeployTarget

OPTIONS = ["--recursive", "--links", "--times", "--checksum", "--delete", "--delete-after", "--delay-updates",
           "--chmod=D755,F644", "--itemize-changes", "--out-format=%i %n"]
"""Pages readable by the web server whoever made them (--chmod), links kept as links."""
ITEMIZED = 11
"""Width of rsync's %i field (`>f+++++++++`, `*deleting  `)."""


def publish(target: DeployTarget, job: Publish, source: Path, exclude: list[str]) -> Outcome:
    """Mirror `source` (the host tree's folder) to the target. `exclude`: folders of `source` that
    belong to other hosts (the site's own tree holds the trees of variants with hosts of their own)."""
    rsync = shutil.which("rsync")
    if rsync is None:
        raise DeployError("rsync is not installed (Debian: apt-get install rsync)")
    destination = _destination(target, job.site_root, source)
    command = [rsync, *OPTIONS, *(f"--exclude=/{folder}" for folder in exclude), f"{source}/", destination]
    steps = Steps(job.progress, 2)
    planned = _changes(_run([*command, "--dry-run"], target))
    steps.next()
    deletions = sum(line.startswith("delete ") for line in planned)
    if deletions > target.max_deletes and not job.force:
        raise too_many_deletes(deletions, target.max_deletes)
    outcome = _outcome(planned if job.dry_run else _changes(_run(command, target)), job)
    steps.finish()
    return outcome


def _destination(target: DeployTarget, site_root: Path, source: Path) -> str:
    """A local folder is taken from the site folder, and may be no folder of the site's own."""
    if target.url.startswith("rsync://") or ":" in target.url.split("/", 1)[0]:
        return target.location
    folder = (site_root / target.url).resolve()
    try:
        check_output_dir(site_root, folder)
    except SitegenError as exc:
        raise DeployError(str(exc).replace("--output", f"deploy.{target.name}.url", 1)) from None
    if folder == source.resolve() or source.resolve().is_relative_to(folder):
        raise DeployError(f"deploy.{target.name}.url: {folder} holds the built site itself")
    return f"{folder}/"


def _run(command: list[str], target: DeployTarget) -> list[str]:
    done = subprocess.run(command, capture_output=True, text=True, check=False, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        raise DeployError(f"{target.url}: rsync: {why}")
    return done.stdout.splitlines()


def _changes(lines: list[str]) -> list[str]:
    """`send PATH` and `delete PATH` from rsync's itemized output (folders and attribute-only changes
    left out: --checksum already decided which files' bytes differ)."""
    found = []
    for line in lines:
        flags, name = line[:ITEMIZED].strip(), line[ITEMIZED + 1:]
        if flags == "*deleting":
            if not name.endswith("/"):
                found.append(f"delete {name}")
        elif flags[:2] in (">f", "<f") and ("+" in flags or "c" in flags[2:3]):
            found.append(f"send {name}")
    return found


def _outcome(planned: list[str], job: Publish) -> Outcome:
    sizes = {f.path: f.size for f in job.files}
    sent = [line.removeprefix("send ") for line in planned if line.startswith("send ")]
    return Outcome(sent=len(sent), bytes=sum(sizes.get(path, 0) for path in sent),
                   deleted=sum(line.startswith("delete ") for line in planned),
                   unchanged=len(job.files) - len(sent), plan=planned)
