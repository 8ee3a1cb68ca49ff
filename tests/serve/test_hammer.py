"""`sitegen serve` under load while the site rebuilds: 20 keep-alive clients, 2,000 GETs, an editor saving
an article every ~50 ms. Every response must be whole and right: the page or file as one build wrote
it (never half a file), 404 for what is not there, nothing from outside public/. Loopback only."""

from __future__ import annotations

import http.client
import queue
import random
import re
import socket
import struct
import threading
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from tests.serve.helpers import (
    ARTICLE_FILE,
    HANT_PAGE,
    OLD_SENTENCE,
    RELOAD_SCRIPT,
    SitegenServe,
    tracebacks,
)

CLIENTS = 20
REQUESTS = 2_000
EDITS = 60
EDIT_EVERY = 0.05
LOAD_SECONDS = 120
"""The whole load must be done in this time (it takes a few seconds)."""

TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
         ".js": "text/javascript; charset=utf-8", ".xml": "application/xml; charset=utf-8",
         ".svg": "image/svg+xml", ".txt": "text/plain; charset=utf-8"}
MISSING = ["/zh-hant/2023/0915/0000000.html", "/zh-hans/no/such/folder/", "/css/nope.css", "/nope.js",
           "/zh-hant/atom.xml.bak", "/images/demo/nope.svg", "/zh-hant/%E4%B8%8D%E5%AD%98%E5%9C%A8.html"]
TRAVERSALS = ["/../sitegen.toml", "/%2e%2e/sitegen.toml", "/zh-hant/..%2f..%2fsitegen.toml", "//etc/passwd",
              "/%2E%2E/%2E%2E/%2E%2E/etc/passwd", "/zh-hant/../../sitegen.toml", "/..%2f..%2f..%2fetc%2fpasswd",
              "/zh-hant/%2e%2e/%2e%2e/content/rfa/1954134.md", "../sitegen.toml", "sitegen.toml",
              "/zh-hant/%00/../../sitegen.toml", "/./../sitegen.toml", "/zh-hant/.%2e/.%2e/sitegen.toml",
              # symlinks made inside public/ after the first build, pointing out of it
              "/leak.toml", "/passwd", "/zh-hant/leak-dir/sitegen.toml", "/zh-hant/leak-dir/content/rfa/1954134.md"]


@dataclass
class Tally:
    lock: threading.Lock = field(default_factory=threading.Lock)
    done: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)
    reconnects: int = 0

    def fail(self, message: str) -> None:
        with self.lock:
            if len(self.failures) < 50:
                self.failures.append(message)


def public_paths(public: Path) -> dict[str, Path]:
    """URL path -> file, for every file in public/ (a folder's index.html also as the folder)."""
    paths = {}
    for file in sorted(p for p in public.rglob("*") if p.is_file() and not p.is_symlink()):
        relative = file.relative_to(public).as_posix()
        paths["/" + relative] = file
        if file.name == "index.html":
            paths["/" + relative[: -len("index.html")]] = file
    return paths


def make_leaks(site: Path) -> None:
    """Symlinks inside public/ that lead out of it (a rebuild removes the file links: make them again)."""
    public = site / "public"
    for link, target in ((public / "leak.toml", site / "sitegen.toml"), (public / "passwd", Path("/etc/passwd")),
                         (public / "zh-hant" / "leak-dir", site)):
        try:
            link.symlink_to(target)
        except FileExistsError:
            pass


def is_complete_xml(body: bytes) -> bool:
    try:
        ET.fromstring(body)
    except ET.ParseError:
        return False
    return True


