"""criteria.toml: the typed, versioned description of an eligibility scheme.

Thresholds are read as :class:`~decimal.Decimal` so that ``4.8`` in the file means
exactly 4.8. The schema is strict (unknown keys are errors, so typos surface) and
versioned: ``version = 1`` files stay valid when later versions add nested
groups, relative thresholds and multi-year rules.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from collections.abc import Mapping
from decimal import Decimal
from importlib import resources
from itertools import pairwise
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from urbanscreen.errors import CriteriaError, FileNotFoundInputError, Location
from urbanscreen.faults import read_one_version
from urbanscreen.messages import CATALOGUE, Few, Message, message
from urbanscreen.suggest import closest, missing_file_hint
from urbanscreen.texts import Translations, split_texts

MAX_CRITERIA_BYTES = 1024 * 1024
DEFAULT_PRESET = "scb-2012"
LOCAL_CRITERIA_FILE = "criteria.toml"

Operator = Literal["<", "<=", ">", ">="]
Unit = Literal["percent", "count", "number"]
Sex = Literal["total", "women", "men"]
# SCB computes a share only for groups of more than 20 persons.
SCB_RELIABLE_GROUP = 20
# Names the table and result already use for their own columns and roles.
RESERVED_IDS = frozenset(
    {
        "id",
        "name",
        "municipality",
        "municipality_code",
        "row",
        "qualifies",
        "uncertain",
        "year",
        "sex",
        "indicator",
        "value",
        "region",
    }
)


def _to_decimal(value: object) -> object:
    """Accept TOML integers and decimals, and floats given from Python, as exact decimals."""
    if isinstance(value, bool):
        return value  # let pydantic reject it: true is not a threshold
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # str() gives the shortest repr, so 4.8 becomes Decimal("4.8"), not 4.7999…
        return Decimal(str(value))
    return value


ExactNumber = Annotated[Decimal, BeforeValidator(_to_decimal), Field(allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class AtLeast(_Strict):
    """At least ``at_least`` of the criteria must hold (``of``: of these, else of all)."""

    at_least: int = Field(ge=1)
    of: list[RuleNode] | None = None

    @model_validator(mode="after")
    def _possible(self) -> AtLeast:
        if self.of is not None and self.at_least > len(self.of):
            raise ValueError(f"at_least = {self.at_least} of {len(self.of)} can never hold")
        return self


class AllOf(_Strict):
    """Every member must hold."""

    all: list[RuleNode] = Field(min_length=1)


class AnyOf(_Strict):
    """At least one member must hold."""

    any: list[RuleNode] = Field(min_length=1)


class Streak(_Strict):
    """``rule`` held in each of the last ``streak`` years (years of a long table)."""

    streak: int = Field(ge=1)
    rule: RuleNode


class HeldIn(_Strict):
    """``rule`` held in at least ``held_in`` of the last ``of_last`` years."""

    held_in: int = Field(ge=1)
    of_last: int = Field(ge=1)
    rule: RuleNode

    @model_validator(mode="after")
    def _possible(self) -> HeldIn:
        if self.held_in > self.of_last:
            raise ValueError(f"held_in = {self.held_in} of_last = {self.of_last} can never hold")
        return self


# A rule names a criterion or outcome by id, or combines rules; nothing is evaluated as code.
RuleNode = (
    Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")] | AllOf | AnyOf | AtLeast | Streak | HeldIn
)
# scheme.rule: "all" or "any" of the criteria, or any rule an outcome may have.
Rule = Literal["all", "any"] | AtLeast | AllOf | AnyOf | Streak | HeldIn
for _model in (AtLeast, AllOf, AnyOf, Streak, HeldIn):
    _model.model_rebuild()


SCHEME_RULE = "scheme"  # the path of scheme.rule's node values


def rule_members(node: object) -> list[object]:
    """The direct members of a rule node (none for a name)."""
    if isinstance(node, AllOf):
        return list(node.all)
    if isinstance(node, AnyOf):
        return list(node.any)
    if isinstance(node, AtLeast):
        return list(node.of or [])
    if isinstance(node, Streak | HeldIn):
        return [node.rule]
    return []


def rule_names(node: object) -> set[str]:
    """Every criterion or outcome id a rule names, at any depth."""
    if isinstance(node, str):
        return {node}
    names: set[str] = set()
    for member in rule_members(node):
        names |= rule_names(member)
    return names


def years_back(node: object, outcomes: Mapping[str, object] | None = None) -> int:
    """How many years before the screened one a rule reads (0: the screened year only).

    With ``outcomes`` (their rules by id), an outcome the rule names reads as far back as
    its own rule: a two-year streak of a three-year streak reads four years back."""
    if isinstance(node, str):
        return years_back(outcomes[node], outcomes) if outcomes and node in outcomes else 0
    deepest = max((years_back(m, outcomes) for m in rule_members(node)), default=0)
    if isinstance(node, Streak):
        return node.streak - 1 + deepest
    if isinstance(node, HeldIn):
        return node.of_last - 1 + deepest
    return deepest


def duplicate_members(node: object) -> list[str]:
    """Members named twice in one group, at any depth: ``at_least = 2`` of ``a, a, b``
    would count ``a`` twice."""
    found: list[str] = []
    if isinstance(node, AllOf | AnyOf | AtLeast):
        seen: set[str] = set()
        for member in rule_members(node):
            text = describe_rule(member)
            if text in seen and text not in found:
                found.append(text)
            seen.add(text)
    for member in rule_members(node):
        found += duplicate_members(member)
    return found


def describe_rule(node: object) -> str:
    """A rule as a person reads it: ``all of (beboere, at least 2 of (a, b, c, d))``."""
    if isinstance(node, str):
        return node
    if isinstance(node, AllOf):
        return "all of (" + ", ".join(describe_rule(m) for m in node.all) + ")"
    if isinstance(node, AnyOf):
        return "any of (" + ", ".join(describe_rule(m) for m in node.any) + ")"
    if isinstance(node, AtLeast):
        members = ", ".join(describe_rule(m) for m in node.of or [])
        return f"at least {node.at_least} of ({members or 'all criteria'})"
    if isinstance(node, Streak):
        return f"{describe_rule(node.rule)} in each of the last {node.streak} years"
    if isinstance(node, HeldIn):
        return f"{describe_rule(node.rule)} in {node.held_in} of the last {node.of_last} years"
    return str(node)


class Scheme(_Strict):
    """The policy being screened for."""

    name: str = Field(min_length=1)
    description: str = ""
    lang: str = "en"
    source: str = ""
    rule: Rule = "all"
    qualifies: str | None = None  # with [[outcomes]]: the outcome that decides `qualifies`
    # Headers of the id and name columns in this scheme's data, tried before the usual ones.
    id_columns: list[str] = []
    name_columns: list[str] = []
    population: str | None = None
    reliable_population_above: int = Field(default=SCB_RELIABLE_GROUP, ge=0)


class Relative(_Strict):
    """A threshold relative to a reference: ``times`` x the reference ``of``."""

    of: str
    times: ExactNumber = Decimal(1)


class Statistic(_Strict):
    """A reference computed from the data: the mean or median of a measure, over all
    rows or ``within`` groups (a column such as region), optionally ``weight``ed."""

    mean: str | None = None
    median: str | None = None
    within: str | None = None
    weight: str | None = None

    @model_validator(mode="after")
    def _one_statistic(self) -> Statistic:
        if (self.mean is None) == (self.median is None):
            raise ValueError('give exactly one of mean = "…" or median = "…"')
        if self.median is not None and self.weight is not None:
            raise ValueError("a weighted median is not supported; use mean with weight")
        return self

    @property
    def measure(self) -> str:
        return self.mean or self.median or ""


class Extreme(_Strict):
    """The greater (or lesser) of other references, row by row."""

    greatest: list[str] | None = None
    least: list[str] | None = None

    @model_validator(mode="after")
    def _one_side(self) -> Extreme:
        if (self.greatest is None) == (self.least is None):
            raise ValueError("give exactly one of greatest = [...] or least = [...]")
        return self


class ColumnReference(_Strict):
    """A reference that is a measure's value in each row (a tract's state median)."""

    column: str


Reference = ExactNumber | Statistic | Extreme | ColumnReference
Threshold = ExactNumber | Relative


class YearsMean(_Strict):
    """The criterion's value is the mean of the last ``mean`` years (a long table)."""

    mean: int = Field(ge=1)


