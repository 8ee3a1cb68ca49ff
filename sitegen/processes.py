"""Work on every core: worker processes forked from the build.

Forking is what makes them cheap: a worker starts with what the build already holds (the site,
warm converters, templates). A process with other threads running (the preview server) is never
forked (a lock another thread holds would stay held in the child): the work is done in-process.
"""

from __future__ import annotations

import gc
import multiprocessing
import multiprocessing.pool
import os
import threading
from contextlib import contextmanager
from typing import Callable, Iterator


def workers_for(jobs: int, min_jobs_per_worker: int, wanted: int | None = None) -> int:
    """How many workers `jobs` jobs are worth (0 or 1: do them here). `wanted`: at most this many
    (default: every core this process may use)."""
    if threading.active_count() > 1:
        return 0
    wanted = wanted or len(os.sched_getaffinity(0))
    return min(wanted, jobs // min_jobs_per_worker)


def forked_pool(workers: int, initializer: Callable[..., None] | None = None,
                initargs: tuple = ()) -> multiprocessing.pool.Pool:
    return multiprocessing.get_context("fork").Pool(workers, initializer, initargs)


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """For long work that makes many long-lived objects and few cycles (a build, a check of the
    built site): left on, the cyclic collector scans the growing heap again and again (a tenth of
    a cold build, half of a big check). Forked workers inherit this."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
