"""The Districts table of CSV: one row per district, every check spelled out.

Id, name, municipality, then per criterion the value beside its threshold, whether it is
met and by what margin (with summed counts and bounds where there are), then the outcome.
The workbook shows the same figures on its Districts sheet and, where there is more to
trace (counts, bounds, thresholds per area), its Details sheet (render/excel.py).
Values are at their criterion's precision, counts whole.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from urbanscreen.columns import (
    AREAS,
    HIGH,
    ID,
    LOW,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    NAME,
    QUALIFIES,
    ROW,
    UNCERTAIN,
    bound_column,
    denominator_column,
    margin_column,
    met_column,
    numerator_column,
    outcome_column,
    threshold_column,
    tier_column,
)
from urbanscreen.criteria.model import Criterion
from urbanscreen.render.csvtext import marks, neutralise, quoted_fields, text_fields
from urbanscreen.render.labels import MARKS, labels
from urbanscreen.render.number_columns import Floats, number_texts, rounded_column
from urbanscreen.render.values import shown_value
from urbanscreen.result import Check, Result

Cell = str | float | int | None


def outcome_word(qualifies: bool | None, words: Mapping[str, str]) -> str:
    if qualifies is None:
        return words["unknown"]
    return words["yes"] if qualifies else words["no"]


def verdict_word(met: bool | None, words: Mapping[str, str]) -> str:
    word = words["unknown"].lower() if met is None else words["met" if met else "not_met"]
    return f"{MARKS[met]} {word}"


def district_headers(result: Result, words: Mapping[str, str]) -> list[str]:
    """The header of every Districts column, in :func:`district_fields` order."""
    headers = [
        words["id"],
        words["name"],
        words["municipality"],
        words["municipality_code"],
        words["qualifies"],
    ]
    traced = result.table.layout == "districts"
    if traced:
        headers.append(words["areas"])
    for criterion in result.criteria.criteria:
        label = criterion.label
        headers += [
            label,
            f"{label}: {words['threshold']}",
            f"{label}: {words['verdict']}",
            margin_header(criterion, words),
        ]
        if traced:
            headers += [f"{label}: {words['numerator']}", f"{label}: {words['denominator']}"]
        if has_bounds(result, criterion):
            headers += [f"{label}: {words['low']}", f"{label}: {words['high']}"]
    headers += [outcome.label for outcome in result.criteria.outcomes]
    for index in result.criteria.indices:
        headers += [index.label, f"{index.label}: tier"]
    if result.population_floor is not None:
        headers.append(words["uncertain"])
    headers.append(words["row"])
    return headers


def district_fields(frame: pd.DataFrame, result: Result, language: str) -> list[pa.Array]:
    """The CSV fields of the districts in ``frame`` (rows of ``result.frame``), column by
    column in :func:`district_headers` order, every column whole: numbers rounded and
    written with the separator's decimal mark, words and data as quoted text."""
    words = labels(language)
    separator, decimal = marks(language)
    text = partial(_text_fields, frame, separator=separator)
    outcome = _WordFields([outcome_word(flag, words) for flag in _FLAGS], separator)
    verdict = _WordFields([verdict_word(flag, words) for flag in _FLAGS], separator)
    columns = [text(ID), text(NAME)]
    columns += [text(MUNICIPALITY, repeats=True), text(MUNICIPALITY_CODE, repeats=True)]
    columns.append(outcome.of(frame, QUALIFIES))
    traced = result.table.layout == "districts"
    if traced:
        columns.append(text(AREAS))
    for criterion in result.criteria.criteria:
        cid, decimals = criterion.id, criterion.shown_decimals
        numbers = partial(number_texts, whole=_whole(criterion))
        values, thresholds = _floats(frame, cid), _floats(frame, threshold_column(cid))
        low = _floats(frame, bound_column(cid, LOW))
        high = _floats(frame, bound_column(cid, HIGH))
        margins = _floats(frame, margin_column(cid))
        columns += [
            _value_fields(criterion, values, thresholds, (low, high), (separator, decimal)),
            # A threshold rounding would put on or across the area's value keeps every digit.
            numbers(rounded_column(thresholds, decimals, values), decimal=decimal),
            verdict.of(frame, met_column(cid)),
            # A margin its precision would show as 0 keeps every digit: 0 is on the threshold.
            numbers(rounded_column(margins, decimals, np.zeros_like(margins)), decimal=decimal),
        ]
        if traced:
            columns += [
                number_texts(_floats(frame, numerator_column(cid)), True, decimal),
                number_texts(_floats(frame, denominator_column(cid)), True, decimal),
            ]
        if has_bounds(result, criterion):
            open_high = np.where(np.isinf(high), np.nan, high)  # an open upper bound: empty
            columns += [
                numbers(rounded_column(low, decimals), decimal=decimal),
                numbers(rounded_column(open_high, decimals), decimal=decimal),
            ]
    for named in result.criteria.outcomes:
        columns.append(outcome.of(frame, outcome_column(named.id)))
    for index in result.criteria.indices:
        columns += [number_texts(_floats(frame, index.id), False, decimal)]
        columns += [text(tier_column(index.id), repeats=True)]
    if result.population_floor is not None:
        columns.append(_WordFields([words["yes"], words["no"], ""], separator).of(frame, UNCERTAIN))
    columns.append(number_texts(_floats(frame, ROW), True, decimal))
    return [pc.fill_null(column, "") for column in columns]


