"""The rich console for stdout, whose closed pipe is the command line's to answer."""

from __future__ import annotations

import errno
import os
from typing import IO, Any, BinaryIO, TextIO, cast

from rich.console import Console


class StdoutConsole(Console):
    """rich's console ends the process with exit 1 when the reader of stdout goes away
    (`urbanscreen check … | head`). Exit 1 means a CI condition here, so the closed pipe
    goes back to the command line as the BrokenPipeError it is, to end quietly (141).

    rich hands its whole rendering to one write, so ``stream`` is written through
    :func:`write_whole`: a table cut short by a full disk is said, not taken for done."""

    def __init__(self, stream: TextIO, **options: Any) -> None:
        super().__init__(file=cast(IO[str], _WholeWrites(stream)), **options)

    def on_broken_pipe(self) -> None:
        self.quiet = True  # nothing more to show: the reader is gone
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


class _WholeWrites:
    """The little of a text stream rich uses, each write whole (not an io class, whose
    finaliser would flush stdout again when the console is collected)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.encoding = stream.encoding

    def write(self, text: str) -> int:
        write_whole(self._stream, text)
        return len(text)

    def flush(self) -> None:
        self._stream.flush()

    def isatty(self) -> bool:
        return self._stream.isatty()

    def fileno(self) -> int:
        return self._stream.fileno()


def write_whole(stream: TextIO, text: str) -> None:
    """Write ``text`` to ``stream`` whole, or raise the OSError that stopped it.

    A text write larger than the stream's buffer goes to the system in one call, and when
    the system takes only part of it (a file-size limit reached, a disk filling up, a reader
    that closed the pipe midway) Python returns the short count instead of raising: the
    rest would be lost and the run would end as if complete. The bytes are written until
    all are taken, so the next call raises the error (EFBIG, ENOSPC, EPIPE)."""
    buffer = getattr(stream, "buffer", None)
    if buffer is None:  # a stream of text only (a test's StringIO): nothing is short there
        stream.write(text)
        return
    stream.flush()  # what the text layer holds goes first
    WholeBytes(buffer).write(text.encode(stream.encoding, stream.errors or "strict"))


class WholeBytes:
    """A binary stream's ``write``, each call whole (see :func:`write_whole`)."""

    def __init__(self, stream: BinaryIO) -> None:
        self._stream = stream

    def write(self, data: bytes) -> int:
        rest = memoryview(data)
        while rest:
            rest = rest[self._stream.write(rest) :]
        return len(data)
