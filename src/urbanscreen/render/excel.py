"""The Excel report: the workbook an analyst sends to colleagues and archives.

Sheets: Summary, Districts (the table as the terminal shows it, filterable, with each
value's margin to its threshold to the right), Details (only where there is more to trace:
margins with many criteria, thresholds that vary by area, summed counts, bounds, small
areas), Criteria, Provenance, Charts (native Excel charts of values against thresholds)
and, with a sex breakdown, Women and men. Every sheet is made by :meth:`_Writer.sheet`,
which sets it up to print one page wide; every text is in
the report's language (the criteria arrive translated, see urbanscreen.texts). Written
with xlsxwriter, cell by cell with explicit types: a string from the data is always a
string, never a formula, and codes keep their leading zeros.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
from xlsxwriter import Workbook
from xlsxwriter.worksheet import Worksheet

from urbanscreen import __version__
from urbanscreen.criteria.model import Criterion
from urbanscreen.errors import Issue
from urbanscreen.messages import message
from urbanscreen.pxwebapi.provenance import Provenance
from urbanscreen.render.issues import issue_message
from urbanscreen.render.labels import MARKS, labels
from urbanscreen.render.number_columns import (
    Flags,
    Floats,
    round_half_even,
    rounding_misleads_at,
)
from urbanscreen.render.rows import Cell, has_bounds, outcome_word, verdict_word
from urbanscreen.render.speech import qualifying_text
from urbanscreen.render.values import (
    count_text,
    decimal_mark,
    shown_value,
    whole,
)
from urbanscreen.result import MAX_WORKBOOK_AREAS, AreaColumns, CheckColumns, Result, sex_gap

if TYPE_CHECKING:
    from urbanscreen.followup import FollowUp

MAX_CELL_TEXT = 32_767  # Excel's limit; longer text is cut, and the cut is reported
MAX_CHART_DISTRICTS = 40
SUMMARY_PAGE_ROWS = 60
# Criteria whose margins fit to the right of their values on the Districts sheet printed one
# page wide; beyond, the margins go to the Details sheet.
MARGINS_BESIDE_UP_TO = 5
# Two charts fill a landscape A4 page printed one page wide (as LibreOffice prints it); a
# row is 20 pixels.
CHART_WIDTH, CHART_HEIGHT, CHART_ROWS = 1180, 470, 25
CHART_DATA_COLUMNS = 6  # per criterion: name, met, not met, unknown, missing, threshold
MISSING = ".."  # SCB's mark for a value that is not available
MAX_SHEET_AREAS = MAX_WORKBOOK_AREAS  # beyond this the Districts sheet holds the areas that matter
SHEET_HIGHLIGHTS = 5_000
MAX_COLUMN_WIDTH = 48
KEY_VALUE_WIDTH = 70  # characters in the value column of Summary and Provenance
KEY_WIDTH = 35  # and in their key column
GREEN, RED, YELLOW, GREY = "#E2EFDA", "#FCE4D6", "#FFF2CC", "#D9D9D9"
VERDICT_FILLS = {True: GREEN, False: RED, None: YELLOW}  # a criterion met, not met, unknown
BAR_COLOURS = {True: "#70AD47", False: "#C0504D", None: "#A5A5A5"}
# Every digit a value has: for a value that its criterion's precision would show on or
# across its threshold (51.96 is not "52.0" against "< 52").
NUMBER_FORMATS = {
    "percent": '0.0#########" %"',
    "count": "#,##0",
    "number": "0.0#########",
}
# Margins of percentages are percentage points: no "%" sign on them.
# A margin its precision would show as 0 (0.04 at one decimal, 0.3 of a count): every digit.
_EVERY_DIGIT_MARGIN = "+0.0#########;-0.0#########;0.0"
MARGIN_FORMATS = {
    "percent": _EVERY_DIGIT_MARGIN,
    "count": "+#,##0;-#,##0;0",
    "number": _EVERY_DIGIT_MARGIN,
}


def write_workbook(
    result: Result,
    path: Path,
    *,
    language: str,
    command: str,
    generated: datetime,
    notes: Sequence[Issue] = (),
    follow_up: FollowUp | None = None,
) -> list[Issue]:
    """Write the report to ``path``; returns what had to be cut to fit Excel's limits.

    ``result`` holds its criteria in ``language`` (see :func:`urbanscreen.texts.in_language`);
    ``notes`` are said in the Provenance sheet with the run's warnings. With ``follow_up``,
    a follow-up sheet over the years too."""
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
    writer = _Writer(workbook, words, language)
    summary = writer.sheet(words["summary"])
    districts = writer.sheet(words["districts"], header_rows=1)
    # Details only where it holds more than Districts: a sheet repeating it costs a third of
    # the report's time at 6 000 areas.
    details = writer.sheet(words["details"], header_rows=1) if _has_details(result) else None
    criteria_sheet = writer.sheet(words["criteria"], header_rows=1)
    provenance = writer.sheet(words["provenance"])
    charts = writer.sheet(words["charts"])
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
    # A criterion's values, and the digits each is shown with, serve two sheets: made once.
    values = {
        criterion.id: _criterion_values(writer, areas.checks[criterion.id])
        for criterion in result.criteria.criteria
    }
    _districts(writer, districts, result, areas, values)
    if details is not None:
        _details(writer, details, result, areas, values)
    _criteria(writer, criteria_sheet, result)
    _charts(writer, workbook, charts, chart_data, result, areas)
    if result.table.by_sex:
        _by_sex(writer, writer.sheet(words["by_sex"], header_rows=1), result, areas)
    if follow_up is not None:
        from urbanscreen.render.followup_excel import write_follow_up_sheet
        from urbanscreen.render.followup_tabular import follow_up_words

        before = len(workbook.worksheets())
        said = follow_up_words(language)
        writer.cut += write_follow_up_sheet(workbook, follow_up, said, language)
        for sheet in workbook.worksheets()[before:]:
            # Printed as the other sheets are: landscape A4, one page wide.
            sheet.set_landscape()
            sheet.set_paper(9)
            sheet.fit_to_pages(1, 0)
    _provenance(writer, provenance, result, command, generated, notes)
    summary.activate()
    workbook.close()
    return writer.cut


class _Writer:
    """Typed cell writing with a cache of formats (xlsxwriter formats are per workbook)."""

    def __init__(self, workbook: Workbook, words: Mapping[str, str], language: str) -> None:
        self.workbook = workbook
        self.words = words
        self.language = language
        self.cut: list[Issue] = []
        self._formats: dict[tuple[tuple[str, Any], ...], Any] = {}

    def sheet(self, name: str, *, header_rows: int = 0) -> Worksheet:
        """A new sheet, set up to print: landscape A4, one page wide, the first
        ``header_rows`` rows repeated on every page, the sheet's name and the page
        number in the footer. Every printed sheet of the report is made here."""
        sheet = self.workbook.add_worksheet(name[:31])
        sheet.set_landscape()
        sheet.set_paper(9)
        sheet.fit_to_pages(1, 0)
        sheet.set_margins(left=0.4, right=0.4, top=0.5, bottom=0.6)
        if header_rows:
            sheet.repeat_rows(0, header_rows - 1)
        sheet.set_footer(f"&L&A&R{self.words['page']} &P / &N")
        return sheet

    def text(self, text: str) -> str:
        """A text that holds numbers, with the report's decimal mark."""
        return decimal_mark(text, self.language)

    def format(self, **properties: Any) -> Any:
        # Top-aligned unless said otherwise: a row made tall by one wrapped text (a
        # district's small areas) keeps its numbers on the line of its name.
        properties.setdefault("valign", "top")
        if properties.get("indent"):
            # xlsxwriter makes an indent left-aligned only while valign is unset.
            properties.setdefault("align", "left")
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
        """Whole columns of cells, as :meth:`cell` writes them. Numbers and blanks go a column
        at a time, each run of cells in one format in one call; texts row by row, since a
        workbook numbers its shared strings in the order they are first written."""
        texts = []
        for column, (cells, column_styles) in enumerate(zip(columns, styles, strict=True)):
            kinds = set(map(type, cells))
            if kinds & _NUMBER_TYPES:
                self._numbers(sheet, column, cells, column_styles, first_row)
            if not kinds <= _NUMBER_TYPES:
                texts.append(column)
        if not texts:
            return
        cells_by_row = zip(*(columns[column] for column in texts), strict=True)
        styles_by_row = zip(*(styles[column] for column in texts), strict=True)
        string = sheet.write_string
        for row, (cells, row_styles) in enumerate(
            zip(cells_by_row, styles_by_row, strict=True), first_row
        ):
            for column, value, style in zip(texts, cells, row_styles, strict=True):
                kind = type(value)
                if kind is str and len(value) <= MAX_CELL_TEXT:
                    string(row, column, value, style)
                elif kind not in _NUMBER_TYPES:  # a text too long for a cell, or a flag
                    self.cell(sheet, row, column, value, style)

    @staticmethod
    def _numbers(
        sheet: Worksheet,
        column: int,
        cells: Sequence[Cell | bool],
        styles: Sequence[Any],
        first_row: int,
    ) -> None:
        """The numbers and blanks of a column, each in its format, a run of cells in one
        format at a time (its texts and flags are written row by row, by :meth:`columns`)."""
        row = first_row
        for style, run in groupby(zip(cells, styles, strict=True), key=itemgetter(1)):
            values = [value for value, _ in run]
            if set(map(type, values)) <= _NUMBER_TYPES:
                sheet.write_column(row, column, values, style)
            else:
                for offset, value in enumerate(values):
                    if type(value) in _NUMBER_TYPES:
                        sheet.write(row + offset, column, value, style)
            row += len(values)

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
            if isinstance(value, str):
                self.fit_row(sheet, row, [(key, KEY_WIDTH), (value, KEY_VALUE_WIDTH)])
            row += 1
        return row

    @staticmethod
    def fit_row(sheet: Worksheet, row: int, cells: Sequence[tuple[str, float]]) -> None:
        """A row tall enough for its wrapped texts (text, column width): Excel does not
        grow a row for wrapped text a program wrote, and LibreOffice not always."""
        lines = max((_lines(text, width) for text, width in cells if text), default=1)
        if lines > 1:
            sheet.set_row(row, 15 * lines)


