"""The Districts table every report shares: one row per district, every check spelled out.

Excel and CSV write exactly these columns, so a colleague finds the same figures in
either: id, name, municipality, then per criterion the value beside its threshold,
whether it is met and by what margin, then the outcome.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Literal

from urbanscreen.render.values import shown_value
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
            Column(f"{label}: {words['margin']}", "margin", criterion.unit),
        ]
        if traced:
            columns += [
                Column(f"{label}: {words['numerator']}", "value", "count"),
                Column(f"{label}: {words['denominator']}", "value", "count"),
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
        columns += [
            _value_column(checks),
            list(checks.threshold),
            [verdict[met] for met in checks.met],
            list(checks.margin),
        ]
        if traced:
            columns += [list(checks.numerator), list(checks.denominator)]
    for named in result.criteria.outcomes:
        columns.append([outcome[flag] for flag in areas.outcomes[named.id]])
    for index in result.criteria.indices:
        columns += [list(areas.indices[index.id]), list(areas.tiers[index.id])]
    if result.population_floor is not None:
        columns.append(list(areas.uncertain))
    columns.append(list(areas.rows))
    return columns


def _value_column(checks: CheckColumns) -> list[Cell | bool]:
    """The values, with the range as text where a value is known only within bounds (a
    suppressed count)."""
    return [
        value
        if value is not None or low is None or high is None
        else shown_value(checks.at(position))
        for position, (value, low, high) in enumerate(
            zip(checks.value, checks.low, checks.high, strict=True)
        )
    ]


def district_row_blocks(
    result: Result, words: Mapping[str, str]
) -> Iterator[list[list[Cell | bool]]]:
    """:func:`district_cell_columns` of every district, a block of rows at a time (each block
    as columns), so memory stays bounded on a national table."""
    for areas in result.column_blocks():
        yield district_cell_columns(areas, result, words)
