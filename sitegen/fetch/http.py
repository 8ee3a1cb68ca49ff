"""Get bytes over HTTP politely and defensively, or from a local file.

Every response is bounded: connect and read timeouts, a total deadline, a size
cap on the decoded body (so a gzip bomb stops early), at most 5 redirects.
Timeouts, 429 and 5xx are retried a bounded number of times with backoff,
honouring Retry-After when it is reasonable.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Callable
from urllib.parse import unquote, urlsplit

import httpx

from sitegen import __version__
from sitegen.errors import SitegenError

RETRIED_STATUSES = {429, 500, 502, 503, 504}


class FetchError(SitegenError):
    """The resource could not be had, or is not what was wanted (the subclasses in
    parse, fulltext and images); the message says why in one line."""


@dataclass(frozen=True)
class Limits:
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    deadline: float = 90.0
    """Seconds for one whole response, however slowly it trickles in."""
    max_bytes: int = 20 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    """Extra tries after a timeout, 429 or 5xx."""
    backoff: float = 1.0
    """Seconds before the first retry; doubles each time."""
    max_retry_after: float = 120.0
    """A longer Retry-After is not waited for: the source is reported instead."""


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
            follow_redirects=True, max_redirects=limits.max_redirects)

    def __enter__(self) -> "HttpClient":
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def get(self, url: str, *, etag: str = "", last_modified: str = "", max_bytes: int | None = None,
            accept: str = "*/*") -> Response:
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        for attempt in range(self.limits.retries + 1):
            last_try = attempt == self.limits.retries
            try:
                return self._get_once(url, headers, max_bytes or self.limits.max_bytes)
            except _Retryable as exc:
                if last_try or exc.wait > self.limits.max_retry_after:
                    raise FetchError(f"{exc}{f' (after {attempt + 1} tries)' if attempt else ''}") from None
                self._sleep(max(exc.wait, self.limits.backoff * 2 ** attempt))
        raise AssertionError("unreachable")

    def _get_once(self, url: str, headers: dict[str, str], max_bytes: int) -> Response:
        try:
            with self._client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304:
                    return Response(304, b"", str(response.url), _lower(response.headers))
                _check_status(response)
                data = self._read_bounded(response, max_bytes)
                return Response(response.status_code, data, str(response.url), _lower(response.headers))
        except httpx.TooManyRedirects:
            raise FetchError(f"more than {self.limits.max_redirects} redirects") from None
        except httpx.TimeoutException as exc:
            raise _Retryable(f"timed out ({type(exc).__name__})", 0.0) from None
        except (httpx.DecodingError, httpx.RemoteProtocolError) as exc:
            raise FetchError(f"broken response: {exc}") from None
        except httpx.TransportError as exc:
            raise FetchError(f"cannot connect: {exc or type(exc).__name__}") from None
        except httpx.InvalidURL as exc:
            raise FetchError(f"invalid URL: {exc}") from None

    def _read_bounded(self, response: httpx.Response, max_bytes: int) -> bytes:
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > max_bytes and "content-encoding" not in response.headers:
            raise FetchError(f"larger than the {max_bytes:,}-byte limit ({int(declared):,} bytes)")
        started, chunks, size = time.monotonic(), [], 0
        for chunk in response.iter_bytes():
            size += len(chunk)
            if size > max_bytes:
                raise FetchError(f"larger than the {max_bytes:,}-byte limit")
            if time.monotonic() - started > self.limits.deadline:
                raise _Retryable(f"took longer than {self.limits.deadline:g} s", 0.0)
            chunks.append(chunk)
        return b"".join(chunks)


class _Retryable(Exception):
    def __init__(self, message: str, wait: float):
        super().__init__(message)
        self.wait = wait


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
