"""Which body rows are areas, and what is said about the others.

Labels left blank below their first row are filled down; blank rows, notes below the
table and rows without a name are skipped and reported; short rows are pointed out;
breakdowns are resolved (:mod:`urbanscreen.dimensions`); totals and rows of another level
are screened like any other row, and said.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd

from urbanscreen.area_ids import area_levels
from urbanscreen.blanks import filled_cells, filled_mask, is_filled
from urbanscreen.columns import (
    ID,
    INDICATOR,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    NAME,
    REGION,
    ROW,
    SEX,
    YEAR,
)
from urbanscreen.criteria.model import Criteria
from urbanscreen.dimensions import Resolution, TableShape, issues_of, resolve
from urbanscreen.errors import Issue, Location, shorten
from urbanscreen.headers import ColumnMatch
from urbanscreen.messages import MAX_LISTED, Few, message
from urbanscreen.numbers import as_arrow_text
from urbanscreen.readers import RawTable, SourceInfo


def _naming_roles(matches: Mapping[str, ColumnMatch]) -> list[str]:
    """The columns that name an area; a table of municipalities (Kolada) names them alone."""
    roles = [role for role in (ID, NAME, REGION) if role in matches]
    return roles or [role for role in (MUNICIPALITY_CODE, MUNICIPALITY) if role in matches]


def fill_down_labels(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    number_columns: list[int],
    issues: list[Issue],
    source: SourceInfo,
) -> pd.DataFrame:
    """Repeat a label left blank below its first row, as PxWeb's Excel exports leave them."""
    filled = filled_mask(body)
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


def _any_of(masks: list[np.ndarray], size: int) -> np.ndarray:
    """Row by row, whether any of ``masks`` holds (none: False everywhere)."""
    found = np.zeros(size, dtype=bool)
    for mask in masks:
        found |= mask
    return found


def area_rows(
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
    size = len(body)
    # Column by column in numpy: a frame of booleans costs more than the tests themselves.
    # Each column's only when needed: other columns matter only for rows that are not
    # named areas inside the table, which most tables lack.
    filled: dict[object, np.ndarray] = {}

    def filled_in(column: object) -> np.ndarray:
        if column not in filled:
            filled[column] = filled_cells(body[column])
        return filled[column]

    names = [matches[role].index for role in _naming_roles(matches)]
    named = _any_of([filled_in(column) for column in names], size)
    has_values = _any_of([filled_in(column) for column in number_columns], size)
    # Rows after the last with values (none, usually) are the ones below the table.
    after = int(size - np.argmax(has_values[::-1])) if has_values.any() else 0
    if after == size and named.all():
        anything = area = named
    else:
        anything = _any_of([filled_in(column) for column in body.columns], size)
        below_table = np.zeros(size, dtype=bool)
        gaps = ~anything[after:]
        if gaps.any():
            below_table[after + int(np.argmax(gaps)) + 1 :] = True
        for position in np.flatnonzero(named[after:] & ~has_values[after:]) + after:
            below_table[position] |= reads_like_note(body.iloc[position].tolist())
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


def reads_like_note(cells: list[object]) -> bool:
    """Whether a row's first filled cell begins like a footnote ("Källa: SCB", "Anm.")."""
    return bool(_NOTE.match(next((str(cell) for cell in cells if is_filled(cell)), "")))


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


def table_shape(
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


def screened_rows(
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


def _warn_about_non_areas(areas: pd.DataFrame, source: SourceInfo, issues: list[Issue]) -> None:
    """Totals and rows of another level are screened like any other row; say so."""
    levels = area_levels(areas[ID])
    counts = levels.value_counts()
    if len(counts) > 1:
        usual = str(counts.index[0])
        odd = levels.index[(levels.notna() & (levels != usual)).to_numpy()]
        listed = Few(
            tuple(
                message("on-row", what=repr(shorten(area, 40)), row=row)
                for area, row in zip(areas[ID].iloc[odd[:3]], areas[ROW].iloc[odd[:3]], strict=True)
            ),
            limit=3,
        )
        issues.append(
            Issue.of(
                message("mixed-levels", level=message(f"level/{usual}"), n=len(odd), rows=listed),
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