class Count(_Strict):
    """A count column of small areas, summed over a district's areas."""

    column: str = Field(min_length=1)
    aliases: list[str] = []

    @property
    def headers(self) -> list[str]:
        return [self.column, *self.aliases]


class Measure(_Strict):
    """A column read from the data: the value of a criterion, or an input of a reference
    or an index. For districts built from small areas, a rate is recomputed from summed
    ``numerator`` and ``denominator`` counts, or else weighted by ``weight`` (a measure)."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    label: str = Field(min_length=1)
    short_label: str | None = Field(default=None, min_length=1, max_length=40)
    column: str = Field(min_length=1)
    aliases: list[str] = []
    unit: Unit
    sex: Sex = "total"
    scale: Literal["auto", "percent", "fraction"] = "auto"
    # A percent of a benchmark (a tract's income, 120 % of the state's) may pass 100.
    at_most_100: bool = True
    missing: list[str] = []
    numerator: Count | None = None
    denominator: Count | None = None
    weight: str | None = None
    source: str = ""
    description: str = ""

    @model_validator(mode="after")
    def _not_reserved(self) -> Measure:
        if (self.numerator is None) != (self.denominator is None):
            raise ValueError("give both numerator and denominator, or neither")
        if self.id in RESERVED_IDS:
            raise ValueError(
                f"id {self.id!r} is reserved for urbanscreen's own columns; "
                f"pick another, such as {self.id + '_value'!r}"
            )
        return self

    @property
    def headers(self) -> list[str]:
        """Every header this measure's column may have in an input file."""
        return [self.column, *self.aliases]

    @property
    def heading(self) -> str:
        """The label for narrow places such as a terminal column."""
        return self.short_label or self.label


