"""The build cache in `.sitegen/build/`: what the last builds learned, so the next one redoes only what changed.

Everything in it is keyed by what produced it: an article by its file's bytes, its converted
forms by those bytes plus the settings (code, config, glossary), a page by a digest of all it
shows plus the theme. So a stale entry is never used, it is just not found. A cache that cannot
be read, or that another sitegen version wrote, is dropped whole and the build starts from
nothing: slower, never wrong.

Files, each written atomically: `state.pickle` is small (what the outputs were, and the
fingerprint of every input) so a build with nothing to do decides fast; `files-*.pickle` hold
the articles as read, `converted-*.pickle` their converted forms, in shards so that a small
change rewrites a small part. Every entry is keyed by what it was made from, so shards written
by different builds never contradict each other. `layout.pickle` holds how the last site was
assembled, `contexts.pickle` what its pages showed and `places.pickle` where they are: each
written only when it changed.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import zlib
from array import array
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Iterable

from sitegen.content.cached import CachedFile
from sitegen.fsutil import atomic_write, settled
from sitegen.model import LocalizedArticle
from sitegen.records import PageRecord
from sitegen.render.context import ArticleSummary
from sitegen.sharing import SharedValues
from sitegen.stamps import code_version

FORMAT = 9
"""Bump when the shape of what is stored changes."""


@dataclass
class BuildCache:
    settings: str = ""
    """Fingerprint of code, libraries, config and glossary: converted forms are valid only under it."""
    files: dict[str, CachedFile] = field(default_factory=dict)
    """By path relative to content/."""
    summaries: dict[tuple[str, str], ArticleSummary] = field(default_factory=dict)
    """By (article key, variant)."""
    shown: dict[tuple[str, str], str] = field(default_factory=dict)
    """A digest of each summary, by (article key, variant): what page keys hold of other articles."""
    localized: dict[tuple[str, str], LocalizedArticle] = field(default_factory=dict)
    """By (article key, variant); kept for the articles the feeds carry (bounded, unlike the archive)."""
    contexts: dict[str, str] = field(default_factory=dict)
    """Each article page's context print (render/keys.py: `ContextPrints`), by article path."""
    list_prints: dict[str, str] = field(default_factory=dict)
    """Each list page's print (outputs/lists.py: `_printed`), by output path."""
    places: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Each article page's files (one per variant), by article path, and each list's pages' (see
    `RenderMemory.places`), in the output folder `places_for`: a build of the same shape keeps them
    where they are without working out where they go."""
    layout: object = None
    """The last assembled site's order, terms and archives, by article path (a `site.layout.Layout`,
    kept as it is: the check, which imports this module, never imports what assembles a site)."""
    prints_for: str = ""
    """The output folder whose pages `contexts` and `list_prints` describe (the last one built)."""
    places_for: str = ""
    """The output folder whose pages `places` describes."""
    whole_stored: dict[str, tuple] = field(default_factory=dict)
    """What each shard of WHOLE_SHARDS held as last read or stored."""
    output_dir: str = ""
    pages: dict[str, PageRecord] = field(default_factory=dict)
    """By output path relative to the output folder."""
    inputs: str = ""
    """Fingerprint of every input of the last good build but the articles' files ('' when unknown)."""
    stamps: dict[str, str] = field(default_factory=dict)
    """The articles' files as the last good build found them, a fingerprint per shard (`content_stamps`):
    with `inputs`, equal means nothing to do."""
    shape: str = ""
    """The shape of the site `pages` were made for (see pipeline._shape)."""
    made_from: dict[str, str] = field(default_factory=dict)
    """The article keys (by path) `pages` were made from."""
    last_report: tuple[tuple, int] = ((), 0)
    """The last good build's warnings and article count, said again when nothing changed."""
    slugs: dict[str, str] = field(default_factory=dict)
    """Taxonomy slugs by name (pinyin is slow to load)."""
    names: dict[tuple[str, str, str], str] = field(default_factory=dict)
    """Short texts converted on their own (taxonomy names ...), by (variant, script written in,
    text), under `settings`: a rebuild that converts nothing new loads no segmenter for them.
    Stored in a shard of its own, read only when a build has work to do."""
    elsewhere: dict[str, tuple] = field(default_factory=dict)
    """The records (`OUTPUT_FIELDS`) of other output folders built from this site, by folder: a
    build into `--output DIR` does not forget what was written into public/, so neither folder
    is left with files nobody knows sitegen wrote."""
    next_due: int = 0
    """When (ns since the epoch) the earliest article held back for its future date is due; 0 if none."""
    preview: bool = False
    """The output folder was last built as a preview: drafts and scheduled stories in it (never deployed)."""
    problem: str = ""
    """Why the stored cache could not be used, if it was damaged."""
    saved: dict[str, int] = field(default_factory=dict)
    """A signature of each stored shard: only shards that changed are written again."""
    shards_in: Path | None = None
    """Where the shards are, while they are not read yet."""
    fresh_bodies: dict[str, tuple[str, str]] = field(default_factory=dict)
    """(digest, body) of the files read since the cache was last stored, by path: stored in the
    `bodies-*` shards, the last good text of every article, read only when a broken file needs it."""
    home: Path | None = None
    """The folder the cache was read from or stored in."""

    def start(self, settings: str, output_dir: Path) -> None:
        """Drop what is not valid for these settings; take up the records of this output folder."""
        if settings != self.settings:
            self.summaries, self.shown, self.localized, self.settings = {}, {}, {}, settings
            self.names = {}
        if str(output_dir) != self.output_dir:
            if self.output_dir and self.pages:
                self.elsewhere[self.output_dir] = tuple(getattr(self, name) for name in OUTPUT_FIELDS)
                while len(self.elsewhere) > MAX_OUTPUT_FOLDERS:
                    del self.elsewhere[next(iter(self.elsewhere))]
            stored = self.elsewhere.pop(str(output_dir), None) or ({}, "", {}, "", {}, ((), 0), 0, False)
            for name, value in zip(OUTPUT_FIELDS, stored):
                setattr(self, name, value)
            self.output_dir = str(output_dir)

    def good_bodies(self, wanted: dict[str, str]) -> dict[str, str]:
        """The bodies of these articles (path -> the digest of their last good file) as then read."""
        found: dict[str, str] = {}
        by_shard: dict[str, dict[str, str]] = {}
        for path, key in wanted.items():
            by_shard.setdefault(shard_of(path), {})[path] = key
        for shard, keys in by_shard.items():
            stored = _read_bodies(self.home, shard)
            for path, key in keys.items():
                for source in (self.fresh_bodies, stored):
                    entry = source.get(path)
                    if entry is not None and entry[0] == key:
                        found[path] = entry[1]
                        break
        return found

    def peek_files(self, shards: Iterable[str]) -> dict[str, CachedFile] | None:
        """The content files these shards hold, as stored (those read already, if the shards were
        read); None when one cannot be read. The cache itself is left as it is."""
        shards = set(shards)
        if self.shards_in is None:
            return {path: cached for path, cached in self.files.items() if shard_of(path) in shards}
        found: dict[str, CachedFile] = {}
        try:
            for shard in shards:
                found.update(_files_read(_read(self.shards_in / f"files-{shard}.pickle")))
        except Exception:  # damaged or another version's: the full build says so
            return None
        return found

    def shards(self) -> dict[str, dict]:
        """The stored form: articles and converted forms in shards by key, so that one changed
        article rewrites a small part of the cache, not all of it."""
        shards: dict[str, dict] = {**{f"files-{name}": {} for name in _SHARD_NAMES},
                                   **{f"converted-{n:x}": {} for n in range(CONVERTED_SHARDS)}}
        for path, cached in self.files.items():
            shards[f"files-{shard_of(path)}"][path] = cached
        for table in CONVERTED:
            for key, value in getattr(self, table).items():
                shards[f"converted-{key[0][0]}"].setdefault(table, {})[key] = value
        shards[NAMES_SHARD] = {"names": self.names}
        for name, fields in WHOLE_SHARDS.items():
            shards[name] = {attribute: getattr(self, attribute) for attribute in fields}
        for name in shards:
            if name.startswith("converted-"):
                shards[name]["settings"] = self.settings
        return shards


