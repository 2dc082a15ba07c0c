"""One exception family for everything a user can get wrong.

Each class has a stable ``code`` (shown to users and in JSON) and carries the
location a user needs to fix the problem: file, sheet, spreadsheet row, column,
the offending value, and a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

MAX_SHOWN_VALUE = 60
# C0 and C1 control characters: an ESC from a data file must not reach the terminal.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def printable(text: str) -> str:
    """Text from a file, safe for a terminal: control characters shown as ``\\x1b``."""
    return _CONTROL.sub(lambda found: f"\\x{ord(found.group()):02x}", text)


def shorten(value: object, limit: int = MAX_SHOWN_VALUE) -> str:
    """Render a user value for a message: printable, never megabytes."""
    text = printable(str(value))
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def first_few(items: list[str], limit: int = 5, *, total: int | None = None) -> str:
    """``a, b, c, d, e and 7 more``: the areas a note is about, named but bounded.

    ``total``: how many there are, when ``items`` holds only the first of them."""
    shown = ", ".join(items[:limit])  # printed through printable() with the whole message
    rest = (len(items) if total is None else total) - min(limit, len(items))
    return f"{shown} and {rest} more" if rest > 0 else shown


@dataclass(frozen=True)
class Location:
    """Where in the user's files a problem is; every part is optional."""

    file: Path | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.line is not None:
            parts.append(f"line {self.line}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        return printable(", ".join(parts))

    def as_dict(self) -> dict[str, object]:
        return {
            "file": None if self.file is None else str(self.file),
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "line": self.line,
        }


class UrbanscreenError(Exception):
    """Base of every error urbanscreen reports to a user (exit code 2)."""

    code: ClassVar[str] = "error"

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        value: object = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.location = location or Location()
        self.value = value
        self.hint = hint

    def __str__(self) -> str:
        where = str(self.location)
        text = f"{where}: {printable(self.message)}" if where else printable(self.message)
        if self.value is not None:
            text += f" (value: {shorten(self.value)!r})"
        return text

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "message": self.message,
            "location": self.location.as_dict(),
            "value": None if self.value is None else shorten(self.value),
            "hint": self.hint,
        }


class InputFileError(UrbanscreenError):
    """The input file is missing, unreadable or not in a format we read."""

    code = "unreadable-file"


class FileNotFoundInputError(InputFileError):
    """A path given on the command line does not exist."""

    code = "file-not-found"


class UnsupportedFileTypeError(InputFileError):
    """The input is a kind of file urbanscreen does not read (a .py, .pdf, .docx, .json)."""

    code = "unsupported-file-type"


class EmptyInputError(InputFileError):
    """The input holds no header or no data rows."""

    code = "empty-input"


class MissingColumnError(UrbanscreenError):
    """A column the criteria need is not in the input."""

    code = "missing-column"


class AmbiguousColumnError(UrbanscreenError):
    """Two input columns match the same criterion."""

    code = "ambiguous-column"


class DuplicateIdError(UrbanscreenError):
    """Two rows describe the same area."""

    code = "duplicate-id"


class MissingIdError(UrbanscreenError):
    """A row names no area although the file has an id column."""

    code = "missing-id"


class UnknownAreaError(UrbanscreenError):
    """A district definition names an area code the data do not have."""

    code = "unknown-area"


class NonNumericValueError(UrbanscreenError):
    """A criterion cell holds text that is neither a number nor a missing marker."""

    code = "non-numeric-value"


class InvalidValueError(UrbanscreenError):
    """A label cell (a year, a sex) holds something the tool cannot read."""

    code = "invalid-value"


class OptionError(UrbanscreenError):
    """A command-line option does not fit the file (a --year it lacks, a --sheet)."""

    code = "invalid-option"


class ValueOutOfRangeError(UrbanscreenError):
    """A number lies outside what its unit allows (a percentage above 100)."""

    code = "value-out-of-range"


class CriteriaError(UrbanscreenError):
    """The criteria file is not valid TOML or breaks the criteria schema."""

    code = "invalid-criteria"

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        hint: str | None = None,
        problems: list[str] | None = None,
    ) -> None:
        super().__init__(message, location=location, hint=hint)
        self.problems = problems or [message]  # every problem, each with its path


class OutputPathError(UrbanscreenError):
    """A report would overwrite an input, or cannot be written where asked."""

    code = "invalid-output"


class WriteError(UrbanscreenError):
    """The operating system refused to write a report: no space, no permission, …"""

    code = "cannot-write"


@dataclass(frozen=True)
class Issue:
    """A warning: the run goes on, but the user should know (a skipped row, a guess made)."""

    code: str
    message: str
    location: Location = Location()
    level: str = "warning"  # "warning": worth a look; "info": a choice made, said aloud

    def __str__(self) -> str:
        where = str(self.location)
        message = printable(self.message)
        return f"{where}: {message}" if where else message

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "message": self.message,
            "location": self.location.as_dict(),
        }
