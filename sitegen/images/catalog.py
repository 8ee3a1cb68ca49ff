"""The site's own images that articles lead with, read before any page is made: their sizes, and
their renditions, made once and kept in a cache folder named by the original's bytes, so a build
re-encodes only a picture it has never seen (and re-reads only one that changed: known.py).
A picture that cannot be read is one warning, and its pages show the original as it is."""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Sequence

from sitegen.errors import Report
from sitegen.fsutil import UnsafePathError, atomic_write, safe_join
from sitegen.images.facts import ImageFacts, ImageProblem, Rendition, read_facts
from sitegen.images.known import FILE as FACTS_FILE
from sitegen.images.known import KnownFacts, stamp_of


@dataclass(frozen=True)
class ImageCatalog:
    """What the build knows of the site's images, by site path."""

    facts: dict[str, ImageFacts] = field(default_factory=dict)
    folder: str = ""
    """The cache folder holding every rendition, by its file name."""

    def of(self, url: str) -> ImageFacts | None:
        return self.facts.get(url)

    def rendition_file(self, rendition: Rendition) -> Path:
        return Path(self.folder) / _file_name(rendition)


def prepare_images(urls: Iterable[str], static_dirs: Sequence[Path], folder: Path, report: Report,
                   workers: int | None = None) -> ImageCatalog:
    """The facts of every site image in `urls` (paths such as `/media/ab/x.jpg`; others are
    skipped) found in `static_dirs` (the first holding it wins), each rendition made unless
    `folder` has it; then `folder` keeps only today's renditions. Headers are read here; pictures
    are resized on threads: Pillow lets go of the interpreter while it decodes, resizes and encodes."""
    wanted = sorted({url for url in urls if url.startswith("/") and not url.startswith("//")})
    known = KnownFacts(folder)
    read = [(url, file, _read(url, file, known)) for url in wanted
            if (file := _file_of(url, static_dirs)) is not None]
    to_make = [(file, facts) for _, file, facts in read if isinstance(facts, ImageFacts) and _missing(facts, folder)]
    failed = dict(zip((file for file, _ in to_make), _made(to_make, folder, workers)))
    facts = {}
    for url, file, result in read:
        problem = failed.get(file) or (result if isinstance(result, str) else "")
        if problem:
            report.warning(f"static{url}", f"{problem}; its pages show the original, at full size")
        else:
            facts[url] = result
    _prune(folder, {FACTS_FILE, *(_file_name(r) for f in facts.values() for r in f.renditions)})
    try:
        known.save()
    except OSError:
        pass  # the next build reads every picture again: slower, no different
    return ImageCatalog(facts, str(folder))


def _made(to_make: list[tuple[Path, ImageFacts]], folder: Path, workers: int | None) -> list[str]:
    """What went wrong making each picture's renditions ('' for none), in order."""
    if not to_make:
        return []
    with ThreadPoolExecutor(max_workers=min(len(to_make), workers or os.cpu_count() or 1)) as pool:
        return list(pool.map(lambda job: _make(*job, folder), to_make))


def _file_of(url: str, static_dirs: Sequence[Path]) -> Path | None:
    relative = url.split("?", 1)[0].split("#", 1)[0].lstrip("/")
    for folder in static_dirs:
        try:
            file = safe_join(folder, relative)
        except UnsafePathError:
            return None
        if file.is_file():
            return file
    return None


def _read(url: str, file: Path, known: KnownFacts) -> ImageFacts | str:
    """The image's facts (as the last build read them, if the file is as it was), or what is wrong with it."""
    try:
        stamp = stamp_of(file)
        facts = known.get(url, file, stamp)
        if facts is None:
            facts = read_facts(url, file.read_bytes())
            known.put(file, stamp, facts)
        return facts
    except ImageProblem as exc:
        return str(exc)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"


def _missing(facts: ImageFacts, folder: Path) -> tuple[Rendition, ...]:
    return tuple(r for r in facts.renditions if not (folder / _file_name(r)).is_file())


def _make(file: Path, facts: ImageFacts, folder: Path) -> str:
    """Make the renditions `folder` lacks; '' when done, else what went wrong."""
    from sitegen.images.encode import encode_all  # Pillow, loaded only when there is a picture to resize

    missing = _missing(facts, folder)
    try:
        for rendition, encoded in zip(missing, encode_all(file.read_bytes(), missing)):
            atomic_write(folder / _file_name(rendition), encoded)
    except ImageProblem as exc:
        return str(exc)
    except OSError as exc:
        return f"its renditions cannot be made or stored ({exc.strerror or exc})"
    return ""


def _file_name(rendition: Rendition) -> str:
    return rendition.path.rsplit("/", 1)[1]


def _prune(folder: Path, keep: set[str]) -> None:
    """Renditions of pictures no article leads with any more go: the folder holds only today's."""
    if not folder.is_dir():
        return
    for entry in os.scandir(folder):
        if entry.is_file() and entry.name not in keep:
            Path(entry.path).unlink(missing_ok=True)
