"""Tables a program already holds: a pandas DataFrame or a pyarrow Table, read like a sheet.

A notebook or a pipeline hands urbanscreen its frame; the frame goes through the same
column matching, typing and checks as a file. Its column names are the header row, and
rows are numbered as a sheet would show them (header row 1, the first data row 2), so a
message's "row 5" is the frame's fourth row (``frame.iloc[3]``).
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TypeAlias

import pandas as pd
import pyarrow as pa

from urbanscreen.errors import InputFileError, Location, OptionError
from urbanscreen.readers import HeaderFinder, RawTable, SourceInfo, read_raw

# What a frame is called where a file would be named: messages, the JSON input.path.
FRAME_PATH = Path("<DataFrame>")
FRAME_FORMAT = "dataframe"

TableSource: TypeAlias = str | Path | pd.DataFrame | pa.Table
"""A file to read, or a table in memory (pandas DataFrame, pyarrow Table)."""


def read_source(
    source: TableSource, find_header: HeaderFinder, *, sheet: str | None = None
) -> RawTable:
    """Header and body cells of a file (see :func:`~urbanscreen.readers.read_raw`) or of a
    frame in memory."""
    if isinstance(source, pa.Table):
        source = source.to_pandas()
    if isinstance(source, pd.DataFrame):
        if sheet is not None:
            raise OptionError(
                "a sheet applies to workbooks, but this is a DataFrame",
                location=Location(file=FRAME_PATH),
                hint="leave out sheet=",
            )
        return read_frame(source)
    return read_raw(Path(source), find_header, sheet=sheet)


def source_path(source: TableSource) -> Path:
    """The path messages name for ``source``."""
    return FRAME_PATH if isinstance(source, pd.DataFrame | pa.Table) else Path(source)


def read_frame(frame: pd.DataFrame) -> RawTable:
    """A DataFrame as a sheet: its columns are the header, its rows the body.

    A named index (``df.set_index("id")``) is a column like any other; the unnamed
    default index is row numbering and is left out."""
    if any(name is not None for name in frame.index.names):
        frame = frame.reset_index()
    headers: list[object] = [str(column) for column in frame.columns]
    body = frame.reset_index(drop=True)
    body.columns = pd.RangeIndex(len(headers))
    return RawTable(
        headers=headers,
        body=body,
        first_row=2,
        source=SourceInfo(path=FRAME_PATH, sha256=_digest(headers, body), format=FRAME_FORMAT),
    )


def _digest(headers: list[object], body: pd.DataFrame) -> str:
    """SHA-256 of the header and the cells, so a saved result still names its input."""
    digest = hashlib.sha256("\x1f".join(map(str, headers)).encode("utf-8"))
    try:
        hashes = pd.util.hash_pandas_object(body, index=False)
    except TypeError as exc:  # a cell holding a list or a dict: not a table of values
        raise InputFileError(
            f"holds a cell that is not a single value ({exc})",
            location=Location(file=FRAME_PATH),
            hint="give one number or text per cell",
        ) from exc
    digest.update(hashes.to_numpy().tobytes())
    return digest.hexdigest()
