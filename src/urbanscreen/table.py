"""Turn raw cells into a typed Table: one row per area, codes as text, criteria as floats.

This is where a file's meaning is decided: which row is the header, which column is
the id, the name and each criterion, how the table is laid out (wide, long, by year,
by sex), which decimal mark it uses, which year to screen, and which rows are not
areas at all (blank lines, footnotes). Every decision a user might not expect
becomes an :class:`~urbanscreen.errors.Issue`.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from urbanscreen import codes
from urbanscreen.counts import (
    FromCounts,
    computed_note,
    is_count,
    measure_roles,
    rate_roles,
    rates_from_counts,
    reading_criteria,
    with_rates,
)
from urbanscreen.criteria.model import Criteria, Criterion, Measure, Statistic
from urbanscreen.dimensions import (
    Breakdown,
    Resolution,
    TableShape,
    cells_named_by_values,
    describe_cell,
    issues_of,
    resolve,
    sum_over_breakdowns,
)
from urbanscreen.errors import (
    AmbiguousColumnError,
    DuplicateIdError,
    EmptyInputError,
    InvalidValueError,
    Issue,
    Location,
    MissingColumnError,
    MissingIdError,
    NonNumericValueError,
    OptionError,
    shorten,
)
from urbanscreen.frames import TableSource, read_source
from urbanscreen.headers import (
    ID_HEADERS,
    MUNICIPALITY_CODE_HEADERS,
    MUNICIPALITY_HEADERS,
    NAME_HEADERS,
    AmbiguousHeaders,
    ColumnMatch,
    closest_header,
    header_key,
    match_columns,
)
from urbanscreen.indicators import CellColumn, PercentScale, finish_indicators, parse_indicator
from urbanscreen.layout import (
    INDICATOR,
    LAYOUT_ROLES,
    MEN,
    REGION,
    SEX,
    TOTAL,
    VALUE,
    WOMEN,
    YEAR,
    Records,
    indicators_taken,
    melt_long,
    melt_wide,
    melt_wide_years,
    municipality_codes,
    sex_of,
    split_region,
    year_columns,
    year_of,
    year_suffixed_columns,
)
from urbanscreen.messages import Few, Message, message
from urbanscreen.numbers import (
    MixedDecimalMarks,
    as_arrow_text,
    as_shared_objects,
    detect_decimal_mark,
    is_arrow_text,
    only_text,
)
from urbanscreen.pcaxis import CONTENTS_HEADER
from urbanscreen.readers import RawTable, SourceInfo
from urbanscreen.references import group_column

ID, NAME, MUNICIPALITY, MUNICIPALITY_CODE, ROW = (
    "id",
    "name",
    "municipality",
    "municipality_code",
    "row",
)
AREA_COLUMNS = [ID, NAME, MUNICIPALITY, MUNICIPALITY_CODE, ROW]
AREA_ROLES: dict[str, Sequence[str]] = {
    ID: ID_HEADERS,
    NAME: NAME_HEADERS,
    MUNICIPALITY: MUNICIPALITY_HEADERS,
    MUNICIPALITY_CODE: MUNICIPALITY_CODE_HEADERS,
    **LAYOUT_ROLES,
}
MAX_LISTED = 5


def sex_column(criterion_id: str, sex: str) -> str:
    """The Table column of one sex's values: ``forvarvsfrekvens:women``."""
    return f"{criterion_id}:{sex}"


def bound_column(criterion_id: str, side: str) -> str:
    """The Table column of a lower or upper bound for a value that is not known exactly."""
    return f"{criterion_id}:{side}"


@dataclass(frozen=True)
class Table:
    """One row per area: ``id``, ``name``, ``municipality``, ``municipality_code``, ``row``
    (the spreadsheet row it came from) and one float column per criterion id; with a sex
    breakdown also ``<criterion>:women`` and ``<criterion>:men``."""

    frame: pd.DataFrame
    source: SourceInfo
    headers: dict[str, str]
    decimal: str
    id_source: str
    layout: str = "wide"
    year: int | None = None
    years: tuple[int, ...] = ()
    by_sex: bool = False
    issues: tuple[Issue, ...] = field(default=())
    # Each year's values (after window means) up to the screened one, rows aligned with
    # ``frame``, where rules or means read several years.
    history: dict[int, pd.DataFrame] = field(default_factory=dict)
    # For districts built from small areas: the definition file and its SHA-256.
    definition: tuple[str, str] | None = None
    # How each breakdown (age, marital status…) was resolved: --where, total, sum.
    breakdowns: tuple[Breakdown, ...] = ()

    @property
    def filters(self) -> dict[str, str]:
        """Breakdowns screened at one value ("marital status" = "single"), as JSON says."""
        return {
            b.dimension: b.value
            for b in self.breakdowns
            if b.how in ("where", "only") and b.value is not None
        }

    def __len__(self) -> int:
        return len(self.frame)


def load_table(
    source: TableSource,
    criteria: Criteria,
    *,
    sheet: str | None = None,
    decimal: str | None = None,
    year: int | None = None,
    percent_scale: PercentScale = "auto",
    every_year: bool = False,
    where: Mapping[str, str] | None = None,
) -> Table:
    """Read ``source`` (a file, a pandas DataFrame or a pyarrow Table) and type the
    columns ``criteria`` need.

    ``decimal`` forces "," or "." (default: the file's own numbers decide); ``year``
    picks a year in tables with several (default: the latest every criterion has);
    ``percent_scale`` says whether percent columns hold percentages or 0-1 shares
    (default: told from the values); ``every_year`` keeps every year's values in
    ``history`` (for :func:`table_in_year`), not only those the rules need; ``where`` picks a
    value of each named breakdown ({"marital status": "single"}, see
    :mod:`urbanscreen.dimensions`). Raises a subclass of
    :class:`~urbanscreen.errors.UrbanscreenError` for input a user must fix.
    """
    roles = _roles(criteria)
    raw = read_source(source, lambda rows: find_header_row(rows, roles), sheet=sheet)
    with cells_named_by_values(raw):
        return build_table(
            raw,
            criteria,
            decimal=decimal,
            year=year,
            percent_scale=percent_scale,
            every_year=every_year,
            where=where,
        )


def table_in_year(table: Table, criteria: Criteria, year: int) -> Table:
    """``table`` as screened in ``year``: that year's values, means over the years up to it,
    and only those years as history (a rule in 2010 never sees 2011). Needs a table loaded
    with ``every_year``; the load's own issues stay with the table it was loaded as."""
    if year == table.year and all(y <= year for y in table.history):
        return table
    # Each year's values in the history are after window means already (see
    # _one_row_per_area): the year's own frame is its entry.
    history = {y: values for y, values in table.history.items() if y <= year}
    return replace(table, frame=history[year].copy(), year=year, history=history, issues=())


def _roles(criteria: Criteria) -> dict[str, Sequence[str]]:
    groups = {group_column(name): [name] for name in _groupings(criteria) if name not in BUILT_IN}
    scheme = criteria.scheme
    areas = {
        **AREA_ROLES,
        ID: [*scheme.id_columns, *ID_HEADERS],
        NAME: [*scheme.name_columns, *NAME_HEADERS],
    }
    return {**areas, **measure_roles(criteria), **groups}


# Groupings a reference may be computed within that every table already has.
BUILT_IN = {
    "municipality": MUNICIPALITY,
    "kommun": MUNICIPALITY,
    "municipality_code": MUNICIPALITY_CODE,
    "kommunkod": MUNICIPALITY_CODE,
}


