"""Work on another core: `meanwhile` runs a function in a forked process and hands back its result."""

from __future__ import annotations

import os
import threading

from sitegen.processes import meanwhile


def where_and_what(numbers: list[int]) -> tuple[int, int]:
    return os.getpid(), sum(numbers)


def failing(_: object) -> int:
    if os.getpid() != PARENT:
        raise RuntimeError("the forked process fails")
    return 7


PARENT = os.getpid()


def test_the_work_is_done_in_another_process_and_its_result_comes_back():
    pending = meanwhile(where_and_what, list(range(1000)))
    pid, total = pending()
    assert total == sum(range(1000))
    assert pid != os.getpid() if len(os.sched_getaffinity(0)) > 1 else pid == os.getpid()


def test_work_that_fails_in_the_forked_process_is_done_here():
    assert meanwhile(failing, None)() == 7


def test_with_other_threads_running_nothing_is_forked():
    stop = threading.Event()
    other = threading.Thread(target=stop.wait)
    other.start()
    try:
        pid, total = meanwhile(where_and_what, [1, 2])()
    finally:
        stop.set()
        other.join()
    assert (pid, total) == (os.getpid(), 3)
