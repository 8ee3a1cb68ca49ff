"""Pagefind's bundle in a fixed order, so the same pages give the same bytes.

Pagefind 1.5 writes some lists in the order of a hash map, which changes from run to run: the
languages of `pagefind-entry.json`, the values inside each filter file (`filter/*.pf_filter`)
and the filters named in the metadata file (`pagefind.*.pf_meta`). Those files are named by
their content's hash and name each other (entry → metadata → filters), so each is put in order
and renamed by a digest of its ordered bytes, and the names are mended along the chain. The
index chunks and fragments are already the same from run to run.

The binary files are gzip-compressed CBOR after the signature `pagefind_dcd` (the format the
bundle's own decoder reads: any CBOR of the same shape).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re

import cbor2

SIGNATURE = b"pagefind_dcd"
FILTER = re.compile(r"^filter/(?P<lang>[^/]+)_(?P<hash>[0-9a-f]+)\.pf_filter$")
META = re.compile(r"^pagefind\.(?P<lang>[^/]+)_(?P<hash>[0-9a-f]+)\.pf_meta$")


def in_fixed_order(files: dict[str, bytes]) -> dict[str, bytes]:
    """The bundle's files (relative path -> bytes), with every hash-map order fixed and the files
    that name others renamed to match."""
    files, renamed = dict(files), {}
    for path in [p for p in files if FILTER.match(p)]:
        name, values = _read(files.pop(path))
        data = _write([name, sorted(values, key=lambda value: value[0])])
        found = FILTER.match(path)
        new = f"{found['lang']}_{_hash(data, len(found['hash']))}"
        renamed[f"{found['lang']}_{found['hash']}"] = new
        files[f"filter/{new}.pf_filter"] = data
    for path in [p for p in files if META.match(p)]:
        meta = [_renamed_filters(part, renamed) for part in _read(files.pop(path))]
        data = _write(meta)
        found = META.match(path)
        new = f"{found['lang']}_{_hash(data, len(found['hash']))}"
        renamed[f"{found['lang']}_{found['hash']}"] = new
        files[f"pagefind.{new}.pf_meta"] = data
    if "pagefind-entry.json" in files:
        entry = json.loads(files["pagefind-entry.json"])
        languages = entry.get("languages", {})
        for language in languages.values():
            language["hash"] = renamed.get(language.get("hash"), language.get("hash"))
        entry["languages"] = dict(sorted(languages.items()))
        files["pagefind-entry.json"] = json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode()
    return dict(sorted(files.items()))


def _renamed_filters(part: object, renamed: dict[str, str]) -> object:
    """A part of the metadata: the list of filters ([name, file hash] pairs naming filter files)
    with the new names, by filter name; any other part as it is."""
    if isinstance(part, list) and part and all(
            isinstance(pair, list) and len(pair) == 2 and pair[1] in renamed for pair in part):
        return sorted(([name, renamed[old]] for name, old in part), key=lambda pair: pair[0])
    return part


def _read(data: bytes) -> list:
    raw = gzip.decompress(data)
    if not raw.startswith(SIGNATURE):
        raise ValueError("not a Pagefind data file")
    return cbor2.loads(raw[len(SIGNATURE):])


def _write(value: object) -> bytes:
    return gzip.compress(SIGNATURE + cbor2.dumps(value), mtime=0)


def _hash(data: bytes, length: int) -> str:
    return hashlib.sha256(data).hexdigest()[:length]