def _groupings(criteria: Criteria) -> list[str]:
    """The columns references are computed within (a region, a county)."""
    return sorted(
        {r.within for r in criteria.references.values() if isinstance(r, Statistic) and r.within}
    )


def find_header_row(
    rows: list[list[object]], roles: Mapping[str, Sequence[str]]
) -> tuple[int, int]:
    """The row naming the most known columns, and how many it names; the first non-blank
    row (naming none) if no row names any."""
    best_index, best_score = -1, 0
    for index, row in enumerate(rows):
        try:
            score = len(match_columns(row, roles))
        except AmbiguousHeaders:
            score = 1
        if score > best_score:
            best_index, best_score = index, score
    if best_index >= 0:
        return best_index, best_score
    for index, row in enumerate(rows):
        if any(_filled(cell) for cell in row):
            return index, 0
    return 0, 0


def build_table(
    raw: RawTable,
    criteria: Criteria,
    *,
    decimal: str | None = None,
    year: int | None = None,
    percent_scale: PercentScale = "auto",
    every_year: bool = False,
    where: Mapping[str, str] | None = None,
) -> Table:
    """Type a :class:`RawTable` (see :func:`load_table`)."""
    source = raw.source
    header_location = Location(
        file=source.path,
        sheet=source.sheet,
        # A PC-Axis file has no header row: its flat rows are ours, not the user's.
        row=None if source.format == "px" else source.header_row,
    )
    matches = _with_fixed_roles(_match(raw.headers, criteria, header_location), raw)
    derived = _rates_to_compute(raw, criteria, matches, header_location)
    absent = _absent_optional(raw.headers, criteria, matches, derived)
    if not derived and not absent:
        return _build_table(
            raw, criteria, matches, decimal, year, percent_scale, every_year=every_year, where=where
        )
    # Rates the table lacks are read as their counts, and computed once read; then their
    # window means, from the computed rates of each year. Optional columns the table
    # lacks are unknown in every area.
    reading = reading_criteria(criteria, derived, absent)
    matches = _with_fixed_roles(_match(raw.headers, reading, header_location), raw)
    table = _build_table(
        raw,
        reading,
        matches,
        decimal,
        year,
        percent_scale,
        needs_years=criteria.needs_years,
        every_year=every_year,
        where=where,
    )
    rates = {y: with_rates(values.copy(), derived) for y, values in table.history.items()}
    computed = [c for c in criteria.criteria if c.id in {d.measure.id for d in derived}]
    history = {y: values.copy() for y, values in rates.items()}
    for y, values in history.items():
        _average_years(values, rates, computed, y)
    frame = with_rates(table.frame.copy(), derived)
    _average_years(frame, rates, computed, table.year)
    for values in (frame, *history.values()):
        for measure_id in absent:
            values[measure_id] = np.nan
    place = Location(file=source.path, sheet=source.sheet)
    notes = [computed_note(derived, place)] if derived else []
    if absent:
        notes.append(_absent_note(criteria, absent, place))
    return replace(
        table,
        frame=frame,
        history=history,
        headers={
            **table.headers,
            **{d.measure.id: f"{d.numerator.header} / {d.denominator.header}" for d in derived},
        },
        issues=(*table.issues, *notes),
    )


def _rates_to_compute(
    raw: RawTable, criteria: Criteria, matches: Mapping[str, ColumnMatch], location: Location
) -> list[FromCounts]:
    """Rates the table lacks but holds the counts of: columns of a wide table, indicators
    (rows) of a long one."""
    if INDICATOR not in matches:
        try:
            return rates_from_counts(raw.headers, criteria, matches, location)
        except AmbiguousHeaders as exc:
            raise _ambiguous(exc, location) from exc
    cells = raw.body.reindex(columns=[matches[INDICATOR].index]).iloc[:, 0]
    labels = cells.dropna().astype(str).str.strip()
    by_key = {header_key(label): label for label in labels.unique() if label}
    taken = indicators_taken(criteria, pd.Series(list(by_key.values()), dtype=object))
    present = {measure_id: ColumnMatch(-1, by_key[key]) for measure_id, key in taken.items()}
    indicators = list(by_key.values())
    return rates_from_counts(indicators, criteria, present, location, by_position=False)


def _absent_optional(
    headers: list[object],
    criteria: Criteria,
    matches: Mapping[str, ColumnMatch],
    derived: Sequence[FromCounts],
) -> list[str]:
    """Measures ``qualifies`` does not read that a wide table has no column for."""
    if INDICATOR in matches:
        return []  # a long table names its indicators in rows: missing ones are said there
    claimed = {m.index for m in matches.values()}
    suffixed = year_suffixed_columns(headers, criteria, claimed)
    required = criteria.required_columns()
    computed = {d.measure.id for d in derived}
    return [
        m.id
        for m in criteria.columns
        if m.id not in matches
        and m.id not in suffixed
        and m.id not in computed
        and m.id not in required
    ]


def _absent_note(criteria: Criteria, absent: Sequence[str], where: Location) -> Issue:
    labels = ", ".join(repr(criteria.measure(m).label) for m in absent)
    unknown = [
        o.label for o in criteria.outcomes if criteria.measures_read_by({o.id}) & set(absent)
    ]
    said = [message("optional-columns-absent/outcomes", outcomes=", ".join(unknown))]
    said = said if unknown else []
    if criteria.scheme.population in absent:
        said.append(message("optional-columns-absent/population"))
    return Issue.of(
        message(
            "optional-columns-absent",
            labels=labels,
            said=Few(tuple(said or [message("optional-columns-absent/unknown")]), separator="; "),
        ),
        where,
    )