def test_many_clients_during_rebuilds_get_whole_right_answers(demo_site):
    site = demo_site
    secrets = [(site / "sitegen.toml").read_bytes().strip().splitlines()[0], b"base_url =", b"root:x:0:0"]
    with SitegenServe(site) as server:
        public = site / "public"
        files = public_paths(public)
        before = {path: file.read_bytes() for path, file in files.items()}
        make_leaks(site)
        assert (public / "leak.toml").is_symlink() and (public / "zh-hant" / "leak-dir").is_symlink()
        kinds = {path: "file" for path in files} | {path: "missing" for path in MISSING} | \
                {path: "outside" for path in TRAVERSALS}
        rng = random.Random(20230915)
        paths = [p for p in files for _ in range(4)] + MISSING * 8 + TRAVERSALS * 8
        work: queue.Queue[str] = queue.Queue()
        for _ in range(REQUESTS):
            work.put(rng.choice(paths))
        seen_bodies: dict[str, set[bytes]] = {}
        tally = Tally()
        stop = threading.Event()

        def check(path: str, status: int, headers: dict[str, str], body: bytes) -> None:
            kind = kinds[path]
            if kind == "outside":
                if status not in (400, 403, 404) or any(secret in body for secret in secrets):
                    tally.fail(f"{path}: HTTP {status}, leaks content from outside public/: {body[:120]!r}")
                return
            if kind == "missing":
                if status != 404:
                    tally.fail(f"{path}: HTTP {status}, wanted 404")
                return
            if status != 200:
                tally.fail(f"{path}: HTTP {status}, wanted 200")
                return
            suffix = files[path].suffix
            if headers.get("content-type") != TYPES[suffix]:
                tally.fail(f"{path}: Content-Type {headers.get('content-type')!r}, wanted {TYPES[suffix]!r}")
            if suffix == ".html":
                tags = RELOAD_SCRIPT.findall(body)
                if len(tags) != 1 or not body.rstrip().endswith(b"</html>") or \
                        not re.search(rb'defer></script></body>\s*</html>\s*$', body):
                    tally.fail(f"{path}: not a whole page with the reload script before </body>: ...{body[-160:]!r}")
                    return
                body = RELOAD_SCRIPT.sub(b"", body)
            elif suffix == ".xml" and not is_complete_xml(body):
                tally.fail(f"{path}: incomplete XML ({len(body)} bytes): ...{body[-120:]!r}")
                return
            with tally.lock:
                seen_bodies.setdefault(path, set()).add(body)

        def client() -> None:
            conn = None
            try:
                while not stop.is_set():
                    try:
                        path = work.get_nowait()
                    except queue.Empty:
                        return
                    if conn is None:
                        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=20)
                    try:
                        conn.request("GET", path)
                        response = conn.getresponse()
                        body = response.read()  # raises IncompleteRead on a short body
                        headers = {k.lower(): v for k, v in response.getheaders()}
                        status = response.status
                        if int(headers.get("content-length", -1)) != len(body):
                            tally.fail(f"{path}: Content-Length {headers.get('content-length')}, got {len(body)}")
                        if response.will_close:
                            conn.close()
                            conn = None
                            with tally.lock:
                                tally.reconnects += 1
                    except (OSError, http.client.HTTPException) as exc:
                        tally.fail(f"{path}: no complete response: {exc!r}")
                        conn.close()
                        conn = None
                        continue
                    with tally.lock:
                        tally.done += 1
                        tally.statuses[status] = tally.statuses.get(status, 0) + 1
                    check(path, status, headers, body)
            finally:
                if conn is not None:
                    conn.close()

        events: list[tuple[float, str]] = []

        def listen() -> None:
            """One live-reload stream, as a browser tab holds it: it must hear the rebuilds."""
            with socket.create_connection(("127.0.0.1", server.port), timeout=1) as sock:
                sock.sendall(b"GET /__sitegen/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                buffer = b""
                while not stop.is_set():
                    try:
                        chunk = sock.recv(65536)
                    except TimeoutError:
                        continue
                    if not chunk:
                        return
                    buffer += chunk
                    for kind in re.findall(rb'data: \{"type": "(\w+)"', buffer):
                        events.append((time.monotonic(), kind.decode()))
                    buffer = buffer[buffer.rfind(b"\n\n") + 2:] if b"\n\n" in buffer else buffer

        article = site / ARTICLE_FILE
        original = article.read_text(encoding="utf-8")
        markers = [f"第{n}次存檔的測試句子。" for n in range(EDITS)]

        def editor() -> None:
            for marker in markers:
                if stop.wait(EDIT_EVERY):
                    return
                with open(article, "w", encoding="utf-8") as f:  # in place, as an editor saves
                    f.write(original.replace(OLD_SENTENCE, marker, 1))
                make_leaks(site)

        listener = threading.Thread(target=listen, daemon=True)
        listener.start()
        mark = server.mark()
        started = time.monotonic()
        threads = [threading.Thread(target=editor, daemon=True)] + \
                  [threading.Thread(target=client, daemon=True) for _ in range(CLIENTS)]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=max(0.1, started + LOAD_SECONDS - time.monotonic()))
            load_seconds = time.monotonic() - started
            assert not any(t.is_alive() for t in threads), f"the load did not finish in {LOAD_SECONDS} s"

            # The last save is built and served (in place saves may be read half-written by a build:
            # that build fails and the next one recovers).
            deadline = time.monotonic() + 30
            while markers[-1].encode() not in server.get(HANT_PAGE)[2]:
                assert time.monotonic() < deadline, "the last save never reached the served page"
                time.sleep(0.1)
        finally:
            stop.set()
            listener.join(timeout=5)

        builds_during_load = [line for line in server.lines[mark:] if line.startswith(("rebuilt in", "build failed"))]
        reloads = [t for t, kind in events if kind == "reload"]
        print(f"{tally.done} requests from {CLIENTS} clients in {load_seconds:.2f} s "
              f"({tally.done / load_seconds:.0f}/s), statuses {tally.statuses}, {tally.reconnects} reconnects; "
              f"{EDITS} saves, {len(builds_during_load)} builds so far, "
              f"{sum(started <= t <= started + load_seconds for t in reloads)} reload events during the load")

    assert tally.failures == [], "\n".join(tally.failures)
    assert tally.done == REQUESTS
    assert sum(tally.statuses.values()) == REQUESTS
    assert events and events[0][1] == "hello"
    assert any(started <= t <= started + load_seconds for t in reloads), \
        "no rebuild finished while the clients were busy: the test did not test what it says"
    assert tracebacks(server.lines) == [], "\n".join(server.lines)

    # Files the edits did not touch were served byte for byte as they are on disk.
    after = public_paths(public)
    for path, bodies in seen_bodies.items():
        if path in after and after[path].read_bytes() == before.get(path):
            assert bodies == {before[path]}, f"{path} was served in {len(bodies)} versions, yet never changed"
    # And every page the edits changed was served whole, in a version one build wrote.
    changed = {p for p in seen_bodies if len(seen_bodies[p]) > 1}
    assert HANT_PAGE not in changed or all(b.rstrip().endswith(b"</html>") for b in seen_bodies[HANT_PAGE])


