"""Criteria's cells as trusted numbers: parsed, on the right scale, within range.

Errors point at the cell (row as the spreadsheet numbers it, and column). Excel's %
format stores 45 % as 0.45, so a percent column whose values all lie in 0-1 may hold
shares. The decision is made across all percent columns of the file at once:

* every percent column in 0-1 (and more than one, or no "%" in the header): shares,
  converted, and the user is told;
* some in 0-1 while others are clearly percentages: a 0-1 column headed "%" holds small
  percentages; any other is ambiguous, and the run stops and asks;
* a threshold of 1 or less, or values that are all exactly 0 or 1: ambiguous too.

``--percent-scale percent`` or ``fraction`` settles it for every column.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

import numpy as np
import pandas as pd

from urbanscreen.cores import each
from urbanscreen.criteria.model import Criteria, Criterion, Measure
from urbanscreen.errors import (
    Issue,
    Location,
    NonNumericValueError,
    ValueOutOfRangeError,
)
from urbanscreen.messages import Message, message
from urbanscreen.numbers import parse_numbers
from urbanscreen.readers import SourceInfo

PercentScale = Literal["auto", "percent", "fraction"]
SCALE_DECIMALS = 10
# A count computed in a spreadsheet may carry float noise (3999.9999999): still whole.
WHOLE_TOLERANCE = 1e-6
_SAYS_PERCENT = re.compile(r"%|\bprocent\b|\bpercent\b|\bper cent\b", re.IGNORECASE)


@dataclass(frozen=True)
class CellColumn:
    """Cells of one criterion with, per cell, its spreadsheet row and column header.

    ``headers`` is one header for the whole column (a wide table), or one per cell.
    """

    cells: pd.Series
    rows: pd.Series
    headers: pd.Series | str

    def location(self, source: SourceInfo, position: int) -> Location:
        """Where the cell at ``position`` (0-based, in column order) is in the file."""
        return Location(
            file=source.path,
            sheet=source.sheet,
            row=int(self.rows.iloc[position]),
            column=self.headers
            if isinstance(self.headers, str)
            else str(self.headers.iloc[position]),
        )

    def header_text(self) -> str:
        if isinstance(self.headers, str):
            return self.headers
        return " / ".join(dict.fromkeys(str(h) for h in self.headers.unique()))


@dataclass(frozen=True)
class Indicator:
    """One criterion's parsed values, before the percent scale is decided."""

    criterion: Measure
    column: CellColumn
    values: pd.Series
    percent_in_cells: bool

    @property
    def percent_in_header(self) -> bool:
        return bool(_SAYS_PERCENT.search(self.column.header_text()))

    @property
    def within_zero_one(self) -> bool:
        """Every known value lies in 0-1 and no cell carries a % sign."""
        # Missing values skipped by min and max, not dropped into a copy of the column.
        values = self.values
        in_range = (
            bool(values.notna().any()) and bool(values.min() >= 0) and bool(values.max() <= 1)
        )
        return in_range and not self.percent_in_cells


def parse_indicator(
    column: CellColumn, criterion: Measure, *, decimal: str, source: SourceInfo
) -> Indicator:
    """Parse one measure's cells; raises on text that is no number or a fractional count.

    The measure's own ``missing`` markers (the CDFI Fund writes N/A, blank or 0 where a
    figure is not available) are unknown like SCB's.
    """
    parsed = parse_numbers(
        column.cells, decimal, whole=criterion.unit == "count", missing=criterion.missing
    )
    if parsed.invalid.any():
        first = _first(parsed.invalid)
        others = int(parsed.invalid.sum()) - 1
        raise NonNumericValueError(
            message("non-numeric-value/others", n=others)
            if others
            else message("non-numeric-value"),
            location=column.location(source, first),
            value=column.cells.iloc[first],
            hint=_non_numeric_hint(column.cells.iloc[first], decimal),
        )
    values = parsed.values
    if criterion.unit == "count":
        values = _whole(values, column, source)
    return Indicator(criterion, column, values, parsed.percent_sign)


def finish_indicators(
    indicators: Sequence[Indicator],
    *,
    scale: PercentScale,
    source: SourceInfo,
    issues: list[Issue],
) -> dict[str, pd.Series]:
    """Decide the percent scale across columns, convert shares, check ranges."""
    fractions = _fraction_columns(indicators, scale, source, issues)
    finished = {}
    for indicator in indicators:
        values = indicator.values
        converted = indicator.criterion.id in fractions
        if converted:
            values = (values * 100).round(SCALE_DECIMALS)
        _check_range(values, indicator, source, converted)
        finished[indicator.criterion.id] = values
    return finished


