"""Apply criteria to a table, vectorised, with three-valued (Kleene) logic.

Comparisons follow the operator exactly: 52.0 does not meet "< 52", 4 000 meets
">= 4000". Values equal to the threshold up to float noise count as equal
(:mod:`urbanscreen.noise`), so noise never decides an outcome.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from urbanscreen.columns import (
    AREA_COLUMNS,
    AREAS,
    HIGH,
    ID,
    LOW,
    MEN,
    NAME,
    QUALIFIES,
    UNCERTAIN,
    WOMEN,
    bound_column,
    denominator_column,
    margin_column,
    met_column,
    node_column,
    numerator_column,
    outcome_column,
    sex_column,
    threshold_column,
    tier_column,
)
from urbanscreen.cores import each
from urbanscreen.criteria.model import (
    SCB_RELIABLE_GROUP,
    SCHEME_RULE,
    Criteria,
    Criterion,
    years_back,
)
from urbanscreen.criteria.order import outcome_order
from urbanscreen.errors import Issue
from urbanscreen.indices import classify
from urbanscreen.messages import Few, Message, message
from urbanscreen.noise import distance
from urbanscreen.references import Resolved, one_number, resolve, thresholds
from urbanscreen.result import Result
from urbanscreen.rules import Context, Truths, combine, evaluate_rule, unknown
from urbanscreen.table import Table, table_in_year

__all__ = [
    "YearEvaluation",
    "combine",
    "evaluate",
    "evaluate_years",
    "screen",
    "screen_years",
    "values_in_year",
]

MARGIN_DECIMALS = 9


def _margins(
    numbers: np.ndarray, criterion: Criterion, threshold: float | np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Signed distance to the threshold (positive on the meeting side) and whether met."""
    below = distance(threshold, numbers)  # positive when the value lies below the threshold
    margin = below if criterion.op in {"<", "<="} else np.negative(below, out=below)
    met = margin > 0 if criterion.op in {"<", ">"} else margin >= 0
    return margin, met


def evaluate(
    values: pd.Series,
    criterion: Criterion,
    bounds: tuple[pd.Series, pd.Series] | None = None,
    threshold: np.ndarray | None = None,
) -> tuple[pd.Series, pd.Series]:
    """Per value: met (nullable boolean, NA where the value is missing) and margin.

    The margin is the signed distance to the threshold in the criterion's unit,
    positive on the side that meets it and 0 at the threshold itself. ``threshold``
    gives one per area (relative thresholds); by default the criterion's number. Where
    a value is missing but ``bounds`` (low, high) hold it, the criterion is decided
    when both bounds fall on the same side of the threshold.
    """
    numbers = values.astype("float64").to_numpy()
    limit = one_number(thresholds(criterion, {}, len(numbers)) if threshold is None else threshold)
    margin, met = _margins(numbers, criterion, limit)
    missing = np.isnan(numbers)
    missing |= np.isnan(limit)
    met_series = pd.Series(pd.arrays.BooleanArray(met, missing), index=values.index, copy=False)
    if bounds is not None:
        low, high = (b.astype("float64").to_numpy() for b in bounds)
        _, met_low = _margins(low, criterion, limit)
        _, met_high = _margins(high, criterion, limit)
        decided = (
            np.isnan(numbers)
            & ~np.isnan(low)
            & ~np.isnan(high)
            & ~np.isnan(limit)  # an unknown threshold decides nothing
            & (met_low == met_high)
        )
        met_series[decided] = met_low[decided]
    # Rounded in place (the margin is ours); adding 0.0 makes -0.0 plain 0.0.
    np.round(margin, MARGIN_DECIMALS, out=margin)
    margin_series = pd.Series(np.add(margin, 0.0, out=margin), index=values.index, copy=False)
    return met_series, margin_series


