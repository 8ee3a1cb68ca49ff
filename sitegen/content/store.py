"""content/**/*.md <-> Article: load every article, reporting the ones that cannot be read."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from sitegen.cache import RACY_NS, BuildCache, CachedFile, file_digest
from sitegen.content.articles import ArticleError, article_from_meta, article_to_meta
from sitegen.content.frontmatter import FrontMatterError, body_of, join, split
from sitegen.errors import Report
from sitegen.fsutil import atomic_write, files_under, safe_join
from sitegen.model import Article
from sitegen.processes import forked_pool, workers_for


def content_files(content_dir: Path) -> list[Path]:
    """Every article file, in a stable order; hidden files and folders are skipped."""
    return [Path(entry.path) for _, entry in _articles_in(files_under(content_dir))]


def _articles_in(listing: list[tuple[str, os.DirEntry]]) -> list[tuple[str, os.DirEntry]]:
    return [(relative, entry) for relative, entry in listing if relative.endswith(".md")]


def read_article(path: Path, content_dir: Path) -> tuple[Article, list[str]]:
    """The article in `path` and its warnings; raises ArticleError or FrontMatterError."""
    return _parse(path.read_bytes(), path.relative_to(content_dir).as_posix(), path.stem)


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
    """The bodies of the files read this time, by path."""

    def with_body(self, article: Article) -> Article:
        """The article with its body: read again from its file unless it was read just now."""
        if article.body or not article.path:
            return article
        body = self.bodies.get(article.path)
        if body is None:
            body = body_of((self.content_dir / article.path).read_text(encoding="utf-8"))
        return replace(article, body=body)


def load_articles(content_dir: Path, report: Report, where_prefix: str = "content/") -> list[Article]:
    """All readable articles; each unreadable file or duplicate id is reported and skipped."""
    return load_content(content_dir, report, where_prefix).articles


def load_content(content_dir: Path, report: Report, where_prefix: str = "content/",
                 cache: BuildCache | None = None, started_ns: int = 0, workers: int | None = None,
                 listing: list[tuple[str, os.DirEntry]] | None = None) -> Content:
    """`load_articles`, with each article's key; a file whose size and mtime are as the cache
    recorded is not read again (many files to read are read on every core). `started_ns`: when the
    build started (files changed just before are recorded as untrusted, so they are read again);
    `workers`: at most this many processes (default: every core); `listing`: content/ as
    `files_under` gave it, when the caller has it already."""
    content = Content(content_dir, [], {})
    entries = _articles_in(files_under(content_dir) if listing is None else listing)
    known = cache.files if cache is not None else {}
    to_read = [(relative, entry.path, entry.stat(), started_ns) for relative, entry in entries
               if not _unchanged(known.get(relative), entry)]
    read = dict(zip((r for r, *_ in to_read), _read_all(to_read, workers)))
    owners: dict[str, str] = {}
    for relative, _ in entries:
        where = where_prefix + relative
        found = read.get(relative) or known[relative]
        if isinstance(found, str):
            report.error(where, found)
            continue
        if relative in read:
            found, body = found
            if cache is None:
                found.article = replace(found.article, body=body)
            else:
                cache.files[relative], content.bodies[relative] = found, body
        for warning in found.warnings:
            report.warning(where, warning)
        article = found.article
        if article.id in owners:
            report.error(where, f"id {article.id!r} is already used by {owners[article.id]}; skipped")
            continue
        owners[article.id] = where
        content.articles.append(article)
        content.keys[article.path] = found.digest
    for gone in set(known) - {relative for relative, _ in entries}:
        del known[gone]
    return content


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
    except (ArticleError, FrontMatterError, OSError) as exc:
        return str(exc)
    settled = stat.st_mtime_ns < started_ns - RACY_NS
    head = CachedFile(stat.st_size if settled else -1, stat.st_mtime_ns, file_digest(relative, data),
                      replace(article, body=""), tuple(warnings))
    return head, article.body


def article_text(article: Article) -> str:
    return join(article_to_meta(article), article.body)


def write_article(content_dir: Path, article: Article) -> Path:
    """Store `article` atomically at its `path` inside `content_dir`."""
    target = safe_join(content_dir, article.path)
    atomic_write(target, article_text(article).encode("utf-8"))
    return target
