"""`sitegen serve`: build, serve, watch, rebuild, reload; fetch now and then if asked."""

from __future__ import annotations

import errno
import signal
import sys
import threading
import webbrowser
from pathlib import Path

from sitegen.config import load_config
from sitegen.errors import ConfigError, Report
from sitegen.serve.live import Rebuilder
from sitegen.serve.server import LOOPBACK, PreviewServer, make_server, start_in_thread
from sitegen.serve.state import LiveState
from sitegen.serve.watch import watch
from sitegen.site.urls import Urls

PORTS_TRIED = 10
SIGNAL_CHECK_SECONDS = 0.5
"""How often the main thread wakes while serving. A signal (Ctrl-C, `kill`) that the kernel hands
to another of serve's threads is only acted on once the main thread runs Python again: a wait
without end would never stop."""


def serve(root: Path, host: str, port: int, open_browser: bool = False, fetch_every: float = 0,
          drafts: bool = True) -> int:
    """Status 2 at once, before any build, when `root` holds no loadable sitegen.toml (ConfigError)
    or the address cannot be listened on; later mistakes in the site are shown in the browser.
    `drafts`: show drafts and scheduled stories, marked."""
    config = load_config(root)
    public, base_path, live = config.output_dir, Urls(config.site).base_path(), LiveState()
    server = _listen(public, base_path, host, port, live)  # before building: a bad address is said at once
    if server is None:
        return 2
    rebuilder = Rebuilder(root, live, say=lambda line: print(line, flush=True), drafts=drafts)
    signal.signal(signal.SIGTERM, _interrupt)  # `kill`, a service manager: stop as Ctrl-C does
    observer = serving = None
    try:
        rebuilder.rebuild({"(start)"})  # a failure is shown in the browser; the next good save recovers
        if host not in LOOPBACK:
            print(f"warning: serving on {host}: other machines can reach this preview", file=sys.stderr)
        url = f"http://{f'[{host}]' if ':' in host else host}:{server.server_address[1]}{base_path}"
        print(f"serving {public} at {url} (Ctrl-C stops); rebuilding on every save", flush=True)
        observer = watch(root, rebuilder.changed)
        serving = start_in_thread(server)
        _start_loops(rebuilder, root, fetch_every, live)
        if open_browser:
            webbrowser.open(url)
        while not live.stopping.wait(SIGNAL_CHECK_SECONDS):
            pass
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        live.stopping.set()
        if observer is not None:
            observer.stop()
        if serving is not None:
            server.shutdown()  # waits for the serving loop: only once it runs
        server.server_close()
        rebuilder.finish()
    return 0


def _start_loops(rebuilder: Rebuilder, root: Path, fetch_every: float, live: LiveState) -> None:
    """The rebuild loop and the fetch timer, each on a thread of its own."""
    threading.Thread(target=rebuilder.run, daemon=True).start()
    if fetch_every:
        threading.Thread(target=_fetch_loop, args=(root, fetch_every, live), daemon=True).start()


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _listen(public: Path, base_path: str, host: str, port: int, live: LiveState) -> PreviewServer | None:
    """A server on `port`, or the next free port after it; None (said on stderr) when none can be had."""
    last: OSError | None = None
    for candidate in range(port, min(port + PORTS_TRIED, 65536)):
        try:
            server = make_server(public, base_path, host, candidate, live)
        except OSError as exc:
            if exc.errno != errno.EADDRINUSE:  # an unknown host, a port we may not use: the next port fails alike
                print(f"error: --host {host} --port {candidate}: cannot listen: {exc.strerror or exc}",
                      file=sys.stderr)
                return None
            last = exc
            continue
        if candidate != port:
            print(f"port {port} is taken: using {candidate} instead", flush=True)
        return server
    print(f"error: --port {port}: cannot listen on {host}:{port}-{candidate}: {last.strerror or last}",
          file=sys.stderr)
    return None


def _fetch_loop(root: Path, every: float, live: LiveState) -> None:
    """Fetch on a timer; new stories land in content/, and the watcher rebuilds from there."""
    from sitegen.fetch.ingest import fetch_sources
    from sitegen.fetch.state import FetchLockedError

    while not live.stopping.wait(every):
        report = Report()
        try:
            results = fetch_sources(load_config(root), report)
        except (ConfigError, FetchLockedError) as exc:
            print(f"fetch skipped: {exc}", flush=True)
            continue
        print(f"fetched: {report.summary()} ({len(results)} sources)", flush=True)