def uncertain_areas(table: Table, criteria: Criteria, floor: int | None) -> pd.Series:
    """Areas with no more residents than ``floor``: their shares are unreliable.

    NA where the population is missing, or where the criteria name no population.
    """
    population = criteria.scheme.population
    if population is None or floor is None:
        return pd.Series(unknown(len(table)), copy=False)
    values: Any = table.frame[population]  # pandas-stubs do not list na_value for every dtype
    numbers: np.ndarray = values.to_numpy(dtype=np.float64, na_value=np.nan)
    return pd.Series(pd.arrays.BooleanArray(numbers <= floor, np.isnan(numbers)), copy=False)


@dataclass
class YearEvaluation:
    """Everything evaluated for one year: each criterion's value per area (after window
    means), met, margin and threshold; references, indices and tiers; and the truth of
    every rule node. Outcomes, streaks, explanations and renderers read these values."""

    year: int | None
    values: pd.DataFrame
    mets: dict[str, pd.Series]
    margins: dict[str, pd.Series]
    thresholds: dict[str, np.ndarray]
    outcomes: dict[str, pd.Series]
    indices: dict[str, pd.Series]
    tiers: dict[str, pd.Series]
    references: dict[str, Resolved]
    index_texts: dict[str, Message]
    tier_flags: dict[str, pd.Series]
    qualifies: pd.Series
    truths: Truths

    @property
    def nodes(self) -> dict[str, pd.Series]:
        """Every composite rule node's value by its path (see :mod:`urbanscreen.rules`)."""
        return self.truths.nodes


def _evaluate_year(
    values: pd.DataFrame,
    criteria: Criteria,
    year: int | None,
    earlier: Callable[[int], Truths | None],
) -> YearEvaluation:
    """Criteria, indices, tiers, outcomes and every rule node on one year's values."""
    resolved = resolve(values, criteria)
    mets: dict[str, pd.Series] = {}
    margins: dict[str, pd.Series] = {}
    limits: dict[str, np.ndarray] = {}
    asked = []  # the columns taken here, on this thread: only numpy works side by side
    for criterion in criteria.criteria:
        low, high = bound_column(criterion.id, LOW), bound_column(criterion.id, HIGH)
        bounds = (values[low], values[high]) if low in values else None
        limits[criterion.id] = thresholds(criterion, resolved, len(values))
        asked.append((values[criterion.id], criterion, bounds, limits[criterion.id]))
    # Each criterion decided side by side (numpy lets go of the interpreter lock).
    decided = each(lambda question: evaluate(*question), asked)
    for criterion, (met, margin) in zip(criteria.criteria, decided, strict=True):
        mets[criterion.id], margins[criterion.id] = met, margin
    index_values, tiers, tier_flags, index_texts = classify(values, criteria)
    context = Context(
        {**mets, **tier_flags}, [c.id for c in criteria.criteria], values.index, earlier
    )
    for outcome in outcome_order(criteria.outcomes):
        context.names[outcome.id] = evaluate_rule(outcome.rule, context, outcome.id)
    outcomes = {o.id: context.names[o.id] for o in criteria.outcomes}  # in the file's order
    return YearEvaluation(
        year,
        values,
        mets,
        margins,
        limits,
        outcomes,
        index_values,
        tiers,
        resolved,
        index_texts,
        tier_flags,
        _qualifying(criteria, outcomes, mets, context),
        context.truths,
    )


def _qualifying(
    criteria: Criteria,
    outcomes: dict[str, pd.Series],
    mets: dict[str, pd.Series],
    context: Context,
) -> pd.Series:
    """The scheme's answer: its qualifying outcome, or its rule over the criteria."""
    if criteria.outcomes:
        return outcomes[criteria.qualifying_outcome().id]
    rule = criteria.scheme.rule
    if isinstance(rule, str):
        if not mets:
            return context.unknown()
        return combine(list(mets.values()), criteria.needed())
    return evaluate_rule(rule, context, SCHEME_RULE)


def values_in_year(table: Table, year: int | None) -> pd.DataFrame | None:
    """Each criterion's value per area in ``year``, after window means; rows as in
    ``table.frame``. None where the table has no values for that year."""
    if year is None or year == table.year:
        return table.frame
    values = table.history.get(year)
    if values is None:
        return None
    return values if values.index.equals(table.frame.index) else values.reindex(table.frame.index)


