"""What the operating system can do to a run, and how a run answers.

- A termination signal (SIGTERM from a CI timeout or ``kill``, SIGINT from Ctrl-C, SIGHUP
  from a closed terminal) becomes :class:`Interrupted`, raised where Python runs next, so
  every ``finally`` and the cleanup of a half-written report run on the way out. A step
  that must not be cut in two (renaming a report into place and recording that it was)
  holds the signal with :func:`signals_held` and takes it right after.
- An ``OSError`` becomes a user error naming the path, the plain reason and a hint.
- An input is read as one version of the file, or refused when it changed while read.

See docs/faults.md for what each fault gives a user.
"""

from __future__ import annotations

import errno
import os
import signal
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from urbanscreen.errors import InputFileError, Location, UrbanscreenError, WriteError
from urbanscreen.messages import Message, message

TERMINATING = ("SIGTERM", "SIGINT", "SIGHUP")  # SIGHUP does not exist on Windows


class Interrupted(BaseException):
    """A termination signal arrived.

    A BaseException, as KeyboardInterrupt is, so that no ``except Exception`` on the way
    out takes it for an error and carries on."""

    def __init__(self, signum: int) -> None:
        self.signum = signum
        self.name = signal.Signals(signum).name
        super().__init__(self.name)

    @property
    def exit_code(self) -> int:
        """The shell's convention for a process ended by a signal: 128 + its number."""
        return 128 + self.signum


@dataclass
class _SignalState:
    """One process, one run: the signal state is the process's."""

    held: int = 0  # depth of signals_held sections
    pending: int | None = None  # a signal that arrived while held
    raised: bool = False  # Interrupted was raised once: later signals wait for the exit


_state = _SignalState()


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _state.raised:
        return  # on the way out already: a second signal must not cut the cleanup short
    if _state.held:
        _state.pending = signum
        return
    _state.raised = True
    raise Interrupted(signum)


def raise_on_termination_signals() -> None:
    """From now on, SIGTERM, SIGINT and SIGHUP raise :class:`Interrupted` (main thread)."""
    for name in TERMINATING:
        number = getattr(signal, name, None)
        if number is not None:
            signal.signal(number, _on_signal)


@contextmanager
def signals_held() -> Iterator[None]:
    """Run a step whole: a termination signal arriving inside is raised when it ends.

    Python runs signal handlers in the main thread between bytecodes whichever thread
    the system picked, so this is a flag the handler reads, not a signal mask."""
    _state.held += 1
    try:
        yield
    finally:
        _state.held -= 1
        signum = _state.pending
        if not _state.held and signum is not None and not _state.raised:
            _state.pending, _state.raised = None, True
            # Raised even over an error under way: the run was asked to stop.
            raise Interrupted(signum)


# -- operating-system errors in plain words --------------------------------------------

# errno's name -> the reason and the hints when writing and when reading, in the message
# catalogue as os/NAME, hint/write/NAME and hint/read/NAME; by name, as not every system
# has every number (Windows has no EDQUOT)
_REASONS = (
    "ENOSPC",
    "EDQUOT",
    "EFBIG",
    "EACCES",
    "EPERM",
    "EROFS",
    "EISDIR",
    "ENAMETOOLONG",
    "ENOENT",
    "ENOTDIR",
    "ELOOP",
    "EIO",
)


def plain_said(exc: OSError, *, writing: bool) -> tuple[Message, Message | None]:
    """The reason an operating-system error gives a user, and what to do about it."""
    name = errno.errorcode.get(exc.errno or 0, "")
    if name not in _REASONS:
        return message("os/other", reason=(exc.strerror or str(exc)).lower()), None
    return message(f"os/{name}"), message(f"hint/{'write' if writing else 'read'}/{name}")


def plain_reason(exc: OSError, *, writing: bool) -> tuple[str, str | None]:
    """:func:`plain_said` in English."""
    reason, hint = plain_said(exc, writing=writing)
    return str(reason), None if hint is None else str(hint)


def write_error(exc: OSError, path: Path) -> WriteError:
    """A report could not be written to ``path``: what the user reads."""
    reason, hint = plain_said(exc, writing=True)
    try:
        kept = path.exists()
    except OSError:
        kept = False
    said = message("cannot-write/kept" if kept else "cannot-write", reason=reason)
    return WriteError(said, location=Location(file=path), hint=hint)


def read_error(exc: OSError, path: Path | None = None) -> UrbanscreenError:
    """An operating-system error on reading ``path`` (default: the one the error names).

    An error that names no path, where no path is given, came from writing stdout: every
    file urbanscreen reads is opened by name, and the read itself is wrapped with its path.
    """
    if path is None and exc.filename is not None:
        path = Path(os.fsdecode(exc.filename))
    if path is None:
        return stdout_error(exc)
    reason, hint = plain_said(exc, writing=False)
    return InputFileError(
        message("unreadable-file/os", reason=reason), location=Location(file=path), hint=hint
    )


def stdout_error(exc: OSError) -> WriteError:
    """Writing the result to stdout failed: redirected to a full disk, say."""
    reason, _ = plain_reason(exc, writing=True)
    return WriteError(
        f"cannot be written: {reason}",
        location=Location(file=Path("stdout")),
        hint="send stdout to a file on a disk with room, or use --output",
    )


def os_error_within(exc: BaseException) -> OSError | None:
    """The OSError behind ``exc``: a library may wrap one (xlsxwriter's FileCreateError)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        if isinstance(current, OSError):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


# -- inputs that change while they are read -----------------------------------------------


def read_one_version(path: Path) -> bytes:
    """The whole file, as one version of it; refused when it changed while it was read.

    The caller hashes and parses these same bytes, so the recorded SHA-256 is that of the
    version screened. A file replaced by a rename while it is read is read whole in its old
    version (the open file keeps it); a file written in place is noticed by its size,
    modification and change times, compared before and after the read."""
    try:
        with path.open("rb") as stream:
            before = os.fstat(stream.fileno())
            data = stream.read()
            after = os.fstat(stream.fileno())
    except OSError as exc:  # the read itself (EIO) names no path: name it
        raise read_error(exc, path) from exc
    if _version(before) != _version(after) or len(data) != after.st_size:
        raise InputFileError(
            "changed while it was read (another program is writing it)",
            location=Location(file=path),
            hint="wait until the file is complete, then run again",
        )
    return data


def _version(status: os.stat_result) -> tuple[int, int, int]:
    return status.st_size, status.st_mtime_ns, status.st_ctime_ns
