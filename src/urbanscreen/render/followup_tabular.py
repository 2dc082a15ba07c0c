"""The follow-up over years in long form, one row per district and year: the columns every
follow-up report shares, as CSV (for spreadsheets) and Markdown (for CI summaries).

Reference rows (the municipality, the country) follow the districts, marked as such,
with their values only: they are not screened.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from types import MappingProxyType
from typing import Any, TextIO

import pandas as pd

from urbanscreen.columns import (
    HIGH,
    ID,
    LOW,
    MUNICIPALITY,
    NAME,
    QUALIFIES,
    YEAR,
    bound_column,
    margin_column,
    met_column,
    outcome_column,
    threshold_column,
)
from urbanscreen.criteria.model import Criterion
from urbanscreen.followup import FollowUp
from urbanscreen.render.csvtext import neutralise
from urbanscreen.render.labels import MARKS, labels
from urbanscreen.render.number_columns import number_text
from urbanscreen.render.rows import Cell, margin_header, outcome_word, verdict_word
from urbanscreen.render.tabular import _md
from urbanscreen.render.values import decimal_mark, shown_number, shown_reading

_SV = {
    "follow_up": "Uppföljning",
    "follow_up_data": "Uppföljningsdata",
    "kind": "Typ",
    "district": "område",
    "reference": "referens",
    "reference_rows": "Referensrader (kommun, riket): visas som jämförelse, prövas inte",
    "qualifying_per_year": "Områden som uppfyller villkoren per år",
    "entered": "tillkom",
    "left": "föll bort",
    "became_unknown": "kan inte längre avgöras",
    "changes": "Förändringar mellan åren",
    "no_changes": "inga",
    "follow_up_chart_title": "{label} {rule}: per år och område",
    "follow_up_chart_subset": (
        "{shown} av {total} områden: de som uppfyller villkoren något år och de närmast gränsen"
    ),
    "history": "Saknade tidigare år",
    "follow_up_abridged": (
        "Bladet listar {shown} av {total} områden, vart och ett alla år: de som uppfyller "
        "villkoren eller inte kan avgöras något år (högst {limit}) och de {limit} övriga som "
        "ligger närmast en gräns. Alla områden och år: --output FIL.csv eller --format csv."
    ),
    "term_follow_up_hidden": (
        "{hidden} till visas inte här: de som uppfyller villkoren eller inte kan avgöras något "
        "år (högst {limit}) och de {limit} övriga som ligger närmast en gräns visas. Alla "
        "områden och år: --format csv eller --format json"
    ),
    "term_year_count": "{year}: {q} av {n}",
    "term_threshold": "Gräns",
    "term_varies": "varierar",
    "term_reference_row": "{name} (referens)",
    "term_entered_and_left": "Tillkom och föll bort",
    "term_one_year": ": bara ett år, inget att jämföra",
    "term_from_year": "{year} (från {previous})",
    "term_and_more": " och {n} till",
    "term_quiet": "Inget område tillkom eller föll bort något år: {years}",
    "term_quiet_other_years": "Inget område tillkom eller föll bort övriga år: {years}",
}
_EN = {
    "follow_up": "Follow-up",
    "follow_up_data": "Follow-up data",
    "kind": "Kind",
    "district": "district",
    "reference": "reference",
    "reference_rows": "Reference rows (municipality, country): shown to compare, not screened",
    "qualifying_per_year": "Districts qualifying per year",
    "entered": "entered",
    "left": "left",
    "became_unknown": "became undecided",
    "changes": "Changes between years",
    "no_changes": "none",
    "follow_up_chart_title": "{label} {rule}: by year and district",
    "follow_up_chart_subset": (
        "{shown} of {total} districts: those qualifying in any year and those nearest the threshold"
    ),
    "history": "Earlier years missing",
    "follow_up_abridged": (
        "This sheet lists {shown} of {total} districts, each in every year: those qualifying "
        "or undecided in any year (up to {limit}) and the {limit} others nearest a threshold. "
        "Every district and year: --output FILE.csv or --format csv."
    ),
    "term_follow_up_hidden": (
        "{hidden} more not shown here: those qualifying or undecided in any year (up to "
        "{limit}) and the {limit} others nearest a threshold are. Every district and year: "
        "--format csv or --format json"
    ),
    "term_year_count": "{year}: {q} of {n}",
    "term_threshold": "Threshold",
    "term_varies": "varies",
    "term_reference_row": "{name} (reference)",
    "term_entered_and_left": "Entered and left",
    "term_one_year": ": one year only, nothing to compare",
    "term_from_year": "{year} (from {previous})",
    "term_and_more": " and {n} more",
    "term_quiet": "No district entered or left in any year: {years}",
    "term_quiet_other_years": "No district entered or left in other years: {years}",
}


@cache
def follow_up_words(language: str) -> Mapping[str, str]:
    """The report's words for ``language`` and those of the follow-up."""
    extra = _SV if language == "sv" else _EN
    return MappingProxyType({**labels(language), **extra})