# Cells that never reach the shared strings (exact types: booleans are written as words).
_NUMBER_TYPES = frozenset({float, int, type(None)})


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
    sheet.set_column(0, 0, KEY_WIDTH)
    sheet.set_column(1, 1, KEY_VALUE_WIDTH)
    sheet.write_string(0, 0, scheme.name, writer.format(bold=True, font_size=14))
    line = qualifying_text(summary, writer.language)
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
            (words["description"], writer.text(scheme.description) or None),
            (words["rule"], writer.text(_rule_text(result, words))),
            # Only where Districts has marks: a scheme of indices alone has no criteria.
            (words["marks"], words["marks_legend"] if result.criteria.criteria else None),
            (words["date"], generated.strftime("%Y-%m-%d %H:%M")),
            (words["input"], _input_text(result)),
            (words["year"], result.table.year),
            (words["source"], writer.text(scheme.source) or None),
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
        [(c.label, writer.text(_criterion_rule(c))) for c in result.criteria.criteria],
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
    if row <= SUMMARY_PAGE_ROWS:
        # Printed, a summary that fits a page at a readable size is kept on one page.
        sheet.fit_to_pages(1, 1)


def _area_labels(areas: AreaColumns) -> list[str]:
    """What names an area in lists and charts: its name, else its id."""
    return [name or id_ for name, id_ in zip(areas.names, areas.ids, strict=True)]


