"""The converter process's own side (see convert/elsewhere.py): load the converters one at a
time, answering what the build asks in between, until the build closes the pipe.

Run as `python -m sitegen.convert.answering`. Until its answers are ready the build may be
waiting on it, so both ends start with as little as they can: the pipes are read and written
with `Pipe`, in the framing of `multiprocessing.connection.Connection` (a 4-byte big-endian
length, or -1 and an 8-byte one, then a pickle), without that module and what it imports."""

from __future__ import annotations

import os
import pickle
import select
import struct
from typing import Callable

Request = tuple
"""("opencc", config, text), ("engine", config, source script, script, text) or ("bounds", text)."""


class Pipe:
    """One end of a pipe of pickled messages, as a `Connection` on the other end frames them."""

    def __init__(self, fd: int):
        self.fd = fd

    def poll(self, timeout: float = 0) -> bool:
        """Whether a message (or the end) is waiting, or comes within `timeout` seconds."""
        return bool(select.select([self.fd], [], [], timeout)[0])

    def close(self) -> None:
        os.close(self.fd)

    def recv(self) -> object:
        """The next message; EOFError once the other end is closed."""
        size, = struct.unpack("!i", self._read(4))
        if size == -1:
            size, = struct.unpack("!Q", self._read(8))
        return pickle.loads(self._read(size))

    def send(self, message: object) -> None:
        data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        header = struct.pack("!i", len(data)) if len(data) <= 0x7FFFFFFF else struct.pack("!iQ", -1, len(data))
        view = memoryview(header + data)
        while view:
            view = view[os.write(self.fd, view):]

    def _read(self, size: int) -> bytes:
        chunks, left = [], size
        while left:
            chunk = os.read(self.fd, left)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)


def serve(requests: Pipe, answers: Pipe) -> None:
    """Load what the first message names, one piece at a time, answering what is asked between
    pieces; then answer until the build closes the pipe."""
    from sitegen.convert import boundaries
    from sitegen.convert.engines import Engines

    _, configs, engines, phrases = requests.recv()
    here = Engines(phrases)
    loads: list[Callable[[], object]] = [lambda config=config: here.opencc(config) for config in configs]
    loads += [lambda key=key: here.ruled(*key) for key in engines]
    if any(source == "zh-Hans" for _, source, _ in engines):
        loads += [lambda: boundaries.load(phrases)]
    try:
        while True:
            while loads and not requests.poll():
                _load(loads.pop(0))
            answers.send(_answer(here, requests.recv()))
    except EOFError:
        return


def _load(load: Callable[[], object]) -> None:
    try:
        load()
    except Exception:  # noqa: BLE001 - what is asked of it is answered None: the build meets the failure itself
        pass


def _answer(here, request: Request) -> object | None:  # noqa: ANN001
    from sitegen.convert.boundaries import word_bounds

    kind, *args = request
    try:
        if kind == "opencc":
            return here.opencc(args[0])(args[1])
        if kind == "engine":
            return here.ruled(*args[:3])(args[3])
        if kind == "bounds":
            return word_bounds(args[0])
    except Exception:  # noqa: BLE001 - the build converts it itself, and meets the same failure there
        return None
    return None


def main() -> None:
    answers = Pipe(os.dup(1))
    os.dup2(os.open(os.devnull, os.O_WRONLY), 1)  # nothing else printed can break the answers
    serve(Pipe(os.dup(0)), answers)


if __name__ == "__main__":
    main()
