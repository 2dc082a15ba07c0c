"""The rich console for stdout, whose closed pipe is the command line's to answer."""

from __future__ import annotations

import errno
import os

from rich.console import Console


class StdoutConsole(Console):
    """rich's console ends the process with exit 1 when the reader of stdout goes away
    (`urbanscreen check … | head`). Exit 1 means a CI condition here, so the closed pipe
    goes back to the command line as the BrokenPipeError it is, to end quietly (141)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True  # nothing more to show: the reader is gone
        raise BrokenPipeError(errno.EPIPE, os.strerror(errno.EPIPE))