def _build_table(
    raw: RawTable,
    criteria: Criteria,
    matches: dict[str, ColumnMatch],
    decimal: str | None,
    year: int | None,
    percent_scale: PercentScale,
    *,
    needs_years: bool | None = None,
    every_year: bool = False,
    where: Mapping[str, str] | None = None,
) -> Table:
    """:func:`build_table` once the columns are matched; ``needs_years`` (default: the
    criteria's own) says whether earlier years are kept; ``every_year`` keeps them all;
    ``where`` picks breakdowns."""
    source = raw.source
    header_location = Location(
        file=source.path,
        sheet=source.sheet,
        # A PC-Axis file has no header row: its flat rows are ours, not the user's.
        row=None if source.format == "px" else source.header_row,
    )
    claimed = {m.index for m in matches.values()}
    years_in_header = year_columns(raw.headers, claimed)
    suffixed = year_suffixed_columns(raw.headers, criteria, claimed)
    layout = _layout(
        _file_headers(raw), matches, criteria, years_in_header, suffixed, header_location
    )

    # Two criteria may read one column (Denmark's limits and lower limits): once is enough.
    number_columns = list(
        dict.fromkeys(_number_columns(layout, matches, criteria, suffixed, years_in_header))
    )

    body = raw.body.reindex(columns=range(len(raw.headers)))
    rows = pd.Series(np.arange(len(body)) + raw.first_row, index=body.index)
    issues: list[Issue] = []
    if layout != "wide" or YEAR in matches or SEX in matches:
        body = _fill_down_labels(body, matches, number_columns, issues, source)
    keep = _area_rows(body, matches, number_columns, rows, raw, issues)
    if not keep.all():  # copying every column costs time at 300 000 rows; most tables keep all
        body, rows = body[keep], rows[keep]
    if body.empty:
        raise EmptyInputError(
            message("empty-input", row=source.header_row),
            location=Location(file=source.path, sheet=source.sheet),
            hint=message("hint/right-sheet"),
        )
    areas, id_source = _areas(body, matches, rows, source, issues)
    body, rows, areas, resolution = _screened_rows(
        body,
        rows,
        areas,
        _shape(raw, body, areas, matches, number_columns, criteria, years_in_header, layout),
        where,
        issues,
    )
    mark = decimal or raw.decimal or _decimal_mark(body[number_columns], source)
    build = _Build(criteria, source, mark, percent_scale, issues)

    chosen: int | None = None
    years: tuple[int, ...] = ()
    by_sex = False
    history: dict[int, pd.DataFrame] = {}
    _groups_present(criteria, matches, header_location)
    if layout == "wide" and YEAR not in matches and SEX not in matches:
        # One row per area already: the common case, and the fast one.
        _refuse_options_the_file_cannot_serve(criteria, year, source)
        averaged = [c.label for c in criteria.criteria if c.years]
        if averaged:
            issues.append(
                Issue.of(
                    message("one-year-for-a-mean", labels=", ".join(averaged)),
                    Location(file=source.path, sheet=source.sheet),
                )
            )
        _check_unique(areas, source, id_source)
        frame = areas.copy(deep=False)  # copy-on-write: the columns added below stay in frame
        columns = {
            c.id: CellColumn(body[matches[c.id].index], rows, matches[c.id].header)
            for c in criteria.columns
        }
        for criterion_id, values in build.values(columns).items():
            frame[criterion_id] = values
        frame = frame[[*_area_columns(areas), *(c.id for c in criteria.columns)]]
        frame = frame.reset_index(drop=True)
    else:
        if layout == "wide":
            records = melt_wide(body, matches, criteria)
        elif layout == "wide-years":
            records = melt_wide_years(body, matches, criteria, suffixed, raw.headers)
        else:
            records = melt_long(body, matches, criteria, years_in_header, raw.headers)
            _report_unused_indicators(records, matches, criteria, source, issues)
        long = _one_record_per_figure(records, resolution, (areas, build, matches), body, raw)
        chosen, years = _choose_year(long, criteria, year, source, issues)
        keep_years = criteria.needs_years if needs_years is None else needs_years
        frame, by_sex, history = _one_row_per_area(
            long,
            areas,
            criteria,
            (chosen, years, keep_years),
            (source, id_source),
            issues,
            every_year,
        )
    return Table(
        frame=frame,
        source=source,
        headers={role: match.header for role, match in matches.items()},
        decimal=mark,
        id_source=str(id_source),
        layout=layout,
        year=chosen,
        years=years,
        by_sex=by_sex,
        issues=tuple(issues),
        history=history,
        breakdowns=resolution.breakdowns,
    )


def _with_fixed_roles(matches: dict[str, ColumnMatch], raw: RawTable) -> dict[str, ColumnMatch]:
    """Roles the format fixes (PX CONTVARIABLE is the indicator, whatever its name) win over
    roles guessed from headers."""
    if not raw.roles:
        return matches
    fixed = {
        role: ColumnMatch(index, str(raw.headers[index]).strip())
        for role, index in raw.roles.items()
    }
    taken = set(raw.roles.values())
    kept = {r: m for r, m in matches.items() if r not in fixed and m.index not in taken}
    return {**kept, **fixed}


def _shape(
    raw: RawTable,
    body: pd.DataFrame,
    areas: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    number_columns: list[int],
    criteria: Criteria,
    years_in_header: Mapping[int, int],
    layout: str,
) -> TableShape:
    """What :func:`~urbanscreen.dimensions.resolve` needs: roles, and the cells that
    identify one figure (area, year, sex, indicator)."""
    roles = dict.fromkeys(number_columns, "values")
    roles.update(dict.fromkeys(years_in_header, YEAR))
    roles.update({m.index: role for role, m in matches.items()})
    keys = [areas[ID]] + [
        body[matches[role].index] for role in (YEAR, SEX, INDICATOR) if role in matches
    ]
    return TableShape(
        headers=raw.headers,
        roles=roles,
        keys=keys,
        declared=raw.dimensions,
        location=Location(file=raw.source.path, sheet=raw.source.sheet),
        source=raw.source,
        counts_only=all(c.unit == "count" for c in criteria.columns),
        defer=layout == "long",
    )


def _screened_rows(
    body: pd.DataFrame,
    rows: pd.Series,
    areas: pd.DataFrame,
    shape: TableShape,
    where: Mapping[str, str] | None,
    issues: list[Issue],
) -> tuple[pd.DataFrame, pd.Series, pd.DataFrame, Resolution]:
    """The rows screened: every breakdown resolved (said in a note), then the areas among
    them checked for totals and rows of another level."""
    resolution = resolve(body, shape, where or {})
    issues.extend(issues_of(resolution, shape.location))
    if not resolution.keep.all():
        keep = resolution.keep
        body, rows, areas = body[keep], rows[keep], areas[keep]
    _warn_about_non_areas(areas, shape.source, issues)
    return body, rows, areas, resolution


def _one_record_per_figure(
    records: Records,
    resolution: Resolution,
    typing: tuple[pd.DataFrame, _Build, Mapping[str, ColumnMatch]],
    body: pd.DataFrame,
    raw: RawTable,
) -> pd.DataFrame:
    """Typed records, one per area, criterion, year and sex: a breakdown left to pick is
    refused before any value is read (a per cent is no count to blame on the decimal
    mark), counts are summed over the breakdowns that allow it, and for PX repeated cells
    are refused."""
    resolution.refuse()
    areas, build, matches = typing
    long = _typed_records(records, areas, build, matches, raw.source)
    if resolution.summed:
        long = sum_over_breakdowns(long, [ID, "criterion", "year", "sex"])
    if raw.dimensions:
        _refuse_repeated_cells(long, body, raw)
    return long


def _refuse_repeated_cells(long: pd.DataFrame, body: pd.DataFrame, raw: RawTable) -> None:
    """Two cells of a PX file giving one area's figure: name both by their values."""
    repeated = long.duplicated([ID, "criterion", "year", "sex"], keep=False)
    if not repeated.any():
        return
    first = long[repeated].iloc[0]
    same = long[
        repeated
        & (long[ID] == first[ID])
        & (long["criterion"] == first["criterion"])
        & (long["year"].fillna(-1) == (-1 if pd.isna(first["year"]) else first["year"]))
        & (long["sex"] == first["sex"])
    ]
    cells = [describe_cell(body, source, raw.dimensions) for source in same["source"][:2]]
    raise DuplicateIdError(
        f"area {shorten(first[ID], 40)!r} has two values for {first['criterion']!r}: the cells "
        + " and ".join(f"({cell})" for cell in cells),
        location=Location(file=raw.source.path),
        hint="each area needs one value per criterion, sex and year; check the codes of the "
        "area variable",
    )


def _one_row_per_area(
    long: pd.DataFrame,
    areas: pd.DataFrame,
    criteria: Criteria,
    when: tuple[int | None, tuple[int, ...], bool],
    origin: tuple[SourceInfo, Message],
    issues: list[Issue],
    every_year: bool = False,
) -> tuple[pd.DataFrame, bool, dict[int, pd.DataFrame]]:
    """The chosen year's values per area; earlier years too when the rules need them, and
    every year when asked."""
    chosen, years, keep_years = when
    source, id_source = origin
    history: dict[int, pd.DataFrame] = {}
    if chosen is not None and (every_year or keep_years):
        # One row per area, found once: each year's pivot would look for them again among
        # every record (a tenth of a second a year at 6 000 areas).
        unique = areas.drop_duplicates(ID)
        history = {
            y: _pivot(long[long["year"] == y], unique, criteria, source, id_source, [])[0]
            for y in years
            if every_year or y <= chosen
        }
    if chosen is not None:
        long = long[long["year"] == chosen]
    frame, by_sex = _pivot(long, areas, criteria, source, id_source, issues)
    # Every year's values are the ones its criteria are screened on: a streak judges the
    # years before the screened one on their own window means, as it judges that one.
    averaged = {y: values.copy() for y, values in history.items()}
    for y, values in averaged.items():
        _average_years(values, history, criteria.criteria, y)
    _average_years(frame, history, criteria.criteria, chosen)
    return frame, by_sex, averaged


