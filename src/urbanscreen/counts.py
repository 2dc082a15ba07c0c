"""Column roles for counts and rates, and rates computed from the counts a table holds.

A count is never a rate. A header that says it holds a count ("(antal)", "antal …",
"number of …") never serves a share or ratio, and neither does a header the criteria
file itself names as a numerator or denominator ("Behöriga till gymnasiet"). Where a
table has a criterion's numerator and denominator columns but not the rate, the rate is
computed from them, area by area, as ``--districts`` computes a district's: the same
arithmetic, said in a note. A table with only one of the two is refused, naming the
other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from urbanscreen.columns import denominator_column, numerator_column
from urbanscreen.criteria.model import Count, Criteria, Measure
from urbanscreen.errors import Issue, Location, MissingColumnError
from urbanscreen.headers import ColumnMatch, header_key, match_columns, says_count
from urbanscreen.messages import message

NUMERATOR, DENOMINATOR = "numerator", "denominator"


def count_role(measure_id: str, part: str) -> str:
    """The role (and the table column while reading) of a rate's numerator or denominator."""
    return f"{measure_id}__{'num' if part == NUMERATOR else 'den'}"


def rate_roles(criteria: Criteria) -> set[str]:
    """Measures that are no count: a header saying "count" never serves them."""
    return {m.id for m in criteria.columns if m.unit != "count"}


def _counted(criteria: Criteria) -> set[str]:
    """The header keys the criteria file names as numerators or denominators."""
    return {
        header_key(header)
        for m in criteria.columns
        for count in (m.numerator, m.denominator)
        if count is not None
        for header in count.headers
    }


def is_count(header: object, criteria: Criteria) -> bool:
    """Whether a header holds a count: it says so, or the file names it as one."""
    return says_count(header) or header_key(header) in _counted(criteria)


def measure_roles(criteria: Criteria) -> dict[str, list[str]]:
    """Each measure's headers; a rate's without the headers the file names as counts."""
    counted = _counted(criteria)
    return {
        m.id: [h for h in m.headers if m.unit == "count" or header_key(h) not in counted]
        for m in criteria.columns
    }


@dataclass(frozen=True)
class FromCounts:
    """A rate the table lacks, and the count columns it is computed from."""

    measure: Measure
    numerator: ColumnMatch
    denominator: ColumnMatch


def rates_from_counts(
    headers: Sequence[object],
    criteria: Criteria,
    matches: Mapping[str, ColumnMatch],
    location: Location,
    *,
    by_position: bool = True,
) -> list[FromCounts]:
    """The rates to compute: measures without a column whose numerator and denominator
    columns are both there (``headers`` a row of the file with ``by_position``, else the
    indicators of a long table). Raises where only one of them is."""
    found = []
    for measure in criteria.columns:
        if measure.id in matches or measure.numerator is None or measure.denominator is None:
            continue
        parts: dict[str, Count] = {NUMERATOR: measure.numerator, DENOMINATOR: measure.denominator}
        roles = {count_role(measure.id, part): count.headers for part, count in parts.items()}
        counts = match_columns(headers, roles, by_position=by_position)
        numerator = counts.get(count_role(measure.id, NUMERATOR))
        denominator = counts.get(count_role(measure.id, DENOMINATOR))
        if numerator is not None and denominator is not None:
            found.append(FromCounts(measure, numerator, denominator))
        elif numerator is not None or denominator is not None:
            have, lack = (
                (numerator, measure.denominator)
                if numerator is not None
                else (denominator, measure.numerator)
            )
            assert have is not None
            raise MissingColumnError(
                f"no column for {measure.label!r}, and of the counts it is computed from "
                f"only {have.header!r} is there: {lack.column!r} is missing",
                location=location,
                hint=f"add the column {lack.column!r}, or the rate {measure.column!r} itself",
            )
    return found


def count_measures(measure: Measure) -> list[Measure]:
    """A rate's numerator and denominator as the count measures read for it, under their
    roles (:func:`count_role`); none where the file names no counts."""
    parts = ((NUMERATOR, measure.numerator), (DENOMINATOR, measure.denominator))
    return [
        Measure.model_validate(
            {
                "id": count_role(measure.id, part),
                "label": f"{measure.label}: {part}",
                "column": count.column,
                "aliases": count.aliases,
                "unit": "count",
                "sex": measure.sex,
            }
        )
        for part, count in parts
        if count is not None
    ]


def reading_criteria(
    criteria: Criteria, derived: Sequence[FromCounts], absent: Collection[str] = ()
) -> Criteria:
    """The measures to read from the table: each derived rate as its two counts, and
    none of the ``absent`` ones."""
    replaced = {d.measure.id for d in derived} | set(absent)
    counts = [count for d in derived for count in count_measures(d.measure)]
    return Criteria.model_construct(
        version=1,
        scheme=criteria.scheme,
        criteria=[c for c in criteria.criteria if c.id not in replaced],
        measures=[*(m for m in criteria.measures if m.id not in replaced), *counts],
        references={},
        outcomes=[],
        indices=[],
    )


def with_rates(frame: pd.DataFrame, derived: Sequence[FromCounts]) -> pd.DataFrame:
    """``frame`` with each derived rate computed from its counts (unknown where either is,
    or where the denominator is 0), the counts kept for the trace."""
    for d in derived:
        numerator = frame.pop(count_role(d.measure.id, NUMERATOR)).to_numpy(dtype="float64")
        denominator = frame.pop(count_role(d.measure.id, DENOMINATOR)).to_numpy(dtype="float64")
        scale = 100.0 if d.measure.unit == "percent" else 1.0
        with np.errstate(divide="ignore", invalid="ignore"):
            rate = np.where(denominator > 0, scale * numerator / denominator, np.nan)
        # Rounded past float noise, as a district's rate is (1/3 stays 33.333333333).
        frame[d.measure.id] = np.round(rate, 9)
        frame[numerator_column(d.measure.id)] = numerator
        frame[denominator_column(d.measure.id)] = denominator
    return frame


def computed_note(derived: Sequence[FromCounts], location: Location) -> Issue:
    """The note that says which rates were computed, from which columns."""
    listed = "; ".join(
        f"{d.measure.label} = {'100 × ' if d.measure.unit == 'percent' else ''}"
        f"{d.numerator.header!r} / {d.denominator.header!r}"
        for d in derived
    )
    return Issue.of(message("rates-from-counts", rates=listed), location, "info")
