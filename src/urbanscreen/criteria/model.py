"""A whole criteria file: its tables, checked across each other, and what it asks of the
data (the measures it reads, how many years back its rules look).

The schema is strict (unknown keys are errors, so typos surface) and versioned:
``version = 1`` files stay valid when later versions add nested groups, relative
thresholds and multi-year rules. The classes of its entries (``entries``) and of the values
with several forms (``forms``) are named here too, so a reader of a file imports one module.
"""

from __future__ import annotations

from typing import Any

from pydantic import PrivateAttr, ValidatorFunctionWrapHandler, model_validator

from urbanscreen.criteria.entries import (
    RESERVED_IDS,
    SCB_RELIABLE_GROUP,
    Count,
    CriteriaTables,
    Criterion,
    Index,
    Measure,
    Operator,
    Outcome,
    Scheme,
    Sex,
    Tier,
    Unit,
    YearsMean,
)
from urbanscreen.criteria.forms import (
    AllOf,
    AnyOf,
    AtLeast,
    ColumnReference,
    ExactNumber,
    Extreme,
    HeldIn,
    Reference,
    Relative,
    Rule,
    RuleNode,
    Statistic,
    Streak,
    Threshold,
    describe_rule,
    duplicate_members,
    format_threshold,
    rule_members,
    rule_names,
    threshold_text,
    years_back,
)
from urbanscreen.criteria.validation import check_across_tables
from urbanscreen.texts import Translations, split_texts

__all__ = [
    "RESERVED_IDS",
    "SCB_RELIABLE_GROUP",
    "SCHEME_RULE",
    "AllOf",
    "AnyOf",
    "AtLeast",
    "ColumnReference",
    "Count",
    "Criteria",
    "Criterion",
    "ExactNumber",
    "Extreme",
    "HeldIn",
    "Index",
    "Measure",
    "Operator",
    "Outcome",
    "Reference",
    "Relative",
    "Rule",
    "RuleNode",
    "Scheme",
    "Sex",
    "Statistic",
    "Streak",
    "Threshold",
    "Tier",
    "Unit",
    "YearsMean",
    "describe_rule",
    "duplicate_members",
    "format_threshold",
    "rule_members",
    "rule_names",
    "threshold_text",
    "years_back",
]

SCHEME_RULE = "scheme"  # the path of scheme.rule's node values


class Criteria(CriteriaTables):
    """A whole criteria file: the scheme and its criteria."""

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
        """The tables fit together: the last check, once each entry is valid on its own."""
        check_across_tables(self)
        return self

    @property
    def origin(self) -> str:
        """Where the criteria came from: a file path or ``preset:NAME``."""
        return self._origin

    @property
    def sha256(self) -> str:
        """SHA-256 of the criteria file's bytes."""
        return self._sha256

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
