"""`sitegen deploy`: check the built site, then publish it to each target in turn.

Nothing is published from a site that fails the check, that was last built as a preview
(drafts in it), or that was never built. A target that fails is one line; the others still
run, and the exit status says so.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from sitegen.build import output_lock
from sitegen.cache import built_as_preview
from sitegen.config import SiteConfig
from sitegen.deploy.job import DeployError, Outcome, Progress, Publish
from sitegen.deploy.tree import local_files
from sitegen.errors import Report, SitegenError
from sitegen.targets import DeployTarget


@dataclass(frozen=True)
class DeployOptions:
    names: tuple[str, ...] = ()
    """Targets to publish to (none: all of them)."""
    dry_run: bool = False
    force: bool = False
    check: bool = True


Say = Callable[[str], None]


def deploy(config: SiteConfig, options: DeployOptions, say: Say = print,
           progress_for: Callable[[str], Progress | None] = lambda name: None) -> Report:
    """Publish `public/` to the chosen targets; raises SitegenError (nothing done) for a bad name,
    no targets, or a site that must not be published. `say` gets one closing line per target."""
    targets = _chosen(config, options.names)
    # No build may put files in place while they are published (and one killed doing so is finished first).
    with output_lock(config, config.output_dir.resolve()):
        return _deploy(config, targets, options, say, progress_for)


def _deploy(config: SiteConfig, targets: tuple[DeployTarget, ...], options: DeployOptions, say: Say,
            progress_for: Callable[[str], Progress | None]) -> Report:
    report = Report()
    _publishable(config, options, report)
    if report.failed:
        report.error(str(config.output_dir), "not published: fix the problems above and build again "
                                             "(or deploy with --no-check)")
        return report
    for target in targets:
        started = time.perf_counter()
        try:
            outcome = _publish(config, target, options, progress_for(target.name))
        except DeployError as exc:
            report.error(f"deploy.{target.name}", str(exc))
            continue
        for line in outcome.plan if options.dry_run else ():
            say(f"{target.name}: {line}")
        say(_closing_line(target, outcome, time.perf_counter() - started, options.dry_run))
        report.count("targets published" if not options.dry_run else "targets planned")
    return report


def _chosen(config: SiteConfig, names: tuple[str, ...]) -> tuple[DeployTarget, ...]:
    if not config.deploy:
        raise SitegenError("sitegen.toml has no [deploy.NAME] target; see the README's sitegen deploy")
    known = {t.name: t for t in config.deploy}
    if unknown := [name for name in names if name not in known]:
        raise SitegenError(f"no deploy target {', '.join(unknown)} in sitegen.toml (it has: {', '.join(known)})")
    return tuple(known[name] for name in dict.fromkeys(names)) if names else config.deploy


def _publishable(config: SiteConfig, options: DeployOptions, report: Report) -> None:
    output = config.output_dir
    if not output.is_dir() or not any(output.iterdir()):
        report.error(str(output), "the site is not built: run sitegen build first")
        return
    if built_as_preview(config.state_dir, output.resolve()):
        report.error(str(output), "was last built by sitegen serve with drafts shown: run sitegen build first")
    if options.check:
        from sitegen.sitecheck import check_built_site  # reads every page: only when asked

        report.merge(check_built_site(config))


def _publish(config: SiteConfig, target: DeployTarget, options: DeployOptions, progress: Progress | None) -> Outcome:
    trees = {v.tree for v in config.variants} | {""}
    job = Publish(local_files(config.output_dir, target, trees), config.root, options.dry_run, options.force,
                  progress)
    if not job.files:
        raise DeployError(f"nothing to publish in {config.output_dir / target.tree}")
    if target.kind == "git":
        from sitegen.deploy import gitbranch

        return gitbranch.publish(target, job, config.state_dir / "deploy")
    if target.kind == "rsync":
        from sitegen.deploy import rsync

        others = sorted(t for t in trees if t and t != target.tree) if not target.tree else []
        return rsync.publish(target, job, config.output_dir / target.tree, others)
    from sitegen.deploy import s3  # boto3 is only needed here

    return s3.publish(target, job)


def _closing_line(target: DeployTarget, outcome: Outcome, seconds: float, dry_run: bool) -> str:
    verb = "would send" if dry_run else "sent"
    line = (f"{target.name}: {verb} {outcome.sent} files ({_size(outcome.bytes)}), "
            f"{'would delete' if dry_run else 'deleted'} {outcome.deleted}, {outcome.unchanged} unchanged, "
            f"{seconds:.1f} s")
    return line + (f"; {outcome.note}" if outcome.note else "")


def _size(count: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if count < 1024 or unit == "GB":
            return f"{count:.0f} {unit}" if unit == "B" else f"{count:.1f} {unit}"
        count /= 1024
    return ""
