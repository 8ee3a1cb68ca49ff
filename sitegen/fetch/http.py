"""Get bytes over HTTP politely and defensively, or from a local file.

Every fetch is bounded. One deadline covers all of it, every try and every wait between
tries; each socket wait (connect, TLS handshake, each read) is cut to what is left of it,
so a server that drips a byte just before each read timeout, in the headers or the body,
is cut off on time. Connect and read timeouts; a size cap on the bytes received and on
the unzipped body, which is unzipped here a piece at a time, so a gzip bomb stops at the
cap without ever being held; at most 5 redirects, and only to http(s) URLs.
Timeouts, a dropped connection, 429 and 5xx are retried a bounded number of times with
backoff, honouring Retry-After when it is reasonable and fits in what is left of the deadline.

What is fetched for one source (its feed, then full-text pages and images its stories name)
shares one `Allowance`: the source's deadline, and whether private addresses may be reached.
A feed on the public internet may not send sitegen to 127.0.0.1, the local network or a cloud
metadata address for an "image": the address is checked when the connection is made (after
every redirect, and against the address actually connected to, so DNS cannot change it between
check and use: fetch/connection.py).
"""

from __future__ import annotations

import re
import ssl
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import unquote, urljoin, urlsplit

import httpx

from sitegen import __version__
from sitegen.errors import SitegenError
from sitegen.fetch.connection import cap_socket_waits, deadline, is_public_host, os_reason, refused_as_private

RETRIED_STATUSES = {429, 500, 502, 503, 504}
PIECE = 64 * 1024
"""Most bytes unzipped at a time."""


class FetchError(SitegenError):
    """The resource could not be had, or is not what was wanted (the subclasses in
    parse, fulltext and images); the message says why in one line."""


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 60.0
    """Seconds for one whole fetch, however slowly it trickles in: every try, and the waits
    between them. A source's own `deadline` (sitegen.toml) replaces it for its feed."""
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    """Extra tries after a timeout, a dropped connection, 429 or 5xx."""
    backoff: float = 1.0
    """Seconds before the first retry; doubles each time."""
    max_retry_after: float = 120.0
    """A longer Retry-After is not waited for: the source is reported instead."""


@dataclass(frozen=True)
class Allowance:
    """What every fetch made for one source may take: time until its one deadline (`seconds`
    long, ending at `until`, time.monotonic), and whether it may reach private addresses."""

    seconds: float
    until: float
    public_only: bool = False

    @classmethod
    def starting_now(cls, seconds: float, public_only: bool = False) -> "Allowance":
        return cls(seconds, time.monotonic() + seconds, public_only)

    def for_named(self, feed_url: str) -> "Allowance":
        """The allowance for what a feed fetched from `feed_url` names (pages, images): private
        addresses only when the feed itself came from one, or from a file of the site."""
        return Allowance(self.seconds, self.until, is_web_url(feed_url) and is_public_host(feed_url))


@dataclass(frozen=True)
class Response:
    status: int
    """200, or 304 when the conditional request found nothing new."""
    data: bytes
    url: str
    """The final URL after redirects, or the file path."""
    headers: dict[str, str] = field(default_factory=dict)
    """Response headers with lower-case names."""


def user_agent(site_url: str) -> str:
    return f"sitegen/{__version__} (+{site_url})"