class Criterion(Measure):
    """One indicator compared with one threshold."""

    op: Operator
    threshold: Threshold
    years: YearsMean | None = None
    # Decimals a value is shown with; see shown_decimals.
    decimals: int | None = Field(default=None, ge=0, le=9)

    @model_validator(mode="after")
    def _threshold_fits_unit(self) -> Criterion:
        if isinstance(self.threshold, Relative):
            return self
        if self.unit == "percent" and self.at_most_100 and not 0 <= self.threshold <= 100:
            raise ValueError("a percent threshold must lie between 0 and 100")
        if self.unit == "count" and self.threshold < 0:
            raise ValueError("a count threshold cannot be negative")
        return self

    @property
    def fixed_threshold(self) -> Decimal | None:
        """The threshold when it is a number written in the file, else None."""
        return None if isinstance(self.threshold, Relative) else self.threshold

    @property
    def shown_decimals(self) -> int:
        """How many decimals a value is shown with: ``decimals`` when the file gives it,
        else as many as the threshold is written with, and at least one for a percent."""
        if self.decimals is not None:
            return self.decimals
        threshold = self.fixed_threshold
        exponent = threshold.as_tuple().exponent if threshold is not None else 0
        written = -exponent if isinstance(exponent, int) and exponent < 0 else 0
        if self.unit == "percent" or (threshold is None and self.unit == "number"):
            return max(written, 1)
        return written

    def describe(self) -> str:
        """``< 52 %`` or ``>= 3 x national_mean``: the rule as a person reads it."""
        return f"{self.op} {threshold_text(self.threshold, self.unit)}"


