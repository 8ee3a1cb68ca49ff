"""What the `sitegen serve` tests share (test_live_reload.py, test_hammer.py): `sitegen serve` as a
subprocess, the demo article they edit, and the tracebacks in its output."""

from __future__ import annotations

import http.client
import os
import re
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Self
from urllib.parse import urlsplit

from tests.helpers import REPO

ARTICLE_FILE = "content/rfa/1954134.md"
HANT_PAGE = "/zh-hant/2023/0915/1954134.html"
HANS_PAGE = "/zh-hans/2023/0915/1954134.html"
OLD_SENTENCE = "近日，朝鮮領導人金正恩高調到訪俄羅斯。"
RELOAD_SCRIPT = re.compile(rb'<script src="/__sitegen/reload\.js" data-epoch="\d+" defer></script>')
SERVE_START_SECONDS = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SitegenServe:
    """`python -m sitegen serve --site SITE --port N`, up once it says where; its output (stdout and
    stderr together) read by a thread, so a long run never blocks on a full pipe."""

    def __init__(self, site: Path, port: int | None = None, env: dict[str, str] | None = None) -> None:
        """`env`: variables set for the process besides this one's."""
        self.site = site
        self.lines: list[str] = []
        self._new_line = threading.Condition()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "sitegen", "serve", "--site", str(site), "--port", str(port or free_port())],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, encoding="utf-8", cwd=REPO,
            env={**os.environ, **(env or {})})
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        try:
            line = self.wait_for_line(r"^serving .* at http://127\.0\.0\.1:\d+/", timeout=SERVE_START_SECONDS)
        except BaseException:
            self.stop()
            raise
        self.url = re.search(r"at (http://127\.0\.0\.1:\d+)/", line).group(1)
        self.port = urlsplit(self.url).port

    def _read(self) -> None:
        for line in self.process.stdout:
            with self._new_line:
                self.lines.append(line.rstrip("\n"))
                self._new_line.notify_all()

    def wait_for_line(self, pattern: str, since: int = 0, timeout: float = 15) -> str:
        """The first output line from index `since` on that matches `pattern`."""
        regex = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self._new_line:
            while True:
                for line in self.lines[since:]:
                    if regex.search(line):
                        return line
                left = deadline - time.monotonic()
                if left <= 0 or (self.process.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"sitegen serve never said /{pattern}/; it said:\n" + "\n".join(self.lines))
                self._new_line.wait(min(left, 0.2))

    def mark(self) -> int:
        """An index into the output: lines said after now are `lines[mark:]`."""
        with self._new_line:
            return len(self.lines)

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
        finally:
            conn.close()

    def stop(self) -> str:
        """Terminate, collect the rest of the output, close the pipe; the whole output as text."""
        if self.process.poll() is None:
            self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self._reader.join(timeout=15)
        self.process.communicate(timeout=15)  # closes the pipe (the reader has read it to the end)
        return "\n".join(self.lines)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def tracebacks(lines: list[str]) -> list[str]:
    """The exception line of every traceback in the output."""
    found, inside = [], False
    for line in lines:
        if line.startswith("Traceback (most recent call last):"):
            inside = True
        elif inside and line and not line[0].isspace():
            found.append(line)
            inside = False
    return found
