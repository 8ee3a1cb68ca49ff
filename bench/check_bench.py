"""Built-site check benchmark: `check_built_site` on a generated, built corpus.

    .venv/bin/python bench/check_bench.py [--articles 5000 20000] [--workers 0 1] [--repeat 3] [--keep DIR]

For each N, bench/make_corpus.py makes the corpus (N articles, both scripts) and
`python -m sitegen build` builds it (a fresh process, as a user runs it); then the check runs
--repeat times in this process, with each --workers setting (0: every core, the default of
`sitegen deploy`; 1: one process). Printed per run: HTML pages checked, wall time, pages/s, and
the errors found, which must be none: the corpus is sitegen's own output.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from sitegen.config import load_config  # noqa: E402
from sitegen.sitecheck import check_built_site  # noqa: E402


def run(command: list[str]) -> float:
    """Run to the end, failing loudly; its wall time."""
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")
    return time.perf_counter() - start


def make_and_build(n: int, work: Path) -> Path:
    site = work / f"corpus-{n}"
    run([sys.executable, str(REPO / "bench/make_corpus.py"), str(site), "--articles", str(n), "--force"])
    shutil.rmtree(site / "public", ignore_errors=True)
    shutil.rmtree(site / ".sitegen", ignore_errors=True)
    seconds = run([sys.executable, "-m", "sitegen", "build", "--site", str(site)])
    print(f"N={n:>6,}  built in {seconds:.1f} s", flush=True)
    return site


def bench(n: int, site: Path, workers: list[int], repeat: int) -> None:
    config = load_config(site)
    for setting in workers:
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            report = check_built_site(config, workers=setting or None)
            times.append(time.perf_counter() - start)
            pages = report.counts.get("pages checked", 0)
            errors = [p for p in report.problems if p.level == "error"]
            label = f"{os.cpu_count()} cores" if not setting else f"{setting} process" + "es" * (setting > 1)
            print(f"N={n:>6,}  check, {label:<9} {pages:>7,} pages checked {times[-1]:7.2f} s "
                  f"{pages / times[-1]:8.0f} pages/s  {len(errors)} errors", flush=True)
            for problem in errors[:10]:
                print(f"    {problem}")
            if errors:
                raise SystemExit("the check found errors in sitegen's own output")
        if repeat > 1:
            print(f"N={n:>6,}  check, {label:<9} median {statistics.median(times):.2f} s, best {min(times):.2f} s "
                  f"= {pages / min(times):.0f} pages/s", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--workers", type=int, nargs="+", default=[0], help="0: every core")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="work here and keep what was made")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="check-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.articles:
            bench(n, make_and_build(n, work), args.workers, args.repeat)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