def _fraction_columns(
    indicators: Sequence[Indicator],
    scale: PercentScale,
    source: SourceInfo,
    issues: list[Issue],
) -> set[str]:
    percent = [i for i in indicators if i.criterion.unit == "percent" and i.values.notna().any()]
    # A measure's own scale in the criteria file settles it for that column, whatever the
    # command line says; --percent-scale speaks for the columns left on "auto".
    converted = {i.criterion.id for i in percent if i.criterion.scale == "fraction"}
    percent = [i for i in percent if i.criterion.scale == "auto"]
    if scale == "fraction":
        return converted | {i.criterion.id for i in percent}
    if scale == "percent":
        return converted
    small = [i for i in percent if i.within_zero_one]
    if not small:
        return converted
    uniform = len(small) == len(percent)
    for indicator in small:
        known = indicator.values.dropna()
        threshold = (
            indicator.criterion.fixed_threshold
            if isinstance(indicator.criterion, Criterion)
            else None
        )
        low_threshold = threshold is not None and threshold <= Decimal(1)
        ambiguous = low_threshold or set(known.unique()) <= {0.0, 1.0}
        if not uniform and indicator.percent_in_header:
            continue  # headed "%" beside clear percentages: small percentages, as written
        if ambiguous or not uniform or (len(percent) == 1 and indicator.percent_in_header):
            said = "fractions-ambiguous" if uniform else "fractions-ambiguous/mixed"
            raise ValueOutOfRangeError(
                message(f"value-out-of-range/{said}", label=repr(indicator.criterion.label)),
                location=_where(indicator, source),
                hint=message("hint/percent-scale"),
            )
        converted.add(indicator.criterion.id)
        issues.append(
            Issue.of(
                message(
                    "fractions-converted",
                    label=repr(indicator.criterion.label),
                    example=f"{known.iloc[0]:g}",
                    percent=f"{known.iloc[0] * 100:g}",
                ),
                _where(indicator, source),
            )
        )
    return converted


def _where(indicator: Indicator, source: SourceInfo) -> Location:
    return Location(file=source.path, sheet=source.sheet, column=indicator.column.header_text())


def _check_range(
    values: pd.Series, indicator: Indicator, source: SourceInfo, converted: bool
) -> None:
    criterion = indicator.criterion
    low, high = {"percent": (0.0, 100.0), "count": (0.0, np.inf)}.get(
        criterion.unit, (-np.inf, np.inf)
    )
    if criterion.unit == "percent" and not criterion.at_most_100:
        high = np.inf
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    outside = (numbers < low) | (numbers > high)  # NaN, a missing value, is neither
    if not outside.any():
        return
    first = int(np.flatnonzero(outside)[0])
    unit = "percent" if criterion.unit == "percent" else "count"
    said = f"value-out-of-range/{unit}" + ("/converted" if converted else "")
    if converted:
        hint = message("hint/converted")
    elif criterion.unit == "count":
        # No decimal mark makes a figure negative: a net change is a number, not a count.
        hint = message("hint/negative-count", id=repr(criterion.id))
    else:
        hint = message("hint/check-decimal-mark")
    raise ValueOutOfRangeError(
        message(said),
        location=indicator.column.location(source, first),
        value=indicator.column.cells.iloc[first],
        hint=hint,
    )


def _first(mask: pd.Series) -> int:
    """Position of the first True."""
    return int(np.flatnonzero(mask.to_numpy(dtype=bool))[0])


def _whole(values: pd.Series, column: CellColumn, source: SourceInfo) -> pd.Series:
    """A count's values rounded; refused if one is further from its round value than a
    spreadsheet's float noise."""
    numbers = values.to_numpy(dtype="float64", na_value=np.nan)
    # In blocks: the differences of 3 000 000 counts never exist at once, and counts
    # already whole (as a CSV's are) are kept as they are rather than rounded into a copy.
    moved = False
    for start in range(0, len(numbers), _WHOLE_BLOCK):
        block = numbers[start : start + _WHOLE_BLOCK]
        with np.errstate(invalid="ignore"):  # an infinity's distance is NaN: not fractional
            distance = np.abs(block - np.round(block))
        fractional = distance > WHOLE_TOLERANCE
        if fractional.any():
            first = start + int(np.flatnonzero(fractional)[0])
            raise ValueOutOfRangeError(
                message("value-out-of-range/whole"),
                location=column.location(source, first),
                value=column.cells.iloc[first],
                hint=message("hint/whole"),
            )
        moved = moved or bool((distance > 0).any())
    rounded = np.round(numbers) if moved else numbers
    return pd.Series(rounded, index=values.index, name=values.name, copy=False)


_WHOLE_BLOCK = 1 << 16


def _non_numeric_hint(value: object, decimal: str) -> Message:
    text = str(value).strip()
    if decimal == "." and any(ch.isdigit() for ch in text) and "," in text:
        return message("hint/decimal-comma")
    if decimal == "," and any(ch.isdigit() for ch in text) and "." in text:
        return message("hint/decimal-point")
    return message("hint/non-numeric")


@dataclass(frozen=True)
class IndicatorReader:
    """What every criterion's values are read with."""

    criteria: Criteria
    source: SourceInfo
    decimal: str
    percent_scale: PercentScale
    issues: list[Issue]

    def values(self, columns: Mapping[str, CellColumn]) -> dict[str, pd.Series]:
        """Each criterion's checked values, the percent scale decided across all of them."""
        # Each column cast side by side: the first error in the criteria's order is raised.
        indicators = each(
            lambda c: parse_indicator(columns[c.id], c, decimal=self.decimal, source=self.source),
            [c for c in self.criteria.columns if c.id in columns],
        )
        return finish_indicators(
            indicators, scale=self.percent_scale, source=self.source, issues=self.issues
        )