def _area_columns(areas: pd.DataFrame) -> list[str]:
    return [*AREA_COLUMNS, *(c for c in areas.columns if str(c).startswith("group:"))]


def _groups_present(
    criteria: Criteria, matches: Mapping[str, ColumnMatch], location: Location
) -> None:
    for name in _groupings(criteria):
        if name not in BUILT_IN and group_column(name) not in matches:
            raise MissingColumnError(
                message("missing-column/group", name=repr(name)),
                location=location,
                hint=message("hint/group-column", name=repr(name)),
            )


def _average_years(
    frame: pd.DataFrame,
    history: Mapping[int, pd.DataFrame],
    criteria: Sequence[Criterion],
    chosen: int | None,
) -> None:
    """Criteria on the mean of the last n years (Denmark's two-year averages)."""
    for criterion in criteria:
        if criterion.years is None or chosen is None:
            continue
        span = [chosen - back for back in range(criterion.years.mean)]
        yearly = [
            history[y][criterion.id] if y in history else pd.Series(np.nan, index=frame.index)
            for y in span
        ]
        frame[criterion.id] = pd.concat(yearly, axis=1).mean(axis=1, skipna=False).to_numpy()
        # Bounds of the screened year alone say nothing about a mean of several years.
        for side in ("low", "high"):
            if bound_column(criterion.id, side) in frame:
                frame[bound_column(criterion.id, side)] = np.nan


@dataclass(frozen=True)
class _Build:
    """What every criterion's values are read with."""

    criteria: Criteria
    source: SourceInfo
    decimal: str
    percent_scale: PercentScale
    issues: list[Issue]

    def values(self, columns: Mapping[str, CellColumn]) -> dict[str, pd.Series]:
        """Each criterion's checked values, the percent scale decided across all of them."""
        indicators = [
            parse_indicator(columns[c.id], c, decimal=self.decimal, source=self.source)
            for c in self.criteria.columns
            if c.id in columns
        ]
        return finish_indicators(
            indicators, scale=self.percent_scale, source=self.source, issues=self.issues
        )


# -- columns and layout --------------------------------------------------------------------


def _match(headers: list[object], criteria: Criteria, location: Location) -> dict[str, ColumnMatch]:
    return match_roles(headers, _roles(criteria), location, rate_roles(criteria))


def match_roles(
    headers: list[object],
    roles: Mapping[str, Sequence[str]],
    location: Location,
    rates: Collection[str] = (),
) -> dict[str, ColumnMatch]:
    """:func:`~urbanscreen.headers.match_columns`, with two candidates a user error."""
    try:
        return match_columns(headers, roles, rates)
    except AmbiguousHeaders as exc:
        raise _ambiguous(exc, location) from exc


def _ambiguous(exc: AmbiguousHeaders, location: Location) -> AmbiguousColumnError:
    """Look-alike headers, and how to pick one in the criteria file, by its exact name where
    that picks it, else by its position (``#3``): the data file stays as it is."""
    found = ", ".join(repr(h) for h in exc.headers)
    side = {"__num": "numerator", "__den": "denominator"}.get(exc.role[-5:])
    if exc.role in (ID, NAME):
        what, setting = f"the {exc.role}", f"{exc.role}_columns under [scheme]"
        picks = [f'{exc.role}_columns = ["{pick}"]' for pick in exc.picks()]
    elif exc.role in AREA_ROLES:
        return AmbiguousColumnError(
            f"several columns could be the {exc.role}: {found}",
            location=location,
            hint="rename all but one (the criteria file picks only criteria, id and name)",
        )
    elif side:
        what = f"the {side} of {exc.role[:-5]!r}"
        setting = f"{side} column of criterion {exc.role[:-5]!r}"
        picks = [f'{side} = {{ column = "{pick}" }}' for pick in exc.picks()]
    else:
        what, setting = repr(exc.role), f"column of criterion {exc.role!r}"
        picks = [f'column = "{pick}"' for pick in exc.picks()]
    return AmbiguousColumnError(
        f"several columns could be {what}: {found}",
        location=location,
        hint=f"pick one as the {setting} in the criteria file: " + " or ".join(picks),
    )


def _file_headers(raw: RawTable) -> list[object]:
    """The headers a user can see in the file: for PC-Axis its variables, not the contents
    and value columns its flat rows add."""
    if raw.source.format == "px":
        return [d.name for d in raw.dimensions]
    return raw.headers


def _layout(
    headers: list[object],
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
    years: Mapping[int, int],
    suffixed: Mapping[str, Mapping[int, int]],
    location: Location,
) -> str:
    """ "wide" (a column per criterion), "wide-years" (a column per criterion and year) or
    "long" (an indicator column); else explain what is missing."""
    found = [str(h).strip() for h in headers if _filled(h)]
    if not any(role in matches for role in (ID, NAME, REGION, MUNICIPALITY, MUNICIPALITY_CODE)):
        # The criteria file names it, so the table (a PC-Axis file above all) stays as it is.
        raise MissingColumnError(
            "no column names the areas; columns found: " + _listed_headers(found),
            location=location,
            hint='name it under [scheme] in the criteria file, name_columns = ["…"] (id_columns '
            "for codes); known without that: "
            + ", ".join(repr(h) for h in (*ID_HEADERS[:3], *NAME_HEADERS[:3], "region")),
        )
    missing = [c for c in criteria.columns if c.id not in matches]
    if not missing:
        return "wide"
    if INDICATOR in matches and (VALUE in matches or years):
        return "long"
    if all(c.id in suffixed for c in missing):
        return "wide-years"
    missing = [c for c in missing if c.id not in suffixed]
    criterion = missing[0]
    # A count is never offered as a rate's column ("rename it" would screen it as one).
    offered = [h for h in found if criterion.unit == "count" or not is_count(h, criteria)]
    guess = closest_header(criterion.headers, offered)
    hint: str | Message = message(
        "hint/rename-column" if guess is None else "hint/rename-column/guess",
        guess=repr(guess),
        column=repr(criterion.column),
        id=repr(criterion.id),
    )
    if years and INDICATOR not in matches:
        # Columns by year, and nothing says what their figures are (PxWeb names them in
        # the title line above a one-variable table).
        hint = (
            "the table has a column per year but names no indicator: download it with its "
            "title line (such as 'Folkmängd efter region och år'), or add a column "
            "'tabellinnehåll' naming it"
        )
    raise MissingColumnError(
        message("missing-column", label=_labels_of(missing), found=_listed_headers(found)),
        location=location,
        hint=_count_hint(criterion, found, criteria) or hint,
    )


