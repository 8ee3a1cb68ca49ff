"""`sitegen new`: a new local article in content/local/, never over an existing one. It is a
draft (`draft: true`) until the editor takes that line out: `sitegen serve` shows it, marked.

The front matter comes from the content contract's own writer (`article_text`), so a new
article loads and builds as any other. Its id is the title's pinyin (the same slugs as
categories and tags), or a short hash of the title when the pinyin gives nothing usable;
an id another article has, or a file that is there, moves it on to `-2`, `-3` ...
"""

from __future__ import annotations

import hashlib
import itertools
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sitegen.config import SiteConfig
from sitegen.content.store import article_text, content_files, load_articles
from sitegen.errors import Report, SitegenError
from sitegen.fsutil import clear_of_devices
from sitegen.model import Article, Script
from sitegen.site.taxonomy import pinyin_slug

LOCAL_FOLDER = "local"
ID_MAX = 60
"""Longest id made from a title: it is part of every URL of the article."""
PLACEHOLDER = {"zh-Hant": "（在這裡寫正文。）", "zh-Hans": "（在这里写正文。）"}


@dataclass(frozen=True)
class NewArticle:
    path: Path
    """The file written (under the site folder as it was given)."""
    id: str
    wanted: str
    """The id the title gave; differs from `id` when that one was taken."""
    taken_by: str = ""
    """The file that holds `wanted`, when it was taken."""


def new_article(config: SiteConfig, title: str, lang: Script) -> NewArticle:
    """Write a new local article titled `title`, dated now in the site's time zone."""
    title = " ".join(title.split())  # a pasted title may carry line breaks and tabs
    if not title:
        raise SitegenError("title: is empty")
    wanted = article_id_for(title)
    taken = taken_ids(config.content_dir)
    date = datetime.now(ZoneInfo(config.site.timezone)).replace(microsecond=0)
    for article_id in _candidates(wanted):
        if article_id in taken:
            continue
        # a draft: a cron build must not publish the placeholder before the story is written
        article = Article(id=article_id, title=title, date=date, source="local", lang=lang,
                          body=PLACEHOLDER[lang], path=f"{LOCAL_FOLDER}/{article_id}.md", draft=True)
        path = config.content_dir / article.path
        if _write_new(path, article_text(article).encode("utf-8")):
            return NewArticle(path, article_id, wanted, taken.get(wanted, ""))
        taken[article_id] = f"content/{article.path}"  # made just now by someone else
    raise AssertionError("unreachable: the candidates never end")


def article_id_for(title: str) -> str:
    """The title's pinyin (`biao-ti` for 標題), at most ID_MAX characters, cut between words;
    else the first 8 hex digits of the title's SHA-256."""
    slug = pinyin_slug(title)
    if len(slug) > ID_MAX:
        slug = slug[:ID_MAX + 1].rsplit("-", 1)[0] if "-" in slug[:ID_MAX + 1] else slug[:ID_MAX]
    return clear_of_devices(slug) or hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]


def taken_ids(content_dir: Path) -> dict[str, str]:
    """Ids in use, each with the file (`content/...`) that has it: every readable article's, and
    every article file's name (a file that cannot be read today has that id once it is mended)."""
    taken = {article.id: f"content/{article.path}" for article in load_articles(content_dir, Report())}
    for path in content_files(content_dir):
        taken.setdefault(path.stem.lower(), f"content/{path.relative_to(content_dir).as_posix()}")
    return taken


def _candidates(wanted: str) -> itertools.chain[str]:
    return itertools.chain([wanted], (f"{wanted}-{n}" for n in itertools.count(2)))


def _write_new(path: Path, data: bytes) -> bool:
    """Write `data` to `path` unless a file is there (checked and made in one step, so another
    `sitegen new` at the same moment cannot be overwritten either); False when one was there."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SitegenError(f"{path.parent}: cannot make the folder: {exc.strerror or exc}") from None
    try:
        file = path.open("xb")
    except FileExistsError:
        return False
    except OSError as exc:
        raise SitegenError(f"{path}: cannot write: {exc.strerror or exc}") from None
    try:
        with file:
            file.write(data)
    except OSError as exc:
        path.unlink(missing_ok=True)  # ours, and half written: it would be a broken article
        raise SitegenError(f"{path}: cannot write: {exc.strerror or exc}") from None
    return True
