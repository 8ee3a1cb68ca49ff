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
                        on disk holds the new text (the index must not delay it), then until the index is written

Printed: wall time, the `search index` stage (from -v), index bytes per article (both variants' bundles over N)
and the peak RSS of the largest process. Loopback only; nothing leaves the machine.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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
    server = Server([sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", str(free_port())],
                    "serving ")
    try:
        article = sorted((site / "content").rglob("*.md"))[n // 3]
        [page] = (site / "public/zh-hant").rglob(f"{article.stem}.html")
        for k in range(edits):
            mark, started = len(server.lines), time.perf_counter()
            seconds = save_to_disk(article, page, 1, f"SEARCHSERVE{k}")[0]
            while not any(line.startswith("search index written") for line in server.lines[mark:]):
                if time.perf_counter() - started > 900:
                    raise SystemExit("the index was never written:\n" + "\n".join(server.lines[-20:]))
                time.sleep(0.05)
            print(f"N={n:>6,}  serve save→page {seconds * 1000:6.0f} ms; index written "
                  f"{time.perf_counter() - started:6.2f} s after the save", flush=True)
    finally:
        server.stop()


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
