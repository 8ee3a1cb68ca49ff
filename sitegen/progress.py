"""A one-line progress bar for long work on a terminal (fetch, deploy); nothing when not on one."""

from __future__ import annotations

from typing import Callable, TextIO

BAR_WIDTH = 30


def progress_bar(stream: TextIO) -> Callable[[int, int, str], None] | None:
    """A bar redrawn as work is done, `show(done, total, label)`; None when `stream` is not a
    terminal (cron, pipes and logs get the closing lines only)."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, label: str) -> None:
        filled = BAR_WIDTH * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (BAR_WIDTH - filled)}] {done}/{total} {label:<20.20}")
        if done >= total:
            stream.write("\r" + " " * (BAR_WIDTH + 40) + "\r")
        stream.flush()

    return show
