"""The workbook's follow-up sheet ("Uppföljning" / "Follow-up"): districts qualifying per
year, a native line chart per criterion (a line per district, the threshold and the
reference rows as lines), and one row per district and year.

Cells are typed as the rest of the report's: strings from the data are strings, never
formulas; numbers carry every digit they have.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from urbanscreen.columns import (
    ID,
    LOW,
    NAME,
    QUALIFIES,
    YEAR,
    bound_column,
    margin_column,
    threshold_column,
)
from urbanscreen.criteria.model import Criterion
from urbanscreen.errors import Issue
from urbanscreen.followup import FollowUp
from urbanscreen.render.excel import GREY, MARGIN_FORMATS, MISSING, NUMBER_FORMATS
from urbanscreen.render.followup_tabular import (
    LongColumn,
    _listed,
    long_columns,
    long_rows,
    readings,
)
from urbanscreen.render.values import count_text, decimal_mark

# A line chart of more lines than this is read by nobody.
MAX_CHART_LINES = 10
# District-years the sheet lists in full; beyond, every year of the districts a reader
# needs (CSV and JSON keep them all): xlsxwriter's time grows with the cells, and ten
# years of a national table are millions of them.
MAX_SHEET_ROWS = 10_000
CHART_ROWS = 20  # rows of the sheet a chart covers
THRESHOLD_LINE = {"color": "#C00000", "width": 2.25, "dash_type": "dash"}
REFERENCE_LINE = {"color": "#7F7F7F", "width": 2, "dash_type": "round_dot"}
NUMBERS = {"value", "threshold", "margin"}  # the long table's columns of numbers


def chart_lines(
    follow_up: FollowUp, criterion: Criterion, limit: int = MAX_CHART_LINES
) -> list[str]:
    """Districts (ids) a criterion's chart draws: all when few; else those qualifying in any
    year, then those nearest its threshold in any year, ``limit`` in all."""
    frame = follow_up.frame
    keys = frame[ID].astype(str)
    ids: list[str] = pd.unique(keys).tolist()
    if len(ids) <= limit:
        return ids
    qualifying = frame[QUALIFIES].fillna(False).astype(bool).groupby(keys, sort=False).any()
    chosen = qualifying.index[qualifying.to_numpy()].tolist()[:limit]
    nearest = (
        frame[margin_column(criterion.id)].abs().astype("float64").groupby(keys, sort=False).min()
    )
    rest = nearest.drop(index=chosen).dropna().sort_values(kind="stable")
    chosen += rest.index[: limit - len(chosen)].tolist()
    picked = set(chosen)
    return [area for area in ids if area in picked]


def write_follow_up_sheet(
    workbook: Workbook, follow_up: FollowUp, words: Mapping[str, str], language: str = "en"
) -> list[Issue]:
    """Add the follow-up sheet and its (hidden) chart data, in ``language`` (its words and
    its decimal mark); returns what had to be cut."""
    sheet = workbook.add_worksheet(words["follow_up"][:31])
    data = workbook.add_worksheet(words["follow_up_data"][:31])
    data.hide()
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format(
        {"bold": True, "bg_color": GREY, "text_wrap": True, "valign": "top", "bottom": 1}
    )
    years = follow_up.years
    sheet.write_string(0, 0, f"{words['follow_up']} {follow_up.span}", bold)
    row = _summary(sheet, follow_up, words, header, 2)
    cut: list[Issue] = []
    frame = follow_up.frame
    districts = frame[ID].nunique()
    if len(frame) > MAX_SHEET_ROWS:
        # Half the rows for those qualifying or undecided in any year, half for the others
        # nearest a threshold, every year of each.
        limit = max(1, MAX_SHEET_ROWS // (2 * len(years)))
        shown = set(follow_up.highlights(limit))
        frame = frame[frame[ID].astype(str).isin(shown)]
        sizes = {"shown": count_text(len(shown)), "total": count_text(districts)}
        note = words["follow_up_abridged"].format(**sizes, limit=count_text(limit))
        sheet.write_string(1, 0, note, workbook.add_format({"italic": True}))
        cut.append(
            Issue(
                "report-abridged",
                f"the follow-up sheet lists {sizes['shown']} of {sizes['total']} districts, "
                f"every year: those qualifying or undecided in any year (up to "
                f"{count_text(limit)}) and the {count_text(limit)} others nearest a threshold; "
                "--output FILE.csv or --format csv gives every district and year",
                level="info",
            )
        )
    last_column = _long_table(
        workbook, sheet, replace(follow_up, frame=frame), (words, language), header, row + 1
    )
    first = 0
    for position, criterion in enumerate(follow_up.criteria.criteria):
        chart, first = _chart(workbook, data, follow_up, criterion, words, first)
        sheet.insert_chart(3 + position * (CHART_ROWS + 1), last_column + 2, chart)
    sheet.set_column(0, 1, 22)
    sheet.set_column(2, last_column, 14)
    return cut


def _summary(
    sheet: Worksheet, follow_up: FollowUp, words: Mapping[str, str], header: Any, top: int
) -> int:
    """Districts qualifying per year, and who entered and left; the row after it."""
    sheet.write_string(top, 0, words["qualifying_per_year"], header)
    headers = [
        words["year"],
        words["count_districts"],
        words["count_qualifying"],
        words["count_not"],
        words["count_unknown"],
        words["entered"],
        words["left"],
    ]
    for column, text in enumerate(headers):
        sheet.write_string(top + 1, column, text, header)
    names = _names(follow_up.frame)
    changes = {change.year: change for change in follow_up.changes}
    row = top + 2
    for year, summary in follow_up.counts().items():
        sheet.write_number(row, 0, year)
        sheet.write_number(row, 1, summary.districts)
        sheet.write_number(row, 2, summary.qualifying)
        sheet.write_number(row, 3, summary.not_qualifying)
        sheet.write_number(row, 4, summary.unknown)
        change = changes.get(year)
        if change is not None:
            for column, ids in ((5, change.entered), (6, change.left)):
                named = [_name(names.get(area), area) for area in ids]
                sheet.write_string(row, column, ", ".join(named) or "–")
        row += 1
    return row


def _name(name: object, area: str) -> str:
    return name if isinstance(name, str) else area


def _names(frame: pd.DataFrame) -> dict[str, object]:
    """Each district's name by id, from its first row (a row per year holds it again)."""
    first = frame.drop_duplicates(ID)
    return dict(zip(first[ID].astype(str), first[NAME], strict=True))


