"""Progress on stderr: on a terminal only, and only for work that takes over a second."""

from __future__ import annotations

import os
import select
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pytest

from urbanscreen import progress
from urbanscreen.progress import bar, spinner


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[TextIO, int]]:
    """A pseudo-terminal, as a shell has: the side a program writes to, the side that reads.
    (A test puts it in sys.stderr itself: pytest sets its own between setup and the test.)"""
    reader, follower = os.openpty()
    monkeypatch.setenv("TERM", "xterm-256color")
    monkeypatch.setenv("COLUMNS", "80")
    with open(follower, "w", encoding="utf-8") as tty:
        yield tty, reader
    os.close(reader)


def _drawn(reader: int, wanted: str | None = None) -> str:
    """What the terminal got: until ``wanted`` appears (a bounded wait for a thread that
    draws), or, without ``wanted``, what is there now."""
    seen = b""
    deadline = time.monotonic() + 60
    while True:
        ready, _, _ = select.select([reader], [], [], 0.05 if wanted else 0)
        if ready:
            seen += os.read(reader, 65536)
        text = seen.decode("utf-8", "replace")
        if wanted is None and not ready:
            return text
        if wanted is not None and (wanted in text or time.monotonic() > deadline):
            return text


def test_a_spinner_appears_on_a_terminal_once_the_work_takes_over_a_second(
    terminal: tuple[TextIO, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    tty, reader = terminal
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(progress, "SHOWN_AFTER", 0.0)  # the second has passed
    with spinner("Reading a[/b].csv…"):
        drawn = _drawn(reader, "Reading a[/b].csv…")
    assert "Reading a[/b].csv…" in drawn  # a path is text, never markup


def test_a_bar_appears_on_a_terminal_once_the_work_takes_over_a_second(
    terminal: tuple[TextIO, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    tty, reader = terminal
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(progress, "SHOWN_AFTER", 0.0)
    with bar("TAB638 [2024] → a.px") as advance:
        assert advance is not None
        advance(1, 3)
        drawn = _drawn(reader, "TAB638 [2024] → a.px")
    assert "TAB638 [2024] → a.px" in drawn


def test_work_done_within_the_second_draws_nothing(
    terminal: tuple[TextIO, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    tty, reader = terminal
    monkeypatch.setattr(sys, "stderr", tty)
    monkeypatch.setattr(progress, "SHOWN_AFTER", 3600.0)  # the work ends well before
    with spinner("Reading districts.xlsx…"):
        pass
    with bar("TAB638 → a.px") as advance:
        assert advance is not None
        advance(1, 3)
    assert _drawn(reader) == ""


def test_no_progress_where_stderr_is_not_a_terminal(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(progress, "SHOWN_AFTER", 0.0)
    with (tmp_path / "stderr").open("w", encoding="utf-8") as log:
        monkeypatch.setattr(sys, "stderr", log)
        with spinner("Reading districts.xlsx…"), bar("TAB638 → a.px") as advance:
            assert advance is None  # nothing to advance: no bar
            for thread in threading.enumerate():  # whatever waits to draw has drawn
                if isinstance(thread, threading.Timer):
                    thread.join()
    assert (tmp_path / "stderr").read_text(encoding="utf-8") == ""
    monkeypatch.setattr(sys, "stderr", None)  # closed (`2>&-`)
    with spinner("Reading districts.xlsx…"), bar("TAB638 → a.px") as advance:
        assert advance is None
