"""Read an input file into a header and a body of raw cells, whatever its format.

Readers know formats (xlsx via calamine, csv with sniffed encoding and separator),
not meaning: which row is the header is decided by the caller's ``find_header``,
and cells are returned as read (text, or numbers from a workbook).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from urbanscreen.errors import (
    EmptyInputError,
    FileNotFoundInputError,
    InputFileError,
    Location,
)

HEAD_ROWS = 50
EXCEL_SUFFIXES = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_SUFFIXES = {".csv", ".tsv", ".txt"}
SEPARATORS = ("\t", ";", ",")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

# Given the first rows of a file, the index of its header row.
HeaderFinder = Callable[[list[list[object]]], int]


@dataclass(frozen=True)
class SourceInfo:
    """What was read: enough to cite the input and to locate a row in it."""

    path: Path
    sha256: str
    format: str
    sheet: str | None = None
    encoding: str | None = None
    separator: str | None = None
    header_row: int = 1


@dataclass(frozen=True)
class RawTable:
    """Header cells, body cells (positional columns), and the spreadsheet row of body row 0."""

    headers: list[object]
    body: pd.DataFrame
    first_row: int
    source: SourceInfo


def read_raw(path: Path, find_header: HeaderFinder, *, sheet: str | None = None) -> RawTable:
    """Read ``path`` (xlsx, xls, ods or csv) into header and body cells."""
    data = _read_bytes(path)
    kind = _detect_kind(path, data)
    digest = hashlib.sha256(data).hexdigest()
    if kind == "excel":
        return _read_workbook(path, data, digest, find_header, sheet)
    if sheet is not None:
        raise InputFileError(
            "--sheet applies to workbooks, but this is a text (CSV) file",
            location=Location(file=path),
            hint="leave out --sheet",
        )
    return _read_csv(path, data, digest, find_header)


def _read_bytes(path: Path) -> bytes:
    location = Location(file=path)
    if not path.exists():
        raise FileNotFoundInputError(
            "file not found", location=location, hint="check the path and the current folder"
        )
    if path.is_dir():
        raise InputFileError(
            "is a folder, not a file", location=location, hint="name a .xlsx or .csv file"
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot be read: {exc.strerror}", location=location) from exc
    if not data.strip():
        raise EmptyInputError("the file is empty", location=location, hint="export the table again")
    return data


def _detect_kind(path: Path, data: bytes) -> str:
    """ "excel" or "text", from the content first and the name second."""
    suffix = path.suffix.lower()
    looks_excel = data.startswith((_ZIP_MAGIC, _OLE_MAGIC))
    if suffix in EXCEL_SUFFIXES and not looks_excel:
        hint = (
            "it looks like text: if it is a CSV file, rename it to .csv"
            if _looks_like_text(data)
            else "open it in Excel and save it again as .xlsx"
        )
        raise InputFileError(
            f"is named {suffix} but is not an Excel workbook",
            location=Location(file=path),
            hint=hint,
        )
    if looks_excel:
        return "excel"
    if suffix not in TEXT_SUFFIXES and not _looks_like_text(data):
        raise InputFileError(
            "is neither an Excel workbook nor a text (CSV) file",
            location=Location(file=path),
            hint="urbanscreen reads .xlsx, .xls, .ods and .csv files",
        )
    return "text"


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head


# -- workbooks ---------------------------------------------------------------------------


def _read_workbook(
    path: Path, data: bytes, digest: str, find_header: HeaderFinder, sheet: str | None
) -> RawTable:
    from python_calamine import CalamineWorkbook

    location = Location(file=path)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise InputFileError(
            f"is not a readable workbook ({type(exc).__name__})",
            location=location,
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from exc
    name = _choose_sheet(path, workbook, sheet)
    try:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InputFileError(
            f"sheet {name!r} cannot be read ({type(exc).__name__})",
            location=Location(file=path, sheet=name),
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from exc
    if not any(_filled(cell) for row in rows for cell in row):
        raise EmptyInputError(
            "the sheet is empty",
            location=Location(file=path, sheet=name),
            hint="pick the sheet with the table with --sheet" if sheet is None else None,
        )
    cells: list[list[object]] = [list(row) for row in rows]
    header_index = find_header(cells[:HEAD_ROWS])
    # skip_empty_area=False keeps rows aligned with the sheet: index i is row i + 1.
    body = pd.DataFrame(cells[header_index + 1 :], dtype=object)
    return RawTable(
        headers=cells[header_index],
        body=body,
        first_row=header_index + 2,
        source=SourceInfo(
            path=path, sha256=digest, format="xlsx", sheet=name, header_row=header_index + 1
        ),
    )


def _choose_sheet(path: Path, workbook: CalamineWorkbook, wanted: str | None) -> str:
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    metadata = workbook.sheets_metadata
    names = [m.name for m in metadata]
    if wanted is None:
        # The first visible worksheet: hidden helper sheets and chart sheets hold no table.
        tables = [
            m.name
            for m in metadata
            if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
        ]
        if not names:
            raise EmptyInputError("the workbook has no sheets", location=Location(file=path))
        return (tables or names)[0]
    for candidate in (wanted, wanted.casefold()):
        for name in names:
            if name == candidate or name.casefold() == candidate:
                return str(name)
    raise InputFileError(
        f"has no sheet named {wanted!r}",
        location=Location(file=path),
        hint="sheets in this workbook: " + ", ".join(repr(n) for n in names),
    )


def _filled(cell: object) -> bool:
    return cell is not None and not (isinstance(cell, str) and not cell.strip())


# -- text --------------------------------------------------------------------------------


def decode_text(path: Path, data: bytes) -> tuple[str, str]:
    """Decode CSV bytes: BOMs first, then UTF-8, then Windows-1252 / Latin-1 as SCB writes."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="strict"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise InputFileError(
                "starts like UTF-16 text but cannot be decoded", location=Location(file=path)
            ) from exc
    if b"\x00" in data:
        raise InputFileError(
            "contains NUL bytes: it is binary, or UTF-16 without a byte order mark",
            location=Location(file=path),
            hint="export the table again as CSV (UTF-8) or .xlsx",
        )
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "cp1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "latin-1"


