"""What the preview server and the rebuild loop share: a read/write lock over public/,
the epoch of the last good build, the last error, and the open event streams."""

from __future__ import annotations

import html
import queue
import threading
from contextlib import contextmanager
from typing import Iterator


class ReadWriteLock:
    """Many readers, or one writer; a waiting writer is not starved by new readers."""

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._readers = 0
        self._writing = False
        self._waiting_writers = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._cond:
            self._cond.wait_for(lambda: not self._writing and not self._waiting_writers)
            self._readers += 1
        try:
            yield
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._cond:
            self._waiting_writers += 1
            self._cond.wait_for(lambda: not self._writing and not self._readers)
            self._waiting_writers -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._cond:
                self._writing = False
                self._cond.notify_all()


class LiveState:
    def __init__(self) -> None:
        self.lock = ReadWriteLock()
        self.stopping = threading.Event()
        self.epoch = 0
        self.error = ""
        self._subscribers: set[queue.Queue] = set()
        self._guard = threading.Lock()

    def inject(self, page: bytes, base_path: str) -> bytes:
        """The page with the reload script added before </body> (served pages only, never files)."""
        tag = (f'<script src="{html.escape(base_path.rstrip("/"))}/__sitegen/reload.js" '
               f'data-epoch="{self.epoch}" defer></script>').encode()
        at = page.rfind(b"</body>")
        return page[:at] + tag + page[at:] if at >= 0 else page + tag

    def snapshot(self) -> dict:
        with self._guard:
            return {"type": "error" if self.error else "hello", "epoch": self.epoch, "error": self.error}

    def built(self, css_only: bool) -> None:
        """A good build is written: pages reload, or only restyle when only CSS changed."""
        with self._guard:
            self.epoch += 1
            was_broken, self.error = bool(self.error), ""
        self._publish({"type": "css" if css_only and not was_broken else "reload", "epoch": self.epoch, "error": ""})

    def failed(self, error: str) -> None:
        with self._guard:
            self.error = error
        self._publish({"type": "error", "epoch": self.epoch, "error": error})

    def subscribe(self) -> queue.Queue:
        inbox: queue.Queue = queue.Queue()
        with self._guard:
            self._subscribers.add(inbox)
        return inbox

    def unsubscribe(self, inbox: queue.Queue) -> None:
        with self._guard:
            self._subscribers.discard(inbox)

    def _publish(self, message: dict) -> None:
        with self._guard:
            subscribers = list(self._subscribers)
        for inbox in subscribers:
            inbox.put(message)
