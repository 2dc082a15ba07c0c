"""The rows of a CSV file below its header, read by one parser: Arrow's.

Arrow reads the body in blocks on every core, every cell as text, straight from the
file's UTF-8 bytes. A blank line is a row of empty cells, as a spreadsheet shows it. Rows
whose fields do not match the header come back through Arrow's invalid-row handler: a
row with more fields is an error at its row; a row with fewer (a line cut short, a note
below the table) keeps its place with its missing fields empty, and is listed so that
the table can say so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa
from pyarrow import csv as arrow_csv

from urbanscreen.errors import InputFileError, Location
from urbanscreen.messages import message
from urbanscreen.numbers import ARROW_TEXT

if TYPE_CHECKING:
    from pyarrow.csv import InvalidRow

_NOT_SPACE = re.compile(rb"\S")
# pandas' text type holds Arrow's large strings: read as such, a column needs no cast.
_TEXT = pa.large_string()


@dataclass(frozen=True)
class CsvBody:
    """Cells of the body rows in positional columns (Arrow text), and the rows with fewer
    fields than the header's named columns, as (position, fields)."""

    cells: pd.DataFrame
    short_rows: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class BodyLayout:
    """Where the body is and how it is split: ``start`` is the byte where its first row
    begins in ``data`` (UTF-8); ``width`` the header's fields, ``named`` those up to its
    last named column (a header's trailing separator names none); ``first_row`` the file
    row of the first body row, for messages."""

    separator: str
    start: int
    width: int
    named: int
    first_row: int
    location: Location


def read_body(data: bytes, layout: BodyLayout) -> CsvBody:
    """The body of a CSV file (see the module's docstring)."""
    names = [str(i) for i in range(layout.width)]
    if _NOT_SPACE.search(data, layout.start) is None:
        return CsvBody(_frame(pa.table({name: pa.array([], _TEXT) for name in names})))
    refused: list[InvalidRow] = []
    table = _parse(data, layout, refused, in_parallel=True)
    if not refused:
        body = CsvBody(_frame(table))
    else:
        # Rows are numbered only when one thread reads them all: read again so, and put
        # each refused row back in its place.
        refused.clear()
        table = _parse(data, layout, refused, in_parallel=False)
        body = _with_rows_put_back(table, refused, layout)
    _refuse_open_quote(data, body.cells, layout)
    return body


def _refuse_open_quote(data: bytes, cells: pd.DataFrame, layout: BodyLayout) -> None:
    """Refuse a quote never closed: Arrow reads the rest of the file into its last row's
    value, and the rows it swallowed would be lost without a word. That value, its quotes
    doubled again, is then what the file ends with, right after the opening quote."""
    if cells.empty or data.find(b'"', layout.start) == -1:
        return
    last = next((str(cell) for cell in reversed(cells.iloc[-1].tolist()) if str(cell)), None)
    if last is None:
        return
    raw = last.rstrip("\n").replace('"', '""').encode("utf-8")
    ending = data.rstrip(b"\n")
    if len(ending) - len(raw) - 1 >= layout.start and ending.endswith(b'"' + raw):
        raise InputFileError(
            message("unreadable-file/open-quote"),
            location=Location(file=layout.location.file, row=layout.first_row + len(cells) - 1),
            hint=message("hint/open-quote"),
        )


