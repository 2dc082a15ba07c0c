"""Checks across the tables of a criteria file: every name it uses exists, references
and outcomes do not go round in circles, tiers come in order."""

from __future__ import annotations

from collections.abc import Mapping
from graphlib import CycleError, TopologicalSorter
from itertools import pairwise

from urbanscreen.criteria.model import (
    ColumnReference,
    Criteria,
    Extreme,
    Index,
    Outcome,
    Reference,
    Relative,
    Statistic,
    duplicate_members,
    rule_names,
)


def check_references(criteria: Criteria) -> None:
    """Every name a criteria file uses must exist, and outcomes must not go round in circles.

    Every problem is reported, each on its own line with its path in the file.
    """
    problems = _reference_problems(criteria)
    circle = _circle(_outcome_graph(criteria.outcomes))
    if circle:
        problems.append(f"outcomes refer to each other in a circle: {circle}")
    if problems:
        raise ValueError("\n".join(problems))


def _reference_problems(criteria: Criteria) -> list[str]:
    problems: list[str] = []
    measure_ids = {m.id for m in criteria.columns}
    outcome_ids = {o.id for o in criteria.outcomes}
    references = criteria.references
    for position, criterion in enumerate(criteria.criteria):
        threshold = criterion.threshold
        if isinstance(threshold, Relative) and threshold.of not in references:
            problems.append(
                f"criteria[{position}].threshold.of (criterion {criterion.id!r}): "
                f"{threshold.of!r} is not defined under [references]"
            )
    for name, reference in references.items():
        wanted: list[str] = []
        if isinstance(reference, Statistic):
            wanted = [reference.measure, *([reference.weight] if reference.weight else [])]
        elif isinstance(reference, ColumnReference):
            wanted = [reference.column]
        problems += [
            f"references.{name}: {measure!r} is not a criterion or measure"
            for measure in wanted
            if measure not in measure_ids
        ]
        if isinstance(reference, Extreme):
            problems += [
                f"references.{name}: {member!r} is not another reference"
                for member in reference.greatest or reference.least or []
                if member not in references or member == name
            ]
    for measure in criteria.columns:
        if measure.weight is not None and measure.weight not in measure_ids:
            problems.append(
                f"{measure.id}.weight: {measure.weight!r} is not a criterion or measure"
            )
    for position, index in enumerate(criteria.indices):
        problems += [
            f"indices[{position}] (index {index.id!r}): {measure!r} is not a criterion or measure"
            for measure in index.inputs
            if measure not in measure_ids
        ]
    tier_ids = {tier.id for index in criteria.indices for tier in index.tiers}
    nameable = {c.id for c in criteria.criteria} | outcome_ids | tier_ids
    rules: list[tuple[str, object]] = [
        (f"outcomes[{position}].rule (outcome {o.id!r})", o.rule)
        for position, o in enumerate(criteria.outcomes)
    ]
    if not isinstance(criteria.scheme.rule, str):
        rules.append(("scheme.rule", criteria.scheme.rule))
    for where, rule in rules:
        problems += [
            f"{where}: {name!r} is no criterion, outcome or tier"
            for name in sorted(rule_names(rule) - nameable)
        ]
        problems += [
            f"{where}: {name!r} is named twice in one group; name each member once"
            for name in duplicate_members(rule)
        ]
    if criteria.scheme.qualifies is not None and criteria.scheme.qualifies not in outcome_ids:
        problems.append(f"scheme.qualifies: {criteria.scheme.qualifies!r} is not an outcome")
    if criteria.outcomes and "rule" in criteria.scheme.model_fields_set:
        problems.append(
            "scheme.rule: with [[outcomes]], `qualifies` names the outcome that decides; "
            "remove scheme.rule or make it an outcome"
        )
    circle = _circle(_reference_graph(references))
    if circle:
        problems.append(f"references: they refer to each other in a circle: {circle}")
    for position, index in enumerate(criteria.indices):
        problems += _tier_problems(position, index)
    return problems


def _tier_problems(position: int, index: Index) -> list[str]:
    """Tiers are tried in order: each limit must be lower than the one before, and a tier
    without a limit (the rest) can only come last."""
    problems = []
    where = f"indices[{position}].tiers"
    for number, tier in enumerate(index.tiers):
        if tier.at_least is None and tier.sd is None and number != len(index.tiers) - 1:
            problems.append(f"{where}[{number}] ({tier.id}): a tier without a limit must come last")
    for kind in ("at_least", "sd"):
        limits = [getattr(t, kind) for t in index.tiers if getattr(t, kind) is not None]
        if any(later >= earlier for earlier, later in pairwise(limits)):
            problems.append(f"{where}: the {kind} limits must fall from the first tier to the last")
    return problems


def _reference_graph(references: Mapping[str, Reference]) -> dict[str, list[str]]:
    """The other references each reference is made from (the greater or lesser of)."""
    return {
        name: [m for m in reference.greatest or reference.least or [] if m in references]
        if isinstance(reference, Extreme)
        else []
        for name, reference in references.items()
    }


def _outcome_graph(outcomes: list[Outcome]) -> dict[str, list[str]]:
    """The other outcomes each outcome's rule names."""
    ids = {o.id for o in outcomes}
    return {o.id: sorted(rule_names(o.rule) & ids) for o in outcomes}


def _circle(graph: Mapping[str, list[str]]) -> str | None:
    """Names that refer to each other in a circle, as ``a -> b -> a`` from the one that
    comes first in ``graph`` (what each name refers to); None when there is no circle."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        # graphlib lists each name before the one that refers to it: read it backwards.
        circle = list(reversed(exc.args[1]))[:-1]
        start = circle.index(min(circle, key=list(graph).index))
        return " -> ".join([*circle[start:], *circle[:start], circle[start]])
    return None


def reference_order(references: Mapping[str, Reference]) -> list[str]:
    """References in an order where each comes after those it is the greater or lesser of."""
    return list(TopologicalSorter(_reference_graph(references)).static_order())


def outcome_order(outcomes: list[Outcome]) -> list[Outcome]:
    """Outcomes in an order where each comes after the ones it refers to."""
    by_id = {o.id: o for o in outcomes}
    return [by_id[name] for name in TopologicalSorter(_outcome_graph(outcomes)).static_order()]