class Outcome(_Strict):
    """A named result, such as a tier, that rules and other outcomes can refer to."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    label: str = Field(min_length=1)
    rule: RuleNode
    description: str = ""


class Tier(_Strict):
    """A band of an index: at or above ``at_least`` (a number), or ``sd`` standard
    deviations above the mean; the first tier that holds is the area's."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    label: str = Field(min_length=1)
    at_least: ExactNumber | None = None
    sd: ExactNumber | None = None


class Index(_Strict):
    """An index computed from measures (their mean, or a weighted sum), classified into
    tiers."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    label: str = Field(min_length=1)
    mean_of: list[str] | None = None
    weights: dict[str, ExactNumber] | None = None
    tiers: list[Tier] = []

    @model_validator(mode="after")
    def _one_formula(self) -> Index:
        if (self.mean_of is None) == (self.weights is None):
            raise ValueError("give exactly one of mean_of = [...] or weights = { … }")
        return self

    @property
    def inputs(self) -> list[str]:
        return list(self.mean_of or []) or list(self.weights or {})


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


def threshold_text(threshold: Threshold, unit: str) -> str:
    if isinstance(threshold, Relative):
        times = "" if threshold.times == 1 else f"{threshold.times:f} × "
        return f"{times}{threshold.of}"
    return format_threshold(threshold, unit)


def format_threshold(value: Decimal, unit: str) -> str:
    text = f"{value:,f}".replace(",", " ")
    return f"{text} %" if unit == "percent" else text


class Criteria(_Strict):
    """A whole criteria file: the scheme and its criteria."""

    version: Literal[1]
    scheme: Scheme
    criteria: list[Criterion] = []
    measures: list[Measure] = []
    references: dict[str, Reference] = {}
    outcomes: list[Outcome] = []
    indices: list[Index] = []

    _origin: str = PrivateAttr(default="")
    _sha256: str = PrivateAttr(default="")
    _translations: Translations = PrivateAttr(default_factory=dict)

    @model_validator(mode="wrap")
    @classmethod
    def _texts_by_language(cls, data: Any, handler: ValidatorFunctionWrapHandler) -> Criteria:
        """Texts given per language (``{ sv = "…", en = "…" }``) are validated as their
        text in the scheme's language; the others are kept for :func:`texts.in_language`."""
        plain, translations = split_texts(data)
        criteria: Criteria = handler(plain)
        criteria._translations = translations
        return criteria

    @property
    def translations(self) -> Translations:
        """Every text the file gives per language, by where it sits."""
        return self._translations

    @model_validator(mode="after")
    def _consistent(self) -> Criteria:
        seen: set[str] = set()
        ids = [item.id for item in (*self.criteria, *self.measures)]
        ids += [outcome.id for outcome in self.outcomes]
        ids += [index.id for index in self.indices]
        ids += [tier.id for index in self.indices for tier in index.tiers]
        for item_id in ids:
            if item_id in seen:
                raise ValueError(f"id {item_id!r} is used twice")
            seen.add(item_id)
        if not self.criteria and not self.indices:
            raise ValueError("the file has no [[criteria]] (and no [[indices]]) to screen on")
        check_references(self)
        population = self.scheme.population
        if population is not None and population not in {m.id for m in self.columns}:
            raise ValueError(
                f"scheme.population: {population!r} is no criterion or measure of the file "
                "(it must name the column holding each area's population)"
            )
        rule = self.scheme.rule
        # Without `of`, the criteria are the members; with it, they are checked as in any
        # rule (an outcome's `at_least = 2` of two members is valid on a one-criterion file).
        if isinstance(rule, AtLeast) and rule.of is None and rule.at_least > len(self.criteria):
            raise ValueError(
                f"scheme.rule asks for at least {rule.at_least} criteria "
                f"but the file has {len(self.criteria)}"
            )
        return self

    @property
    def origin(self) -> str:
        """Where the criteria came from: a file path or ``preset:NAME``."""
        return self._origin

    @property
    def sha256(self) -> str:
        """SHA-256 of the criteria file's bytes."""
        return self._sha256

    @property
    def columns(self) -> list[Measure]:
        """Every measure the data must provide: criteria first, then other measures."""
        return [*self.criteria, *self.measures]

    def measure(self, measure_id: str) -> Measure:
        return next(m for m in self.columns if m.id == measure_id)

    def rules(self) -> list[tuple[str, object]]:
        """Every rule tree with the path its node values are recorded under: each outcome's
        rule under its id, a scheme rule that is a tree under ``scheme``."""
        trees: list[tuple[str, object]] = [(o.id, o.rule) for o in self.outcomes]
        if not self.outcomes and not isinstance(self.scheme.rule, str):
            trees.append((SCHEME_RULE, self.scheme.rule))
        return trees

    def years_back(self) -> int:
        """How many years before the screened one any rule reads, through the outcomes
        it names."""
        outcomes = {o.id: o.rule for o in self.outcomes}
        return max((years_back(rule, outcomes) for _, rule in self.rules()), default=0)

    @property
    def needs_years(self) -> bool:
        """Whether answers need values of several years: a mean over years, or a rule
        over years (in an outcome or in scheme.rule)."""
        return any(c.years for c in self.criteria) or self.years_back() > 0

    def measures_read_by(self, names: set[str]) -> set[str]:
        """The measures that criteria, outcomes and tiers named in ``names`` read, through
        outcomes' rules, tiers' indices and thresholds' references."""
        outcomes = {o.id: o for o in self.outcomes}
        tiers = {t.id: index for index in self.indices for t in index.tiers}
        criteria = {c.id: c for c in self.criteria}
        seen: set[str] = set()
        read: set[str] = set()
        waiting = list(names)
        while waiting:
            name = waiting.pop()
            if name in seen:
                continue
            seen.add(name)
            if name in outcomes:
                waiting += rule_names(outcomes[name].rule)
            elif name in tiers:
                read |= set(tiers[name].inputs)
            elif name in criteria:
                read.add(name)
                threshold = criteria[name].threshold
                if isinstance(threshold, Relative):
                    read |= self._reference_measures(threshold.of)
        return read

    def _reference_measures(self, name: str) -> set[str]:
        reference = self.references.get(name)
        if isinstance(reference, Statistic):
            return {reference.measure, *([reference.weight] if reference.weight else [])}
        if isinstance(reference, ColumnReference):
            return {reference.column}
        if isinstance(reference, Extreme):
            members = reference.greatest or reference.least or []
            return {m for member in members for m in self._reference_measures(member)}
        return set()

    def required_columns(self) -> set[str]:
        """The measures ``qualifies`` reads, and every index's inputs: a table must have
        them. Others (a secondary outcome's, a population that only flags small ones) are
        unknown where a table lacks them."""
        if self.outcomes:
            deciding = {self.qualifying_outcome().id}
        else:
            deciding = {c.id for c in self.criteria} | rule_names(self.scheme.rule)
        inputs = {name for index in self.indices for name in index.inputs}
        return self.measures_read_by(deciding) | inputs

    def needed(self) -> int:
        """How many criteria must hold under a flat rule: all of them, one, or ``at_least``."""
        rule = self.scheme.rule
        if isinstance(rule, AtLeast):
            return rule.at_least
        return len(self.criteria) if rule == "all" else 1

    def rule_text(self) -> str:
        if self.outcomes:
            decisive = self.qualifying_outcome()
            return f"qualifies = {decisive.label} ({describe_rule(decisive.rule)})"
        rule = self.scheme.rule
        if rule == "all":
            return "all criteria must hold"
        if rule == "any":
            return "at least one criterion must hold"
        if isinstance(rule, AtLeast) and rule.of is None:
            return f"at least {self.needed()} of {len(self.criteria)} criteria must hold"
        return describe_rule(rule)

    def qualifying_outcome(self) -> Outcome:
        """The outcome that decides ``qualifies``: scheme.qualifies, else the first."""
        wanted = self.scheme.qualifies or self.outcomes[0].id
        return next(o for o in self.outcomes if o.id == wanted)


