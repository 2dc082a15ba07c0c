"""Apply criteria to a table, vectorised, with three-valued (Kleene) logic.

Comparisons follow the operator exactly: 52.0 does not meet "< 52", 4 000 meets
">= 4000". Values equal to the threshold within a relative 1e-9 count as equal, so
binary floating-point noise (0.048 * 100 = 4.800000000000001) never decides an
outcome; published statistics carry nowhere near nine significant decimals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from urbanscreen.criteria import SCB_RELIABLE_GROUP, Criteria, Criterion
from urbanscreen.errors import Issue
from urbanscreen.result import QUALIFIES, UNCERTAIN, Result, margin_column, met_column
from urbanscreen.table import Table, bound_column, sex_column

RELATIVE_TOLERANCE = 1e-9
MARGIN_DECIMALS = 9


def _margins(numbers: np.ndarray, criterion: Criterion) -> tuple[np.ndarray, np.ndarray]:
    """Signed distance to the threshold (positive on the meeting side) and whether met."""
    threshold = float(criterion.threshold)
    tolerance = RELATIVE_TOLERANCE * max(1.0, abs(threshold))
    below = threshold - numbers  # positive when the value lies below the threshold
    below = np.where(np.abs(below) <= tolerance, 0.0, below)
    margin = below if criterion.op in {"<", "<="} else -below
    met = margin > 0 if criterion.op in {"<", ">"} else margin >= 0
    return margin, met


def evaluate(
    values: pd.Series,
    criterion: Criterion,
    bounds: tuple[pd.Series, pd.Series] | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Per value: met (nullable boolean, NA where the value is missing) and margin.

    The margin is the signed distance to the threshold in the criterion's unit,
    positive on the side that meets it and 0 at the threshold itself. Where a value is
    missing but ``bounds`` (low, high) hold it, the criterion is decided when both
    bounds fall on the same side of the threshold.
    """
    numbers = values.astype("float64").to_numpy()
    margin, met = _margins(numbers, criterion)
    missing = np.isnan(numbers)
    met_series = pd.Series(pd.array(met, dtype="boolean"), index=values.index)
    met_series[missing] = pd.NA
    if bounds is not None:
        low, high = (b.astype("float64").to_numpy() for b in bounds)
        _, met_low = _margins(low, criterion)
        _, met_high = _margins(high, criterion)
        decided = missing & ~np.isnan(low) & ~np.isnan(high) & (met_low == met_high)
        met_series[decided] = met_low[decided]
    margin_series = pd.Series(np.round(margin, MARGIN_DECIMALS) + 0.0, index=values.index)
    return met_series, margin_series


def combine(mets: list[pd.Series], needed: int) -> pd.Series:
    """At least ``needed`` of ``mets`` true, in Kleene logic.

    True once enough are true; False once too few could still be; else unknown.
    "all" is needed = len(mets), "any" is needed = 1.
    """
    frame = pd.concat(mets, axis=1)
    true_count = frame.eq(True).sum(axis=1).to_numpy()
    open_count = frame.isna().sum(axis=1).to_numpy()
    outcome = pd.array(true_count >= needed, dtype="boolean")
    undecided = (true_count < needed) & (true_count + open_count >= needed)
    outcome[undecided] = pd.NA
    return pd.Series(outcome, index=frame.index)


def uncertain_areas(table: Table, criteria: Criteria, floor: int | None) -> pd.Series:
    """Areas with no more residents than ``floor``: their shares are unreliable.

    NA where the population is missing, or where the criteria name no population.
    """
    population = criteria.scheme.population
    if population is None or floor is None:
        return pd.Series(pd.array([pd.NA] * len(table), dtype="boolean"))
    values = table.frame[population]
    flags = pd.Series(pd.array((values <= floor).to_numpy(), dtype="boolean"))
    flags[values.isna().to_numpy()] = pd.NA
    return flags


def screen(table: Table, criteria: Criteria, *, population_floor: int | None = None) -> Result:
    """Screen every area of ``table`` against ``criteria``; qualifying areas first.

    Areas with at most ``population_floor`` residents (default: the scheme's
    ``reliable_population_above``, SCB's 20) are flagged ``uncertain``.
    """
    frame = table.frame[["id", "name", "municipality", "municipality_code", "row"]].copy()
    mets: list[pd.Series] = []
    for criterion in criteria.criteria:
        low, high = bound_column(criterion.id, "low"), bound_column(criterion.id, "high")
        bounds = (table.frame[low], table.frame[high]) if low in table.frame else None
        met, margin = evaluate(table.frame[criterion.id], criterion, bounds)
        if bounds is not None:
            frame[low], frame[high] = bounds
        frame[criterion.id] = table.frame[criterion.id]
        frame[met_column(criterion.id)] = met
        frame[margin_column(criterion.id)] = margin
        for sex in ("women", "men"):
            if sex_column(criterion.id, sex) in table.frame:
                frame[sex_column(criterion.id, sex)] = table.frame[sex_column(criterion.id, sex)]
        mets.append(met)
    frame[QUALIFIES] = combine(mets, criteria.needed())
    floor = (
        population_floor
        if population_floor is not None
        else criteria.scheme.reliable_population_above
    )
    frame[UNCERTAIN] = uncertain_areas(table, criteria, floor).to_numpy()
    issues = list(table.issues)
    flagged = int(frame[UNCERTAIN].fillna(False).sum())
    if flagged:
        issues.append(
            Issue(
                "small-population",
                f"{flagged} area(s) have {floor} residents or fewer: their shares are uncertain "
                f"(SCB computes a share only for groups of more than {SCB_RELIABLE_GROUP})",
            )
        )
    qualifies = frame[QUALIFIES]
    order = np.where(qualifies.isna(), 1, np.where(qualifies.fillna(False), 0, 2))
    frame = frame.iloc[np.argsort(order, kind="stable")].reset_index(drop=True)
    return Result(
        criteria=criteria,
        table=table,
        frame=frame,
        issues=tuple(issues),
        population_floor=floor if criteria.scheme.population else None,
    )
