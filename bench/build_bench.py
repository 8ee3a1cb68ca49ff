"""Build benchmark: cold build, no-change rebuild and one-article rebuild of a generated corpus.

    .venv/bin/python bench/build_bench.py [--articles 1000 5000] [--keep DIR]

Each build runs `python -m sitegen build` in a fresh process, as a user would; wall time and the
child's peak RSS are printed with pages written and pages/s.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def run_build(site: Path) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "sitegen", "build", "--site", str(site)], capture_output=True,
                          text=True, check=True)
    return time.perf_counter() - start, done.stdout.strip().splitlines()[-1]


def peak_rss_mib() -> float:
    """Peak RSS of the largest child so far (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def bench(n: int, work: Path) -> None:
    site = work / f"corpus-{n}"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), str(site), "--articles", str(n)],
                   check=True, capture_output=True)
    pages = 0
    for label in ("cold build", "no-change rebuild", "one-article rebuild"):
        if label == "one-article rebuild":
            article = sorted((site / "content").rglob("*.md"))[n // 2]
            article.write_text(article.read_text(encoding="utf-8") + "\n新增一段。\n", encoding="utf-8")
        seconds, summary = run_build(site)
        if label == "cold build":
            pages = sum(1 for _ in (site / "public").rglob("*.html"))
        print(f"N={n:>6,} {label:<20} {seconds:7.2f} s  {pages / seconds:7.0f} pages/s  "
              f"peak RSS {peak_rss_mib():6.0f} MiB  | {summary}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, nargs="+", default=[1000])
    parser.add_argument("--keep", type=Path)
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="build-bench-"))
    try:
        for n in args.articles:
            bench(n, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
