"""Turn raw cells into a typed Table: one row per area, codes as text, criteria as floats.

This is where a file's meaning is decided, one step per module: which row is the header and
which column plays each role (:mod:`~urbanscreen.roles`), how the table is laid out
(:mod:`~urbanscreen.layout`), which rows are areas (:mod:`~urbanscreen.area_rows`), their
ids and codes (:mod:`~urbanscreen.area_ids`), which decimal mark the numbers use, long
records to one row per area (:mod:`~urbanscreen.pivot`) and which year to screen
(:mod:`~urbanscreen.years`). Every decision a user might not expect becomes an
:class:`~urbanscreen.errors.Issue`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from urbanscreen.area_ids import areas_of, check_unique
from urbanscreen.area_rows import area_rows, fill_down_labels, screened_rows, table_shape
from urbanscreen.columns import ID, INDICATOR, ROW, SEX, YEAR, area_columns
from urbanscreen.cores import alongside
from urbanscreen.counts import (
    FromCounts,
    computed_note,
    rates_from_counts,
    reading_criteria,
    with_rates,
)
from urbanscreen.criteria.model import Criteria
from urbanscreen.dimensions import Breakdown, cells_named_by_values
from urbanscreen.errors import EmptyInputError, Issue, Location, NonNumericValueError
from urbanscreen.frames import TableSource, read_source
from urbanscreen.headers import AmbiguousHeaders, ColumnMatch, header_key
from urbanscreen.indicators import CellColumn, IndicatorReader, PercentScale
from urbanscreen.layout import (
    file_headers,
    indicators_taken,
    layout_of,
    melt_long,
    melt_wide,
    melt_wide_years,
    number_columns_of,
    report_unused_indicators,
    year_columns,
    year_suffixed_columns,
)
from urbanscreen.messages import Few, Message, message
from urbanscreen.numbers import MixedDecimalMarks, detect_decimal_mark
from urbanscreen.pivot import one_record_per_figure
from urbanscreen.readers import RawTable, SourceInfo
from urbanscreen.roles import (
    ambiguous,
    find_header_row,
    groups_present,
    match_criteria,
    roles_of,
    with_fixed_roles,
    with_names_not_codes,
)
from urbanscreen.years import (
    average_years,
    choose_year,
    one_row_per_area,
    refuse_options_the_file_cannot_serve,
)


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
    roles = roles_of(criteria)
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
    # years.one_row_per_area): the year's own frame is its entry.
    history = {y: values for y, values in table.history.items() if y <= year}
    return replace(table, frame=history[year].copy(), year=year, history=history, issues=())


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
    matches = _matches(raw, criteria, header_location)
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
    matches = _matches(raw, reading, header_location)
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
        average_years(values, rates, computed, y)
    frame = with_rates(table.frame.copy(), derived)
    average_years(frame, rates, computed, table.year)
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


def _matches(raw: RawTable, criteria: Criteria, location: Location) -> dict[str, ColumnMatch]:
    """Each role's column: by header, then by what a name column holds."""
    matches = match_criteria(raw.headers, criteria, location)
    return with_fixed_roles(with_names_not_codes(matches, raw, criteria), raw)


def _rates_to_compute(
    raw: RawTable, criteria: Criteria, matches: Mapping[str, ColumnMatch], location: Location
) -> list[FromCounts]:
    """Rates the table lacks but holds the counts of: columns of a wide table, indicators
    (rows) of a long one."""
    if INDICATOR not in matches:
        try:
            return rates_from_counts(raw.headers, criteria, matches, location)
        except AmbiguousHeaders as exc:
            raise ambiguous(exc, location) from exc
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
    layout = layout_of(
        file_headers(raw), matches, criteria, years_in_header, suffixed, header_location
    )

    # Two criteria may read one column (Denmark's limits and lower limits): once is enough.
    number_columns = list(
        dict.fromkeys(number_columns_of(layout, matches, criteria, suffixed, years_in_header))
    )

    body = raw.body.reindex(columns=range(len(raw.headers)))
    # Counted from the first row at once: positions plus an offset would be two columns.
    rows = pd.Series(
        np.arange(raw.first_row, raw.first_row + len(body)), index=body.index, copy=False
    )
    issues: list[Issue] = []
    if layout != "wide" or YEAR in matches or SEX in matches:
        body = fill_down_labels(body, matches, number_columns, issues, source)
    keep = area_rows(body, matches, number_columns, rows, raw, issues)
    if not keep.all():  # copying every column costs time at 300 000 rows; most tables keep all
        body, rows = body[keep], rows[keep]
    if body.empty:
        raise EmptyInputError(
            message("empty-input", row=source.header_row),
            location=Location(file=source.path, sheet=source.sheet),
            hint=message("hint/right-sheet"),
        )
    areas, id_source = areas_of(body, matches, rows, source, issues)
    body, rows, areas, resolution = screened_rows(
        body,
        rows,
        areas,
        table_shape(raw, body, areas, matches, number_columns, criteria, years_in_header, layout),
        where,
        issues,
    )
    mark = decimal or raw.decimal or _decimal_mark(body[number_columns], source)
    build = IndicatorReader(criteria, source, mark, percent_scale, issues)

    chosen: int | None = None
    years: tuple[int, ...] = ()
    by_sex = False
    history: dict[int, pd.DataFrame] = {}
    groups_present(criteria, matches, header_location)
    if layout == "wide" and YEAR not in matches and SEX not in matches:
        # One row per area already: the common case, and the fast one.
        refuse_options_the_file_cannot_serve(criteria, year, source)
        averaged = [c.label for c in criteria.criteria if c.years]
        if averaged:
            issues.append(
                Issue.of(
                    message("one-year-for-a-mean", labels=", ".join(averaged)),
                    Location(file=source.path, sheet=source.sheet),
                )
            )
        frame = _wide_frame(body, rows, areas, matches, build, id_source)
    else:
        if layout == "wide":
            records = melt_wide(body, matches, criteria)
        elif layout == "wide-years":
            records = melt_wide_years(body, matches, criteria, suffixed, raw.headers)
        else:
            records = melt_long(body, matches, criteria, years_in_header, raw.headers)
            report_unused_indicators(records, matches, criteria, source, issues)
        long = one_record_per_figure(records, resolution, (areas, build, matches), body, raw)
        chosen, years = choose_year(long, criteria, year, source, issues)
        keep_years = criteria.needs_years if needs_years is None else needs_years
        frame, by_sex, history = one_row_per_area(
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


def _wide_frame(
    body: pd.DataFrame,
    rows: pd.Series,
    areas: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    build: IndicatorReader,
    id_source: Message,
) -> pd.DataFrame:
    """One row per area from a wide table: the areas' columns, then each criterion's."""
    columns = {
        c.id: CellColumn(body[matches[c.id].index], rows, matches[c.id].header)
        for c in build.criteria.columns
    }
    # The ids are proven distinct while the numbers are read; a duplicate is still the
    # error given first.
    with alongside(check_unique, areas[[ID, ROW]], build.source, id_source):
        values = build.values(columns)
    frame = areas.copy(deep=False)  # copy-on-write: the columns added below stay in frame
    for criterion_id, column in values.items():
        frame[criterion_id] = column
    frame = frame[[*area_columns(areas), *(c.id for c in build.criteria.columns)]]
    return frame.reset_index(drop=True)


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
