"""Writing reports without ever losing data.

A report is written to a temporary file beside its target and renamed into place, so a
crash, a full disk or a signal never leaves half a file: the file that was there stays as
it was until the new one is complete, and the temporary file is removed on every way out.
Two runs writing one report each rename a whole file: the last rename wins. A path that is
one of the run's inputs, or a link to one, is refused before anything is written.
"""

from __future__ import annotations

import contextlib
import errno
import io
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from urbanscreen.errors import Location, OutputPathError, UrbanscreenError
from urbanscreen.faults import Interrupted, os_error_within, signals_held, write_error
from urbanscreen.messages import message

# A temporary name adds ~14 characters to the report's; most file systems allow 255 bytes.
_TEMPORARY_STEM_BYTES = 200

# What this process set out to write and what it renamed into place, for the line that
# says what an interrupted run did not write.
_claimed: list[Path] = []
_written: list[Path] = []


# The reports `check --output` writes, by the suffix of their name.
REPORT_FORMATS = {".xlsx": "xlsx", ".csv": "csv", ".md": "markdown", ".json": "json"}


def report_format(path: Path) -> str:
    """The report format ``path``'s suffix names; an error naming the suffixes if none."""
    kind = REPORT_FORMATS.get(path.suffix.lower())
    if kind is None:
        said = (
            message("invalid-output/suffix", suffix=repr(path.suffix))
            if path.suffix
            else message("invalid-output/no-suffix")
        )
        raise OutputPathError(
            said,
            location=Location(file=path),
            hint=message("hint/suffixes", suffixes=", ".join(REPORT_FORMATS)),
        )
    return kind


def claim_outputs(outputs: Sequence[Path], inputs: Sequence[Path]) -> None:
    """Check every report path before the run reads anything.

    Refuses a path that is an input (or a link to one), a path named twice, and a folder
    that cannot take a new file, so a long read is not wasted on a report that cannot be
    written. The paths are remembered for :func:`interruption_line`."""
    for number, path in enumerate(outputs):
        check_output_path(path, inputs)
        if any(_same_file(path, earlier) for earlier in outputs[:number]):
            raise OutputPathError(
                message("invalid-output/twice"),
                location=Location(file=path),
                hint=message("hint/name-once"),
            )
        _check_folder_takes_files(path)
    _claimed.extend(outputs)


def interruption_line(exc: Interrupted) -> str:
    """One line for stderr: which signal stopped the run, and what it did not write."""
    unwritten = [path for path in _claimed if path not in _written]
    if unwritten:
        said = ", ".join(map(str, unwritten)) + " not written (a file already there is unchanged)"
    elif _written:
        said = "after writing " + ", ".join(map(str, _written)) + "; stdout may be incomplete"
    elif _stdout_is_a_file():  # `check -f json > result.json`: the shell made that file
        said = "before its output was complete; the file stdout goes to is incomplete"
    else:
        said = "before its output was complete; no file was written"
    return f"urbanscreen: stopped by {exc.name} (exit {exc.exit_code}): {said}"


def _stdout_is_a_file() -> bool:
    try:
        return stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        return False  # no real file descriptor (a test runner's buffer), or no stdout


def say_interrupted(exc: Interrupted) -> int:
    """Put :func:`interruption_line` on stderr, if anyone reads it; the exit status."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError):
            print(interruption_line(exc), file=sys.stderr)
    return exc.exit_code


def check_output_path(path: Path, protected: Sequence[Path]) -> None:
    """Refuse to write over an input (or a link to one), into a missing folder, or onto a folder."""
    location = Location(file=path)
    try:
        for kept in protected:
            if _same_file(path, kept, must_exist=True):
                raise OutputPathError(
                    message("invalid-output"),
                    location=location,
                    hint=message("hint/another-file"),
                )
        if path.is_dir():
            raise OutputPathError(
                message("invalid-output/folder"),
                location=location,
                hint=message("hint/file-inside"),
            )
        if not path.parent.exists():
            raise OutputPathError(
                message("invalid-output/no-folder", folder=repr(str(path.parent))),
                location=location,
                hint=message("hint/create-folder"),
            )
    except OSError as exc:  # a name too long, a folder we may not look into
        raise write_error(exc, path) from exc


def _same_file(first: Path, second: Path, *, must_exist: bool = False) -> bool:
    """One file under two names: the same path, a symbolic or a hard link (device and inode)."""
    if first.exists() and second.exists():
        return os.path.samefile(first, second)
    if must_exist:
        return False
    return os.path.realpath(first) == os.path.realpath(second)


def _check_folder_takes_files(path: Path) -> None:
    folder = path.parent
    if folder.exists() and not folder.is_dir():  # report.xlsx/r.xlsx: not a folder at all
        raise write_error(_os_error(errno.ENOTDIR), path)
    read_only = getattr(os, "ST_RDONLY", 0)
    # statvfs and access: a read-only file system stops even root, a permission stops others.
    if hasattr(os, "statvfs") and os.statvfs(folder).f_flag & read_only:
        raise write_error(_os_error(errno.EROFS), path)
    if not os.access(folder, os.W_OK | os.X_OK):
        raise write_error(_os_error(errno.EACCES), path)


def _os_error(number: int) -> OSError:
    return OSError(number, os.strerror(number))


def _new_file_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def _mode_for(path: Path) -> int:
    """The mode of the file replaced, or the one a new file would get (mkstemp's is private)."""
    try:
        return path.stat().st_mode & 0o777
    except FileNotFoundError:
        return _new_file_mode()


def _temporary_beside(path: Path) -> Path:
    stem = os.fsencode(path.name)[:_TEMPORARY_STEM_BYTES].decode(errors="ignore")
    handle, name = tempfile.mkstemp(prefix=f".{stem}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    return Path(name)


def write_atomically(path: Path, write: Callable[[Path], None]) -> None:
    """Run ``write`` on a temporary file beside ``path``, then rename it into place.

    Any way out before the rename (an error, a full disk, a signal) removes the temporary
    file and leaves ``path`` as it was; an operating-system error becomes a
    :class:`~urbanscreen.errors.WriteError` naming ``path``."""
    temporary: Path | None = None
    try:
        with signals_held():  # the temporary file exists and is known by name, or neither
            temporary = _temporary_beside(path)
        write(temporary)
        os.chmod(temporary, _mode_for(path))
        with signals_held():  # renamed and recorded as written, or neither
            os.replace(temporary, path)
            if path in _claimed:  # a library caller claims nothing: nothing to remember
                _written.append(path)
    except BaseException as exc:
        if temporary is not None:
            with signals_held(), contextlib.suppress(OSError):
                temporary.unlink()
        cause = os_error_within(exc)
        if isinstance(exc, Exception) and not isinstance(exc, UrbanscreenError) and cause:
            raise write_error(cause, path) from exc
        raise