class HttpClient:
    """One connection pool shared by every fetch of a run; safe to use from threads."""

    def __init__(self, site_url: str, limits: Limits = Limits(), sleep: Callable[[float], None] = time.sleep):
        self.limits, self._sleep = limits, sleep
        self._client = httpx.Client(
            headers={"User-Agent": user_agent(site_url), "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(limits.read_timeout, connect=limits.connect_timeout),
            follow_redirects=True, max_redirects=limits.max_redirects,
            event_hooks={"response": [_only_web_redirects]})
        cap_socket_waits(self._client)

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str, *, etag: str = "", last_modified: str = "", max_bytes: int | None = None,
            accept: str = "*/*", allowance: Allowance | None = None) -> Response:
        """The resource at `url`, within the allowance (default: the limits' deadline from now, any
        address), or FetchError."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        allowance = allowance or Allowance.starting_now(self.limits.deadline)
        limit, until = allowance.seconds, allowance.until
        if until <= time.monotonic():
            raise FetchError(f"not fetched: the source's {limit:g} s deadline had run out")
        for tries in range(1, self.limits.retries + 2):
            try:
                with deadline(until, allowance.public_only):
                    return self._get_once(url, headers, max_bytes or self.limits.max_bytes, until, limit)
            except _Retryable as exc:
                why = self._no_retry(exc, tries, until - time.monotonic(), limit)
                if why is not None:
                    raise FetchError(_said(exc, tries, why)) from None
                self._sleep(max(exc.wait, self.limits.backoff * 2 ** (tries - 1)))
        raise AssertionError("unreachable")

    def _no_retry(self, exc: _Retryable, tries: int, left: float, limit: float) -> str | None:
        """Why there is to be no other try (a note for the message, maybe empty), or None to try again."""
        if exc.out_of_time or tries > self.limits.retries:
            return ""
        if exc.wait > self.limits.max_retry_after:
            return f"Retry-After {exc.wait:g} s is too long to wait"
        if exc.wait >= left:
            return f"Retry-After {exc.wait:g} s is past the {limit:g} s deadline"
        if self.limits.backoff * 2 ** (tries - 1) >= left:
            return f"no time left in the {limit:g} s deadline for another"
        return None

    def _get_once(self, url: str, headers: dict[str, str], max_bytes: int, until: float, limit: float) -> Response:
        left = max(until - time.monotonic(), 0.001)
        timeout = httpx.Timeout(min(self.limits.read_timeout, left), connect=min(self.limits.connect_timeout, left))
        try:
            with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                if response.status_code == 304:
                    return Response(304, b"", str(response.url), _lower(response.headers))
                _check_status(response)
                data = _read_bounded(response, max_bytes, until, limit)
                return Response(response.status_code, data, str(response.url), _lower(response.headers))
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {self.limits.max_redirects} redirects") from None
        except httpx.TimeoutException as exc:
            if time.monotonic() >= until - 0.05:  # the wait was cut to the deadline, and it ran out
                raise _Retryable(_late(limit), 0.0, out_of_time=True) from None
            raise _Retryable(self._timed_out(exc), 0.0) from None
        except (httpx.ReadError, httpx.WriteError) as exc:
            raise _Retryable(f"connection broken: {os_reason(exc)}", 0.0) from None
        except (httpx.DecodingError, httpx.RemoteProtocolError) as exc:
            raise FetchError(f"broken response: {exc}") from None
        except httpx.TransportError as exc:
            if refused_as_private(exc.__cause__):
                raise FetchError(str(exc.__cause__)) from None
            raise FetchError(f"cannot connect: {_connect_reason(exc)}") from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}") from None

    def _timed_out(self, exc: httpx.TimeoutException) -> str:
        if isinstance(exc, httpx.ConnectTimeout):
            return f"timed out connecting (no answer in {self.limits.connect_timeout:g} s)"
        if isinstance(exc, httpx.ReadTimeout):
            return f"timed out (nothing received for {self.limits.read_timeout:g} s)"
        return f"timed out ({type(exc).__name__})"


class _Retryable(Exception):
    def __init__(self, message: str, wait: float, out_of_time: bool = False):
        super().__init__(message)
        self.wait = wait
        self.out_of_time = out_of_time
        """The try used up the deadline: there is no time for another."""


def _said(exc: Exception, tries: int, why: str = "") -> str:
    notes = [f"after {tries} tries"] if tries > 1 else []
    notes += [why] if why else []
    return f"{exc} ({'; '.join(notes)})" if notes else str(exc)


def _late(limit: float) -> str:
    return f"took longer than the {limit:g} s deadline"


def _check_status(response: httpx.Response) -> None:
    status = response.status_code
    if 200 <= status < 300:
        return
    message = f"HTTP {status} {response.reason_phrase}".rstrip()
    if status in RETRIED_STATUSES:
        raise _Retryable(message, _retry_after(response.headers.get("retry-after", "")))
    if status == 410:
        message += ": the feed is gone for good; remove it from sitegen.toml"
    raise FetchError(message)


def _retry_after(value: str) -> float:
    """Seconds asked for by a Retry-After header (a number or an HTTP date)."""
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError, IndexError):
        return 0.0


def _only_web_redirects(response: httpx.Response) -> None:
    """A redirect may only lead to another http(s) URL: never file://, ftp:// or javascript:."""
    if response.is_redirect:
        target = urljoin(str(response.url), response.headers.get("location", "").strip())
        if urlsplit(target).scheme not in ("http", "https"):
            shown = target if len(target) <= 200 else target[:200] + "…"
            raise FetchError(f"redirected to {shown!r}, which is not an http(s) URL")


