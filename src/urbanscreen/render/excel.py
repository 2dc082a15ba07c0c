"""The Excel report: the workbook an analyst sends to colleagues and archives.

Sheets: Summary, Districts (every check, filterable), Criteria, Provenance, Charts
(native Excel charts of values against thresholds) and, with a sex breakdown, Women
and men. Written with xlsxwriter, cell by cell with explicit types: a string from
the data is always a string, never a formula, and codes keep their leading zeros.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from urbanscreen import __version__
from urbanscreen.criteria import Criterion
from urbanscreen.errors import Issue
from urbanscreen.messages import message
from urbanscreen.pxwebapi.provenance import Provenance
from urbanscreen.render.labels import labels
from urbanscreen.render.rows import (
    Cell,
    Column,
    district_cell_columns,
    district_columns,
    outcome_word,
)
from urbanscreen.render.values import count_text
from urbanscreen.result import MAX_WORKBOOK_AREAS, AreaColumns, Result, sex_gap

if TYPE_CHECKING:
    from urbanscreen.followup import FollowUp

MAX_CELL_TEXT = 32_767  # Excel's limit; longer text is cut, and the cut is reported
MAX_CHART_DISTRICTS = 40
MAX_SHEET_AREAS = MAX_WORKBOOK_AREAS  # beyond this the Districts sheet holds the areas that matter
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
    follow_up: FollowUp | None = None,
) -> list[Issue]:
    """Write the report to ``path``; returns what had to be cut to fit Excel's limits.
    With ``follow_up``, a follow-up sheet over the years too."""
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
    # Column by column: no object and no list per area (a sixth of the report's time).
    areas = result.columns(shown)
    if shown is not None:
        # A national table: the workbook keeps the areas a reader needs; CSV keeps them all.
        writer.cut.append(
            Issue.of(
                message(
                    "report-abridged",
                    shown=count_text(areas.size),
                    total=count_text(total),
                    limit=count_text(SHEET_HIGHLIGHTS),
                ),
                level="info",
            )
        )
    _summary(writer, summary, result, areas, generated)
    _districts(writer, districts, result, areas)
    _criteria(writer, criteria_sheet, result)
    _charts(writer, workbook, charts, chart_data, result, areas)
    if result.table.by_sex:
        _by_sex(writer, workbook.add_worksheet(words["by_sex"][:31]), result, areas)
    if follow_up is not None:
        from urbanscreen.render.followup_excel import write_follow_up_sheet
        from urbanscreen.render.followup_tabular import follow_up_words

        writer.cut += write_follow_up_sheet(workbook, follow_up, follow_up_words(language))
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

    def columns(
        self,
        sheet: Worksheet,
        columns: Sequence[Sequence[Cell | bool]],
        styles: Sequence[Sequence[Any]],
        first_row: int = 1,
    ) -> None:
        """Whole columns of cells, as :meth:`cell` writes them. Columns of numbers and blanks
        go one at a time; the others row by row, since a workbook numbers its shared strings
        in the order they are first written."""
        numeric = [_numbers_only(cells) for cells in columns]
        for column, (cells, column_styles) in enumerate(zip(columns, styles, strict=True)):
            if numeric[column]:
                self._numbers(sheet, column, cells, column_styles, first_row)
        mixed = [column for column, only in enumerate(numeric) if not only]
        if not mixed:
            return
        cells_by_row = zip(*(columns[column] for column in mixed), strict=True)
        styles_by_row = zip(*(styles[column] for column in mixed), strict=True)
        string = sheet.write_string
        for row, (cells, row_styles) in enumerate(
            zip(cells_by_row, styles_by_row, strict=True), first_row
        ):
            for column, value, style in zip(mixed, cells, row_styles, strict=True):
                if type(value) is str and len(value) <= MAX_CELL_TEXT:
                    string(row, column, value, style)
                else:
                    self.cell(sheet, row, column, value, style)

    @staticmethod
    def _numbers(
        sheet: Worksheet,
        column: int,
        cells: Sequence[Cell | bool],
        styles: Sequence[Any],
        first_row: int,
    ) -> None:
        number, blank = sheet.write_number, sheet.write_blank
        for row, (value, style) in enumerate(zip(cells, styles, strict=True), first_row):
            if value is None:
                blank(row, column, None, style)
            else:
                number(row, column, value, style)

    def _fit(self, sheet: Worksheet, row: int, column: int, text: str) -> str:
        if len(text) <= MAX_CELL_TEXT:
            return text
        self.cut.append(
            Issue.of(
                message(
                    "cell-truncated",
                    sheet=repr(sheet.name),
                    row=row + 1,
                    column=column + 1,
                    length=f"{len(text):,}",
                    limit=f"{MAX_CELL_TEXT:,}",
                )
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


def _numbers_only(cells: Sequence[Cell | bool]) -> bool:
    """Only floats, ints and blanks: cells that never reach the shared strings (exact types:
    booleans are written as words)."""
    return set(map(type, cells)) <= {float, int, type(None)}


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
    areas: AreaColumns,
    generated: datetime,
) -> None:
    words = writer.words
    scheme = result.criteria.scheme
    summary = result.summary
    sheet.set_column(0, 0, 34)
    sheet.set_column(1, 1, KEY_VALUE_WIDTH)
    sheet.write_string(0, 0, scheme.name, writer.format(bold=True, font_size=14))
    line = words["summary_line"].format(
        q=count_text(summary.qualifying), n=count_text(summary.districts)
    )
    sheet.write_string(1, 0, line, writer.format(bold=True, font_size=12))
    if areas.size < summary.districts:
        note = words["abridged"].format(
            sheet=words["districts"],
            shown=count_text(areas.size),
            total=count_text(summary.districts),
            limit=count_text(SHEET_HIGHLIGHTS),
        )
        sheet.write_string(2, 0, note, writer.format(italic=True))
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
    where = [
        m or code for m, code in zip(areas.municipalities, areas.municipality_codes, strict=True)
    ]
    names = _area_labels(areas)
    groups: dict[str, list[str]] = defaultdict(list)
    for position, qualifies in enumerate(areas.qualifies):
        if qualifies:
            groups[where[position] or ""].append(names[position])
    if not groups:
        sheet.write_string(row, 0, words["none_qualify"])
        row += 1
    for municipality in sorted(groups):
        sheet.write_string(row, 0, municipality, writer.format(bold=True))
        for label in groups[municipality]:
            writer.cell(sheet, row, 1, label, writer.format(bg_color=GREEN))
            row += 1
    undecided = [position for position, q in enumerate(areas.qualifies) if q is None]
    if undecided:
        row += 1
        sheet.write_string(row, 0, words["count_unknown"], writer.format(bold=True, font_size=12))
        row += 1
        for position in undecided:
            writer.cell(sheet, row, 0, where[position])
            style = writer.format(bg_color=YELLOW, italic=True)
            writer.cell(sheet, row, 1, names[position], style)
            row += 1


def _area_labels(areas: AreaColumns) -> list[str]:
    """What names an area in lists and charts: its name, else its id."""
    return [name or id_ for name, id_ in zip(areas.names, areas.ids, strict=True)]


# -- Districts ----------------------------------------------------------------------------------


def _districts(writer: _Writer, sheet: Worksheet, result: Result, areas: AreaColumns) -> None:
    words = writer.words
    columns = district_columns(result, words)
    writer.header(sheet, 0, [c.header for c in columns])
    cells_by_column = district_cell_columns(areas, result, words)
    style_columns = [
        _column_styles(writer, column, cells, areas.qualifies)
        for column, cells in zip(columns, cells_by_column, strict=True)
    ]
    writer.columns(sheet, cells_by_column, style_columns)
    for index, (column, cells) in enumerate(zip(columns, cells_by_column, strict=True)):
        sheet.set_column(index, index, _column_width(column.header, cells))
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(areas.size, 1), len(columns) - 1)


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
    writer: _Writer,
    column: Column,
    cells: Sequence[Cell | bool],
    qualifies: Sequence[bool | None],
) -> list[Any]:
    """Each cell's format in one column: number format by unit, fills by verdict and outcome."""
    if column.kind == "verdict":
        fills = {value: _style(writer, column, value, None) for value in set(cells)}
        return [fills[value] for value in cells]
    if column.kind in {"text", "outcome"}:
        by_outcome = {
            qualifies: _style(writer, column, None, qualifies) for qualifies in (True, False, None)
        }
        return [by_outcome[flag] for flag in qualifies]
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
            *_fetched(source.provenance, words),
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


