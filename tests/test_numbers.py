from __future__ import annotations

import math

import pandas as pd
import pytest

from urbanscreen.numbers import MixedDecimalMarks, detect_decimal_mark, parse_numbers


def parsed(cells: list[object], decimal: str = ".") -> list[float | None]:
    result = parse_numbers(pd.Series(cells, dtype=object), decimal)
    assert not result.invalid.any(), cells
    return [None if math.isnan(v) else v for v in result.values]


def test_decimal_comma_and_thousands() -> None:
    assert parsed(["45,2", "4 000", "4\u00a0000", "1.234,5", "45,2 %", "−3,5"], ",") == [
        45.2,
        4000.0,
        4000.0,
        1234.5,
        45.2,
        -3.5,
    ]


def test_decimal_point_and_thousands() -> None:
    assert parsed(["45.2", "4,000", "1,234.5", "12%", "+7"], ".") == [45.2, 4000, 1234.5, 12, 7]


def test_workbook_numbers_pass_through() -> None:
    assert parsed([4.8, 4000, 52.0], ",") == [4.8, 4000.0, 52.0]


@pytest.mark.parametrize("marker", ["", "..", ".", "-", "...", "....", ":", "N/A", "n/a", "  ..  "])
def test_missing_markers_are_unknown_not_zero(marker: str) -> None:
    assert parsed([marker, "5"], ",") == [None, 5.0]


def test_none_cells_are_missing() -> None:
    assert parsed([None, 5.0], ".") == [None, 5.0]


@pytest.mark.parametrize("bad", ["ej tillg.", "nan", "inf", "1e999", "12abc", "4,5,6", True])
def test_text_that_is_no_number_is_reported(bad: object) -> None:
    result = parse_numbers(pd.Series([bad, "5"], dtype=object), ",")
    assert result.invalid.tolist() == [True, False]


def test_numeric_dtype_column_is_used_as_is() -> None:
    result = parse_numbers(pd.Series([1.5, float("nan")]), ".")
    assert result.values.iloc[0] == 1.5 and math.isnan(result.values.iloc[1])


def test_detect_decimal_mark_from_unambiguous_cells() -> None:
    assert detect_decimal_mark([pd.Series(["4,000", "45,2"], dtype=object)]) == ","
    assert detect_decimal_mark([pd.Series(["4,000", "45.2"], dtype=object)]) == "."
    assert detect_decimal_mark([pd.Series(["4,000"], dtype=object)], default=",") == ","
    assert detect_decimal_mark([pd.Series(["0,5"], dtype=object)]) == ","
    assert detect_decimal_mark([pd.Series([4.5, 12.0])]) == "."


def test_mixed_decimal_marks_are_refused() -> None:
    with pytest.raises(MixedDecimalMarks):
        detect_decimal_mark([pd.Series(["45,2"], dtype=object), pd.Series(["4.8"], dtype=object)])


@pytest.mark.parametrize("dtype", ["float64", "int64", object])
def test_a_numeric_missing_marker_holds_for_number_columns(dtype: object) -> None:
    # A parquet column (float64, int64) or a workbook column of numbers (object) with
    # the scheme's "-99 means unknown" marker: -99 is unknown there too, not a value.
    result = parse_numbers(pd.Series([-99, 5], dtype=dtype), ".", missing=["-99"])
    assert math.isnan(result.values.iloc[0]) and result.values.iloc[1] == 5.0
    assert not result.invalid.any()


def test_infinity_in_a_number_column_is_reported() -> None:
    result = parse_numbers(pd.Series([float("inf"), 5.0]), ".")
    assert result.invalid.tolist() == [True, False]
    assert math.isnan(result.values.iloc[0])


def test_csv_text_columns_parse_to_pythons_floats() -> None:
    # CSV columns arrive as Arrow-backed strings and are converted by Arrow: the floats
    # must be Python's own (correctly rounded), and unknowns and errors unchanged.
    cells = ["45.2", "+7", ".5", "4,000", "007", "..", "", "1e999", "12abc", "0.1", "2.675"]
    result = parse_numbers(pd.Series(cells, dtype="string[pyarrow]"), ".")
    expected = [45.2, 7.0, 0.5, 4000.0, 7.0, None, None, None, None, 0.1, float("2.675")]
    assert [None if math.isnan(v) else v for v in result.values] == expected
    assert result.invalid.tolist() == [False] * 7 + [True, True, False, False]


# Columns of plain numbers (a CSV read by Arrow) are cast whole; each of these must come
# out exactly as the cell-by-cell path reads the same text.
_WHOLE_COLUMN_CASES = [
    ["45.2", "4000", "+7", ".5", "5.", "0001", "1e3", "-.5e-3", None],
    ["45.2", "nan", "3"],
    ["45.2", "NaN", None],
    ["inf", "3"],
    ["-Infinity", "3"],
    ["1e400", "3"],
    ["4.500", "4.000", "12"],
    ["4.5", "12"],
    ["4,500", "12"],
    [" 45.2", "12 "],
    ["45.2", "..", "12"],
    ["１５６００", "12"],
    [None, None],
]


@pytest.mark.parametrize("cells", _WHOLE_COLUMN_CASES)
@pytest.mark.parametrize("decimal", [".", ","])
@pytest.mark.parametrize("whole", [False, True])
def test_whole_column_cast_matches_cell_by_cell(
    cells: list[str | None], decimal: str, whole: bool
) -> None:
    fast = parse_numbers(pd.Series(cells, dtype="str"), decimal, whole=whole)
    slow = parse_numbers(pd.Series(cells, dtype=object), decimal, whole=whole)
    assert fast.values.tolist() == pytest.approx(slow.values.tolist(), nan_ok=True)
    assert fast.invalid.tolist() == slow.invalid.tolist()
    assert fast.percent_sign == slow.percent_sign


@pytest.mark.parametrize("marker", ["Inf", "Infinity", "-inf", "NaN"])
def test_a_missing_marker_spelled_like_a_special_float_stays_a_marker(marker: str) -> None:
    # Arrow's cast reads "Inf" as infinity; the column's own marker must win, as in Python.
    cells = ["45.2", marker, "3"]
    fast = parse_numbers(pd.Series(cells, dtype="str"), ".", missing=[marker])
    slow = parse_numbers(pd.Series(cells, dtype=object), ".", missing=[marker])
    assert not fast.invalid.any()
    assert fast.values.tolist() == pytest.approx(slow.values.tolist(), nan_ok=True)
    assert math.isnan(fast.values.iloc[1])
