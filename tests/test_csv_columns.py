"""Differential tests of the columnar CSV writer: whole columns rounded and written as text
agree, cell for cell, with the definition written out one value at a time; fields and
lines agree with Python's csv module."""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.cli import app
from urbanscreen.render.csvtext import lines, text_fields
from urbanscreen.render.number_columns import number_texts, round_half_even, rounded_column
from urbanscreen.render.tabular import to_csv
from urbanscreen.render.values import rounding_misleads

from .conftest import DATA, SAMPLE, SCB_HEADERS, scb_row, write_csv


def cell_text(
    value: float, decimals: int, threshold: float | None, whole: bool, decimal: str
) -> str | None:
    """The definition, one value at a time: rounded to ``decimals`` unless that puts it on
    or across its threshold; whole (a count, or no decimals) as an integer where it is
    one; else Python's repr with "12.0" as "12"; in the report's decimal mark."""
    if math.isnan(value):
        return None
    if not rounding_misleads(value, threshold, decimals):
        value = round(value, decimals)
    if whole and value.is_integer():
        text = str(int(value))
    else:
        text = repr(value).removesuffix(".0") if value.is_integer() else repr(value)
    return text.replace(".", decimal)


# Thresholds as criteria files write them: a few decimals, sometimes none at all.
thresholds = st.one_of(
    st.none(),
    st.builds(lambda k, places: k / 10**places, st.integers(-(10**7), 10**7), st.integers(0, 4)),
)
# Values beside a threshold: on it, a step of the shown precision (or a sliver) off it,
# halfway between two shown values, and a neighbouring double.
offsets = st.one_of(
    st.just(0.0),
    st.builds(
        lambda k, scale: k * scale,
        st.integers(-30, 30),
        st.sampled_from([1.0, 0.5, 0.1, 0.05, 0.01, 0.005, 1e-3, 5e-4, 1e-6, 1e-9, 5e-10, 1e-12]),
    ),
)
anything = st.floats(allow_nan=True, allow_infinity=True)
extremes = st.sampled_from(
    [0.0, -0.0, 1e-4, 9.999e-5, 1e-300, 5e-324, 1e10, 9999999999.9, 1e16, 2.0**53, 2.0**63,
     -(2.0**63), 1.8e19, 1e22, 1e300, 1.7976931348623157e308, math.inf, -math.inf, math.nan]
)  # fmt: skip


@st.composite
def cells(draw: st.DrawFn) -> tuple[float, float | None]:
    threshold = draw(thresholds)
    kind = draw(st.sampled_from(["near", "anything", "extreme"]))
    if kind == "near":
        value = (threshold or 0.0) + draw(offsets)
        if draw(st.booleans()):  # the next double up or down
            value = float(np.nextafter(value, draw(st.sampled_from([-math.inf, math.inf]))))
    elif kind == "anything":
        value = draw(anything)
    else:
        value = draw(extremes)
    return value, threshold


@settings(max_examples=400, deadline=None)
@given(
    column=st.lists(cells(), min_size=1, max_size=40),
    decimals=st.integers(0, 9),
    whole=st.booleans(),
    decimal=st.sampled_from([".", ","]),
)
@example(column=[(2.675, None), (0.125, None), (-0.04, None), (1.005, None)], decimals=2,
         whole=False, decimal=".")  # fmt: skip
@example(column=[(51.96, 52.0), (52.04, 52.0), (4.75, 4.8), (4.849, 4.8)], decimals=1,
         whole=False, decimal=",")  # fmt: skip
@example(column=[(-0.4, None), (1e16, None), (2.0**63, None), (12.5, 12.5)], decimals=0,
         whole=True, decimal=",")  # fmt: skip
@example(column=[(0.0, None), (-0.0, None), (-0.01, None), (0.0, None)], decimals=1,
         whole=False, decimal=".")  # fmt: skip
