"""One exception family for everything a user can get wrong.

Each class has a stable ``code`` (shown to users and in JSON) and carries the
location a user needs to fix the problem: file, sheet, spreadsheet row, column,
the offending value, and a hint.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from urbanscreen.messages import ENGLISH, Message, word

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


@dataclass(frozen=True)
class Location:
    """Where in the user's files a problem is; every part is optional."""

    file: Path | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        return self.text(ENGLISH)

    def text(self, language: str) -> str:
        """``file.xlsx, sheet 'Blad1', row 3``; ``blad 'Blad1', rad 3`` in Swedish."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(str(self.file))
        if self.sheet is not None:
            parts.append(f"{word('sheet', language)} {self.sheet!r}")
        if self.line is not None:
            parts.append(f"{word('line', language)} {self.line}")
        if self.row is not None:
            parts.append(f"{word('row', language)} {self.row}")
        if self.column is not None:
            parts.append(f"{word('column', language)} {self.column!r}")
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
        message: str | Message,
        *,
        location: Location | None = None,
        value: object = None,
        hint: str | Message | None = None,
    ) -> None:
        super().__init__(str(message))
        self.message = str(message)  # English: the JSON's, the library's and the docs'
        self.location = location or Location()
        self.value = value
        self.hint = None if hint is None else str(hint)
        self._said = message
        self._hint_said = hint
        self.detail = ""  # said after the message in every language ("(cell: region 0114…)")

    def __str__(self) -> str:
        return self.said(ENGLISH)[0]

    def said(self, language: str) -> tuple[str, str | None]:
        """The message (with where and the value) and the hint, both in ``language`` where
        the catalogue has both, else both in English: a user never reads half of each."""
        if not self.speaks(language):
            language = ENGLISH
        message = self._said.text(language) if isinstance(self._said, Message) else self.message
        if isinstance(self._said, Message):
            message += self.detail  # a plain message has its detail in it already
        where = self.location.text(language)
        text = f"{where}: {printable(message)}" if where else printable(message)
        if self.value is not None:
            text += f" ({word('value', language)}: {shorten(self.value)!r})"
        hint = self._hint_said
        return text, hint.text(language) if isinstance(hint, Message) else hint

    def speaks(self, language: str) -> bool:
        """Whether :meth:`said` gives the message in ``language``."""
        parts = (self._said, self._hint_said)
        return all(isinstance(p, Message) and p.speaks(language) for p in parts if p)

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
        message: str | Message,
        *,
        location: Location | None = None,
        hint: str | Message | None = None,
        problems: list[str] | None = None,
    ) -> None:
        super().__init__(message, location=location, hint=hint)
        self.problems = problems or [str(message)]  # every problem, each with its path


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
    said: Message | None = field(default=None, compare=False)  # the catalogue's, to translate

    @classmethod
    def of(cls, said: Message, location: Location = Location(), level: str = "warning") -> Issue:
        """An issue from the catalogue: its code is the key's part before any ``/``."""
        return cls(said.key.split("/")[0], str(said), location, level, said)

    def __str__(self) -> str:
        return self.text(ENGLISH)

    def text(self, language: str) -> str:
        """Where and what, in ``language`` where the catalogue has it, else in English."""
        if self.said is None or not self.said.speaks(language):
            language = ENGLISH
        where = self.location.text(language)
        message = printable(self.message if self.said is None else self.said.text(language))
        return f"{where}: {message}" if where else message

    def speaks(self, language: str) -> bool:
        """Whether :meth:`text` says the issue in ``language``."""
        return self.said is not None and self.said.speaks(language)

    def as_dict(self) -> dict[str, object]:
        return {
            "code": self.code,
            "level": self.level,
            "message": self.message,
            "location": self.location.as_dict(),
        }


class InvalidValues(ValueError):
    """Problems a pydantic validator finds (it accepts a ValueError only), kept as catalogue
    messages so that the command line says each in the run's language."""

    def __init__(self, *said: Message) -> None:
        super().__init__("\n".join(str(problem) for problem in said))
        self.said = said
