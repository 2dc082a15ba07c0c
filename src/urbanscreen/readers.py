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
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import pyarrow as pa

from urbanscreen.blanks import is_filled
from urbanscreen.columns import CONTENTS_HEADER, INDICATOR, REGION
from urbanscreen.cores import in_background
from urbanscreen.errors import (
    EmptyInputError,
    FileNotFoundInputError,
    InputFileError,
    Location,
    OptionError,
    UnsupportedFileTypeError,
)
from urbanscreen.faults import read_error, read_one_version
from urbanscreen.formats import (
    EXCEL_SUFFIXES,
    PARQUET_SUFFIXES,
    PX_SUFFIXES,
    READ_SUFFIXES,
    TEXT_SUFFIXES,
)
from urbanscreen.messages import Few, message
from urbanscreen.numbers import ARROW_TEXT
from urbanscreen.suggest import missing_file_hint

HEAD_ROWS = 50
# Bounds for files from anywhere: generous for real tables, fatal for bombs.
MAX_INPUT_BYTES = 1024**3
MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
MAX_SHEET_CELLS = 20_000_000
_CELL_REF = re.compile(rb"""\sr\s*=\s*["']([A-Z]{1,3})([0-9]{1,7})["']""")
# A cheap bound before the exact count: a cell beyond column Z or beyond row 99 999. It
# matches a superset of such references, so it cannot miss a far cell.
_BEYOND_SMALL = re.compile(rb"""r\s*=\s*["'](?:[A-Z]{2}|[A-Z]{1,3}[0-9]{6})""")
_SMALL_SHEET = (99_999, 26)  # rows, columns: far within MAX_SHEET_CELLS
READ_TYPES = Few(
    (".xlsx", ".xlsm", ".xlsb", ".xls", ".ods", ".csv", ".tsv", ".txt", ".px", ".parquet"),
    limit=10,
    last="and",
)
# Files people give by mistake that urbanscreen does read, in another place: each has a
# hint of its own in the message catalogue (hint/unsupported.json).
ELSEWHERE = (".json", ".toml")
_PARQUET_MAGIC = b"PAR1"
SEPARATORS = ("\t", ";", ",")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"

if TYPE_CHECKING:
    from python_calamine import CalamineWorkbook

    from urbanscreen.dimensions import Dimension
    from urbanscreen.pxwebapi.provenance import Provenance

# Given the first rows of a file: the index of its header row, and how many known
# columns it names (to pick the sheet that holds the table).
HeaderFinder = Callable[[list[list[object]]], tuple[int, int]]


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
    provenance: Provenance | None = None  # where `urbanscreen fetch` got the file


@dataclass(frozen=True)
class RawTable:
    """Header cells, body cells (positional columns), and the spreadsheet row of body row 0."""

    headers: list[object]
    body: pd.DataFrame
    first_row: int
    source: SourceInfo
    decimal: str | None = None  # known from the format (PC-Axis always writes ".")
    # Body rows with fewer fields than the header, as (position, fields): a CSV parser fills
    # them with empty text, as if the file had the fields and they were empty.
    short_rows: tuple[tuple[int, int], ...] = ()
    # The dimensions the file declares (PC-Axis variables), and columns whose role the
    # format fixes whatever their header (PX CONTVARIABLE is the indicator): {role: column}.
    dimensions: tuple[Dimension, ...] = ()
    roles: dict[str, int] = field(default_factory=dict)


# The file's SHA-256, computed beside the parse: a reader asks for it once the parse is done.
Digest = Callable[[], str]


