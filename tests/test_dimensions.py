"""The pure parts of dimensions.py: totals by name, sums over breakdowns (against a naive
oracle), --where parsing."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from urbanscreen.dimensions import is_total, parse_where, sum_over_breakdowns
from urbanscreen.errors import OptionError


@pytest.mark.parametrize(
    "value",
    [
        "Total",
        "totalt",
        "Samtliga",
        "alla",
        "both sexes",
        "Totalt alla åldrar",
        "All ages",
        "Varer i alt",
        "0-9 Total",
        "Alle transportmåter",
    ],
)
def test_totals_by_name(value: str) -> None:
    assert is_total(value)


@pytest.mark.parametrize("value", ["20-24 år", "single", "Allingsås", "totalförsvar", "38"])
def test_not_totals(value: str) -> None:
    assert not is_total(value)


def test_where_forms() -> None:
    assert parse_where(["marital status = single", "age=28"]) == {
        "marital status": "single",
        "age": "28",
    }
    assert parse_where(["x=a=b"]) == {"x": "a=b"}
    with pytest.raises(OptionError, match="twice"):
        parse_where(["age=1", "age=2"])


records = st.lists(
    st.tuples(
        st.sampled_from(["A", "B"]),
        st.sampled_from(["c1", "c2"]),
        st.sampled_from([2021, None]),
        st.one_of(st.none(), st.integers(0, 1000).map(float)),
    ),
    min_size=1,
    max_size=30,
)


@given(records)
def test_sums_match_a_naive_sum(rows: list[tuple[str, str, int | None, float | None]]) -> None:
    long = pd.DataFrame(rows, columns=["id", "criterion", "year", "value"])
    long["value"] = long["value"].astype("float64")
    long["row"] = range(len(long))
    summed = sum_over_breakdowns(long, ["id", "criterion", "year"])
    expected: dict[tuple[str, str, int | None], float | None] = {}
    for area, criterion, year, value in rows:
        key = (area, criterion, year)
        before = expected.get(key, 0.0)
        # One unknown part makes the sum unknown.
        expected[key] = None if before is None or value is None else before + value
    got = {
        (r.id, r.criterion, None if pd.isna(r.year) else int(r.year)): (
            None if math.isnan(r.value) else r.value
        )
        for r in summed.itertuples()
    }
    assert got == expected
    assert len(summed) == len(expected)