def _count_hint(criterion: Measure, found: Sequence[str], criteria: Criteria) -> str | None:
    """Where a rate's column or indicator is missing but its count is there, what to give
    instead: never "rename it", which would screen the count as the rate."""
    if criterion.unit == "count":
        return None
    keys = {header_key(h) for h in criterion.headers}
    counts = [h for h in found if is_count(h, criteria) and header_key(h) in keys]
    if not counts:
        return None
    computed = (
        f"the counts {criterion.numerator.column!r} and {criterion.denominator.column!r}"
        if criterion.numerator is not None and criterion.denominator is not None
        else f"numerator and denominator counts of {criterion.id!r} in the criteria file"
    )
    return (
        f"{counts[0]!r} holds a count, not the rate: add the rate's column "
        f"{criterion.column!r}, or {computed} to compute it from"
    )


def _labels_of(missing: Sequence[Measure]) -> str:
    """Every criterion lacking in one message: "'A', nor for 'B', 'C'"."""
    first, *others = (repr(c.label) for c in missing)
    return first + (f", nor for {', '.join(others)}" if others else "")


def _listed_headers(found: list[str]) -> str:
    return ", ".join(repr(shorten(h, 40)) for h in found[:12]) + (" …" if len(found) > 12 else "")


def _number_columns(
    layout: str,
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
    suffixed: Mapping[str, Mapping[int, int]],
    years: Mapping[int, int],
) -> list[int]:
    """The columns holding the numbers the criteria are screened on."""
    if layout == "wide":
        return [matches[c.id].index for c in criteria.columns]
    if layout == "wide-years":
        plain = [matches[c.id].index for c in criteria.columns if c.id not in suffixed]
        return [i for columns in suffixed.values() for i in columns] + plain
    return [matches[VALUE].index] if VALUE in matches else list(years)


def _naming_roles(matches: Mapping[str, ColumnMatch]) -> list[str]:
    """The columns that name an area; a table of municipalities (Kolada) names them alone."""
    roles = [role for role in (ID, NAME, REGION) if role in matches]
    return roles or [role for role in (MUNICIPALITY_CODE, MUNICIPALITY) if role in matches]


def _fill_down_labels(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    number_columns: list[int],
    issues: list[Issue],
    source: SourceInfo,
) -> pd.DataFrame:
    """Repeat a label left blank below its first row, as PxWeb's Excel exports leave them."""
    filled = _filled_mask(body)
    has_values = filled[number_columns].any(axis=1)
    labels = [
        matches[role].index
        for role in (ID, NAME, REGION, MUNICIPALITY, MUNICIPALITY_CODE, SEX, YEAR, INDICATOR)
        if role in matches
    ]
    body = body.copy()
    count = 0
    for column in labels:
        blank = has_values & ~filled[column]
        if not blank.any():
            continue
        carried = body[column].where(filled[column]).ffill()
        fillable = blank & carried.notna()
        body.loc[fillable, column] = carried[fillable]
        count += int(fillable.sum())
    if count:
        issues.append(
            Issue.of(
                message("labels-filled-down", n=count),
                Location(file=source.path, sheet=source.sheet),
                "info",
            )
        )
    return body


def _filled(cell: object) -> bool:
    if cell is None or cell is pd.NA or (isinstance(cell, float) and np.isnan(cell)):
        return False  # pd.NA: a gap in a nullable column (Parquet's Int64)
    return not (isinstance(cell, str) and not cell.strip())


def _filled_mask(body: pd.DataFrame) -> pd.DataFrame:
    """True where a cell holds something other than whitespace."""
    return pd.DataFrame(
        {column: _filled_cells(body[column]) for column in body},
        index=body.index,
        columns=body.columns,
    )


def _filled_cells(cells: pd.Series) -> np.ndarray:
    present = cells.notna().to_numpy(dtype=bool)
    if pd.api.types.is_numeric_dtype(cells.dtype):
        # Parquet's nullable Int64 takes no "" in its gaps; a number is never blank anyway.
        return present
    if is_arrow_text(cells):
        # Blank: empty, or whitespace only (utf8_is_space is false for "", hence both).
        text = pa.chunked_array(pa.array(cells.array))
        blank = pc.or_(pc.equal(pc.binary_length(text), 0), pc.utf8_is_space(text))
        filled: np.ndarray = present & ~blank.to_numpy(zero_copy_only=False).astype(bool)
        return filled
    text = cells.where(cells.notna(), "").astype(str)
    return present & (text.str.strip() != "").to_numpy(dtype=bool)


def _any_of(masks: list[np.ndarray], size: int) -> np.ndarray:
    """Row by row, whether any of ``masks`` holds (none: False everywhere)."""
    found = np.zeros(size, dtype=bool)
    for mask in masks:
        found |= mask
    return found


def _area_rows(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    number_columns: list[int],
    rows: pd.Series,
    raw: RawTable,
    issues: list[Issue],
) -> pd.Series:
    """Rows that are areas: named, and with values or part of the table.

    A named row without values is an area whose values are unknown, unless it lies
    below the table: after a blank row that follows the last row with values, or
    reading like a note ("Källa: SCB"). Rows with values but no name are skipped.
    Both kinds of skipped row are reported.
    """
    source = raw.source
    # Column by column in numpy: a frame of booleans costs more than the tests themselves.
    filled: dict[object, np.ndarray] = {c: _filled_cells(body[c]) for c in body.columns}
    names = [matches[role].index for role in _naming_roles(matches)]
    named = _any_of([filled[column] for column in names], len(body))
    has_values = _any_of([filled[column] for column in number_columns], len(body))
    anything = _any_of(list(filled.values()), len(body))
    blank = ~anything
    positions = np.arange(len(body))
    last_with_values = positions[has_values].max() if has_values.any() else -1
    after = positions > last_with_values
    gaps = after & blank
    first_gap = positions[gaps].min() if gaps.any() else len(body)
    note_like = np.zeros(len(body), dtype=bool)
    for position in np.flatnonzero(after & named & ~has_values):
        note_like[position] = bool(_NOTE.match(_first_text(body.iloc[position].tolist())))
    below_table = after & ((positions > first_gap) | note_like)
    area = named & (has_values | ~below_table)
    skipped = anything & ~area
    if skipped.any():
        listed = ", ".join(str(r) for r in rows[skipped].head(MAX_LISTED))
        more = " …" if skipped.sum() > MAX_LISTED else ""
        issues.append(
            Issue.of(
                message("skipped-rows", n=int(skipped.sum()), rows=listed, more=more),
                Location(file=source.path, sheet=source.sheet),
            )
        )
    keep = pd.Series(area, index=body.index)
    # Only the fields up to the last column read matter: a missing comment column does not.
    needed = max((match.index for match in matches.values()), default=-1) + 1
    _warn_about_short_rows(raw, keep, rows, needed, issues)
    return keep


# How footnotes under SCB and Kolada tables begin.
_NOTE = re.compile(
    r"^\s*(källa|kalla|källor|source|sources|anm|anmärkning|not|note|notes|fotnot|förklaring|"
    r"uppgifterna|teckenförklaring|\*|¹|\(\d\))",
    re.IGNORECASE,
)


def _first_text(cells: list[object]) -> str:
    return next((str(cell) for cell in cells if _filled(cell)), "")


_TOTAL_NAMES = {
    "totalt",
    "total",
    "summa",
    "sum",
    "riket",
    "hela riket",
    "hela kommunen",
    "samtliga",
    "alla",
    "sverige",
    "all areas",
}


_LONGEST_TOTAL_NAME = max(len(name) for name in _TOTAL_NAMES)
# Names of totals, for the follow-up over years, which keeps such rows apart as references.
TOTAL_NAMES = frozenset(_TOTAL_NAMES)


