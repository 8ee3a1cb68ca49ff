"""Search benchmark: what site search (Pagefind, outputs/search.py) costs a build, on a generated corpus.

    .venv/bin/python bench/search_bench.py [--articles 5000] [--edits 3] [--keep DIR]

For each N, bench/make_corpus.py makes the corpus (N articles, both scripts, dated an hour back), then,
each a fresh `python -m sitegen build` as a user runs it:

  cold, no search       --no-search, with no public/ and no .sitegen/
  cold, search          the same with search on (the default)
  no change             the same command again, the corpus settled
  no change, at once    again right after (as a cron script that builds twice does)
  one article           after appending a paragraph to one article (its pages change: the index is made again)
  serve save→page       `sitegen serve` running; an article saved --edits times: from the write until its page
                        on disk holds the new text, with search off, with search on and the indexer idle, and
                        saved again a second later, while the indexer works on the first save (the index must
                        not delay a reload); then how long until the index is written

Printed: wall time, the `search index` stage (from -v), index bytes per article (both variants' bundles over N)
and the peak RSS of the largest process. Loopback only; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from build_bench import REPO, Server, edit, free_port, run, save_to_disk, settle

STAGE = re.compile(r"search index: (\d+) ms")


def build(site: Path, *extra: str):
    return run([sys.executable, "-m", "sitegen", "build", "--site", str(site), "-v", *extra])


def say(n: int, label: str, result, extra: str = "") -> None:
    stage = STAGE.search(result.full)
    index = f"index {int(stage.group(1)) / 1000:6.2f} s" if stage else "index      -  "
    print(f"N={n:>6,}  {label:<20} {result.seconds:8.2f} s  {index}  {result.peak_mib:7.0f} MiB  {extra}", flush=True)


def index_bytes(public: Path) -> int:
    return sum(p.stat().st_size for bundle in public.glob("*/pagefind") for p in bundle.rglob("*") if p.is_file())


def bench(n: int, work: Path, edits: int) -> None:
    site = work / f"corpus-{n}"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), str(site), "--articles", str(n), "--force"],
                   check=True, capture_output=True)
    settle(site)
    for label, extra in (("cold, no search", ("--no-search",)), ("cold, search", ())):
        shutil.rmtree(site / "public", ignore_errors=True)
        shutil.rmtree(site / ".sitegen", ignore_errors=True)
        say(n, label, build(site, *extra))
    size = index_bytes(site / "public")
    print(f"N={n:>6,}  index: {size / 1e6:.1f} MB in all, {size / n / 1024:.1f} KiB per article (both scripts)")
    settle(site / "content")
    time.sleep(2.1)  # the build's own records are older than the racy window too
    say(n, "no change", build(site))
    say(n, "no change, at once", build(site))
    edit(sorted((site / "content").rglob("*.md"))[n // 2], "BENCHSEARCH")
    say(n, "one article", build(site))
    bench_serve(n, site, edits)


def bench_serve(n: int, site: Path, edits: int) -> None:
    """Save→page with search off, with search on and the indexer idle, and while it indexes."""
    config = site / "sitegen.toml"
    original = config.read_text(encoding="utf-8")
    try:
        config.write_text(original.replace("[site]\n", "[site]\nsearch = false\n", 1), encoding="utf-8")
        build(site)
        with served(site) as server:
            off = [save_to_disk(article_of(site, n), page_of(site, n), 1, f"OFF{k}")[0] for k in range(edits)]
        config.write_text(original, encoding="utf-8")
        build(site)
        idle, busy, written = [], [], []
        with served(site) as server:
            for k in range(edits):
                mark, started = len(server.lines), time.perf_counter()
                idle.append(save_to_disk(article_of(site, n), page_of(site, n), 1, f"IDLE{k}")[0])
                busy.append(save_to_disk(article_of(site, n), page_of(site, n), 1, f"BUSY{k}")[0])
                written.append(index_written(server, mark, started))
    finally:
        config.write_text(original, encoding="utf-8")
    for label, figures in (("search off", off), ("search on, idle", idle), ("search on, indexing", busy)):
        print(f"N={n:>6,}  serve save→page, {label:<20} median {statistics.median(figures) * 1000:5.0f} ms "
              f"(min {min(figures) * 1000:.0f}, max {max(figures) * 1000:.0f}, {edits} saves)", flush=True)
    print(f"N={n:>6,}  serve: index written {statistics.median(written):.1f} s after a save (median)", flush=True)


@contextmanager
def served(site: Path) -> Iterator[Server]:
    server = Server([sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", str(free_port())],
                    "serving ")
    try:
        yield server
    finally:
        server.stop()


def article_of(site: Path, n: int) -> Path:
    return sorted((site / "content").rglob("*.md"))[n // 3]


def page_of(site: Path, n: int) -> Path:
    [page] = (site / "public/zh-hant").rglob(f"{article_of(site, n).stem}.html")
    return page


def index_written(server: Server, mark: int, started: float) -> float:
    """Seconds from `started` until the server says it wrote the index (after line `mark`)."""
    while not any(line.startswith("search index written") for line in server.lines[mark:]):
        if time.perf_counter() - started > 900:
            raise SystemExit("the index was never written:\n" + "\n".join(server.lines[-20:]))
        time.sleep(0.05)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, nargs="+", default=[5000])
    parser.add_argument("--edits", type=int, default=3, help="saves to the preview server")
    parser.add_argument("--keep", type=Path, help="work here and keep what was made")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="search-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.articles:
            bench(n, work, args.edits)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
