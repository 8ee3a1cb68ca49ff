"""A real HTTP server on 127.0.0.1 for fetch tests.

Serves files from a folder with ETag and Last-Modified (answering 304 to
conditional requests) and gzip when asked, and scripted routes for the
misbehaving servers a feed reader meets: errors, Retry-After, redirects,
slow or oversized bodies, custom headers. Every request is logged.
"""

from __future__ import annotations

import gzip
import hashlib
import http.server
import mimetypes
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit
from typing import Iterator


def _guess_type(path: Path) -> str:
    return "application/xml" if path.suffix == ".xml" else mimetypes.guess_type(path.name)[0] or "application/octet-stream"


@contextmanager
def running(server: http.server.HTTPServer, trailing_slash: bool = True) -> Iterator[str]:
    """Serve `server` from a thread while the block runs; yields its base URL."""
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}" + ("/" if trailing_slash else "")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    """Seconds to wait before answering."""
    trickle: float = 0.0
    """Seconds to wait between body chunks of 64 bytes."""


@dataclass
class Logged:
    path: str
    headers: dict[str, str]
    at: float


class FeedServer:
    def __init__(self, root: Path):
        self.root = root
        self.routes: dict[str, list[Scripted]] = {}
        self.log: list[Logged] = []
        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    def __enter__(self) -> "FeedServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/{path.lstrip('/')}"

    def route(self, path: str, *responses: Scripted) -> str:
        """Answer `path` with `responses` in turn, the last one from then on; returns its URL."""
        self.routes["/" + path.lstrip("/")] = list(responses)
        return self.url(path)

    def requests_for(self, path: str) -> list[Logged]:
        return [r for r in self.log if r.path == "/" + path.lstrip("/")]

    def _handler(self) -> type:
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - stdlib hook name
                path = self.path.split("?")[0]
                server.log.append(Logged(path, {k.lower(): v for k, v in self.headers.items()}, time.monotonic()))
                scripted = server.routes.get(path)
                if scripted:
                    self._answer(scripted.pop(0) if len(scripted) > 1 else scripted[0])
                else:
                    self._file(path)

            def _file(self, path: str) -> None:
                """A file of the folder; `?type=…` sets its Content-Type (`?type=none` sends none)."""
                target = (server.root / unquote(path).lstrip("/")).resolve()
                if not target.is_file() or not target.is_relative_to(server.root.resolve()):
                    self._answer(Scripted(404, b"not found"))
                    return
                data = target.read_bytes()
                etag = '"' + hashlib.sha1(data).hexdigest() + '"'
                modified = formatdate(int(target.stat().st_mtime), usegmt=True)
                headers = {"ETag": etag, "Last-Modified": modified}
                content_type = parse_qs(urlsplit(self.path).query).get("type", [_guess_type(target)])[0]
                if content_type != "none":
                    headers["Content-Type"] = content_type
                if self._not_modified(etag, target.stat().st_mtime):
                    self._answer(Scripted(304, b"", headers))
                else:
                    self._answer(Scripted(200, data, headers))

            def _not_modified(self, etag: str, mtime: float) -> bool:
                if "If-None-Match" in self.headers:
                    return self.headers["If-None-Match"] == etag
                since = self.headers.get("If-Modified-Since")
                return bool(since) and int(mtime) <= parsedate_to_datetime(since).timestamp()

            def _answer(self, reply: Scripted) -> None:
                time.sleep(reply.delay)
                body, headers = reply.body, dict(reply.headers)
                if "gzip" in self.headers.get("Accept-Encoding", "") and headers.pop("X-Gzip", None):
                    body, headers["Content-Encoding"] = gzip.compress(body), "gzip"
                self.send_response(reply.status)
                for name, value in headers.items():
                    self.send_header(name, value)
                if "Content-Length" not in headers:
                    self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                for start in range(0, len(body), 64 if reply.trickle else max(1, len(body))):
                    self.wfile.write(body[start:start + (64 if reply.trickle else len(body))])
                    self.wfile.flush()
                    time.sleep(reply.trickle)

            def log_message(self, format: str, *args: object) -> None:  # noqa: A002
                pass

        return Handler
