"""Problems found while working, and the report that collects them.

    SitegenError            anything sitegen refuses to go on with
    └── ConfigError         sitegen.toml is missing or invalid (holds every problem)

A stage that can go on after a problem records a `Problem` in the `Report`
instead of raising; the command prints the report and sets the exit status.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

Level = Literal["error", "warning", "note"]


@dataclass(frozen=True)
class Problem:
    where: str
    """The file, source or config key the problem is about."""
    message: str
    level: Level = "error"

    def __str__(self) -> str:
        return f"{self.level}: {self.where}: {self.message}"


class SitegenError(Exception):
    """Base of every error sitegen raises on purpose."""


class ConfigError(SitegenError):
    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@dataclass
class Report:
    """Problems and counts gathered by one command run."""

    problems: list[Problem] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def error(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message, "error"))

    def warning(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message, "warning"))

    def note(self, where: str, message: str) -> None:
        """Worth saying, not a problem (drafts left out, files left alone): not counted as one."""
        self.problems.append(Problem(where, message, "note"))

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def merge(self, other: Report) -> None:
        """Take in another report's problems and counts."""
        self.problems.extend(other.problems)
        for what, n in other.counts.items():
            self.count(what, n)

    def count(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n

    @property
    def failed(self) -> bool:
        return any(p.level == "error" for p in self.problems)

    def summary(self) -> str:
        errors = sum(p.level == "error" for p in self.problems)
        warnings = sum(p.level == "warning" for p in self.problems)
        parts = [f"{n} {what}" for what, n in self.counts.items()]
        parts.append(f"{errors} error{'s' * (errors != 1)}")
        if warnings:
            parts.append(f"{warnings} warning{'s' * (warnings != 1)}")
        return ", ".join(parts)
