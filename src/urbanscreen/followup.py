"""Follow-up over years: every chosen year of a table screened, district by district.

SCB followed the urban development districts year after year, against the thresholds
and against their municipality and the country. :func:`follow_up` screens each chosen
year of a table loaded with every year (``load_table(..., every_year=True)``), says
which districts entered and left between consecutive years, and keeps the rows that are
the municipality or the country ("Malmö totalt", "Riket") apart as reference lines.

Each year is screened as if it were the latest: a mean of several years or a streak in
2010 is computed from 2010 and the years before it, never after; where those years are
not in the table the answer is unknown, and :attr:`FollowUp.notes` says so.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise

import numpy as np
import pandas as pd

from urbanscreen.area_rows import TOTAL_NAMES
from urbanscreen.columns import AREA_COLUMNS, ID, NAME, QUALIFIES, ROW, YEAR, margin_column
from urbanscreen.compare import Snapshot, snapshot_of_result
from urbanscreen.criteria.model import Criteria, years_back
from urbanscreen.engine import screen_years, values_in_year
from urbanscreen.errors import Issue, Location, OptionError, shorten
from urbanscreen.messages import Few, Message, message
from urbanscreen.result import Result, Summary
from urbanscreen.table import Table

__all__ = ["FollowUp", "YearChange", "follow_up", "parse_years", "reference_rows"]

_RANGE = re.compile(r"^\s*(\d{4})\s*[-–]\s*(\d{4})\s*$")
# Besides the names of totals a table's loader already flags: "<municipality> totalt",
# "<name> kommun", "Hela <municipality>". A district is never named so.
_REFERENCE_LAST_WORDS = {"totalt", "total", "kommun"}
_REFERENCE_FIRST_WORDS = {"hela"}


def parse_years(text: str, available: Sequence[int], where: Location | None = None) -> list[int]:
    """``--years``: "all", a range "2009-2011" or a list "2009,2011", checked against the
    table's years (``available``); ascending."""
    location = where or Location()
    listed = ", ".join(str(y) for y in available) or "none"
    if not available:
        raise OptionError(
            message("invalid-option/years-without-years", years=text),
            location=location,
            hint=message("hint/table-by-year"),
        )
    wanted = text.strip().casefold()
    if wanted == "all":
        return sorted(available)
    matched = _RANGE.match(wanted)
    if matched:
        first, last = sorted(int(group) for group in matched.groups())
        chosen = [y for y in available if first <= y <= last]
        if not chosen:
            raise OptionError(
                message("invalid-option/no-year-in", first=first, last=last),
                location=location,
                hint=message("hint/years-in-file", years=listed),
            )
        # A range reaching past the table's years asks for years it does not have: said,
        # as a list's are, not cut off in silence. (A year missing inside it is a gap.)
        beyond = [
            f"{start}" if start == end else f"{start}–{end}"
            for start, end in ((first, min(available) - 1), (max(available) + 1, last))
            if start <= end
        ]
        if beyond:
            raise OptionError(
                message("invalid-option/no-such-year", year=", ".join(beyond)),
                location=location,
                hint=message("hint/years-in-file", years=listed),
            )
        return sorted(chosen)
    parts = [part.strip() for part in wanted.split(",")]
    if not all(part.isdigit() and len(part) == 4 for part in parts):
        raise OptionError(
            message("invalid-option/not-years", years=repr(text)),
            location=location,
            hint=message("hint/years-forms"),
        )
    years = sorted({int(part) for part in parts})
    absent = [y for y in years if y not in available]
    if absent:
        raise OptionError(
            message("invalid-option/no-such-year", year=", ".join(str(y) for y in absent)),
            location=location,
            hint=message("hint/years-in-file", years=listed),
        )
    return years


def reference_rows(names: pd.Series) -> np.ndarray:
    """Which rows are the municipality or the country, not a district: "Riket", "Sverige",
    "Hela kommunen", "Malmö totalt", "Malmö kommun" (by name, or by id where a row has no
    name; case and spacing ignored)."""
    flags = np.zeros(len(names), dtype=bool)
    for position, name in enumerate(names.tolist()):
        if not isinstance(name, str):
            continue
        words = name.casefold().split()
        flags[position] = bool(words) and (
            " ".join(words) in TOTAL_NAMES
            or (len(words) > 1 and words[-1] in _REFERENCE_LAST_WORDS)
            or (len(words) > 1 and words[0] in _REFERENCE_FIRST_WORDS)
        )
    return flags


