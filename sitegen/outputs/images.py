"""The renditions of the site's pictures (made before the pages, images/catalog.py), copied from
their cache folder into the tree of every host. A rendition is named by its original's bytes, so
one already written is kept without being read; one no page asks for any more is removed."""

from __future__ import annotations

from pathlib import Path

from sitegen.images.catalog import ImageCatalog
from sitegen.model import Output
from sitegen.outputs.produce import Producer, Run


class ImageRenditions(Producer):
    name = "image renditions"

    def finish(self, run: Run) -> None:
        catalog: ImageCatalog = run.renderers[0].memory.images
        for facts in sorted(catalog.facts.values(), key=lambda f: f.path):
            for rendition in facts.renditions:
                paths = [tree + rendition.path.lstrip("/") for tree in run.site.trees()]
                file = catalog.rendition_file(rendition)
                run.group(f"static{facts.path}", rendition.path, paths,
                          lambda p=paths, f=file, o=facts.path: _copies(p, f, o), pages=False)


def _copies(paths: list[str], file: Path, origin: str) -> list[Output]:
    data = file.read_bytes()
    return [Output(path, data, f"static{origin}") for path in paths]