def evaluate_years(
    table: Table, criteria: Criteria, years: Iterable[int | None] | None = None
) -> dict[int | None, YearEvaluation]:
    """Evaluate ``years`` (default: the screened one) and every earlier year their rules
    over years read, each year once, earliest first; keyed by year.

    A year the table lacks is left out; a rule reading it finds its values unknown. An
    earlier year's streaks look no further back than the table goes.
    """
    wanted = sorted({y for y in (years if years is not None else [table.year]) if y is not None})
    if not wanted:
        return {None: _evaluate_year(table.frame, criteria, None, lambda back: None)}
    depth = criteria.years_back()
    needed = sorted({y - back for y in wanted for back in range(depth + 1)})
    evaluated: dict[int | None, YearEvaluation] = {}
    for year in needed:
        values = values_in_year(table, year)
        if values is None:
            continue

        def earlier(back: int, year: int = year) -> Truths | None:
            found = evaluated.get(year - back)
            return found.truths if found is not None else None

        evaluated[year] = _evaluate_year(values, criteria, year, earlier)
    return evaluated


def _aligned(values: object, index: pd.Index) -> pd.Series:
    """``values`` as a Series on ``index``, as assigning it to a frame column would align it."""
    if isinstance(values, pd.Series):
        return values if values.index.equals(index) else values.reindex(index)
    return pd.Series(values, index=index, copy=False)  # only read, then taken in order


def _compact(values: np.ndarray) -> np.ndarray | pd.arrays.SparseArray:
    """A threshold the same for every area (not relative) held once, not once per area."""
    if not len(values) or np.isnan(values[0]):
        return values
    # A fixed threshold is one number by construction: no need to compare every area's.
    if isinstance(one_number(values), float) or (values == values[0]).all():
        return pd.arrays.SparseArray(values, fill_value=values[0])
    return values


def _result_columns(
    table: Table, criteria: Criteria, evaluated: YearEvaluation
) -> dict[str, pd.Series | np.ndarray | pd.arrays.SparseArray]:
    """The result's columns in input order: the areas, and per criterion its value (with
    bounds, sexes, numerator and denominator where the table has them), met, margin and
    threshold; then outcomes, tiers and indices."""
    names = [*AREA_COLUMNS, *([AREAS] if AREAS in table.frame else [])]
    columns: dict[str, pd.Series | np.ndarray | pd.arrays.SparseArray] = {
        name: table.frame[name] for name in names
    }
    for criterion in criteria.criteria:
        for column in (
            criterion.id,
            bound_column(criterion.id, LOW),
            bound_column(criterion.id, HIGH),
            sex_column(criterion.id, WOMEN),
            sex_column(criterion.id, MEN),
            numerator_column(criterion.id),
            denominator_column(criterion.id),
        ):
            if column in table.frame:
                columns[column] = table.frame[column]
        columns[met_column(criterion.id)] = evaluated.mets[criterion.id]
        columns[margin_column(criterion.id)] = evaluated.margins[criterion.id]
        columns[threshold_column(criterion.id)] = _compact(evaluated.thresholds[criterion.id])
    for outcome_id, flags in evaluated.outcomes.items():
        columns[outcome_column(outcome_id)] = flags
    for tier_id, flags in evaluated.tier_flags.items():
        columns[outcome_column(tier_id)] = flags
    for index_id, index_values in evaluated.indices.items():
        columns[index_id] = index_values
        columns[tier_column(index_id)] = evaluated.tiers[index_id]
    roots = {path for path, _ in criteria.rules()}
    for path, flags in evaluated.nodes.items():
        # A root's value is its outcome's column, or qualifies: held once.
        if path not in roots:
            columns[node_column(path)] = flags
    return columns


