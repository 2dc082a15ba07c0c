"""The engine against a brute-force oracle written straight from the README's definitions.

hypothesis writes criteria files (all / any / at_least / streak / held_in, tiers by a
limit and by standard deviations, two-year means, thresholds relative to a mean, values
written as decimals at and near their thresholds) and tables by year with missing
values. The oracle below knows nothing of the engine: it reads the cells as exact
fractions, follows the README ("Thresholds are exact decimals", "Missing inputs to
statistics", "Indices", rules in three-valued logic) and decides every rule by its
possible worlds: each unknown leaf may be true or false; a rule is true when it is true
in every world, false when false in every one, else unknown. The engine must agree on
every criterion, tier, outcome and rule node, in every area and every year it evaluates,
and its explanation must show those same values.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import urbanscreen
from urbanscreen.engine import evaluate_years
from urbanscreen.explain import explanation

from .conftest import write_csv

FIRST_YEAR = 2018
OPS = ("<", "<=", ">", ">=")
# Each scenario draws its numbers from one family: a threshold, decimals at and near it,
# and decimals whose means land on it in exact arithmetic but not in binary floats
# ((0.3 + 9.3) / 2 = 4.8, in floats 4.800000000000001; (18.4 + 46.3 + 25.3) / 3 = 30).
FAMILIES = (
    ("4.8", ("4.8", "4.79", "4.81", "0.3", "9.3", "3.2", "6.4", "2.2", "7.4")),
    ("30", ("30", "29.99", "30.01", "18.4", "41.6", "46.3", "25.3", "0.1", "0.2")),
    ("52", ("52", "51.99", "52.01", "0.3", "9.3")),
)
TIMES = ("1", "0.8", "3")
MAX_WORLDS_EXHAUSTIVE = 10  # unknown leaves; beyond, the two extreme worlds (see _worlds)


@dataclass(frozen=True)
class Spec:
    """One criterion as generated."""

    op: str
    threshold: str  # a number, or "times x" of the mean of its own values
    relative: bool
    mean_years: int | None


@dataclass(frozen=True)
class Scenario:
    criteria: list[Spec]
    index: tuple[str, str] | None  # (sd, at_least) of the tiers "hi" and "mid", then "rest"
    outcomes: list[object]  # rule trees as plain data: str | ("all"|"any", [..]) | …
    cells: dict[str, list[list[str | None]]]  # area -> year -> criterion -> cell
    # The one rule written as scheme.rule, without [[outcomes]]: the same language, the
    # same meaning (its nodes under "scheme", its value as qualifies).
    scheme_rule: bool = False


def _rule(names: list[str], depth: int) -> st.SearchStrategy[object]:
    leaf = st.sampled_from(names)
    if depth == 0:
        return leaf
    inner = _rule(names, depth - 1)

    @st.composite
    def group(draw: Callable[..., Any]) -> object:
        kind = draw(st.sampled_from(["all", "any", "at_least", "streak", "held_in"]))
        if kind in {"streak", "held_in"}:
            span = draw(st.integers(1, 3))
            needed = span if kind == "streak" else draw(st.integers(1, span))
            return (kind, needed, span, draw(inner))
        # Members are distinct (a member named twice is refused): names, and one subtree.
        members: list[object] = draw(st.lists(leaf, min_size=1, max_size=3, unique=True))
        if draw(st.booleans()):
            members.append(draw(inner.filter(lambda node: not isinstance(node, str))))
        if kind == "at_least":
            return (kind, draw(st.integers(1, len(members))), members)
        return (kind, members)

    return st.one_of(leaf, group())


@st.composite
def scenarios(draw: Callable[..., Any]) -> Scenario:
    threshold, values = draw(st.sampled_from(FAMILIES))
    count = draw(st.integers(1, 3))
    specs = []
    for _ in range(count):
        relative = draw(st.booleans())
        specs.append(
            Spec(
                op=draw(st.sampled_from(OPS)),
                threshold=draw(st.sampled_from(TIMES)) if relative else threshold,
                relative=relative,
                mean_years=draw(st.sampled_from([None, None, 2])),
            )
        )
    index = None
    if draw(st.booleans()):
        index = (draw(st.sampled_from(["-1", "0", "1"])), threshold)
    names = [f"c{k}" for k in range(count)] + (["hi", "mid", "rest"] if index else [])
    outcomes: list[object] = []
    scheme_rule = draw(st.booleans())
    for position in range(1 if scheme_rule else draw(st.integers(1, 3))):
        outcomes.append(draw(_rule(names + [f"o{i}" for i in range(position)], 2)))
    if scheme_rule and isinstance(outcomes[0], str):
        outcomes[0] = ("all", [outcomes[0]])  # scheme.rule names no single criterion
    years = draw(st.integers(1, 4))
    areas = draw(st.integers(1, 4))
    cell = st.one_of(st.none(), st.sampled_from(values))
    cells = {
        f"A{a}": [[draw(cell) for _ in range(count)] for _ in range(years)] for a in range(areas)
    }
    return Scenario(specs, index, outcomes, cells, scheme_rule)


# -- writing the scenario as a user would --------------------------------------------------------


def _toml_rule(node: object) -> str:
    if isinstance(node, str):
        return f'"{node}"'
    assert isinstance(node, tuple)
    if node[0] in {"all", "any"}:
        return f"{{ {node[0]} = [{', '.join(_toml_rule(m) for m in node[1])}] }}"
    if node[0] == "at_least":
        return f"{{ at_least = {node[1]}, of = [{', '.join(_toml_rule(m) for m in node[2])}] }}"
    if node[0] == "streak":
        return f"{{ streak = {node[2]}, rule = {_toml_rule(node[3])} }}"
    return f"{{ held_in = {node[1]}, of_last = {node[2]}, rule = {_toml_rule(node[3])} }}"


def _criteria_text(scenario: Scenario) -> str:
    lines = ["version = 1", "[scheme]", 'name = "Oracle"']
    if scenario.scheme_rule:
        lines.append(f"rule = {_toml_rule(scenario.outcomes[0])}")
    else:
        lines.append(f'qualifies = "o{len(scenario.outcomes) - 1}"')
    if any(spec.relative for spec in scenario.criteria):
        lines.append("[references]")
        lines += [
            f'avg{k} = {{ mean = "c{k}" }}' for k, s in enumerate(scenario.criteria) if s.relative
        ]
    for k, spec in enumerate(scenario.criteria):
        threshold = (
            f'{{ times = {spec.threshold}, of = "avg{k}" }}' if spec.relative else spec.threshold
        )
        lines += [
            "[[criteria]]",
            f'id = "c{k}"',
            f'label = "C{k}"',
            f'column = "C{k}"',
            'unit = "percent"',
            'scale = "percent"',
            f'op = "{spec.op}"',
            f"threshold = {threshold}",
        ]
        if spec.mean_years:
            lines.append(f"years = {{ mean = {spec.mean_years} }}")
    if scenario.index is not None:
        sd, at_least = scenario.index
        inputs = ", ".join(f'"c{k}"' for k in range(min(2, len(scenario.criteria))))
        lines += [
            "[[indices]]",
            'id = "index"',
            'label = "Index"',
            f"mean_of = [{inputs}]",
            f'tiers = [{{ id = "hi", label = "Hi", sd = {sd} }}, '
            f'{{ id = "mid", label = "Mid", at_least = {at_least} }}, '
            '{ id = "rest", label = "Rest" }]',
        ]
    for position, rule in enumerate([] if scenario.scheme_rule else scenario.outcomes):
        lines += ["[[outcomes]]", f'id = "o{position}"', f'label = "O{position}"']
        lines.append(f"rule = {_toml_rule(rule)}")
    return "\n".join(lines) + "\n"


# -- the oracle ----------------------------------------------------------------------------------

Leaf = tuple[object, ...]
Formula = object  # a Leaf (as ("leaf", key)) or ("atleast", k, [formulas])


class Oracle:
    """Every value from the cells by the README's definitions, in exact fractions."""

    def __init__(self, scenario: Scenario) -> None:
        self.s = scenario
        self.areas = list(scenario.cells)
        self.years = [FIRST_YEAR + i for i in range(len(next(iter(scenario.cells.values()))))]

    def raw(self, area: str, year: int, k: int) -> Fraction | None:
        position = year - FIRST_YEAR
        if not 0 <= position < len(self.years):
            return None
        cell = self.s.cells[area][position][k]
        return None if cell is None else Fraction(Decimal(cell))

    def value(self, area: str, year: int, k: int) -> Fraction | None:
        """The criterion's value: the mean of the last n years where it says so."""
        span = self.s.criteria[k].mean_years or 1
        values = [self.raw(area, year - back, k) for back in range(span)]
        if any(v is None for v in values):
            return None  # a mean of the years that happen to be known is another mean
        return sum(values, Fraction(0)) / span  # type: ignore[arg-type]

    def threshold(self, year: int, k: int) -> Fraction | None:
        spec = self.s.criteria[k]
        if not spec.relative:
            return Fraction(Decimal(spec.threshold))
        # A statistic of the data is unknown when any value it is computed from is.
        values = [self.value(area, year, k) for area in self.areas]
        if any(v is None for v in values):
            return None
        return Fraction(Decimal(spec.threshold)) * sum(values, Fraction(0)) / len(values)  # type: ignore[arg-type]

    def met(self, area: str, year: int, k: int) -> bool | None:
        value, limit = self.value(area, year, k), self.threshold(year, k)
        if value is None or limit is None:
            return None
        op = self.s.criteria[k].op
        return {"<": value < limit, "<=": value <= limit, ">": value > limit, ">=": value >= limit}[
            op
        ]

    def index(self, area: str, year: int) -> Fraction | None:
        inputs = [self.value(area, year, k) for k in range(min(2, len(self.s.criteria)))]
        if any(v is None for v in inputs):
            return None
        return sum(inputs, Fraction(0)) / len(inputs)  # type: ignore[arg-type]

    def reached(self, area: str, year: int, tier: str) -> bool | None:
        assert self.s.index is not None
        score = self.index(area, year)
        if score is None:
            return None
        if tier == "rest":
            return True
        if tier == "mid":
            return score >= Fraction(Decimal(self.s.index[1]))
        scores = [self.index(a, year) for a in self.areas]
        if any(v is None for v in scores):
            return None  # mean and deviation unknown: so is the limit
        known = [v for v in scores if v is not None]
        mean = sum(known, Fraction(0)) / len(known)
        variance = sum(((v - mean) ** 2 for v in known), Fraction(0)) / len(known)
        sd = Fraction(Decimal(self.s.index[0]))
        # score >= mean + sd x sqrt(variance), decided without a square root.
        above = score - mean
        if sd >= 0:
            return above >= 0 and above * above >= sd * sd * variance
        return above >= 0 or above * above <= sd * sd * variance

    # Rules become formulas over leaves; outcomes and tiers are expanded in place, so an
    # unknown leaf named twice takes one value in each world.

    def formula(self, node: object, year: int) -> Formula:
        if isinstance(node, str):
            if node.startswith("c"):
                return ("leaf", ("met", node, year))
            if node.startswith("o"):
                return self.formula(self.s.outcomes[int(node[1:])], year)
            order = ["hi", "mid", "rest"]
            reached = [("leaf", ("tier", t, year)) for t in order[: order.index(node) + 1]]
            return ("atleast", 1, reached)  # this tier or a higher one
        assert isinstance(node, tuple)
        if node[0] == "all":
            return ("atleast", len(node[1]), [self.formula(m, year) for m in node[1]])
        if node[0] == "any":
            return ("atleast", 1, [self.formula(m, year) for m in node[1]])
        if node[0] == "at_least":
            return ("atleast", node[1], [self.formula(m, year) for m in node[2]])
        _, needed, span, rule = node
        return ("atleast", needed, [self.in_year(rule, year - back) for back in range(span)])

    def in_year(self, rule: object, year: int) -> Formula:
        if year not in self.years:
            return ("leaf", ("absent", repr(rule), year))  # no data that year: unknown
        return self.formula(rule, year)

    def leaf(self, area: str, key: Leaf) -> bool | None:
        if key[0] == "met":
            return self.met(area, int(str(key[2])), int(str(key[1])[1:]))
        if key[0] == "tier":
            return self.reached(area, int(str(key[2])), str(key[1]))
        return None

    def truth(self, area: str, formula: Formula) -> bool | None:
        """True if true in every possible world, false if false in every one, else None."""
        known: dict[Leaf, bool | None] = {}
        _leaves(formula, lambda key: known.setdefault(key, self.leaf(area, key)))
        open_ = sorted((k for k, v in known.items() if v is None), key=repr)
        results = {
            _evaluate(formula, {**known, **dict(zip(open_, w, strict=True))})
            for w in _worlds(len(open_))
        }
        return results.pop() if len(results) == 1 else None


