"""Get a feed's bytes: over http(s) with timeouts and a size cap, or from a local file."""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sitegen import __version__

DEFAULT_MAX_BYTES = 20 * 1024 * 1024
DEFAULT_TIMEOUT = 30.0


class FetchError(Exception):
    """The feed could not be had; the message says why in one line."""


@dataclass(frozen=True)
class Fetched:
    data: bytes
    url: str
    """Where the bytes came from after redirects (or the file path)."""
    headers: dict[str, str] = field(default_factory=dict)
    """Response headers, lower-cased names; empty for a file."""


def user_agent(site_url: str) -> str:
    return f"sitegen/{__version__} (+{site_url})"


def fetch(location: str, site_root: Path, site_url: str, *, timeout: float = DEFAULT_TIMEOUT,
          max_bytes: int = DEFAULT_MAX_BYTES) -> Fetched:
    scheme = urlsplit(location).scheme
    if scheme in ("http", "https"):
        return _fetch_http(location, site_url, timeout, max_bytes)
    path = Path(unquote(urlsplit(location).path)) if scheme == "file" else site_root / location
    return _read_file(path, max_bytes)


def _fetch_http(url: str, site_url: str, timeout: float, max_bytes: int) -> Fetched:
    request = urllib.request.Request(url, headers={"User-Agent": user_agent(site_url),
                                                   "Accept-Encoding": "identity"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            data = response.read(max_bytes + 1)
            headers = {k.lower(): v for k, v in response.headers.items()}
            final_url = response.geturl()
    except urllib.error.HTTPError as exc:
        raise FetchError(f"HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise FetchError(f"cannot fetch: {reason}") from None
    if len(data) > max_bytes:
        raise FetchError(f"larger than the {max_bytes:,}-byte limit")
    return Fetched(data, final_url, headers)


def _read_file(path: Path, max_bytes: int) -> Fetched:
    try:
        with path.open("rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise FetchError(f"larger than the {max_bytes:,}-byte limit")
    return Fetched(data, str(path))