OUTPUT_FIELDS = ("pages", "inputs", "stamps", "shape", "made_from", "last_report", "next_due", "preview")
"""What the cache knows of one output folder."""
MAX_OUTPUT_FOLDERS = 8
SHARDS = 64
"""Shards of the articles as read (and their bodies): one changed article rewrites a 64th of them."""
CONVERTED_SHARDS = 16
"""Shards of the converted forms, by the first digit of the article's key."""
NAMES_SHARD = "converted-names"
WHOLE_SHARDS = {
    "contexts": ("contexts", "list_prints", "prints_for"),
    "places": ("places", "places_for"),
    "layout": ("layout",),
}
"""Shards stored whole, each written only when what it holds changed (compared as it is: a
signature costs more): article and list pages' prints and every page's place, valid under any
settings (the prints hold them; places are used only while the shape, settings included, is the
same); the last assembled site's layout (valid for its shape)."""
CONVERTED = ("summaries", "shown", "localized")
"""The tables of converted forms, all keyed by (article key, variant)."""
STORED_CONVERTED = (*CONVERTED, "names")
"""Every table valid only under the settings it was made with (names in NAMES_SHARD)."""


def shard_of(path: str) -> str:
    """Which shard holds what the cache keeps of the content file at `path`."""
    return _SHARD_NAMES[zlib.crc32(path.encode("utf-8", "surrogateescape")) % SHARDS]


