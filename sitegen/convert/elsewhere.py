"""Converters loaded in a process of their own while the build reads and assembles the site.

Before its first conversion, a build spends some 0.3 s loading what converting takes: OpenCC's
configs, jieba's dictionary and OpenCC's phrase table. A build of a few new articles in a large
site spends about as long again reading its cache and assembling the site, and loading holds the
GIL, so a thread cannot do it meanwhile; a process on another core can. It loads everything it
was asked for, answering whatever the build asks in between, and its answers come back through
a pipe: the same functions make them there as would here, so the output is the same.

The build starts it only when its check finds an article file changed: a build with nothing new
to convert, the usual cron run, starts nothing. Every answer costs the pipe's round trip (some
0.1 ms), so a build that converts much converts itself instead (`ConverterProcess.stop`, and past
MOST_ANSWERS), and so do processes forked from it."""

from __future__ import annotations

import os
import pickle
import signal
import sys
from pathlib import Path

from sitegen.convert.answering import Pipe, Request

PATIENCE_SECONDS = 30.0
"""How long an answer may take (loading included) before the build converts by itself."""
MOST_ANSWERS = 1000
"""Answers after which the build converts itself: asking this much, it converts many articles (its
settings changed, say), and the round trips would soon cost more than loading the converters."""


class ConverterProcess:
    """The process converting for this one (see the module's note), started by `begin`. Never
    raises: until it is started, once it is gone, or asked in another process, `ask` answers None
    and the caller converts itself."""

    def __init__(self, configs: tuple[str, ...], engines: tuple[tuple[str, str, str], ...], phrases: Path | None):
        """`configs`: OpenCC configs to load, in the order they are likely wanted; `engines`:
        (config, source script, script) of the converters with sitegen's own rules; `phrases`: where
        OpenCC's phrases are kept ready to load (see convert/boundaries.py)."""
        self._load = ("load", configs, engines, phrases)
        self._owner = os.getpid()
        self.answered = 0
        """Requests answered so far."""
        self._pid: int | None = None
        self._requests: Pipe | None = None
        self._answers: Pipe | None = None
        self._begun = False

    def begin(self) -> None:
        """Start the process (once); if it cannot be started, this one converts, as it would anyway."""
        if self._begun:
            return
        self._begun = True
        try:
            self._pid, self._requests, self._answers = _spawned()
        except OSError:
            self.stop()
            return
        self._send(self._load)

    @property
    def pid(self) -> int | None:
        """The process's id while it runs for this one."""
        return self._pid

    def ask(self, request: Request) -> object | None:
        """What the process answers, or None: gone, failed, or not this process's to ask."""
        if self._pid is None or os.getpid() != self._owner:
            return None
        if self.answered >= MOST_ANSWERS:
            self.stop()
            return None
        if not self._send(request):
            return None
        try:
            if self._answers.poll(PATIENCE_SECONDS):  # type: ignore[union-attr]
                answer = self._answers.recv()  # type: ignore[union-attr]
                self.answered += 1
                return answer
        except (OSError, EOFError, ValueError, pickle.UnpicklingError):
            pass
        self.stop()  # it died or hangs: whatever is asked is converted here from now on
        return None

    def stop(self) -> None:
        """End the process (what it was loading is not waited for)."""
        if os.getpid() != self._owner:
            return
        pid, self._pid = self._pid, None
        if pid is not None:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:  # reaped already, or children are not waited for here
                pass
        for pipe in (self._requests, self._answers):
            if pipe is not None:
                pipe.close()
        self._requests = self._answers = None

    def _send(self, message: tuple) -> bool:
        try:
            self._requests.send(message)  # type: ignore[union-attr]
            return True
        except (OSError, ValueError):
            self.stop()
            return False


def _spawned() -> tuple[int, Pipe, Pipe]:
    """The converter process's id, and the pipes to ask it and to read its answers. Spawned, not
    forked (a fork would copy this process's heap) and without the subprocess module (its import
    is on the path of every small build)."""
    # The build writes `asked`, the process reads `asking` as its stdin. Where this process's stdin
    # or stdout is closed, a pipe may be numbered 0 or 1; a dup onto its own number still hands it
    # on (POSIX clears its close-on-exec flag), and the others are closed in the process on exec.
    asking, asked = os.pipe()
    answering, answered = os.pipe()
    try:
        pid = os.posix_spawn(sys.executable, [sys.executable, "-m", "sitegen.convert.answering"], os.environ,
                             file_actions=[(os.POSIX_SPAWN_DUP2, asking, 0), (os.POSIX_SPAWN_DUP2, answered, 1),
                                           (os.POSIX_SPAWN_OPEN, 2, os.devnull, os.O_WRONLY, 0)])
    except OSError:
        for fd in (asking, asked, answering, answered):
            os.close(fd)
        raise
    os.close(asking)
    os.close(answered)
    return pid, Pipe(asked), Pipe(answering)
