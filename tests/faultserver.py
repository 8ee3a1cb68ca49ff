"""An HTTP server on 127.0.0.1 that breaks on purpose, for the fetch fault tests.

Raw sockets and threads, so that it can do what no well-behaved server library lets it:
reset a connection mid-body, drip one byte at a time for ever, stream a gigabyte, send a
gzip bomb, redirect in a loop or to file://, answer a TLS handshake with plain HTTP.

`GET /FAULT.xml` answers with the fault of that name (FAULTS); `/feed.xml`, and any fault
after `heal(FAULT)`, answers with the good feed the server was made with. Every answer
closes its connection. The server counts requests and the bytes it sent, per fault.
"""

from __future__ import annotations

import functools
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from typing import Callable

GIGABYTE = 1 << 30
CHUNK = 64 * 1024


class Connection:
    """One accepted connection; `send` counts what got out and says False once the client is gone."""

    def __init__(self, sock: socket.socket, server: "FaultServer", fault: str):
        self.sock, self.server, self.fault = sock, server, fault

    def send(self, data: bytes) -> bool:
        if self.server.stopped.is_set():
            return False
        try:
            self.sock.sendall(data)
        except OSError:
            return False
        with self.server.lock:
            self.server.sent[self.fault] += len(data)
        return True

    def head(self, status: str, headers: dict[str, str]) -> bool:
        lines = [f"HTTP/1.1 {status}", *(f"{k}: {v}" for k, v in headers.items()), "Connection: close", "", ""]
        return self.send("\r\n".join(lines).encode("latin-1"))

    def drip(self, data: bytes, every: float) -> None:
        """One byte of `data` (cycled) every `every` seconds, until the client or the server goes."""
        at = 0
        while self.send(data[at % len(data):at % len(data) + 1]):
            at += 1
            if self.server.stopped.wait(every):
                return

    def reset(self) -> None:
        """Close with a TCP RST instead of a FIN: what a crashed server or a middlebox does."""
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        self.sock.close()


# ---- the faults -----------------------------------------------------------

def _reset(c: Connection) -> None:
    """Promises 100,000 bytes, sends 1,000 of the feed, then resets the connection."""
    c.head("200 OK", {"Content-Type": "application/rss+xml", "Content-Length": "100000"})
    c.send(c.server.feed[:1000].ljust(1000, b" "))
    time.sleep(0.05)
    c.reset()


def _drip(c: Connection) -> None:
    """A body that never ends: a byte every 0.2 s (well inside any read timeout)."""
    c.head("200 OK", {"Content-Type": "application/rss+xml", "Content-Length": "10000000"})
    c.drip(b'<?xml version="1.0"?><rss version="2.0"><channel><title>', 0.2)


