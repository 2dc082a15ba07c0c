"""The entries of a criteria file's tables, each checked on its own: the scheme, a measure,
a criterion, an outcome, an index and its tiers; and the tables together, before the checks
across them (:mod:`urbanscreen.criteria.validation`)."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field, model_validator

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
from urbanscreen.criteria.forms import (
    STRICT,
    ExactNumber,
    Reference,
    Relative,
    Rule,
    RuleNode,
    Threshold,
    threshold_text,
)
from urbanscreen.errors import InvalidValues
from urbanscreen.messages import message


# The same strict base as the forms', declared here so that ruff sees these are pydantic
# models (whose list defaults are copied per instance), not classes with shared mutable state.
class _Strict(BaseModel):
    model_config = STRICT


Operator = Literal["<", "<=", ">", ">="]
Unit = Literal["percent", "count", "number"]
Sex = Literal["total", "women", "men"]
# SCB computes a share only for groups of more than 20 persons.
SCB_RELIABLE_GROUP = 20
# Names the table and result already use for their own columns and roles.
RESERVED_IDS = frozenset({*AREA_COLUMNS, QUALIFIES, UNCERTAIN, YEAR, SEX, INDICATOR, VALUE, REGION})


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
            raise InvalidValues(message("criteria/numerator-and-denominator"))
        if self.id in RESERVED_IDS:
            said = message("criteria/reserved-id", id=repr(self.id), other=repr(f"{self.id}_value"))
            raise InvalidValues(said)
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
            raise InvalidValues(message("criteria/percent-threshold"))
        if self.unit == "count" and self.threshold < 0:
            raise InvalidValues(message("criteria/negative-count"))
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
            raise InvalidValues(message("criteria/one-formula"))
        return self

    @property
    def inputs(self) -> list[str]:
        return list(self.mean_of or []) or list(self.weights or {})


class CriteriaTables(_Strict):
    """The tables of a criteria file, each entry valid on its own."""

    version: Literal[1]
    scheme: Scheme
    criteria: list[Criterion] = []
    measures: list[Measure] = []
    references: dict[str, Reference] = {}
    outcomes: list[Outcome] = []
    indices: list[Index] = []

    @property
    def columns(self) -> list[Measure]:
        """Every measure the data must provide: criteria first, then other measures."""
        return [*self.criteria, *self.measures]
