"""Property: whatever a generated CSV holds, accepted codes and numbers come back exactly."""

from __future__ import annotations

import csv
import io
import tempfile
from decimal import Decimal
from pathlib import Path

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import urbanscreen

CRITERIA = urbanscreen.load_criteria("scb-2012")
HEADERS = [
    "Kod",
    "Stadsdel",
    "Förvärvsfrekvens",
    "Långvarigt försörjningsstöd",
    "Gymnasiebehörighet",
    "Folkmängd",
]

codes = st.from_regex(r"\A[0-9]{4}[ABC][0-9]{4}\Z|\A0[0-9]{3}\Z|\A[0-9]{4}R[0-9]{3}\Z")
percents = st.decimals(min_value=0, max_value=100, places=1)
counts = st.integers(min_value=0, max_value=10_000_000)


def written(value: Decimal | int, decimal: str, thousands: str) -> str:
    """A number as a person or a spreadsheet program might write it."""
    if isinstance(value, int):
        grouped = f"{value:,}"
        return grouped.replace(",", thousands) if thousands else str(value)
    return str(value).replace(".", decimal)


rows = st.lists(
    st.tuples(codes, percents, percents, percents, counts),
    min_size=1,
    max_size=15,
    unique_by=lambda row: row[0],
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=rows,
    style=st.sampled_from(
        [(";", ",", " "), (";", ",", "."), (",", ".", ""), ("\t", ",", "\u00a0"), (",", ".", ",")]
    ),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1"]),
)
def test_codes_and_numbers_round_trip(
    rows: list[tuple[str, Decimal, Decimal, Decimal, int]],
    style: tuple[str, str, str],
    encoding: str,
) -> None:
    separator, decimal, thousands = style
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerow(HEADERS)
    for code, ff, lfs, gb, pop in rows:
        writer.writerow(
            [code, f"Område {code}", *(written(v, decimal, thousands) for v in (ff, lfs, gb, pop))]
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "generated.csv"
        path.write_bytes(buffer.getvalue().encode(encoding))
        # The decimal mark is detected, not told.
        table = urbanscreen.load_table(path, CRITERIA, percent_scale="percent")
    frame = table.frame
    assert frame["id"].tolist() == [row[0] for row in rows]
    for column, position in (
        ("forvarvsfrekvens", 1),
        ("langvarigt_forsorjningsstod", 2),
        ("gymnasiebehorighet", 3),
        ("folkmangd", 4),
    ):
        assert frame[column].tolist() == [float(row[position]) for row in rows]


@given(
    st.lists(st.one_of(st.integers(0, 8).map(float), st.just(float("nan"))), max_size=60),
    st.integers(1, 20),
)
def test_nearest_areas_are_those_a_full_sort_picks(values: list[float], count: int) -> None:
    # The summary's "nearest a threshold" uses a partial sort: same areas, same order.
    from urbanscreen.result import _smallest

    array = np.array(values, dtype=float)
    expected = np.argsort(array, kind="stable")[:count]
    assert _smallest(array, count).tolist() == expected.tolist()


# Ids alike but for a byte, a NUL where padding would go, letters past ASCII, lengths either
# side of the keyed width: what could fool a key per id.
_id_pieces = st.sampled_from(["0114A001", "0", "1", "\0", "_DeSO2025", "å", "R", " ", "x" * 9])
_ids = st.lists(st.lists(_id_pieces, max_size=5).map("".join), min_size=2, max_size=40)


@settings(deadline=None)
@given(ids=_ids, data=st.data())
def test_ids_are_distinct_exactly_when_no_two_are_alike(
    ids: list[str], data: st.DataObject
) -> None:
    import pyarrow as pa

    from urbanscreen.area_ids import _all_distinct

    cut = data.draw(st.integers(0, len(ids)))
    chunks = pa.chunked_array([pa.array(ids[:cut], pa.large_string()), ids[cut:]])
    assert _all_distinct(chunks) == (len(set(ids)) == len(ids))


# Blanks, spaces of every kind, control characters, letters past ASCII, and a DEL.
_cell_pieces = st.sampled_from(
    [
        "",
        " ",
        "\t",
        "\n",
        "\x1c",
        "\x00",
        "\x7f",
        "\u00a0",
        "\u2009",
        "\u3000",
        "\u0085",
        "1",
        "å",
        "-",
    ]
)


def _arrow_text(values: list[str | None], cut: int) -> pd.Series:
    """``values`` as a CSV column is read: Arrow text in blocks, here two, each a slice of a
    larger array (so its offsets do not begin at 0), the first ``cut`` values in the first."""
    import pyarrow as pa

    from urbanscreen.numbers import ARROW_TEXT

    whole = pa.array(["x", *values, " "], pa.large_string())
    chunks = pa.chunked_array([whole.slice(1, cut), whole.slice(1 + cut, len(values) - cut)])
    return pd.Series(pd.arrays.ArrowStringArray(chunks), dtype=ARROW_TEXT)


@settings(deadline=None)
@given(
    values=st.lists(st.none() | st.lists(_cell_pieces, max_size=4).map("".join), max_size=30),
    data=st.data(),
)
def test_blank_cells_are_those_arrow_finds_blank(
    values: list[str | None], data: st.DataObject
) -> None:
    # The quick blank test agrees with Arrow's test of every character, on every cell.
    import pyarrow as pa
    import pyarrow.compute as pc

    from urbanscreen.blanks import filled_cells

    column = _arrow_text(values, data.draw(st.integers(0, len(values))))
    text = pa.array(values, pa.large_string())
    blank = pc.or_(pc.equal(pc.binary_length(text), 0), pc.utf8_is_space(text))
    expected = [v is not None and not b for v, b in zip(values, blank.to_pylist(), strict=True)]
    assert filled_cells(column).tolist() == expected


# Mostly nothing around an id, sometimes a space of some kind, a letter past ASCII, a DEL.
_id_edges = st.sampled_from(["", "", "", "", " ", "\t", "\u00a0", "\u3000", "å", "\x7f", "x"])
_id_cells = st.tuples(_id_edges, st.sampled_from(["0114A0010", "1", "-", ""]), _id_edges)


@settings(deadline=None)
@given(
    values=st.lists(_id_cells.map("".join) | st.none(), min_size=1, max_size=30),
    data=st.data(),
)
def test_ids_read_from_text_are_its_values_stripped(
    values: list[str | None], data: st.DataObject
) -> None:
    # Ids left as they are when nothing is there to strip are those stripping gives.
    from urbanscreen.area_ids import _id_text

    column = _arrow_text(values, data.draw(st.integers(0, len(values))))
    stripped = column.str.strip()
    expected = stripped.where(stripped != "")
    ids = _id_text(column)
    assert ids.dtype == expected.dtype
    assert ids.isna().tolist() == expected.isna().tolist()
    assert ids.dropna().tolist() == expected.dropna().tolist()
