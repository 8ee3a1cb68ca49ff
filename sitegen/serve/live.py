"""The rebuild loop: changes in, debounced, one build at a time, the browser told after."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Callable

from sitegen.build import WarmSite, build, check_converters
from sitegen.cache import BuildCache, cache_dir, save_cache
from sitegen.config import load_config
from sitegen.convert.opencc import Converters
from sitegen.errors import ConfigError, SitegenError
from sitegen.serve.state import LiveState

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
            result = build(config, converters=converters, write_guard=self.live.lock.writing(), keep_last_good=True,
                           cache=self._cache, warm=self._warm, save=False, preview=self.drafts)
            self._cache, self._warm = result.cache, result.warm
        except ConfigError as exc:
            return self._failed("\n".join(str(p) for p in exc.problems))
        except SitegenError as exc:
            return self._failed(str(exc))
        except Exception as exc:  # the preview never dies on a bad save: show it, wait for the next
            return self._failed(f"{type(exc).__name__}: {exc}")
        if result.report.failed:
            return self._failed("\n".join(str(p) for p in result.report.problems if p.level == "error"))
        css_only = all(p.endswith(".css") for p in paths)
        self.live.built(css_only=css_only)
        self.say(f"rebuilt in {time.perf_counter() - started:.2f} s: {result.report.summary()}")
        self._save_cache(config, result.cache)  # after the browser is told: it is not on the editor's path
        return True

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
