"""The result as CSV (for spreadsheets) and Markdown (for CI summaries and pull requests)."""

from __future__ import annotations

import io
import re
from typing import TextIO

import pyarrow as pa

from urbanscreen.errors import printable
from urbanscreen.render import csvtext
from urbanscreen.render.labels import MARKS, labels
from urbanscreen.render.rows import district_fields, district_headers, outcome_word
from urbanscreen.render.speech import qualifying_text
from urbanscreen.render.values import decimal_mark, format_value, shown_value
from urbanscreen.result import Result

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#])")
# Rows turned to text at once: enough that Arrow's per-call cost vanishes, few enough that
# a national table's text never sits in memory whole.
_ROWS_AT_ONCE = 50_000


def to_csv(result: Result, language: str) -> str:
    """The text :func:`write_csv` writes."""
    buffer = io.StringIO()
    write_csv(result, language, buffer)
    return buffer.getvalue()


def write_csv(result: Result, language: str, stream: TextIO) -> None:
    """One row per district with every check spelled out (the columns of the workbook's
    Districts and Details sheets together), UTF-8 with a BOM.

    Swedish reports use semicolons and decimal commas, as Swedish Excel expects;
    English ones commas and decimal points. Written a block of districts at a time, each
    block column by column.
    """
    words = labels(language)
    separator, _ = csvtext.marks(language)
    headers = district_headers(result, words)
    stream.write("\ufeff")
    header = [csvtext.text_fields(pa.array([text]), separator) for text in headers]
    stream.write(csvtext.lines(header, separator))
    frame = result.frame
    for start in range(0, len(frame), _ROWS_AT_ONCE):
        block = frame.iloc[start : start + _ROWS_AT_ONCE]
        stream.write(csvtext.lines(district_fields(block, result, language), separator))


def to_markdown(result: Result, language: str) -> str:
    """A summary line and a table of every district, for a CI step summary."""
    words = labels(language)
    criteria = result.criteria.criteria
    summary = result.summary
    lines = [
        f"**{_md(result.criteria.scheme.name)}**: "
        + qualifying_text(summary, language)
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
            symbol = MARKS[check.met]
            shown = decimal_mark(shown_value(check), language)
            cells.append(f"{symbol} {words['missing'] if shown == 'missing' else shown}")
        for outcome in outcomes:
            cells.append(MARKS[district.outcomes.get(outcome.id)])
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
