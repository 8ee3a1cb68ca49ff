"""`sitegen serve` stops on SIGTERM (`kill`, a service manager) whichever of its threads the
kernel hands the signal to: Python acts on a signal only in its main thread, so one that lands on
the watcher's or the server's thread must still end the main thread's wait."""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import signal
import time

import pytest

from tests.helpers import article
from tests.serve.helpers import SitegenServe

SYS_TGKILL = {"x86_64": 234, "aarch64": 131}.get(platform.machine())


@pytest.mark.skipif(SYS_TGKILL is None or not os.path.isdir("/proc/self/task"),
                    reason="sends a signal to one thread of another process: Linux on x86-64 or arm64")
def test_a_sigterm_caught_by_another_thread_stops_serve(make_site):
    root = make_site(files={"content/a.md": article()})
    with SitegenServe(root) as serve:
        pid = serve.process.pid
        others = settled_threads(pid)
        assert len(others) >= 3, "serve runs its watcher, server and rebuilds on threads of their own"
        libc = ctypes.CDLL(None, use_errno=True)
        for tid in others:  # the first that is still there
            if libc.syscall(SYS_TGKILL, pid, tid, signal.SIGTERM) == 0:
                break
            assert ctypes.get_errno() == errno.ESRCH, os.strerror(ctypes.get_errno())
        else:
            pytest.fail("none of serve's other threads could be sent the signal")
        assert serve.process.wait(timeout=10) == 0
        assert "stopped" in serve.stop()


def settled_threads(pid: int) -> list[int]:
    """The ids of the process's threads but its main one, once the same for a second (the first
    build's search index has a thread of its own, which ends: a signal sent to it could be lost)."""
    others: list[int] = []
    stable_since, deadline = time.monotonic(), time.monotonic() + 30
    while time.monotonic() < deadline:
        now = sorted(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)
        if now != others:
            others, stable_since = now, time.monotonic()
        elif time.monotonic() - stable_since >= 1:
            break
        time.sleep(0.1)
    return others
