"""Progress on stderr: on a terminal only, and only for work that takes over a second.

A spinner or a bar on a pipe or in a log file is noise (a CI log fills with frames); on a
terminal, one that flashes for a tenth of a second is noise too. rich is imported only
when stderr is a terminal.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from rich.console import Console

SHOWN_AFTER = 1.0  # seconds of work before progress appears

# (done, total) steps, for a bar
Advance = Callable[[int, int], None]


class _Display(Protocol):
    """rich's Status and Progress alike: drawn from start() until stop()."""

    def start(self) -> None: ...

    def stop(self) -> None: ...


def on_a_terminal() -> bool:
    """Whether progress may be drawn: stderr is a terminal (not a pipe, a file or closed)."""
    return sys.stderr is not None and sys.stderr.isatty()


@contextmanager
def spinner(message: str) -> Iterator[None]:
    """A spinner with ``message`` while the block runs, if it runs over a second."""
    if not on_a_terminal():
        yield
        return
    from rich.text import Text

    # A path is text, never markup ("a[/b].csv").
    with _shown_late(_console().status(Text(message))):
        yield


@contextmanager
def bar(description: str) -> Iterator[Advance | None]:
    """A bar with ``description`` while the block runs, if it runs over a second; the
    block gets a function to call with (done, total), or None where nothing is drawn."""
    if not on_a_terminal():
        yield None
        return
    from rich.markup import escape
    from rich.progress import Progress

    progress = Progress(console=_console(), transient=True)
    task = progress.add_task(escape(description), total=None, visible=False)

    def advance(done: int, total: int) -> None:
        progress.update(task, completed=done, total=total, visible=total > 1)

    with _shown_late(progress):
        yield advance


def _console() -> Console:
    from rich.console import Console

    return Console(stderr=True)


@contextmanager
def _shown_late(display: _Display) -> Iterator[None]:
    timer = threading.Timer(SHOWN_AFTER, display.start)
    timer.start()
    try:
        yield
    finally:
        timer.cancel()
        timer.join()  # a start() under way ends before the stop()
        display.stop()