# -- Districts and details -----------------------------------------------------------------------


@dataclass
class SheetColumn:
    """A column of a table sheet: its header (lines), its cells and their formats."""

    header: str
    cells: Sequence[Cell | bool]
    styles: Sequence[Any]
    width: float


def _districts(
    writer: _Writer,
    sheet: Worksheet,
    result: Result,
    areas: AreaColumns,
    shown: Mapping[str, CriterionValues],
) -> None:
    """The table as the terminal shows it: who the district is, whether it qualifies, and
    per criterion its value with its verdict's mark and fill (the threshold in the header);
    then outcomes, indices and flags, and to the right each value's margin to its threshold."""
    words = writer.words
    # The municipality code where the id was only it and the name: its one place in the
    # workbook when there is no Details sheet ("0180", a text, keeps its zero).
    columns = _identity_columns(writer, areas, result, with_code=True)
    frozen = _name_column(columns, words)
    columns.append(_outcome_column(writer, words["qualifies"], areas.qualifies, areas.qualifies))
    for criterion in result.criteria.criteria:
        header = _criterion_header(writer, criterion)
        cells, styles = _value_cells(writer, shown[criterion.id], areas.checks[criterion.id].met)
        # Wide enough for the mark, the value and its unit ("✓ 15 600", "? 8,8–8,9").
        chars = len("✓ ") + shown[criterion.id].chars + _unit_chars(criterion.unit)
        columns.append(SheetColumn(header, cells, styles, width=_fitting_width(header, chars, 11)))
    for outcome in result.criteria.outcomes:
        values = areas.outcomes[outcome.id]
        columns.append(_outcome_column(writer, outcome.label, values, areas.qualifies))
    for index in result.criteria.indices:
        number = writer.format(num_format=_number_format("number", 2))
        scores = areas.indices[index.id]
        cells, styles = _known_or_missing(writer, scores, [number] * len(scores))
        columns.append(SheetColumn(index.label, cells, styles, _header_width(index.label, 10)))
        names = {tier.id: tier.label for tier in index.tiers}
        tiers: list[Cell | bool] = [names.get(t, t) if t else None for t in areas.tiers[index.id]]
        columns.append(
            SheetColumn(words["tier"], tiers, [None] * areas.size, width=_text_width(tiers, 10))
        )
    if result.population_floor is not None and any(areas.uncertain):
        # As the terminal marks them: only where some area has too few residents to trust.
        flags: list[Cell | bool] = [words["yes" if flag else "no"] for flag in areas.uncertain]
        centred = [writer.format(align="center")] * areas.size  # apart from the value before
        columns.append(SheetColumn(words["uncertain"], flags, centred, width=11))
    if _margins_beside(result):
        for criterion in result.criteria.criteria:
            columns.append(_margin_column(writer, criterion, areas.checks[criterion.id]))
    _table(writer, sheet, columns, areas.size, frozen)


