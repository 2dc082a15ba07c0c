"""The Excel report: the workbook an analyst sends to colleagues and archives.

Sheets: Summary, Districts (every check, filterable), Criteria, Provenance, Charts
(native Excel charts of values against thresholds) and, with a sex breakdown, Women
and men. Written with xlsxwriter, cell by cell with explicit types: a string from
the data is always a string, never a formula, and codes keep their leading zeros.
"""

from __future__ import annotations

import gc
from collections import defaultdict
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from urbanscreen import __version__
from urbanscreen.criteria import Criterion
from urbanscreen.errors import Issue
from urbanscreen.render.labels import labels
from urbanscreen.render.rows import (
    Cell,
    Column,
    district_cells,
    district_columns,
    outcome_word,
)
from urbanscreen.result import District, Result

MAX_CELL_TEXT = 32_767  # Excel's limit; longer text is cut, and the cut is reported
MAX_CHART_DISTRICTS = 40
MAX_SHEET_AREAS = 20_000  # beyond this the Districts sheet holds the areas that matter
SHEET_HIGHLIGHTS = 5_000
MAX_COLUMN_WIDTH = 48
KEY_VALUE_WIDTH = 70  # characters in the value column of Summary and Provenance
GREEN, RED, YELLOW, GREY = "#E2EFDA", "#FCE4D6", "#FFF2CC", "#D9D9D9"
BAR_COLOURS = {True: "#70AD47", False: "#C0504D", None: "#A5A5A5"}
# Every digit a value has, so a cell never shows a value rounded onto its threshold.
NUMBER_FORMATS = {
    "percent": '0.0#########" %"',
    "count": "#,##0",
    "number": "0.0#########",
}
# Margins of percentages are percentage points: no "%" sign on them.
MARGIN_FORMATS = {
    "percent": "+0.0#########;-0.0#########;0.0",
    "count": "+#,##0;-#,##0;0",
    "number": "+0.0#########;-0.0#########;0.0",
}


def write_workbook(
    result: Result,
    path: Path,
    *,
    language: str,
    command: str,
    generated: datetime,
) -> list[Issue]:
    """Write the report to ``path``; returns what had to be cut to fit Excel's limits."""
    with _cyclic_gc_paused():
        return _write_workbook(
            result, path, language=language, command=command, generated=generated
        )


