"""A static file server for public/, honouring the sub-path of base_url.

Binds 127.0.0.1 unless told otherwise and never serves a file outside public/.
"""

from __future__ import annotations

import http.server
import posixpath
from functools import partial
from pathlib import Path
from urllib.parse import unquote, urlsplit

LOOPBACK = {"127.0.0.1", "localhost", "::1"}


class _Handler(http.server.SimpleHTTPRequestHandler):
    base_path = "/"

    def translate_path(self, path: str) -> str:
        url_path = posixpath.normpath(unquote(urlsplit(path).path))
        if url_path.startswith(self.base_path.rstrip("/") + "/") or url_path == self.base_path.rstrip("/"):
            url_path = "/" + url_path[len(self.base_path):]
        root = Path(self.directory).resolve()
        target = (root / url_path.lstrip("/")).resolve()
        if not target.is_relative_to(root):
            return str(root / "__outside_public__")  # missing, so answered with 404
        return str(target) + ("/" if path.endswith("/") else "")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass


def make_server(public_dir: Path, base_path: str, host: str, port: int) -> http.server.ThreadingHTTPServer:
    """A server ready to `serve_forever()`; raises OSError when the port is taken."""
    handler = type("PreviewHandler", (_Handler,), {"base_path": base_path})
    return http.server.ThreadingHTTPServer((host, port), partial(handler, directory=str(public_dir)))
