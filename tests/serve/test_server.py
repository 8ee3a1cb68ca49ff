"""The preview server, on a real socket on 127.0.0.1."""

import http.client
import socket
import subprocess
import sys
import threading
import time

import pytest

from sitegen.serve.server import make_server


@pytest.fixture
def public(tmp_path):
    root = tmp_path / "public"
    (root / "zh-hant").mkdir(parents=True)
    (root / "zh-hant/index.html").write_text("<p>首頁</p>", encoding="utf-8")
    (root / "css").mkdir()
    (root / "css/site.css").write_text("body{}", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("outside", encoding="utf-8")
    (root / "link-out").symlink_to(tmp_path / "secret.txt")
    return root


def serving(public, base_path):
    server = make_server(public, base_path, "127.0.0.1", 0)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return server


def get(server, path):
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=10)
    conn.request("GET", path)
    response = conn.getresponse()
    try:
        return response.status, response.read()
    finally:
        conn.close()


@pytest.mark.parametrize("base_path", ["/", "/news/"])
def test_serves_public_under_the_base_path(public, base_path):
    server = serving(public, base_path)
    try:
        assert get(server, f"{base_path}zh-hant/") == (200, "<p>首頁</p>".encode())
        assert get(server, f"{base_path}css/site.css") == (200, b"body{}")
        assert get(server, f"{base_path}zh-hant/missing.html")[0] == 404
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("path", ["/../secret.txt", "/%2e%2e/secret.txt", "/zh-hant/..%2f..%2fsecret.txt",
                                  "/link-out", "//etc/passwd"])
def test_never_serves_outside_public(public, path):
    server = serving(public, "/")
    try:
        status, body = get(server, path)
        assert status == 404 and b"outside" not in body
    finally:
        server.shutdown()
        server.server_close()


def two_free_ports() -> int:
    """A port whose next one is free too (the second server must move to exactly that one)."""
    while True:
        with socket.socket() as probe, socket.socket() as after:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
            try:
                after.bind(("127.0.0.1", port + 1))
            except OSError:
                continue
            return port


def test_sitegen_serve_builds_previews_and_says_where(demo_site):
    port = two_free_ports()
    process = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--site", str(demo_site),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        line = ""
        deadline = time.monotonic() + 60
        while "serving" not in line and time.monotonic() < deadline:
            line = process.stdout.readline()
        assert f"at http://127.0.0.1:{port}/" in line
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", "/zh-hant/2023/0915/1954134.html")
        response = conn.getresponse()
        assert response.status == 200 and "朝俄加強軍事關係".encode() in response.read()
        conn.close()
        second = subprocess.Popen([sys.executable, "-m", "sitegen", "serve", "--site", str(demo_site),
                                   "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        try:
            said = [second.stdout.readline() for _ in range(3)]
            assert f"port {port} is taken: using {port + 1} instead\n" in said
        finally:
            second.terminate()
            second.communicate(timeout=10)
    finally:
        process.terminate()
        process.communicate(timeout=10)