def _long_table(
    workbook: Workbook,
    sheet: Worksheet,
    follow_up: FollowUp,
    speech: tuple[Mapping[str, str], str],
    header: Any,
    top: int,
) -> int:
    """One row per district and year, then the reference rows; the last column used. A
    value known only within bounds is its range, as on the Districts sheet ("32,2–32,5"),
    one not known at all "..", as a blank number is there."""
    words, language = speech
    columns = long_columns(follow_up, words)
    for column, spec in enumerate(columns):
        sheet.write_string(top, column, spec.header, header)
    styles = [
        workbook.add_format({"num_format": NUMBER_FORMATS.get(spec.unit, "General")})
        if spec.kind in {"value", "threshold"}
        else workbook.add_format({"num_format": MARGIN_FORMATS.get(spec.unit, "General")})
        if spec.kind == "margin"
        else None
        for spec in columns
    ]
    ranges = _ranges(follow_up, columns, language)
    missing = workbook.add_format({"align": "right"})
    row = top
    for position, cells in enumerate(long_rows(follow_up, words)):
        row = top + 1 + position
        screened = cells[2] == words["district"]  # a reference row has no threshold or margin
        for column, (value, style) in enumerate(zip(cells, styles, strict=True)):
            kind = columns[column].kind
            if value is None and (kind == "value" or (screened and kind in NUMBERS)):
                known = ranges.get(column)
                shown = known[position] if known is not None and screened else None
                sheet.write_string(row, column, shown or MISSING, missing)
                continue
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(row, column, value, style)
            else:
                sheet.write_number(row, column, value, style)
    sheet.autofilter(top, 0, max(row, top + 1), len(columns) - 1)
    sheet.freeze_panes(top + 1, 2)
    return len(columns) - 1


