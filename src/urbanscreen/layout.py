"""How a table is laid out, and its cells as long records: area x criterion x year x sex.

Analysts get tables in three shapes, all read here into the same records:

* wide: one column per criterion (``Förvärvsfrekvens``, ``Folkmängd``), optionally with a
  year and/or a sex column, so an area may span several rows;
* wide by year: one column per criterion and year (``Förvärvsfrekvens 2011``), as PxWeb
  writes a table with both contents and years in its heading;
* long: an indicator column (``tabellinnehåll``) naming the criterion, and the number in a
  value column (``värde``) or in one column per year (``"2011"``, ``"2012"``), as PxWeb,
  Kolada and PC-Axis export.

The layout is decided here too, from the columns found: when no column names the areas or
a criterion has neither a column nor an indicator, the message says what the file has.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from urbanscreen.blanks import is_filled
from urbanscreen.columns import (
    CELL,
    CONTENTS_HEADER,
    CRITERION,
    HEADER,
    ID,
    INDICATOR,
    MEN,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    NAME,
    RECORD_COLUMNS,
    REGION,
    SEX,
    SOURCE,
    TOTAL,
    VALUE,
    WOMEN,
    YEAR,
)
from urbanscreen.counts import is_count, measure_roles
from urbanscreen.criteria.model import Criteria, Measure
from urbanscreen.errors import Issue, Location, MissingColumnError, shorten
from urbanscreen.headers import (
    ID_HEADERS,
    NAME_HEADERS,
    ColumnMatch,
    closest_header,
    header_key,
    split_year,
)
from urbanscreen.messages import MAX_LISTED, Message, message
from urbanscreen.readers import RawTable, SourceInfo

_SEXES = {
    TOTAL: {
        "totalt",
        "total",
        "samtliga",
        "båda könen",
        "bada konen",
        "alla",
        "both sexes",
        "both",
        "all",
        "1+2",
        "män och kvinnor",
        "kvinnor och män",
        "t",
        "tot",
    },
    WOMEN: {"kvinnor", "kvinna", "k", "women", "woman", "female", "females", "f", "w", "2"},
    MEN: {"män", "man", "m", "men", "male", "males", "1"},
}
_SEX_OF = {label: sex for sex, labels in _SEXES.items() for label in labels}
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class Records:
    """Long records: the body row they came from, the criterion, year, sex and raw cell."""

    frame: pd.DataFrame  # columns: RECORD_COLUMNS
    unused_indicators: tuple[str, ...] = ()


def year_of(header: object) -> int | None:
    """2011 for a header "2011" or a workbook number 2011.0, else None."""
    if isinstance(header, float) and header.is_integer():
        header = int(header)
    text = str(header).strip() if header is not None else ""
    return int(text) if _YEAR.match(text) else None


def year_columns(headers: list[object], claimed: set[int]) -> dict[int, int]:
    """Column index -> year, for headers that are years and no other role claimed."""
    found = {}
    for index, header in enumerate(headers):
        year = year_of(header)
        if year is not None and index not in claimed:
            found[index] = year
    return found


def sex_of(cells: pd.Series) -> pd.Series:
    """ "total", "women", "men", or None where the label is not one we know."""
    keys = cells.map(lambda cell: "" if cell is None else str(cell).strip().casefold())
    return keys.map(_SEX_OF).astype(object)


def melt_wide(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
) -> Records:
    """A wide table with a year and/or sex column: one record per row and criterion."""
    parts = []
    for criterion in criteria.columns:
        match = matches[criterion.id]
        parts.append(
            pd.DataFrame(
                {
                    SOURCE: body.index,
                    CRITERION: criterion.id,
                    YEAR: _years(body, matches),
                    SEX: _sexes(body, matches),
                    CELL: body[match.index].to_numpy(dtype=object),
                    HEADER: match.header,
                }
            )
        )
    return Records(pd.concat(parts, ignore_index=True))


def year_suffixed_columns(
    headers: list[object], criteria: Criteria, claimed: set[int]
) -> dict[str, dict[int, int]]:
    """Per criterion, columns headed with it and a year ("Förvärvsfrekvens 2011"), as PxWeb
    writes a table with both contents and years in its heading: {criterion: {column: year}}."""
    found: dict[str, dict[int, int]] = {}
    for criterion in criteria.columns:
        keys = {header_key(alias) for alias in (criterion.label, *criterion.headers)}
        for index, header in enumerate(headers):
            parts = split_year(header) if index not in claimed else None
            if parts is not None and parts[0] in keys:
                found.setdefault(criterion.id, {})[index] = parts[1]
    return found


def melt_wide_years(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
    suffixed: Mapping[str, Mapping[int, int]],
    headers: list[object],
) -> Records:
    """One record per row, criterion and year column; a plain column serves every year."""
    all_years = sorted({year for columns in suffixed.values() for year in columns.values()})
    parts = []
    for criterion in criteria.columns:
        if criterion.id in suffixed:
            columns = list(suffixed[criterion.id].items())
        else:
            columns = [(matches[criterion.id].index, year) for year in all_years]
        for column, year in columns:
            parts.append(
                pd.DataFrame(
                    {
                        SOURCE: body.index,
                        CRITERION: criterion.id,
                        YEAR: year,
                        SEX: _sexes(body, matches),
                        CELL: body[column].to_numpy(dtype=object),
                        HEADER: str(headers[column]).strip(),
                    }
                )
            )
    return Records(pd.concat(parts, ignore_index=True))


def melt_long(
    body: pd.DataFrame,
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
    years: Mapping[int, int],
    headers: list[object],
) -> Records:
    """An indicator column plus a value column or year columns: map indicators to criteria.

    Each criterion takes the rows of the indicator that matches its earliest name, as a
    wide table's criterion takes its column: two criteria on one indicator (Denmark's
    limits and lower limits) both get its rows.
    """
    indicator_cells = body[matches[INDICATOR].index]
    labels = indicator_cells.map(lambda cell: "" if cell is None else str(cell).strip())
    keys = labels.map(header_key)
    taken = indicators_taken(criteria, labels)
    used = keys.isin(set(taken.values())).to_numpy()
    unused = tuple(sorted({label for label in labels[~used] if label}))
    parts = []
    columns: list[tuple[int, object, str]]
    for criterion_id, key in taken.items():
        selected = body[(keys == key).to_numpy()]
        sexes = _sexes(selected, matches)
        if VALUE in matches:
            columns = [(matches[VALUE].index, _years(selected, matches), matches[VALUE].header)]
        else:
            columns = [
                (column, year, str(headers[column]).strip()) for column, year in years.items()
            ]
        parts += [
            pd.DataFrame(
                {
                    SOURCE: selected.index,
                    CRITERION: criterion_id,
                    YEAR: year,
                    SEX: sexes,
                    CELL: selected[column].to_numpy(dtype=object),
                    HEADER: header,
                }
            )
            for column, year, header in columns
        ]
    if not parts:
        return Records(pd.DataFrame(columns=RECORD_COLUMNS), unused)
    return Records(pd.concat(parts, ignore_index=True), unused)


def indicators_taken(criteria: Criteria, labels: pd.Series) -> dict[str, str]:
    """Per criterion, the key of the indicator it reads: its earliest name present. An
    indicator that is a count never serves a rate (:mod:`urbanscreen.counts`)."""
    keys = {header_key(label) for label in labels.unique()}
    counts = {header_key(label) for label in labels.unique() if is_count(label, criteria)}
    roles = measure_roles(criteria)
    taken = {}
    for criterion in criteria.columns:
        present = keys if criterion.unit == "count" else keys - counts
        names = (criterion.id, criterion.label, *roles[criterion.id])
        key = next((k for k in map(header_key, names) if k in present), None)
        if key is not None:
            taken[criterion.id] = key
    return taken


def _years(body: pd.DataFrame, matches: Mapping[str, ColumnMatch]) -> np.ndarray:
    """The year cells as written; :func:`year_of` reads them once rows are known."""
    if YEAR not in matches:
        return np.full(len(body), None, dtype=object)
    return body[matches[YEAR].index].to_numpy(dtype=object)


def _sexes(body: pd.DataFrame, matches: Mapping[str, ColumnMatch]) -> np.ndarray:
    if SEX not in matches:
        return np.full(len(body), TOTAL, dtype=object)
    return body[matches[SEX].index].to_numpy(dtype=object)


def file_headers(raw: RawTable) -> list[object]:
    """The headers a user can see in the file: for PC-Axis its variables, not the contents
    and value columns its flat rows add."""
    if raw.source.format == "px":
        return [d.name for d in raw.dimensions]
    return raw.headers


def layout_of(
    headers: list[object],
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
    years: Mapping[int, int],
    suffixed: Mapping[str, Mapping[int, int]],
    location: Location,
) -> str:
    """ "wide" (a column per criterion), "wide-years" (a column per criterion and year) or
    "long" (an indicator column); else explain what is missing."""
    found = [str(h).strip() for h in headers if is_filled(h)]
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
        hint = message("hint/years-without-indicator")
    raise MissingColumnError(
        message("missing-column", label=_labels_of(missing), found=_listed_headers(found)),
        location=location,
        hint=_count_hint(criterion, found, criteria) or hint,
    )


def _count_hint(criterion: Measure, found: Sequence[str], criteria: Criteria) -> Message | None:
    """Where a rate's column or indicator is missing but its count is there, what to give
    instead: never "rename it", which would screen the count as the rate."""
    if criterion.unit == "count":
        return None
    keys = {header_key(h) for h in criterion.headers}
    counts = [h for h in found if is_count(h, criteria) and header_key(h) in keys]
    if not counts:
        return None
    computed = (
        message(
            "count-hint/the-counts",
            numerator=repr(criterion.numerator.column),
            denominator=repr(criterion.denominator.column),
        )
        if criterion.numerator is not None and criterion.denominator is not None
        else message("count-hint/counts-of", id=repr(criterion.id))
    )
    return message(
        "hint/count-not-rate",
        count=repr(counts[0]),
        column=repr(criterion.column),
        computed=computed,
    )


def _labels_of(missing: Sequence[Measure]) -> str | Message:
    """Every criterion lacking in one message: "'A', nor for 'B', 'C'"."""
    first, *others = (repr(c.label) for c in missing)
    return message("labels/nor", first=first, others=", ".join(others)) if others else first


def _listed_headers(found: list[str]) -> str:
    return ", ".join(repr(shorten(h, 40)) for h in found[:12]) + (" …" if len(found) > 12 else "")


def number_columns_of(
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


def report_unused_indicators(
    records: Records,
    matches: Mapping[str, ColumnMatch],
    criteria: Criteria,
    source: SourceInfo,
    issues: list[Issue],
) -> None:
    present = set(records.frame[CRITERION])
    missing = [c for c in criteria.columns if c.id not in present]
    column: str | None = matches[INDICATOR].header
    if source.format == "px" and column == CONTENTS_HEADER:
        column = None  # the file's CONTENTS: a column of our flat rows, not of the file
    where = Location(file=source.path, sheet=source.sheet, column=column)
    if missing:
        found = ", ".join(repr(shorten(u, 40)) for u in records.unused_indicators[:8])
        raise MissingColumnError(
            message(
                "missing-column/contents" if column is None else "missing-column/indicators",
                label=_labels_of(missing),
                found=found or message("none"),
            ),
            location=where,
            hint=_count_hint(missing[0], records.unused_indicators, criteria)
            or message("hint/indicator-alias", id=repr(missing[0].id)),
        )
    if records.unused_indicators:
        listed = ", ".join(repr(shorten(u, 40)) for u in records.unused_indicators[:MAX_LISTED])
        issues.append(Issue.of(message("unused-indicators", names=listed), where))
