"""The result as a table for people: every area, every criterion met or not, and why.

Marks (✓ ✗ ?) carry the verdict so it reads without colour; colour only repeats it.
Data from the file is wrapped in :class:`rich.text.Text`, never parsed as markup.
"""

from __future__ import annotations

import textwrap

from rich import box
from rich.console import Console, Group
from rich.table import Table as RichTable
from rich.text import Text

from urbanscreen.criteria import format_threshold
from urbanscreen.result import Check, District, Result, Summary

MET, FAILED, UNKNOWN = "✓", "✗", "?"
HEADING_WIDTH = 10  # criterion headings wrap to about the width of their values


def format_value(value: float | None, unit: str) -> str:
    """A value as written in the table: full precision, never rounded onto a threshold."""
    if value is None:
        return "missing"
    if unit == "count" and float(value).is_integer():
        return f"{int(value):,}".replace(",", " ")
    text = f"{value:.6f}".rstrip("0")
    return text + "0" if text.endswith(".") else text


def summary_line(summary: Summary) -> str:
    noun = "district" if summary.districts == 1 else "districts"
    verb = "qualifies" if summary.qualifying == 1 else "qualify"
    line = f"{summary.qualifying} of {summary.districts} {noun} {verb}"
    if summary.unknown:
        line += f"; {summary.unknown} cannot be decided (missing values)"
    return line


def _check_cell(check: Check) -> Text:
    if check.met is None:
        return Text(f"{UNKNOWN} {format_value(check.value, check.criterion.unit)}", "yellow")
    mark, style = (MET, "green") if check.met else (FAILED, "red")
    return Text(f"{mark} {format_value(check.value, check.criterion.unit)}", style)


def _district_cell(district: District) -> Text:
    cell = Text(district.name or district.id)
    where = district.municipality or district.municipality_code
    if where:
        cell.append(f", {where}", style="dim")
    return cell


def _outcome_cell(qualifies: bool | None) -> Text:
    if qualifies is None:
        return Text("unknown", "bold yellow")
    return Text("YES", "bold green") if qualifies else Text("no", "dim")


def render_table(result: Result) -> Group:
    """The whole report for a terminal: heading, table, summary."""
    criteria = result.criteria
    table = RichTable(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), expand=False)
    table.add_column("District", overflow="fold", min_width=12)
    for criterion in criteria.criteria:
        lines = textwrap.wrap(criterion.heading, HEADING_WIDTH, break_long_words=False)
        header = Text("\n".join(lines) + "\n", style="bold")
        header.append(f"{criterion.op} {format_threshold(criterion.threshold, criterion.unit)}")
        table.add_column(header, justify="right", no_wrap=True)
    table.add_column("Qualifies", justify="center", no_wrap=True)
    districts = list(result.districts())
    for position, district in enumerate(districts):
        following = districts[position + 1] if position + 1 < len(districts) else None
        table.add_row(
            _district_cell(district),
            *(_check_cell(check) for check in district.checks),
            _outcome_cell(district.qualifies),
            # A rule between the qualifying, undecided and other districts.
            end_section=following is not None and following.qualifies != district.qualifies,
        )

    heading = Text(criteria.scheme.name, style="bold")
    heading.append(f" — {criteria.rule_text()}", style="")
    source = result.table.source
    where = f"sheet {source.sheet!r} of " if source.sheet else ""
    areas = len(result.table)
    origin = criteria.origin
    if origin.startswith("preset:"):
        origin = f"{origin.removeprefix('preset:')} (preset shipped with urbanscreen)"
    provenance = Text(
        f"Criteria: {origin}\nInput: {where}{source.path}, "
        f"{areas} {'area' if areas == 1 else 'areas'}",
        style="dim",
    )
    return Group(heading, provenance, table, Text(summary_line(result.summary), style="bold"))


def print_table(result: Result, console: Console) -> None:
    console.print(render_table(result))
