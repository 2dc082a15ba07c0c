"""The result as a table for people: every area, every criterion met or not, and why.

Marks (✓ ✗ ?) carry the verdict so it reads without colour; colour only repeats it.
Data from the file is wrapped in :class:`rich.text.Text`, never parsed as markup.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from itertools import pairwise

from rich.console import Console, Group, RenderableType
from rich.segment import Segment, Segments
from rich.text import Text

from urbanscreen.criteria.model import Criterion, Outcome
from urbanscreen.errors import printable
from urbanscreen.render.grid import Column, grid
from urbanscreen.render.labels import MARKS, labels, language_of
from urbanscreen.render.speech import numbers_in, rule_text, summary_text
from urbanscreen.render.values import format_value, shown_value
from urbanscreen.result import MAX_WORKBOOK_AREAS, Check, District, Result

MET, FAILED, UNKNOWN = MARKS[True], MARKS[False], MARKS[None]
UNCERTAIN_MARK = "†"
HEADING_WIDTH = 10  # criterion headings wrap to about the width of their values
NARROW_WIDTH = 72  # below this a table of four criteria no longer fits
MAX_ROWS = 500  # a terminal table longer than this is read by nobody
# Beyond MAX_ROWS, a screenful or two (pandas shows 60 rows): rendering a row costs ~0.5 ms.
HIGHLIGHTS = 30


@dataclass(frozen=True)
class Voice:
    """The terminal's words and numbers in one language (``sv`` or ``en``)."""

    language: str

    def __getitem__(self, key: str) -> str:
        return labels(self.language)[key]

    def value(self, value: float | None, unit: str) -> str:
        return self.numbers(format_value(value, unit))

    def numbers(self, text: str) -> str:
        """Values and rules as the language writes them: ``4,8 %``, ``saknas``."""
        if text == "missing":
            return self["missing"]
        return numbers_in(text, self.language)

    def rule(self, criterion: Criterion) -> str:
        rule = self.numbers(criterion.describe())
        if criterion.sex != "total":
            rule = f"{self[criterion.sex]}: {rule}"
        return rule


def _check_cell(check: Check, voice: Voice) -> Text:
    shown = voice.numbers(shown_value(check))
    if check.met is None:
        return Text(f"{UNKNOWN} {shown}", "yellow")
    mark, style = (MET, "green") if check.met else (FAILED, "red")
    return Text(f"{mark} {shown}", style)


def _district_cell(district: District) -> Text:
    cell = Text(printable(district.name or district.id))
    if district.uncertain:
        cell.append(f" {UNCERTAIN_MARK}")
    where = district.municipality or district.municipality_code
    if where and where not in {district.name, district.id}:
        cell.append(f", {printable(where)}", style="dim")
    return cell


def _outcome_cell(qualifies: bool | None, voice: Voice) -> Text:
    if qualifies is None:
        return Text(voice["term_unknown"], "bold yellow")
    return Text(voice["term_yes"], "bold green") if qualifies else Text(voice["term_no"], "dim")


def _heading(criterion: Criterion, rule: str) -> Text:
    lines = textwrap.wrap(criterion.heading, HEADING_WIDTH, break_long_words=False)
    header = Text("\n".join(printable(line) for line in lines) + "\n", style="bold")
    header.append(rule)
    return header


def _district_column(voice: Voice) -> Column:
    return Column(Text(voice["term_district"]), min_width=12, wrap=True)


def render_table(result: Result, width: int = 100, language: str | None = None) -> Group:
    """The whole report for a terminal: heading, table, summary, sex breakdown.

    Below ``NARROW_WIDTH`` columns, or wherever the table cannot fit, each district
    becomes a short block instead of a table row, so no name, verdict or value is cropped.
    ``language``: ``sv`` or ``en`` (default: the scheme's).
    """
    voice = Voice(language_of(result.criteria.scheme.lang, language))
    shown = None if result.summary.districts <= MAX_ROWS else result.highlights(HIGHLIGHTS)
    districts = list(result.districts(shown))
    # The grid itself says whether the table fits; wider schemes (outcomes, indices) go to
    # the list earlier, before their labels fold into slivers.
    extra = _extra_outcomes(result) or result.criteria.indices
    narrow = width < NARROW_WIDTH or (bool(extra) and width < _wide_width(result))
    table = None if narrow else _wide_table(result, districts, width, voice)
    body = _narrow_list(result, districts, voice) if table is None else table
    return _assemble(result, districts, body, width, voice)


def _wide_width(result: Result) -> int:
    """About how many columns the table needs; wider schemes get the list instead."""
    criteria = result.criteria
    extra = len(_extra_outcomes(result)) + 2 * len(criteria.indices)
    return 40 + 13 * (len(criteria.criteria) + extra)


