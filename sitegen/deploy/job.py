"""What every deploy target is given and gives back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from sitegen.deploy.tree import LocalFile
from sitegen.errors import SitegenError

Progress = Callable[[int, int], None]
"""Called with (done, total) as files go up."""


class DeployError(SitegenError):
    """A target could not be published to; the message is one line saying why."""


@dataclass(frozen=True)
class Publish:
    files: list[LocalFile]
    """The host tree to publish, by path."""
    site_root: Path
    """The site folder (relative local destinations are taken from here; a git site names its commit)."""
    dry_run: bool = False
    """Say what would be sent and deleted; change nothing."""
    force: bool = False
    """Delete more than the target's max_deletes."""
    progress: Progress | None = None


@dataclass
class Outcome:
    sent: int = 0
    """Files uploaded (or, in a dry run, that would be)."""
    bytes: int = 0
    deleted: int = 0
    unchanged: int = 0
    plan: list[str] = field(default_factory=list)
    """In a dry run: `send PATH` and `delete PATH` lines, in the order they would happen."""
    note: str = ""
    """Anything else worth one line (the commit made, "nothing changed")."""


def too_many_deletes(count: int, limit: int) -> DeployError:
    return DeployError(f"would delete {count} files, more than max_deletes = {limit}; nothing was changed "
                       "(check the target, then raise max_deletes or run with --force)")


class Steps:
    """Progress for work done in a few steps over the whole tree at once (git, rsync): a bar that
    moves a step at a time beats one that sits at nothing until the end."""

    def __init__(self, progress: Progress | None, total: int):
        self.progress, self.total, self.done = progress, total, 0

    def next(self) -> None:
        self._show(min(self.done + 1, self.total))

    def finish(self) -> None:
        self._show(self.total)

    def _show(self, done: int) -> None:
        self.done = done
        if self.progress:
            self.progress(done, self.total)
