"""Thin commands: parse options, call one function, print the report, set the exit status.

Exit status: 0 all went well, 1 some work failed (reported line by line),
2 nothing could be done (bad config or usage).

A command raises a SitegenError (see sitegen.errors) for what stops it; `main` alone catches
them and prints one `error: ...` line (a ConfigError: its problems, then a count), status 2.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

from sitegen import __version__
from sitegen.build import build, check_site, output_lock
from sitegen.config import CONFIG_FILE, SiteConfig, load_config, parse_config
from sitegen.errors import ConfigError, Report, SitegenError
from sitegen.fsutil import atomic_write
from sitegen.initsite import make_site, next_steps
from sitegen.model import SCRIPTS
from sitegen.options import (OneLineParser, check_site_folder, check_site_layout,
                             parse_duration, port_number, positive_int, read_text_input)
from sitegen.progress import progress_bar
from sitegen.sources.table import sources_table


def run() -> None:
    """The `sitegen` command: `main`, then leave at once. Everything is written and flushed by then;
    what is left is the interpreter freeing every object a big build made, one by one, which
    takes longer than a small rebuild itself."""
    status = main(ending=True)
    if sys.gettrace() is not None or sys.getprofile() is not None:
        sys.exit(status)  # a profiler or coverage tool writes its findings at exit
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except OSError:  # a reader that went away (`sitegen build | head`): nothing more to say
            pass
    os._exit(status)


def main(argv: list[str] | None = None, ending: bool = False) -> int:
    """Run the command `argv` names; `ending`: the process leaves when it is done (`run`)."""
    parser = _parser()
    args = parser.parse_args(argv)
    args.ending = ending
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    try:
        _site_option(args)
        return args.run(args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"{CONFIG_FILE}: {len(exc.problems)} problem(s); nothing was done", file=sys.stderr)
        return 2
    except SitegenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # the last guard: a file the system refused is one line, not a traceback
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


def _site_option(args: argparse.Namespace) -> None:
    """--site: for init the folder to make (when DIR is not given); for the others a folder that is there."""
    if args.run is cmd_init:
        if args.directory is not None and args.site is not None and args.directory != args.site:
            raise SitegenError(f"init: two folders given ({args.directory} and --site {args.site}); give one")
        args.directory = args.directory or args.site
        if args.directory is None:
            raise SitegenError("init: name the folder to make: sitegen init DIR")
        return
    args.site = args.site or Path(".")
    check_site_folder(args.site)


def _parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="sitegen", description="Republish Chinese-language news feeds "
                           "as a static site in Simplified and Traditional Chinese.")
    parser.add_argument("--version", action="version", version=f"sitegen {__version__}")
    site = argparse.ArgumentParser(add_help=False)
    site.add_argument("--site", type=Path, default=None, metavar="DIR",
                      help="the site folder, holding sitegen.toml (default: the current folder)")
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    def command(name: str, run: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, parents=[site], help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    init = command("init", cmd_init, "make a new, working site folder")
    init.add_argument("directory", type=Path, nargs="?", metavar="DIR",
                      help="folder to create (may exist if empty); --site DIR says the same")
    new = command("new", cmd_new, "write a new local article in content/local/ and print its path")
    new.add_argument("title", help="the article's title, in either script")
    new.add_argument("--lang", choices=SCRIPTS, help="the script it is written in (default: told from the title)")
    withdraw = command("withdraw", cmd_withdraw, "take a story down: its pages say it was withdrawn, and it "
                       "leaves every list, feed, sitemap and the search index (--undo publishes it again)")
    withdraw.add_argument("id", metavar="ID", help="the story's id (its file name without .md)")
    withdraw.add_argument("--reason", default="", help="why, as its page will say (e.g. 應原作者要求)")
    withdraw.add_argument("--undo", action="store_true", help="publish the story again, as it was")
    fetch = command("fetch", cmd_fetch, "pull the configured feeds into content/")
    fetch.add_argument("--source", action="append", metavar="ID", help="fetch only this source (repeatable)")
    fetch.add_argument("--json", action="store_true", help="print the outcome as JSON (for cron and monitoring)")
    build_cmd = command("build", cmd_build, "convert and render into public/ what changed since the last build")
    build_cmd.add_argument("-v", "--verbose", action="store_true", help="print the time of each stage")
    build_cmd.add_argument("--output", type=Path, metavar="DIR", help="write here instead of public/")
    build_cmd.add_argument("--jobs", type=positive_int, metavar="N", help="processes to use (default: one per core)")
    build_cmd.add_argument("--no-search", action="store_true",
                           help="no search page, box or index (as `search = false` in [site])")
    serve = command("serve", cmd_serve, "build, preview on http://127.0.0.1:8000/ and rebuild on every save")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default: 127.0.0.1)")
    serve.add_argument("--port", type=port_number, default=8000, help="port (default: 8000; the next free one if taken)")
    serve.add_argument("--open", action="store_true", help="open the site in a browser")
    serve.add_argument("--no-drafts", action="store_true",
                       help="show the site as it will be published (default: drafts and scheduled stories, marked)")
    serve.add_argument("--fetch-every", type=parse_duration, default=0, metavar="DURATION",
                       help="also fetch the sources every DURATION (e.g. 10m)")
    deploy = command("deploy", cmd_deploy, "check the built site, then publish it to the [deploy.NAME] targets")
    deploy.add_argument("names", nargs="*", metavar="NAME", help="targets to publish to (default: all)")
    deploy.add_argument("--dry-run", action="store_true", help="say what would be sent and deleted; change nothing")
    deploy.add_argument("--force", action="store_true", help="delete more files than a target's max_deletes")
    deploy.add_argument("--no-check", action="store_true", help="publish without checking the built site first")
    check = command("check", cmd_check, "check sitegen.toml, every article and the built site")
    check.add_argument("--built", action="store_true", help="check only the built site (what deploy checks first)")
    convert = command("convert", cmd_convert, "convert Markdown or text to a variant's script, as the build would")
    convert.add_argument("file", nargs="?", type=Path, help="text file to convert (default: standard input)")
    convert.add_argument("--to", default=None, metavar="VARIANT", help="target variant (default: the site's default)")
    convert.add_argument("--from", dest="source_script", choices=["auto", "zh-Hans", "zh-Hant"], default="auto",
                         help="the script the text is written in (default: detect)")
    _sources_parser(command("sources", cmd_sources, "list, import, export and check the feeds of sitegen.toml"))
    return parser


def _sources_parser(sources: argparse.ArgumentParser) -> None:
    """The actions of `sitegen sources`. `--site` goes before the action (from `site`, as on every
    command) or after it; the action's own has no default, which would overwrite the one before."""
    actions = sources.add_subparsers(title="actions", metavar="ACTION")
    action_site = argparse.ArgumentParser(add_help=False)
    action_site.add_argument("--site", type=Path, default=argparse.SUPPRESS, metavar="DIR",
                             help="the site folder, holding sitegen.toml (default: the current folder)")

    def action(name: str, run: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        sub = actions.add_parser(name, parents=[action_site], help=help, description=help)
        sub.set_defaults(run=run)
        return sub

    action("list", cmd_sources_list, "print a table of the sources")
    opml_in = action("import", cmd_sources_import, "add the feeds of an OPML file to sitegen.toml")
    opml_in.add_argument("file", type=Path, metavar="FILE.opml", help="OPML file (as Feedly, Inoreader, NetNewsWire export)")
    opml_out = action("export", cmd_sources_export, "write the sources as OPML 2.0")
    opml_out.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here (default: standard output)")
    status = action("status", cmd_sources_status, "how each source has fared: last success, failures, new stories")
    status.add_argument("--json", action="store_true", help="print it as JSON")


def _print_report(report: Report, done: str) -> int:
    for problem in report.problems:
        print(problem, file=sys.stderr)
    print(f"{done}: {report.summary()}")
    return 1 if report.failed else 0


def cmd_init(args: argparse.Namespace) -> int:
    target: Path = args.directory
    make_site(target)
    print(f"made a new site in {target}; next, one command a line:")
    for line in next_steps(target):
        print(f"  {line}")
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from sitegen.newarticle import new_article  # pypinyin is only needed here

    config = load_config(args.site)
    check_site_layout(config)
    lang = args.lang or _script_of(args.title, config)
    made = new_article(config, args.title, lang)
    if made.id != made.wanted:
        print(f"note: {made.path}: id {made.wanted!r} is taken by {made.taken_by}; this one is {made.id!r}",
              file=sys.stderr)
    print(made.path)
    return 0


def _script_of(text: str, config: SiteConfig) -> str:
    """The script `text` is written in; the default variant's when no character tells."""
    from sitegen.convert.detect import detect_script
    from sitegen.convert.opencc import check_converters

    default = config.variant(config.site.default_variant).script
    return detect_script(text, check_converters(config), default=default)


def cmd_withdraw(args: argparse.Namespace) -> int:
    from zoneinfo import ZoneInfo

    from sitegen.content.withdrawal import restore, withdraw

    config = load_config(args.site)
    check_site_layout(config)
    if args.undo:
        if args.reason:
            raise SitegenError("withdraw: --undo takes no --reason")
        story = restore(config.content_dir, args.id)
        print(f"{story.path}: {story.title!r} is published again at the next build")
        return 0
    now = datetime.now(ZoneInfo(config.site.timezone)).replace(microsecond=0)
    story = withdraw(config.content_dir, args.id, now, " ".join(args.reason.split()))
    print(f"{story.path}: {story.title!r} withdrawn; the next build replaces its pages with a notice "
          "and `sitegen deploy` publishes it")
    return 0


def cmd_fetch(args: argparse.Namespace) -> int:
    from sitegen.fetch.ingest import fetch_sources  # feedparser and httpx are only needed here
    from sitegen.fetch.report import print_fetch_json, print_fetch_lines

    config, report = load_config(args.site), Report()
    check_site_layout(config)
    unknown = set(args.source or ()) - {s.id for s in config.sources}
    if unknown:
        raise SitegenError(f"no source {', '.join(sorted(unknown))} in {CONFIG_FILE}")
    # another fetch running on the site: FetchLockedError, status 2 from main
    results = fetch_sources(config, report, only=set(args.source) if args.source else None,
                            progress=None if args.json else progress_bar(sys.stderr))
    (print_fetch_json if args.json else print_fetch_lines)(results, report)
    return 1 if report.failed else 0


def cmd_build(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    check_site_layout(config)
    _collect_no_more(args)
    result = build(config.without_search() if args.no_search else config, args.output, workers=args.jobs)
    if args.verbose:
        for stage, seconds in result.timings.items():
            print(f"{stage:>8}: {seconds * 1000:.0f} ms")
    return _print_report(result.report, "built")


def _collect_no_more(args: argparse.Namespace) -> None:
    """When the process leaves once the command is done (`run`), the cyclic collector stays off: a
    build turns it off while it works, and turned on again it would first scan every object the
    build made (0.13 s after a one-article build of 20,000 articles, 0.6 s at 100,000), just
    before the process leaves without freeing any of them."""
    if args.ending:
        gc.disable()


def cmd_serve(args: argparse.Namespace) -> int:
    from sitegen.serve.run import serve  # watchdog is only needed here

    check_site_layout(load_config(args.site))  # not a site, or a config that does not load: status 2, as build
    return serve(args.site.resolve(), args.host, args.port, open_browser=args.open, fetch_every=args.fetch_every,
                 drafts=not args.no_drafts)


def cmd_deploy(args: argparse.Namespace) -> int:
    from sitegen.deploy.run import DeployOptions, deploy

    config = load_config(args.site)
    check_site_layout(config)
    bar = progress_bar(sys.stderr)
    report = deploy(config, DeployOptions(tuple(args.names), args.dry_run, args.force, not args.no_check),
                    say=lambda line: print(line, flush=True),
                    progress_for=lambda name: (lambda done, total: bar(done, total, name)) if bar else None)
    return _print_report(report, "deployed" if not args.dry_run else "planned")


def cmd_check(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    check_site_layout(config)
    report = Report() if args.built else check_site(config)
    if args.built or config.output_dir.is_dir():  # a site not built yet has only its sources to check
        from sitegen.sitecheck import check_built_site  # reads every page of public/

        _collect_no_more(args)
        with output_lock(config, config.output_dir.resolve()):
            report.merge(check_built_site(config))
    return _print_report(report, "checked")


def cmd_convert(args: argparse.Namespace) -> int:
    from sitegen.convert.detect import detect_script  # OpenCC is not needed to say that nothing changed
    from sitegen.convert.opencc import check_converters
    from sitegen.convert.source import convert_markdown

    config = _config_or_defaults(args.site)
    name = args.to or config.site.default_variant
    variant = next((v for v in config.variants if v.name == name), None)
    if variant is None:
        raise SitegenError(f"--to: no variant {name!r}; the site has {', '.join(v.name for v in config.variants)}")
    text = read_text_input(args.file)
    converters = check_converters(config)
    script = args.source_script if args.source_script != "auto" else detect_script(text, converters)
    sys.stdout.write(convert_markdown(text, converters.for_variant(variant, script)))
    return 0


def _config_or_defaults(root: Path) -> SiteConfig:
    if (root / CONFIG_FILE).exists():
        return load_config(root)
    return parse_config({"site": {"title": "sitegen", "base_url": "http://localhost/"}}, root)


def cmd_sources(args: argparse.Namespace) -> int:
    print("sitegen sources: say what to do: list, import FILE.opml, export, status", file=sys.stderr)
    return 2


def cmd_sources_list(args: argparse.Namespace) -> int:
    config = load_config(args.site)
    for line in sources_table(config.sources):
        print(line)
    if not config.sources:
        print(f"no sources in {CONFIG_FILE}: add [[sources]] tables, or `sitegen sources import FILE.opml`",
              file=sys.stderr)
    return 0


def cmd_sources_import(args: argparse.Namespace) -> int:
    from sitegen.sources.importing import import_opml  # pypinyin and charset detection are only needed here

    plan = import_opml(load_config(args.site), args.file)
    for source in plan.added:
        print(f"added {source.id}: {source.name}")
    for skipped in plan.skipped:
        print(f'{args.file}: line {skipped.line}: skipped "{skipped.title}": {skipped.reason}', file=sys.stderr)
    print(f"imported {len(plan.added)} sources ({len(plan.skipped)} skipped)")
    return 0


def cmd_sources_export(args: argparse.Namespace) -> int:
    from sitegen.sources.exporting import export_sources  # the OPML module reads files of any encoding: slow to load

    export = export_sources(load_config(args.site))
    if args.output:
        try:
            atomic_write(args.output, export.data)
        except OSError as exc:  # named by the temporary file it failed on: name the one asked for
            raise SitegenError(f"-o {args.output}: cannot write: {exc.strerror or exc}") from None
    else:
        sys.stdout.flush()
        sys.stdout.buffer.write(export.data)
        sys.stdout.buffer.flush()
    for source in export.left_out:
        print(f"note: sources.{source.id}: reads the feed file {source.url}, not a URL: left out", file=sys.stderr)
    return 0


def cmd_sources_status(args: argparse.Namespace) -> int:
    from sitegen.sources.status import print_status

    config = load_config(args.site)
    check_site_layout(config)
    return print_status(config, datetime.now(timezone.utc), as_json=args.json)