def _ranges(
    follow_up: FollowUp, columns: list[LongColumn], language: str
) -> dict[int, list[str | None]]:
    """For each value column of a criterion some district-year knows only within bounds:
    the range each district row shows (None where the value is known, or nothing is), as
    the check's table and the Districts sheet show it."""
    frame = follow_up.frame
    value_columns = [number for number, spec in enumerate(columns) if spec.kind == "value"]
    found: dict[int, list[str | None]] = {}
    for column, criterion in zip(value_columns, follow_up.criteria.criteria, strict=True):
        low_column = bound_column(criterion.id, LOW)
        if low_column not in frame or not frame[low_column].notna().any():
            continue
        values = _listed(frame, criterion.id)
        shown = [
            None if value is not None else text
            for value, text in zip(values, readings(frame, criterion), strict=True)
        ]
        found[column] = [
            None if text is None or text == "missing" else decimal_mark(text, language)
            for text in shown
        ]
    return found


def _chart(
    workbook: Workbook,
    data: Worksheet,
    follow_up: FollowUp,
    criterion: Criterion,
    words: Mapping[str, str],
    first: int,
) -> tuple[Any, int]:
    """A line per district over the years, the threshold and the reference rows as lines.
    Its numbers go to the hidden data sheet, a block of columns per criterion from column
    ``first``; returns the chart and the first column after its block."""
    years = follow_up.years
    frame = follow_up.frame
    lines = chart_lines(follow_up, criterion)
    keys = frame[ID].astype(str)
    values = frame.assign(_key=keys).pivot(index="_key", columns=YEAR, values=criterion.id)
    names = _names(frame)
    series: list[tuple[str, list[float | None], dict[str, Any] | None]] = [
        (_name(names.get(area), area), _numbers(values, area, years), None) for area in lines
    ]
    references = follow_up.references
    if len(references):
        reference_keys = references[ID].astype(str)
        reference_values = references.assign(_key=reference_keys).pivot(
            index="_key", columns=YEAR, values=criterion.id
        )
        reference_names = _names(references)
        for area in dict.fromkeys(reference_keys):
            series.append(
                (
                    _name(reference_names.get(area), area),
                    _numbers(reference_values, area, years),
                    REFERENCE_LINE,
                )
            )
    limits = frame[[YEAR, threshold_column(criterion.id)]]
    per_year = limits.groupby(YEAR)[threshold_column(criterion.id)].agg(["min", "max"])
    if (per_year["min"] == per_year["max"]).all():
        # One threshold a year for every district: drawn as a line. (A threshold relative
        # to each district's own reference has no one line to draw.)
        threshold: list[float | None] = [_number(per_year["min"].get(y)) for y in years]
        series.append((f"{words['threshold']} {criterion.describe()}", threshold, THRESHOLD_LINE))
    data.write_string(0, first, words["year"])
    for row, year in enumerate(years, 1):
        data.write_number(row, first, year)
    chart = workbook.add_chart({"type": "line"})
    assert chart is not None
    for offset, (name, numbers, line) in enumerate(series, 1):
        column = first + offset
        data.write_string(0, column, name)
        for row, number in enumerate(numbers, 1):
            if number is not None:
                data.write_number(row, column, number)
        properties: dict[str, Any] = {
            "name": [data.name, 0, column],
            "categories": [data.name, 1, first, len(years), first],
            "values": [data.name, 1, column, len(years), column],
            "marker": {"type": "circle", "size": 5},
        }
        if line is not None:
            properties |= {"line": line, "marker": {"type": "none"}}
        chart.add_series(properties)
    chart.show_blanks_as("gap")
    title = words["follow_up_chart_title"].format(label=criterion.label, rule=criterion.describe())
    districts = frame[ID].nunique()
    if len(lines) < districts:
        title += "\n" + words["follow_up_chart_subset"].format(shown=len(lines), total=districts)
    chart.set_title({"name": title, "name_font": {"size": 11}})
    unit = words.get(criterion.unit, criterion.unit)
    chart.set_x_axis({"name": words["year"]})
    chart.set_y_axis({"name": f"{criterion.label} ({unit})", "major_gridlines": {"visible": True}})
    chart.set_legend({"position": "right"})
    chart.set_size({"width": 720, "height": CHART_ROWS * 20})
    return chart, first + len(series) + 2


def _number(value: object) -> float | None:
    """A value of the frame as a chart's number; missing (None, NaN, NA) as a gap."""
    if value is None or value is pd.NA:
        return None
    number = float(str(value))
    return None if math.isnan(number) else number


def _numbers(values: pd.DataFrame, area: str, years: list[int]) -> list[float | None]:
    if area not in values.index:
        return [None] * len(years)
    row = values.loc[area]
    return [_number(row.get(year)) for year in years]