def _worlds(count: int) -> list[tuple[bool, ...]]:
    """Every assignment of the unknown leaves; with many, the all-false and all-true worlds
    alone, which bound every other since every connective is monotone (no "not")."""
    if count <= MAX_WORLDS_EXHAUSTIVE:
        return list(itertools.product([False, True], repeat=count))
    return [(False,) * count, (True,) * count]


def _leaves(formula: Formula, visit: Callable[[Leaf], object]) -> None:
    assert isinstance(formula, tuple)
    if formula[0] == "leaf":
        visit(formula[1])
    else:
        for member in formula[2]:
            _leaves(member, visit)


def _evaluate(formula: Formula, world: dict[Leaf, bool | None]) -> bool:
    assert isinstance(formula, tuple)
    if formula[0] == "leaf":
        return bool(world[formula[1]])
    return sum(_evaluate(m, world) for m in formula[2]) >= formula[1]


def _nodes(node: object, path: str) -> list[tuple[str, object, int]]:
    """Every composite node below a root: (path, rule, years back), as the engine names them
    (member i of a group at ``path.i``; a streak's rule ``back`` years before at
    ``path.0@back``)."""
    if isinstance(node, str):
        return []
    assert isinstance(node, tuple)
    found: list[tuple[str, object, int]] = [(path, node, 0)]
    if node[0] in {"streak", "held_in"}:
        found += [(f"{path}.0@{back}", node[3], back) for back in range(node[2])]
        return found + _nodes(node[3], f"{path}.0")
    members = node[2] if node[0] == "at_least" else node[1]
    for i, member in enumerate(members):
        found += _nodes(member, f"{path}.{i}")
    return found


