"""The converter process's end of its pipes (sitegen/convert/answering.py) reads and writes what
the build's `multiprocessing.connection.Connection` writes and reads, short messages and long."""

from __future__ import annotations

import os
import threading
from multiprocessing.connection import Connection

import pytest

from sitegen.convert.answering import Pipe

MESSAGES = [("load", ("t2s", "s2tw"), (), None), ("engine", "s2tw", "zh-Hans", "zh-Hant", "中文" * 40_000), None, {}]


@pytest.fixture
def pipe_pair():
    """A pipe's two ends; a Connection is given its own copy of one (it closes what it holds)."""
    ends = list(os.pipe())
    yield ends
    for fd in ends:
        os.close(fd)


def sent_meanwhile(send, messages) -> threading.Thread:
    """The messages sent on a thread of their own: a long one fills the pipe until it is read."""
    sender = threading.Thread(target=lambda: [send(message) for message in messages])
    sender.start()
    return sender


def test_what_the_build_sends_is_read_here(pipe_pair):
    read, write = pipe_pair
    here, build = Pipe(read), Connection(os.dup(write), readable=False)
    assert not here.poll()
    sender = sent_meanwhile(build.send, MESSAGES)
    assert [here.recv() for _ in MESSAGES] == MESSAGES
    sender.join()
    assert not here.poll()
    build.close()
    os.close(pipe_pair.pop())  # the build's end is gone: the end is waiting
    assert here.poll()
    with pytest.raises(EOFError):
        here.recv()


def test_what_is_sent_here_is_read_by_the_build(pipe_pair):
    read, write = pipe_pair
    here, build = Pipe(write), Connection(os.dup(read), writable=False)
    sender = sent_meanwhile(here.send, MESSAGES)
    assert [build.recv() for _ in MESSAGES] == MESSAGES
    sender.join()
    build.close()
