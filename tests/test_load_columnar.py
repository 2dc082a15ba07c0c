"""The load path's columnar shortcuts against their definitions, written out naively."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from urbanscreen.area_rows import _NOTE, _warn_about_non_areas, area_rows
from urbanscreen.columns import ID, NAME, ROW
from urbanscreen.errors import Issue, Location, ValueOutOfRangeError
from urbanscreen.headers import ColumnMatch
from urbanscreen.indicators import WHOLE_TOLERANCE, CellColumn, _whole
from urbanscreen.messages import Few, message
from urbanscreen.numbers import ARROW_TEXT
from urbanscreen.readers import RawTable, SourceInfo

SOURCE = SourceInfo(path=Path("areas.csv"), sha256="0" * 64, format="csv")

counts = st.one_of(
    st.integers(-(10**9), 10**9).map(float),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 2.5, 1e-7, 3 + 1e-7, 4 - 5e-7, 7.000002]),
)


@given(st.lists(counts, max_size=20), st.sampled_from([0, 65_530]))
def test_a_count_is_rounded_or_refused_as_by_its_definition(
    values: list[float], padding: int
) -> None:
    """Each value rounded, the first further than the tolerance from it refused; a long
    run of whole counts before them (past one block) changes nothing."""
    numbers = np.array([1.0] * padding + values, dtype="float64")
    column = CellColumn(
        cells=pd.Series(numbers),
        rows=pd.Series(np.arange(len(numbers)) + 2),
        headers="Folkmängd",
    )
    far = [
        padding + position
        for position, value in enumerate(values)
        if abs(value - round(value) if np.isfinite(value) else 0.0) > WHOLE_TOLERANCE
    ]
    if far:
        with pytest.raises(ValueOutOfRangeError) as raised:
            _whole(pd.Series(numbers), column, SOURCE)
        assert raised.value.location.row == far[0] + 2
        return
    got = _whole(pd.Series(numbers, name="c"), column, SOURCE)
    expected = np.round(numbers)
    assert got.name == "c"
    assert np.array_equal(got.to_numpy(), expected, equal_nan=True)
    assert np.array_equal(np.signbit(got.to_numpy()), np.signbit(expected))


cells = st.sampled_from(["", " ", "\u00a0", "x", "0114A0010", "12", "Källa: SCB", "Anm."])


@given(st.lists(st.tuples(cells, cells, cells, cells), max_size=12), st.booleans())
def test_areas_are_the_rows_the_definition_names(
    body_rows: list[tuple[str, str, str, str]], arrow: bool
) -> None:
    """Columns: id, name, a number, a comment. A row is an area when named and with values
    or inside the table; the table ends at a blank row after the last row with values, and
    a note there ends it too."""
    frame = pd.DataFrame(body_rows, columns=range(4), dtype=ARROW_TEXT if arrow else object)
    matches = {ID: ColumnMatch(0, "DeSO"), NAME: ColumnMatch(1, "Namn")}

    def filled(cell: str) -> bool:
        return bool(cell.strip())

    named = [filled(row[0]) or filled(row[1]) for row in body_rows]
    values = [filled(row[2]) for row in body_rows]
    anything = [any(filled(cell) for cell in row) for row in body_rows]
    last = max((r for r, v in enumerate(values) if v), default=-1)
    gap = min((r for r in range(last + 1, len(body_rows)) if not anything[r]), default=None)
    expected = []
    for r, row in enumerate(body_rows):
        first_text = next((cell for cell in row if filled(cell)), "")
        below = r > last and (
            (gap is not None and r > gap) or (not values[r] and bool(_NOTE.match(first_text)))
        )
        expected.append(named[r] and (values[r] or not below))
    skipped = [r + 2 for r in range(len(body_rows)) if anything[r] and not expected[r]]

    issues: list[Issue] = []
    rows = pd.Series(np.arange(len(body_rows)) + 2)
    raw = RawTable(
        headers=["DeSO", "Namn", "Folkmängd", "Anm"], body=frame, first_row=2, source=SOURCE
    )
    keep = area_rows(frame, matches, [2], rows, raw, issues)
    assert keep.tolist() == expected
    said = [str(issue) for issue in issues]
    assert bool(said) == bool(skipped)
    if skipped:
        assert ", ".join(map(str, skipped[:5])) in said[0]


def levels_as_before(ids: pd.Series) -> pd.Series:
    """Every id's level, None where its code has no known shape: one object per id, as the
    levels were told before only ids of a code's length were looked at."""
    from urbanscreen.area_ids import _LEVELS

    text = ids.astype(ARROW_TEXT).reset_index(drop=True)
    levels = np.full(len(ids), None, dtype=object)
    left = text
    for level, pattern in _LEVELS.items():
        hits = left.str.fullmatch(pattern.pattern, case=False).fillna(False).astype(bool)
        levels[hits.index[hits.to_numpy()]] = level
        left = left[~hits]
    return pd.Series(levels, index=ids.index, dtype=object)


code_parts = st.sampled_from(["0", "00", "01", "1480", "A", "c", "R", "001", "0010", "_DeSO2025"])
codes = st.lists(code_parts, min_size=1, max_size=4).map("".join)


@given(st.lists(codes, min_size=1, max_size=30))
def test_mixed_levels_are_said_as_by_every_ids_level(ids: list[str]) -> None:
    """The warning names the ids whose level is not the most common one, as when every
    id's level was told, the ids of no code's length among them."""
    areas = pd.DataFrame(
        {ID: pd.Series(ids, dtype=ARROW_TEXT), ROW: range(2, len(ids) + 2), NAME: None}
    )
    issues: list[Issue] = []
    _warn_about_non_areas(areas, SOURCE, issues)
    levels = levels_as_before(areas[ID])
    counts = levels.value_counts()
    if len(counts) < 2:
        assert issues == []
        return
    usual = str(counts.index[0])
    odd = [r for r, level in enumerate(levels) if level is not None and level != usual]
    listed = Few(tuple(message("on-row", what=repr(ids[r]), row=r + 2) for r in odd[:3]), limit=3)
    expected = message("mixed-levels", level=message(f"level/{usual}"), n=len(odd), rows=listed)
    assert [issue.text("en") for issue in issues] == [
        Issue.of(expected, Location(file=SOURCE.path)).text("en")
    ]


@given(st.lists(st.one_of(st.none(), st.floats(-2, 2), st.sampled_from([0.0, 1.0, -0.0]))))
def test_a_column_is_within_zero_one_as_its_known_values_are(values: list[float | None]) -> None:
    from decimal import Decimal

    from urbanscreen.criteria.model import Criterion
    from urbanscreen.indicators import Indicator

    series = pd.Series([np.nan if v is None else v for v in values], dtype="float64")
    share = Criterion.model_validate(
        {
            "id": "c",
            "label": "C",
            "column": "C",
            "unit": "percent",
            "op": ">",
            "threshold": Decimal(1),
        }
    )
    cells = CellColumn(cells=series, rows=pd.Series(range(2, len(values) + 2)), headers="C")
    indicator = Indicator(criterion=share, column=cells, values=series, percent_in_cells=False)
    known = [v for v in values if v is not None]
    assert indicator.within_zero_one == (bool(known) and min(known) >= 0 and max(known) <= 1)


@given(st.lists(st.one_of(st.none(), st.floats(width=64))))
def test_finite_is_every_present_value_finite(values: list[float | None]) -> None:
    from urbanscreen.numbers import _finite

    array = np.array([np.nan if v is None else v for v in values], dtype="float64")
    missing = sum(v is None for v in values)
    assert _finite(array, missing) == all(np.isfinite(v) for v in values if v is not None)