def _fetched(provenance: Provenance | None, words: Mapping[str, str]) -> list[tuple[str, Cell]]:
    """Where ``urbanscreen fetch`` got the input, with the attribution the licence asks for."""
    if provenance is None:
        return []
    return [
        (words["fetched_attribution"], provenance.attribution),
        (words["fetched_license"], provenance.license),
        (words["fetched_api"], provenance.api),
        (words["fetched_table"], provenance.table),
        (words["fetched_selection"], provenance.selection),
        (words["fetched_updated"], provenance.updated),
        (words["fetched_at"], provenance.fetched),
    ]


# -- Charts -----------------------------------------------------------------------------------


def chart_positions(qualifies: Sequence[bool | None], margins: Sequence[float | None]) -> list[int]:
    """Which districts a chart shows, by position: all when few; else the qualifying ones and
    those nearest this threshold (``margins``: each district's margin to it)."""
    if len(qualifies) <= MAX_CHART_DISTRICTS:
        return list(range(len(qualifies)))
    chosen = [position for position, flag in enumerate(qualifies) if flag][:MAX_CHART_DISTRICTS]
    rest = [
        position
        for position, (flag, margin) in enumerate(zip(qualifies, margins, strict=True))
        if not flag and margin is not None
    ]
    rest.sort(key=lambda position: abs(margins[position] or 0.0))
    chosen += rest[: MAX_CHART_DISTRICTS - len(chosen)]
    return sorted(chosen)


