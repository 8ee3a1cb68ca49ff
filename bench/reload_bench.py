"""Live-reload latency of `sitegen serve`: from saving an article to its new text in Chromium's DOM.

    .venv/bin/python bench/reload_bench.py [--edits 10] [--articles 5000] [--demo-only] [--keep DIR]

Runs `sitegen serve` (a subprocess, as a person would) on (a) a copy of the repository's demo site and
(b) a generated corpus of --articles articles made with bench/make_corpus.py (skipped, with a message,
when that script is missing or with --demo-only). For each, an article page is open in headless
Chromium (Debian's /usr/bin/chromium, driven by Playwright); the article's file is saved --edits times
in place with a new marker sentence, and each time the script waits for the marker in the page.

Per edit two figures, both from the moment just before the file is written:
  page   until page.wait_for_function (polling every 10 ms) sees the marker: what a person waits
  dom    until a MutationObserver in the page first saw it (Date.now(), same machine clock)
Each edit includes the watcher, the ~50 ms debounce, the whole rebuild, the event to the browser,
the reload and the page load. Prints median, min and max. Loopback only; nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import argparse
import math
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
MAKE_CORPUS = REPO / "bench" / "make_corpus.py"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
DEMO_ARTICLE = "content/rfa/1954134.md"
MARK_PREFIX = "RELOADBENCH"
# Watches the page as it is parsed and after: the first moment the marker is in the DOM.
SEEN_SCRIPT = """(() => {
  const marker = sessionStorage.getItem("reload-bench-marker");
  if (!marker) return;
  const check = () => {
    if (!window.__benchSeenAt && document.body && document.body.textContent.includes(marker))
      window.__benchSeenAt = Date.now();
  };
  new MutationObserver(check).observe(document, {childList: true, subtree: true, characterData: true});
  document.addEventListener("DOMContentLoaded", check);
})();"""


class Serve:
    """`python -m sitegen serve`; up once it prints where; its output drained by a thread."""

    def __init__(self, site: Path, start_timeout: float) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.lines: list[str] = []
        self.process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--site", str(site),
                                         "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                        text=True, encoding="utf-8", cwd=REPO)
        self._up = threading.Event()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        started = time.perf_counter()
        if not self._up.wait(start_timeout):
            self.stop()
            raise SystemExit(f"sitegen serve did not start in {start_timeout:.0f} s:\n" + "\n".join(self.lines))
        self.start_seconds = time.perf_counter() - started
        self.url = re.search(r"at (http://127\.0\.0\.1:\d+)/", self.lines[-1]).group(1)

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))
            if re.match(r"serving .* at http://127\.0\.0\.1:\d+/", line):
                self._up.set()
        self._up.set()

    def rebuild_times(self) -> list[float]:
        return [float(m.group(1)) for line in self.lines if (m := re.match(r"rebuilt in ([\d.]+) s", line))]

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._reader.join(timeout=30)
        self.process.communicate(timeout=30)


def demo_site(where: Path) -> tuple[Path, Path]:
    root = where / "demo"
    root.mkdir()
    shutil.copy(REPO / "sitegen.toml", root)
    for folder in ("content", "templates", "static"):
        shutil.copytree(REPO / folder, root / folder)
    return root, root / DEMO_ARTICLE


def corpus_site(where: Path, articles: int) -> tuple[Path, Path] | None:
    if not MAKE_CORPUS.exists():
        print(f"\n(b) corpus of {articles:,} articles: SKIPPED, {MAKE_CORPUS.relative_to(REPO)} does not exist yet")
        return None
    root = where / f"corpus-{articles}"
    started = time.perf_counter()
    subprocess.run([sys.executable, str(MAKE_CORPUS), str(root), "--articles", str(articles)], check=True,
                   stdout=subprocess.DEVNULL, cwd=REPO)
    print(f"  made the corpus in {time.perf_counter() - started:.1f} s")
    files = sorted((root / "content").rglob("*.md"))
    return root, files[len(files) // 2]  # an article from the middle of the site


def page_path(site: Path, article: Path) -> str:
    """The zh-Hant page of `article`, found in the first build's public/ by its id."""
    text = article.read_text(encoding="utf-8")
    found = re.search(r'^id:\s*"?([a-z0-9_-]+)"?\s*$', text, re.MULTILINE)
    ident = found.group(1) if found else article.stem
    pages = sorted((site / "public" / "zh-hant").rglob(f"{ident}.html"))
    if len(pages) != 1:
        raise SystemExit(f"cannot tell the zh-Hant page of {article}: {pages}")
    return "/" + pages[0].relative_to(site / "public").as_posix()