def preset_names() -> list[str]:
    """Names of the criteria files shipped inside the package."""
    folder = resources.files("urbanscreen") / "presets"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def preset_bytes(name: str) -> bytes:
    """The TOML text of a shipped preset, as stored in the package."""
    return (resources.files("urbanscreen") / "presets" / f"{name}.toml").read_bytes()


def default_criteria_source(cwd: Path | None = None) -> str:
    """``./criteria.toml`` when the working folder has one, else the packaged default."""
    folder = cwd or Path(".")
    local = folder / LOCAL_CRITERIA_FILE
    return str(local) if local.is_file() else DEFAULT_PRESET


def load_criteria(source: str | Path | None = None) -> Criteria:
    """Read and validate criteria from a file path or a preset name (default: ``scb-2012``)."""
    if source is None:
        source = DEFAULT_PRESET
    text_source = str(source)
    if isinstance(source, str) and text_source in preset_names():
        return parse_criteria(preset_bytes(text_source), origin=f"preset:{text_source}")
    path = Path(source)
    location = Location(file=path)
    if not path.exists():
        fallback = message("hint/criteria-path", presets=", ".join(preset_names()))
        # A bare name (no folder, no suffix) is more likely a misspelt preset than a file.
        bare = path.suffix == "" and len(path.parts) == 1
        preset = closest(text_source, preset_names()) if bare else []
        raise FileNotFoundInputError(
            message("file-not-found/criteria"),
            location=location,
            hint=message("hint/preset", preset=preset[0])
            if preset
            else missing_file_hint(path, fallback, {".toml"}),
        )
    if not path.is_file():
        raise CriteriaError(message("invalid-criteria/not-a-file"), location=location)
    if path.stat().st_size > MAX_CRITERIA_BYTES:
        raise CriteriaError(
            message("invalid-criteria/too-large", size=MAX_CRITERIA_BYTES // 1024),
            location=location,
            hint=message("hint/criteria-size"),
        )
    return parse_criteria(read_one_version(path), origin=str(path))


def parse_criteria(data: bytes, *, origin: str) -> Criteria:
    """Validate criteria from the bytes of a TOML file; ``origin`` names it in messages."""
    location = Location(file=Path(origin)) if not origin.startswith("preset:") else Location()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CriteriaError(
            message("invalid-criteria/not-utf8"),
            location=location,
            hint=message("hint/utf8"),
        ) from exc
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise _toml_error(exc, text, location) from exc
    try:
        criteria = Criteria.model_validate(raw)
    except ValidationError as exc:
        # dict.fromkeys: a typo in a union is the same line for each alternative that has
        # the key ({ rul = … } in a streak and a held_in).
        said = list(
            dict.fromkeys(
                _describe_validation_error(err, raw)
                for err in _typos_first(_condense(exc.errors()))
            )
        )
        first = said[0]
        if len(said) > 1:
            rest = Few(tuple(said[1:]), limit=len(said), separator="; ")
            first = message("invalid-criteria/more", first=said[0], n=len(said) - 1, rest=rest)
        raise CriteriaError(
            first,
            location=location,
            hint=message("hint/criteria"),
            problems=[line for problem in said for line in str(problem).split("\n")],
        ) from exc
    criteria._origin = origin
    criteria._sha256 = hashlib.sha256(data).hexdigest()
    return criteria


_UNION_TAGS = {
    "AllOf",
    "AnyOf",
    "AtLeast",
    "Streak",
    "HeldIn",
    "Statistic",
    "Extreme",
    "ColumnReference",
    "Relative",
    "constrained-str",
    "str",
    "decimal",
}
_VAGUE = {
    "missing",
    "extra_forbidden",
    "string_type",
    "literal_error",
    "string_pattern_mismatch",
    "model_type",
    "dict_type",
    "is_instance_of",
    "decimal_type",
    "decimal_parsing",
}


# Keys whose forms a message lists (criteria/forms/threshold in the message catalogue).
_FORMS = ("threshold", "rule")
SCHEME_RULES = ('"all"', '"any"')
_ID_PATTERN = "^[a-z][a-z0-9_]*$"


def _is_tag(part: object) -> bool:
    return isinstance(part, str) and (
        part in _UNION_TAGS or part.startswith(("function-", "literal[")) or "[" in part
    )


def _condense(errors: list[Any]) -> list[Any]:
    """One rule or threshold written wrong fails every alternative pydantic tried; keep the
    error that says what is wrong, not a line per alternative."""
    groups: dict[tuple[object, ...], list[Any]] = {}
    for err in errors:
        loc = tuple(err["loc"])
        cut = next((i for i, part in enumerate(loc) if _is_tag(part)), len(loc))
        groups.setdefault(loc[:cut], []).append(err)
    condensed = []
    for prefix, members in groups.items():
        if len(members) == 1:
            condensed.append(members[0])
            continue
        telling = [m for m in members if m["type"] not in _VAGUE]
        if telling:
            condensed.extend(telling)
        elif typos := [m for m in members if _misspelt(m)]:
            condensed.extend(typos)  # { al = [...] } was meant as { all = [...] }
        else:
            condensed.append(_no_form_fits(prefix, members[0].get("input")))
    return condensed


def _misspelt(err: Any) -> bool:
    """An unknown key that is close to a key of its table."""
    loc = tuple(err["loc"])
    return err["type"] == "extra_forbidden" and bool(closest(str(loc[-1]), _known_keys(loc[:-1])))


def _no_form_fits(prefix: tuple[object, ...], given: object) -> dict[str, object]:
    """The error for a value that fits none of a key's forms: the value, and the forms."""
    if prefix == ("scheme", "rule") and isinstance(given, str):
        quoted = f'"{given}"'
        meant = closest(quoted, SCHEME_RULES)
        said = message(
            "criteria/rule/meant" if meant else "criteria/rule",
            given=quoted,
            meant=meant[0] if meant else "",
        )
        return {"loc": prefix, "type": "value_error", "msg": said}
    last = str(prefix[-1]) if prefix else ""
    said = message(f"criteria/forms/{last}" if last in _FORMS else "criteria/forms")
    error: dict[str, object] = {"loc": prefix, "type": "value_error", "msg": said}
    if given is not None:
        error["input"] = given
    return error


def _typos_first(errors: list[Any]) -> list[Any]:
    """An unknown key is most often a misspelt one: say it first, and drop the "required
    key is missing" of the key it was meant to be (renaming it fixes both)."""
    meant: set[tuple[object, ...]] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            meant |= {(*loc[:-1], key) for key in closest(str(loc[-1]), _known_keys(loc[:-1]))}
    kept = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in meant)]
    return sorted(kept, key=lambda err: err["type"] != "extra_forbidden")