def _refuse_options_the_file_cannot_serve(
    criteria: Criteria, year: int | None, source: SourceInfo
) -> None:
    """A table with neither years nor sexes cannot answer --year or a sex-specific criterion."""
    where = Location(file=source.path, sheet=source.sheet)
    if year is not None:
        raise OptionError(
            message("invalid-option/no-years", year=year),
            location=where,
            hint=message("hint/leave-out-year"),
        )
    for criterion in criteria.columns:
        if criterion.sex != TOTAL:
            raise MissingColumnError(
                message("missing-column/sex", label=repr(criterion.label), sex=str(criterion.sex)),
                location=where,
                hint=message("hint/sex-breakdown", sex=repr(criterion.sex)),
            )


# Area levels told apart by their codes, so a municipality row among districts shows.
# Tried in this order, first match wins: "00" is the country, not a county.
_LEVELS = {
    "a DeSO area": codes.DESO,
    "a RegSO area": codes.REGSO,
    "a municipality": codes.MUNICIPALITY,
    "the country": codes.COUNTRY,
    "a county": codes.COUNTY,
}
# The lengths those codes can have: 0, 01, 1480, 1480R001, 0114A0010, and the last two
# with a vintage ("0114A0010_DeSO2025", "1480R001_RegSO2025").
_LEVEL_LENGTHS = (1, 2, 4, 8, 9, 18)


def _levels(ids: pd.Series) -> pd.Series:
    """Each id's level by the shape of its code, None where it has no known shape."""
    text = as_arrow_text(ids).reset_index(drop=True)
    levels = np.full(len(ids), None, dtype=object)
    # Lengths first (a quick pass): each pattern then sees only the ids it could match.
    left = text[text.str.len().isin(_LEVEL_LENGTHS).to_numpy()]
    for level, pattern in _LEVELS.items():
        if left.empty:
            break
        hits = left.str.fullmatch(pattern.pattern, case=False).fillna(False).astype(bool)
        levels[hits.index[hits.to_numpy()]] = level  # positions: labels would be hashed
        left = left[~hits]
    return pd.Series(levels, index=ids.index, dtype=object)


def _warn_about_short_rows(
    raw: RawTable, keep: pd.Series, rows: pd.Series, needed: int, issues: list[Issue]
) -> None:
    """An area's row with fewer fields than the header (a cut line, a lost separator) has
    its last values missing: read as missing, and said, so a broken export is seen. Notes
    below the table are short by nature and are not areas."""
    kept = [
        position for position, fields in raw.short_rows if fields < needed and keep.iloc[position]
    ]
    if not kept:
        return
    listed = ", ".join(str(rows.iloc[position]) for position in kept[:MAX_LISTED])
    more = " …" if len(kept) > MAX_LISTED else ""
    issues.append(
        Issue.of(
            message("short-rows", n=len(kept), rows=listed, more=more),
            Location(file=raw.source.path, sheet=raw.source.sheet),
        )
    )


def _warn_about_non_areas(areas: pd.DataFrame, source: SourceInfo, issues: list[Issue]) -> None:
    """Totals and rows of another level are screened like any other row; say so."""
    levels = _levels(areas[ID])
    counts = levels.value_counts()
    if len(counts) > 1:
        usual = str(counts.index[0])
        odd = levels.notna() & (levels != usual)
        listed = Few(
            tuple(
                message("on-row", what=repr(shorten(area, 40)), row=row)
                for area, row in zip(areas[ID][odd].head(3), areas[ROW][odd].head(3), strict=True)
            ),
            limit=3,
        )
        issues.append(
            Issue.of(
                message(
                    "mixed-levels", level=message(f"level/{usual}"), n=int(odd.sum()), rows=listed
                ),
                Location(file=source.path, sheet=source.sheet),
            )
        )
    _warn_about_totals(areas, source, issues)


def _warn_about_totals(areas: pd.DataFrame, source: SourceInfo, issues: list[Issue]) -> None:
    """A "Totalt" row is screened like any other; say so, it is rarely meant as an area."""
    if areas[NAME].isna().all():
        return
    names = as_arrow_text(areas[NAME]).str.strip()
    # Totals are short, so only short names are casefolded one by one.
    short = names[(names.str.len() <= _LONGEST_TOTAL_NAME).fillna(False).astype(bool)]
    totals = pd.Series(False, index=areas.index)
    totals[short.index] = short.map(str.casefold, na_action="ignore").isin(_TOTAL_NAMES)
    if totals.any():
        listed = Few(
            tuple(
                message("on-row", what=repr(name), row=row)
                for name, row in zip(
                    areas[NAME][totals].head(3), areas[ROW][totals].head(3), strict=True
                )
            ),
            limit=3,
        )
        issues.append(
            Issue.of(
                message("total-row", rows=listed),
                Location(file=source.path, sheet=source.sheet),
            )
        )


# -- areas ------------------------------------------------------------------------------------


def _text(cells: pd.Series, *, repeats: bool = False) -> pd.Series:
    """Cells as text: 1480.0 from a workbook becomes "1480", never "1480.0".

    ``repeats``: the column repeats a few values (municipalities), kept as one object each.
    """
    if repeats and is_arrow_text(cells):
        stripped = cells.str.strip()
        return as_shared_objects(stripped.where(stripped != ""))
    if only_text(cells):  # a CSV column, or a workbook's code or name column
        stripped = cells.str.strip()
        return stripped.astype(object).where(cells.notna() & (stripped != ""), None)

    def one(cell: object) -> str | None:
        if not _filled(cell):
            return None
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell).strip()

    return cells.map(one).astype(object)


def _areas(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    rows: pd.Series,
    source: SourceInfo,
    issues: list[Issue],
) -> tuple[pd.DataFrame, Message]:
    """id, name, municipality, municipality code and row of every body row."""
    areas = pd.DataFrame({ROW: rows}, index=body.index)
    region_codes = region_names = None
    if REGION in matches:
        region_codes, region_names = split_region(body[matches[REGION].index])
    for role in (NAME, MUNICIPALITY):
        cells = body[matches[role].index] if role in matches else None
        areas[role] = None if cells is None else _text(cells, repeats=role == MUNICIPALITY)
    if region_names is not None:
        areas[NAME] = areas[NAME].where(areas[NAME].notna(), region_names)
    if MUNICIPALITY_CODE in matches:
        areas[MUNICIPALITY_CODE] = _municipality_codes(
            body[matches[MUNICIPALITY_CODE].index], matches, source, issues
        )
    else:
        areas[MUNICIPALITY_CODE] = None
    areas[ID], id_source = _ids(body, areas, matches, region_codes, rows, source)
    if MUNICIPALITY_CODE not in matches:
        areas[MUNICIPALITY_CODE] = municipality_codes(areas[ID])
    for role in matches:
        if role.startswith("group:"):
            areas[role] = _text(body[matches[role].index], repeats=True)
    if ID in matches and _has_numbers(body[matches[ID].index]):
        issues.append(
            Issue.of(
                message("numeric-ids", column=repr(matches[ID].header)),
                Location(file=source.path, sheet=source.sheet, column=matches[ID].header),
            )
        )
    return areas, id_source


def _has_numbers(cells: pd.Series) -> bool:
    if pd.api.types.is_numeric_dtype(cells.dtype):
        return True
    if pd.api.types.is_string_dtype(cells.dtype) and cells.dtype != object:
        return False
    return bool(cells.map(lambda c: isinstance(c, int | float) and not isinstance(c, bool)).any())


