"""The pydantic classes of a criteria file, and the reading of its rule trees.

Thresholds are read as :class:`~decimal.Decimal` so that ``4.8`` in the file means
exactly 4.8. The schema is strict (unknown keys are errors, so typos surface) and
versioned: ``version = 1`` files stay valid when later versions add nested
groups, relative thresholds and multi-year rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    ValidatorFunctionWrapHandler,
    model_validator,
)

from urbanscreen.columns import (
    AREA_COLUMNS,
    INDICATOR,
    QUALIFIES,
    REGION,
    SEX,
    UNCERTAIN,
    VALUE,
    YEAR,
)
from urbanscreen.suggest import closest
from urbanscreen.texts import Translations, split_texts

Operator = Literal["<", "<=", ">", ">="]
Unit = Literal["percent", "count", "number"]
Sex = Literal["total", "women", "men"]
# SCB computes a share only for groups of more than 20 persons.
SCB_RELIABLE_GROUP = 20
# Names the table and result already use for their own columns and roles.
RESERVED_IDS = frozenset({*AREA_COLUMNS, QUALIFIES, UNCERTAIN, YEAR, SEX, INDICATOR, VALUE, REGION})


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
        # validation reads this module's classes, so it is imported when a file is checked
        from urbanscreen.criteria.validation import check_references

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
