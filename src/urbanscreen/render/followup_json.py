"""The follow-up over years in the JSON document: each district's ``years``, the summary's
counts per year and changes between years, and the reference rows (see docs/follow-up.md)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pandas as pd

from urbanscreen.columns import (
    ID,
    NAME,
    QUALIFIES,
    YEAR,
    margin_column,
    met_column,
    outcome_column,
    threshold_column,
)
from urbanscreen.followup import FollowUp


def _listed(frame: pd.DataFrame, column: str) -> list[Any]:
    """A column as Python objects, NaN and NA as None; all None where the frame lacks it."""
    if column not in frame:
        return [None] * len(frame)
    values: Any = frame[column]
    listed: list[Any] = values.to_numpy(dtype=object, na_value=None).tolist()
    return listed


def years_by_district(follow_up: FollowUp) -> dict[str, list[dict[str, Any]]]:
    """Each district's ``years``: ascending ``{"year", "qualifies", "criteria", "outcomes"}``,
    the criteria as ``{"id", "value", "threshold", "met", "margin", "missing"}``."""
    frame = follow_up.frame
    criteria = follow_up.criteria
    ids = [str(area) for area in frame[ID]]
    years = [int(year) for year in frame[YEAR]]
    qualifies = _listed(frame, QUALIFIES)
    checks = [
        (
            criterion.id,
            _listed(frame, criterion.id),
            _listed(frame, threshold_column(criterion.id)),
            _listed(frame, met_column(criterion.id)),
            _listed(frame, margin_column(criterion.id)),
        )
        for criterion in criteria.criteria
    ]
    outcomes = [(o.id, _listed(frame, outcome_column(o.id))) for o in criteria.outcomes]
    found: dict[str, list[dict[str, Any]]] = {}
    for row, area in enumerate(ids):
        found.setdefault(area, []).append(
            {
                "year": years[row],
                "qualifies": qualifies[row],
                "criteria": [
                    {
                        "id": criterion_id,
                        "value": values[row],
                        "threshold": limits[row],
                        "met": mets[row],
                        "margin": margins[row],
                        "missing": values[row] is None,
                    }
                    for criterion_id, values, limits, mets, margins in checks
                ],
                "outcomes": {outcome_id: flags[row] for outcome_id, flags in outcomes},
            }
        )
    return found


def follow_up_head(follow_up: FollowUp) -> dict[str, Any]:
    """The document's ``follow_up``: the years, what their history lacks, and the reference
    rows (the municipality, the country) with their values per year, not screened."""
    references = follow_up.references
    rows: dict[str, dict[str, Any]] = {}
    values = {c.id: _listed(references, c.id) for c in follow_up.criteria.criteria}
    for position, (area, name, year) in enumerate(
        zip(references[ID], references[NAME], references[YEAR], strict=True)
    ):
        entry = rows.setdefault(str(area), {"id": str(area), "name": name, "years": []})
        entry["years"].append(
            {"year": int(year), "values": {key: listed[position] for key, listed in values.items()}}
        )
    return {
        "years": follow_up.years,
        "notes": [str(note) for year in follow_up.years for note in follow_up.notes.get(year, [])],
        "reference_rows": list(rows.values()),
    }


def summary_years(follow_up: FollowUp) -> dict[str, Any]:
    """The summary's ``years`` (counts per year) and ``changes`` between consecutive years."""
    return {
        "years": [
            {
                "year": year,
                "districts": summary.districts,
                "qualifying": summary.qualifying,
                "not_qualifying": summary.not_qualifying,
                "unknown": summary.unknown,
            }
            for year, summary in follow_up.counts().items()
        ],
        "changes": [
            {
                "from": change.previous,
                "to": change.year,
                "entered": change.entered,
                "left": change.left,
                "unknown": change.unknown,
            }
            for change in follow_up.changes
        ],
    }


def with_follow_up(
    head: dict[str, Any], districts: Iterator[dict[str, Any]], follow_up: FollowUp
) -> tuple[dict[str, Any], Iterator[dict[str, Any]]]:
    """The document's head with the follow-up (the summary's years and changes, and
    ``follow_up``), and the districts each with its ``years``."""
    head = {**head, "summary": {**head["summary"], **summary_years(follow_up)}}
    head["follow_up"] = follow_up_head(follow_up)
    years = years_by_district(follow_up)

    def with_years() -> Iterator[dict[str, Any]]:
        for district in districts:
            district["years"] = years.get(district["id"], [])
            yield district

    return head, with_years()
