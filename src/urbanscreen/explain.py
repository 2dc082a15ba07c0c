"""Why an area got its answer: the rule tree with every node's value, for people and JSON.

Every value is one the engine stored (each check's verdict and margin, each outcome's
and tier's truth, each group's and streak's truth by its path): nothing is evaluated
again here, so the explanation cannot disagree with the answer.
"""

from __future__ import annotations

from typing import Any

from urbanscreen.criteria.model import (
    SCHEME_RULE,
    AllOf,
    AnyOf,
    AtLeast,
    Criteria,
    HeldIn,
    Streak,
    describe_rule,
)
from urbanscreen.result import District
from urbanscreen.rules import members_of, span_of


def explain_node(
    node: object, district: District, criteria: Criteria, path: str, met: bool | None = None
) -> dict[str, Any]:
    """One node of a rule tree for ``district``: ``met`` is the engine's value of the node
    at ``path`` (given for a root, whose value is its outcome's or ``qualifies``)."""
    if isinstance(node, str):
        return _name(node, district)
    value = district.nodes.get(path) if met is None else met
    if isinstance(node, Streak | HeldIn):
        span, _ = span_of(node)
        child = f"{path}.0"
        years = [district.nodes.get(f"{child}@{back}") for back in range(span)]
        in_year = explain_node(node.rule, district, criteria, child, years[0])
        return {
            "rule": describe_rule(node),
            "met": value,
            "over_years": True,
            # The rule's value in the screened year, the year before, and so on.
            "years": years,
            "members": [in_year],
        }
    if not isinstance(node, AllOf | AnyOf | AtLeast):
        return {"rule": str(node), "met": None}
    members, _ = members_of(node, [c.id for c in criteria.criteria])
    kind = (
        "all"
        if isinstance(node, AllOf)
        else "any"
        if isinstance(node, AnyOf)
        else f"at least {node.at_least}"
    )
    explained = [
        explain_node(member, district, criteria, f"{path}.{i}") for i, member in enumerate(members)
    ]
    return {"rule": kind, "met": value, "members": explained}


def _name(name: str, district: District) -> dict[str, Any]:
    check = next((c for c in district.checks if c.criterion.id == name), None)
    if check is not None:
        return {
            "criterion": name,
            "met": check.met,
            "value": check.value,
            "op": check.criterion.op,
            "threshold": check.threshold,
            "margin": check.margin,
        }
    return {"outcome": name, "met": district.outcomes.get(name)}


def explanation(criteria: Criteria, district: District) -> dict[str, Any]:
    """The tree behind ``qualifies``, and behind every named outcome."""
    if criteria.outcomes:
        outcomes = {
            outcome.id: explain_node(
                outcome.rule, district, criteria, outcome.id, district.outcomes.get(outcome.id)
            )
            for outcome in criteria.outcomes
        }
        return {"qualifies": criteria.qualifying_outcome().id, "outcomes": outcomes}
    rule = criteria.scheme.rule
    node: object
    if rule == "all":
        node = AllOf(all=[c.id for c in criteria.criteria]) if criteria.criteria else None
    elif rule == "any":
        node = AnyOf(any=[c.id for c in criteria.criteria]) if criteria.criteria else None
    else:
        node = rule
    if node is None:
        return {"qualifies": None}
    return {"qualifies": explain_node(node, district, criteria, SCHEME_RULE, district.qualifies)}