def _margin_column(writer: _Writer, criterion: Criterion, checks: CheckColumns) -> SheetColumn:
    """How far each value lies from its threshold, in the value's unit (percentage points
    for a percent: no "%" sign); ``..`` where that is not known."""
    words = writer.words
    decimals = criterion.shown_decimals
    margin = writer.format(num_format=_margin_format(criterion.unit, decimals))
    # Decimals for a count's margin too: against a per-area threshold (3999.7) it is 0.3.
    every_digit = writer.format(num_format=_EVERY_DIGIT_MARGIN)
    # A margin its precision would show as 0 (0.04 at one decimal) shows every digit, as a
    # value rounding would put on its threshold does: 0 means on the threshold.
    known = np.array(checks.margin, dtype=np.float64)  # None as NaN
    as_zero = rounding_misleads_at(known, np.zeros_like(known), round_half_even(known, decimals))
    # A margin not known (the value missing or only bounded) is '..' too.
    cells, styles = _known_or_missing(
        writer,
        [None if value is None else round(value, 9) for value in checks.margin],
        [every_digit if hidden else margin for hidden in as_zero.tolist()],
    )
    # The unit hyphenated where a narrow column may break it: "procent-" / "enheter".
    unit = words.get(f"margin_{criterion.unit}_lines")
    header = f"{_label_lines(criterion)}\n{words['margin']}" + (f"\n({unit})" if unit else "")
    # Every margin has its sign ("+0,5"); its digits are those of the value's precision.
    chars = 1 + _shown_chars(np.abs(known), decimals, as_zero, whole=False)
    return SheetColumn(header, cells, styles, width=_fitting_width(header, chars, 10))


def _margins_beside(result: Result) -> bool:
    """Whether the margins stand to the right of the values on the Districts sheet (else
    on Details): with many criteria they would make it too wide to read printed."""
    return len(result.criteria.criteria) <= MARGINS_BESIDE_UP_TO


def _has_details(result: Result) -> bool:
    """Whether the Details sheet holds anything the Districts sheet lacks: margins that do
    not fit beside the values, thresholds that vary by area, bounds, or districts built
    from small areas (their counts and members)."""
    criteria = result.criteria.criteria
    return (
        not _margins_beside(result)
        or result.table.layout == "districts"
        or any(criterion.fixed_threshold is None for criterion in criteria)
        or any(has_bounds(result, criterion) for criterion in criteria)
    )


def _details(
    writer: _Writer,
    sheet: Worksheet,
    result: Result,
    areas: AreaColumns,
    shown: Mapping[str, CriterionValues],
) -> None:
    """What a colleague needs to recompute or follow up a figure: each value beside the
    thresholds that vary by area, its margin where Districts has no room for it, summed
    counts, bounds, small areas, and the input row."""
    words = writer.words
    columns = _identity_columns(writer, areas, result, with_code=True)
    frozen = _name_column(columns, words)
    traced = result.table.layout == "districts"
    margins = not _margins_beside(result)
    plain = [writer.format()] * areas.size  # top-aligned, as every cell of a tall row
    for criterion in result.criteria.criteria:
        checks = areas.checks[criterion.id]
        decimals = criterion.shown_decimals
        header = _criterion_header(writer, criterion)
        chars = shown[criterion.id].chars + _unit_chars(criterion.unit)
        width = _fitting_width(header, chars, 10)
        columns.append(SheetColumn(header, *_value_cells(writer, shown[criterion.id]), width=width))
        if criterion.fixed_threshold is None:
            style = writer.format(num_format=_number_format(criterion.unit, decimals))
            # A threshold rounding would put on or across the area's value (3999.7 against
            # 4000 shown as 4 000) shows every digit, as such a value does.
            counted = criterion.unit == "count"  # a count's cell format has no decimals
            every = writer.format(
                num_format="#,##0.0#########" if counted else _number_format(criterion.unit, None)
            )
            limits = np.array(checks.threshold, dtype=np.float64)  # None as NaN
            values = np.array(checks.value, dtype=np.float64)
            onto = rounding_misleads_at(limits, values, round_half_even(limits, decimals))
            onto &= ~np.isnan(limits)
            header = f"{_label_lines(criterion)}\n{words['threshold']}"
            # A threshold not known (its reference missing in the area) is '..' too.
            limit_cells, limit_styles = _known_or_missing(
                writer, checks.threshold, [every if hidden else style for hidden in onto.tolist()]
            )
            width = _header_width(header, 10)
            columns.append(SheetColumn(header, limit_cells, limit_styles, width))
        if margins:
            columns.append(_margin_column(writer, criterion, checks))
        if traced and criterion.numerator is not None:
            count = writer.format(num_format=NUMBER_FORMATS["count"])
            for word, cells in (
                ("numerator", checks.numerator),
                ("denominator", checks.denominator),
            ):
                header = f"{_label_lines(criterion)}\n{words[word]}"
                column_cells: list[Cell | bool] = [whole(value) for value in cells]
                columns.append(SheetColumn(header, column_cells, [count] * areas.size, width=11))
        if has_bounds(result, criterion):
            bound = writer.format(num_format=_number_format(criterion.unit, decimals))
            for word, bounds in (("low", checks.low), ("high", checks.high)):
                bound_cells: list[Cell | bool] = [
                    None if value is None or value == float("inf") else value for value in bounds
                ]
                header = f"{_label_lines(criterion)}\n{words[word]}"
                width = _header_width(header, 10)
                columns.append(SheetColumn(header, bound_cells, [bound] * areas.size, width=width))
    if traced:
        listed: list[Cell | bool] = [", ".join(codes) for codes in areas.areas]
        wrap = writer.format(text_wrap=True, valign="top", indent=1)  # apart from the value before
        columns.append(SheetColumn(words["areas"], listed, [wrap] * areas.size, width=25))
        for row, text in enumerate(listed, start=1):
            writer.fit_row(sheet, row, [(str(text), 23)])
    rows: list[Cell | bool] = list(areas.rows)
    columns.append(SheetColumn(words["row"], rows, plain, width=8))
    _table(writer, sheet, columns, areas.size, frozen)


