"""The one process trick urbanscreen keeps: ending the process without the interpreter's
teardown, for the benchmark row ``check 6 160 areas (xlsx)`` (target ≤ 1.2× import +
calamine read).

Tearing down what a check imports (pandas, Arrow, pydantic, typer, rich: about 800
modules and 80 000 objects for the collector) costs about 0.15 s of CPU, of which the
floor, which imports pandas alone, pays a third. Measured on 2026-12-06 (interleaved runs,
main's code against this without the trick, five each, two shared cores): the xlsx row
1.14× (CPU) and 1.22× (wall) with it, 1.45× and 1.69× without; 300 000 areas (csv), target
1.5×: 1.56× and 1.68× with, 1.82× and 2.02× without; 3 000 000 areas: no difference.

What it skips: freeing memory and the collector's last passes. What it must not skip is
done by the caller (stdout and stderr flushed, every report renamed into place and closed)
or here (the atexit handlers: logging's is the only one a check registers).
"""

from __future__ import annotations

import atexit
import os
from typing import NoReturn


def exit_without_teardown(code: int) -> NoReturn:
    """End the process with ``code`` once the atexit handlers have run; the caller has
    flushed stdout and stderr."""
    atexit._run_exitfuncs()
    os._exit(code)
