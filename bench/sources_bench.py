"""Rights and takedown benchmark: what changing a source's policy, withdrawing a story and undoing
it cost, on a generated corpus (search off: bench/search_bench.py measures the index).

    .venv/bin/python bench/sources_bench.py [--articles 5000] [--keep DIR]

For each N, bench/make_corpus.py makes the corpus (6 sources), then, each a fresh process as a user
runs it, the corpus settled before each step:

  cold                    `sitegen build --no-search` with no public/ and no .sitegen/
  src1 → summary          after `republish = "summary"` for one source of six: its pages re-rendered
  src1 → full             switched back: public/ must be byte-identical to the cold build's
  withdraw                `sitegen withdraw ID --reason …` (finds the story among N files)
  build, withdrawn        the notice pages in, the story out of every list, feed and sitemap
  withdraw --undo         and the build after it: public/ byte-identical to the cold build's again
  sources export/import   the corpus's sources as OPML, then imported into an empty site

Printed: wall time, the peak RSS of the largest process, and the build's own summary line.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from build_bench import REPO, run, settle


def sitegen(site: Path, *args: str):
    return run([sys.executable, "-m", "sitegen", *args, "--site", str(site)])


def say(n: int, label: str, result, extra: str = "") -> None:
    print(f"N={n:>6,}  {label:<24} {result.seconds:7.2f} s {result.peak_mib:6.0f} MiB  {extra or result.output}",
          flush=True)


def fingerprint(public: Path) -> str:
    """One digest of every file's path and bytes."""
    total = hashlib.sha256()
    for path in sorted(p for p in public.rglob("*") if p.is_file()):
        total.update(path.relative_to(public).as_posix().encode() + b"\0" + path.read_bytes())
    return total.hexdigest()[:12]


def quiet(site: Path) -> None:
    """Every input older than the racy window, as an editor's change made a while ago."""
    settle(site / "content")
    time.sleep(2.1)


def set_policy(site: Path, policy: str) -> None:
    config = site / "sitegen.toml"
    text = config.read_text(encoding="utf-8").replace('republish = "summary"\n', "")
    if policy != "full":
        text = text.replace('id = "src1"\n', f'id = "src1"\nrepublish = "{policy}"\n', 1)
    config.write_text(text, encoding="utf-8")


def bench(n: int, work: Path) -> None:
    site = work / f"corpus-{n}"
    subprocess.run([sys.executable, str(REPO / "bench/make_corpus.py"), str(site), "--articles", str(n), "--force"],
                   check=True, capture_output=True)
    quiet(site)
    say(n, "cold", sitegen(site, "build", "--no-search"))
    cold = fingerprint(site / "public")
    for policy in ("summary", "full"):
        set_policy(site, policy)
        quiet(site)
        result = sitegen(site, "build", "--no-search")
        say(n, f"src1 → {policy}", result)
    print(f"N={n:>6,}  back to full: public/ {'identical' if fingerprint(site / 'public') == cold else 'DIFFERENT'}")
    story = sorted((site / "content/src2").glob("*.md"))[n // 12].stem
    say(n, "withdraw", sitegen(site, "withdraw", story, "--reason", "應原作者要求"))
    quiet(site)
    say(n, "build, withdrawn", sitegen(site, "build", "--no-search"))
    say(n, "withdraw --undo", sitegen(site, "withdraw", story, "--undo"))
    quiet(site)
    say(n, "build, restored", sitegen(site, "build", "--no-search"))
    print(f"N={n:>6,}  undone: public/ {'identical' if fingerprint(site / 'public') == cold else 'DIFFERENT'}")
    opml = work / "sources.opml"
    say(n, "sources export", sitegen(site, "sources", "export", "-o", str(opml)), f"{opml.stat().st_size} bytes")
    empty = work / f"empty-{n}"
    subprocess.run([sys.executable, "-m", "sitegen", "init", str(empty)], check=True, capture_output=True)
    say(n, "sources import", sitegen(empty, "sources", "import", str(opml)))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, nargs="+", default=[5000])
    parser.add_argument("--keep", type=Path, help="work here and keep what was made")
    args = parser.parse_args()
    work = args.keep or Path(tempfile.mkdtemp(prefix="sources-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        for n in args.articles:
            bench(n, work)
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