@dataclass(frozen=True)
class LongColumn:
    """A column of the long form: header, what it holds ("text", "year", "outcome", "value",
    "threshold", "verdict", "margin") and the unit of its numbers."""

    header: str
    kind: str
    unit: str = ""


def long_columns(follow_up: FollowUp, words: Mapping[str, str]) -> list[LongColumn]:
    columns = [
        LongColumn(words["id"], "text"),
        LongColumn(words["name"], "text"),
        LongColumn(words["kind"], "text"),
        LongColumn(words["municipality"], "text"),
        LongColumn(words["year"], "year"),
        LongColumn(words["qualifies"], "outcome"),
    ]
    for criterion in follow_up.criteria.criteria:
        label, unit = criterion.label, criterion.unit
        columns += [
            LongColumn(label, "value", unit),
            LongColumn(f"{label}: {words['threshold']}", "threshold", unit),
            LongColumn(f"{label}: {words['verdict']}", "verdict"),
            LongColumn(margin_header(criterion, words), "margin", unit),
        ]
    columns += [LongColumn(outcome.label, "outcome") for outcome in follow_up.criteria.outcomes]
    return columns


def _listed(frame: pd.DataFrame, column: str) -> list[Any]:
    if column not in frame:
        return [None] * len(frame)
    values: Any = frame[column]
    listed: list[Any] = values.to_numpy(dtype=object, na_value=None).tolist()
    return listed


def long_rows(follow_up: FollowUp, words: Mapping[str, str]) -> Iterator[list[Cell]]:
    """The rows of :func:`long_columns`: the districts by year, then the reference rows."""
    for frame, kind in ((follow_up.frame, "district"), (follow_up.references, "reference")):
        screened = kind == "district"
        cells: list[list[Cell]] = [
            [str(area) for area in frame[ID]],
            _listed(frame, NAME),
            [words[kind]] * len(frame),
            _listed(frame, MUNICIPALITY),
            [int(year) for year in frame[YEAR]],
            [outcome_word(flag, words) for flag in _listed(frame, QUALIFIES)]
            if screened
            else [None] * len(frame),
        ]
        for criterion in follow_up.criteria.criteria:
            cells.append(_listed(frame, criterion.id))
            cells.append(_listed(frame, threshold_column(criterion.id)))
            cells.append(
                [verdict_word(met, words) for met in _listed(frame, met_column(criterion.id))]
                if screened
                else [None] * len(frame)
            )
            cells.append(_listed(frame, margin_column(criterion.id)))
        for outcome in follow_up.criteria.outcomes:
            flags = _listed(frame, outcome_column(outcome.id))
            cells.append([outcome_word(flag, words) if screened else None for flag in flags])
        yield from (list(row) for row in zip(*cells, strict=True))


def write_follow_up_csv(follow_up: FollowUp, language: str, stream: TextIO) -> None:
    """One row per district and year (then the reference rows), UTF-8 with a BOM; Swedish
    reports with semicolons and decimal commas, as :func:`~.tabular.write_csv` writes."""
    words = follow_up_words(language)
    separator, decimal = (";", ",") if language == "sv" else (",", ".")
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=separator, lineterminator="\r\n")
    writer.writerow([neutralise(column.header) for column in long_columns(follow_up, words)])
    for row in long_rows(follow_up, words):
        writer.writerow([_csv_text(cell, decimal) for cell in row])


def _csv_text(cell: Cell, decimal: str) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float):
        return number_text(cell).replace(".", decimal)
    if isinstance(cell, int):
        return str(cell)
    return neutralise(cell)


