"""`sitegen withdraw`: mark a stored story withdrawn in its front matter, or undo that.

Only the `withdrawn:` entry of the front matter changes; every other byte of the file stays, so
undoing a withdrawal gives back the very file (and pages) there were before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import yaml

from sitegen.content.articles import article_from_meta
from sitegen.content.frontmatter import FENCE, split
from sitegen.content.store import content_files, load_articles, read_article
from sitegen.errors import ContentError, Report
from sitegen.fsutil import atomic_write

WITHDRAWN_ENTRY = re.compile(r"^withdrawn[ \t]*:.*\n(?:[ \t]+.*\n|[ \t]*\n)*", re.MULTILINE)
"""The `withdrawn:` key at the top level of the front matter, with the indented lines under it."""


class WithdrawalError(ContentError):
    """The story cannot be withdrawn or restored as asked."""


@dataclass(frozen=True)
class Withdrawn:
    path: Path
    title: str


def withdraw(content_dir: Path, article_id: str, when: datetime, reason: str) -> Withdrawn:
    """Mark the story `article_id` withdrawn at `when` for `reason` (again: the new date and reason)."""
    path, text = _story_file(content_dir, article_id)
    entry = yaml.safe_dump({"withdrawn": {"date": when.isoformat(), "reason": reason}}, allow_unicode=True,
                           sort_keys=False, default_flow_style=False, width=1_000_000)
    return _rewrite(content_dir, path, _front_matter_with(_without_entry(text), entry))


def restore(content_dir: Path, article_id: str) -> Withdrawn:
    """Undo a withdrawal: the story is published again, as it was."""
    path, text = _story_file(content_dir, article_id)
    if not WITHDRAWN_ENTRY.search(_front_matter(text)):
        raise WithdrawalError(f"content/{path.relative_to(content_dir).as_posix()}: {article_id} is not withdrawn")
    return _rewrite(content_dir, path, _without_entry(text))


def _story_file(content_dir: Path, article_id: str) -> tuple[Path, str]:
    path = _named_for(content_dir, article_id) or _holding(content_dir, article_id)
    if path is None:
        raise WithdrawalError(f"no story with id {article_id!r} in content/ (the id is in its front matter, "
                              "or the file name without .md)")
    return path, path.read_text(encoding="utf-8").removeprefix("\ufeff")


def _named_for(content_dir: Path, article_id: str) -> Path | None:
    """The file named after the id (as fetched and new stories are), if it holds that id: one file
    read, not the whole archive."""
    for path in content_files(content_dir):
        if path.stem == article_id:
            try:
                if read_article(path, content_dir)[0].id == article_id:
                    return path
            except (ContentError, OSError):
                continue
    return None


def _holding(content_dir: Path, article_id: str) -> Path | None:
    """The file whose front matter gives the id, whatever its name."""
    found = [a for a in load_articles(content_dir, Report()) if a.id == article_id]
    return content_dir / found[0].path if found else None


def _front_matter(text: str) -> str:
    match = FENCE.match(text)
    return match.group(1) if match else ""


def _without_entry(text: str) -> str:
    match = FENCE.match(text)
    if not match:
        return text
    start, end = match.span(1)
    return text[:start] + WITHDRAWN_ENTRY.sub("", text[start:end], count=1) + text[end:]


def _front_matter_with(text: str, entry: str) -> str:
    match = FENCE.match(text)
    assert match is not None  # the story was read, so it has front matter
    return text[:match.end(1)] + entry + text[match.end(1):]


def _rewrite(content_dir: Path, path: Path, text: str) -> Withdrawn:
    """Write `text` to the story's file if it still reads as the article (else nothing is written)."""
    meta, body = split(text)
    article, _ = article_from_meta(meta, body, path.relative_to(content_dir).as_posix(), default_id=path.stem)
    bom = "\ufeff" if path.read_bytes().startswith(b"\xef\xbb\xbf") else ""
    atomic_write(path, (bom + text).encode("utf-8"))
    return Withdrawn(path, article.title)
