"""Whole columns of numbers rounded and written as text, as a report writes each number:
at its criterion's precision, never rounded onto or across its threshold, in the shortest
form that reads back as the same number. Columnar (numpy and Arrow), for CSV of every area.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

Floats = npt.NDArray[np.float64]
Flags = npt.NDArray[np.bool_]

# The product x * 10**d is rounded to the nearest double, so it can land on the other
# side of a half from the exact product only within its own rounding error (2**-53 of
# it): inside this wider band Python's round, which works on the exact value, decides.
_HALF_BAND = 2.0**-48
# Arrow writes a double as Python's repr does (shortest digits that read back) between
# these magnitudes; outside them it picks a different exponent form ("1e-7", "1e+10").
_ARROW_LIKE_REPR = (1e-4, 1e10)
_INT64_LIMIT = 2.0**63


def round_half_even(values: Floats, decimals: int) -> Floats:
    """``round(value, decimals)`` of every value, exactly as Python rounds: the double
    nearest the value's exact binary expansion rounded half to even."""
    scale = 10.0**decimals
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = values * scale
        result: Floats = np.rint(scaled) / scale
        off_half = np.abs(scaled - np.floor(scaled) - 0.5)
        undecided = np.isfinite(values) & ~(off_half > np.maximum(np.abs(scaled), 1.0) * _HALF_BAND)
    positions = np.flatnonzero(undecided)
    if len(positions):
        result[positions] = [round(value, decimals) for value in values[positions].tolist()]
    return result


def rounding_misleads_at(values: Floats, thresholds: Floats, rounded: Floats) -> Flags:
    """Where ``rounded`` (the values at their precision) stands on, or across, the
    threshold while the value itself does not (:func:`.values.rounding_misleads`, a
    column at a time); never where the value or threshold is missing or the value
    infinite."""
    with np.errstate(invalid="ignore"):
        known = ~np.isnan(thresholds) & np.isfinite(values)
        misleads: Flags = known & (np.sign(rounded - thresholds) != np.sign(values - thresholds))
    return misleads


def rounded_column(values: Floats, decimals: int, thresholds: Floats | None = None) -> Floats:
    """The values at ``decimals``, except where that would put a value on or across its
    threshold: there every digit it has."""
    rounded = round_half_even(values, decimals)
    if thresholds is None:
        return rounded
    return np.where(rounding_misleads_at(values, thresholds, rounded), values, rounded)


def number_text(value: float, whole: bool = False) -> str:
    """One number as a report writes it: Python's shortest repr, "12.0" as "12"; with
    ``whole``, a whole number as all its digits (1e16 as 10000000000000000)."""
    if whole and value.is_integer():
        return str(int(value))
    text = repr(value)
    return text.removesuffix(".0") if value.is_integer() else text


def number_texts(values: Floats, whole: bool, decimal: str) -> pa.StringArray:
    """:func:`number_text` of every value with the language's decimal mark; missing (NaN)
    as null."""
    # A column repeats few values (a threshold, shares to one decimal): each distinct one
    # (bit for bit, so -0.0 stays apart from 0.0) is written once.
    encoded = pc.dictionary_encode(pa.array(values, from_pandas=True))
    distinct = encoded.dictionary.to_numpy(zero_copy_only=False)
    return pc.take(_distinct_texts(distinct, whole, decimal), encoded.indices)


def _distinct_texts(values: Floats, whole: bool, decimal: str) -> pa.StringArray:
    magnitude = np.abs(values)
    finite = np.isfinite(values)
    low, high = _ARROW_LIKE_REPR
    by_python = finite & (magnitude != 0) & ((magnitude < low) | (magnitude >= high))
    integral = finite & (values == np.floor(values)) & (magnitude < _INT64_LIMIT)
    if whole and integral.all():
        texts = pc.cast(pa.array(values.astype(np.int64)), pa.string())
    elif whole and integral.any():
        digits = pc.cast(pa.array(np.where(integral, values, 0).astype(np.int64)), pa.string())
        texts = pc.if_else(pa.array(integral), digits, pc.cast(pa.array(values), pa.string()))
    else:
        texts = pc.cast(pa.array(values), pa.string())
    if whole:
        by_python &= ~integral
    positions = np.flatnonzero(by_python)
    if len(positions):
        exact = [number_text(value, whole) for value in values[positions].tolist()]
        texts = pc.replace_with_mask(texts, pa.array(by_python), pa.array(exact, pa.string()))
    if decimal != ".":
        texts = pc.replace_substring(texts, ".", decimal)
    return texts