def _known_keys(loc: tuple[object, ...]) -> list[str]:
    """The keys the table at ``loc`` may hold, following pydantic's path through the models."""
    alternatives = (AllOf, AnyOf, AtLeast, Streak, HeldIn, Statistic, Extreme, ColumnReference)
    tagged: dict[str, type[BaseModel]] = {
        model.__name__: model for model in (*alternatives, Relative)
    }
    model: type[BaseModel] | None = Criteria
    for part in loc:
        if not isinstance(part, str):
            continue  # a list position
        # Which alternative of a union pydantic tried: "AllOf", or with a validator
        # "function-after[_one_statistic(), Statistic]".
        tag = re.search(r"(\w+)\]*$", part)
        if _is_tag(part) and tag and tag.group(1) in tagged:
            model = tagged[tag.group(1)]
        elif model is not None and part in model.model_fields:
            model = _only_model(model.model_fields[part].annotation)
    return sorted(model.model_fields) if model is not None else []


def _only_model(annotation: object) -> type[BaseModel] | None:
    """The one model a field's type holds (``list[Criterion]``: Criterion), else None."""
    found: set[type[BaseModel]] = set()
    pending = [annotation]
    while pending:
        current = pending.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            found.add(current)
        else:
            pending.extend(get_args(current))
    return found.pop() if len(found) == 1 else None