@dataclass(frozen=True)
class YearChange:
    """Districts (by id) that entered, left or became undecided from ``previous`` to ``year``;
    the same rules as ``urbanscreen diff``: undecided now but not before is "unknown",
    qualifying now but not before "entered", qualifying before but not now "left"."""

    previous: int
    year: int
    entered: list[str]
    left: list[str]
    unknown: list[str]


@dataclass(frozen=True)
class FollowUp:
    """What :func:`follow_up` returns.

    ``frame`` holds one row per district and year, ordered by district (as in the input)
    and year, with the area columns, ``year`` and the columns a
    :class:`~urbanscreen.result.Result` frame has (value, ``<id>:met``, ``<id>:margin``,
    ``<id>:threshold``, ``qualifies``, outcomes). ``references`` holds the reference rows
    (municipality, country) the same way, their values only: they are not screened.
    """

    criteria: Criteria
    years: list[int]
    screened: Result  # the screened year's result (the table's year), reference rows apart
    results: dict[int, Result]
    frame: pd.DataFrame
    references: pd.DataFrame
    changes: list[YearChange]
    notes: dict[int, list[Message]] = field(default_factory=dict)

    @property
    def span(self) -> str:
        """The years followed, as a heading says them: "2009–2011", or "2011" alone."""
        first, last = self.years[0], self.years[-1]
        return str(first) if first == last else f"{first}–{last}"

    def counts(self) -> dict[int, Summary]:
        """Districts qualifying, not qualifying and undecided, per year."""
        return {year: self.results[year].summary for year in self.years}

    def snapshot(self, year: int) -> Snapshot:
        """``year`` as a release for :func:`~urbanscreen.compare.compare`, its source named
        with the year: two years of one table compare as two releases do."""
        found = snapshot_of_result(self.results[year])
        return replace(found, source=f"{found.source} ({year})")

    def highlights(self, limit: int) -> list[str]:
        """District ids worth showing when there are too many: those qualifying or
        undecided in any year (up to ``limit``), and the ``limit`` others nearest a
        threshold in any year."""
        qualifies = self.frame[QUALIFIES]
        decided_no = (qualifies == False).fillna(False).astype(bool)  # noqa: E712
        per_id = decided_no.groupby(self.frame[ID], sort=False).all()
        interesting = per_id.index[~per_id.to_numpy()].tolist()[:limit]
        margins = [
            self.frame[margin_column(c.id)].abs().astype("float64")
            for c in self.criteria.criteria
            if margin_column(c.id) in self.frame
        ]
        others = per_id.index[per_id.to_numpy()]
        if margins and len(others):
            nearest = pd.concat(margins, axis=1).min(axis=1).groupby(self.frame[ID]).min()
            others = nearest.reindex(others).sort_values(kind="stable").index[:limit]
        else:
            others = others[:limit]
        chosen = {*interesting, *others.tolist()}
        return [district for district in per_id.index if district in chosen]


def follow_up(
    table: Table,
    criteria: Criteria,
    years: Sequence[int] | None = None,
    *,
    population_floor: int | None = None,
) -> FollowUp:
    """Screen each of ``years`` (default: every year of ``table``) of a table loaded with
    ``every_year=True``; the screened year (``table.year``) is screened too, for the
    top-level answer, whether or not it is among ``years``.

    Rows that are the municipality or the country (:func:`reference_rows`) are not
    screened: they are kept in :attr:`FollowUp.references`.
    """
    chosen = sorted(years if years is not None else table.years)
    where = Location(file=table.source.path, sheet=table.source.sheet)
    if table.year is None:
        raise OptionError(
            "a follow-up over years needs a table with years, and this one has none",
            location=where,
            hint="give a table with a year column or a column per year",
        )
    missing = [y for y in chosen if y not in table.history]
    if missing:
        raise OptionError(
            f"the table holds no values of {', '.join(str(y) for y in missing)} to follow",
            location=where,
            hint="load it with load_table(..., every_year=True), and choose among its years",
        )
    districts, references = _apart(table)
    results = screen_years(
        districts, criteria, [*chosen, table.year], population_floor=population_floor
    )
    frame = _long(districts, [results[year] for year in chosen])
    reference_frame = _long_values(table, references, criteria, chosen)
    return FollowUp(
        criteria=criteria,
        years=chosen,
        screened=results[table.year],
        results={year: results[year] for year in chosen},
        frame=frame,
        references=reference_frame,
        changes=_changes(frame, chosen),
        notes=_notes(criteria, table.years, chosen),
    )


