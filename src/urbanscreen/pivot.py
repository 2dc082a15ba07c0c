"""Long records to one row per area.

Records are typed (values parsed, sexes and years read), one per area, criterion, year
and sex; then pivoted: each criterion's value for its sex, with women's and men's beside
it in a table by sex, and a total the table lacks summed (counts) or bounded (shares).
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from urbanscreen.columns import (
    CELL,
    CRITERION,
    HEADER,
    HIGH,
    ID,
    LOW,
    MEN,
    ROW,
    SEX,
    SOURCE,
    TOTAL,
    VALUE,
    WOMEN,
    YEAR,
    area_columns,
    bound_column,
    sex_column,
)
from urbanscreen.criteria.model import Criteria
from urbanscreen.dimensions import Resolution, describe_cell, sum_over_breakdowns
from urbanscreen.errors import DuplicateIdError, InvalidValueError, Issue, Location, shorten
from urbanscreen.headers import ColumnMatch
from urbanscreen.indicators import CellColumn, IndicatorReader
from urbanscreen.layout import Records, sex_of, year_of
from urbanscreen.messages import Few, Message, message
from urbanscreen.readers import RawTable, SourceInfo


def one_record_per_figure(
    records: Records,
    resolution: Resolution,
    typing: tuple[pd.DataFrame, IndicatorReader, Mapping[str, ColumnMatch]],
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
        long = sum_over_breakdowns(long, [ID, CRITERION, YEAR, SEX])
    if raw.dimensions:
        _refuse_repeated_cells(long, body, raw)
    return long


def _typed_records(
    records: Records,
    areas: pd.DataFrame,
    build: IndicatorReader,
    matches: Mapping[str, ColumnMatch],
    source: SourceInfo,
) -> pd.DataFrame:
    """Records with area id, row, parsed value, a known sex and a year (where given)."""
    long = records.frame
    long[ID] = areas[ID].reindex(long[SOURCE]).to_numpy()
    long[ROW] = areas[ROW].reindex(long[SOURCE]).to_numpy()
    long[VALUE] = np.nan
    columns = {}
    for criterion in build.criteria.columns:
        part = long[long[CRITERION] == criterion.id]
        if not part.empty:
            columns[criterion.id] = CellColumn(part[CELL], part[ROW], part[HEADER])
    for criterion_id, values in build.values(columns).items():
        long.loc[long[CRITERION] == criterion_id, VALUE] = values.to_numpy()
    if SEX in matches:
        sexes = sex_of(long[SEX])
        _refuse_unread(
            long,
            sexes.isna(),
            SEX,
            message("invalid-value/sex"),
            matches[SEX],
            source,
            message("hint/sex"),
        )
        long[SEX] = sexes
    years = long[YEAR].map(year_of)
    if YEAR in matches:
        _refuse_unread(
            long,
            years.isna(),
            YEAR,
            message("invalid-value"),
            matches[YEAR],
            source,
            message("hint/year"),
        )
    long[YEAR] = years
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


def _refuse_repeated_cells(long: pd.DataFrame, body: pd.DataFrame, raw: RawTable) -> None:
    """Two cells of a PX file giving one area's figure: name both by their values."""
    repeated = long.duplicated([ID, CRITERION, YEAR, SEX], keep=False)
    if not repeated.any():
        return
    first = long[repeated].iloc[0]
    same = long[
        repeated
        & (long[ID] == first[ID])
        & (long[CRITERION] == first[CRITERION])
        & (long[YEAR].fillna(-1) == (-1 if pd.isna(first[YEAR]) else first[YEAR]))
        & (long[SEX] == first[SEX])
    ]
    cells = [describe_cell(body, source, raw.dimensions) for source in same[SOURCE][:2]]
    raise DuplicateIdError(
        f"area {shorten(first[ID], 40)!r} has two values for {first[CRITERION]!r}: the cells "
        + " and ".join(f"({cell})" for cell in cells),
        location=Location(file=raw.source.path),
        hint="each area needs one value per criterion, sex and year; check the codes of the "
        "area variable",
    )


def pivot(
    long: pd.DataFrame,
    areas: pd.DataFrame,
    criteria: Criteria,
    source: SourceInfo,
    id_source: Message,
    issues: list[Issue],
) -> tuple[pd.DataFrame, bool]:
    """One row per area; each criterion's value for its sex, and women's and men's."""
    repeated = long.duplicated([ID, CRITERION, SEX], keep=False)
    if repeated.any():
        first = long[repeated].iloc[0]
        same = long[repeated & (long[ID] == first[ID]) & (long[CRITERION] == first[CRITERION])]
        raise DuplicateIdError(
            message(
                "duplicate-id/value",
                area=repr(shorten(first[ID], 40)),
                criterion=repr(first[CRITERION]),
                rows=Few(tuple(str(r) for r in same[ROW].head(3)), limit=3, separator="and"),
            ),
            location=Location(file=source.path, sheet=source.sheet),
            hint=message("hint/duplicate-value", source=id_source),
        )
    first_rows = areas.drop_duplicates(ID)
    order = first_rows[ID].tolist()
    frame = first_rows[area_columns(areas)].set_index(ID, drop=False)
    by_sex = bool(long[SEX].isin([WOMEN, MEN]).any())
    wide = long.set_index([ID, CRITERION, SEX])[VALUE].unstack([CRITERION, SEX])
    # Areas with a 'totalt' row, even one holding '..': its total is unknown, not derived.
    # Only a table by sex derives totals, and a set of every area's id costs ~0.1 s.
    has_total: dict[object, set[object]] = (
        {
            criterion_id: set(part[ID])
            for criterion_id, part in long[long[SEX] == TOTAL].groupby(CRITERION)
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
                frame[bound_column(criterion.id, LOW)] = np.where(
                    derivable, np.minimum(women, men), np.nan
                )
                frame[bound_column(criterion.id, HIGH)] = np.where(
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
    columns = [*area_columns(areas), *(c.id for c in criteria.columns)]
    if by_sex:
        columns += [sex_column(c.id, s) for c in criteria.columns for s in (WOMEN, MEN)]
    columns += [bound_column(c, side) for c in bounded for side in (LOW, HIGH)]
    return frame[columns].reset_index(drop=True), by_sex
