"""`sitegen serve` stops on SIGTERM (`kill`, a service manager) whichever of its threads the
kernel hands the signal to: Python acts on a signal only in its main thread, so one that lands on
the watcher's or the server's thread must still end the main thread's wait."""

from __future__ import annotations

import ctypes
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
        others = []
        deadline = time.monotonic() + 10
        while len(others) < 3 and time.monotonic() < deadline:  # the watcher, the server, the rebuild loop
            time.sleep(0.1)
            others = sorted(int(tid) for tid in os.listdir(f"/proc/{pid}/task") if int(tid) != pid)
        assert len(others) >= 3, "serve runs its watcher, server and rebuilds on threads of their own"
        time.sleep(0.3)  # the main thread is waiting by now
        libc = ctypes.CDLL(None, use_errno=True)
        assert libc.syscall(SYS_TGKILL, pid, others[0], signal.SIGTERM) == 0, os.strerror(ctypes.get_errno())
        assert serve.process.wait(timeout=10) == 0
        assert "stopped" in serve.stop()