def with_marker(original: str, marker: str) -> str:
    """The article with one more paragraph at the end of its body, holding the marker."""
    return original.rstrip("\n") + f"\n\n本段為重新整理基準測試所加：{marker}。\n"


def measure(name: str, site: Path, article: Path, edits: int, browser, start_timeout: float) -> dict | None:
    print(f"\n{name}: {site}")
    server = Serve(site, start_timeout)
    try:
        print(f"  sitegen serve up in {server.start_seconds:.1f} s ({server.lines[0]})")
        path = page_path(site, article)
        context = browser.new_context()
        context.route("**/*", lambda route: route.continue_() if urlsplit(route.request.url).hostname == "127.0.0.1"
                      else route.abort())
        context.add_init_script(SEEN_SCRIPT)
        page = context.new_page()
        page.goto(server.url + path)
        page.wait_for_load_state("load")
        original = article.read_text(encoding="utf-8")
        page_times, dom_times = [], []
        try:
            for n in range(edits):
                marker = f"{MARK_PREFIX}{n:03d}"
                page.evaluate("m => { sessionStorage.setItem('reload-bench-marker', m); window.__benchSeenAt = 0; }",
                              marker)
                time.sleep(0.5)  # let the last reload settle: its stream open, the watcher idle
                new = with_marker(original, marker)
                before_wall, before = time.time(), time.perf_counter()
                with open(article, "w", encoding="utf-8") as f:  # in place, as an editor saves
                    f.write(new)
                page.wait_for_function("m => document.body && document.body.textContent.includes(m)", arg=marker,
                                       polling=10, timeout=180_000)
                page_times.append(time.perf_counter() - before)
                seen_at = page.evaluate("window.__benchSeenAt || 0")
                dom_times.append(seen_at / 1000 - before_wall if seen_at else float("nan"))
                print(f"  edit {n + 1:2}: page {page_times[-1] * 1000:7.0f} ms   dom {dom_times[-1] * 1000:7.0f} ms")
            time.sleep(0.5)
            rebuilds = server.rebuild_times()[1:]  # the first is the start
        finally:
            article.write_text(original, encoding="utf-8")
            context.close()
        return {"name": name, "page": page_times, "dom": dom_times, "rebuilds": rebuilds}
    finally:
        server.stop()


def summary(result: dict) -> None:
    def line(label: str, values: list[float]) -> str:
        values = [v for v in values if not math.isnan(v)]
        if not values:
            return f"  {label:8} (none)"
        return (f"  {label:8} median {statistics.median(values) * 1000:7.0f} ms   min {min(values) * 1000:7.0f} ms"
                f"   max {max(values) * 1000:7.0f} ms   (n={len(values)})")

    print(f"\n{result['name']}")
    print(line("page", result["page"]))
    print(line("dom", result["dom"]))
    print(line("rebuild", result["rebuilds"]) + "   (sitegen's own 'rebuilt in' figures)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edits", type=int, default=10, help="saves per site (default: 10)")
    parser.add_argument("--articles", type=int, default=5000, help="articles in the generated corpus (default: 5000)")
    parser.add_argument("--demo-only", action="store_true", help="skip the generated corpus")
    parser.add_argument("--keep", type=Path, help="make the sites in this (empty or new) folder and keep them")
    args = parser.parse_args()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("the playwright package is not installed (pip install playwright; no browser download)")
        return 2
    if not CHROMIUM.exists():
        print(f"{CHROMIUM} is missing (Debian package chromium)")
        return 2

    work = args.keep or Path(tempfile.mkdtemp(prefix="reload-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
            try:
                site, article = demo_site(work)
                results.append(measure("(a) demo site", site, article, args.edits, browser, start_timeout=120))
                if args.demo_only:
                    print(f"\n(b) corpus of {args.articles:,} articles: skipped (--demo-only)")
                else:
                    print(f"\n(b) corpus of {args.articles:,} articles: making it with {MAKE_CORPUS.name}")
                    made = corpus_site(work, args.articles)
                    if made:
                        results.append(measure(f"(b) corpus of {args.articles:,} articles", *made, args.edits,
                                               browser, start_timeout=1800))
            finally:
                browser.close()
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print("\nsave-to-reloaded latency (write of the file -> new text in Chromium's DOM)")
    for result in results:
        summary(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
