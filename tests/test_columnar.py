"""The columnar evaluation against brute force, one area at a time, from the definitions.

Kleene "at least k of" (README, "Three-valued results"), the noise rule (a value within a
relative 1e-9 of its threshold counts as equal to it: :mod:`urbanscreen.noise`), the
margin (the signed distance to the threshold, positive on the side that meets it, rounded
to 9 decimals), the result order (qualifying, undecided, the others, each in table order)
and the areas nearest a threshold (a stable sort by the smallest absolute margin).
"""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from urbanscreen.criteria.model import Criterion
from urbanscreen.engine import evaluate
from urbanscreen.result import _in_order, _nearest, result_order, rows_in_order
from urbanscreen.rules import combine

flags = st.one_of(st.booleans(), st.none())


def at_least(members: list[bool | None], needed: int) -> bool | None:
    """True when enough are true; False when too few could still be; else unknown."""
    true = sum(member is True for member in members)
    could = true + sum(member is None for member in members)
    if true >= needed:
        return True
    return False if could < needed else None


@given(
    st.integers(1, 6).flatmap(
        lambda n: st.lists(st.lists(flags, min_size=n, max_size=n), min_size=1, max_size=8)
    ),
    st.integers(0, 7),
)
def test_combine_is_at_least_k_area_by_area(rows: list[list[bool | None]], needed: int) -> None:
    members = [
        pd.Series(pd.array([row[position] for row in rows], dtype="boolean"))
        for position in range(len(rows[0]))
    ]
    combined = combine(members, needed)
    assert combined.dtype == "boolean"
    got = [None if value is pd.NA else bool(value) for value in combined]
    assert got == [at_least(row, needed) for row in rows]


def criterion(op: str, threshold: str) -> Criterion:
    return Criterion.model_validate(
        {
            "id": "c",
            "label": "C",
            "column": "C",
            "unit": "number",
            "op": op,
            "threshold": Decimal(threshold),
        }
    )


def margin_of(value: float, limit: float, op: str) -> tuple[bool | None, float]:
    """One area: whether it meets ``op limit``, and its margin."""
    if math.isnan(value) or math.isnan(limit):
        return None, math.nan
    below = limit - value
    if abs(below) <= max(abs(limit), 1.0) * 1e-9:
        below = 0.0
    margin = below if op in {"<", "<="} else -below
    met = margin > 0 if op in {"<", ">"} else margin >= 0
    # Rounded as numpy rounds (scaled, rounded to even, scaled back), as the engine always
    # has: Python's round() differs in the last bit for some large margins.
    return met, float(np.round(margin, 9)) + 0.0


thresholds = st.sampled_from(["52", "4.8", "0", "30", "-2.5", "4000", "0.0000000001"])
near = st.sampled_from([0.0, 1e-12, -1e-12, 1e-10, -1e-10, 2e-9, -2e-9, 1e-6, 0.3, -7.0])


@given(
    st.sampled_from(["<", "<=", ">", ">="]),
    thresholds,
    st.lists(st.one_of(near, st.just(math.nan), st.floats(-1e6, 1e6)), min_size=1, max_size=30),
    st.booleans(),
)
def test_margins_and_verdicts_area_by_area(
    op: str, threshold: str, offsets: list[float], per_area: bool
) -> None:
    limit = float(threshold)
    # Values at, a hair from and far from the threshold; NaN as missing.
    values = [limit + offset if abs(offset) < 1 else offset for offset in offsets]
    limits = [limit * (1 + position % 3) for position in range(len(values))]
    given_limits = np.array(limits) if per_area else None
    met, margin = evaluate(pd.Series(values), criterion(op, threshold), threshold=given_limits)
    expected = [
        margin_of(value, area_limit if per_area else limit, op)
        for value, area_limit in zip(values, limits, strict=True)
    ]
    assert [None if value is pd.NA else bool(value) for value in met] == [m for m, _ in expected]
    assert np.array_equal(margin.to_numpy(), [m for _, m in expected], equal_nan=True)


outcomes = st.lists(flags, max_size=40)


@given(outcomes, st.integers(1, 7))
def test_result_order_is_a_stable_sort_by_outcome(qualifies: list[bool | None], block: int) -> None:
    series = pd.Series(pd.array(qualifies, dtype="boolean"))
    key = [1 if flag is None else (0 if flag else 2) for flag in qualifies]
    expected = np.argsort(np.array(key, dtype=int), kind="stable")
    assert result_order(series, block).tolist() == expected.tolist()


margin_values = st.one_of(st.integers(-4, 4).map(float), st.just(math.nan))


@given(
    st.integers(1, 3).flatmap(
        lambda n: st.lists(
            st.tuples(st.booleans(), st.lists(margin_values, min_size=n, max_size=n)), max_size=40
        )
    ),
    st.integers(0, 12),  # none wanted too: highlights(0) is an empty list
    st.integers(1, 9),
)
def test_nearest_are_those_a_full_stable_sort_picks(
    rows: list[tuple[bool, list[float]]], count: int, block: int
) -> None:
    among = np.array([chosen for chosen, _ in rows], dtype=bool)
    width = len(rows[0][1]) if rows else 1
    margins = [np.array([values[c] for _, values in rows], dtype=float) for c in range(width)]
    # Each chosen row's distance: its smallest |margin|, NaN only where every one is NaN.
    distances = [
        min((abs(v) for v in values if not math.isnan(v)), default=math.nan)
        for chosen, values in rows
        if chosen
    ]
    expected = sorted(np.argsort(np.array(distances, dtype=float), kind="stable")[:count].tolist())
    assert _nearest(margins, among, count, block).tolist() == expected


texts = st.one_of(st.none(), st.text(max_size=3))


@given(
    st.lists(st.lists(texts, max_size=5), min_size=1, max_size=5),
    st.data(),
)
def test_rows_of_a_chunked_text_column_are_those_pandas_takes(
    chunks: list[list[str | None]], data: st.DataObject
) -> None:
    import pyarrow as pa

    values = pd.array(pa.chunked_array(chunks, type=pa.large_string()), dtype="str")
    assert isinstance(values, pd.arrays.ArrowExtensionArray)
    size = sum(len(chunk) for chunk in chunks)
    positions = np.array(
        data.draw(st.lists(st.integers(0, size - 1), max_size=12) if size else st.just([])),
        dtype=np.intp,
    )
    taken = _in_order(values, positions)
    assert taken.dtype == values.dtype
    assert taken.equals(values.take(positions))


@given(outcomes, st.data(), st.integers(1, 7))
def test_rows_at_result_places_are_those_of_the_whole_order(
    qualifies: list[bool | None], data: st.DataObject, block: int
) -> None:
    series = pd.Series(pd.array(qualifies, dtype="boolean"))
    # Places from the end (negative) too, as indexing the whole order takes them.
    count = len(qualifies)
    places = st.lists(st.integers(-count, count - 1), max_size=10) if qualifies else st.just([])
    positions = np.array(data.draw(places), dtype=np.intp)
    expected = result_order(series)[positions]
    assert rows_in_order(series, positions, block).tolist() == expected.tolist()


@pytest.mark.parametrize("place", [3, 4, -4, 100])
def test_a_place_outside_the_result_is_refused_as_by_the_whole_order(place: int) -> None:
    # Was whatever an uninitialised array held: rows of other areas, or none at all.
    series = pd.Series(pd.array([True, None, False], dtype="boolean"))
    positions = np.array([0, place], dtype=np.intp)
    with pytest.raises(IndexError):
        result_order(series)[positions]
    with pytest.raises(IndexError):
        rows_in_order(series, positions)