def _identity_columns(
    writer: _Writer, areas: AreaColumns, result: Result, *, with_code: bool
) -> list[SheetColumn]:
    """Code (unless it only repeats the municipality code and the name), name and
    municipality, filled by the district's outcome. ``with_code``: the municipality code
    too, where the code was left out for repeating it."""
    words = writer.words
    by_outcome = {
        flag: writer.format(**_outcome_properties(flag), valign="top")
        for flag in (True, False, None)
    }
    styles = [by_outcome[flag] for flag in areas.qualifies]
    columns = []
    names: list[Cell | bool] = list(areas.names)
    derived = any(names) and _ids_are_derived(areas)
    if not derived:
        ids: list[Cell | bool] = list(areas.ids)
        columns.append(SheetColumn(words["code"], ids, styles, width=_text_width(ids, 8)))
    if any(names):
        columns.append(SheetColumn(words["name"], names, styles, width=_text_width(names, 10)))
    places: list[Cell | bool] = list(areas.municipalities)
    header = words["municipality"]
    if not any(places):
        places, header = list(areas.municipality_codes), words["municipality_code"]
    if any(places):
        width = max(_text_width(places, 8), _header_width(header, 8))
        columns.append(SheetColumn(header, places, styles, width=width))
    codes: list[Cell | bool] = list(areas.municipality_codes)
    if with_code and derived and header != words["municipality_code"] and any(codes):
        header = words["municipality_code"]
        width = max(_text_width(codes, 6), _header_width(header, 6))  # a long code whole
        columns.append(SheetColumn(header, codes, styles, width=width))
    return columns


def _name_column(columns: Sequence[SheetColumn], words: Mapping[str, str]) -> int:
    """The column that names the area, frozen in place when the sheet scrolls sideways."""
    headers = [column.header for column in columns]
    return headers.index(words["name"]) if words["name"] in headers else 0


def _ids_are_derived(areas: AreaColumns) -> bool:
    """Whether each id is only ``kommunkod name``, ``kommun: name`` or the name, made when
    the data have no id column: then the id column would repeat what is beside it."""
    return all(
        name is not None and id_ in {name, f"{code} {name}", f"{municipality}: {name}"}
        for id_, name, code, municipality in zip(
            areas.ids, areas.names, areas.municipality_codes, areas.municipalities, strict=True
        )
    )


def _outcome_column(
    writer: _Writer,
    header: str,
    values: Sequence[bool | None],
    qualifies: Sequence[bool | None],
) -> SheetColumn:
    words = writer.words
    styles = {
        flag: writer.format(bold=True, align="center", **_outcome_properties(flag))
        for flag in (True, False, None)
    }
    cells: list[Cell | bool] = [outcome_word(flag, words) for flag in values]
    return SheetColumn(
        header,
        cells,
        [styles[flag] for flag in qualifies],
        width=_header_width(header, minimum=8),
    )


def _outcome_properties(qualifies: bool | None) -> dict[str, Any]:
    if qualifies:
        return {"bg_color": GREEN}
    if qualifies is None:
        return {"bg_color": YELLOW, "italic": True}
    return {}


def _criterion_header(writer: _Writer, criterion: Criterion) -> str:
    """The label over the rule, with the report's decimal mark ("< 52 %")."""
    return f"{_label_lines(criterion)}\n{writer.text(criterion.describe())}"


def _label_lines(criterion: Criterion) -> str:
    """The label, broken where its short label may break ("Förvärvs-" / "frekvens"), so
    a column can be as narrow as its values."""
    short, label = criterion.short_label, criterion.label
    if not short or short.replace("-", "") != label.replace("-", ""):
        return label
    # A hyphen of the short label that the label lacks marks a break ("assis-tance"); one
    # the label has too is part of a word ("Long-term").
    broken, position = [], 0
    for character in short:
        if character == "-" and label[position : position + 1] != "-":
            broken.append("-\n")
            continue
        broken.append(character)
        position += 1
    return "".join(broken).replace("\n ", "\n")


def _header_width(header: str, minimum: float) -> float:
    """Wide enough for the header's longest word (headers wrap at spaces and breaks)."""
    # Headers are bold: a tenth wider than the characters a column's width counts.
    longest = max(len(word) for word in header.split())
    return min(max(longest * 1.1 + 1.5, minimum), MAX_COLUMN_WIDTH)


def _text_width(cells: Sequence[Cell | bool], minimum: float) -> float:
    texts = [len(str(value)) for value in set(cells) if isinstance(value, str)]
    return min(max([minimum, *(length + 1.5 for length in texts)]), MAX_COLUMN_WIDTH)


@dataclass(frozen=True)
class CriterionValues:
    """A criterion's values as a sheet shows them: the cells (numbers; ``..`` where missing,
    the range where bounded) and, per cell, the decimals of its number format (None: every
    digit, where rounding would put the value on or across its threshold) or ``TEXT``."""

    unit: str
    decimals: int  # the criterion's precision
    cells: list[Cell | bool]
    digits: list[int | str | None]
    chars: int  # of the widest cell as shown, its unit and any mark aside: a column's width