_SHARD_NAMES = tuple(f"{n:x}" for n in range(SHARDS))
"""Each shard's name, made once: every build names the shard of every article (its stamps)."""


def _whole(cache: BuildCache, name: str) -> tuple:
    """What the shard `name` of WHOLE_SHARDS holds now."""
    return tuple(getattr(cache, attribute) for attribute in WHOLE_SHARDS[name])


def _signature(name: str, shard: dict) -> int:
    if name.startswith("files-"):
        return hash(frozenset((p, c.digest, c.size, c.mtime_ns) for p, c in shard.items()))
    return hash((shard.get("settings"), *(frozenset(shard.get(table, ())) for table in STORED_CONVERTED)))


def cache_dir(state_dir: Path) -> Path:
    return state_dir / "build"


def load_cache(folder: Path) -> BuildCache:
    """The stored cache's small state file (enough to see that nothing changed; `load_shards` reads
    the rest); an empty cache when there is none, when another sitegen version wrote it, or
    (saying why) when it is damaged."""
    if not (folder / "state.pickle").exists():
        return BuildCache()
    try:
        state = _read(folder / "state.pickle")
        elsewhere = {folder: (_unpacked(stored[0]), *stored[1:]) for folder, stored in state["elsewhere"].items()}
        return BuildCache(settings=state["settings"], output_dir=state["output_dir"], pages=_unpacked(state["pages"]),
                          inputs=state["inputs"], stamps=state["stamps"], shape=state["shape"],
                          made_from=state["made_from"], last_report=state["last_report"], slugs=state["slugs"],
                          elsewhere=elsewhere,
                          next_due=state["next_due"], preview=state["preview"], shards_in=folder, home=folder)
    except _OtherVersion:
        return BuildCache()
    except Exception as exc:  # any damage at all: start again rather than trust part of it
        return BuildCache(problem=f"{folder}: {type(exc).__name__}: {exc}")


