"""Evaluate rule trees (all / any / at least k of / streaks) in three-valued logic.

A rule names criteria, outcomes and tiers by id, or combines rules. Names resolve to
nullable-boolean Series (True, False, NA for unknown); groups combine them by Kleene
logic: true once enough members are true, false once too few could still be.
Streaks and "k of the last m years" evaluate their rule in earlier years through
``at_year``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np
import pandas as pd

from urbanscreen.criteria import AllOf, AnyOf, AtLeast, HeldIn, Streak
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
    # Counted in numpy: a frame of nullable booleans costs ten times as much at 300 000 rows.
    true_count = np.zeros(len(index), dtype=np.int64)
    open_count = np.zeros(len(index), dtype=np.int64)
    for member in members:
        true_count += member.eq(True).to_numpy(dtype=bool, na_value=False)
        open_count += member.isna().to_numpy(dtype=bool)
    outcome = pd.array(true_count >= needed, dtype="boolean")
    undecided = (true_count < needed) & (true_count + open_count >= needed)
    outcome[undecided] = pd.NA
    return pd.Series(outcome, index=index)


class Context:
    """What names mean in one year, and how to reach other years."""

    def __init__(
        self,
        names: Mapping[str, pd.Series],
        criteria_ids: list[str],
        year: int | None,
        at_year: Callable[[int], Context | None] | None = None,
        rows: pd.Index | None = None,
    ) -> None:
        self.names = dict(names)
        self.criteria_ids = criteria_ids
        self.year = year
        self.at_year = at_year
        self.rows = rows if rows is not None else next(iter(self.names.values())).index

    def unknown(self) -> pd.Series:
        return pd.Series(pd.array([pd.NA] * len(self.rows), dtype="boolean"), index=self.rows)


def evaluate_rule(node: object, context: Context) -> pd.Series:
    """The rule's truth for every area, NA where the data leave it open."""
    if isinstance(node, str):
        return context.names[node]
    if isinstance(node, AllOf):
        return combine([evaluate_rule(m, context) for m in node.all], len(node.all))
    if isinstance(node, AnyOf):
        return combine([evaluate_rule(m, context) for m in node.any], 1)
    if isinstance(node, AtLeast):
        members = node.of if node.of is not None else context.criteria_ids
        return combine([evaluate_rule(m, context) for m in members], node.at_least)
    if isinstance(node, Streak | HeldIn):
        span = node.streak if isinstance(node, Streak) else node.of_last
        needed = node.streak if isinstance(node, Streak) else node.held_in
        return combine([_in_year(node.rule, context, back) for back in range(span)], needed)
    raise CriteriaError(f"unknown rule {node!r}")


def _in_year(rule: object, context: Context, back: int) -> pd.Series:
    """The rule ``back`` years before the screened one; unknown where that year is absent."""
    if back == 0:
        return evaluate_rule(rule, context)
    if context.year is None or context.at_year is None:
        return context.unknown()  # one year of data cannot show a streak: unknown, and said
    earlier = context.at_year(context.year - back)
    if earlier is None:
        return context.unknown()
    return evaluate_rule(rule, earlier).reindex(context.unknown().index)
