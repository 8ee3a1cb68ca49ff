"""The connection layer under sitegen's HTTP client: every socket wait (connect, TLS handshake,
each read and write) cut to what is left of the calling thread's deadline, and, for what a feed on
the public internet names, connections only to public addresses, checked against the address
actually connected to (so DNS cannot change it between check and use)."""

from __future__ import annotations

import ipaddress
import re
import socket
import ssl
import threading
import time
from contextlib import contextmanager
from typing import Iterable, Iterator
from urllib.parse import urlsplit

import httpcore
import httpx


# ---- every socket wait cut to the deadline ---------------------------------

_local = threading.local()


@contextmanager
def deadline(until: float, public_only: bool = False) -> Iterator[None]:
    """Socket waits in this thread end by `until` (time.monotonic) while the block runs, and its
    direct connections go to public addresses only if `public_only`."""
    outer = getattr(_local, "until", None), getattr(_local, "public_only", False)
    _local.until, _local.public_only = until, public_only
    try:
        yield
    finally:
        _local.until, _local.public_only = outer


def _cut(timeout: float | None) -> float | None:
    until = getattr(_local, "until", None)
    if until is None:
        return timeout
    left = max(until - time.monotonic(), 0.001)
    return left if timeout is None else min(timeout, left)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _cut(timeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _cut(timeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._stream.start_tls(ssl_context, server_hostname, _cut(timeout)))

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    def __init__(self, backend: httpcore.NetworkBackend, direct: bool):
        self._backend = backend
        self._direct = direct
        """Connects to the hosts of URLs (not to a proxy, which is the one to resolve them)."""

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        if self._direct and getattr(_local, "public_only", False):
            host = public_address(host, port)  # connect to the address checked, not to a new lookup
        return _DeadlineStream(self._backend.connect_tcp(host, port, _cut(timeout), local_address, socket_options))

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable | None = None) -> httpcore.NetworkStream:
        return _DeadlineStream(self._backend.connect_unix_socket(path, _cut(timeout), socket_options))

    def sleep(self, seconds: float) -> None:
        self._backend.sleep(seconds)


def cap_socket_waits(client: httpx.Client) -> None:
    """Wrap the network backend of each of the client's connection pools (the direct one and any
    proxy's) so that its socket waits end by the calling thread's deadline. httpx has no public way
    to give httpcore a backend; should a later version move these attributes, the deadline is still
    checked between reads, and tests/fetch/test_http.py's dripping-headers test fails to say so."""
    for transport in (client._transport, *client._mounts.values()):
        pool = getattr(transport, "_pool", None)
        backend = getattr(pool, "_network_backend", None)
        if isinstance(backend, httpcore.NetworkBackend) and not isinstance(backend, _DeadlineBackend):
            pool._network_backend = _DeadlineBackend(backend, direct=transport is client._transport)


# ---- where a feed may send sitegen -----------------------------------------

class _PrivateAddress(httpcore.ConnectError):
    """A URL named by a feed on the public internet leads to a private or local address (an httpcore
    error, so that httpx passes it up from the connection; said as a FetchError)."""


def refused_as_private(exc: BaseException | None) -> bool:
    """Whether a connection failed because its address is private (see `_PrivateAddress`)."""
    return isinstance(exc, _PrivateAddress)


def public_address(host: str, port: int) -> str:
    """The first address of `host`, if every address it has is public; else _PrivateAddress."""
    try:
        found = [info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)]
    except OSError as exc:
        raise httpcore.ConnectError(f"cannot resolve {host}: {os_reason(exc)}") from None
    private = next((address for address in found if not _is_public(address)), None)
    if private is not None or not found:
        raise _PrivateAddress(f"{host} is a private or local address ({private}), and the feed that named it "
                                  "is on the public internet: not fetched")
    return found[0]


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def is_public_host(url: str) -> bool:
    """Whether the host of `url` has only public addresses (False when it cannot be resolved)."""
    host = urlsplit(url).hostname or ""
    try:
        return all(_is_public(info[4][0]) for info in socket.getaddrinfo(host, None, type=socket.SOCK_STREAM))
    except (OSError, ValueError):
        return False


def os_reason(exc: BaseException) -> str:
    return re.sub(r"^\[Errno \d+\] ", "", str(exc)) or type(exc).__name__