def _municipality_codes(
    cells: pd.Series,
    matches: Mapping[str, ColumnMatch],
    source: SourceInfo,
    issues: list[Issue],
) -> pd.Series:
    """Municipality codes are four digits; a workbook storing 180 as a number lost the 0."""
    text = _text(cells, repeats=True)
    # A few hundred municipalities on 300 000 rows: each distinct code is tested once.
    # Missing codes are None or NaN, depending on the column's source: only text can match.
    lost_zero = {
        code for code in pd.unique(text) if isinstance(code, str) and _LOST_ZERO.fullmatch(code)
    }
    if lost_zero:
        short = text.isin(lost_zero)
        # Codes from this file, in its order: the user sees their own 127 became 0127.
        seen = [code for code in pd.unique(text[short]) if isinstance(code, str)]
        examples = Few(tuple(f"{code} → {code.zfill(4)}" for code in seen), limit=3)
        issues.append(
            Issue.of(
                message("leading-zeros-restored", n=int(short.sum()), examples=examples),
                Location(
                    file=source.path, sheet=source.sheet, column=matches[MUNICIPALITY_CODE].header
                ),
            )
        )
        text[short] = text[short].str.zfill(4)
    return text


_LOST_ZERO = re.compile(r"\d{1,3}")


def _id_text(cells: pd.Series) -> pd.Series:
    """Ids as text. A CSV or Parquet column stays Arrow text: a third of the memory of one
    Python string per area, and ids are never missing (refused), so Arrow's NaN for a
    missing value never reaches a result."""
    if not is_arrow_text(cells):
        return _text(cells)
    stripped = cells.str.strip()
    return stripped.where(stripped != "")


def _ids(
    body: pd.DataFrame,
    areas: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    region_codes: pd.Series | None,
    rows: pd.Series,
    source: SourceInfo,
) -> tuple[pd.Series, Message]:
    """The id column as text, the code in a region label, or an id made from names."""
    if ID in matches:
        ids = _id_text(body[matches[ID].index])
        missing = ids.isna()
        if missing.any():
            first = rows[missing].iloc[0]
            raise MissingIdError(
                message("missing-id"),
                location=Location(
                    file=source.path, sheet=source.sheet, row=int(first), column=matches[ID].header
                ),
                hint=message("hint/missing-id"),
            )
        return ids, message("ids-from/column", column=repr(matches[ID].header))
    if NAME not in matches and REGION not in matches:
        # A table of municipalities: the municipality is the area.
        areas[NAME] = areas[MUNICIPALITY]
        if areas[MUNICIPALITY_CODE].notna().all():
            return areas[MUNICIPALITY_CODE].astype(object), message("ids-from/code")
        return areas[MUNICIPALITY].astype(object), message("ids-from/municipality")
    names = areas[NAME].fillna("")
    if region_codes is not None and region_codes.notna().all():
        return region_codes, message("ids-from/region", column=repr(matches[REGION].header))
    if areas[MUNICIPALITY_CODE].notna().all():
        return areas[MUNICIPALITY_CODE] + " " + names, message("ids-from/code-and-name")
    if areas[MUNICIPALITY].notna().all():
        return areas[MUNICIPALITY] + ": " + names, message("ids-from/municipality-and-name")
    return names.astype(object), message("ids-from/name")


def _check_unique(areas: pd.DataFrame, source: SourceInfo, id_source: Message) -> None:
    if is_arrow_text(areas[ID]) and len(pc.unique(pa.array(areas[ID].array))) == len(areas):
        return  # Arrow counts distinct ids faster than pandas marks duplicates
    duplicated = areas[ID].duplicated(keep=False)
    if not duplicated.any():
        return
    groups = areas[duplicated].groupby(ID, sort=False)[ROW].apply(list)
    described = Few(
        tuple(
            message(
                "on-rows",
                what=repr(shorten(area, 40)),
                rows=Few(tuple(map(str, area_rows)), limit=len(area_rows), separator="and"),
            )
            for area, area_rows in groups.head(MAX_LISTED).items()
        ),
        total=len(groups),
        limit=MAX_LISTED,
        separator="; ",
    )
    raise DuplicateIdError(
        message(
            "duplicate-id" if len(groups) == 1 else "duplicate-id/several",
            n=len(groups),
            source=id_source,
            areas=described,
        ),
        location=Location(file=source.path, sheet=source.sheet),
        hint=message("hint/duplicate-id"),
    )


# -- numbers --------------------------------------------------------------------------------


def _decimal_mark(numbers: pd.DataFrame, source: SourceInfo) -> str:
    # Semicolon-separated files are the decimal-comma convention (SCB, Swedish Excel).
    default = "," if source.separator == ";" else "."
    try:
        return detect_decimal_mark((numbers[c] for c in numbers.columns), default=default)
    except MixedDecimalMarks as exc:
        raise NonNumericValueError(
            message(
                "non-numeric-value/mixed-marks",
                comma=repr(exc.comma_example),
                dot=repr(exc.dot_example),
            ),
            location=Location(file=source.path, sheet=source.sheet),
            hint=message("hint/mixed-marks"),
        ) from exc


# -- long records: years, sexes, pivot ----------------------------------------------------------


def _typed_records(
    records: Records,
    areas: pd.DataFrame,
    build: _Build,
    matches: Mapping[str, ColumnMatch],
    source: SourceInfo,
) -> pd.DataFrame:
    """Records with area id, row, parsed value, a known sex and a year (where given)."""
    long = records.frame
    long[ID] = areas[ID].reindex(long["source"]).to_numpy()
    long[ROW] = areas[ROW].reindex(long["source"]).to_numpy()
    long["value"] = np.nan
    columns = {}
    for criterion in build.criteria.columns:
        part = long[long["criterion"] == criterion.id]
        if not part.empty:
            columns[criterion.id] = CellColumn(part["cell"], part[ROW], part["header"])
    for criterion_id, values in build.values(columns).items():
        long.loc[long["criterion"] == criterion_id, "value"] = values.to_numpy()
    if SEX in matches:
        sexes = sex_of(long["sex"])
        _refuse_unread(
            long,
            sexes.isna(),
            "sex",
            message("invalid-value/sex"),
            matches[SEX],
            source,
            message("hint/sex"),
        )
        long["sex"] = sexes
    years = long["year"].map(year_of)
    if YEAR in matches:
        _refuse_unread(
            long,
            years.isna(),
            "year",
            message("invalid-value"),
            matches[YEAR],
            source,
            message("hint/year"),
        )
    long["year"] = years
    return long


def _refuse_unread(
    long: pd.DataFrame,
    unread: pd.Series,
    field_name: str,
    said: Message,
    match: ColumnMatch,
    source: SourceInfo,
    hint: Message,
) -> None:
    """Stop at the first record whose year or sex cell could not be read."""
    if not unread.any():
        return
    first = int(np.flatnonzero(unread.to_numpy(dtype=bool))[0])
    raise InvalidValueError(
        said,
        location=Location(
            file=source.path,
            sheet=source.sheet,
            row=int(long[ROW].iloc[first]),
            column=match.header,
        ),
        value=long[field_name].iloc[first],
        hint=hint,
    )


