"""The follow-up over years for a terminal: each district's verdict per year, each
criterion's values over the years beside its threshold, and who entered and left.

Built like the check table (:mod:`urbanscreen.render.terminal`): marks carry the verdict,
colour only repeats it, data is :class:`rich.text.Text`, never markup; where a table does
not fit the width, a compact line per district takes its place, so nothing is cut off. It
speaks the check table's language: Swedish words and decimal commas for a Swedish scheme.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.console import Group, RenderableType
from rich.text import Text

from urbanscreen.columns import (
    ID,
    NAME,
    QUALIFIES,
    YEAR,
    met_column,
    threshold_column,
)
from urbanscreen.criteria.model import Criterion
from urbanscreen.errors import printable
from urbanscreen.followup import FollowUp
from urbanscreen.render.followup_tabular import follow_up_words, readings, year_thresholds
from urbanscreen.render.grid import Column, grid
from urbanscreen.render.labels import MARKS, language_of
from urbanscreen.render.speech import rule_text
from urbanscreen.render.terminal import MAX_ROWS, Voice
from urbanscreen.render.values import count_text, shown_number

_STYLES = {True: "green", False: "red", None: "yellow"}
# Beyond MAX_ROWS districts: a row per year and criterion each makes these half as many
# as the check table shows, for about as many lines.
HIGHLIGHTS = 15
NAMED = 20  # districts named per change of a year; the JSON and CSV have them all


def _listed(frame: pd.DataFrame, column: str) -> list[Any]:
    if column not in frame:
        return [None] * len(frame)
    values: Any = frame[column]
    listed: list[Any] = values.to_numpy(dtype=object, na_value=None).tolist()
    return listed


def _mark(flag: bool | None, text: str = "") -> Text:
    return Text(f"{MARKS[flag]}{' ' + text if text else ''}", _STYLES[flag])


class _Years:
    """The follow-up frame as one entry per district: its name and, per year, a column."""

    def __init__(self, frame: pd.DataFrame, years: list[int]) -> None:
        self.years = years
        self.ids: list[str] = list(dict.fromkeys(str(area) for area in frame[ID]))
        self.position = {
            (str(a), int(y)): i for i, (a, y) in enumerate(zip(frame[ID], frame[YEAR], strict=True))
        }
        names = dict(zip(frame[ID].astype(str), _listed(frame, NAME), strict=True))
        self.names = {area: printable(names.get(area) or area) for area in self.ids}

    def at(self, values: list[Any], area: str, year: int) -> Any:
        position = self.position.get((area, year))
        return None if position is None else values[position]


class _Voice(Voice):
    """The terminal's voice with the follow-up's words."""

    def __getitem__(self, key: str) -> str:
        return follow_up_words(self.language)[key]


def render_follow_up(follow_up: FollowUp, width: int = 100, language: str | None = None) -> Group:
    """Verdicts by district and year, the counts per year, each criterion's values over the
    years, entered and left, and the years whose history is missing. ``language``: ``sv``
    or ``en`` (default: the scheme's), as the check table's."""
    voice = _Voice(language_of(follow_up.criteria.scheme.lang, language))
    frame = follow_up.frame
    years = follow_up.years
    shown_ids = None if frame[ID].nunique() <= MAX_ROWS else follow_up.highlights(HIGHLIGHTS)
    if shown_ids is not None:
        frame = frame[frame[ID].astype(str).isin(shown_ids)]
    districts = _Years(frame, years)
    references = _Years(follow_up.references, years)
    heading = Text(f"\n{voice['follow_up']} {follow_up.span}", style="bold")
    rule = voice.numbers(rule_text(follow_up.criteria, voice.language))
    heading.append(f" — {printable(rule)}", style="")
    parts: list[RenderableType] = [heading, _verdicts(follow_up, frame, districts, width, voice)]
    hidden = follow_up.frame[ID].nunique() - len(districts.ids)
    if hidden:
        parts.append(
            Text(
                voice["term_follow_up_hidden"].format(hidden=count_text(hidden), limit=HIGHLIGHTS),
                style="dim",
            )
        )
    for criterion in follow_up.criteria.criteria:
        parts.append(
            _values(criterion, frame, follow_up.references, (districts, references), width, voice)
        )
    parts.append(_changes(follow_up, voice))
    notes = [note for year in years for note in follow_up.notes.get(year, [])]
    if notes:
        parts.append(Text("\n".join(printable(str(note)) for note in notes), style="dim"))
    return Group(*parts)


def _year_columns(years: list[int], split: bool) -> list[Column]:
    """A column per year; ``split`` writes "2009" over two lines ("20", "09") to save room."""
    return [
        Column(
            Text(f"{year // 100}\n{year % 100:02d}" if split else str(year), style="bold"), "right"
        )
        for year in years
    ]


def _table(
    first: str, years: list[int], rows: list[list[Text]], width: int, sections: frozenset[int]
) -> Text | None:
    for split in (False, True):
        columns = [
            Column(Text(first, style="bold"), min_width=12, wrap=True),
            *_year_columns(years, split),
        ]
        table = grid(columns, rows, width, section_after=sections)
        if table is not None:
            return table
    return None


def _pack(pieces: list[Text], width: int, indent: int = 4) -> Text:
    """``pieces`` on lines no wider than ``width`` after an indent, never split inside one."""
    text = Text(" " * indent)
    line = indent
    for piece in pieces:
        if line > indent and line + piece.cell_len > width:
            text.rstrip()
            text.append("\n" + " " * indent)
            line = indent
        text.append_text(piece)
        text.append("  ")
        line += piece.cell_len + 2
    text.rstrip()
    return text


def _lines(rows: list[list[Text]], years: list[int], width: int) -> Text:
    """A compact block per row where no table fits: the name, then "2009 ✓ 35.0" pieces."""
    text = Text()
    for row in rows:
        pieces = []
        for year, cell in zip(years, row[1:], strict=True):
            piece = Text(f"{year} ", style="dim")
            piece.append_text(cell)
            pieces.append(piece)
        text.append_text(row[0])
        text.append("\n")
        text.append_text(_pack(pieces, width))
        text.append("\n")
    text.rstrip()
    return text


def _verdicts(
    follow_up: FollowUp, frame: pd.DataFrame, districts: _Years, width: int, voice: Voice
) -> RenderableType:
    """A row per district shown (of ``frame``), a column per year: ✓ qualifies, ✗ does not,
    ? undecided; then the number qualifying each year, of every district."""
    qualifies = _listed(frame, QUALIFIES)
    rows = [
        [
            Text(districts.names[area]),
            *(_mark(districts.at(qualifies, area, year)) for year in follow_up.years),
        ]
        for area in districts.ids
    ]
    table = _table(voice["term_district"], follow_up.years, rows, width, frozenset())
    counts = follow_up.counts()
    qualifying = Text(voice["qualifying_per_year"], style="bold")
    qualifying.append("\n")
    pieces = [
        Text(
            voice["term_year_count"].format(
                year=year,
                q=count_text(counts[year].qualifying),
                n=count_text(counts[year].districts),
            )
        )
        for year in follow_up.years
    ]
    qualifying.append_text(_pack(pieces, width, indent=1))
    return Group(table if table is not None else _lines(rows, follow_up.years, width), qualifying)


def _values(
    criterion: Criterion,
    frame: pd.DataFrame,
    reference_frame: pd.DataFrame,
    shown: tuple[_Years, _Years],
    width: int,
    voice: Voice,
) -> RenderableType:
    """One criterion's values per district and year, each with its mark, the threshold per
    year, and the reference rows' values below (``shown``: the districts, the references)."""
    districts, references = shown
    unit = criterion.unit
    mets = _listed(frame, met_column(criterion.id))
    limits = _listed(frame, threshold_column(criterion.id))
    shown_values = readings(frame, criterion)
    years = districts.years
    rows: list[list[Text]] = []
    for area in districts.ids:
        cells = [Text(districts.names[area])]
        for year in years:
            reading = districts.at(shown_values, area, year)
            cells.append(_mark(districts.at(mets, area, year), voice.numbers(reading)))
        rows.append(cells)
    threshold_row = [Text(voice["term_threshold"], style="bold")]
    for year in years:
        found = {districts.at(limits, area, year) for area in districts.ids} - {None}
        limit = (
            voice.value(found.pop(), unit)
            if len(found) == 1
            else (voice["term_varies"] if found else "")
        )
        threshold_row.append(Text(limit, style="bold"))
    rows.append(threshold_row)
    # The threshold apart from the districts, and the reference rows apart from both.
    sections = {len(rows) - 2, *([len(rows) - 1] if references.ids else [])}
    reference_values = _listed(reference_frame, criterion.id)
    # Never rounded onto or across the year's threshold, as a district's value is not.
    year_limits = year_thresholds(frame, criterion) if references.ids else {}
    for area in references.ids:
        name = voice["term_reference_row"].format(name=references.names[area])
        cells = [Text(name, style="dim")]
        for year in years:
            value = references.at(reference_values, area, year)
            on = year_limits.get(year)
            reading = shown_number(value, unit, criterion.shown_decimals, on)
            cells.append(Text(voice.numbers(reading), style="dim"))
        rows.append(cells)
    heading = Text(f"\n{printable(criterion.label)} {voice.rule(criterion)}", style="bold")
    table = _table(voice["term_district"], years, rows, width, frozenset(sections))
    return Group(heading, table if table is not None else _lines(rows, years, width))


def _changes(follow_up: FollowUp, voice: Voice) -> Text:
    """Entered and left (and became undecided), named by year."""
    named = {area for change in follow_up.changes for area in (*change.entered, *change.left)}
    named |= {area for change in follow_up.changes for area in change.unknown}
    frame = follow_up.frame
    frame = frame[frame[ID].astype(str).isin(named)].drop_duplicates(ID)
    names = dict(zip(frame[ID].astype(str), _listed(frame, NAME), strict=True))
    text = Text(f"\n{voice['term_entered_and_left']}", style="bold")
    if not follow_up.changes:
        text.append(voice["term_one_year"], style="")
    quiet = []
    for change in follow_up.changes:
        said = False
        for word, ids, style in (
            (voice["entered"], change.entered, "green"),
            (voice["left"], change.left, "red"),
            (voice["became_unknown"], change.unknown, "yellow"),
        ):
            if ids:
                since = voice["term_from_year"].format(year=change.year, previous=change.previous)
                text.append("; " if said else f"\n{since}: ")
                text.append(f"{word} ", style=style)
                text.append(", ".join(printable(names.get(i) or i) for i in ids[:NAMED]))
                if len(ids) > NAMED:
                    more = voice["term_and_more"].format(n=count_text(len(ids) - NAMED))
                    text.append(more, style="dim")
                said = True
        if not said:
            quiet.append(str(change.year))
    if quiet:
        key = "term_quiet_other_years" if len(quiet) < len(follow_up.changes) else "term_quiet"
        text.append("\n" + voice[key].format(years=", ".join(quiet)), style="dim")
    return text
