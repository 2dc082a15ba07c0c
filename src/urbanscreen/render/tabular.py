"""The result as CSV (for spreadsheets) and Markdown (for CI summaries and pull requests)."""

from __future__ import annotations

import csv
import io
import re
from typing import TextIO

from urbanscreen.errors import printable
from urbanscreen.render.labels import labels
from urbanscreen.render.rows import Cell, district_columns, district_row_blocks, outcome_word
from urbanscreen.render.values import decimal_mark, format_value, shown_value
from urbanscreen.result import Result

# A cell starting like this is a formula to a spreadsheet program (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")
_RANGE = re.compile(r"(≥ )?[\d ]+(\.\d+)?(–[\d ]+(\.\d+)?)?")


def neutralise(text: str) -> str:
    """Text a spreadsheet will show, not run: "=1+2" becomes "'=1+2"."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def to_csv(result: Result, language: str) -> str:
    """The text :func:`write_csv` writes."""
    buffer = io.StringIO()
    write_csv(result, language, buffer)
    return buffer.getvalue()


def write_csv(result: Result, language: str, stream: TextIO) -> None:
    """One row per district with every check spelled out (the columns of the workbook's
    Districts and Details sheets together), UTF-8 with a BOM.

    Swedish reports use semicolons and decimal commas, as Swedish Excel expects;
    English ones commas and decimal points. Written a block of districts at a time.
    """
    words = labels(language)
    separator, decimal = (";", ",") if language == "sv" else (",", ".")
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=separator, lineterminator="\r\n")
    writer.writerow([neutralise(column.header) for column in district_columns(result, words)])
    yes, no = words["yes"], words["no"]
    for columns in district_row_blocks(result, words):
        # Column by column: no District object, and no list, per area.
        texts = [[_csv_cell(cell, decimal, yes, no) for cell in column] for column in columns]
        writer.writerows(zip(*texts, strict=True))


def _csv_cell(cell: Cell | bool, decimal: str, yes: str, no: str) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return yes if cell else no
    if isinstance(cell, int | float):
        text = repr(float(cell)) if isinstance(cell, float) else str(cell)
        text = text.removesuffix(".0") if isinstance(cell, float) and cell.is_integer() else text
        return text.replace(".", decimal)
    if _RANGE.fullmatch(cell):
        return cell.replace(".", decimal)  # a bounded value, "8.267–8.4", in the report's marks
    return neutralise(cell)


def to_markdown(result: Result, language: str) -> str:
    """A summary line and a table of every district, for a CI step summary."""
    words = labels(language)
    criteria = result.criteria.criteria
    summary = result.summary
    lines = [
        f"**{_md(result.criteria.scheme.name)}**: "
        + words["summary_line"].format(q=summary.qualifying, n=summary.districts)
        + (f"; {words['count_unknown'].lower()}: {summary.unknown}" if summary.unknown else ""),
        "",
        f"{words['input']}: `{_code(str(result.table.source.path))}` · "
        f"{words['criteria_origin']}: `{_code(result.criteria.origin)}`"
        + (f" · {words['year']}: {result.table.year}" if result.table.year else ""),
        "",
    ]
    outcomes = result.criteria.outcomes
    indices = result.criteria.indices
    headers = [words["name"], words["municipality"], words["qualifies"]]
    headers += [f"{_md(c.label)} {_md(decimal_mark(c.describe(), language))}" for c in criteria]
    headers += [_md(o.label) for o in outcomes] + [_md(i.label) for i in indices]
    lines.append("| " + " | ".join(headers) + " |")
    extra = len(outcomes) + len(indices)
    lines.append("|---|---|:-:|" + "--:|" * len(criteria) + ":-:|" * extra)
    for district in result.districts():
        answer = outcome_word(district.qualifies, words)
        mark = {True: "✅", False: "❌", None: "❔"}[district.qualifies]
        cells = [
            _md(district.name or district.id) + (" †" if district.uncertain else ""),
            _md(district.municipality or district.municipality_code or ""),
            f"{mark} {answer}",
        ]
        for check in district.checks:
            symbol = {True: "✓", False: "✗", None: "?"}[check.met]
            shown = decimal_mark(shown_value(check), language)
            cells.append(f"{symbol} {words['missing'] if shown == 'missing' else shown}")
        for outcome in outcomes:
            cells.append({True: "✓", False: "✗", None: "?"}[district.outcomes.get(outcome.id)])
        for index in indices:
            score = decimal_mark(format_value(district.indices.get(index.id), "number"), language)
            cells.append(f"{_md(district.tiers.get(index.id) or '')} ({score})")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    """Data as literal Markdown text: no tables broken, no links or HTML injected."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text)).replace("\n", " ")


def _code(text: str) -> str:
    return printable(text).replace("`", "'")