def _flag(value: object) -> bool | None:
    return None if value is None or value is pd.NA else bool(value)


def _check_explained(
    tree: dict[str, Any], node: object, oracle: Oracle, area: str, year: int
) -> None:
    """Each node of the explanation carries the oracle's value of its rule."""
    assert tree["met"] == oracle.truth(area, oracle.formula(node, year)), (tree, node)
    if isinstance(node, str):
        return
    assert isinstance(node, tuple)
    if node[0] in {"streak", "held_in"}:
        expected = [oracle.truth(area, oracle.in_year(node[3], year - b)) for b in range(node[2])]
        assert tree["years"] == expected
        _check_explained(tree["members"][0], node[3], oracle, area, year)
        return
    members = node[2] if node[0] == "at_least" else node[1]
    for member_tree, member in zip(tree["members"], members, strict=True):
        _check_explained(member_tree, member, oracle, area, year)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(scenario=scenarios())
# (0.3 + 9.3) / 2 is 4.8 exactly, 4.800000000000001 in floats: "<= 4.8" holds, in 2019
# (the mean of 2018 and 2019) and so in the streak over 2019 and 2020.
@example(
    scenario=Scenario(
        [Spec("<=", "4.8", False, 2)],
        None,
        ["c0", ("streak", 2, 2, "c0")],
        {"A0": [["0.3"], ["9.3"], ["0.3"]], "A1": [["4.8"], [None], ["4.8"]]},
    )
)
# An outcome's streak over another outcome's streak reads back through both: o1 in 2020
# needs o0 in 2019, which needs c0 in 2018, a year screening 2020 must evaluate too.
@example(
    scenario=Scenario(
        [Spec(">", "4.8", False, None)],
        None,
        [("streak", 2, 2, "c0"), ("streak", 2, 2, "o0")],
        {"A0": [["9.3"], ["9.3"], ["9.3"]], "A1": [["9.3"], ["0.3"], ["9.3"]]},
    )
)
# scheme.rule is the same language as an outcome's rule: a streak over a two-year mean
# and a tier, without [[outcomes]]; A0's 2019 mean (0.3 + 9.3) / 2 is exactly 4.8.
@example(
    scenario=Scenario(
        [Spec("<=", "4.8", False, 2), Spec(">", "4.8", False, None)],
        ("0", "4.8"),
        [("any", ["mid", ("streak", 2, 2, "c0")])],
        {"A0": [["0.3", "9.3"], ["9.3", "0.3"], ["0.3", None]], "A1": [["4.8", "4.8"]] * 3},
        scheme_rule=True,
    )
)
def test_the_engine_agrees_with_the_oracle(tmp_path: Path, scenario: Scenario) -> None:
    criteria_path = tmp_path / "c.toml"
    criteria_path.write_text(_criteria_text(scenario), encoding="utf-8")
    criteria = urbanscreen.load_criteria(criteria_path)
    header = ["Område", "År", *(f"C{k}" for k in range(len(scenario.criteria)))]
    rows: list[list[object]] = [header]
    for area, yearly in scenario.cells.items():
        rows += [
            [area, FIRST_YEAR + i, *(".." if c is None else c for c in cells)]
            for i, cells in enumerate(yearly)
        ]
    oracle = Oracle(scenario)
    last = oracle.years[-1]
    table = urbanscreen.load_table(
        write_csv(tmp_path / "d.csv", rows, separator=","), criteria, year=last, decimal="."
    )
    evaluated = evaluate_years(table, criteria, oracle.years)
    assert last in evaluated
    ids = table.frame["id"].tolist()
    tiers = ["hi", "mid", "rest"] if scenario.index else []
    for year, found in evaluated.items():
        assert isinstance(year, int)
        for row, area in enumerate(ids):
            for k in range(len(scenario.criteria)):
                got = _flag(found.mets[f"c{k}"].iloc[row])
                assert got == oracle.met(area, year, k), (area, year, k)
            for tier in tiers:
                expected = oracle.truth(area, oracle.formula(tier, year))
                assert _flag(found.tier_flags[tier].iloc[row]) == expected, (area, year, tier)
            for position, rule in enumerate(scenario.outcomes):
                root = "scheme" if scenario.scheme_rule else f"o{position}"
                expected = oracle.truth(area, oracle.formula(rule, year))
                decided = found.qualifies if scenario.scheme_rule else found.outcomes[root]
                assert _flag(decided.iloc[row]) == expected, (area, year, root)
                for path, node, back in _nodes(rule, root):
                    value = oracle.truth(area, oracle.in_year(node, year - back))
                    assert _flag(found.nodes[path].iloc[row]) == value, (area, year, path)
    result = urbanscreen.screen(table, criteria)
    for district in result.districts():
        if scenario.scheme_rule:
            tree = explanation(criteria, district)["qualifies"]
            _check_explained(tree, scenario.outcomes[0], oracle, district.id, last)
            continue
        explained = explanation(criteria, district)["outcomes"]
        for position, rule in enumerate(scenario.outcomes):
            _check_explained(explained[f"o{position}"], rule, oracle, district.id, last)
