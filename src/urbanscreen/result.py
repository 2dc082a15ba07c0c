"""The outcome of a screen: per area and criterion a value, a verdict and a margin.

``met`` and ``qualifies`` are three-valued: True, False, or None when a missing value
leaves the answer open.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from urbanscreen.criteria import Criteria, Criterion
from urbanscreen.errors import Issue
from urbanscreen.table import Table, bound_column, sex_column

QUALIFIES = "qualifies"
UNCERTAIN = "uncertain"
AREAS = "areas"  # districts built from small areas: their codes


def met_column(criterion_id: str) -> str:
    return f"{criterion_id}:met"


def margin_column(criterion_id: str) -> str:
    return f"{criterion_id}:margin"


def numerator_column(measure_id: str) -> str:
    return f"{measure_id}:numerator"


def denominator_column(measure_id: str) -> str:
    return f"{measure_id}:denominator"


def threshold_column(criterion_id: str) -> str:
    return f"{criterion_id}:threshold"


def outcome_column(outcome_id: str) -> str:
    return f"outcome:{outcome_id}"


def tier_column(index_id: str) -> str:
    return f"tier:{index_id}"


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and results
# of 300 000 areas build millions of these.
@dataclass(slots=True)
class Check:
    """One criterion applied to one area."""

    criterion: Criterion
    value: float | None
    met: bool | None
    margin: float | None
    threshold: float | None = None  # as resolved for this area (relative thresholds vary)
    women: float | None = None
    men: float | None = None
    low: float | None = None  # where the value is missing but known to lie in [low, high]
    high: float | None = None
    numerator: float | None = None  # summed over a district's small areas
    denominator: float | None = None

    @property
    def gap(self) -> float | None:
        """Women's value minus men's, where the data carry both."""
        if self.women is None or self.men is None:
            return None
        return round(self.women - self.men, 9)


@dataclass(slots=True)
class District:
    """One area's answer, with every check that led to it."""

    id: str
    name: str | None
    municipality: str | None
    municipality_code: str | None
    row: int
    qualifies: bool | None
    checks: list[Check]
    uncertain: bool | None = None  # few residents: shares unreliable (None: population unknown)
    outcomes: dict[str, bool | None] = field(default_factory=dict)
    areas: list[str] = field(default_factory=list)  # small areas a district is built from
    indices: dict[str, float | None] = field(default_factory=dict)
    tiers: dict[str, str | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    districts: int
    qualifying: int
    not_qualifying: int
    unknown: int


DISTRICTS_AT_ONCE = 10_000


def _smallest(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` smallest values, ties and NaN (last) as a stable sort
    orders them; a partial sort first, since only a few of 300 000 are wanted."""
    if len(values) <= count:
        return np.argsort(values, kind="stable")
    cutoff = np.partition(values, count - 1)[count - 1]
    if np.isnan(cutoff):  # fewer than ``count`` known: NaN ones fill up, in order
        return np.argsort(values, kind="stable")[:count]
    candidates = np.flatnonzero(values <= cutoff)
    return candidates[np.argsort(values[candidates], kind="stable")][:count]


@dataclass(frozen=True)
class Result:
    """What :func:`urbanscreen.screen` returns.

    ``frame`` holds one row per area, qualifying areas first, with the table's area
    columns, each criterion's value (column named by criterion id), ``<id>:met``
    (nullable boolean), ``<id>:margin`` (positive on the side that meets the
    threshold), ``qualifies`` (nullable boolean), ``uncertain`` (nullable boolean:
    too few residents for reliable shares) and, with a sex breakdown,
    ``<id>:women`` and ``<id>:men``.
    """

    criteria: Criteria
    table: Table
    frame: pd.DataFrame
    issues: tuple[Issue, ...] = field(default=())
    population_floor: int | None = None
    references: dict[str, str] = field(default_factory=dict)  # name -> how it resolved

    def highlights(self, limit: int) -> list[int]:
        """Row positions worth showing when there are too many to show: every qualifying
        and undecided area up to ``limit`` each, and the ``limit`` others nearest a
        threshold (smallest margin)."""
        qualifies = self.frame[QUALIFIES]
        yes = np.flatnonzero(qualifies.fillna(False).to_numpy(dtype=bool))[:limit]
        open_ = np.flatnonzero(qualifies.isna().to_numpy())[:limit]
        margins = [
            self.frame[margin_column(c.id)].abs()
            for c in self.criteria.criteria
            if margin_column(c.id) in self.frame
        ]
        no = np.flatnonzero((qualifies == False).fillna(False).to_numpy(dtype=bool))  # noqa: E712
        if margins and len(no):
            nearest = np.fmin.reduce([m.to_numpy(dtype=float, na_value=np.nan) for m in margins])
            nearest = nearest[no]
            no = np.sort(no[_smallest(nearest, limit)])
        else:
            no = no[:limit]
        return sorted({*yes.tolist(), *open_.tolist(), *no.tolist()})

    @property
    def summary(self) -> Summary:
        qualifies = self.frame[QUALIFIES]
        return Summary(
            districts=len(qualifies),
            qualifying=int((qualifies == True).sum()),  # noqa: E712 - nullable boolean
            not_qualifying=int((qualifies == False).sum()),  # noqa: E712
            unknown=int(qualifies.isna().sum()),
        )

    def districts(self, positions: list[int] | None = None) -> Iterator[District]:
        """Each area as a typed object, in result order (qualifying first); only the rows at
        ``positions`` when given (a summary of a national table needs a few hundred)."""
        frame = self.frame if positions is None else self.frame.iloc[positions]
        # A block at a time: 300 000 areas' values as Python objects at once took ~1 GB.
        for start in range(0, len(frame), DISTRICTS_AT_ONCE):
            yield from self._districts_in(frame.iloc[start : start + DISTRICTS_AT_ONCE])

    def _districts_in(self, frame: pd.DataFrame) -> Iterator[District]:
        criteria = self.criteria.criteria
        size = len(frame)
        none: list[Any] = [None] * size

        def column(name: str) -> list[Any]:
            # Whole columns at once, NaN and NA as None: no per-cell checks below.
            if name not in frame:
                return none
            values = frame[name]
            return values.astype(object).where(values.notna(), None).tolist()

        parts = (
            lambda c: c,
            met_column,
            margin_column,
            lambda c: sex_column(c, "women"),
            lambda c: sex_column(c, "men"),
            lambda c: bound_column(c, "low"),
            lambda c: bound_column(c, "high"),
            threshold_column,
            numerator_column,
            denominator_column,
        )
        columns = {c.id: [column(part(c.id)) for part in parts] for c in criteria}
        ids, names, municipalities, codes, rows, qualifies, uncertain, areas = (
            column(name)
            for name in (
                "id",
                "name",
                "municipality",
                "municipality_code",
                "row",
                QUALIFIES,
                UNCERTAIN,
                AREAS,
            )
        )
        named = [o.id for o in self.criteria.outcomes]
        named += [t.id for index in self.criteria.indices for t in index.tiers]
        outcomes = {name: column(outcome_column(name)) for name in named}
        indices = {i.id: column(i.id) for i in self.criteria.indices}
        tiers = {i.id: column(tier_column(i.id)) for i in self.criteria.indices}
        for position in range(size):
            checks = []
            for c in criteria:
                # Floats and booleans come out of column() as Python objects already.
                (value, met, margin, women, men, low, high, limit, top, bottom) = columns[c.id]
                checks.append(
                    Check(
                        criterion=c,
                        value=value[position],
                        met=met[position],
                        margin=margin[position],
                        threshold=limit[position],
                        women=women[position],
                        men=men[position],
                        low=low[position],
                        high=high[position],
                        numerator=top[position],
                        denominator=bottom[position],
                    )
                )
            area_list = areas[position]
            yield District(
                id=str(ids[position]),
                name=_text(names[position]),
                municipality=_text(municipalities[position]),
                municipality_code=_text(codes[position]),
                row=int(str(rows[position])),
                qualifies=_flag(qualifies[position]),
                checks=checks,
                uncertain=_flag(uncertain[position]),
                outcomes={o: _flag(values[position]) for o, values in outcomes.items()},
                indices={i: _number(values[position]) for i, values in indices.items()},
                tiers={i: _text(values[position]) for i, values in tiers.items()},
                areas=str(area_list).split(", ") if area_list else [],
            )


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(value: object) -> float | None:
    return None if _missing(value) else float(str(value))


def _flag(value: object) -> bool | None:
    if value is None or value is pd.NA:
        return None
    return bool(value)


def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)
