"""The preview server: public/ over HTTP on loopback, with live reload.

Binds 127.0.0.1 unless told otherwise and never serves a file outside public/.
Pages are served under a read lock that a rebuild's write phase takes exclusively,
so a reader never sees a half-written site. HTML gets the reload script injected
on the way out (never into public/); the script listens on an event stream and
reloads the page, swaps the stylesheet, or shows the build error over the page.
"""

from __future__ import annotations

import http.server
import json
import mimetypes
import posixpath
import queue
import sys
import threading
from contextlib import nullcontext
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen.serve.state import LiveState

LOOPBACK = {"127.0.0.1", "localhost", "::1"}
CLIENT_DIR = Path(__file__).resolve().parent
PREFIX = "/__sitegen/"
TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".xml": "application/xml; charset=utf-8",
         ".json": "application/json", ".svg": "image/svg+xml", ".webp": "image/webp", ".avif": "image/avif",
         ".woff2": "font/woff2", ".txt": "text/plain; charset=utf-8", ".png": "image/png", ".jpg": "image/jpeg",
         ".jpeg": "image/jpeg", ".gif": "image/gif"}
KEEPALIVE_SECONDS = 15
EMPTY_PAGE = (b'<!doctype html>\n<html lang="zh-Hant"><head><meta charset="utf-8"><title>sitegen</title></head>'
              b"<body><p>404 Not Found</p></body></html>\n")


class PreviewHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    public: Path
    base_path: str
    live: LiveState | None

    def do_GET(self) -> None:  # noqa: N802 - stdlib hook name
        self._get(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self._get(send_body=False)

    def _get(self, send_body: bool) -> None:
        path = unquote(urlsplit(self.path).path)
        local = self._site_path(path)
        if local.startswith(PREFIX) and self.live is not None:
            self._live_endpoint(local[len(PREFIX):], send_body)
            return
        lock = self.live.lock.reading() if self.live else nullcontext()
        with lock:
            status, body, content_type = self._resolve(local)
        self._send(status, body, content_type, send_body)

    def _site_path(self, path: str) -> str:
        """The path inside the site: the sub-path of base_url taken off."""
        base = self.base_path.rstrip("/")
        if base and (path == base or path.startswith(base + "/")):
            path = path[len(base):] or "/"
        return path

    def _resolve(self, path: str) -> tuple[int, bytes, str]:
        target = self._file_for(path)
        if target is None or not target.is_file():
            return self._not_found(path)
        body = target.read_bytes()
        content_type = TYPES.get(target.suffix, mimetypes.guess_type(target.name)[0] or "application/octet-stream")
        if target.suffix == ".html" and self.live is not None:
            body = self.live.inject(body, self.base_path)
        return 200, body, content_type

    def _file_for(self, path: str) -> Path | None:
        root = self.public.resolve()
        normalized = posixpath.normpath(path)
        if "\0" in path or ".." in path.split("/"):
            return None
        candidate = root / normalized.lstrip("/")
        if path.endswith("/") or candidate.is_dir():
            candidate = candidate / "index.html"
        resolved = candidate.resolve()
        return resolved if resolved.is_relative_to(root) else None  # symlinks out are refused

    def _not_found(self, path: str) -> tuple[int, bytes, str]:
        """The 404 page of the variant the path is under, else the site's."""
        parts = [p for p in path.split("/") if p]
        for candidate in ([f"{parts[0]}/404.html"] if parts else []) + ["404.html"]:
            page = self._file_for("/" + candidate)
            if page is not None and page.is_file():
                body = page.read_bytes()
                return 404, self.live.inject(body, self.base_path) if self.live else body, TYPES[".html"]
        if self.live is not None:  # nothing built yet (the first build failed): a page that can show why
            return 404, self.live.inject(EMPTY_PAGE, self.base_path), TYPES[".html"]
        return 404, b"404 Not Found\n", TYPES[".txt"]

    def _send(self, status: int, body: bytes, content_type: str, send_body: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(body)

    def _live_endpoint(self, name: str, send_body: bool) -> None:
        if name == "reload.js":
            self._send(200, (CLIENT_DIR / "reload.js").read_bytes(), TYPES[".js"], send_body)
        elif name == "events":
            self._events()
        else:
            self._send(404, b"404 Not Found\n", TYPES[".txt"], send_body)

    def _events(self) -> None:
        """Server-sent events: the current state at once, then every change, until the tab goes."""
        assert self.live is not None
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        inbox = self.live.subscribe()
        try:
            self.wfile.write(b"retry: 500\n\n" + _event(self.live.snapshot()))
            self.wfile.flush()
            while not self.live.stopping.is_set():
                try:
                    message = inbox.get(timeout=KEEPALIVE_SECONDS)
                except queue.Empty:
                    message = None
                self.wfile.write(_event(message) if message else b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            pass
        finally:
            self.live.unsubscribe(inbox)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def _event(message: dict) -> bytes:
    return f"data: {json.dumps(message, ensure_ascii=False)}\n\n".encode()


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def handle_error(self, request: object, client_address: object) -> None:
        """A tab that reloads or closes resets its connections: that is not worth a traceback."""
        if isinstance(sys.exc_info()[1], (ConnectionResetError, BrokenPipeError, ConnectionAbortedError)):
            return
        super().handle_error(request, client_address)


def make_server(public_dir: Path, base_path: str, host: str, port: int,
                live: LiveState | None = None) -> PreviewServer:
    """A server ready to `serve_forever()`; raises OSError when the port is taken."""
    handler = type("Handler", (PreviewHandler,), {"public": public_dir, "base_path": base_path, "live": live})
    return PreviewServer((host, port), handler)


def start_in_thread(server: PreviewServer) -> threading.Thread:
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    return thread