def _extra_outcomes(result: Result) -> list[Outcome]:
    """Outcomes shown beside ``qualifies`` (the one that decides it is ``qualifies``)."""
    criteria = result.criteria
    if not criteria.outcomes:
        return []
    decisive = criteria.qualifying_outcome().id
    return [o for o in criteria.outcomes if o.id != decisive]


def _flag_cell(value: bool | None) -> Text:
    if value is None:
        return Text(UNKNOWN, "yellow")
    return Text(MET, "green") if value else Text(FAILED, "red")


def _wide_table(result: Result, districts: list[District], width: int, voice: Voice) -> Text | None:
    # The verdict sits next to the name, so a narrow terminal folds names, not answers.
    columns = [
        _district_column(voice),
        Column(Text(voice["term_qualifies"]), "center", min_width=7),
    ]
    for criterion in result.criteria.criteria:
        columns.append(Column(_heading(criterion, voice.rule(criterion)), "right"))
    outcomes = _extra_outcomes(result)
    for outcome in outcomes:
        columns.append(Column(Text(printable(outcome.label), style="bold"), "center", wrap=True))
    for index in result.criteria.indices:
        columns.append(Column(Text(printable(index.label), style="bold"), "right", wrap=True))
        columns.append(Column(Text(voice["term_tier"], style="bold"), wrap=True))
    rows = []
    for district in districts:
        extras: list[Text] = [_flag_cell(district.outcomes.get(o.id)) for o in outcomes]
        for index in result.criteria.indices:
            extras.append(Text(voice.value(district.indices.get(index.id), "number")))
            extras.append(Text(printable(district.tiers.get(index.id) or "")))
        rows.append(
            [
                _district_cell(district),
                _outcome_cell(district.qualifies, voice),
                *(_check_cell(check, voice) for check in district.checks),
                *extras,
            ]
        )
    # A blank line between the qualifying, undecided and other districts.
    sections = frozenset(
        position
        for position, (district, following) in enumerate(pairwise(districts))
        if following.qualifies != district.qualifies
    )
    return grid(columns, rows, width, section_after=sections)


def _narrow_list(result: Result, districts: list[District], voice: Voice) -> Group:
    blocks: list[RenderableType] = []
    outcomes = _extra_outcomes(result)
    for district in districts:
        line = _outcome_cell(district.qualifies, voice)
        line.append("  ")
        line.append_text(_district_cell(district))
        for outcome in outcomes:
            line.append("  ")
            line.append_text(_flag_cell(district.outcomes.get(outcome.id)))
            line.append(f" {printable(outcome.label)}", style="dim")
        for index in result.criteria.indices:
            value = voice.value(district.indices.get(index.id), "number")
            tier = printable(district.tiers.get(index.id) or "-")
            line.append(f"  {printable(index.label)} {value} ({tier})", style="dim")
        blocks.append(line)
        for check in district.checks:
            criterion = check.criterion
            detail = Text("    ")
            detail.append_text(_check_cell(check, voice))
            detail.append(
                f"  {printable(criterion.label)} {voice.numbers(criterion.describe())}",
                style="dim",
            )
            blocks.append(detail)
    return Group(*blocks)


def _assemble(
    result: Result, districts: list[District], body: RenderableType, width: int, voice: Voice
) -> Group:
    criteria = result.criteria
    heading = Text(printable(criteria.scheme.name), style="bold")
    heading.append(f" — {rule_text(criteria, voice.language)}", style="")
    source = result.table.source
    where = voice["term_sheet"].format(sheet=repr(source.sheet)) if source.sheet else ""
    areas = len(result.table)
    origin = criteria.origin
    if origin.startswith("preset:"):
        origin = f"{origin.removeprefix('preset:')} ({voice['term_preset']})"
    counted = f"{voice.value(areas, 'count')} {voice['term_area' if areas == 1 else 'term_areas']}"
    if result.table.layout == "districts":
        counted = f"{voice.value(areas, 'count')} {voice['term_built']}"
    provenance = Text(
        f"{voice['term_criteria']}: {printable(origin)}\n"
        f"{voice['term_input']}: {printable(where + str(source.path))}, {counted}",
        style="dim",
    )
    if result.table.year is not None:
        provenance.append(f", {voice['term_year']} {result.table.year}")
    for name, text in result.references.items():
        message = result.references_said.get(name)
        said = voice.numbers(text if message is None else message.text(voice.language))
        provenance.append(f"\n{voice['term_reference']}: {printable(said)}")
    parts: list[RenderableType] = [heading, provenance, body]
    if any(d.uncertain for d in districts):
        floor = voice["term_uncertain"].format(floor=result.population_floor)
        parts.append(Text(f"{UNCERTAIN_MARK} {floor}", style="dim"))
    parts.append(Text(voice.numbers(summary_text(result.summary, voice.language)), style="bold"))
    hidden = result.summary.districts - len(districts)
    if hidden:
        # Beyond its limit a workbook is abridged too: then only CSV and JSON have them all.
        suffix = "xlsx" if result.summary.districts <= MAX_WORKBOOK_AREAS else "csv"
        every = f"--format csv, --format json {voice['term_or']} --output report.{suffix}"
        note = voice["term_hidden"].format(
            hidden=voice.value(hidden, "count"), limit=HIGHLIGHTS, every=every
        )
        parts.append(Text(note, style="dim"))
    if result.table.layout == "districts":
        parts.append(_areas_block(districts, voice))
    if result.table.by_sex:
        breakdown = render_sex_breakdown(districts, criteria.criteria, width, voice)
        if breakdown is not None:
            parts.append(breakdown)
    return Group(*parts)