@contextmanager
def _cyclic_gc_paused() -> Iterator[None]:
    """A workbook holds one small object per cell until it is closed, and the areas' rows
    are made just before: the cyclic collector would scan them over and over while they
    are made (a fifth of the report's time), yet none of them is part of a cycle."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _write_workbook(
    result: Result,
    path: Path,
    *,
    language: str,
    command: str,
    generated: datetime,
) -> list[Issue]:
    words = labels(language)
    workbook = Workbook(
        str(path),
        {
            # Parts assembled in memory, not in temporary files: ~30 ms faster, and a
            # workbook is never larger than its 20 000-area cap allows.
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
            "nan_inf_to_errors": True,
        },
    )
    writer = _Writer(workbook, words)
    summary = workbook.add_worksheet(words["summary"][:31])
    districts = workbook.add_worksheet(words["districts"][:31])
    criteria_sheet = workbook.add_worksheet(words["criteria"][:31])
    provenance = workbook.add_worksheet(words["provenance"][:31])
    charts = workbook.add_worksheet(words["charts"][:31])
    chart_data = workbook.add_worksheet(words["chart_data"][:31])
    chart_data.hide()
    total = len(result.frame)
    shown = None if total <= MAX_SHEET_AREAS else result.highlights(SHEET_HIGHLIGHTS)
    district_list = list(result.districts(shown))
    if shown is not None:
        # A national table: the workbook keeps the areas a reader needs; CSV keeps them all.
        writer.cut.append(
            Issue(
                "report-abridged",
                f"the workbook lists {_grouped(len(district_list))} of {_grouped(total)} areas: "
                f"every qualifying and undecided one (up to {_grouped(SHEET_HIGHLIGHTS)} each) "
                f"and the {_grouped(SHEET_HIGHLIGHTS)} others nearest a threshold; "
                "--output FILE.csv or --format csv gives every area",
                level="info",
            )
        )
    _summary(writer, summary, result, district_list, generated)
    _districts(writer, districts, result, district_list)
    _criteria(writer, criteria_sheet, result)
    _charts(writer, workbook, charts, chart_data, result, district_list)
    if result.table.by_sex:
        _by_sex(writer, workbook.add_worksheet(words["by_sex"][:31]), result, district_list)
    _provenance(writer, provenance, result, command, generated)
    for sheet in workbook.worksheets():
        # Printed or exported to PDF: landscape A4; narrow sheets one page wide.
        sheet.set_landscape()
        sheet.set_paper(9)
        if sheet is not districts:
            sheet.fit_to_pages(1, 0)
    # The wide Districts sheet prints across pages, each with the header and the names.
    districts.repeat_rows(0)
    districts.repeat_columns(0, 1)
    summary.activate()
    workbook.close()
    return writer.cut


def _grouped(number: int) -> str:
    return f"{number:,}".replace(",", " ")


class _Writer:
    """Typed cell writing with a cache of formats (xlsxwriter formats are per workbook)."""

    def __init__(self, workbook: Workbook, words: Mapping[str, str]) -> None:
        self.workbook = workbook
        self.words = words
        self.cut: list[Issue] = []
        self._formats: dict[tuple[tuple[str, Any], ...], Any] = {}

    def format(self, **properties: Any) -> Any:
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(properties)
        return self._formats[key]

    def cell(
        self, sheet: Worksheet, row: int, column: int, value: Cell | bool, style: Any = None
    ) -> None:
        if value is None:
            sheet.write_blank(row, column, None, style)
        elif isinstance(value, bool):
            sheet.write_string(row, column, self.words["yes" if value else "no"], style)
        elif isinstance(value, int | float):
            sheet.write_number(row, column, value, style)
        else:
            sheet.write_string(row, column, self._fit(sheet, row, column, str(value)), style)

    def row(
        self, sheet: Worksheet, row: int, cells: Sequence[Cell | bool], styles: Sequence[Any]
    ) -> None:
        """One row of cells, as :meth:`cell` writes them, without its per-cell overhead."""
        number, string, blank = sheet.write_number, sheet.write_string, sheet.write_blank
        for column, (value, style) in enumerate(zip(cells, styles, strict=True)):
            # Exact types only: bools and number subclasses take the careful path.
            kind = type(value)
            if kind is float or kind is int:
                number(row, column, value, style)
            elif type(value) is str and len(value) <= MAX_CELL_TEXT:
                string(row, column, value, style)
            elif value is None:
                blank(row, column, None, style)
            else:
                self.cell(sheet, row, column, value, style)

    def _fit(self, sheet: Worksheet, row: int, column: int, text: str) -> str:
        if len(text) <= MAX_CELL_TEXT:
            return text
        self.cut.append(
            Issue(
                "cell-truncated",
                f"sheet {sheet.name!r}, row {row + 1}, column {column + 1}: text of "
                f"{len(text):,} characters cut to Excel's limit of {MAX_CELL_TEXT:,}",
            )
        )
        return text[: MAX_CELL_TEXT - 1] + "…"

    def header(self, sheet: Worksheet, row: int, headers: list[str]) -> None:
        style = self.format(bold=True, bg_color=GREY, text_wrap=True, valign="top", bottom=1)
        for column, text in enumerate(headers):
            sheet.write_string(row, column, text, style)

    def key_values(self, sheet: Worksheet, row: int, pairs: list[tuple[str, Cell]]) -> int:
        """Label and value rows; pairs without a value are left out."""
        for key, value in pairs:
            if value is None:
                continue
            sheet.write_string(row, 0, key, self.format(bold=True, valign="top"))
            style = self.format(text_wrap=True, valign="top", align="left")
            self.cell(sheet, row, 1, value, style)
            if isinstance(value, str) and len(value) > KEY_VALUE_WIDTH:
                # Spreadsheet programs do not grow rows for wrapped text written by code.
                lines = len(value) // KEY_VALUE_WIDTH + 1
                sheet.set_row(row, 15 * lines)
            row += 1
        return row


def _rule_text(result: Result, words: Mapping[str, str]) -> str:
    if result.criteria.outcomes or not isinstance(result.criteria.scheme.rule, str):
        return result.criteria.rule_text()
    rule = result.criteria.scheme.rule
    if rule == "all":
        return words["rule_all"]
    if rule == "any":
        return words["rule_any"]
    return words["rule_at_least"].format(
        k=result.criteria.needed(), n=len(result.criteria.criteria)
    )


def _criterion_rule(criterion: Criterion) -> str:
    return criterion.describe()


def _input_text(result: Result) -> str:
    source = result.table.source
    return f"{source.path}" + (f" ({source.sheet})" if source.sheet else "")


# -- Summary ------------------------------------------------------------------------------------


def _summary(
    writer: _Writer,
    sheet: Worksheet,
    result: Result,
    districts: list[District],
    generated: datetime,
) -> None:
    words = writer.words
    scheme = result.criteria.scheme
    summary = result.summary
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, KEY_VALUE_WIDTH)
    sheet.write_string(0, 0, scheme.name, writer.format(bold=True, font_size=14))
    line = words["summary_line"].format(q=summary.qualifying, n=summary.districts)
    sheet.write_string(1, 0, line, writer.format(bold=True, font_size=12))
    for issue in writer.cut:
        if issue.code == "report-abridged":
            sheet.write_string(2, 0, issue.message, writer.format(italic=True))
    row = writer.key_values(
        sheet,
        3,
        [
            (words["description"], scheme.description or None),
            (words["rule"], _rule_text(result, words)),
            (words["date"], generated.strftime("%Y-%m-%d %H:%M")),
            (words["input"], _input_text(result)),
            (words["year"], result.table.year),
            (words["source"], scheme.source or None),
        ],
    )
    row += 1
    sheet.write_string(row, 0, words["counts"], writer.format(bold=True, font_size=12))
    row = writer.key_values(
        sheet,
        row + 1,
        [
            (words["count_districts"], summary.districts),
            (words["count_qualifying"], summary.qualifying),
            (words["count_not"], summary.not_qualifying),
            (words["count_unknown"], summary.unknown),
        ],
    )
    row += 1
    sheet.write_string(row, 0, words["criteria"], writer.format(bold=True, font_size=12))
    row = writer.key_values(
        sheet,
        row + 1,
        [(c.label, _criterion_rule(c)) for c in result.criteria.criteria],
    )
    row += 1
    title = words["qualifying_by_municipality"]
    sheet.write_string(row, 0, title, writer.format(bold=True, font_size=12))
    row += 1
    groups: dict[str, list[District]] = defaultdict(list)
    for district in districts:
        if district.qualifies:
            where = district.municipality or district.municipality_code or ""
            groups[where].append(district)
    if not groups:
        sheet.write_string(row, 0, words["none_qualify"])
        row += 1
    for municipality in sorted(groups):
        sheet.write_string(row, 0, municipality, writer.format(bold=True))
        for district in groups[municipality]:
            writer.cell(sheet, row, 1, district.name or district.id, writer.format(bg_color=GREEN))
            row += 1
    undecided = [d for d in districts if d.qualifies is None]
    if undecided:
        row += 1
        sheet.write_string(row, 0, words["count_unknown"], writer.format(bold=True, font_size=12))
        row += 1
        for district in undecided:
            writer.cell(sheet, row, 0, district.municipality or district.municipality_code)
            style = writer.format(bg_color=YELLOW, italic=True)
            writer.cell(sheet, row, 1, district.name or district.id, style)
            row += 1


# -- Districts ----------------------------------------------------------------------------------


def _districts(
    writer: _Writer, sheet: Worksheet, result: Result, districts: list[District]
) -> None:
    words = writer.words
    columns = district_columns(result, words)
    writer.header(sheet, 0, [c.header for c in columns])
    rows = [district_cells(district, result, words) for district in districts]
    cells_by_column = list(zip(*rows, strict=True)) or [() for _ in columns]
    style_columns = [
        _column_styles(writer, column, cells, districts)
        for column, cells in zip(columns, cells_by_column, strict=True)
    ]
    styles_by_row = zip(*style_columns, strict=True)
    for position, (row, styles) in enumerate(zip(rows, styles_by_row, strict=True), start=1):
        writer.row(sheet, position, row, styles)
    for index, (column, cells) in enumerate(zip(columns, cells_by_column, strict=True)):
        sheet.set_column(index, index, _column_width(column.header, cells))
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(len(districts), 1), len(columns) - 1)


def _column_width(header: str, cells: Sequence[Cell | bool]) -> int:
    """Wide enough for the header's longest word (headers wrap at spaces) and the cells."""
    width = min(max(len(word) for word in header.split()) + 2, MAX_COLUMN_WIDTH)
    # Keyed by type too: 1, 1.0 and True are one set member, and "1" and "1.0" differ.
    distinct = set(zip(map(type, cells), cells, strict=True))
    texts = [len(value) for _, value in distinct if isinstance(value, str)]
    numbers = [
        len(f"{value:,}")
        for _, value in distinct
        if isinstance(value, int | float) and not isinstance(value, bool)
    ]
    # Every candidate is at most MAX_COLUMN_WIDTH (no number is that long), so taking the
    # largest gives what widening cell by cell, in any order, gives.
    if texts:
        width = max(width, min(max(texts) + 2, MAX_COLUMN_WIDTH))
    if numbers:
        width = max(width, max(numbers) + 3)
    return width


