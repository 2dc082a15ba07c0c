"""Writing reports without ever losing data.

A report is written to a temporary file beside its target and renamed into place,
so a crash never leaves half a file; a path that is one of the run's inputs is
refused before anything is written.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from urbanscreen.errors import Location, OutputPathError


def check_output_path(path: Path, protected: Sequence[Path]) -> None:
    """Refuse to write over an input, into a missing folder, or onto a folder."""
    location = Location(file=path)
    for kept in protected:
        if kept.exists() and path.exists() and path.resolve() == kept.resolve():
            raise OutputPathError(
                "is an input of this run and would be overwritten",
                location=location,
                hint="name another file for the report",
            )
    if path.is_dir():
        raise OutputPathError("is a folder", location=location, hint="name a file inside it")
    if not path.parent.exists():
        raise OutputPathError(
            f"cannot be written: the folder {str(path.parent)!r} does not exist",
            location=location,
            hint="create the folder first",
        )


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Run ``write`` on a temporary file beside ``path``, then rename it into place."""
    handle, temporary_name = tempfile.mkstemp(
        prefix=f".{path.name}.", suffix=".tmp", dir=path.parent
    )
    os.close(handle)
    temporary = Path(temporary_name)
    try:
        write(temporary)
        # mkstemp makes the file private; give the report the mode a new file would get,
        # or the mode of the file it replaces.
        os.chmod(temporary, path.stat().st_mode & 0o777 if path.exists() else _new_file_mode())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink()
        raise
