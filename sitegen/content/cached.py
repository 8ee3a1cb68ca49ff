"""Content files as a build last read them: which files are articles, what the build cache keeps
of each, and what loading needs from that cache (so content/ never depends on the cache's own
module). Light to import: a build's check uses it before anything that parses."""

from __future__ import annotations

from dataclasses import dataclass
from dataclasses import fields as dataclass_fields
import os
from typing import Protocol

from sitegen.model import Article, Image
from sitegen.sharing import SharedValues


def article_files(listing: list[tuple[str, os.DirEntry]]) -> list[tuple[str, os.DirEntry]]:
    """The articles among content/'s files (`files_under`): the Markdown ones."""
    return [(relative, entry) for relative, entry in listing if relative.endswith(".md")]


@dataclass
class CachedFile:
    """One content file as read: trusted while its size and mtime stay the same. The article is
    kept without its body (read again only for a page that must be made again)."""

    size: int
    mtime_ns: int
    digest: str
    article: Article
    warnings: tuple[str, ...] = ()
    shape_part: str = ""
    """A digest of what places the article among the others (pipeline._shape), once worked out."""
    keyed: tuple = ()
    """(key, rights, picture, the key with them): the article's key with its source's rights and its
    picture's facts (pipeline._keyed_by_rights_and_pictures), once worked out."""

    def __getstate__(self) -> tuple:
        # Plain tuples load several times faster than dataclasses: this is most of the cache.
        article = self.article
        fields = [getattr(article, name) for name in ARTICLE_FIELDS]
        fields[IMAGE_FIELD] = tuple(map(article.image.__getattribute__, IMAGE_FIELDS)) if article.image else None
        return self.size, self.mtime_ns, self.digest, self.warnings, self.shape_part, self.keyed, tuple(fields)

    def __setstate__(self, state: tuple) -> None:
        self.size, self.mtime_ns, self.digest, self.warnings, self.shape_part, self.keyed, fields = state
        # The fields were an Article's: set them as they were, without running its checks again.
        article = object.__new__(Article)
        article.__dict__.update(zip(ARTICLE_FIELDS, fields))
        if fields[IMAGE_FIELD]:
            article.__dict__["image"] = Image(*fields[IMAGE_FIELD])
        self.article = article

    def shared_state(self, shared: SharedValues) -> tuple:
        """`__getstate__`'s tuple, with what articles repeat (a source, an author, a category, a
        time zone, a source's rights) made one object with the other states `shared` gave."""
        size, mtime_ns, digest, warnings, shape_part, keyed, fields = self.__getstate__()
        return size, mtime_ns, digest, shared.of(warnings), shape_part, shared.of(keyed), shared.items_of(fields)

    @classmethod
    def from_state(cls, state: tuple) -> CachedFile:
        """The file as `__getstate__` gave it."""
        cached = cls.__new__(cls)
        cached.__setstate__(state)
        return cached


ARTICLE_FIELDS = tuple(f.name for f in dataclass_fields(Article))
IMAGE_FIELD = ARTICLE_FIELDS.index("image")
IMAGE_FIELDS = tuple(f.name for f in dataclass_fields(Image))




class ReadMemory(Protocol):
    """What loading content takes from the build cache (sitegen.cache.BuildCache is one)."""

    files: dict[str, CachedFile]
    """By path relative to content/."""
    fresh_bodies: dict[str, tuple[str, str]]
    """(digest, body) of the files read since the cache was last stored, by path."""
    made_from: dict[str, str]
    """The article keys (by path) the last build's pages were made from."""

    def good_bodies(self, wanted: dict[str, str]) -> dict[str, str]:
        """The bodies of these articles (path -> the digest of their last good file) as then read."""
        ...