def built_as_preview(state_dir: Path, output_dir: Path) -> bool:
    """Whether the last build into `output_dir` was a preview (drafts and scheduled stories shown)."""
    cache = load_cache(cache_dir(state_dir))
    if cache.output_dir == str(output_dir):
        return cache.preview
    stored = cache.elsewhere.get(str(output_dir))
    return bool(stored and stored[OUTPUT_FIELDS.index("preview")])


def load_shards(cache: BuildCache) -> BuildCache:
    """`cache` with its articles and converted forms read (once); the empty cache, saying why, when
    a shard is damaged. Converted forms made under other settings than `cache.settings` are left."""
    folder, cache.shards_in = cache.shards_in, None
    if folder is None:
        return cache
    try:
        for name in BuildCache().shards():
            shard = _read(folder / f"{name}.pickle")
            if name in WHOLE_SHARDS:
                for attribute in WHOLE_SHARDS[name]:
                    setattr(cache, attribute, shard[attribute])
                cache.whole_stored[name] = _whole(cache, name)
                continue
            if name.startswith("files-"):
                shard = _files_read(shard)
                cache.files.update(shard)
            elif shard.get("settings") == cache.settings:
                for table in STORED_CONVERTED:
                    getattr(cache, table).update(shard.get(table, {}))
            cache.saved[name] = _signature(name, shard)
    except _OtherVersion:
        return _records_only(cache)
    except Exception as exc:
        return _records_only(cache, problem=f"{folder}: {type(exc).__name__}: {exc}")
    return cache


def _records_only(cache: BuildCache, problem: str = "") -> BuildCache:
    """A cache that trusts nothing it holds (every page is made again) but still knows which files
    it wrote where: a damaged shard costs a full build, never a file left behind that nobody owns."""
    fresh = BuildCache(output_dir=cache.output_dir, elsewhere=cache.elsewhere, problem=problem, home=cache.home,
                       made_from=cache.made_from, last_report=cache.last_report, preview=cache.preview)
    fresh.pages = {path: PageRecord("", r.size, r.mtime_ns) for path, r in cache.pages.items()}
    return fresh


def save_cache(folder: Path, cache: BuildCache) -> None:
    """Store the cache: the shards that changed (none if they were never read), then the state."""
    for name, shard in cache.shards().items() if cache.shards_in is None else ():
        if name in WHOLE_SHARDS:
            if _whole(cache, name) != cache.whole_stored.get(name):
                _write(folder / f"{name}.pickle", shard)
                cache.whole_stored[name] = _whole(cache, name)
            continue
        signature = _signature(name, shard)
        if cache.saved.get(name) != signature:
            _write(folder / f"{name}.pickle", _files_stored(shard) if name.startswith("files-") else shard)
            cache.saved[name] = signature
            if name.startswith("files-"):
                _write_bodies(folder, name.removeprefix("files-"), shard, cache.fresh_bodies)
    cache.fresh_bodies, cache.home = {}, folder
    elsewhere = {folder: (_packed(stored[0]), *stored[1:]) for folder, stored in cache.elsewhere.items()}
    _write(folder / "state.pickle", {"settings": cache.settings, "output_dir": cache.output_dir,
                                     "pages": _packed(cache.pages), "inputs": cache.inputs, "stamps": cache.stamps,
                                     "shape": cache.shape, "made_from": cache.made_from,
                                     "last_report": cache.last_report, "slugs": cache.slugs, "elsewhere": elsewhere,
                                     "next_due": cache.next_due, "preview": cache.preview})


def _files_stored(files: dict[str, CachedFile]) -> dict[str, tuple]:
    """A shard of content files as stored: each file's state, with the values the articles repeat
    (a source's name, an author, a time zone ...) made one object across the shard, so the pickle
    holds each once and loading makes each once: at 20,000 articles it loads in some two thirds of
    the time, and the articles loaded share them."""
    shared = SharedValues()
    return {path: cached.shared_state(shared) for path, cached in files.items()}