def read_raw(path: Path, find_header: HeaderFinder, *, sheet: str | None = None) -> RawTable:
    """Read ``path`` (xlsx, xls, ods, csv or PC-Axis) into header and body cells."""
    data = _read_bytes(path)
    kind = _detect_kind(path, data)
    # Hashed beside the parse; each reader waits for the digest when it is done.
    digest = in_background(_sha256, data).result
    if kind == "excel":
        return _read_workbook(path, data, digest, find_header, sheet)
    if kind == "parquet":
        return _read_parquet(path, data, digest)
    if sheet is not None:
        raise OptionError(
            "--sheet applies to workbooks, but this is a text file",
            location=Location(file=path),
            hint="leave out --sheet",
        )
    if kind == "px":
        return _read_px(path, data, digest)
    return _read_csv(path, data, digest, find_header)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _read_bytes(path: Path) -> bytes:
    location = Location(file=path)
    if not path.exists():
        raise FileNotFoundInputError(
            message("file-not-found"),
            location=location,
            hint=missing_file_hint(path, message("hint/check-path"), READ_SUFFIXES),
        )
    if path.is_dir():
        raise InputFileError(
            message("unreadable-file/folder"), location=location, hint=message("hint/name-a-file")
        )
    if not path.is_file():
        raise InputFileError(
            "is not a regular file (a device, pipe or socket)",
            location=location,
            hint="save the table to a file and name that file",
        )
    if path.stat().st_size > MAX_INPUT_BYTES:
        raise InputFileError(
            f"is larger than {MAX_INPUT_BYTES // 1024**3} GiB",
            location=location,
            hint="split the table, or keep only the columns the criteria need",
        )
    try:
        data = read_one_version(path)
    except OSError as exc:
        raise read_error(exc, path) from exc
    if _NOT_SPACE_BYTES.search(data) is None:  # data.strip() would copy the whole file
        raise EmptyInputError(
            message("empty-input/file"), location=location, hint=message("hint/export-again")
        )
    return data


def _detect_kind(path: Path, data: bytes) -> str:
    """ "excel", "px" or "text", from the content first and the name second."""
    suffix = path.suffix.lower()
    if suffix and suffix not in READ_SUFFIXES:
        # A .py or .json file is text too: read as CSV, it would be blamed for its fields.
        raise _unsupported(path, suffix, data)
    looks_excel = data.startswith((_ZIP_MAGIC, _OLE_MAGIC))
    if suffix in EXCEL_SUFFIXES and not looks_excel:
        hint = message("hint/rename-csv" if _looks_like_text(data) else "hint/save-as-xlsx")
        raise InputFileError(
            message("unreadable-file", suffix=suffix),
            location=Location(file=path),
            hint=hint,
        )
    if looks_excel:
        return "excel"
    if data.startswith(_PARQUET_MAGIC) or suffix in PARQUET_SUFFIXES:
        if not data.startswith(_PARQUET_MAGIC):
            raise InputFileError(
                f"is named {suffix} but is not a Parquet file", location=Location(file=path)
            )
        return "parquet"
    if suffix in PX_SUFFIXES:
        return "px"
    if suffix not in TEXT_SUFFIXES and not _looks_like_text(data):
        raise InputFileError(
            message("unreadable-file/binary"),
            location=Location(file=path),
            hint=message("hint/read-types", types=READ_TYPES),
        )
    return "text"


def _unsupported(path: Path, suffix: str, data: bytes) -> UnsupportedFileTypeError:
    """Which types are read, and where a file of this type goes instead, if anywhere."""
    readable = data.startswith((_ZIP_MAGIC, _OLE_MAGIC, _PARQUET_MAGIC)) or _looks_like_text(data)
    said = message(
        "unsupported-file-type" if readable else "unsupported-file-type/binary", suffix=suffix
    )
    hint = message(
        f"hint/unsupported{suffix}" if suffix in ELSEWHERE else "hint/unsupported",
        types=READ_TYPES,
    )
    return UnsupportedFileTypeError(said, location=Location(file=path), hint=hint)


def _looks_like_text(data: bytes) -> bool:
    head = data[:4096]
    return head.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" not in head


# -- workbooks ---------------------------------------------------------------------------


