"""content/**/*.md <-> Article: load every article, reporting the ones that cannot be read."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from functools import partial
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import NamedTuple

from sitegen.content.articles import ArticleError, article_from_meta, article_to_meta
from sitegen.content.cached import CachedFile, ReadMemory, article_files
from sitegen.content.frontmatter import body_of, join, split
from sitegen.digests import file_digest
from sitegen.errors import ContentError, Report
from sitegen.fsutil import UnsafePathError, atomic_write, files_under, safe_join, settled
from sitegen.model import Article
from sitegen.processes import forked_pool, workers_for


def content_files(content_dir: Path) -> list[Path]:
    """Every article file, in a stable order; hidden files and folders are skipped."""
    return [Path(entry.path) for _, entry in article_files(files_under(content_dir))]


def read_article(path: Path, content_dir: Path) -> tuple[Article, list[str]]:
    """The article in `path` and its warnings; raises ArticleError or FrontMatterError, and
    ArticleError for a symbolic link that leads out of `content_dir` (it is not read)."""
    relative = path.relative_to(content_dir).as_posix()
    try:
        safe_join(content_dir, relative)
    except UnsafePathError:
        raise ArticleError(NOT_FOLLOWED) from None
    return _parse(path.read_bytes(), relative, path.stem)


NOT_FOLLOWED = "a symbolic link that leads out of content/ (or loops); not read: copy the file in instead"


def _parse(data: bytes, relative: str, stem: str) -> tuple[Article, list[str]]:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not UTF-8 text (byte {exc.start})") from None
    meta, body = split(text)
    return article_from_meta(meta, body, relative, default_id=stem)


@dataclass
class Content:
    content_dir: Path
    articles: list[Article]
    """Without their bodies when loaded with a cache (see `with_body`)."""
    keys: dict[str, str]
    """Each article's key by its path: a digest of its path and bytes, what caches of it are keyed by."""
    bodies: dict[str, str] = field(default_factory=dict)
    """The bodies of the files read this time, and of the articles held at their last good version, by path."""
    held: frozenset[str] = frozenset()
    """Paths of the articles whose file is broken now, kept as they were at the last good build."""

    def with_body(self, article: Article) -> Article:
        """The article with its body: read again from its file unless it was read just now."""
        if article.body or not article.path:
            return article
        body = self.bodies.get(article.path)
        if body is None:
            body = body_of((self.content_dir / article.path).read_text(encoding="utf-8"))
        return replace(article, body=body)


class _Loaded(NamedTuple):  # a tuple: one per article, made by every build
    where: str
    article: Article
    digest: str


_loaded = partial(tuple.__new__, _Loaded)
"""A `_Loaded` from a (where, article, digest) tuple, made in C (the class's own __new__ is Python)."""


def load_articles(content_dir: Path, report: Report, where_prefix: str = "content/",
                  sources: frozenset[str] | None = None) -> list[Article]:
    """All readable articles; each unreadable file or duplicate id is reported and skipped."""
    return load_content(content_dir, report, where_prefix, sources=sources).articles


def load_content(content_dir: Path, report: Report, where_prefix: str = "content/",
                 cache: ReadMemory | None = None, started_ns: int = 0, workers: int | None = None,
                 listing: list[tuple[str, os.DirEntry]] | None = None,
                 sources: frozenset[str] | None = None) -> Content:
    """`load_articles`, with each article's key; a file whose size and mtime are as the cache
    recorded is not read again (many files to read are read on every core). `started_ns`: when the
    build started (files changed just before are recorded as untrusted, so they are read again);
    `workers`: at most this many processes (default: every core); `listing`: content/ as
    `files_under` gave it, when the caller has it already; `sources`: the source ids an article
    may name besides `local` (None: not checked).

    With a cache, an article whose file is broken now (or names an unknown source) is held at its
    last good version: reported as an error, but its pages, list entries and feed items stay."""
    content = Content(content_dir, [], {})
    if listing is None:
        listing = files_under(content_dir)
    entries = article_files(listing)
    known = cache.files if cache is not None else {}
    to_read = [(relative, entry.path, entry.stat(), started_ns) for relative, entry in entries
               if not _unchanged(known.get(relative), entry)]
    read = dict(zip((r for r, *_ in to_read), _read_all(to_read, workers)))
    credited = None if sources is None else sources | {"local"}
    loaded, broken = [], {}
    for relative, _ in entries:  # every article, every build: most are as the cache holds them
        found, body = read.get(relative), None
        if found is None:
            found = known[relative]
        elif isinstance(found, str):
            broken[relative] = found
            continue
        else:
            found, body = found
        if credited is not None and found.article.source not in credited:
            broken[relative] = _unattributed(found.article, sources)
            continue
        if body is not None:
            if cache is None:
                found.article = replace(found.article, body=body)
            else:
                cache.files[relative], content.bodies[relative] = found, body
        for warning in found.warnings:
            report.warning(where_prefix + relative, warning)
        loaded.append(_loaded((where_prefix + relative, found.article, found.digest)))
    if cache is not None:
        cache.fresh_bodies.update((path, (cache.files[path].digest, body)) for path, body in content.bodies.items())
        loaded += _hold_last_good(content, cache, broken, sources, where_prefix)
    for relative, problem in broken.items():
        report.error(where_prefix + relative, problem)
    for relative in getattr(listing, "not_followed", ()):  # links to articles, or to folders that may hold some
        if relative.endswith((".md", "/")):
            report.error(where_prefix + relative, NOT_FOLLOWED)
    published = set(cache.made_from) if cache is not None else set()
    if content.held:  # the listing's order otherwise
        loaded.sort(key=lambda item: item.where)
    for item in _one_per_id(loaded, published, report):
        content.articles.append(item.article)
        content.keys[item.article.path] = item.digest
    for gone in known.keys() - map(itemgetter(0), entries):
        del known[gone]
    return content


