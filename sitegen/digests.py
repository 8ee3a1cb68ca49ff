"""Stable digests: what caches and page keys are keyed by."""

from __future__ import annotations

import hashlib


def digest(*parts: object) -> str:
    """A short stable digest of `parts` (their reprs: dataclasses, tuples and strings are stable)."""
    return hashlib.blake2b(repr(parts).encode("utf-8", "surrogatepass"), digest_size=16).hexdigest()


def file_digest(relative: str, data: bytes) -> str:
    """The key of a file's article: its place and its bytes."""
    return hashlib.blake2b(relative.encode("utf-8", "surrogateescape") + b"\0" + data, digest_size=16).hexdigest()
