"""The rebuild loop: changes in, debounced, one build at a time, the browser told after.

The search index is never on the editor's path: builds keep the last index and hand back what
is out of date, a background thread makes it (Pagefind takes seconds per thousand pages), and a
build of its own writes it if the pages are still the ones indexed (else the next round begins)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from sitegen.build import build
from sitegen.cache import BuildCache, cache_dir, save_cache
from sitegen.config import load_config
from sitegen.convert.opencc import Converters, check_converters
from sitegen.errors import ConfigError, SitegenError
from sitegen.outputs.search import SearchIndexError, SearchJob, make_index
from sitegen.pipeline import WarmSite
from sitegen.serve.state import LiveState

SEARCH_INDEX = "(search index)"
"""The change that asks for a build writing the index made in the background."""

QUIET_SECONDS = 0.05
"""Wait for this long without a new change (editors' atomic saves, git checkouts come in bursts)."""
MAX_WAIT_SECONDS = 1.0


class Rebuilder:
    def __init__(self, root: Path, live: LiveState, say: Callable[[str], None] = print, drafts: bool = True):
        """`drafts`: show drafts and scheduled articles, marked, as the preview does by default."""
        self.root, self.live, self.say, self.drafts = root, live, say, drafts
        self._changed: set[str] = set()
        self._last_change = 0.0
        self._wake = threading.Condition()
        self._converters: tuple[tuple, Converters] | None = None
        self._cache: BuildCache | None = None
        """Kept in memory between rebuilds (read from .sitegen/ once, at the first)."""
        self._warm: WarmSite | None = None
        """The last build's assembled site, reused while what it was assembled from stays the same."""
        self._search_jobs: list[SearchJob] = []
        """The indexes the last build found out of date (the background thread makes them)."""
        self._made_index: dict[str, tuple] = {}
        """Indexes the background thread made, by variant, for the next build to write."""
        self._indexer: threading.Thread | None = None

    def changed(self, paths: set[str]) -> None:
        """Called from the watcher's thread."""
        with self._wake:
            self._changed |= paths
            self._last_change = time.monotonic()
            self._wake.notify()

    def run(self) -> None:
        while not self.live.stopping.is_set():
            paths = self._next_burst()
            if paths:
                self.rebuild(paths)

    def _next_burst(self) -> set[str]:
        with self._wake:
            self._wake.wait_for(lambda: self._changed or self.live.stopping.is_set(), timeout=0.5)
            if not self._changed:
                return set()
            started = time.monotonic()
            # Until the files have been quiet for a while: a save may be several writes to one file.
            while (quiet := time.monotonic() - self._last_change) < QUIET_SECONDS:
                if time.monotonic() - started >= MAX_WAIT_SECONDS:
                    break
                self._wake.wait(QUIET_SECONDS - quiet)
            paths, self._changed = self._changed, set()
            return paths

    def rebuild(self, paths: set[str]) -> bool:
        """One build with the same function as `sitegen build`; True when it was good."""
        started = time.perf_counter()
        try:
            config = load_config(self.root)
            converters = self._warm_converters(config)
            made, self._made_index = self._made_index, {}
            result = build(config, converters=converters, write_guard=self.live.lock.writing(), keep_last_good=True,
                           cache=self._cache, warm=self._warm, save=False, preview=self.drafts, search="later",
                           search_index=made)
            self._cache, self._warm = result.cache, result.warm
        except ConfigError as exc:
            return self._failed("\n".join(str(p) for p in exc.problems))
        except SitegenError as exc:
            return self._failed(str(exc))
        except Exception as exc:  # the preview never dies on a bad save: show it, wait for the next
            return self._failed(f"{type(exc).__name__}: {exc}")
        if result.report.failed:
            return self._failed("\n".join(str(p) for p in result.report.problems if p.level == "error"))
        if paths == {SEARCH_INDEX}:  # nothing a reader sees changed: no reload
            self.say(f"search index written in {time.perf_counter() - started:.2f} s")
        else:
            self.live.built(css_only=all(p.endswith(".css") for p in paths))
            self.say(f"rebuilt in {time.perf_counter() - started:.2f} s: {result.report.summary()}")
        self._save_cache(config, result.cache)  # after the browser is told: it is not on the editor's path
        self._index_later(config.output_dir, result.search_jobs())  # worked out now, after the reload
        return True

    def _index_later(self, output_dir: Path, jobs: list[SearchJob]) -> None:
        """Make the indexes `jobs` ask for in the background (one thread; it takes the newest jobs)."""
        self._search_jobs = jobs
        if jobs and (self._indexer is None or not self._indexer.is_alive()):
            self._indexer = threading.Thread(target=self._index, args=(output_dir,), daemon=True, name="search index")
            self._indexer.start()

    def _index(self, output_dir: Path) -> None:
        while self._search_jobs and not self.live.stopping.is_set():
            jobs, started = self._search_jobs, time.perf_counter()
            try:
                made = {job.variant: (job.key, make_index(job, lambda path: (output_dir / path).read_bytes(),
                                                          background=True, stop=self.live.stopping))
                        for job in jobs}
            except (SearchIndexError, OSError) as exc:  # a page removed meanwhile: the next build asks again
                if not self.live.stopping.is_set():
                    self.say(f"search index not made: {exc}")
                return
            if jobs is not self._search_jobs:
                continue  # the site changed while indexing: index it as it is now
            self._search_jobs, self._made_index = [], made
            self.say(f"search index made in {time.perf_counter() - started:.2f} s")
            self.changed({SEARCH_INDEX})

    def finish(self, seconds: float = 10) -> None:
        """Once `live.stopping` is set: wait for the background indexing to give up, so Pagefind is
        not left running and its temporary copy of the pages is removed."""
        if self._indexer is not None:
            self._indexer.join(seconds)

    def _save_cache(self, config, cache: BuildCache) -> None:  # noqa: ANN001
        try:
            save_cache(cache_dir(config.state_dir), cache)
        except OSError as exc:
            self.say(f"could not store the build cache ({exc}); the next start builds more")

    def _failed(self, message: str) -> bool:
        first = message.splitlines()[0] if message else "build failed"
        self.say(f"build failed (the browser shows why; fix and save to recover): {first}")
        self.live.failed(message)
        return False

    def _warm_converters(self, config) -> Converters:  # noqa: ANN001
        """The same converters (and their caches) while the config and glossary stay the same."""
        glossary = self.root / "glossary.toml"
        key = (config.variants, config.glossary, glossary.stat().st_mtime_ns if glossary.exists() else 0)
        if self._converters is None or self._converters[0] != key:
            self._converters = (key, check_converters(config))
        return self._converters[1]
