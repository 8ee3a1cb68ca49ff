"""The pipes between the build and its converter process (sitegen/convert/answering.py): what
one end sends the other reads, short messages and long, and a closed end reads as the end."""

from __future__ import annotations

import os
import threading

import pytest

from sitegen.convert.answering import Pipe

MESSAGES = [("load", ("t2s", "s2tw"), (), None), ("engine", "s2tw", "zh-Hans", "zh-Hant", "中文" * 40_000), None, {}]


@pytest.fixture
def ends():
    """A pipe's reading and writing end."""
    read, write = os.pipe()
    reading, writing = Pipe(read), Pipe(write)
    yield reading, writing
    for pipe in (reading, writing):
        try:
            pipe.close()
        except OSError:  # closed by the test
            pass


def sent_meanwhile(send, messages) -> threading.Thread:
    """The messages sent on a thread of their own: a long one fills the pipe until it is read."""
    sender = threading.Thread(target=lambda: [send(message) for message in messages])
    sender.start()
    return sender


def test_what_one_end_sends_the_other_reads(ends):
    reading, writing = ends
    assert not reading.poll()
    sender = sent_meanwhile(writing.send, MESSAGES)
    assert [reading.recv() for _ in MESSAGES] == MESSAGES
    sender.join()
    assert not reading.poll()


def test_a_closed_end_reads_as_the_end(ends):
    reading, writing = ends
    writing.send("last")
    writing.close()
    assert reading.poll() and reading.recv() == "last"
    assert reading.poll()
    with pytest.raises(EOFError):
        reading.recv()


def test_polling_waits_for_a_message_as_long_as_it_is_told(ends):
    reading, writing = ends
    later = threading.Timer(0.2, writing.send, ("later",))
    later.start()
    assert not reading.poll(0.01)
    assert reading.poll(30) and reading.recv() == "later"
    later.join()