_FLAGS = (True, False, None)


class _WordFields:
    """A word per three-valued flag (true, false, missing), as fields."""

    def __init__(self, words: list[str], separator: str) -> None:
        self._fields = text_fields(pa.array(words, pa.string()), separator)

    def of(self, frame: pd.DataFrame, name: str) -> pa.Array:
        flags = _floats(frame, name)
        choice = np.where(np.isnan(flags), 2, np.where(flags != 0, 0, 1)).astype(np.int8)
        return self._fields.take(pa.array(choice))


def _floats(frame: pd.DataFrame, name: str) -> Floats:
    """A column as doubles, missing as NaN (a column the frame lacks: all missing)."""
    if name not in frame:
        return np.full(len(frame), np.nan)
    column: Any = frame[name]  # pandas-stubs do not list na_value for every dtype
    values: Floats = column.to_numpy(dtype=np.float64, na_value=np.nan)
    return values


def _text_fields(frame: pd.DataFrame, name: str, separator: str, repeats: bool = False) -> pa.Array:
    """A column of text as fields (as ``str`` makes a value text); one that ``repeats`` a
    few values (a municipality, a tier) is made fields once per distinct value."""
    column = frame.get(name)
    if column is None or column.isna().all():
        return pa.nulls(len(frame), pa.string())
    if not isinstance(column.dtype, pd.StringDtype):
        column = column.astype("str")
    texts = pa.array(column, from_pandas=True)
    if not repeats:
        return text_fields(texts, separator)
    encoded = pc.dictionary_encode(texts)
    return pc.take(text_fields(encoded.dictionary, separator), encoded.indices)


def _value_fields(
    criterion: Criterion,
    values: Floats,
    thresholds: Floats,
    bounds: tuple[Floats, Floats],
    marks: tuple[str, str],
) -> pa.Array:
    """The values at the criterion's precision (every digit where rounding would mislead
    about the threshold), and where a value is known only within bounds (a suppressed
    count), the range as text."""
    separator, decimal = marks
    rounded = rounded_column(values, criterion.shown_decimals, thresholds)
    texts = number_texts(rounded, _whole(criterion), decimal)
    low, high = bounds
    ranged = np.isnan(values) & ~np.isnan(low) & ~np.isnan(high)
    if not ranged.any():
        return texts
    ranges = [
        _range_field(
            Check(criterion, None, met=None, margin=None, threshold=_known(at), low=lo, high=hi),
            decimal,
        )
        for lo, hi, at in zip(
            low[ranged].tolist(), high[ranged].tolist(), thresholds[ranged].tolist(), strict=True
        )
    ]
    fields = quoted_fields(pa.array(ranges, pa.string()), separator)
    return pc.replace_with_mask(texts, pa.array(ranged), fields)


def _whole(criterion: Criterion) -> bool:
    """Whether the criterion's figures are written as whole numbers where they are whole:
    a count, or a precision of no decimals."""
    return criterion.unit == "count" or criterion.shown_decimals == 0


def _known(value: float) -> float | None:
    return None if math.isnan(value) else value


# A bounded value as shown_value writes it, "8.267–8.4" or "≥ 5": in the report's marks.
_RANGE = re.compile(r"(≥ )?[\d ]+(\.\d+)?(–[\d ]+(\.\d+)?)?")


def _range_field(check: Check, decimal: str) -> str:
    text = shown_value(check)
    return text.replace(".", decimal) if _RANGE.fullmatch(text) else neutralise(text)


def margin_header(criterion: Criterion, words: Mapping[str, str]) -> str:
    """ "Förvärvsfrekvens: marginal (procentenheter)": a margin's header names its unit."""
    unit = words.get(f"margin_{criterion.unit}")
    return f"{criterion.label}: {words['margin']}" + (f" ({unit})" if unit else "")


def has_bounds(result: Result, criterion: Criterion) -> bool:
    """Whether some area's value of ``criterion`` is known only within bounds."""
    column = bound_column(criterion.id, LOW)
    return column in result.frame and bool(result.frame[column].notna().any())
