"""Whether a cell holds anything: a blank cell is empty or whitespace only, told
alike in Arrow text (CSV, Parquet) and Python objects (workbooks).

An empty sheet, the header row, the labels filled down and the rows that are areas are all
told by it.
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
        text = pa.chunked_array(pa.array(cells.array))
        blank = [_blank(chunk.cast(pa.large_string())) for chunk in text.chunks]
        filled: np.ndarray = present & ~np.concatenate([np.zeros(0, dtype=bool), *blank])
        return filled
    text = cells.where(cells.notna(), "").astype(str)
    return present & (text.str.strip() != "").to_numpy(dtype=bool)


def _blank(text: pa.LargeStringArray) -> np.ndarray:
    """Where ``text`` is empty or whitespace only. A value that begins with a printable
    ASCII character other than a space is neither: only the few others (none, in most
    columns) are given Arrow's test of every character, the costly part."""
    _, offsets_buffer, data_buffer = text.buffers()
    offsets = np.frombuffer(
        offsets_buffer, dtype=np.int64, count=len(text) + 1, offset=text.offset * 8
    )
    starts = offsets[:-1]
    blank: np.ndarray = starts == offsets[1:]
    if data_buffer is not None and data_buffer.size:
        first = np.frombuffer(data_buffer, dtype=np.uint8)[np.minimum(starts, data_buffer.size - 1)]
        doubtful = ~blank & ((first <= 0x20) | (first >= 0x7F))
        if doubtful.any():
            positions = np.flatnonzero(doubtful)
            spaces = pc.utf8_is_space(text.take(pa.array(positions)))
            blank[positions] = spaces.to_numpy(zero_copy_only=False).astype(bool)
    return blank
