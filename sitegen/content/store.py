"""content/**/*.md <-> Article: load every article, reporting the ones that cannot be read."""

from __future__ import annotations

from pathlib import Path

from sitegen.content.articles import ArticleError, article_from_meta, article_to_meta
from sitegen.content.frontmatter import FrontMatterError, join, split
from sitegen.errors import Report
from sitegen.fsutil import atomic_write, safe_join
from sitegen.model import Article


def content_files(content_dir: Path) -> list[Path]:
    """Every article file, in a stable order; hidden files and folders are skipped."""
    files = (p for p in content_dir.rglob("*.md") if p.is_file())
    visible = (p for p in files if not any(part.startswith(".") for part in p.relative_to(content_dir).parts))
    return sorted(visible, key=lambda p: p.relative_to(content_dir).as_posix())


def read_article(path: Path, content_dir: Path) -> tuple[Article, list[str]]:
    """The article in `path` and its warnings; raises ArticleError or FrontMatterError."""
    relative = path.relative_to(content_dir).as_posix()
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise ArticleError(f"not UTF-8 text (byte {exc.start})") from None
    meta, body = split(text)
    return article_from_meta(meta, body, relative, default_id=path.stem)


def load_articles(content_dir: Path, report: Report, where_prefix: str = "content/") -> list[Article]:
    """All readable articles; each unreadable file or duplicate id is reported and skipped."""
    articles: list[Article] = []
    owners: dict[str, str] = {}
    for path in content_files(content_dir):
        where = where_prefix + path.relative_to(content_dir).as_posix()
        try:
            article, warnings = read_article(path, content_dir)
        except (ArticleError, FrontMatterError, OSError) as exc:
            report.error(where, str(exc))
            continue
        for warning in warnings:
            report.warning(where, warning)
        if article.id in owners:
            report.error(where, f"id {article.id!r} is already used by {owners[article.id]}; skipped")
            continue
        owners[article.id] = where
        articles.append(article)
    return articles


def article_text(article: Article) -> str:
    return join(article_to_meta(article), article.body)


def write_article(content_dir: Path, article: Article) -> Path:
    """Store `article` atomically at its `path` inside `content_dir`."""
    target = safe_join(content_dir, article.path)
    atomic_write(target, article_text(article).encode("utf-8"))
    return target