def _column_styles(
    writer: _Writer, column: Column, cells: Sequence[Cell | bool], districts: list[District]
) -> list[Any]:
    """Each cell's format in one column: number format by unit, fills by verdict and outcome."""
    if column.kind == "verdict":
        fills = {value: _style(writer, column, value, None) for value in set(cells)}
        return [fills[value] for value in cells]
    if column.kind in {"text", "outcome"}:
        by_outcome = {
            qualifies: _style(writer, column, None, qualifies) for qualifies in (True, False, None)
        }
        return [by_outcome[district.qualifies] for district in districts]
    return [_style(writer, column, None, None)] * len(cells)


def _style(writer: _Writer, column: Column, value: Cell | bool, qualifies: bool | None) -> Any:
    """A cell's format: number format by unit, fills by verdict and outcome."""
    properties: dict[str, Any] = {}
    if column.kind in {"value", "threshold"}:
        properties["num_format"] = NUMBER_FORMATS.get(column.unit, "General")
    elif column.kind == "margin":
        properties["num_format"] = MARGIN_FORMATS.get(column.unit, "General")
    elif column.kind == "verdict" and isinstance(value, str):
        properties["bg_color"] = {"✓": GREEN, "✗": RED}.get(value[:1], YELLOW)
    if column.kind in {"text", "outcome"}:
        if qualifies:
            properties["bg_color"] = GREEN
        elif qualifies is None:
            properties |= {"bg_color": YELLOW, "italic": True}
    if column.kind == "outcome":
        properties["bold"] = True
    return writer.format(**properties) if properties else None