def _apart(table: Table) -> tuple[Table, np.ndarray]:
    """The table without its reference rows, and which rows those were."""
    names = table.frame[NAME].fillna(table.frame[ID])
    flags = reference_rows(names)
    if not flags.any():
        return table, flags
    keep = ~flags
    frame = table.frame[keep].reset_index(drop=True)
    history = {y: values[keep].reset_index(drop=True) for y, values in table.history.items()}
    listed = Few(
        tuple(
            message("on-row", what=repr(shorten(name, 40)), row=row)
            for name, row in zip(names[flags].head(5), table.frame[ROW][flags].head(5), strict=True)
        )
    )
    more = " …" if flags.sum() > 5 else ""
    # They are not screened now, so the loader's "screened, but they look like totals" is
    # no longer true of them.
    issues = [issue for issue in table.issues if issue.code != "total-row"]
    issues.append(
        Issue.of(
            message("reference-rows", rows=listed, more=more),
            Location(file=table.source.path, sheet=table.source.sheet),
            "info",
        )
    )
    return replace(table, frame=frame, history=history, issues=tuple(issues)), flags


def _long(table: Table, results: list[Result]) -> pd.DataFrame:
    """One row per district and year, districts in input order, years ascending."""
    order = {area: position for position, area in enumerate(table.frame[ID])}
    parts = []
    for result in results:
        part = result.frame.copy()
        year = result.table.year
        part.insert(len(AREA_COLUMNS), YEAR, year)
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)
    frame["__order"] = frame[ID].map(order)
    frame = frame.sort_values(["__order", YEAR], kind="stable").drop(columns="__order")
    return frame.reset_index(drop=True)


def _long_values(
    table: Table, flags: np.ndarray, criteria: Criteria, years: list[int]
) -> pd.DataFrame:
    """The reference rows' values per year (means over years computed as for districts)."""
    columns = [*AREA_COLUMNS, YEAR, *(c.id for c in criteria.criteria)]
    if not flags.any():
        return pd.DataFrame(columns=columns)
    parts = []
    for year in years:
        found = values_in_year(table, year)
        assert found is not None  # follow_up checked that every year is in the table
        values = found[flags].copy()
        values[YEAR] = year
        parts.append(values[columns])
    frame = pd.concat(parts, ignore_index=True)
    return frame.sort_values([ROW, YEAR], kind="stable").reset_index(drop=True)


def _changes(frame: pd.DataFrame, years: list[int]) -> list[YearChange]:
    """Entered, left and undecided between each pair of consecutive chosen years."""
    by_year = frame.pivot(index=ID, columns=YEAR, values=QUALIFIES)
    order = pd.unique(frame[ID])
    by_year = by_year.reindex(order)
    changes = []
    for previous, year in pairwise(years):
        before, after = by_year[previous], by_year[year]
        before_yes = (before == True).fillna(False).astype(bool)  # noqa: E712
        after_yes = (after == True).fillna(False).astype(bool)  # noqa: E712
        unknown = after.isna() & before.notna()
        entered = after_yes & ~before_yes
        left = before_yes & ~after_yes & ~unknown
        changes.append(
            YearChange(
                previous=previous,
                year=year,
                entered=[str(i) for i in by_year.index[entered.to_numpy()]],
                left=[str(i) for i in by_year.index[left.to_numpy()]],
                unknown=[str(i) for i in by_year.index[unknown.to_numpy()]],
            )
        )
    return changes


def _notes(
    criteria: Criteria, available: Sequence[int], years: list[int]
) -> dict[int, list[Message]]:
    """Per year, the rules whose earlier years the table lacks: unknown there, and said."""
    needs = [(c.label, c.years.mean, "mean") for c in criteria.criteria if c.years]
    # Each outcome's rule, or the scheme's own rule where it is a tree over years; how many
    # years it looks at, the judged one included, through the outcomes it names.
    labels = {o.id: o.label for o in criteria.outcomes}
    rules = {o.id: o.rule for o in criteria.outcomes}
    needs += [
        (labels.get(path, "The scheme's rule"), years_back(rule, rules) + 1, "rule")
        for path, rule in criteria.rules()
        if years_back(rule, rules)
    ]
    notes: dict[int, list[Message]] = {}
    present = set(available)
    for year in years:
        for label, span, kind in needs:
            lacking = [y for y in range(year - span + 1, year) if y not in present]
            if lacking:
                notes.setdefault(year, []).append(
                    message(
                        f"history-missing/{kind}",
                        year=year,
                        label=label,
                        span=span,
                        first=year - span + 1,
                        lacking=", ".join(str(y) for y in lacking),
                    )
                )
    return notes