def test_clients_that_go_away_leave_no_tracebacks(demo_site):
    """A browser that reloads, navigates or closes a tab drops connections: in the middle of a big
    response, or idle between keep-alive requests. That is normal; the terminal of `sitegen serve`
    must not fill with tracebacks for it (they hide the build errors people look there for)."""
    site = demo_site
    (site / "static" / "media").mkdir(parents=True)
    (site / "static" / "media" / "big.svg").write_bytes(
        b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<!-- padding -->" * 200_000 + b"</svg>")  # 3.2 MB
    rude = struct.pack("ii", 1, 0)  # SO_LINGER 0: close() sends RST, as a dropped tab often does
    with SitegenServe(site) as server:
        for n in range(20):
            with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
                if n % 2:  # in the middle of a big response
                    sock.sendall(b"GET /media/big.svg HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    assert sock.recv(100).startswith(b"HTTP/1.1 200")
                else:  # an idle keep-alive connection, after a whole response
                    sock.sendall(b"GET /zh-hant/ HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                    received = b""
                    while b"</html>" not in received:
                        received += sock.recv(65536)
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, rude)
        status, _, body = server.get("/zh-hant/")
        assert status == 200 and body.rstrip().endswith(b"</html>")  # still serving
        time.sleep(0.5)
    found = tracebacks(server.lines)
    assert found == [], f"{len(found)} tracebacks, e.g. {found[0]}:\n" + "\n".join(server.lines[-30:])