def _charts(
    writer: _Writer,
    workbook: Workbook,
    sheet: Worksheet,
    data: Worksheet,
    result: Result,
    areas: AreaColumns,
) -> None:
    words = writer.words
    sheet.set_column(0, 0, 100)
    top = 0
    breaks: list[int] = []
    names = _area_labels(areas)
    for position, criterion in enumerate(result.criteria.criteria):
        checks = areas.checks[criterion.id]
        shown = chart_positions(areas.qualifies, checks.margin)
        first_column = position * 3
        data.write_string(0, first_column, words["name"])
        data.write_string(0, first_column + 1, criterion.label)
        data.write_string(0, first_column + 2, words["threshold"])
        for row, area in enumerate(shown, start=1):
            writer.cell(data, row, first_column, names[area])
            writer.cell(data, row, first_column + 1, checks.value[area])
            writer.cell(data, row, first_column + 2, checks.threshold[area])
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
                "points": [{"fill": {"color": BAR_COLOURS[checks.met[area]]}} for area in shown],
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
        if len(shown) < areas.size:
            note = words["chart_subset"].format(shown=len(shown), total=areas.size)
            sheet.write_string(top, 0, note, writer.format(italic=True))
            top += 1
        sheet.insert_chart(top, 0, bars)
        top += 21
        breaks.append(top)
    # Printed, every chart gets a page of its own.
    sheet.set_h_pagebreaks(breaks[:-1])


def _by_sex(writer: _Writer, sheet: Worksheet, result: Result, areas: AreaColumns) -> None:
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
    cells: list[list[Cell | bool]] = [
        list(areas.ids),
        list(areas.names),
        list(areas.municipalities),
        [outcome_word(flag, words) for flag in areas.qualifies],
    ]
    for criterion in criteria:
        checks = areas.checks[criterion.id]
        gaps: list[Cell | bool] = [
            sex_gap(women, men) for women, men in zip(checks.women, checks.men, strict=True)
        ]
        cells += [list(checks.value), list(checks.women), list(checks.men), gaps]
    writer.columns(sheet, cells, [[style] * areas.size for style in styles])
    sheet.set_column(0, 2, 18)
    sheet.set_column(3, len(headers) - 1, 14)
    sheet.set_row(0, 45)
    sheet.freeze_panes(1, 2)
    sheet.autofilter(0, 0, max(areas.size, 1), len(headers) - 1)