def _files_read(stored: dict[str, tuple]) -> dict[str, CachedFile]:
    return {path: CachedFile.from_state(state) for path, state in stored.items()}


def _packed(pages: dict[str, PageRecord]) -> tuple[str, str, array, array]:
    """Page records as four columns: paths and keys each joined in one string, sizes and mtimes as
    arrays. A big site has hundreds of thousands of pages, and every build reads their records:
    for 55,000, four objects store in a third of the time a tuple per page takes, and (records
    made again included) load in a little over half."""
    return ("\0".join(pages), "\0".join(record.key for record in pages.values()),
            array("q", [record.size for record in pages.values()]),
            array("q", [record.mtime_ns for record in pages.values()]))


def _unpacked(packed: tuple[str, str, array, array]) -> dict[str, PageRecord]:
    paths, keys, sizes, mtimes = packed
    if not paths:
        return {}
    # Each record made in C (PageRecord's own __new__ is Python): a big site has hundreds of thousands.
    return dict(zip(paths.split("\0"), map(partial(tuple.__new__, PageRecord), zip(keys.split("\0"), sizes, mtimes))))


def _write_bodies(folder: Path, shard: str, files: dict[str, CachedFile], fresh: dict[str, tuple[str, str]]) -> None:
    """The last good body of every article in a files shard: the ones read now, the others as stored."""
    current = {path: cached.digest for path, cached in files.items()}
    stored = {} if all(fresh.get(path, ("",))[0] == key for path, key in current.items()) else \
        _read_bodies(folder, shard)
    bodies = {}
    for path, key in current.items():
        entry = fresh.get(path) or stored.get(path)
        if entry is not None and entry[0] == key:
            # Stored as UTF-8 made here: pickling a str keeps its UTF-8 form inside the str for as
            # long as it lives, and these are every article's text (100 MB at 20,000 articles).
            bodies[path] = (key, entry[1].encode("utf-8", "surrogatepass"))
    _write(folder / f"bodies-{shard}.pickle", bodies)


def _read_bodies(folder: Path | None, shard: str) -> dict[str, tuple[str, str]]:
    """A stored bodies shard; empty when there is none or it cannot be read (then nothing is held)."""
    if folder is None:
        return {}
    try:
        stored = _read(folder / f"bodies-{shard}.pickle")
        return {path: (key, body.decode("utf-8", "surrogatepass")) for path, (key, body) in stored.items()}
    except Exception:  # missing, damaged or another version's: a broken article then has no last good text
        return {}


class _OtherVersion(Exception):
    pass


def _read(path: Path) -> dict:
    with path.open("rb") as f:
        header = pickle.load(f)
        if header != (FORMAT, code_version()):
            raise _OtherVersion()
        data = pickle.load(f)
    if not isinstance(data, dict):
        raise ValueError("not a build cache")
    return data


def _write(path: Path, data: dict) -> None:
    atomic_write(path, pickle.dumps((FORMAT, code_version()), protocol=5) + pickle.dumps(data, protocol=5))


def content_stamps(articles: dict[str, os.DirEntry], started_ns: int) -> dict[str, str]:
    """The article files by size and mtime, one fingerprint per shard: a build compares them with
    the last good build's and reads only the shards, and then the files, whose fingerprint changed.
    A file changed too recently to trust its mtime (fsutil.settled) is marked with this build's start, so
    it never matches: its bytes are compared next time."""
    by_shard: dict[str, list[str]] = {}
    for relative, entry in articles.items():
        stat = entry.stat()
        racy = 0 if settled(stat.st_mtime_ns, started_ns) else started_ns
        by_shard.setdefault(shard_of(relative), []).append(f"{relative}\0{stat.st_size}\0{stat.st_mtime_ns}\0{racy}\n")
    return {shard: hashlib.blake2b("".join(lines).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()
            for shard, lines in by_shard.items()}
