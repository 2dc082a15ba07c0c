"""The rich console for stdout, whose closed pipe is the command line's to answer."""

from __future__ import annotations

import errno
import os
from typing import TextIO

from rich.console import Console


class StdoutConsole(Console):
    """rich's console ends the process with exit 1 when the reader of stdout goes away
    (`urbanscreen check … | head`). Exit 1 means a CI condition here, so the closed pipe
    goes back to the command line as the BrokenPipeError it is, to end quietly (141)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True  # nothing more to show: the reader is gone
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))


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
    data = memoryview(text.encode(stream.encoding, stream.errors or "strict"))
    while data:
        data = data[buffer.write(data) :]
