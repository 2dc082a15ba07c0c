"""The one piece of tuning urbanscreen keeps: telling Python's garbage collector which
objects live as long as the process, for two benchmark rows:

- ``Excel report of 6 160 areas`` (target ≤ 1.3× read + ``to_excel``);
- ``check 6 160 areas (xlsx)`` (target ≤ 1.2× import + calamine read).

What pandas, Arrow, pydantic, typer and rich build when they are imported (modules,
classes, the criteria's validators: about 77 000 objects the collector tracks, for a check
of an xlsx file) stays until the process ends, yet every full collection walks it again.
:func:`gc.freeze` (public since Python 3.7) moves the objects tracked so far into a
generation that collections skip; the collector is never paused, and everything made after
the call (the table, the report) is collected as usual. Frozen objects are never freed by
the collector, even once they become garbage: so only the console script, whose process is
the command's alone, freezes (:func:`own_the_process`, called by ``cli.main``). A program or
a test that runs the typer app in its own process keeps its collector as it was, as the
library API does.

- :func:`keep_what_is_loaded`, once a check has imported its libraries and loaded its
  criteria: writing the 6 160-area workbook makes three full collections, which walked the
  libraries' objects each time (0.11–0.15 s; 0.03 s with them kept).
- :func:`exit_keeping_everything`, at the end: the interpreter's teardown then spends
  nothing collecting objects about to be freed with the process. This replaced ending the
  process with ``os._exit`` after atexit's private ``_run_exitfuncs``: a reviewer measured
  the xlsx row at 1.31× with this and 1.33× with ``os._exit`` (13 interleaved runs), where
  a plain exit costs about 0.1 s more.

Measured on 2026-12-06, 9 interleaved runs on two shared cores: the Excel report of 6 160
areas took 1.19 s (wall) with both calls, 1.36 s with ``os._exit`` and no freeze.
"""

from __future__ import annotations

import gc
import sys
from typing import NoReturn

_owned: list[bool] = []  # the process is the command's own: set by the console script


def own_the_process() -> None:
    """The console script's process runs one command and ends: from now on,
    :func:`keep_what_is_loaded` freezes."""
    _owned.append(True)


def keep_what_is_loaded() -> None:
    """Leave out of later collections every object made so far, in the console script's
    own process only: call once the libraries are imported, before the data are read."""
    if _owned:
        gc.freeze()


def exit_keeping_everything(code: int) -> NoReturn:
    """Exit with ``code`` through the interpreter's usual teardown, minus its collections;
    the caller has flushed stdout and stderr."""
    gc.freeze()
    sys.exit(code)
