"""A criterion's cells as trusted numbers: parsed, on the right scale, within range.

Errors point at the cell (row as the spreadsheet numbers it, and column). A percent
column whose values all lie in 0-1 holds shares stored as fractions (Excel's % format
does that): they are converted and the user is told; where that cannot be told apart
from small percentages the run stops and asks.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
import pandas as pd

from urbanscreen.criteria import Criterion
from urbanscreen.errors import (
    Issue,
    Location,
    NonNumericValueError,
    ValueOutOfRangeError,
)
from urbanscreen.numbers import parse_numbers
from urbanscreen.readers import SourceInfo

PercentScale = Literal["auto", "percent", "fraction"]
SCALE_DECIMALS = 10
# A count computed in a spreadsheet may carry float noise (3999.9999999): still whole.
WHOLE_TOLERANCE = 1e-6


@dataclass(frozen=True)
class CellColumn:
    """Cells of one criterion with, per cell, its spreadsheet row and column header."""

    cells: pd.Series
    rows: pd.Series
    headers: pd.Series

    def location(self, source: SourceInfo, position: int) -> Location:
        """Where the cell at ``position`` (0-based, in column order) is in the file."""
        return Location(
            file=source.path,
            sheet=source.sheet,
            row=int(self.rows.iloc[position]),
            column=str(self.headers.iloc[position]),
        )


def indicator_values(
    column: CellColumn,
    criterion: Criterion,
    *,
    decimal: str,
    scale: PercentScale,
    source: SourceInfo,
    issues: list[Issue],
) -> pd.Series:
    """Floats for one criterion (NaN where missing); raises on text that is no number."""
    parsed = parse_numbers(column.cells, decimal, whole=criterion.unit == "count")
    if parsed.invalid.any():
        first = _first(parsed.invalid)
        others = int(parsed.invalid.sum()) - 1
        raise NonNumericValueError(
            "is not a number" + (f" ({others} more in this column)" if others else ""),
            location=column.location(source, first),
            value=column.cells.iloc[first],
            hint=_non_numeric_hint(column.cells.iloc[first], decimal),
        )
    values = parsed.values
    if criterion.unit == "count":
        _check_whole(values, column, source)
        values = values.round()
    if criterion.unit == "percent":
        values = _percent_scale(
            values, column, criterion, scale, parsed.percent_sign, source, issues
        )
    _check_range(values, column, criterion, source)
    return values


def _percent_scale(
    values: pd.Series,
    column: CellColumn,
    criterion: Criterion,
    scale: PercentScale,
    percent_sign: bool,
    source: SourceInfo,
    issues: list[Issue],
) -> pd.Series:
    known = values.dropna()
    header = str(column.headers.iloc[0]) if len(column.headers) else criterion.column
    where = Location(file=source.path, sheet=source.sheet, column=header)
    as_fraction = scale == "fraction"
    if scale == "auto" and not percent_sign and len(known) and known.max() <= 1:
        only_zero_one = set(known.unique()) <= {0.0, 1.0}
        if criterion.threshold <= Decimal(1) or only_zero_one:
            raise ValueOutOfRangeError(
                f"every value of {criterion.label!r} lies between 0 and 1: shares stored as "
                "fractions (0.45 = 45 %) cannot be told apart from percentages below 1 % here",
                location=where,
                hint="say which with --percent-scale fraction or --percent-scale percent",
            )
        as_fraction = True
        issues.append(
            Issue(
                "fractions-converted",
                f"every value of {criterion.label!r} lies between 0 and 1, so they were read as "
                f"shares and multiplied by 100 (e.g. {known.iloc[0]:g} -> "
                f"{known.iloc[0] * 100:g} %); use --percent-scale percent if they are percentages",
                where,
            )
        )
    if as_fraction:
        return (values * 100).round(SCALE_DECIMALS)
    return values


def _check_range(
    values: pd.Series, column: CellColumn, criterion: Criterion, source: SourceInfo
) -> None:
    low, high = {"percent": (0.0, 100.0), "count": (0.0, np.inf)}.get(
        criterion.unit, (-np.inf, np.inf)
    )
    outside = values.notna() & ((values < low) | (values > high))
    if not outside.any():
        return
    first = _first(outside)
    unit, bounds = (
        ("a percentage", "between 0 and 100")
        if criterion.unit == "percent"
        else ("a count", "0 or more")
    )
    raise ValueOutOfRangeError(
        f"is outside what {unit} can be ({bounds})",
        location=column.location(source, first),
        value=column.cells.iloc[first],
        hint="check the column and the decimal mark (--decimal , or --decimal .)",
    )


def _first(mask: pd.Series) -> int:
    """Position of the first True."""
    return int(np.flatnonzero(mask.to_numpy(dtype=bool))[0])


def _check_whole(values: pd.Series, column: CellColumn, source: SourceInfo) -> None:
    fractional = values.notna() & ((values - values.round()).abs() > WHOLE_TOLERANCE)
    if fractional.any():
        first = _first(fractional)
        raise ValueOutOfRangeError(
            "is not a whole number, as a count must be",
            location=column.location(source, first),
            value=column.cells.iloc[first],
            hint="check the decimal mark (--decimal , or --decimal .), or give the "
            'criterion unit = "number" if it is not a count',
        )


def _non_numeric_hint(value: object, decimal: str) -> str:
    text = str(value).strip()
    if decimal == "." and any(ch.isdigit() for ch in text) and "," in text:
        return "did you mean --decimal , (decimal comma)?"
    if decimal == "," and any(ch.isdigit() for ch in text) and "." in text:
        return "did you mean --decimal . (decimal point)?"
    return (
        "write the number, or mark a missing value as '..' or an empty cell "
        "(SCB's markers '..', '.', '-' and ':' mean unknown)"
    )
