"""Problems found while working, and the report that collects them.

Every error sitegen raises on purpose is a SitegenError. Most are caught where work can go
on and become a `Problem` in the `Report`; one that reaches `sitegen` (cli.main) is printed
as one `error: ...` line (a ConfigError: one line per problem) and the status is 2.
The tree, with the module each class lives in and when it is raised:

    SitegenError                errors               anything sitegen refuses to go on with: a bad
    │                                                --site/--output, init into a full folder, no
    │                                                such deploy target or variant, unreadable input
    ├── ConfigError             errors               sitegen.toml or glossary.toml is missing or
    │                                                invalid (holds every problem, not just the first)
    ├── ContentError            errors               an article file cannot be read as an article
    │   ├── ArticleError        content.articles     its front matter does not describe a valid
    │   │                                            article (a field missing or wrong), or not UTF-8
    │   ├── FrontMatterError    content.frontmatter  no front matter, or it is not a YAML mapping
    │   └── WithdrawalError     content.withdrawal   `sitegen withdraw`: no story of that id, or
    │                                                `--undo` of a story that is not withdrawn
    ├── UnsafePathError         fsutil               a path built from outside data would leave its folder
    ├── OutputWriteError        write                an output could not be written (a full disk): the
    │                                                build puts nothing in place
    ├── UnknownConverterError   convert.engines      a variant names an OpenCC config that does not exist
    ├── TemplateProblem         render.templates     a template does not compile, is missing, or fails
    │                                                while rendering (message: file:line: why)
    ├── ImageProblem            images.facts         a site image cannot be read or is too large to decode
    │                                                (one warning; its pages show the original)
    ├── SearchIndexError        outputs.search       Pagefind is missing or could not index the pages
    │                                                (the last index is kept)
    ├── FetchError              fetch.http           a feed, page or image could not be had (HTTP
    │   │                                            status, timeout, too large, no connection,
    │   │                                            unreadable local file)
    │   ├── FeedParseError      fetch.parse          what was fetched is not a readable RSS or Atom feed
    │   ├── FulltextError       fetch.fulltext       a story's page is not HTML or holds no article,
    │   │                                            or the fulltext extra is not installed
    │   └── ImageError          fetch.images         the bytes fetched are not an image type sitegen stores
    ├── FetchLockedError        fetch.state          another `sitegen fetch` holds the site's fetch lock
    ├── HealthRecordError       health               the source health file cannot be written or read
    │                                                (a fetch warns and goes on; `sources status` stops)
    └── DeployError             deploy.job           one target could not be published to (the report
                                                     gets its line, the other targets still go)

ArticleError, FrontMatterError, UnsafePathError and UnknownConverterError are ValueErrors too,
as they were before the tree. Private exceptions (a leading `_`) never leave their module and
are not part of the tree.

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


class ContentError(SitegenError):
    """An article file cannot be read as an article; the message says why in one line.
    Its kinds live in sitegen.content; content and fetch both catch this base."""


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