def _drip_headers(c: Connection) -> None:
    """Headers that never end: the status line, then a header byte every 0.2 s."""
    c.send(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nX-Slow: ")
    c.drip(b"a", 0.2)


def _stream(c: Connection, headers: dict[str, str], body: Callable[[], bytes], total: int) -> None:
    if not c.head("200 OK", headers):
        return
    sent = 0
    while sent < total:
        piece = body()
        if not c.send(piece):
            return
        sent += len(piece)


_ZEROS = bytes(CHUNK)


def _huge(c: Connection) -> None:
    """1 GB, declared in Content-Length."""
    _stream(c, {"Content-Type": "application/rss+xml", "Content-Length": str(GIGABYTE)}, lambda: _ZEROS, GIGABYTE)


_CHUNKED = b"%x\r\n" % CHUNK + b"<!-- " + b"x" * (CHUNK - 9) + b" -->" + b"\r\n"


def _huge_chunked(c: Connection) -> None:
    """1 GB with no length said (chunked), so only counting what arrives can stop it."""
    _stream(c, {"Content-Type": "application/rss+xml", "Transfer-Encoding": "chunked"},
            lambda: _CHUNKED, GIGABYTE)


def _bomb(c: Connection) -> None:
    """Content-Encoding: gzip, about 1 MB that unzips to 1 GB of zeros."""
    body = gzip_bomb()
    c.head("200 OK", {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip",
                      "Content-Length": str(len(body))})
    c.send(body)


def _bomb_nested(c: Connection) -> None:
    """Content-Encoding: gzip, gzip: 2 KB that unzips to the 1 MB bomb, which unzips to 1 GB."""
    body = nested_gzip_bomb()
    c.head("200 OK", {"Content-Type": "application/rss+xml", "Content-Encoding": "gzip, gzip",
                      "Content-Length": str(len(body))})
    c.send(body)


def _redirect(location: str) -> Callable[[Connection], None]:
    def fault(c: Connection) -> None:
        c.head("302 Found", {"Location": location, "Content-Length": "0"})
    return fault


def _loop(c: Connection) -> None:
    _redirect(f"/{c.fault}.xml")(c)


def _body(status: str, content_type: str, body: bytes,
          extra: dict[str, str] | None = None) -> Callable[[Connection], None]:
    def fault(c: Connection) -> None:
        c.head(status, {"Content-Type": content_type, "Content-Length": str(len(body)), **(extra or {})})
        c.send(body)
    return fault


def _storm(c: Connection) -> None:
    """Every try a 500 or a 503 (every other one with Retry-After: 1)."""
    with c.server.lock:
        n = c.server.requests[c.fault]
    if n % 2:
        _body("503 Service Unavailable", "text/plain", b"busy", {"Retry-After": "1"})(c)
    else:
        _body("500 Internal Server Error", "text/plain", b"oops")(c)


def _busy(c: Connection) -> None:
    """503 with a Retry-After longer than a test's whole deadline."""
    _body("503 Service Unavailable", "text/plain", b"busy", {"Retry-After": "30"})(c)


def png() -> bytes:
    """A valid 1x1 PNG."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


HTML_PAGE = ("<!doctype html><html lang=zh-Hant><head><meta charset=utf-8><title>首頁 - 某新聞網</title></head>"
             "<body><h1>某新聞網</h1><p>本站已改版，訂閱請見<a href=/news>新聞</a>。</p></body></html>").encode()

FAULTS: dict[str, Callable[[Connection], None]] = {
    "reset": _reset,
    "drip": _drip,
    "drip-headers": _drip_headers,
    "huge": _huge,
    "huge-chunked": _huge_chunked,
    "bomb": _bomb,
    "bomb-nested": _bomb_nested,
    "loop": _loop,
    "to-file": _redirect("file:///etc/passwd"),
    "to-ftp": _redirect("ftp://127.0.0.1/feed.xml"),
    "to-javascript": _redirect("javascript:alert(1)"),
    "png": _body("200 OK", "image/png", png()),
    "html": _body("200 OK", "text/html; charset=utf-8", HTML_PAGE),
    "storm": _storm,
    "busy": _busy,
}


@functools.cache
def gzip_bomb() -> bytes:
    """A real gzip file of 1 GB of zeros, made in well under a second: deflate blocks ended by a
    full flush do not refer back, so the block for one megabyte is repeated 1,024 times."""
    megabyte = bytes(1 << 20)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(megabyte) + deflate.flush(zlib.Z_FULL_FLUSH)
    assert block == deflate.compress(megabyte) + deflate.flush(zlib.Z_FULL_FLUSH)
    crc = 0
    for _ in range(1024):
        crc = zlib.crc32(megabyte, crc)
    return (b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff" + block * 1024 + deflate.flush()
            + struct.pack("<II", crc, GIGABYTE & 0xFFFFFFFF))


@functools.cache
def nested_gzip_bomb() -> bytes:
    deflate = zlib.compressobj(9, zlib.DEFLATED, 31)
    return deflate.compress(gzip_bomb()) + deflate.flush()


# ---- the server -----------------------------------------------------------

class FaultServer:
    """Serve faults on 127.0.0.1 (on `port`, or a free one) from threads while in a `with` block."""

    def __init__(self, feed: bytes, port: int = 0):
        self.feed = feed
        self.healed: set[str] = set()
        self.requests: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.stopped = threading.Event()
        self._listener = socket.create_server(("127.0.0.1", port))
        self.port = self._listener.getsockname()[1]
        self._threads: list[threading.Thread] = []

    def __enter__(self) -> "FaultServer":
        self._listener.settimeout(0.05)
        self._spawn(self._accept)
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()

    def idle(self, timeout: float = 10) -> None:
        """Wait until every connection so far has been answered and closed (so `sent` is final)."""
        for thread in self._threads[1:]:
            thread.join(timeout=timeout)

    def url(self, fault: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/{fault}.xml"

    def heal(self, fault: str) -> None:
        """From now on `fault` answers with the good feed."""
        self.healed.add(fault)

    def _spawn(self, target: Callable, *args: object) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        thread.start()
        self._threads.append(thread)

    def _accept(self) -> None:
        while not self.stopped.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._serve, sock)

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            sock.settimeout(10)
            try:
                head = self._read_head(sock)
            except OSError:
                return
            if not head[:1].isalpha() or not head[:1].isupper():
                # Not an HTTP request (a TLS ClientHello starts with 0x16): a plain HTTP server says 400.
                Connection(sock, self, "not-http").head("400 Bad Request", {"Content-Length": "0"})
                return
            path = head.split(b" ")[1].decode("latin-1") if head.count(b" ") >= 2 else "/"
            fault = path.lstrip("/").split("?")[0].removesuffix(".xml")
            with self.lock:
                self.requests[fault] += 1
            c = Connection(sock, self, fault)
            if fault == "feed" or fault in self.healed:
                _body("200 OK", "application/rss+xml; charset=utf-8", self.feed)(c)
            elif fault in FAULTS:
                FAULTS[fault](c)
            else:
                _body("404 Not Found", "text/plain", b"no such fault")(c)

    @staticmethod
    def _read_head(sock: socket.socket) -> bytes:
        head = b""
        while b"\r\n\r\n" not in head and len(head) < 65536:
            data = sock.recv(4096)
            if not data:
                break
            head += data
            if head[:1] and not head[:1].isalpha():
                break
        return head


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connecting to it is refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