def _parse(
    data: bytes, layout: BodyLayout, refused: list[InvalidRow], *, in_parallel: bool
) -> pa.Table:
    def refuse(row: InvalidRow) -> str:
        refused.append(row)
        return "skip"

    names = [str(i) for i in range(layout.width)]
    body = pa.py_buffer(data).slice(layout.start)
    parse = arrow_csv.ParseOptions(
        delimiter=layout.separator,
        # Arrow splits the body into blocks at newlines: safe only without quotes.
        newlines_in_values=data.find(b'"', layout.start) != -1,
        ignore_empty_lines=False,
        invalid_row_handler=refuse,
    )
    convert = arrow_csv.ConvertOptions(
        column_types=dict.fromkeys(names, _TEXT),
        strings_can_be_null=False,
        quoted_strings_can_be_null=False,
    )
    read = arrow_csv.ReadOptions(column_names=names, use_threads=in_parallel)
    try:
        return arrow_csv.read_csv(
            pa.BufferReader(body), read_options=read, parse_options=parse, convert_options=convert
        )
    except pa.ArrowInvalid:
        # A row longer than Arrow's block (a 30 MB note): read the body as one block.
        refused.clear()
        read.block_size = max(body.size, 1)
        try:
            return arrow_csv.read_csv(
                pa.BufferReader(body),
                read_options=read,
                parse_options=parse,
                convert_options=convert,
            )
        except pa.ArrowInvalid as exc:
            raise InputFileError(
                f"cannot be parsed as CSV: {exc}", location=layout.location
            ) from exc


def _with_rows_put_back(table: pa.Table, refused: list[InvalidRow], layout: BodyLayout) -> CsvBody:
    """``table`` with the ``refused`` rows (numbered from 1 in the body) back in their places,
    their missing fields empty; a row with more fields than the header is refused."""
    longer = next((row for row in refused if row.actual_columns > layout.width), None)
    if longer is not None:
        raise InputFileError(
            message("unreadable-file/fields", fields=longer.actual_columns, width=layout.width),
            location=Location(file=layout.location.file, row=layout.first_row + longer.number - 1),
            hint=message("hint/separator-in-value"),
        )
    positions = np.array([row.number - 1 for row in refused], dtype=np.int64)
    padded, order = _padded(refused, layout)
    placed = np.zeros(table.num_rows + len(refused), dtype=bool)
    placed[positions] = True
    take = np.empty(len(placed), dtype=np.int64)
    take[~placed] = np.arange(table.num_rows)
    take[placed] = table.num_rows + order
    whole = pa.concat_tables([table, *padded]).take(pa.array(take))
    short = tuple(
        (int(position), row.actual_columns)
        for position, row in zip(positions, refused, strict=True)
        if row.actual_columns < layout.named
    )
    return CsvBody(_frame(whole), short)


def _padded(refused: list[InvalidRow], layout: BodyLayout) -> tuple[list[pa.Table], np.ndarray]:
    """The short rows read again by Arrow, those with as many fields at once, and padded
    with empty cells to the header's width; and, for each refused row in order, its place
    among the tables' rows one after another."""
    names = [str(i) for i in range(layout.width)]
    tables: list[pa.Table] = []
    order = np.empty(len(refused), dtype=np.int64)
    done = 0
    for fields in sorted({row.actual_columns for row in refused}):
        members = [i for i, row in enumerate(refused) if row.actual_columns == fields]
        text = "\n".join(refused[i].text for i in members).encode("utf-8")
        own = [str(i) for i in range(fields)]
        read = arrow_csv.read_csv(
            pa.BufferReader(text),
            read_options=arrow_csv.ReadOptions(
                column_names=own, use_threads=False, block_size=len(text) + 1
            ),
            parse_options=arrow_csv.ParseOptions(
                delimiter=layout.separator, newlines_in_values=True, ignore_empty_lines=False
            ),
            convert_options=arrow_csv.ConvertOptions(
                column_types=dict.fromkeys(own, _TEXT),
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
        empty = pa.array([""] * len(members), _TEXT)
        columns = [*read.columns, *[empty] * (layout.width - fields)]
        tables.append(pa.table(columns, names=names))
        order[members] = done + np.arange(len(members))
        done += len(members)
    return tables, order


def _frame(table: pa.Table) -> pd.DataFrame:
    frame: pd.DataFrame = table.to_pandas(types_mapper={_TEXT: ARROW_TEXT}.get)
    frame.columns = pd.RangeIndex(table.num_columns)
    return frame