# -- Criteria and provenance ----------------------------------------------------------------------


def _criteria(writer: _Writer, sheet: Worksheet, result: Result) -> None:
    words = writer.words
    headers = [
        words["criterion"],
        words["label"],
        words["operator"],
        words["unit"],
        words["sex"],
        words["column"],
        words["source"],
        words["description"],
    ]
    writer.header(sheet, 0, headers)
    wrap = writer.format(text_wrap=True, valign="top")
    for row, criterion in enumerate(result.criteria.criteria, start=1):
        cells: list[Cell] = [
            criterion.id,
            criterion.label,
            _criterion_rule(criterion),
            words.get(criterion.unit, criterion.unit),
            words.get(criterion.sex, criterion.sex),
            result.table.headers.get(criterion.id, criterion.column),
            criterion.source or None,
            criterion.description or None,
        ]
        for column, value in enumerate(cells):
            writer.cell(sheet, row, column, value, wrap)
        longest = max(len(criterion.description) // 60, len(criterion.source) // 40) + 1
        sheet.set_row(row, 15 * longest)
    for column, width in enumerate((26, 28, 12, 10, 10, 30, 40, 60)):
        sheet.set_column(column, column, width)
    sheet.freeze_panes(1, 0)
    rule_row = len(result.criteria.criteria) + 2
    sheet.write_string(rule_row, 0, words["rule"], writer.format(bold=True))
    sheet.write_string(rule_row, 1, _rule_text(result, words))


def _provenance(
    writer: _Writer, sheet: Worksheet, result: Result, command: str, generated: datetime
) -> None:
    words = writer.words
    source = result.table.source
    sheet.set_column(0, 0, 30)
    sheet.set_column(1, 1, KEY_VALUE_WIDTH)
    sheet.set_column(2, 3, 40)
    row = writer.key_values(
        sheet,
        0,
        [
            (words["input_path"], str(source.path)),
            (words["input_sha256"], source.sha256),
            (words["input_format"], source.format),
            (words["input_sheet"], source.sheet),
            (words["input_encoding"], source.encoding),
            (words["year"], result.table.year),
            (words["definition"], (result.table.definition or (None, None))[0]),
            (words["definition_sha256"], (result.table.definition or (None, None))[1]),
            (words["criteria_origin"], result.criteria.origin),
            (words["criteria_sha256"], result.criteria.sha256),
            (words["tool_version"], __version__),
            (words["generated"], generated.isoformat(timespec="seconds")),
            (words["command"], command),
        ],
    )
    row += 1
    sheet.write_string(row, 0, words["warnings"], writer.format(bold=True, font_size=12))
    row += 1
    issues = [*result.issues, *writer.cut]
    if not issues:
        sheet.write_string(row, 0, words["no_warnings"])
        return
    writer.header(
        sheet,
        row,
        [
            words["warning_code"],
            words["warning_message"],
            words["warning_location"],
            words["warning_level"],
        ],
    )
    wrap = writer.format(text_wrap=True, valign="top")
    for issue in issues:
        row += 1
        for column, value in enumerate(
            (issue.code, issue.message, str(issue.location) or None, issue.level)
        ):
            writer.cell(sheet, row, column, value, wrap)


# -- Charts -----------------------------------------------------------------------------------


def chart_districts(districts: list[District], position: int) -> list[District]:
    """All districts when few; else the qualifying ones and those nearest this threshold."""
    if len(districts) <= MAX_CHART_DISTRICTS:
        return districts
    chosen = [d for d in districts if d.qualifies][:MAX_CHART_DISTRICTS]
    rest = [d for d in districts if not d.qualifies and d.checks[position].margin is not None]
    rest.sort(key=lambda d: abs(d.checks[position].margin or 0.0))
    chosen += rest[: MAX_CHART_DISTRICTS - len(chosen)]
    order = {id(d): index for index, d in enumerate(districts)}
    return sorted(chosen, key=lambda d: order[id(d)])


def _charts(
    writer: _Writer,
    workbook: Workbook,
    sheet: Worksheet,
    data: Worksheet,
    result: Result,
    districts: list[District],
) -> None:
    words = writer.words
    sheet.set_column(0, 0, 100)
    top = 0
    breaks: list[int] = []
    for position, criterion in enumerate(result.criteria.criteria):
        shown = chart_districts(districts, position)
        first_column = position * 3
        data.write_string(0, first_column, words["name"])
        data.write_string(0, first_column + 1, criterion.label)
        data.write_string(0, first_column + 2, words["threshold"])
        for row, district in enumerate(shown, start=1):
            label = district.name or district.id
            writer.cell(data, row, first_column, label)
            writer.cell(data, row, first_column + 1, district.checks[position].value)
            writer.cell(data, row, first_column + 2, district.checks[position].threshold)
        last = len(shown)
        bars = workbook.add_chart({"type": "column"})
        assert bars is not None
        bars.add_series(
            {
                "name": criterion.label,
                "categories": [data.name, 1, first_column, last, first_column],
                "values": [data.name, 1, first_column + 1, last, first_column + 1],
                "fill": {"color": BAR_COLOURS[None]},
                # Each bar green where the criterion is met, red where not.
                "points": [{"fill": {"color": BAR_COLOURS[d.checks[position].met]}} for d in shown],
            }
        )
        line = workbook.add_chart({"type": "line"})
        assert line is not None
        line.add_series(
            {
                "name": f"{words['threshold']} {_criterion_rule(criterion)}",
                "categories": [data.name, 1, first_column, last, first_column],
                "values": [data.name, 1, first_column + 2, last, first_column + 2],
                "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
                "marker": {"type": "none"},
            }
        )
        bars.combine(line)
        bars.set_title(
            {
                "name": words["chart_title"].format(
                    label=criterion.label, rule=_criterion_rule(criterion)
                ),
                "name_font": {"size": 12},
            }
        )
        bars.set_x_axis({"num_font": {"rotation": -45, "size": 8}})
        unit = words.get(criterion.unit, criterion.unit)
        bars.set_y_axis(
            {"name": f"{criterion.label} ({unit})", "major_gridlines": {"visible": True}}
        )
        bars.set_legend({"position": "bottom"})
        bars.set_size({"width": max(720, 28 * last), "height": 380})
        if len(shown) < len(districts):
            note = words["chart_subset"].format(shown=len(shown), total=len(districts))
            sheet.write_string(top, 0, note, writer.format(italic=True))
            top += 1
        sheet.insert_chart(top, 0, bars)
        top += 21
        breaks.append(top)
    # Printed, every chart gets a page of its own.
    sheet.set_h_pagebreaks(breaks[:-1])


def _by_sex(writer: _Writer, sheet: Worksheet, result: Result, districts: list[District]) -> None:
    words = writer.words
    criteria = result.criteria.criteria
    headers = [words["id"], words["name"], words["municipality"], words["qualifies"]]
    for criterion in criteria:
        headers += [
            f"{criterion.label}: {words['total']}",
            f"{criterion.label}: {words['women']}",
            f"{criterion.label}: {words['men']}",
            f"{criterion.label}: {words['gap']}",
        ]
    writer.header(sheet, 0, headers)
    styles: list[Any] = [None] * 4
    for criterion in criteria:
        number = writer.format(num_format=NUMBER_FORMATS.get(criterion.unit, "General"))
        margin = writer.format(num_format=MARGIN_FORMATS.get(criterion.unit, "General"))
        styles += [number, number, number, margin]
    for row, district in enumerate(districts, start=1):
        cells: list[Cell] = [
            district.id,
            district.name,
            district.municipality,
            outcome_word(district.qualifies, words),
        ]
        for check in district.checks:
            cells += [check.value, check.women, check.men, check.gap]
        writer.row(sheet, row, cells, styles)
    sheet.set_column(0, 2, 18)
    sheet.set_column(3, len(headers) - 1, 14)
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(len(districts), 1), len(headers) - 1)