def test_columns_are_written_as_each_value_by_definition(
    column: list[tuple[float, float | None]], decimals: int, whole: bool, decimal: str
) -> None:
    values = np.array([value for value, _ in column], dtype=np.float64)
    limits = np.array([math.nan if t is None else t for _, t in column], dtype=np.float64)
    texts = number_texts(rounded_column(values, decimals, limits), whole, decimal).to_pylist()
    expected = [cell_text(v, decimals, t, whole, decimal) for v, t in column]
    assert texts == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(anything, cells().map(lambda cell: cell[0])), max_size=40),
       st.integers(0, 9))  # fmt: skip
def test_a_column_rounds_as_python_rounds_each_value(values: list[float], decimals: int) -> None:
    rounded = round_half_even(np.array(values, dtype=np.float64), decimals).tolist()
    expected = [round(value, decimals) for value in values]
    # Equal, with the sign of a zero and NaN where they were.
    assert [(repr(a), math.copysign(1, a)) for a in rounded] == [
        (repr(b), math.copysign(1, b)) for b in expected
    ]


texts = st.one_of(
    st.none(),
    st.text(alphabet=st.sampled_from(list("ab ;,\"'\r\n\t=+-@0.–≥ÅÄö")), max_size=8),
    st.text(max_size=6),
)


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(st.lists(texts, min_size=2, max_size=2), min_size=1, max_size=6),
    separator=st.sampled_from([";", ","]),
)
def test_fields_and_lines_are_what_the_csv_module_writes(
    rows: list[list[str | None]], separator: str
) -> None:
    formula = ("=", "+", "-", "@", "\t", "\r")
    expected = io.StringIO()
    writer = csv.writer(expected, delimiter=separator, lineterminator="\r\n")
    writer.writerows(
        ["" if cell is None else "'" + cell if cell.startswith(formula) else cell for cell in row]
        for row in rows
    )
    columns = [
        text_fields(pa.array(column, pa.string()), separator) for column in zip(*rows, strict=True)
    ]
    assert lines(columns, separator) == expected.getvalue()


def test_a_code_or_name_that_looks_like_a_number_is_written_as_it_is(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    # A census tract "1011.10" is a name, not a number: the Swedish decimal comma is for
    # numbers only.
    rows = [["Kod", *SCB_HEADERS], ["1011.10", *scb_row("2.5", ff=44.25)]]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    text = to_csv(urbanscreen.screen(table, criteria), "sv")
    row = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))[1]
    assert row[:2] == ["1011.10", "2.5"]
    assert row[5] == "44,2"  # 44.25 to one decimal, as Python rounds it (half to even)


@pytest.mark.parametrize(
    ("args", "headers"),
    [
        # Districts built from areas, a count suppressed: numerators, denominators and bounds.
        (
            ["--districts", str(SAMPLE / "districts-goteborg.toml")],
            ["Small areas", "Employment rate: numerator (sum)", "Employment rate: low"],
        ),
        # An index in tiers and an outcome.
        (
            ["--criteria", "se-omradestyper"],
            ["Socioeconomic index: tier", "Socioeconomic challenges (type 1 or 2)"],
        ),
        # The population floor's flag.
        (["--population-floor", "5000"], ["Uncertain (few residents)"]),
    ],
)
def test_every_row_has_a_field_under_every_header(
    tmp_path: Path, runner: CliRunner, args: list[str], headers: list[str]
) -> None:
    # The headers and the fields are built apart (district_headers, district_fields): a
    # column added to one only would shift every figure under the wrong header.
    deso = (SAMPLE / "deso-goteborg.csv").read_text(encoding="utf-8")
    data = tmp_path / "deso.csv"
    data.write_text(deso.replace("1480C3010;2400;1400;600;", "1480C3010;2400;1400;..;"))
    source = {"--districts": data, "--criteria": DATA / "se_deso.csv"}.get(
        args[0], SAMPLE / "districts.xlsx"
    )
    printed = runner.invoke(app, ["check", str(source), *args, "-f", "csv", "--lang", "en"])
    assert printed.exit_code == 0, printed.stderr
    rows = list(csv.reader(io.StringIO(printed.stdout.removeprefix("\ufeff"))))
    assert set(headers) <= set(rows[0])
    assert len(rows) > 2
    assert {len(row) for row in rows} == {len(rows[0])}
