"""Checks across the tables of a criteria file: every name it uses exists, references
and outcomes do not go round in circles, tiers come in order."""

from __future__ import annotations

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
    if problems:
        raise ValueError("\n".join(problems))
    _check_no_cycles(criteria.outcomes)


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
    problems += _cycle_problems(references)
    for position, index in enumerate(criteria.indices):
        problems += _tier_problems(position, index)
    return problems


def _cycle_problems(references: dict[str, Reference]) -> list[str]:
    def members(name: str) -> list[str]:
        reference = references.get(name)
        if isinstance(reference, Extreme):
            return [m for m in reference.greatest or reference.least or [] if m in references]
        return []

    for start in references:
        path = [start]
        stack = [(start, iter(members(start)))]
        while stack:
            _, pending = stack[-1]
            following = next(pending, None)
            if following is None:
                stack.pop()
                path.pop()
                continue
            if following in path:
                return [
                    "references: they refer to each other in a circle: "
                    + " -> ".join([*path, following])
                ]
            path.append(following)
            stack.append((following, iter(members(following))))
    return []


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


def _check_no_cycles(outcomes: list[Outcome]) -> None:
    depends = {o.id: rule_names(o.rule) & {p.id for p in outcomes} for o in outcomes}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise ValueError(
                "outcomes refer to each other in a circle: " + " -> ".join([*path, name])
            )
        if name in done:
            return
        for other in depends[name]:
            visit(other, [*path, name])
        done.add(name)

    for outcome in outcomes:
        visit(outcome.id, [])


def outcome_order(outcomes: list[Outcome]) -> list[Outcome]:
    """Outcomes in an order where each comes after the ones it refers to."""
    by_id = {o.id: o for o in outcomes}
    ordered: list[Outcome] = []

    def place(outcome: Outcome) -> None:
        if outcome in ordered:
            return
        for name in sorted(rule_names(outcome.rule)):
            if name in by_id:
                place(by_id[name])
        ordered.append(outcome)

    for outcome in outcomes:
        place(outcome)
    return ordered