# ---- the body: counted, unzipped here a piece at a time -------------------

def _read_bounded(response: httpx.Response, max_bytes: int, until: float, limit: float) -> bytes:
    encodings = _content_encodings(response.headers.get("content-encoding", ""))
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise FetchError(f"larger than the {max_bytes:,}-byte limit ({int(declared):,} bytes)")
    pieces: Iterable[bytes] = _received(response, max_bytes, until, limit)
    for encoding in reversed(encodings):  # the last one applied is undone first
        pieces = _inflate(pieces, encoding)
    chunks, size = [], 0
    for piece in pieces:
        size += len(piece)
        if size > max_bytes:
            raise FetchError(f"larger than the {max_bytes:,}-byte limit{' when unzipped' if encodings else ''}")
        if time.monotonic() >= until:
            raise _Retryable(_late(limit), 0.0, out_of_time=True)
        chunks.append(piece)
    return b"".join(chunks)


def _received(response: httpx.Response, max_bytes: int, until: float, limit: float) -> Iterator[bytes]:
    """The body's bytes as they arrive, still zipped; no more than `max_bytes` of them, and none late."""
    size = 0
    for chunk in response.iter_raw():
        size += len(chunk)
        if size > max_bytes:
            raise FetchError(f"larger than the {max_bytes:,}-byte limit")
        if time.monotonic() >= until:
            raise _Retryable(_late(limit), 0.0, out_of_time=True)
        yield chunk


def _content_encodings(value: str) -> list[str]:
    """The Content-Encoding codings in the order applied; FetchError for one that is not gzip or deflate."""
    codings = [c.strip().lower() for c in value.split(",") if c.strip() and c.strip().lower() != "identity"]
    for coding in codings:
        if coding not in ("gzip", "x-gzip", "deflate"):
            raise FetchError(f"unsupported Content-Encoding {value.strip()!r} (sitegen asks for gzip or deflate)")
    return codings


def _inflate(chunks: Iterable[bytes], encoding: str) -> Iterator[bytes]:
    """Unzip a stream a piece of at most PIECE bytes at a time, however much one chunk holds."""
    # gzip: a gzip or zlib header (47); deflate: zlib, or raw deflate as some servers send it.
    inflater, started = zlib.decompressobj(15 if encoding == "deflate" else 47), False
    for data in chunks:
        while True:
            try:
                piece = inflater.decompress(data, PIECE)
            except zlib.error as exc:
                if encoding != "deflate" or started:
                    raise FetchError(f"broken response: bad {encoding} data ({exc})") from None
                inflater, started = zlib.decompressobj(-15), True
                continue
            started = True
            if piece:
                yield piece
            data = inflater.unconsumed_tail
            if not data and len(piece) < PIECE:
                break


# ---- one line for what went wrong ------------------------------------------

def _connect_reason(exc: httpx.TransportError) -> str:
    if isinstance(exc, httpx.UnsupportedProtocol):
        return f"not an http(s) URL: {exc.request.url}"
    cause: BaseException | None = exc
    while cause is not None and not isinstance(cause, ssl.SSLError):
        cause = cause.__cause__ or cause.__context__
    if isinstance(cause, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted ({cause.verify_message or cause.reason})"
    if isinstance(cause, ssl.SSLError):
        reason = re.sub(r"\s*\(_ssl\.c:\d+\)$", "", str(cause))
        if cause.reason in ("WRONG_VERSION_NUMBER", "RECORD_LAYER_FAILURE", "HTTP_REQUEST", "PACKET_LENGTH_TOO_LONG"):
            return f"TLS handshake failed ({reason}): the server does not speak https on this port"
        return f"TLS handshake failed ({reason})"
    return os_reason(exc)


def _lower(headers: httpx.Headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def read_local(location: str, site_root: Path, max_bytes: int) -> Response:
    """A feed from a file path (relative to the site) or a file:// URL."""
    parts = urlsplit(location)
    path = Path(unquote(parts.path)) if parts.scheme == "file" else site_root / location
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise FetchError(f"larger than the {max_bytes:,}-byte limit")
    return Response(200, data, str(path))


def is_web_url(location: str) -> bool:
    return urlsplit(location).scheme in ("http", "https")
