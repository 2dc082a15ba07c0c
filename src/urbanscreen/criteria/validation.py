"""Checks across the tables of a criteria file: ids are unique, every name it uses exists,
references and outcomes do not go round in circles, tiers come in order.

Each problem is a catalogue message with its path in the file, so the command line says it
in the run's language.
"""

from __future__ import annotations

from itertools import pairwise

from urbanscreen.criteria.entries import CriteriaTables, Index
from urbanscreen.criteria.forms import (
    AtLeast,
    ColumnReference,
    Extreme,
    Relative,
    Statistic,
    duplicate_members,
    rule_names,
)
from urbanscreen.criteria.order import circle, outcome_graph, reference_graph
from urbanscreen.errors import InvalidValues
from urbanscreen.messages import Message, message
from urbanscreen.suggest import closest


def check_across_tables(tables: CriteriaTables) -> None:
    """Raise :class:`InvalidValues` with every problem across the tables of a file."""
    problems = _id_problems(tables)
    if not problems:
        problems = _reference_problems(tables) + _rule_problems(tables)
        problems += _circle_problems(tables)
    if problems:
        raise InvalidValues(*problems)


def _problem(path: object, key: str, **fields: object) -> Message:
    return message("criteria/problem", path=path, said=message(key, **fields))


def _of(kind: str, path: str, item_id: str) -> Message:
    """``outcomes[1].rule (outcome 'b')``: a path and the id of the entry it is in."""
    return message(f"criteria/path-of-{kind}", path=path, id=repr(item_id))


def _id_problems(tables: CriteriaTables) -> list[Message]:
    """Ids used twice, or nothing to screen on: the other checks would mislead."""
    seen: set[str] = set()
    ids = [item.id for item in (*tables.criteria, *tables.measures)]
    ids += [outcome.id for outcome in tables.outcomes]
    ids += [index.id for index in tables.indices]
    ids += [tier.id for index in tables.indices for tier in index.tiers]
    for item_id in ids:
        if item_id in seen:
            return [message("criteria/id-twice", id=repr(item_id))]
        seen.add(item_id)
    if not tables.criteria and not tables.indices:
        return [message("criteria/nothing-to-screen")]
    return []


def _reference_problems(tables: CriteriaTables) -> list[Message]:
    """Names of references and measures that the file does not define."""
    problems: list[Message] = []
    measure_ids = {m.id for m in tables.columns}
    references = tables.references
    for position, criterion in enumerate(tables.criteria):
        threshold = criterion.threshold
        if isinstance(threshold, Relative) and threshold.of not in references:
            where = _of("criterion", f"criteria[{position}].threshold.of", criterion.id)
            problems.append(_problem(where, "criteria/no-such-reference", name=repr(threshold.of)))
    for name, reference in references.items():
        wanted: list[str] = []
        if isinstance(reference, Statistic):
            wanted = [reference.measure, *([reference.weight] if reference.weight else [])]
        elif isinstance(reference, ColumnReference):
            wanted = [reference.column]
        problems += [
            _problem(f"references.{name}", "criteria/no-such-measure", name=repr(measure))
            for measure in wanted
            if measure not in measure_ids
        ]
        if isinstance(reference, Extreme):
            problems += [
                _problem(f"references.{name}", "criteria/no-other-reference", name=repr(member))
                for member in reference.greatest or reference.least or []
                if member not in references or member == name
            ]
    for measure in tables.columns:
        if measure.weight is not None and measure.weight not in measure_ids:
            problems.append(
                _problem(
                    f"{measure.id}.weight", "criteria/no-such-measure", name=repr(measure.weight)
                )
            )
    for position, index in enumerate(tables.indices):
        problems += [
            _problem(
                _of("index", f"indices[{position}]", index.id),
                "criteria/no-such-measure",
                name=repr(measure),
            )
            for measure in index.inputs
            if measure not in measure_ids
        ]
    population = tables.scheme.population
    if population is not None and population not in measure_ids:
        problems.append(
            _problem("scheme.population", "criteria/no-population", name=repr(population))
        )
    return problems


def _rule_problems(tables: CriteriaTables) -> list[Message]:
    """Rules that name what is not there, name a member twice, or ask for too much."""
    problems: list[Message] = []
    outcome_ids = [o.id for o in tables.outcomes]
    tier_ids = {tier.id for index in tables.indices for tier in index.tiers}
    nameable = {c.id for c in tables.criteria} | set(outcome_ids) | tier_ids
    rules: list[tuple[object, object]] = [
        (_of("outcome", f"outcomes[{position}].rule", o.id), o.rule)
        for position, o in enumerate(tables.outcomes)
    ]
    scheme = tables.scheme
    if not isinstance(scheme.rule, str):
        rules.append(("scheme.rule", scheme.rule))
    for where, rule in rules:
        problems += [
            _problem(where, "criteria/not-nameable", name=repr(name))
            for name in sorted(rule_names(rule) - nameable)
        ]
        problems += [
            _problem(where, "criteria/named-twice", name=repr(name))
            for name in duplicate_members(rule)
        ]
    if scheme.qualifies is not None and scheme.qualifies not in outcome_ids:
        meant = closest(scheme.qualifies, outcome_ids)
        problems.append(
            _problem(
                "scheme.qualifies",
                "criteria/not-an-outcome/meant" if meant else "criteria/not-an-outcome",
                name=repr(scheme.qualifies),
                meant=meant[0] if meant else "",
            )
        )
    if tables.outcomes and "rule" in scheme.model_fields_set:
        problems.append(_problem("scheme.rule", "criteria/rule-with-outcomes"))
    rule = scheme.rule
    # Without `of`, the criteria are the members; with it, they are checked as in any
    # rule (an outcome's `at_least = 2` of two members is valid on a one-criterion file).
    if isinstance(rule, AtLeast) and rule.of is None and rule.at_least > len(tables.criteria):
        problems.append(
            _problem(
                "scheme.rule",
                "criteria/too-few-criteria",
                n=rule.at_least,
                count=len(tables.criteria),
            )
        )
    for position, index in enumerate(tables.indices):
        problems += _tier_problems(position, index)
    return problems


def _tier_problems(position: int, index: Index) -> list[Message]:
    """Tiers are tried in order: each limit must be lower than the one before, and a tier
    without a limit (the rest) can only come last."""
    problems = []
    where = f"indices[{position}].tiers"
    for number, tier in enumerate(index.tiers):
        if tier.at_least is None and tier.sd is None and number != len(index.tiers) - 1:
            path = _of("tier", f"{where}[{number}]", tier.id)
            problems.append(_problem(path, "criteria/rest-tier-last"))
    for kind in ("at_least", "sd"):
        limits = [getattr(t, kind) for t in index.tiers if getattr(t, kind) is not None]
        if any(later >= earlier for earlier, later in pairwise(limits)):
            path = _of("index", where, index.id)
            problems.append(_problem(path, "criteria/tier-limits", kind=kind))
    return problems


def _circle_problems(tables: CriteriaTables) -> list[Message]:
    problems = []
    references = circle(reference_graph(tables.references))
    if references:
        problems.append(_problem("references", "criteria/circle/references", names=references))
    outcomes = circle(outcome_graph(tables.outcomes))
    if outcomes:
        problems.append(message("criteria/circle/outcomes", names=outcomes))
    return problems
