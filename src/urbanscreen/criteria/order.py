"""The order references and outcomes are computed in: each after those it is made from.

The same graphs tell a file whose references or outcomes go round in a circle (graphlib
finds it), which :mod:`urbanscreen.criteria.validation` reports.
"""

from __future__ import annotations

from collections.abc import Mapping
from graphlib import CycleError, TopologicalSorter

from urbanscreen.criteria.entries import Outcome
from urbanscreen.criteria.forms import Extreme, Reference, rule_names


def reference_graph(references: Mapping[str, Reference]) -> dict[str, list[str]]:
    """The other references each reference is made from (the greater or lesser of)."""
    return {
        name: [m for m in reference.greatest or reference.least or [] if m in references]
        if isinstance(reference, Extreme)
        else []
        for name, reference in references.items()
    }


def outcome_graph(outcomes: list[Outcome]) -> dict[str, list[str]]:
    """The other outcomes each outcome's rule names."""
    ids = {o.id for o in outcomes}
    return {o.id: sorted(rule_names(o.rule) & ids) for o in outcomes}


def circle(graph: Mapping[str, list[str]]) -> str | None:
    """Names that refer to each other in a circle, as ``a -> b -> a`` from the one that
    comes first in ``graph`` (what each name refers to); None when there is no circle."""
    try:
        TopologicalSorter(graph).prepare()
    except CycleError as exc:
        # graphlib lists each name before the one that refers to it: read it backwards.
        names = list(reversed(exc.args[1]))[:-1]
        start = names.index(min(names, key=list(graph).index))
        return " -> ".join([*names[start:], *names[:start], names[start]])
    return None


def reference_order(references: Mapping[str, Reference]) -> list[str]:
    """References in an order where each comes after those it is the greater or lesser of."""
    return list(TopologicalSorter(reference_graph(references)).static_order())


def outcome_order(outcomes: list[Outcome]) -> list[Outcome]:
    """Outcomes in an order where each comes after the ones it refers to."""
    by_id = {o.id: o for o in outcomes}
    return [by_id[name] for name in TopologicalSorter(outcome_graph(outcomes)).static_order()]