def _choose_year(
    long: pd.DataFrame,
    criteria: Criteria,
    wanted: int | None,
    source: SourceInfo,
    issues: list[Issue],
) -> tuple[int | None, tuple[int, ...]]:
    """--year, or the latest year every criterion has a value for; said as an issue."""
    if long["year"].isna().all():
        if wanted is not None:
            raise OptionError(
                message("invalid-option/no-years", year=wanted),
                location=Location(file=source.path, sheet=source.sheet),
                hint=message("hint/leave-out-year"),
            )
        return None, ()
    known = long[long["value"].notna()]
    years = tuple(sorted({int(y) for y in long["year"].dropna()}))
    per_criterion = {
        c.id: {int(y) for y in known.loc[known["criterion"] == c.id, "year"].dropna()}
        for c in criteria.columns
    }
    location = Location(file=source.path, sheet=source.sheet)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    if wanted is not None:
        if wanted not in years:
            raise OptionError(
                message("invalid-option/no-such-year", year=wanted),
                location=location,
                hint=message("hint/years-in-file", years=", ".join(str(y) for y in years)),
            )
        lacking = [c.label for c in criteria.columns if wanted not in per_criterion[c.id]]
        if lacking:
            issues.append(
                Issue.of(
                    message("year-lacks-indicator", year=wanted, labels=", ".join(lacking)),
                    location,
                )
            )
        issues.append(
            Issue.of(message("year-chosen/asked", year=wanted, span=span), location, "info")
        )
        return wanted, years
    common = set.intersection(*per_criterion.values()) if per_criterion else set()
    if not common:
        described = "; ".join(
            f"{c.label}: {_years_text(per_criterion[c.id])}" for c in criteria.columns
        )
        raise OptionError(
            message("invalid-option/no-common-year", described=described),
            location=location,
            hint=message("hint/pick-year"),
        )
    chosen = max(common)
    _warn_about_coverage(known, criteria, chosen, common, location, issues)
    issues.append(Issue.of(message("year-chosen", year=chosen, span=span), location, "info"))
    return chosen, years


def _warn_about_coverage(
    known: pd.DataFrame,
    criteria: Criteria,
    chosen: int,
    common: set[int],
    location: Location,
    issues: list[Issue],
) -> None:
    """The latest year may be thin (a release not yet complete): say when another is fuller."""
    areas = known[ID].nunique()

    def coverage(year: int) -> tuple[int, str]:
        rows = known[known["year"] == year]
        counts = {
            c.label: rows.loc[rows["criterion"] == c.id, ID].nunique() for c in criteria.columns
        }
        label = min(counts, key=lambda key: counts[key])
        return counts[label], label

    have, label = coverage(chosen)
    fuller = [year for year in sorted(common, reverse=True) if coverage(year)[0] > have]
    if fuller:
        issues.append(
            Issue.of(
                message(
                    "thin-year", year=chosen, label=label, have=have, n=areas, fuller=fuller[0]
                ),
                location,
            )
        )


def _years_text(years: set[int]) -> str:
    return ", ".join(str(y) for y in sorted(years)) if years else "none"


def _pivot(
    long: pd.DataFrame,
    areas: pd.DataFrame,
    criteria: Criteria,
    source: SourceInfo,
    id_source: Message,
    issues: list[Issue],
) -> tuple[pd.DataFrame, bool]:
    """One row per area; each criterion's value for its sex, and women's and men's."""
    repeated = long.duplicated([ID, "criterion", "sex"], keep=False)
    if repeated.any():
        first = long[repeated].iloc[0]
        same = long[repeated & (long[ID] == first[ID]) & (long["criterion"] == first["criterion"])]
        raise DuplicateIdError(
            message(
                "duplicate-id/value",
                area=repr(shorten(first[ID], 40)),
                criterion=repr(first["criterion"]),
                rows=Few(tuple(str(r) for r in same[ROW].head(3)), limit=3, separator="and"),
            ),
            location=Location(file=source.path, sheet=source.sheet),
            hint=message("hint/duplicate-value", source=id_source),
        )
    first_rows = areas.drop_duplicates(ID)
    order = first_rows[ID].tolist()
    frame = first_rows[_area_columns(areas)].set_index(ID, drop=False)
    by_sex = bool(long["sex"].isin([WOMEN, MEN]).any())
    wide = long.set_index([ID, "criterion", "sex"])["value"].unstack(["criterion", "sex"])
    # Areas with a 'totalt' row, even one holding '..': its total is unknown, not derived.
    # Only a table by sex derives totals, and a set of every area's id costs ~0.1 s.
    has_total: dict[object, set[object]] = (
        {
            criterion_id: set(part[ID])
            for criterion_id, part in long[long["sex"] == TOTAL].groupby("criterion")
        }
        if by_sex
        else {}
    )

    def series(criterion_id: str, sex: str) -> pd.Series:
        key = (criterion_id, sex)
        return wide[key].reindex(order) if key in wide.columns else pd.Series(np.nan, index=order)

    bounded: list[str] = []
    summed = no_sex = 0
    for criterion in criteria.columns:
        women, men = series(criterion.id, WOMEN), series(criterion.id, MEN)
        values = series(criterion.id, criterion.sex)
        if criterion.sex == TOTAL and by_sex:
            without_total = ~values.index.isin(list(has_total.get(criterion.id, set())))
            derivable = values.isna() & women.notna() & men.notna() & without_total
            if derivable.any() and criterion.unit == "count":
                # Residents are women plus men: the total is exact.
                values = values.where(~derivable, women + men)
                summed += int(derivable.sum())
            elif derivable.any():
                # A total share lies between the women's and the men's: bounds, not a value.
                frame[bound_column(criterion.id, "low")] = np.where(
                    derivable, np.minimum(women, men), np.nan
                )
                frame[bound_column(criterion.id, "high")] = np.where(
                    derivable, np.maximum(women, men), np.nan
                )
                bounded.append(criterion.id)
        elif criterion.sex != TOTAL and values.isna().all():
            no_sex += 1
        frame[criterion.id] = values.to_numpy(dtype="float64")
        if by_sex:
            frame[sex_column(criterion.id, WOMEN)] = women.to_numpy(dtype="float64")
            frame[sex_column(criterion.id, MEN)] = men.to_numpy(dtype="float64")
    where = Location(file=source.path, sheet=source.sheet)
    if summed:
        issues.append(Issue.of(message("totals-summed", n=summed), where, "info"))
    if bounded:
        issues.append(Issue.of(message("totals-bounded"), where))
    if no_sex:
        issues.append(Issue.of(message("no-values-for-sex", n=no_sex), where))
    columns = [*_area_columns(areas), *(c.id for c in criteria.columns)]
    if by_sex:
        columns += [sex_column(c.id, s) for c in criteria.columns for s in (WOMEN, MEN)]
    columns += [bound_column(c, side) for c in bounded for side in ("low", "high")]
    return frame[columns].reset_index(drop=True), by_sex


def _report_unused_indicators(
    records: Records,
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
    source: SourceInfo,
    issues: list[Issue],
) -> None:
    present = set(records.frame["criterion"])
    missing = [c for c in criteria.columns if c.id not in present]
    column: str | None = matches[INDICATOR].header
    if source.format == "px" and column == CONTENTS_HEADER:
        column = None  # the file's CONTENTS: a column of our flat rows, not of the file
    where = Location(file=source.path, sheet=source.sheet, column=column)
    if missing:
        found = ", ".join(repr(shorten(u, 40)) for u in records.unused_indicators[:8]) or "none"
        kind = "contents" if column is None else "indicators"
        raise MissingColumnError(
            f"no rows for criterion {_labels_of(missing)}; {kind} found: {found}",
            location=where,
            hint=_count_hint(missing[0], records.unused_indicators, criteria)
            or f"add the indicator's name to `aliases` of criterion {missing[0].id!r} "
            "in the criteria file",
        )
    if records.unused_indicators:
        listed = ", ".join(repr(shorten(u, 40)) for u in records.unused_indicators[:MAX_LISTED])
        issues.append(Issue.of(message("unused-indicators", names=listed), where))
