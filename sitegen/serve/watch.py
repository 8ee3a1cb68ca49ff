"""Watch the site's sources with watchdog and hand changed paths to a callback.

Reads emit opened/closed_no_write events on Linux, and the build reads content/:
only changes count, or the builder would trigger itself. public/ and .sitegen/
are never watched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from watchdog.events import (DirCreatedEvent, DirDeletedEvent, DirMovedEvent, FileClosedEvent, FileCreatedEvent,
                             FileDeletedEvent, FileModifiedEvent, FileMovedEvent, FileSystemEvent,
                             FileSystemEventHandler)
from watchdog.observers import Observer

from sitegen.static import unpublished

WATCHED_DIRS = {"content", "templates", "static"}
WATCHED_FILES = {"sitegen.toml", "glossary.toml"}
EVENTS = [FileModifiedEvent, FileCreatedEvent, FileMovedEvent, FileDeletedEvent, FileClosedEvent,
          DirCreatedEvent, DirDeletedEvent, DirMovedEvent]


def is_source(root: Path, path: str) -> bool:
    """A file whose change means a rebuild (editor swap and backup files are not)."""
    try:
        parts = Path(path).resolve().relative_to(root.resolve()).parts
    except ValueError:
        return False
    if not parts or parts[-1].endswith(("~", ".swp", ".tmp")):
        return False
    # static/ publishes its dotfiles (.well-known/ ...), so they are sources there; elsewhere they are not
    hidden = any(unpublished(p) for p in parts[1:]) if parts[0] == "static" else any(p.startswith(".") for p in parts)
    if hidden:
        return False
    return parts[0] in WATCHED_DIRS or (len(parts) == 1 and parts[0] in WATCHED_FILES)


class _Handler(FileSystemEventHandler):
    def __init__(self, root: Path, changed: Callable[[set[str]], None], observer: Observer):
        self.root, self.changed, self.observer = root, changed, observer
        self.folders: dict[str, object] = {}

    def watch_folder(self, name: str) -> None:
        """(Re)watch a source folder: one made while serving, or deleted and made again."""
        old = self.folders.pop(name, None)
        if old is not None:
            try:
                self.observer.unschedule(old)
            except KeyError:
                pass  # watchdog already dropped the watch of a deleted folder
        if (self.root / name).is_dir():
            self.folders[name] = self.observer.schedule(self, str(self.root / name), recursive=True,
                                                        event_filter=EVENTS)

    def on_any_event(self, event: FileSystemEvent) -> None:
        paths = {p for p in (event.src_path, getattr(event, "dest_path", "")) if p}
        for path in map(Path, paths):
            if event.is_directory and path.parent == self.root and path.name in WATCHED_DIRS:
                self.watch_folder(path.name)
        relevant = {str(p) for p in paths if is_source(self.root, str(p))}
        if relevant:
            self.changed(relevant)


def watch(root: Path, changed: Callable[[set[str]], None]) -> Observer:
    """Start watching `root`; `changed` gets the changed source paths (from watchdog's thread).

    Only the source folders are watched (recursively) and the root itself (not recursively):
    a site folder may also hold .venv/ or node_modules/ with thousands of folders.
    """
    observer = Observer()
    handler = _Handler(root, changed, observer)
    observer.schedule(handler, str(root), recursive=False, event_filter=EVENTS)
    for name in sorted(WATCHED_DIRS):
        handler.watch_folder(name)
    observer.daemon = True
    observer.start()
    return observer
