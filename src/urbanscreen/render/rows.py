"""The Districts table of CSV: one row per district, every check spelled out.

Id, name, municipality, then per criterion the value beside its threshold, whether it is
met and by what margin (with summed counts and bounds where there are), then the outcome.
The workbook shows the same figures in two sheets, Districts and Details (render/excel.py).
Values are at their criterion's precision, counts whole.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from urbanscreen.columns import LOW, bound_column
from urbanscreen.criteria.model import Criterion
from urbanscreen.render.values import rounded, shown_value, whole
from urbanscreen.result import AreaColumns, CheckColumns, Result

Kind = Literal["text", "value", "threshold", "verdict", "margin", "outcome", "flag", "row"]
Cell = str | float | int | None


@dataclass(frozen=True)
class Column:
    """A Districts column: its header, what it holds, and the unit of its numbers."""

    header: str
    kind: Kind
    unit: str = ""


def outcome_word(qualifies: bool | None, words: Mapping[str, str]) -> str:
    if qualifies is None:
        return words["unknown"]
    return words["yes"] if qualifies else words["no"]


def verdict_word(met: bool | None, words: Mapping[str, str]) -> str:
    if met is None:
        return f"? {words['unknown'].lower()}"
    return f"✓ {words['met']}" if met else f"✗ {words['not_met']}"


def district_columns(result: Result, words: Mapping[str, str]) -> list[Column]:
    columns = [
        Column(words["id"], "text"),
        Column(words["name"], "text"),
        Column(words["municipality"], "text"),
        Column(words["municipality_code"], "text"),
        Column(words["qualifies"], "outcome"),
    ]
    traced = result.table.layout == "districts"
    if traced:
        columns.append(Column(words["areas"], "text"))
    for criterion in result.criteria.criteria:
        label = criterion.label
        columns += [
            Column(label, "value", criterion.unit),
            Column(f"{label}: {words['threshold']}", "threshold", criterion.unit),
            Column(f"{label}: {words['verdict']}", "verdict"),
            Column(margin_header(criterion, words), "margin", criterion.unit),
        ]
        if traced:
            columns += [
                Column(f"{label}: {words['numerator']}", "value", "count"),
                Column(f"{label}: {words['denominator']}", "value", "count"),
            ]
        if has_bounds(result, criterion):
            columns += [
                Column(f"{label}: {words['low']}", "value", criterion.unit),
                Column(f"{label}: {words['high']}", "value", criterion.unit),
            ]
    for outcome in result.criteria.outcomes:
        columns.append(Column(outcome.label, "outcome"))
    for index in result.criteria.indices:
        columns += [Column(index.label, "value", "number"), Column(f"{index.label}: tier", "text")]
    if result.population_floor is not None:
        columns.append(Column(words["uncertain"], "flag"))
    columns.append(Column(words["row"], "row"))
    return columns


def district_cell_columns(
    areas: AreaColumns, result: Result, words: Mapping[str, str]
) -> list[list[Cell | bool]]:
    """Every district's cells column by column, in :func:`district_columns` order, without
    an object and a list per district."""
    outcome = {flag: outcome_word(flag, words) for flag in (True, False, None)}
    columns: list[list[Cell | bool]] = [
        list(areas.ids),
        list(areas.names),
        list(areas.municipalities),
        list(areas.municipality_codes),
        [outcome[flag] for flag in areas.qualifies],
    ]
    traced = result.table.layout == "districts"
    if traced:
        columns.append([", ".join(codes) for codes in areas.areas])
    verdict = {met: verdict_word(met, words) for met in (True, False, None)}
    for criterion in result.criteria.criteria:
        checks = areas.checks[criterion.id]
        decimals = criterion.shown_decimals
        columns += [
            _value_column(checks),
            [rounded(value, criterion.unit, decimals, None) for value in checks.threshold],
            [verdict[met] for met in checks.met],
            [rounded(value, criterion.unit, decimals, None) for value in checks.margin],
        ]
        if traced:
            columns += [list(map(whole, checks.numerator)), list(map(whole, checks.denominator))]
        if has_bounds(result, criterion):
            columns += [_bound_column(checks, checks.low), _bound_column(checks, checks.high)]
    for named in result.criteria.outcomes:
        columns.append([outcome[flag] for flag in areas.outcomes[named.id]])
    for index in result.criteria.indices:
        columns += [list(areas.indices[index.id]), list(areas.tiers[index.id])]
    if result.population_floor is not None:
        columns.append(list(areas.uncertain))
    columns.append(list(areas.rows))
    return columns


def margin_header(criterion: Criterion, words: Mapping[str, str]) -> str:
    """ "Förvärvsfrekvens: marginal (procentenheter)": a margin's header names its unit."""
    unit = words.get(f"margin_{criterion.unit}")
    return f"{criterion.label}: {words['margin']}" + (f" ({unit})" if unit else "")


def has_bounds(result: Result, criterion: Criterion) -> bool:
    """Whether some area's value of ``criterion`` is known only within bounds."""
    column = bound_column(criterion.id, LOW)
    return column in result.frame and bool(result.frame[column].notna().any())


def _value_column(checks: CheckColumns) -> list[Cell | bool]:
    """The values at the criterion's precision, with the range as text where a value is
    known only within bounds (a suppressed count)."""
    unit, decimals = checks.criterion.unit, checks.criterion.shown_decimals
    return [
        rounded(value, unit, decimals, threshold)
        if value is not None or low is None or high is None
        else shown_value(checks.at(position))
        for position, (value, low, high, threshold) in enumerate(
            zip(checks.value, checks.low, checks.high, checks.threshold, strict=True)
        )
    ]


def _bound_column(checks: CheckColumns, bounds: list[float | None]) -> list[Cell | bool]:
    """A lower or upper bound as a number at the criterion's precision (an open upper
    bound, a missing count, stays empty)."""
    unit, decimals = checks.criterion.unit, checks.criterion.shown_decimals
    return [
        None if bound is None or bound == float("inf") else rounded(bound, unit, decimals, None)
        for bound in bounds
    ]


def district_row_blocks(
    result: Result, words: Mapping[str, str]
) -> Iterator[list[list[Cell | bool]]]:
    """:func:`district_cell_columns` of every district, a block of rows at a time (each block
    as columns), so memory stays bounded on a national table."""
    for areas in result.column_blocks():
        yield district_cell_columns(areas, result, words)