def sniff_separator(lines: list[str]) -> str:
    """The separator that splits most of the first lines into the same number of fields.

    A title line above the header and decimal commas inside values do not fool it: the
    winner is the separator under which the most lines agree on a field count above one.
    """
    best = (0, 0, ",")
    for separator in SEPARATORS:
        counts = [len(row) for row in csv.reader(lines, delimiter=separator) if len(row) > 1]
        if not counts:
            continue
        mode = max(set(counts), key=counts.count)
        score = (counts.count(mode), mode)
        if score > best[:2]:
            best = (score[0], score[1], separator)
    return best[2]


def _read_csv(path: Path, data: bytes, digest: str, find_header: HeaderFinder) -> RawTable:
    text, encoding = decode_text(path, data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    head_lines = text.split("\n", HEAD_ROWS)[:HEAD_ROWS]
    separator = sniff_separator([line for line in head_lines if line.strip()])
    head_rows: list[list[object]] = [
        list(row) for row in csv.reader(head_lines, delimiter=separator)
    ]
    # csv.reader drops nothing for blank lines but yields [], keeping indices aligned.
    header_index = find_header(head_rows)
    headers: list[object] = list(head_rows[header_index])
    location = Location(file=path)
    try:
        body = pd.read_csv(
            io.StringIO(text),
            sep=separator,
            header=None,
            names=list(range(len(headers))),
            skiprows=header_index + 1,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            index_col=False,
            engine="c",
        )
    except pd.errors.ParserError as exc:
        raise _ragged_row_error(exc, location, len(headers)) from exc
    except pd.errors.EmptyDataError:
        body = pd.DataFrame(columns=list(range(len(headers))), dtype=object)
    return RawTable(
        headers=headers,
        body=body,
        first_row=header_index + 2,
        source=SourceInfo(
            path=path,
            sha256=digest,
            format="csv",
            encoding=encoding,
            separator=separator,
            header_row=header_index + 1,
        ),
    )


def _ragged_row_error(exc: Exception, location: Location, width: int) -> InputFileError:
    found = re.search(r"line (\d+), saw (\d+)", str(exc))
    if found is None:
        return InputFileError(f"cannot be parsed as CSV: {exc}", location=location)
    line, fields = int(found.group(1)), int(found.group(2))
    return InputFileError(
        f"has {fields} fields where the header has {width}",
        location=Location(file=location.file, row=line),
        hint="a value probably contains the separator: quote it, or export the file again",
    )
