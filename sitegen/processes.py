"""Work on every core: worker processes forked from the build.

Forking is what makes them cheap: a worker starts with what the build already holds (the site,
warm converters, templates). A process with other threads running (the preview server) is never
forked (a lock another thread holds would stay held in the child): the work is done in-process.
"""

from __future__ import annotations

import gc
import os
import pickle
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Callable, Iterator, TypeVar

if TYPE_CHECKING:
    import multiprocessing.pool

T = TypeVar("T")


def workers_for(jobs: int, min_jobs_per_worker: int, wanted: int | None = None) -> int:
    """How many workers `jobs` jobs are worth (0 or 1: do them here). `wanted`: at most this many
    (default: every core this process may use)."""
    if threading.active_count() > 1:
        return 0
    wanted = wanted or len(os.sched_getaffinity(0))
    return min(wanted, jobs // min_jobs_per_worker)


def forked_pool(workers: int, initializer: Callable[..., None] | None = None,
                initargs: tuple = ()) -> multiprocessing.pool.Pool:
    import multiprocessing  # only here: a small build starts no pool, and the import costs it 10-20 ms

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


def meanwhile(work: Callable[..., T], *args: object) -> Callable[[], T]:
    """Start `work(*args)` in a forked process, on another core, while this one goes on; the
    function returned waits for the result (it comes back pickled, through a pipe). The work is
    done in this process instead, when that function is called, where there is one core, where
    other threads run, if the fork fails or if the forked process does."""
    if threading.active_count() > 1 or len(os.sched_getaffinity(0)) < 2:
        return lambda: work(*args)
    try:
        reading, writing = os.pipe()
        pid = os.fork()
    except OSError:
        return lambda: work(*args)
    if pid == 0:
        _work_and_exit(reading, writing, work, args)
    os.close(writing)

    def result() -> T:
        with os.fdopen(reading, "rb") as answer:
            data = answer.read()
        _, status = os.waitpid(pid, 0)
        return pickle.loads(data) if status == 0 and data else work(*args)
    return result


def _work_and_exit(reading: int, writing: int, work: Callable, args: tuple) -> None:
    """The forked process of `meanwhile`: it never returns, and leaves without running what the
    parent would at exit (atexit functions, buffered output)."""
    status = 1
    try:
        os.close(reading)
        data = pickle.dumps(work(*args), protocol=pickle.HIGHEST_PROTOCOL)
        with os.fdopen(writing, "wb") as answer:
            answer.write(data)
        status = 0
    finally:
        os._exit(status)