def _read_workbook(
    path: Path, data: bytes, digest: Digest, find_header: HeaderFinder, sheet: str | None
) -> RawTable:
    from python_calamine import CalamineWorkbook

    location = Location(file=path)
    if data.startswith(_ZIP_MAGIC):
        check_zip_bounds(path, data)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as exc:  # calamine raises several unrelated types for broken files
        raise InputFileError(
            f"is not a readable workbook ({type(exc).__name__})",
            location=location,
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from exc
    candidates = _candidate_sheets(path, workbook, sheet)
    # Without --sheet, the table is on the visible sheet whose header names the most
    # known columns: a contents or notes sheet in front does not hide it.
    best: tuple[int, str, list[list[object]], int] | None = None
    for name in candidates:
        cells = _sheet_cells(path, workbook, name)
        if not any(is_filled(cell) for row in cells for cell in row):
            continue
        header_index, score = find_header(cells[:HEAD_ROWS])
        if best is None or score > best[0]:
            best = (score, name, cells, header_index)
    if best is None:
        raise EmptyInputError(
            message("empty-input/sheet" if len(candidates) == 1 else "empty-input/sheets"),
            location=Location(file=path, sheet=candidates[0] if len(candidates) == 1 else None),
            hint=message("hint/pick-sheet") if sheet is None else None,
        )
    _, name, cells, header_index = best
    # skip_empty_area=False keeps rows aligned with the sheet: index i is row i + 1.
    body = _typed_columns(pd.DataFrame(cells[header_index + 1 :], dtype=object))
    return RawTable(
        headers=cells[header_index],
        body=body,
        first_row=header_index + 2,
        source=SourceInfo(
            path=path, sha256=digest(), format="xlsx", sheet=name, header_row=header_index + 1
        ),
    )


def _typed_columns(body: pd.DataFrame) -> pd.DataFrame:
    """Columns of only numbers as floats, and of only text (no gaps) as Arrow text, as a
    Parquet or CSV column arrives; the checks and conversions after the read then run on
    whole columns. A column mixing kinds (numbers and "..", dates, gaps in text) stays
    Python objects, decided cell by cell as before."""
    typed: dict[object, pd.Series] = {}
    for column in body.columns:
        cells = body[column]
        kind = pd.api.types.infer_dtype(cells, skipna=True)
        if kind in ("floating", "mixed-integer-float"):  # calamine reads numbers as floats
            typed[column] = cells.astype("float64")
        elif kind == "string" and cells.notna().all():
            typed[column] = cells.astype(ARROW_TEXT)
        else:
            typed[column] = cells
    return pd.DataFrame(typed, index=body.index, columns=body.columns)


def _sheet_cells(path: Path, workbook: CalamineWorkbook, name: str) -> list[list[object]]:
    try:
        rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except Exception as exc:
        raise InputFileError(
            f"sheet {name!r} cannot be read ({type(exc).__name__})",
            location=Location(file=path, sheet=name),
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from exc
    return [list(row) for row in rows]


def check_zip_bounds(path: Path, data: bytes) -> None:
    """Refuse zip bombs and sheets whose cells span more than we will hold.

    calamine allocates the rectangle from A1 to the farthest cell, so a 5 KB file with
    one cell at XFD1048576 would ask for hundreds of gigabytes: measure first.
    """
    location = Location(file=path)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputFileError(
            "is not a readable workbook (broken zip)",
            location=location,
            hint="open it in Excel or LibreOffice and save it again as .xlsx",
        ) from exc
    total = sum(member.file_size for member in members)
    bomb = any(
        member.file_size > 1024**2
        and member.file_size > MAX_COMPRESSION_RATIO * max(member.compress_size, 1)
        for member in members
    )
    if total > MAX_UNCOMPRESSED_BYTES or bomb:
        raise InputFileError(
            "unpacks to far more data than a table holds (a zip bomb?)",
            location=location,
            hint="if the workbook is genuine, save the table as CSV",
        )
    for member in members:
        if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
            if _within_small_sheet(archive, member):
                continue
            rows, columns = _sheet_extent(archive, member)
            if rows * columns > MAX_SHEET_CELLS:
                raise InputFileError(
                    f"a sheet spans {rows:,} rows x {columns:,} columns, more cells than "
                    f"urbanscreen reads ({MAX_SHEET_CELLS:,})",
                    location=location,
                    hint="delete stray cells far below or right of the table, or save as CSV",
                )


def _within_small_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> bool:
    """True when no cell lies beyond column Z or row 99 999 (most tables): one quick scan."""
    assert _SMALL_SHEET[0] * _SMALL_SHEET[1] <= MAX_SHEET_CELLS
    return not any(_BEYOND_SMALL.search(block) for block in _sheet_blocks(archive, member))


def _sheet_extent(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> tuple[int, int]:
    """The farthest row and column any cell of a worksheet names."""
    rows = columns = 0
    for block in _sheet_blocks(archive, member):
        refs = _CELL_REF.findall(block)
        # Distinct parts first: a sheet has few column letters and one number per row.
        for letters in {letters for letters, _ in refs}:
            columns = max(columns, _column_number(letters))
        rows = max([rows, *(int(digits) for digits in {digits for _, digits in refs})])
    return rows, columns


def _sheet_blocks(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """A worksheet's XML a megabyte at a time, each block beginning with the previous one's
    unfinished last tag: a cell reference lies within one tag, however much space its
    attribute has around the '=' (XML allows any)."""
    tail = b""
    with archive.open(member) as stream:
        while chunk := stream.read(1024**2):
            block = tail + chunk
            yield block
            start = block.rfind(b"<")
            tail = block if start == -1 else block[start:]


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - 64
    return number


def _candidate_sheets(path: Path, workbook: CalamineWorkbook, wanted: str | None) -> list[str]:
    """--sheet, or every visible worksheet (hidden helpers and chart sheets hold no table)."""
    from python_calamine import SheetTypeEnum, SheetVisibleEnum

    metadata = workbook.sheets_metadata
    names = [m.name for m in metadata]
    if wanted is None:
        tables = [
            m.name
            for m in metadata
            if m.visible == SheetVisibleEnum.Visible and m.typ == SheetTypeEnum.WorkSheet
        ]
        if not names:
            raise EmptyInputError(message("empty-input/no-sheets"), location=Location(file=path))
        return tables or names[:1]
    for name in names:
        if name.casefold() == wanted.casefold():
            return [str(name)]
    raise OptionError(
        message("invalid-option", sheet=repr(wanted)),
        location=Location(file=path),
        hint=message("hint/sheets", sheets=", ".join(repr(n) for n in names)),
    )


# -- Parquet ---------------------------------------------------------------------------


def _read_parquet(path: Path, data: bytes, digest: Digest) -> RawTable:
    """Parquet keeps its column types: numbers stay numbers, codes stay text."""
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as exc:  # pyarrow raises several types for broken files
        raise InputFileError(
            f"is not a readable Parquet file ({type(exc).__name__}: {exc})",
            location=Location(file=path),
            hint="write the file again",
        ) from exc
    headers: list[object] = [str(column) for column in frame.columns]
    frame.columns = pd.RangeIndex(len(headers))
    return RawTable(
        headers=headers,
        body=frame.reset_index(drop=True),
        first_row=2,
        # Typed columns stay as they are; a text column's decimal mark is found as a CSV's
        # (and a DataFrame's) is: "11,9" in a column written as text is 11.9.
        source=SourceInfo(path=path, sha256=digest(), format="parquet"),
    )


# -- PC-Axis -----------------------------------------------------------------------------


def _read_px(path: Path, data: bytes, digest: Digest) -> RawTable:
    from urbanscreen.pcaxis import PxError, decode_px, flatten, parse_px, px_dimensions
    from urbanscreen.pxwebapi.provenance import from_px_keywords

    try:
        text, encoding = decode_px(data)
        px = parse_px(text)
        headers, rows = flatten(px)
        dimensions, roles = px_dimensions(px, headers)
    except PxError as exc:
        raise InputFileError(
            f"is not a readable PC-Axis file: {exc}",
            location=Location(file=path, line=exc.line),
            hint="download the table again from the statistical database",
        ) from exc
    return RawTable(
        headers=list(headers),
        body=pd.DataFrame(rows, dtype=object),
        # Rows of a PX file are its flattened data cells, numbered after a virtual header.
        first_row=2,
        source=SourceInfo(
            path=path,
            sha256=digest(),
            format="px",
            encoding=encoding,
            provenance=from_px_keywords(px.keywords),
        ),
        decimal=".",
        dimensions=dimensions,
        roles=roles,
    )


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


def _read_csv(path: Path, data: bytes, digest: Digest, find_header: HeaderFinder) -> RawTable:
    from urbanscreen.csvbody import BodyLayout, read_body
    from urbanscreen.pxwebapi.provenance import from_csv_title

    utf8, begin, encoding = _utf8(path, data)
    # The head only: decoding the whole file would copy it.
    head_end = _after_lines(utf8, HEAD_ROWS, begin)
    head_text = utf8[begin:head_end].decode("utf-8")
    head_lines = head_text.split("\n")[:HEAD_ROWS]
    try:
        separator = sniff_separator([line for line in head_lines if line.strip()])
        head_rows: list[list[object]] = [
            list(row) for row in csv.reader(head_lines, delimiter=separator)
        ]
    except csv.Error as exc:
        raise InputFileError(
            f"cannot be read as CSV near the top: {exc}",
            location=Location(file=path),
            hint="a cell this large is not a table value; export the table again",
        ) from exc
    # csv.reader drops nothing for blank lines but yields [], keeping indices aligned.
    header_index, known = find_header(head_rows)
    pxweb = _pxweb_one_dimension(head_rows) if known == 0 else None
    if pxweb is not None:
        header_index = pxweb
    headers: list[object] = list(head_rows[header_index])
    # Fields up to the last named column: a header's trailing separator names none.
    named = max((i + 1 for i, h in enumerate(headers) if str(h or "").strip()), default=0)
    start = _after_lines(utf8, _lines_of_rows(head_lines, separator, header_index + 1), begin)
    layout = BodyLayout(
        separator=separator,
        start=len(utf8) if start is None else start,
        width=len(headers),
        named=named,
        first_row=header_index + 2,
        location=Location(file=path),
    )
    body = read_body(utf8, layout)
    del utf8
    cells = body.cells
    roles: dict[str, int] = {}
    if pxweb is not None:
        roles = {REGION: 0}
        contents = _contents_in_title(head_rows[:header_index])
        if contents:
            # The title names the table's one content: a column for it, as PX's CONTENTS.
            roles[INDICATOR] = len(headers)
            cells[len(headers)] = contents
            headers.append(CONTENTS_HEADER)
    return RawTable(
        headers=headers,
        body=cells,
        first_row=header_index + 2,
        short_rows=body.short_rows,
        source=SourceInfo(
            path=path,
            sha256=digest(),
            format="csv",
            encoding=encoding,
            separator=separator,
            header_row=header_index + 1,
            provenance=from_csv_title(head_lines[0]) if header_index > 0 else None,
        ),
        roles=roles,
    )


def _utf8(path: Path, data: bytes) -> tuple[bytes, int, str]:
    """The file as UTF-8 with lines ending in "\\n", where its text begins (after a byte
    order mark), and its encoding. A UTF-8 file with such lines is its own bytes: no copy."""
    if b"\x00" not in data and _is_utf8(data):
        # Checked, not decoded: a decoded copy of the whole file would only be thrown away.
        begin = 3 if data.startswith(_UTF8_BOM) else 0
        encoding, utf8 = ("utf-8-sig" if begin else "utf-8"), data
    else:
        text, encoding = decode_text(path, data)
        if encoding in ("utf-8", "utf-8-sig"):
            begin, utf8 = (3 if encoding == "utf-8-sig" else 0), data
        else:
            begin, utf8 = 0, text.encode("utf-8")
        del text
    if b"\r" in utf8:
        utf8 = utf8[begin:].replace(b"\r\n", b"\n").replace(b"\r", b"\n")
        begin = 0
    return utf8, begin, encoding


_UTF8_BOM = b"\xef\xbb\xbf"


def _is_utf8(data: bytes) -> bool:
    """Whether ``data`` is UTF-8, as Python's decoder tells it (surrogates and overlong
    forms refused alike), without decoding it: Arrow checks the bytes as one value in
    place, some ten times faster than a decode that builds a string of the whole file."""
    if data.isascii():
        return True
    offsets = pa.array([0, len(data)], pa.int64()).buffers()[1]
    whole = pa.Array.from_buffers(pa.large_binary(), 1, [None, offsets, pa.py_buffer(data)])
    try:
        whole.cast(pa.large_string())
    except pa.ArrowInvalid:
        return False
    return True


def _lines_of_rows(lines: list[str], separator: str, count: int) -> int:
    """How many of ``lines`` the first ``count`` CSV rows span: a quoted line break makes
    one row of two lines."""
    reader = csv.reader(lines, delimiter=separator)
    for _ in range(count):
        if next(reader, None) is None:
            break
    return reader.line_num


def _pxweb_one_dimension(rows: list[list[object]]) -> int | None:
    """The header PxWeb writes for a table with one variable in its stub: a blank first
    cell, then the heading's values (``,2022``); None where no row is like that."""
    for index, row in enumerate(rows):
        cells = [str(cell or "").strip() for cell in row]
        heading = cells[1:]
        if heading and not cells[0] and all(heading) and any(map(_YEAR_HEADER.fullmatch, heading)):
            return index
    return None


def _contents_in_title(rows: list[list[object]]) -> str | None:
    """ "Folkmängd efter region och år" -> "Folkmängd": PxWeb titles name the contents,
    then the variables."""
    title = next((" ".join(str(c) for c in row if c).strip() for row in rows if any(row)), "")
    contents = _TITLE.split(title, maxsplit=1)[0].strip()
    return contents or None


_YEAR_HEADER = re.compile(r"\d{4}")
_TITLE = re.compile(r"\s+(?:efter|by|etter|mukaan)\s+", re.IGNORECASE)


_NOT_SPACE_BYTES = re.compile(rb"\S")


def _after_lines(data: bytes, count: int, start: int = 0) -> int | None:
    """Where the line after the first ``count`` lines from ``start`` begins; None if there
    is none."""
    position = start
    for _ in range(count):
        found = data.find(b"\n", position)
        if found == -1:
            return None
        position = found + 1
    return position
