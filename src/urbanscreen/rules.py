"""Evaluate rule trees (all / any / at least k of / streaks) in three-valued logic.

A rule names criteria, outcomes and tiers by id, or combines rules. Names resolve to
nullable-boolean Series (True, False, NA for unknown); groups combine them by Kleene
logic: true once enough members are true, false once too few could still be.

Every composite node's value is recorded under its path (``udsat.1``: the second member
of outcome ``udsat``'s rule; ``omdannelse.0@2``: the streak's rule two years before the
screened one), so the explanation and every renderer read the values that decided, and
a streak reads an earlier year's value of its rule from that year's own evaluation.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from urbanscreen.criteria.model import AllOf, AnyOf, AtLeast, HeldIn, Streak
from urbanscreen.errors import CriteriaError


def combine(members: list[pd.Series], needed: int) -> pd.Series:
    """At least ``needed`` of ``members`` true, in Kleene logic.

    True once enough are true; False once too few could still be; else unknown.
    "all" is needed = len(members), "any" is needed = 1.
    """
    index = members[0].index
    if any(not member.index.equals(index) for member in members[1:]):
        frame = pd.concat(members, axis=1)  # align rows first
        members = [frame.iloc[:, position] for position in range(frame.shape[1])]
        index = frame.index
    # Counted in numpy, in the smallest integers that hold len(members): a frame of nullable
    # booleans costs ten times as much, and int64 counts are eight times the memory.
    counts = np.min_scalar_type(len(members))
    true_count = np.zeros(len(index), dtype=counts)
    open_count = np.zeros(len(index), dtype=counts)
    for member in members:
        flags = member.array
        if not isinstance(flags, pd.arrays.BooleanArray):
            flags = member.astype("boolean").array
        true_count += flags.to_numpy(dtype=bool, na_value=False)
        open_count += flags.isna()
    decided = true_count >= needed
    open_count += true_count  # how many could still hold
    undecided = ~decided & (open_count >= needed)
    return pd.Series(pd.arrays.BooleanArray(decided, undecided), index=index, copy=False)


@dataclass
class Truths:
    """What one year's rules read and wrote: names (criteria, tiers, outcomes) and the
    value of every composite node by its path."""

    names: dict[str, pd.Series]
    nodes: dict[str, pd.Series] = field(default_factory=dict)

    def of(self, rule: object, path: str) -> pd.Series | None:
        """The value ``rule`` (at ``path``) had in this year, if it was evaluated."""
        return self.names.get(rule) if isinstance(rule, str) else self.nodes.get(path)


class Context:
    """What names mean in the year being evaluated, and the truths of earlier years."""

    def __init__(
        self,
        names: Mapping[str, pd.Series],
        criteria_ids: list[str],
        rows: pd.Index,
        earlier: Callable[[int], Truths | None] | None = None,
    ) -> None:
        self.truths = Truths(dict(names))
        self.criteria_ids = criteria_ids
        self.rows = rows
        self.earlier = earlier

    @property
    def names(self) -> dict[str, pd.Series]:
        return self.truths.names

    @property
    def nodes(self) -> dict[str, pd.Series]:
        return self.truths.nodes

    def unknown(self) -> pd.Series:
        return pd.Series(unknown(len(self.rows)), index=self.rows, copy=False)


def unknown(rows: int) -> pd.arrays.BooleanArray:
    """``rows`` values, every one unknown."""
    return pd.arrays.BooleanArray(np.zeros(rows, dtype=bool), np.ones(rows, dtype=bool))


def members_of(node: object, criteria_ids: list[str]) -> tuple[list[object], int]:
    """A group's members and how many of them must hold."""
    if isinstance(node, AllOf):
        return list(node.all), len(node.all)
    if isinstance(node, AnyOf):
        return list(node.any), 1
    if isinstance(node, AtLeast):
        return list(node.of) if node.of is not None else list(criteria_ids), node.at_least
    raise CriteriaError(f"unknown rule {node!r}")


def span_of(node: Streak | HeldIn) -> tuple[int, int]:
    """How many years a rule over years looks at, and in how many its rule must hold."""
    if isinstance(node, Streak):
        return node.streak, node.streak
    return node.of_last, node.held_in


def evaluate_rule(node: object, context: Context, path: str) -> pd.Series:
    """The rule's truth for every area, NA where the data leave it open; every composite
    node's value is recorded in ``context.nodes`` under its path."""
    if isinstance(node, str):
        return context.names[node]
    if isinstance(node, Streak | HeldIn):
        span, needed = span_of(node)
        child = f"{path}.0"
        years = [evaluate_rule(node.rule, context, child)]
        years += [_back(node.rule, child, context, back) for back in range(1, span)]
        for back, value in enumerate(years):
            context.nodes[f"{child}@{back}"] = value
        value = combine(years, needed)
    else:
        members, needed = members_of(node, context.criteria_ids)
        value = combine(
            [evaluate_rule(m, context, f"{path}.{i}") for i, m in enumerate(members)], needed
        )
    context.nodes[path] = value
    return value


def _back(rule: object, path: str, context: Context, back: int) -> pd.Series:
    """``rule``'s value ``back`` years before this one, as that year's evaluation found it;
    unknown where that year is not in the table."""
    truths = context.earlier(back) if context.earlier is not None else None
    found = truths.of(rule, path) if truths is not None else None
    return context.unknown() if found is None else found
