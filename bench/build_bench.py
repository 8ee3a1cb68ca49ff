"""Build benchmark: sitegen against Hugo on the same generated corpus.

    .venv/bin/python bench/build_bench.py [--articles 1000 5000 20000 100000] [--edits 5] [--no-hugo] [--search]
                                          [--keep DIR]

For each N, bench/make_corpus.py makes the corpus (N articles, both scripts), then:

  sitegen cold          `python -m sitegen build` with no public/ and no .sitegen/ (a fresh process, as a user runs it)
  no change, settled    the same command again, 3 s later
  no change, just after once more, straight after a file was written again with the same bytes (as by a fetch
                        that found nothing new, or a cron script's fetch then build)
  one article, settled  after appending a paragraph to one article, 3 s later
  one article, just after
                        after appending a paragraph to another article, straight away (an editor's save)
  new story, settled    after a story newer than all others (in the same month) is added, as a fetch adds one, 3 s later
  new story, just after after another new story, straight away (a cron script's fetch then build)
  no cache, public/ kept
                        with .sitegen/ deleted, as a new sitegen version (or a lost cache) meets a built site:
                        every page made again, compared with public/ and written only where it differs
                        (the cold build renames its staged tree into a public/ that is not there yet)
  sitegen serve         `sitegen serve` running; an article saved --edits times; each time, from just before
                        the write until its page on disk holds the new text (watcher, debounce, rebuild, write)
  hugo cold             `hugo` with an empty destination, same articles, one script (bench/hugo/ is the site)
  hugo one article      `hugo` again after the same edit (its CLI builds everything again)
  hugo server           as for sitegen serve, with `hugo server --renderToDisk`

The corpus is built without the search index (`search = false`), as Hugo builds none; `--search`
keeps it (Pagefind then indexes every page of a cold build, and re-indexes after an edit). sitegen's
modules are compiled to bytecode first, as an installed package's are (the environment may say
PYTHONDONTWRITEBYTECODE, and compiling them again in every process is not what a user meets).

Printed: HTML pages in the output, wall time, pages/s, the peak RSS of the largest process, and for
the cold build the ratio to Hugo's. Hugo runs when `hugo` is on PATH (Debian: apt-get install hugo).
Loopback only; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HUGO_SITE = REPO / "bench" / "hugo"
HOUR_AGO = time.time() - 3600
SETTLED = 3.0
"""Seconds between a file's change and the build that reads it for the change to count as settled
(sitegen trusts a file's time only when it is older than the last build by 2 s)."""


@dataclass
class Run:
    seconds: float
    peak_mib: float
    output: str
    """The last line printed."""
    full: str = ""
    """Everything printed."""


def run(command: list[str], cwd: Path | None = None) -> Run:
    """Run to the end; wall time and the peak RSS of the largest process among it and its children."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    output = process.stdout.read() if process.stdout else ""
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({process.returncode}):\n{output}")
    return Run(seconds, usage.ru_maxrss / 1024, output.strip().splitlines()[-1] if output.strip() else "", output)


def html_pages(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.html"))


def say(n: int, label: str, pages: int, result: Run, extra: str = "") -> None:
    print(f"N={n:>6,}  {label:<24} {pages:>7,} pages {result.seconds:8.2f} s {pages / result.seconds:8.0f} pages/s "
          f"{result.peak_mib:7.0f} MiB  {extra}", flush=True)


def settle(folder: Path) -> None:
    """Date the corpus back, as files written long before the build would be."""
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (HOUR_AGO, HOUR_AGO))


def rewrite(article: Path) -> None:
    """The same bytes written again: only the file's time changes."""
    article.write_bytes(article.read_bytes())


def edit(article: Path, marker: str) -> None:
    with article.open("a", encoding="utf-8") as f:
        f.write(f"\n{marker}新增一段。\n")


def new_story(template: Path, number: int, articles: list[Path]) -> None:
    """A story newer than every other, as a fetch writes one into a site kept up to date:
    `template`'s file with its own id and guid, dated `number` seconds after the newest of
    `articles` (so in the same month: the first story of a month also changes every page that
    lists the archives, once a month)."""
    newest = max(datetime.fromisoformat(DATE.search(a.read_text(encoding="utf-8")).group(1)) for a in articles)
    text = template.read_text(encoding="utf-8")
    for field, value in (("id", f"bench{number:04d}"), ("guid", f"https://bench.example.org/new/{number}"),
                         ("date", (newest + timedelta(seconds=number)).isoformat())):
        text = re.sub(rf"^{field}: .*$", f'{field}: "{value}"', text, count=1, flags=re.M)
    (template.parent / f"bench-new-{number}.md").write_text(text, encoding="utf-8")


DATE = re.compile(r'^date: "?([^"\n]+)"?$', re.M)


def bench_sitegen(n: int, site: Path) -> float:
    sitegen = [sys.executable, "-m", "sitegen", "build", "--site", str(site)]
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / ".sitegen", ignore_errors=True)
    cold = run(sitegen)
    pages = html_pages(site / "public")
    say(n, "sitegen cold", pages, cold, cold.output)
    articles = sorted((site / "content").rglob("*.md"))
    time.sleep(SETTLED)
    say(n, "no change, settled", pages, again := run(sitegen), again.output)
    rewrite(articles[n // 3])  # as a fetch that found nothing new rewrites a file, the build right after
    say(n, "no change, just after", pages, again := run(sitegen), again.output)
    edit(articles[n // 2], "BENCHCLI")
    time.sleep(SETTLED)
    say(n, "one article, settled", pages, once := run(sitegen), once.output)
    edit(articles[n // 2 + 1], "BENCHCLI")  # an editor who saves and builds at once
    say(n, "one article, just after", pages, once := run(sitegen), once.output)
    new_story(articles[n // 4], 1, articles)
    time.sleep(SETTLED)
    say(n, "new story, settled", pages, once := run(sitegen), once.output)
    new_story(articles[n // 4], 2, articles)
    say(n, "new story, just after", pages, once := run(sitegen), once.output)
    shutil.rmtree(site / ".sitegen")  # as after an upgrade of sitegen: every page made again over public/
    say(n, "no cache, public/ kept", pages, again := run(sitegen), again.output)
    return cold.seconds


def bench_hugo(n: int, site: Path, out: Path) -> float:
    hugo = ["hugo", "--source", str(HUGO_SITE), "--contentDir", str(site / "content"), "--destination", str(out),
            "--cacheDir", str(out.parent / "hugo-cache"), "--quiet"]
    shutil.rmtree(out, ignore_errors=True)
    cold = run(hugo)
    pages = html_pages(out)
    say(n, "hugo cold", pages, cold)
    edit(sorted((site / "content").rglob("*.md"))[n // 3], "BENCHHUGO")
    say(n, "hugo one article", pages, run(hugo))
    return cold.seconds


class Server:
    """A preview server in a subprocess, its output read by a thread; up once `ready` is printed."""

    def __init__(self, command: list[str], ready: str, cwd: Path | None = None, timeout: float = 1800):
        self.lines: list[str] = []
        self.process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        up = threading.Event()

        def drain() -> None:
            for line in self.process.stdout or ():
                self.lines.append(line.rstrip())
                if ready in line:
                    up.set()

        threading.Thread(target=drain, daemon=True).start()
        if not up.wait(timeout):
            self.stop()
            raise SystemExit(f"{command[0]} did not start:\n" + "\n".join(self.lines[-20:]))

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def save_to_disk(article: Path, page: Path, edits: int, tag: str) -> list[float]:
    """Seconds from just before each save until `page` holds the saved text."""
    figures = []
    for i in range(edits):
        time.sleep(1.0)  # let the last rebuild settle
        marker = f"{tag}{i}X"
        start = time.perf_counter()
        edit(article, marker)
        while marker.encode() not in _read(page):
            if time.perf_counter() - start > 120:
                raise SystemExit(f"{page} never showed {marker}")
            time.sleep(0.002)
        figures.append(time.perf_counter() - start)
    return figures


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def bench_sitegen_serve(n: int, site: Path, edits: int) -> None:
    server = Server([sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", str(free_port())],
                    "serving ")
    try:
        article = sorted((site / "content").rglob("*.md"))[n // 4]
        [page] = (site / "public/zh-hant").rglob(f"{article.stem}.html")
        figures = save_to_disk(article, page, edits, "BENCHSERVE")
    finally:
        server.stop()
    rebuilds = [line for line in server.lines if line.startswith("rebuilt in")][1:]
    print(f"N={n:>6,}  {'sitegen serve':<24} save to written page: median {statistics.median(figures) * 1000:.0f} ms "
          f"(min {min(figures) * 1000:.0f}, max {max(figures) * 1000:.0f}, {edits} edits); "
          f"serve said: {'; '.join(line.split(':')[0] for line in rebuilds)}", flush=True)


def bench_hugo_server(n: int, site: Path, out: Path, edits: int) -> None:
    server = Server(["hugo", "server", "--source", str(HUGO_SITE), "--contentDir", str(site / "content"),
                     "--destination", str(out), "--renderToDisk", "--disableLiveReload", "--port", str(free_port()),
                     "--cacheDir", str(out.parent / "hugo-cache")], "Web Server is available")
    try:
        article = sorted((site / "content").rglob("*.md"))[n // 5]
        page = out / article.parent.name / f"{article.stem}.html"
        figures = save_to_disk(article, page, edits, "BENCHHUGOSERVE")
    finally:
        server.stop()
    print(f"N={n:>6,}  {'hugo server':<24} save to written page: median {statistics.median(figures) * 1000:.0f} ms "
          f"(min {min(figures) * 1000:.0f}, max {max(figures) * 1000:.0f}, {edits} edits)", flush=True)


def bench(n: int, work: Path, edits: int, hugo: bool, search: bool) -> None:
    site = work / f"corpus-{n}"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), str(site), "--articles", str(n), "--force"],
                   check=True, capture_output=True)
    if not search:
        config = site / "sitegen.toml"
        config.write_text(config.read_text(encoding="utf-8").replace("[site]\n", "[site]\nsearch = false\n", 1),
                          encoding="utf-8")
    settle(site)
    ours = bench_sitegen(n, site)
    bench_sitegen_serve(n, site, edits)
    if hugo:
        theirs = bench_hugo(n, site, work / f"hugo-{n}")
        bench_hugo_server(n, site, work / f"hugo-server-{n}", edits)
        print(f"N={n:>6,}  cold build: sitegen {ours:.2f} s (both scripts) / hugo {theirs:.2f} s (one script) "
              f"= {ours / theirs:.2f}x", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--edits", type=int, default=5, help="saves per preview server")
    parser.add_argument("--no-hugo", action="store_true")
    parser.add_argument("--search", action="store_true", help="build the search index too (Hugo builds none)")
    parser.add_argument("--keep", type=Path, help="work here and keep what was made")
    args = parser.parse_args()
    hugo = not args.no_hugo and shutil.which("hugo") is not None
    if not hugo and not args.no_hugo:
        print("hugo is not installed (Debian: apt-get install hugo): sitegen only", flush=True)
    work = args.keep or Path(tempfile.mkdtemp(prefix="build-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "sitegen")], check=True, capture_output=True)
    try:
        for n in args.articles:
            bench(n, work, args.edits, hugo, args.search)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