def screen(table: Table, criteria: Criteria, *, population_floor: int | None = None) -> Result:
    """Screen every area of ``table`` against ``criteria``; qualifying areas first.

    Areas with at most ``population_floor`` residents (default: the scheme's
    ``reliable_population_above``, SCB's 20) are flagged ``uncertain``.
    """
    evaluated = evaluate_years(table, criteria)[table.year]
    return _screened(table, criteria, evaluated, population_floor)


def screen_years(
    table: Table,
    criteria: Criteria,
    years: Iterable[int],
    *,
    population_floor: int | None = None,
) -> dict[int, Result]:
    """Each of ``years`` of a table loaded with ``every_year``, screened as if it were the
    latest, from one evaluation of every year (:func:`evaluate_years`): the same results as
    screening :func:`~urbanscreen.table.table_in_year` of each, without evaluating a year
    again for every later year whose rules read it. Keyed by year, in the order given; the
    load's warnings go with the table's own year, said once."""
    wanted = list(dict.fromkeys(years))
    evaluated = evaluate_years(table, criteria, wanted)
    results = {}
    for year in wanted:
        in_year = table_in_year(table, criteria, year)
        if year == table.year:
            in_year = replace(in_year, issues=table.issues)
        results[year] = _screened(in_year, criteria, evaluated[year], population_floor)
    return results


def _screened(
    table: Table, criteria: Criteria, evaluated: YearEvaluation, population_floor: int | None
) -> Result:
    """The result of ``table`` (as it stood in its year) from its year's evaluation."""
    columns = _result_columns(table, criteria, evaluated)
    columns[QUALIFIES] = evaluated.qualifies
    floor = (
        population_floor
        if population_floor is not None
        else criteria.scheme.reliable_population_above
    )
    uncertain = uncertain_areas(table, criteria, floor)
    columns[UNCERTAIN] = uncertain.array
    issues = list(table.issues)
    over_years = [
        next((o.label for o in criteria.outcomes if o.id == path), "scheme.rule")
        for path, rule in criteria.rules()
        if years_back(rule)
    ]
    if over_years and len(table.history) < 2:
        issues.append(Issue.of(message("needs-years", rules=", ".join(over_years))))
    for name, resolved in evaluated.references.items():
        unresolved = np.isnan(resolved.values)
        if unresolved.any():
            # Names of the first five only: every area's name or id would be a string per area.
            names, ids = table.frame[NAME][unresolved], table.frame[ID][unresolved]
            first = tuple(str(area) for area in names.head(5).fillna(ids.head(5)))
            issues.append(
                Issue.of(
                    message(
                        "reference-unknown",
                        name=repr(name),
                        n=int(unresolved.sum()),
                        areas=Few(first, total=int(unresolved.sum())),
                    )
                )
            )
    for scored in criteria.indices:
        lacking = int(evaluated.indices[scored.id].isna().sum())
        if lacking and any(tier.sd is not None for tier in scored.tiers):
            issues.append(
                Issue.of(message("reference-unknown/index", index=repr(scored.id), n=lacking))
            )
    flagged = uncertain.to_numpy(dtype=bool, na_value=False)
    if flagged.any():
        area_names, ids = table.frame[NAME][flagged], table.frame[ID][flagged]
        names = area_names.fillna(ids).head(5).tolist()
        more = " …" if flagged.sum() > len(names) else ""
        issues.append(
            Issue.of(
                message(
                    "small-population/scb" if floor == SCB_RELIABLE_GROUP else "small-population",
                    n=int(flagged.sum()),
                    floor=floor,
                    names=", ".join(str(n) for n in names),
                    more=more,
                )
            )
        )
    index = table.frame.index
    said = {
        **{name: resolved.text for name, resolved in evaluated.references.items()},
        **evaluated.index_texts,
    }
    return Result(
        criteria=criteria,
        table=table,
        # The table's own arrays and the evaluation's, in the table's row order: the
        # result's order follows from qualifies, not a reordered copy of every column.
        unordered={name: _aligned(values, index).array for name, values in columns.items()},
        issues=tuple(issues),
        population_floor=floor if criteria.scheme.population else None,
        references={name: str(text) for name, text in said.items()},
        references_said=said,
    )