TEXT = "text"  # a cell of CriterionValues.digits that holds a text, not a number


def _criterion_values(writer: _Writer, checks: CheckColumns) -> CriterionValues:
    decimals = checks.criterion.shown_decimals
    # Which values their precision would show on or across the threshold: a column at a time.
    values = np.array(checks.value, dtype=np.float64)  # None as NaN
    thresholds = np.array(checks.threshold, dtype=np.float64)
    misleads = rounding_misleads_at(values, thresholds, round_half_even(values, decimals))
    digits: list[int | str | None] = [None if flag else decimals for flag in misleads.tolist()]
    cells: list[Cell | bool] = list(checks.value)
    chars = _shown_chars(values, decimals, misleads, whole=checks.criterion.unit == "count")
    for position in np.flatnonzero(np.isnan(values)).tolist():  # the values missing
        cells[position] = _unknown_value(writer, checks, position)
        digits[position] = TEXT
        chars = max(chars, len(str(cells[position])))
    return CriterionValues(checks.criterion.unit, decimals, cells, digits, chars)


def _shown_chars(numbers: Floats, decimals: int, every_digit: Flags, *, whole: bool) -> int:
    """Characters of the widest of ``numbers`` (NaN: none) as its number format shows it,
    a minus counted: at ``decimals`` places with thousands grouped, or every digit it has
    where ``every_digit`` (ungrouped; a ``whole`` count's grouped, without decimals). A
    column narrower than its number shows "###" in place of it."""
    known = ~np.isnan(numbers)
    widest = 0
    rounded = numbers[known & ~every_digit]
    if rounded.size:
        largest = float(np.max(np.abs(rounded)))
        widest = len(f"{largest:,.{decimals}f}") + bool(np.any(rounded < 0))
    for number in numbers[known & every_digit].tolist():  # a few: where rounding misleads
        digits = f"{abs(number):,.0f}" if whole else f"{abs(number):.10f}".rstrip("0")
        widest = max(widest, len(digits) + (digits.endswith(".")) + (number < 0))
    return widest


def _fitting_width(header: str, chars: int, minimum: float) -> float:
    """Wide enough for the header's longest word and for ``chars`` characters of a cell."""
    return min(max(_header_width(header, minimum), chars + 1.5), MAX_COLUMN_WIDTH)


def _value_cells(
    writer: _Writer, values: CriterionValues, verdicts: Sequence[bool | None] | None = None
) -> tuple[list[Cell | bool], list[Any]]:
    """The cells of a criterion's values and their formats; with ``verdicts``, each shaded
    by its verdict and marked ✓ ✗ ? in its number format, so the cell stays a number."""

    def style(met: bool | None, digits: int | str | None) -> Any:
        # A text (.. or a range) is right-aligned as numbers are; with a mark, it takes the
        # format's text section, so its mark comes first too ("? ..").
        places = values.decimals if isinstance(digits, str) else digits
        if verdicts is None:
            if digits == TEXT:
                return writer.format(align="right")
            return writer.format(num_format=_number_format(values.unit, places))
        return writer.format(
            num_format=_marked_format(values.unit, places, MARKS[met]),
            bg_color=VERDICT_FILLS[met],
            align="right",
        )

    marks = [None] * len(values.digits) if verdicts is None else verdicts
    keys = list(zip(marks, values.digits, strict=True))
    # A few formats serve every cell: each made once, not looked up per cell (20 000 areas).
    made = {key: style(*key) for key in dict.fromkeys(keys)}
    styles = [made[key] for key in keys]
    return values.cells, styles


def _unit_chars(unit: str) -> int:
    """Characters a value's number format adds after it: " %" for a percent."""
    return len(" %") if unit == "percent" else 0


def _known_or_missing(
    writer: _Writer, numbers: Sequence[float | None], styles: Sequence[Any]
) -> tuple[list[Cell | bool], list[Any]]:
    """A column of numbers in their ``styles``; ``..`` right-aligned where a number is not
    known (None), never a blank cell."""
    missing = writer.format(align="right")
    cells: list[Cell | bool] = [MISSING if number is None else number for number in numbers]
    return cells, [
        missing if number is None else style for number, style in zip(numbers, styles, strict=True)
    ]


def _marked_format(unit: str, decimals: int | None, mark: str) -> str:
    """A value's format with its verdict's mark before it ("✓ 44,2 %", "✗ -1,5", "? .."):
    sections for positive, negative, zero and text, so a minus follows the mark."""
    number = _number_format(unit, decimals)
    return f'"{mark} "{number};"{mark} -"{number};"{mark} "{number};"{mark} "@'


def _number_format(unit: str, decimals: int | None) -> str:
    """The cell format of a value: ``decimals`` places, or every digit when None."""
    if decimals is None:
        return NUMBER_FORMATS.get(unit, NUMBER_FORMATS["number"])
    places = "." + "0" * decimals if decimals else ""
    pattern = f"#,##0{places}"
    return f'{pattern}" %"' if unit == "percent" else pattern


