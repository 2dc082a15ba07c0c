"""The outcome of a screen: per area and criterion a value, a verdict and a margin.

``met`` and ``qualifies`` are three-valued: True, False, or None when a missing value
leaves the answer open.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field

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


@dataclass(frozen=True)
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


@dataclass(frozen=True)
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

    @property
    def summary(self) -> Summary:
        qualifies = self.frame[QUALIFIES]
        return Summary(
            districts=len(qualifies),
            qualifying=int((qualifies == True).sum()),  # noqa: E712 - nullable boolean
            not_qualifying=int((qualifies == False).sum()),  # noqa: E712
            unknown=int(qualifies.isna().sum()),
        )

    def districts(self) -> Iterator[District]:
        """Each area as a typed object, in result order (qualifying first)."""
        criteria = self.criteria.criteria
        frame = self.frame
        none = [None] * len(frame)
        columns = {
            c.id: [
                frame[name].tolist() if name in frame else none
                for name in (
                    c.id,
                    met_column(c.id),
                    margin_column(c.id),
                    sex_column(c.id, "women"),
                    sex_column(c.id, "men"),
                    bound_column(c.id, "low"),
                    bound_column(c.id, "high"),
                    threshold_column(c.id),
                    numerator_column(c.id),
                    denominator_column(c.id),
                )
            ]
            for c in criteria
        }
        ids, names, municipalities, codes, rows, qualifies, uncertain = (
            frame[column].tolist()
            for column in (
                "id",
                "name",
                "municipality",
                "municipality_code",
                "row",
                QUALIFIES,
                UNCERTAIN,
            )
        )
        outcomes = {
            o.id: frame[outcome_column(o.id)].tolist()
            for o in self.criteria.outcomes
            if outcome_column(o.id) in frame
        }
        indices = {i.id: frame[i.id].tolist() for i in self.criteria.indices if i.id in frame}
        tiers = {
            i.id: frame[tier_column(i.id)].tolist()
            for i in self.criteria.indices
            if tier_column(i.id) in frame
        }
        areas = frame[AREAS].tolist() if AREAS in frame else [None] * len(frame)
        for position in range(len(frame)):
            checks = [
                Check(
                    criterion=c,
                    value=_number(columns[c.id][0][position]),
                    met=_flag(columns[c.id][1][position]),
                    margin=_number(columns[c.id][2][position]),
                    women=_number(columns[c.id][3][position]),
                    men=_number(columns[c.id][4][position]),
                    low=_number(columns[c.id][5][position]),
                    high=_number(columns[c.id][6][position]),
                    threshold=_number(columns[c.id][7][position]),
                    numerator=_number(columns[c.id][8][position]),
                    denominator=_number(columns[c.id][9][position]),
                )
                for c in criteria
            ]
            yield District(
                id=str(ids[position]),
                name=_text(names[position]),
                municipality=_text(municipalities[position]),
                municipality_code=_text(codes[position]),
                row=int(rows[position]),
                qualifies=_flag(qualifies[position]),
                checks=checks,
                uncertain=_flag(uncertain[position]),
                outcomes={o: _flag(values[position]) for o, values in outcomes.items()},
                indices={i: _number(values[position]) for i, values in indices.items()},
                tiers={i: _text(values[position]) for i, values in tiers.items()},
                areas=str(areas[position]).split(", ") if areas[position] else [],
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