def _hold_last_good(content: Content, cache: ReadMemory, broken: dict[str, str], sources: frozenset[str] | None,
                    where_prefix: str) -> list[_Loaded]:
    """The last good version of each broken article that has one (an input error never unpublishes);
    says so in its problem line."""
    last_good = {relative: cache.files[relative] for relative in broken
                 if relative in cache.files and not _unattributed(cache.files[relative].article, sources)}
    bodies = cache.good_bodies({relative: cached.digest for relative, cached in last_good.items()})
    content.bodies.update(bodies)
    content.held = frozenset(bodies)
    for relative in bodies:
        broken[relative] += "; its last good version stays published until this is fixed"
    return [_Loaded(where_prefix + relative, last_good[relative].article, last_good[relative].digest)
            for relative in bodies]


def _unattributed(article: Article, sources: frozenset[str] | None) -> str:
    """Why the article cannot be published with its source credited, if it cannot."""
    if sources is None or article.source == "local" or article.source in sources:
        return ""
    return (f"source {article.source!r} is not in sitegen.toml, so the story cannot be credited "
            "(add the source, or write source: local for your own story)")


_article_id = attrgetter("article.id")


def _one_per_id(loaded: list[_Loaded], published: set[str], report: Report) -> list[_Loaded]:
    """Each id once: the article that already holds it (published by the last build, else the
    earliest fetched or dated) keeps it; a newcomer with the same id is refused."""
    if len(set(map(_article_id, loaded))) == len(loaded):
        return loaded  # the usual case, told at a tenth of the cost of the rest
    by_id: dict[str, list[_Loaded]] = {}
    for item in loaded:
        by_id.setdefault(item.article.id, []).append(item)
    kept = []
    for item in loaded:
        rivals = by_id[item.article.id]
        if len(rivals) == 1:
            kept.append(item)
            continue
        holder = min(rivals, key=lambda r: (r.article.path not in published,
                                            (r.article.fetched or r.article.date).timestamp(), r.where))
        if item is holder:
            kept.append(item)
        else:
            report.error(item.where, f"id {item.article.id!r} is already used by {holder.where}; this file "
                                     "is not published (give it an id of its own)")
    return kept


def _unchanged(known: CachedFile | None, entry: os.DirEntry) -> bool:
    if known is None:
        return False
    stat = entry.stat()
    return known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns


def _read_all(to_read: list[tuple], workers: int | None) -> list[tuple[CachedFile, str] | str]:
    workers = workers_for(len(to_read), MIN_FILES_PER_WORKER, workers)
    if workers < 2:
        return [_read_one(item) for item in to_read]
    with forked_pool(workers) as pool:
        return pool.map(_read_one, to_read, chunksize=64)


MIN_FILES_PER_WORKER = 256


def _read_one(item: tuple) -> tuple[CachedFile, str] | str:
    """(the file's entry with the article's head, its body), or what is wrong with it."""
    relative, path, stat, started_ns = item
    try:
        data = Path(path).read_bytes()
        article, warnings = _parse(data, relative, Path(path).stem)
    except (ContentError, OSError) as exc:
        return str(exc)
    head = CachedFile(stat.st_size if settled(stat.st_mtime_ns, started_ns) else -1, stat.st_mtime_ns, file_digest(relative, data),
                      replace(article, body=""), tuple(warnings))
    return head, article.body


def article_text(article: Article) -> str:
    return join(article_to_meta(article), article.body)


def write_article(content_dir: Path, article: Article) -> Path:
    """Store `article` atomically at its `path` inside `content_dir`; UnsafePathError when that path
    leads out of it (through a symbolic link): nothing is written."""
    try:
        target = safe_join(content_dir, article.path)
    except UnsafePathError:
        raise UnsafePathError(f"content/{article.path} leads out of content/ (a symbolic link?); "
                              "not written") from None
    atomic_write(target, article_text(article).encode("utf-8"))
    return target