def _margin_format(unit: str, decimals: int) -> str:
    """Margins of percentages are percentage points: no "%" sign on them."""
    places = "." + "0" * decimals if decimals else ""
    return f"+#,##0{places};-#,##0{places};0{places}"


def _table(
    writer: _Writer, sheet: Worksheet, columns: list[SheetColumn], size: int, frozen: int
) -> None:
    """Header, cells, widths, a frozen header and names, and a filter."""
    header = writer.format(bold=True, bg_color=GREY, text_wrap=True, valign="top", bottom=1)
    for index, column in enumerate(columns):
        sheet.write_string(0, index, column.header, header)
        sheet.set_column(index, index, column.width)
    writer.columns(sheet, [c.cells for c in columns], [c.styles for c in columns])
    lines = max(_lines(column.header, column.width) for column in columns)
    sheet.set_row(0, 15 * lines)
    sheet.freeze_panes(1, frozen + 1)
    sheet.autofilter(0, 0, max(size, 1), len(columns) - 1)


def _lines(text: str, width: float) -> int:
    """Lines a wrapped text takes in a column ``width`` characters wide (a word longer
    than a line, such as a path, is broken across lines)."""
    room = max(int(width) - 1, 1)
    count = 0
    for paragraph in text.split("\n"):
        line = 0
        count += 1
        for word in paragraph.split():
            if line and line + 1 + len(word) > room:
                count += 1
                line = 0
            if len(word) > room:
                count += (len(word) - 1) // room
                line = len(word) % room or room
            else:
                line += len(word) + (1 if line else 0)
    return count


# -- Criteria and provenance ----------------------------------------------------------------------


def _criteria(writer: _Writer, sheet: Worksheet, result: Result) -> None:
    words = writer.words
    headers = [
        (words["criterion"], 18),
        (words["label"], 22),
        (words["operator"], 11),
        (words["unit"], 9),
        (words["decimals"], 9),
        (words["sex"], 8),
        (words["column"], 22),
        (words["source"], 30),
        (words["description"], 45),
    ]
    writer.header(sheet, 0, [header for header, _ in headers])
    wrap = writer.format(text_wrap=True, valign="top")
    centred = writer.format(align="center", valign="top")
    for column, (_, width) in enumerate(headers):
        sheet.set_column(column, column, width)
    for row, criterion in enumerate(result.criteria.criteria, start=1):
        cells: list[Cell] = [
            criterion.id,
            criterion.label,
            writer.text(_criterion_rule(criterion)),
            words.get(criterion.unit, criterion.unit),
            criterion.shown_decimals,
            words.get(criterion.sex, criterion.sex),
            result.table.headers.get(criterion.id, criterion.column),
            writer.text(criterion.source) or None,
            writer.text(criterion.description) or None,
        ]
        for column, value in enumerate(cells):
            writer.cell(sheet, row, column, value, centred if column == 4 else wrap)
        writer.fit_row(
            sheet, row, [(str(c or ""), w) for c, (_, w) in zip(cells, headers, strict=True)]
        )
    sheet.freeze_panes(1, 0)
    rule_row = len(result.criteria.criteria) + 2
    sheet.write_string(rule_row, 0, words["rule"], writer.format(bold=True))
    sheet.write_string(rule_row, 1, writer.text(_rule_text(result, words)))


