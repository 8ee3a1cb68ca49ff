"""`sitegen serve`: build, serve, watch, rebuild, reload; fetch now and then if asked."""

from __future__ import annotations

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


def serve(root: Path, host: str, port: int, open_browser: bool = False, fetch_every: float = 0) -> int:
    live = LiveState()
    rebuilder = Rebuilder(root, live, say=lambda line: print(line, flush=True))
    rebuilder.rebuild({"(start)"})  # a failure is shown in the browser; the next good save recovers
    public, base_path = _where(root)
    if host not in LOOPBACK:
        print(f"warning: serving on {host}: other machines can reach this preview", file=sys.stderr)
    server = _listen(public, base_path, host, port, live)
    if server is None:
        return 2
    url = f"http://{f'[{host}]' if ':' in host else host}:{server.server_address[1]}{base_path}"
    print(f"serving {public} at {url} (Ctrl-C stops); rebuilding on every save", flush=True)
    observer = watch(root, rebuilder.changed)
    threads = [start_in_thread(server), threading.Thread(target=rebuilder.run, daemon=True)]
    if fetch_every:
        threads.append(threading.Thread(target=_fetch_loop, args=(root, fetch_every, live), daemon=True))
    for thread in threads[1:]:
        thread.start()
    if open_browser:
        webbrowser.open(url)
    try:
        live.stopping.wait()
    except KeyboardInterrupt:
        print("stopped", flush=True)
    finally:
        live.stopping.set()
        observer.stop()
        server.shutdown()
        server.server_close()
    return 0


def _where(root: Path) -> tuple[Path, str]:
    """public/ and the base path to serve it under; defaults while sitegen.toml is broken."""
    try:
        config = load_config(root)
    except ConfigError:
        return root / "public", "/"
    return config.output_dir, Urls(config.site).base_path()


def _listen(public: Path, base_path: str, host: str, port: int, live: LiveState) -> PreviewServer | None:
    for candidate in range(port, port + PORTS_TRIED):
        try:
            server = make_server(public, base_path, host, candidate, live)
        except OSError as exc:
            last = exc
            continue
        if candidate != port:
            print(f"port {port} is taken: using {candidate} instead", flush=True)
        return server
    print(f"error: cannot listen on {host}:{port}-{port + PORTS_TRIED - 1}: {last.strerror or last}",
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