def follow_up_markdown(follow_up: FollowUp, language: str) -> str:
    """The follow-up for a CI summary: qualifying per year, changes, and the long table."""
    words = follow_up_words(language)
    criteria = follow_up.criteria.criteria
    span = follow_up.span
    lines = [f"### {words['follow_up']} {span}", ""]
    counts = follow_up.counts()
    lines.append(
        f"{words['qualifying_per_year']}: "
        + " · ".join(f"{year}: {s.qualifying} / {s.districts}" for year, s in counts.items())
    )
    names = dict(zip(follow_up.frame[ID].astype(str), follow_up.frame[NAME], strict=False))
    for change in follow_up.changes:
        parts = []
        for key, ids in (
            ("entered", change.entered),
            ("left", change.left),
            ("became_unknown", change.unknown),
        ):
            if ids:
                parts.append(f"{words[key]}: " + ", ".join(_md(names[i] or i) for i in ids))
        lines.append(
            f"- {change.previous}→{change.year}: " + ("; ".join(parts) or words["no_changes"])
        )
    headers = [words["name"], words["year"], words["qualifies"]]
    headers += [f"{_md(c.label)} {_md(decimal_mark(c.describe(), language))}" for c in criteria]
    lines += ["", "| " + " | ".join(headers) + " |"]
    lines.append("|---|--:|:-:|" + "--:|" * len(criteria))
    frame = follow_up.frame
    rows = zip(
        _listed(frame, NAME),
        [str(i) for i in frame[ID]],
        frame[YEAR].tolist(),
        _listed(frame, QUALIFIES),
        *(zip(readings(frame, c), _listed(frame, met_column(c.id)), strict=True) for c in criteria),
        strict=True,
    )
    for name, area, year, qualifies, *checks in rows:
        mark = {True: "✅", False: "❌", None: "❔"}[qualifies]
        cells = [_md(name or area), str(year), f"{mark} {outcome_word(qualifies, words)}"]
        for shown, met in checks:
            said = words["missing"] if shown == "missing" else decimal_mark(shown, language)
            cells.append(f"{MARKS[met]} {said}")
        lines.append("| " + " | ".join(cells) + " |")
    references = follow_up.references
    if len(references):
        lines += ["", f"{words['reference_rows']}:", ""]
        limits = {c.id: year_thresholds(follow_up.frame, c) for c in criteria}
        for area in pd.unique(references[ID]):
            values = references[references[ID] == area]
            name = values[NAME].iloc[0]
            shown = "; ".join(
                f"{_md(c.label)} "
                + ", ".join(
                    f"{year}: {_reference_value(value, c, limits[c.id].get(year), language, words)}"
                    for year, value in zip(values[YEAR], _listed(values, c.id), strict=True)
                )
                for c in criteria
            )
            lines.append(f"- {_md(str(name if isinstance(name, str) else area))}: {shown}")
    notes = [note for year in follow_up.years for note in follow_up.notes.get(year, [])]
    if notes:
        lines += ["", f"{words['history']}:", ""] + [
            f"- {_md(note.text(language))}" for note in notes
        ]
    return "\n".join(lines) + "\n"


def readings(frame: pd.DataFrame, criterion: Criterion) -> list[str]:
    """Each row's value of ``criterion`` as the check's table shows it (its precision, the
    range a suppressed count leaves, "missing"), in English digits: the follow-up's
    terminal, Markdown and sheet say them in their language."""
    rows = zip(
        _listed(frame, criterion.id),
        _listed(frame, bound_column(criterion.id, LOW)),
        _listed(frame, bound_column(criterion.id, HIGH)),
        _listed(frame, threshold_column(criterion.id)),
        strict=True,
    )
    unit, decimals = criterion.unit, criterion.shown_decimals
    return [
        shown_reading(value, (low, high), unit, decimals, limit) for value, low, high, limit in rows
    ]


def _reference_value(
    value: float | None,
    criterion: Criterion,
    threshold: float | None,
    language: str,
    words: Mapping[str, str],
) -> str:
    """A reference row's value (the municipality's, the country's) at its criterion's
    precision, never rounded onto or across the year's threshold (where every district has
    the same one) as a district's value is not: it is read beside it."""
    if value is None:
        return words["missing"]
    shown = shown_number(value, criterion.unit, criterion.shown_decimals, threshold)
    return decimal_mark(shown, language)


def year_thresholds(frame: pd.DataFrame, criterion: Criterion) -> dict[int, float]:
    """The threshold of ``criterion`` each year where it is one for every district of the
    year (a relative threshold may differ between them: that year has none here)."""
    column = threshold_column(criterion.id)
    if column not in frame or not len(frame):
        return {}
    found: dict[int, float] = {}
    for year, limits in frame.groupby(YEAR, sort=False)[column]:
        distinct = limits.dropna().unique()
        if len(distinct) == 1:
            found[int(str(year))] = float(distinct[0])
    return found
