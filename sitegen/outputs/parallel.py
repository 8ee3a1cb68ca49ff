"""Jobs run on every core, in worker processes forked from the build (see sitegen/processes.py)
that write what they make; results come back in job order, so output never depends on timing."""

from __future__ import annotations

from typing import Callable, Iterator, Sequence, TypeVar

from sitegen.processes import forked_pool, workers_for

MIN_JOBS_PER_WORKER = 64
"""Below this, starting workers costs more than it saves."""
CHUNK = 16
Job = TypeVar("Job")
Result = TypeVar("Result")


def on_every_core(work: Callable[[Job], Result], jobs: Sequence[Job], workers: int | None = None,
                  here: bool = False) -> Iterator[tuple[Job, Result]]:
    """Each job with `work(job)`, in job order. `workers`: processes to use (default: every core);
    `here`: do every job in this process (the writer holds pages until the end)."""
    workers = workers_for(len(jobs), MIN_JOBS_PER_WORKER, workers)
    if workers < 2 or here:
        for job in jobs:
            yield job, work(job)
        return
    # `work` and the jobs reach the workers by fork, not pickled: `work` may hold the whole site, and
    # the jobs whole articles (pickling them cost a cold build a second). Only their places travel.
    with forked_pool(workers, _start_worker, (work, jobs)) as pool:
        yield from zip(jobs, pool.imap(_work, range(len(jobs)), chunksize=CHUNK))


_worker: list = []
"""In a worker process only: the work function and the jobs, inherited from the build when it was forked."""


def _start_worker(work: Callable, jobs: Sequence) -> None:
    _worker[:] = [work, jobs]


def _work(index: int) -> object:
    work, jobs = _worker
    return work(jobs[index])
