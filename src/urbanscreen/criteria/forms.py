"""The values a key of a criteria file may take in more than one form: a rule (a name, or a
table of all, any, at_least, streak or held_in), a threshold (a number, or relative to a
reference) and a reference (a number, a statistic, the greater or lesser of others, a
column); and how a rule is read: the names it uses, how far back it reads, how it is said.

Thresholds are read as :class:`~decimal.Decimal` so that ``4.8`` in the file means
exactly 4.8.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    model_validator,
)

from urbanscreen.errors import InvalidValues
from urbanscreen.messages import message
from urbanscreen.suggest import closest


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


# Unknown keys are errors (a typo surfaces), values are not coerced, a read file is not changed.
# Validators are built at import, not on first use (defer_build): a program's threads may load
# criteria or build a rule at once, and two threads building a model together fail in pydantic
# 2.7, the floor; the import lock lets one thread build while the others wait.
STRICT = ConfigDict(extra="forbid", frozen=True, strict=True)


class _Strict(BaseModel):
    model_config = STRICT


class AtLeast(_Strict):
    """At least ``at_least`` of the criteria must hold (``of``: of these, else of all)."""

    at_least: int = Field(ge=1)
    of: list[RuleNode] | None = None

    @model_validator(mode="after")
    def _possible(self) -> AtLeast:
        if self.of is not None and self.at_least > len(self.of):
            said = message("criteria/never-holds/at-least", at_least=self.at_least, n=len(self.of))
            raise InvalidValues(said)
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
            said = message(
                "criteria/never-holds/held-in", held_in=self.held_in, of_last=self.of_last
            )
            raise InvalidValues(said)
        return self


# A union's form is read from the keys a value has (a discriminator), so pydantic checks
# the value against that one form and its errors speak of that form, not of every form it
# might have been. Each form is tagged: a model by its class name, a name or number by one
# of these. Tags show in an error's path, where criteria.messages drops them.
NAME_TAG = "<name>"
NUMBER_TAG = "<number>"
# The error types of a value that has none of a union's forms (worded in criteria.messages).
RULE_FORM = "forms/rule"
SCHEME_RULE_FORM = "forms/scheme-rule"
THRESHOLD_FORM = "forms/threshold"
REFERENCE_FORM = "forms/reference"


def _table_form(value: object, keys: Mapping[str, type[BaseModel]]) -> str | None:
    """The tag of the form a model or a TOML table is written in: the form of the first key
    only that form has, else of the key a misspelt one is closest to (``{ al = [...] }``
    is an all), so a typo is reported as a typo in that form; None when nothing fits."""
    if isinstance(value, BaseModel):
        return type(value).__name__
    if not isinstance(value, dict):
        return None
    meant = [key for key in value if key in keys]
    meant += [near for key in value for near in closest(str(key), keys)]
    return keys[meant[0]].__name__ if meant else None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float | Decimal) and not isinstance(value, bool)


# The keys that tell one form of a rule from the others (`rule` is a streak's and a held_in's).
_RULE_KEYS: dict[str, type[BaseModel]] = {
    "all": AllOf,
    "any": AnyOf,
    "at_least": AtLeast,
    "of": AtLeast,
    "streak": Streak,
    "held_in": HeldIn,
    "of_last": HeldIn,
}


def _rule_form(value: object) -> str | None:
    return NAME_TAG if isinstance(value, str) else _table_form(value, _RULE_KEYS)


def _scheme_rule_form(value: object) -> str | None:
    if isinstance(value, str):
        return NAME_TAG if value in ("all", "any") else None
    return _table_form(value, _RULE_KEYS)


# The tables a rule may be, each tagged with its class name.
_RuleTable = (
    Annotated[AllOf, Tag("AllOf")]
    | Annotated[AnyOf, Tag("AnyOf")]
    | Annotated[AtLeast, Tag("AtLeast")]
    | Annotated[Streak, Tag("Streak")]
    | Annotated[HeldIn, Tag("HeldIn")]
)
# A rule names a criterion or outcome by id, or combines rules; nothing is evaluated as code.
RuleNode = Annotated[
    Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$"), Tag(NAME_TAG)] | _RuleTable,
    Discriminator(
        _rule_form,
        custom_error_type=RULE_FORM,
        custom_error_message="a rule names a criterion or outcome, or is a table of all, any, "
        "at_least, streak or held_in",
    ),
]
# scheme.rule: "all" or "any" of the criteria, or any rule an outcome may have.
Rule = Annotated[
    Annotated[Literal["all", "any"], Tag(NAME_TAG)] | _RuleTable,
    Discriminator(
        _scheme_rule_form,
        custom_error_type=SCHEME_RULE_FORM,
        custom_error_message='scheme.rule is "all", "any", or a table of all, any, at_least, '
        "streak or held_in",
    ),
]
for _model in (AtLeast, AllOf, AnyOf, Streak, HeldIn):
    _model.model_rebuild()


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
            raise InvalidValues(message("criteria/one-statistic"))
        if self.median is not None and self.weight is not None:
            raise InvalidValues(message("criteria/weighted-median"))
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
            raise InvalidValues(message("criteria/one-extreme"))
        return self


class ColumnReference(_Strict):
    """A reference that is a measure's value in each row (a tract's state median)."""

    column: str


_REFERENCE_KEYS: dict[str, type[BaseModel]] = {
    "mean": Statistic,
    "median": Statistic,
    "within": Statistic,
    "weight": Statistic,
    "greatest": Extreme,
    "least": Extreme,
    "column": ColumnReference,
}


def _reference_form(value: object) -> str | None:
    return NUMBER_TAG if _is_number(value) else _table_form(value, _REFERENCE_KEYS)


def _threshold_form(value: object) -> str | None:
    keys = {"of": Relative, "times": Relative}
    return NUMBER_TAG if _is_number(value) else _table_form(value, keys)


Reference = Annotated[
    Annotated[ExactNumber, Tag(NUMBER_TAG)]
    | Annotated[Statistic, Tag("Statistic")]
    | Annotated[Extreme, Tag("Extreme")]
    | Annotated[ColumnReference, Tag("ColumnReference")],
    Discriminator(
        _reference_form,
        custom_error_type=REFERENCE_FORM,
        custom_error_message="a reference is a number, or a table of mean, median, greatest, "
        "least or column",
    ),
]
Threshold = Annotated[
    Annotated[ExactNumber, Tag(NUMBER_TAG)] | Annotated[Relative, Tag("Relative")],
    Discriminator(
        _threshold_form,
        custom_error_type=THRESHOLD_FORM,
        custom_error_message="a threshold is a number, or { times = …, of = reference }",
    ),
]


def threshold_text(threshold: Threshold, unit: str) -> str:
    if isinstance(threshold, Relative):
        times = "" if threshold.times == 1 else f"{threshold.times:f} × "
        return f"{times}{threshold.of}"
    return format_threshold(threshold, unit)


def format_threshold(value: Decimal, unit: str) -> str:
    text = f"{value:,f}".replace(",", " ")
    return f"{text} %" if unit == "percent" else text
