"""The load path's columnar shortcuts against their definitions, written out naively."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from urbanscreen.errors import ValueOutOfRangeError
from urbanscreen.indicators import WHOLE_TOLERANCE, CellColumn, _whole
from urbanscreen.readers import SourceInfo

SOURCE = SourceInfo(path=Path("areas.csv"), sha256="0" * 64, format="csv")

counts = st.one_of(
    st.integers(-(10**9), 10**9).map(float),
    st.floats(allow_nan=True, allow_infinity=True, width=64),
    st.sampled_from([0.0, -0.0, 2.5, 1e-7, 3 + 1e-7, 4 - 5e-7, 7.000002]),
)


@given(st.lists(counts, max_size=20), st.integers(0, 70_000))
def test_a_count_is_rounded_or_refused_as_by_its_definition(
    values: list[float], padding: int
) -> None:
    """Each value rounded, the first further than the tolerance from it refused; a long
    run of whole counts before them (past one block) changes nothing."""
    numbers = np.array([1.0] * padding + values, dtype="float64")
    column = CellColumn(
        cells=pd.Series(numbers.astype(str)),
        rows=pd.Series(np.arange(len(numbers)) + 2),
        headers="Folkmängd",
    )
    far = [
        position
        for position, value in enumerate(numbers)
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