def _toml_error(exc: tomllib.TOMLDecodeError, text: str, location: Location) -> CriteriaError:
    """A TOML syntax error with its line, and the fix for the usual slips on that line."""
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(exc))
    number = int(found.group(1)) if found else None
    lines = text.splitlines()
    line = lines[number - 1].strip() if number and number <= len(lines) else ""
    reason = str(exc).replace(found.group(), "") if found else str(exc)
    hint = message("hint/toml")
    comma = re.fullmatch(r"([\w.-]+)\s*=\s*(-?\d+),(\d+)\s*(#.*)?", line)
    bare = re.fullmatch(r"([\w.-]+)\s*=\s*([^\s\"'\[{#\d+-][^#]*?)\s*(#.*)?", line)
    if comma:
        fixed = f"{comma.group(1)} = {comma.group(2)}.{comma.group(3)}"
        hint = message("hint/toml-decimal-point", fixed=fixed)
    elif bare and bare.group(2) not in {"true", "false", "inf", "nan"}:
        hint = message("hint/toml-quotes", fixed=f'{bare.group(1)} = "{bare.group(2)}"')
    said = message(
        "invalid-criteria/toml" + ("/at" if found else ""),
        line=number,
        column=found.group(2) if found else "",
        reason=reason,
        shown=f": {line}" if line else "",
    )
    return CriteriaError(said, location=location, hint=hint)


