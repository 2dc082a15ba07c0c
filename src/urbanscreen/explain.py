"""Why an area got its answer: the rule tree with every node's value, for people and JSON.

Built per area from what the engine stored (each check's verdict and margin, each
outcome's and tier's truth), with the same Kleene logic, so every node can be read
and checked on its own.
"""

from __future__ import annotations

from typing import Any

from urbanscreen.criteria import (
    AllOf,
    AnyOf,
    AtLeast,
    Criteria,
    HeldIn,
    Streak,
    describe_rule,
)
from urbanscreen.result import District


def _kleene(values: list[bool | None], needed: int) -> bool | None:
    true = sum(1 for v in values if v is True)
    open_ = sum(1 for v in values if v is None)
    if true >= needed:
        return True
    if true + open_ < needed:
        return False
    return None


def explain_node(node: object, district: District, criteria: Criteria) -> dict[str, Any]:
    """One node of a rule tree, evaluated for ``district``."""
    checks = {check.criterion.id: check for check in district.checks}
    if isinstance(node, str):
        if node in checks:
            check = checks[node]
            return {
                "criterion": node,
                "met": check.met,
                "value": check.value,
                "op": check.criterion.op,
                "threshold": check.threshold,
                "margin": check.margin,
            }
        return {"outcome": node, "met": district.outcomes.get(node)}
    if isinstance(node, Streak | HeldIn):
        # Earlier years' values are not kept per area; the node's truth is the rule's.
        return {"rule": describe_rule(node), "met": None, "over_years": True}
    if isinstance(node, AllOf):
        members, needed, kind = list(node.all), len(node.all), "all"
    elif isinstance(node, AnyOf):
        members, needed, kind = list(node.any), 1, "any"
    elif isinstance(node, AtLeast):
        members = list(node.of) if node.of is not None else [c.id for c in criteria.criteria]
        needed, kind = node.at_least, f"at least {node.at_least}"
    else:
        return {"rule": str(node), "met": None}
    explained = [explain_node(member, district, criteria) for member in members]
    met = _kleene([m["met"] for m in explained], needed)
    return {"rule": kind, "met": met, "members": explained}


def explanation(criteria: Criteria, district: District) -> dict[str, Any]:
    """The tree behind ``qualifies``, and behind every named outcome."""
    if criteria.outcomes:
        outcomes = {}
        for outcome in criteria.outcomes:
            tree = explain_node(outcome.rule, district, criteria)
            tree["met"] = district.outcomes.get(outcome.id)  # the engine's, years included
            outcomes[outcome.id] = tree
        return {"qualifies": criteria.qualifying_outcome().id, "outcomes": outcomes}
    rule = criteria.scheme.rule
    node: object
    if rule == "all":
        node = AllOf(all=[c.id for c in criteria.criteria]) if criteria.criteria else None
    elif rule == "any":
        node = AnyOf(any=[c.id for c in criteria.criteria]) if criteria.criteria else None
    else:
        node = rule
    return {"qualifies": explain_node(node, district, criteria) if node is not None else None}
