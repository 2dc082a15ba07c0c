"""Turn raw cells into a typed Table: one row per area, codes as text, criteria as floats.

This is where a file's meaning is decided: which row is the header, which column is
the id, the name and each criterion, which decimal mark the file uses, and which
rows are not areas at all (blank lines, footnotes). Every decision a user might
not expect becomes an :class:`~urbanscreen.errors.Issue`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from urbanscreen.criteria import Criteria, Criterion
from urbanscreen.errors import (
    AmbiguousColumnError,
    DuplicateIdError,
    EmptyInputError,
    Issue,
    Location,
    MissingColumnError,
    MissingIdError,
    NonNumericValueError,
    UrbanscreenError,
    ValueOutOfRangeError,
    shorten,
)
from urbanscreen.headers import (
    ID_HEADERS,
    MUNICIPALITY_CODE_HEADERS,
    MUNICIPALITY_HEADERS,
    NAME_HEADERS,
    AmbiguousHeaders,
    ColumnMatch,
    closest_header,
    match_columns,
)
from urbanscreen.numbers import MixedDecimalMarks, detect_decimal_mark, parse_numbers
from urbanscreen.readers import RawTable, SourceInfo, read_raw

ID, NAME, MUNICIPALITY, MUNICIPALITY_CODE, ROW = (
    "id",
    "name",
    "municipality",
    "municipality_code",
    "row",
)
AREA_ROLES: dict[str, Sequence[str]] = {
    ID: ID_HEADERS,
    NAME: NAME_HEADERS,
    MUNICIPALITY: MUNICIPALITY_HEADERS,
    MUNICIPALITY_CODE: MUNICIPALITY_CODE_HEADERS,
}
MAX_LISTED = 5


@dataclass(frozen=True)
class Table:
    """One row per area: ``id``, ``name``, ``municipality``, ``municipality_code``, ``row``
    (the spreadsheet row it came from) and one float column per criterion id."""

    frame: pd.DataFrame
    source: SourceInfo
    headers: dict[str, str]
    decimal: str
    id_source: str
    issues: tuple[Issue, ...] = field(default=())

    def __len__(self) -> int:
        return len(self.frame)


def load_table(
    path: str | Path,
    criteria: Criteria,
    *,
    sheet: str | None = None,
    decimal: str | None = None,
) -> Table:
    """Read ``path`` and type the columns ``criteria`` need.

    ``decimal`` forces "," or "."; by default the file's own numbers decide.
    Raises a subclass of :class:`~urbanscreen.errors.UrbanscreenError` for input a
    user must fix.
    """
    path = Path(path)
    roles = _roles(criteria)
    raw = read_raw(path, lambda rows: find_header_row(rows, roles), sheet=sheet)
    return build_table(raw, criteria, decimal=decimal)


def _roles(criteria: Criteria) -> dict[str, Sequence[str]]:
    return {**AREA_ROLES, **{c.id: c.headers for c in criteria.criteria}}


def find_header_row(rows: list[list[object]], roles: Mapping[str, Sequence[str]]) -> int:
    """The row naming the most known columns; the first non-blank row if none does."""
    best_index, best_score = -1, 0
    for index, row in enumerate(rows):
        try:
            score = len(match_columns(row, roles))
        except AmbiguousHeaders:
            score = 1
        if score > best_score:
            best_index, best_score = index, score
    if best_index >= 0:
        return best_index
    for index, row in enumerate(rows):
        if any(_filled(cell) for cell in row):
            return index
    return 0


def build_table(raw: RawTable, criteria: Criteria, *, decimal: str | None = None) -> Table:
    """Type a :class:`RawTable` (see :func:`load_table`)."""
    source = raw.source
    header_location = Location(file=source.path, sheet=source.sheet, row=source.header_row)
    matches = _match(raw.headers, criteria, header_location)
    if ID not in matches and NAME not in matches:
        raise MissingColumnError(
            "no column names the areas",
            location=header_location,
            hint="add an id or name column; accepted headers include "
            + ", ".join(repr(h) for h in (*ID_HEADERS[:5], *NAME_HEADERS[:5])),
        )

    body = raw.body.reindex(columns=range(len(raw.headers)))
    rows = pd.Series(np.arange(len(body)) + raw.first_row, index=body.index)
    issues: list[Issue] = []
    keep = _area_rows(body, matches, rows, source, issues)
    body, rows = body[keep], rows[keep]
    if body.empty:
        raise EmptyInputError(
            f"the header is on row {source.header_row} but no data rows follow it",
            location=Location(file=source.path, sheet=source.sheet),
            hint="check that the right sheet was read (--sheet NAME)",
        )

    frame = pd.DataFrame({ROW: rows.to_numpy()}, index=body.index)
    for role in (NAME, MUNICIPALITY):
        frame[role] = _text(body[matches[role].index]) if role in matches else None
    if MUNICIPALITY_CODE in matches:
        codes = body[matches[MUNICIPALITY_CODE].index]
        frame[MUNICIPALITY_CODE] = _municipality_codes(codes, matches, source, issues)
    else:
        frame[MUNICIPALITY_CODE] = None
    frame[ID], id_source = _ids(body, frame, matches, rows, source)
    _check_unique(frame, source, id_source)

    mark = decimal or _decimal_mark(body, matches, criteria, source)
    for criterion in criteria.criteria:
        frame[criterion.id] = _criterion_values(
            body, matches[criterion.id], criterion, rows, mark, source
        )

    ordered = [ID, NAME, MUNICIPALITY, MUNICIPALITY_CODE, ROW, *(c.id for c in criteria.criteria)]
    return Table(
        frame=frame[ordered].reset_index(drop=True),
        source=source,
        headers={role: match.header for role, match in matches.items()},
        decimal=mark,
        id_source=id_source,
        issues=tuple(issues),
    )


def _match(headers: list[object], criteria: Criteria, location: Location) -> dict[str, ColumnMatch]:
    try:
        matches = match_columns(headers, _roles(criteria))
    except AmbiguousHeaders as exc:
        raise AmbiguousColumnError(
            f"several columns could be {exc.role!r}: " + ", ".join(repr(h) for h in exc.headers),
            location=location,
            hint="rename or delete all but one of them",
        ) from exc
    found = [str(h).strip() for h in headers if _filled(h)]
    for criterion in criteria.criteria:
        if criterion.id in matches:
            continue
        guess = closest_header(criterion.headers, found)
        hint = f"did you mean {guess!r}? " if guess else ""
        hint += (
            f"rename the column to {criterion.column!r}, or add its header to "
            f"`aliases` of criterion {criterion.id!r} in the criteria file"
        )
        raise MissingColumnError(
            f"no column for criterion {criterion.label!r}; columns found: "
            + ", ".join(repr(shorten(h, 40)) for h in found[:12])
            + (" …" if len(found) > 12 else ""),
            location=location,
            hint=hint,
        )
    return matches


def _filled(cell: object) -> bool:
    if cell is None or (isinstance(cell, float) and np.isnan(cell)):
        return False
    return not (isinstance(cell, str) and not cell.strip())


def _filled_mask(body: pd.DataFrame) -> pd.DataFrame:
    """True where a cell holds something other than whitespace."""
    text = body.astype(str).apply(lambda column: column.str.strip())
    filled: pd.DataFrame = body.notna() & (text != "") & (text != "None") & (text != "nan")
    return filled


def _area_rows(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    rows: pd.Series,
    source: SourceInfo,
    issues: list[Issue],
) -> pd.Series:
    """Rows that describe an area: not blank, not a footnote, naming an id or a name."""
    filled = _filled_mask(body)
    count = filled.sum(axis=1)
    names = [matches[role].index for role in (ID, NAME) if role in matches]
    named = filled[names].any(axis=1)
    # One lonely cell below the table is a note ("Källa: SCB"), not an area.
    skipped = (count > 0) & ((count == 1) | ~named)
    if skipped.any():
        listed = ", ".join(str(r) for r in rows[skipped].head(MAX_LISTED))
        more = " …" if skipped.sum() > MAX_LISTED else ""
        issues.append(
            Issue(
                "skipped-rows",
                f"{int(skipped.sum())} row(s) without an area skipped (rows {listed}{more})",
                Location(file=source.path, sheet=source.sheet),
            )
        )
    return (count > 0) & ~skipped


def _text(cells: pd.Series) -> pd.Series:
    """Cells as text: 1480.0 from a workbook becomes "1480", never "1480.0"."""

    def one(cell: object) -> str | None:
        if not _filled(cell):
            return None
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell).strip()

    return cells.map(one).astype(object)


def _municipality_codes(
    cells: pd.Series,
    matches: Mapping[str, ColumnMatch],
    source: SourceInfo,
    issues: list[Issue],
) -> pd.Series:
    """Municipality codes are four digits; a workbook storing 180 as a number lost the 0."""
    text = _text(cells)
    short = text.notna() & text.str.fullmatch(r"\d{1,3}").fillna(False).astype(bool)
    if short.any():
        issues.append(
            Issue(
                "leading-zeros-restored",
                f"{int(short.sum())} municipality code(s) had lost their leading zero "
                "(stored as numbers); padded to four digits, e.g. 180 -> 0180",
                Location(
                    file=source.path, sheet=source.sheet, column=matches[MUNICIPALITY_CODE].header
                ),
            )
        )
        text[short] = text[short].str.zfill(4)
    return text


def _ids(
    body: pd.DataFrame,
    frame: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    rows: pd.Series,
    source: SourceInfo,
) -> tuple[pd.Series, str]:
    """The id column as text, or an id made from municipality code or name plus name."""
    if ID in matches:
        ids = _text(body[matches[ID].index])
        missing = ids.isna()
        if missing.any():
            first = rows[missing].iloc[0]
            raise MissingIdError(
                "this row has no id",
                location=Location(
                    file=source.path, sheet=source.sheet, row=int(first), column=matches[ID].header
                ),
                hint="give every area an id, or remove the id column to use names",
            )
        return ids, f"column {matches[ID].header!r}"
    names = frame[NAME].fillna("")
    if frame[MUNICIPALITY_CODE].notna().all():
        return frame[MUNICIPALITY_CODE] + " " + names, "municipality code + name"
    if frame[MUNICIPALITY].notna().all():
        return frame[MUNICIPALITY] + ": " + names, "municipality + name"
    return names.astype(object), "name"


def _check_unique(frame: pd.DataFrame, source: SourceInfo, id_source: str) -> None:
    duplicated = frame[ID].duplicated(keep=False)
    if not duplicated.any():
        return
    groups = frame[duplicated].groupby(ID, sort=False)[ROW].apply(list)
    described = [
        f"{shorten(area, 40)!r} on rows " + " and ".join(str(r) for r in area_rows)
        for area, area_rows in groups.head(MAX_LISTED).items()
    ]
    more = f" and {len(groups) - MAX_LISTED} more" if len(groups) > MAX_LISTED else ""
    count = "an area id occurs" if len(groups) == 1 else f"{len(groups)} area ids occur"
    raise DuplicateIdError(
        f"{count} more than once (ids from {id_source}): " + "; ".join(described) + more,
        location=Location(file=source.path, sheet=source.sheet),
        hint="each area must appear once; remove the repeated rows, or add an id column "
        "(or a municipality column) that tells them apart",
    )


def _decimal_mark(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
    source: SourceInfo,
) -> str:
    # Semicolon-separated files are the decimal-comma convention (SCB, Swedish Excel).
    default = "," if source.separator == ";" else "."
    columns = [body[matches[c.id].index] for c in criteria.criteria]
    try:
        return detect_decimal_mark(columns, default=default)
    except MixedDecimalMarks as exc:
        raise NonNumericValueError(
            f"numbers use both decimal marks: {exc.comma_example!r} and {exc.dot_example!r}",
            location=Location(file=source.path, sheet=source.sheet),
            hint="write all numbers alike, or say which mark is decimal with "
            "--decimal , or --decimal .",
        ) from exc


def _criterion_values(
    body: pd.DataFrame,
    match: ColumnMatch,
    criterion: Criterion,
    rows: pd.Series,
    decimal: str,
    source: SourceInfo,
) -> pd.Series:
    cells = body[match.index]
    parsed = parse_numbers(cells, decimal)
    if parsed.invalid.any():
        first = parsed.invalid[parsed.invalid].index[0]
        others = int(parsed.invalid.sum()) - 1
        raise NonNumericValueError(
            "is not a number" + (f" ({others} more in this column)" if others else ""),
            location=_cell(source, rows[first], match.header),
            value=cells[first],
            hint=_non_numeric_hint(cells[first], decimal),
        )
    values = parsed.values
    low, high = (0.0, 100.0) if criterion.unit == "percent" else (0.0, np.inf)
    if criterion.unit == "number":
        low = -np.inf
    outside = values.notna() & ((values < low) | (values > high))
    if outside.any():
        first = outside[outside].index[0]
        unit = "a percentage" if criterion.unit == "percent" else "a count"
        bounds = "between 0 and 100" if criterion.unit == "percent" else "0 or more"
        raise ValueOutOfRangeError(
            f"is outside what {unit} can be ({bounds})",
            location=_cell(source, rows[first], match.header),
            value=cells[first],
            hint="check the column and the decimal mark (--decimal , or --decimal .)",
        )
    return values


def _cell(source: SourceInfo, row: object, column: str) -> Location:
    return Location(file=source.path, sheet=source.sheet, row=int(str(row)), column=column)


def _non_numeric_hint(value: object, decimal: str) -> str:
    text = str(value).strip()
    if decimal == "." and any(ch.isdigit() for ch in text) and "," in text:
        return "did you mean --decimal , (decimal comma)?"
    if decimal == "," and any(ch.isdigit() for ch in text) and "." in text:
        return "did you mean --decimal . (decimal point)?"
    return (
        "write the number, or mark a missing value as '..' or an empty cell "
        "(SCB's markers '..', '.', '-' and ':' mean unknown)"
    )


__all__ = ["Table", "UrbanscreenError", "build_table", "find_header_row", "load_table"]