def _dotted_path(loc: tuple[int | str, ...]) -> str:
    """('criteria', 1, 'threshold') -> criteria[1].threshold, without pydantic's union tags."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _is_tag(part):
            continue
        else:
            path += f".{part}" if path else part
    return path or "(top level)"


def _describe_validation_error(err: Any, raw: object) -> Message:
    loc = tuple(err["loc"])
    kind = err["type"]
    said = (
        err["msg"]
        if isinstance(err["msg"], Message)
        else message(f"criteria/{kind}")
        if f"criteria/{kind}" in CATALOGUE
        else message("criteria/other", text=str(err["msg"]).removeprefix("Value error, "))
    )
    if kind == "literal_error":
        expected = re.findall(r"'[^']*'|\d+", str(err.get("ctx", {}).get("expected", "")))
        said = message(
            "criteria/literal_error",
            text=str(err["msg"]),
            expected=Few(tuple(expected), limit=len(expected), last="or"),
        )
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        meant = closest(str(loc[-1]), known)
        said = (
            message("criteria/extra_forbidden/meant", key=meant[0])
            if meant
            else message("criteria/extra_forbidden/keys", keys=", ".join(known))
            if known
            else said
        )
    bad_id = kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == _ID_PATTERN
    if bad_id:
        said = message("criteria/id")
    if not loc:
        return said  # whole-file problems carry their own paths
    criterion_id = _criterion_id(raw, loc)
    path: object = _dotted_path(loc)
    if criterion_id:
        path = message("criteria/path-of-criterion", path=path, id=repr(criterion_id))
    if kind not in {"missing", "extra_forbidden"} and "input" in err:
        given = err["input"]
        if not isinstance(given, dict | list):
            said = message("criteria/got", said=said, given=repr(given))
        fixed = _as_id(str(given)) if bad_id else ""
        if fixed:
            said = message("criteria/such-as", said=said, fixed=repr(fixed))
    return message("criteria/problem", path=path, said=said)


def _criterion_id(raw: object, loc: tuple[int | str, ...]) -> str | None:
    if len(loc) < 2 or loc[0] != "criteria" or not isinstance(loc[1], int):
        return None
    if not isinstance(raw, dict):
        return None
    items = raw.get("criteria")
    if not isinstance(items, list) or loc[1] >= len(items):
        return None
    item = items[loc[1]]
    found = item.get("id") if isinstance(item, dict) else None
    return found if isinstance(found, str) else None


def _as_id(text: str) -> str:
    """``Förvärvs-frekvens`` as an id: ``forvarvs_frekvens`` (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    return words.lstrip("0123456789_")
