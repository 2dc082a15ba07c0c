"""Whether a cell holds anything: a blank cell is empty or whitespace only, told
alike in Arrow text (CSV, Parquet) and Python objects (workbooks).

An empty sheet, the header row, the labels filled down and the rows that are areas are all
told by it. Arrow text is told by the bytes at each end of its values first, which settles
nearly every value; only the rest are looked at whole.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from urbanscreen.numbers import is_arrow_text


def is_filled(cell: object) -> bool:
    """Whether one cell holds something: not missing (None, NaN, pd.NA), not blank text."""
    if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
        return False  # pd.NA: a gap in a nullable column (Parquet's Int64)
    return not (isinstance(cell, str) and not cell.strip())


def filled_mask(body: pd.DataFrame) -> pd.DataFrame:
    """True where a cell holds something other than whitespace."""
    return pd.DataFrame(
        {column: filled_cells(body[column]) for column in body},
        index=body.index,
        columns=body.columns,
    )


def filled_cells(cells: pd.Series) -> np.ndarray:
    present = cells.notna().to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(cells.dtype):
        # Parquet's nullable Int64 takes no "" in its gaps; a number is never blank anyway.
        return present
    if is_arrow_text(cells):
        text = pa.chunked_array(pa.array(cells.array)).cast(pa.large_string())
        blank = [_blank(chunk) for chunk in text.chunks]
        filled: np.ndarray = present & ~np.concatenate([np.zeros(0, dtype=bool), *blank])
        return filled
    text = cells.where(cells.notna(), "").astype(str)
    return present & (text.str.strip() != "").to_numpy(dtype=bool)


def trimmed(cells: pd.Series) -> bool:
    """Whether Arrow text ``cells`` are all there, none empty and none with spaces to strip
    at either end: then stripping them would give them back unchanged. Told by the bytes
    at each end: printable ASCII other than a space at both proves it."""
    if not is_arrow_text(cells) or cells.hasnans:
        return False
    text = pa.chunked_array(pa.array(cells.array)).cast(pa.large_string())
    for chunk in text.chunks:
        empty, first, last = _ends(chunk)
        if empty.any() or not (_printable(first) & _printable(last)).all():
            return False
    return True


def _blank(text: pa.LargeStringArray) -> np.ndarray:
    """Where ``text`` is empty or whitespace only. A value that begins with a printable
    ASCII character other than a space is neither: only the few others (none, in most
    columns) are given Arrow's test of every character, the costly part."""
    blank, first, _ = _ends(text)
    doubtful = ~blank & ~_printable(first)
    if doubtful.any():
        positions = np.flatnonzero(doubtful)
        spaces = pc.utf8_is_space(text.take(pa.array(positions)))
        blank[positions] = spaces.to_numpy(zero_copy_only=False).astype(bool)
    return blank


def _ends(text: pa.LargeStringArray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which values are empty, and each value's first and last byte (of an empty one: any)."""
    _, offsets_buffer, data_buffer = text.buffers()
    if len(text) == 0 or data_buffer is None or data_buffer.size == 0:
        nothing = np.zeros(len(text), dtype=np.uint8)
        return np.ones(len(text), dtype=bool), nothing, nothing
    offsets = np.frombuffer(
        offsets_buffer, dtype=np.int64, count=len(text) + 1, offset=text.offset * 8
    )
    data = np.frombuffer(data_buffer, dtype=np.uint8)
    starts, ends = offsets[:-1], offsets[1:]
    empty: np.ndarray = starts == ends
    # Clipped as they are gathered (an empty value's end may point past the data, or
    # before it): no clipped copy of every offset.
    first = data.take(starts, mode="clip")
    last = data.take(ends - 1, mode="clip")
    return empty, first, last


def _printable(byte: np.ndarray) -> np.ndarray:
    """Printable ASCII other than a space: never whitespace, nor part of a longer character."""
    printable: np.ndarray = (byte > 0x20) & (byte < 0x7F)
    return printable
