"""Resolve the references relative thresholds are measured against.

A reference is a number written in the criteria file, a statistic of the data (the
mean or median of a measure, over all areas or within groups such as regions,
optionally population-weighted), a measure's own value in each row, or the greater or
lesser of other references. Every reference resolves to one number per area, and a
text saying how it was found, so each resolved threshold can be checked by hand.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from urbanscreen.columns import BUILT_IN_GROUPS, group_column
from urbanscreen.criteria.model import (
    ColumnReference,
    Criteria,
    Criterion,
    Extreme,
    Reference,
    Relative,
    Statistic,
)
from urbanscreen.criteria.order import reference_order
from urbanscreen.errors import MissingColumnError
from urbanscreen.messages import Message, message

# A group written as a missing marker is no group: its areas' reference is unknown.
_NO_GROUP = {"", "..", ".", "-", "...", ":", "N/A", "n/a", "None", "nan"}


@dataclass(frozen=True)
class Resolved:
    """A reference's value in each area, and how it was found (said in any language)."""

    values: np.ndarray
    text: Message


def resolve(frame: pd.DataFrame, criteria: Criteria) -> dict[str, Resolved]:
    """Every reference of ``criteria``, resolved on the areas of ``frame``, in the file's
    order (computed so that those a reference is the greater or lesser of come first)."""
    resolved: dict[str, Resolved] = {}
    for name in reference_order(criteria.references):
        resolved[name] = _one(frame, criteria.references[name], name, resolved)
    return {name: resolved[name] for name in criteria.references}


def described(name: str, reference: Reference) -> Message:
    """How reference ``name`` is found, said without the data (``criteria check``); a
    statistic over all areas is said with their number once they are known."""
    if isinstance(reference, Decimal):
        return message("reference/given", name=name, value=f"{reference:f}")
    if isinstance(reference, ColumnReference):
        return message("reference/column", name=name, column=reference.column)
    if isinstance(reference, Extreme):
        members = ", ".join(reference.greatest or reference.least or [])
        key = "reference/greatest" if reference.greatest else "reference/least"
        return message(key, name=name, members=members)
    statistic, measure = _statistic_word(reference), reference.measure
    if reference.within is not None:
        return message(
            "reference/within",
            name=name,
            statistic=statistic,
            measure=measure,
            group=reference.within,
        )
    return message("reference/of", name=name, statistic=statistic, measure=measure)


def _statistic_word(statistic: Statistic) -> Message:
    # A weighted median is refused when the criteria are read.
    if statistic.median:
        return message("reference/median")
    return message("reference/weighted-mean" if statistic.weight else "reference/mean")


def _one(
    frame: pd.DataFrame, reference: Reference, name: str, resolved: Mapping[str, Resolved]
) -> Resolved:
    rows = len(frame)
    said = described(name, reference)
    if isinstance(reference, Decimal):
        return Resolved(np.full(rows, float(reference)), said)
    if isinstance(reference, ColumnReference):
        return Resolved(frame[reference.column].to_numpy(dtype="float64"), said)
    if isinstance(reference, Extreme):
        members = reference.greatest or reference.least or []
        arrays = [resolved[member].values for member in members]
        # np.maximum, not fmax: a missing member leaves the greater unknown, as it should.
        pick = np.maximum if reference.greatest else np.minimum
        values = arrays[0]
        for other in arrays[1:]:
            values = pick(values, other)
        return Resolved(values, said)
    return _statistic(frame, reference, name, said)


def _statistic(frame: pd.DataFrame, statistic: Statistic, name: str, said: Message) -> Resolved:
    values = frame[statistic.measure].astype("float64")
    kind = "mean" if statistic.mean else "median"
    weight = frame[statistic.weight].astype("float64") if statistic.weight else None
    if statistic.within is None:
        result = _aggregate(values, weight, kind)
        over = message(
            "reference/over",
            name=name,
            statistic=_statistic_word(statistic),
            measure=statistic.measure,
            n=int(values.notna().sum()),
        )
        return Resolved(np.full(len(frame), result), over)
    column = group_column(statistic.within)
    if column not in frame:
        column = BUILT_IN_GROUPS.get(statistic.within, column)
    if column not in frame:
        raise MissingColumnError(
            f"reference {name!r} is computed within {statistic.within!r}, a column the data lack"
        )
    groups = frame[column].where(~frame[column].astype(str).str.strip().isin(_NO_GROUP))
    results = np.full(len(frame), np.nan)
    for _, positions in groups.groupby(groups, dropna=True).indices.items():
        part_weight = weight.iloc[positions] if weight is not None else None
        results[positions] = _aggregate(values.iloc[positions], part_weight, kind)
    return Resolved(results, said)


def _aggregate(values: pd.Series, weight: pd.Series | None, kind: str) -> float:
    """The statistic, or NaN when any value (or weight) is missing: a mean that leaves out
    an unknown area is another mean, and could move the threshold either way."""
    if values.isna().any() or (weight is not None and weight.isna().any()):
        return float("nan")
    if weight is not None:
        total = float(weight.sum())
        return float((values * weight).sum() / total) if total else float("nan")
    if values.empty:
        return float("nan")
    return float(values.mean() if kind == "mean" else values.median())


def thresholds(criterion: Criterion, resolved: Mapping[str, Resolved], rows: int) -> np.ndarray:
    """The threshold in each area: the number written, or times x its reference."""
    threshold = criterion.threshold
    if isinstance(threshold, Relative):
        # Rounded past float noise: 0.8 x 107 is 85.6, not 85.60000000000001.
        return np.round(float(threshold.times) * resolved[threshold.of].values, 9)
    # One number for every area: a read-only view of it, not a column of copies.
    return np.broadcast_to(float(threshold), rows)


def one_number(threshold: np.ndarray) -> float | np.ndarray:
    """A threshold :func:`thresholds` holds as one number for every area, as that number;
    one that varies by area as it is. Comparing a column with a number makes no second
    column of the number."""
    if threshold.ndim == 1 and len(threshold) and threshold.strides == (0,):
        return float(threshold[0])
    return threshold