def _areas_block(districts: list[District], voice: Voice) -> Text:
    """Each district's areas and summed counts, so every rate can be recomputed."""
    text = Text(f"\n{voice['term_areas_heading']}", style="bold")
    for district in districts:
        text.append(f"\n{printable(district.name or district.id)}: ")
        text.append(printable(", ".join(district.areas)), style="dim")
        for check in district.checks:
            if check.numerator is not None and check.denominator is not None:
                text.append(
                    f"\n    {printable(check.criterion.label)}: "
                    f"{voice.value(check.numerator, 'count')} / "
                    f"{voice.value(check.denominator, 'count')}"
                )
                if check.value is None:
                    text.append(voice["term_known_parts"], style="dim")
    return text


def render_sex_breakdown(
    districts: list[District],
    criteria: list[Criterion],
    width: int = 100,
    voice: Voice | None = None,
) -> Group | None:
    """Women's and men's rates per criterion, and the gap (women minus men); the counts
    where no criterion is a rate; None (no table) where no criterion has a value by sex."""
    voice = voice or Voice("en")
    by_sex = [
        c
        for c in criteria
        if any(
            d.checks[criteria.index(c)].women is not None
            or d.checks[criteria.index(c)].men is not None
            for d in districts
        )
    ]
    shown = [c for c in by_sex if c.unit != "count"] or by_sex
    if not shown:
        return None
    columns = [_district_column(voice)]
    columns.extend(Column(_heading(c, voice["term_by_sex"]), "right") for c in shown)
    rows = []
    for district in districts:
        cells = [_district_cell(district)]
        for criterion in shown:
            check = district.checks[criteria.index(criterion)]
            if check.women is None and check.men is None:
                cells.append(Text(""))
                continue
            # One of the two may be missing: show what there is, "missing" for the other.
            unit = criterion.unit
            text = f"{voice.value(check.women, unit)} / {voice.value(check.men, unit)}"
            if check.gap is not None and unit == "count":
                sign = "-" if check.gap < 0 else "+"
                text += f" ({sign}{voice.value(abs(check.gap), unit)})"
            elif check.gap is not None:
                text += voice.numbers(f" ({check.gap:+.1f})")
            cells.append(Text(text))
        rows.append(cells)
    table = grid(columns, rows, width)
    heading = Text(f"\n{voice['by_sex']}", style="bold")
    if table is None:  # too narrow for a table: one block per district
        heading.append(f": {voice['term_by_sex']}", style="bold")
        table = Text()
        for cells in rows:
            table.append_text(cells[0])
            for criterion, cell in zip(shown, cells[1:], strict=True):
                if cell.plain:
                    table.append(f"\n    {printable(criterion.label)}: ", style="dim")
                    table.append_text(cell)
            table.append("\n")
        table.rstrip()
    return Group(heading, table)


def print_table(result: Result, console: Console, language: str | None = None) -> None:
    """The table on ``console``, every line without trailing spaces (a pasted table stays
    clean)."""
    print_stripped(render_table(result, console.width, language), console)


def print_stripped(renderable: RenderableType, console: Console) -> None:
    """``renderable`` on ``console``, every line without trailing spaces: rich pads each
    line of a table to its width, blank lines included."""
    lines = console.render_lines(renderable, pad=False, new_lines=True)
    console.print(Segments(segment for line in lines for segment in _rstripped(line)), end="")


def _rstripped(line: list[Segment]) -> list[Segment]:
    """``line`` without the spaces at its end; styles and the newline stay."""
    kept = list(line)
    newline = [kept.pop()] if kept and kept[-1].text == "\n" else []
    while kept and not kept[-1].text.rstrip(" "):
        kept.pop()  # a run of padding, whatever its style
    if kept:
        last = kept.pop()
        kept.append(Segment(last.text.rstrip(" "), last.style, last.control))
    return kept + newline