def _provenance(
    writer: _Writer,
    sheet: Worksheet,
    result: Result,
    command: str,
    generated: datetime,
    notes: Sequence[Issue],
) -> None:
    words = writer.words
    source = result.table.source
    widths = (KEY_WIDTH, KEY_VALUE_WIDTH, 30, 12)
    for column, width in enumerate(widths):
        sheet.set_column(column, column, width)
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
    issues = [*result.issues, *notes, *writer.cut]
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
        message = writer.text(issue_message(issue, writer.language))
        cells = (
            issue.code,
            message,
            str(issue.location) or None,
            words.get(f"level_{issue.level}", issue.level),
        )
        for column, value in enumerate(cells):
            writer.cell(sheet, row, column, value, wrap)
        writer.fit_row(sheet, row, list(zip((str(c or "") for c in cells), widths, strict=True)))


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
    """A chart per criterion, two to a printed page: each district's bar coloured by its
    verdict (the legend names the colours), the threshold as a line, and a marker on the
    axis where the value is missing."""
    words = writer.words
    top = 0
    breaks: list[int] = []
    names = _area_labels(areas)
    verdicts = (True, False, None)
    for position, criterion in enumerate(result.criteria.criteria):
        checks = areas.checks[criterion.id]
        shown = chart_positions(areas.qualifies, checks.margin)
        first = position * CHART_DATA_COLUMNS
        last = len(shown)
        rule = writer.text(_criterion_rule(criterion))
        headers = [
            words["name"],
            *(verdict_word(met, words) for met in verdicts),
            words["chart_missing"],
            f"{words['threshold']} {rule}",
        ]
        for offset, header in enumerate(headers):
            data.write_string(0, first + offset, header)
        for row, area in enumerate(shown, start=1):
            value = checks.value[area]
            label = names[area] + (f" ({MISSING})" if value is None else "")
            writer.cell(data, row, first, label)
            for offset, met in enumerate(verdicts, start=1):
                writer.cell(data, row, first + offset, value if checks.met[area] is met else None)
            # A missing value is marked on the threshold line: it may lie on either side.
            writer.cell(data, row, first + 4, _missing_mark(checks, area))
            writer.cell(data, row, first + 5, checks.threshold[area])

        def series(offset: int, first: int = first, last: int = last) -> dict[str, Any]:
            return {
                "name": [data.name, 0, first + offset],
                "categories": [data.name, 1, first, last, first],
                "values": [data.name, 1, first + offset, last, first + offset],
            }

        bars = workbook.add_chart({"type": "column"})
        assert bars is not None
        present = {checks.met[area] for area in shown if checks.value[area] is not None}
        for offset, met in enumerate(verdicts, start=1):
            if met in present or (met is True and not present):
                colour = BAR_COLOURS[met]
                bars.add_series(
                    series(offset) | {"fill": {"color": colour}, "overlap": 100, "gap": 60}
                )
        line = workbook.add_chart({"type": "line"})
        assert line is not None
        line.add_series(
            series(5)
            | {
                "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
                "marker": {"type": "none"},
            }
        )
        if any(checks.value[area] is None for area in shown):
            line.add_series(
                series(4)
                | {
                    "line": {"none": True},
                    "marker": {
                        "type": "diamond",
                        "size": 11,
                        "fill": {"color": BAR_COLOURS[None]},
                        "border": {"color": "#404040"},
                    },
                    "data_labels": {
                        "value": True,
                        "position": "above",
                        "font": {"bold": True, "size": 10},
                        "custom": [
                            {"value": _missing_label(writer, checks, area)}
                            if checks.value[area] is None
                            else {"delete": True}
                            for area in shown
                        ],
                    },
                }
            )
        bars.combine(line)
        bars.set_title(
            {
                "name": words["chart_title"].format(label=criterion.label, rule=rule),
                "name_font": {"size": 12},
            }
        )
        bars.set_x_axis({"num_font": {"rotation": -45, "size": 8}})
        unit = words.get(criterion.unit, criterion.unit)
        bars.set_y_axis(
            {
                "name": f"{criterion.label} ({unit})",
                "major_gridlines": {"visible": True},
                "num_format": _number_format(criterion.unit, None)
                if criterion.unit == "count"
                else "General",
            }
        )
        bars.set_legend({"position": "bottom"})
        bars.set_size({"width": CHART_WIDTH, "height": CHART_HEIGHT})
        if len(shown) < areas.size:
            note = words["chart_subset"].format(shown=len(shown), total=areas.size)
            sheet.write_string(top, 0, note, writer.format(italic=True))
        sheet.insert_chart(top + 1, 0, bars)
        top += CHART_ROWS
        if position % 2:
            breaks.append(top)
    # Printed, two charts fill a page.
    sheet.set_h_pagebreaks([b for b in breaks if b < top])


def _missing_mark(checks: CheckColumns, area: int) -> float | None:
    """Where a chart marks a missing value: amid its bounds where it has them, else on the
    threshold line (it may lie on either side); no mark for a known value."""
    if checks.value[area] is not None:
        return None
    low, high = checks.low[area], checks.high[area]
    if low is not None and high is not None and high != float("inf"):
        return (low + high) / 2
    return checks.threshold[area]


def _missing_label(writer: _Writer, checks: CheckColumns, area: int) -> str:
    """ ".. ? okänt", or for a value known within bounds its range and verdict."""
    verdict = verdict_word(checks.met[area], writer.words)
    return f"{_unknown_value(writer, checks, area)} {verdict}"


def _unknown_value(writer: _Writer, checks: CheckColumns, area: int) -> str:
    """A value not known exactly: the range its bounds give ("32,2–32,5", "≥ 5"), or ".."
    where they give none (no bounds, or a lower bound without an upper one)."""
    if checks.low[area] is None:
        return MISSING
    shown = shown_value(checks.at(area))
    return MISSING if shown == "missing" else writer.text(shown)


def _by_sex(writer: _Writer, sheet: Worksheet, result: Result, areas: AreaColumns) -> None:
    words = writer.words
    columns = _identity_columns(writer, areas, result, with_code=False)
    frozen = _name_column(columns, words)
    columns.append(_outcome_column(writer, words["qualifies"], areas.qualifies, areas.qualifies))
    for criterion in result.criteria.criteria:
        checks = areas.checks[criterion.id]
        decimals = criterion.shown_decimals
        number = writer.format(num_format=_number_format(criterion.unit, decimals))
        gaps = [sex_gap(women, men) for women, men in zip(checks.women, checks.men, strict=True)]
        for word, values in (
            ("total", checks.value),
            ("women", checks.women),
            ("men", checks.men),
            ("gap", gaps),
        ):
            header = f"{_label_lines(criterion)}\n{words[word]}"
            style = (
                writer.format(num_format=_margin_format(criterion.unit, decimals))
                if word == "gap"
                else number
            )
            cells, styles = _known_or_missing(writer, values, [style] * len(values))
            columns.append(SheetColumn(header, cells, styles, width=_header_width(header, 10)))
    _table(writer, sheet, columns, areas.size, frozen)
