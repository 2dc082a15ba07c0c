"""How a table is laid out, and its cells as long records: area x criterion x year x sex.

Analysts get tables in three shapes, all read here into the same records:

* wide: one column per criterion (``Förvärvsfrekvens``, ``Folkmängd``), optionally with a
  year and/or a sex column, so an area may span several rows;
* long: an indicator column (``tabellinnehåll``) naming the criterion, and the number in a
  value column (``värde``) or in one column per year (``"2011"``, ``"2012"``), as PxWeb,
  Kolada and PC-Axis export;
* region labels holding code and name together (``1480 Göteborg``), split here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from urbanscreen import codes
from urbanscreen.counts import is_count, measure_roles
from urbanscreen.criteria.model import Criteria
from urbanscreen.headers import ColumnMatch, header_key, split_year
from urbanscreen.numbers import as_arrow_text, as_shared_objects

YEAR, SEX, INDICATOR, VALUE, REGION = "year", "sex", "indicator", "value", "region"
YEAR_HEADERS = ("år", "ar", "year", "period", "tid", "time", "årtal", "aar")
SEX_HEADERS = ("kön", "kon", "sex", "gender")
INDICATOR_HEADERS = (
    "tabellinnehåll",
    "tabellinnehall",
    "indikator",
    "indicator",
    "nyckeltal",
    "kpi",
    "kpi namn",
    "variabel",
    "mått",
    "measure",
    "contents",
    "nøgletal",
    "noegletal",
    "indhold",
)
VALUE_HEADERS = (
    "värde",
    "varde",
    "value",
    "values",
    "observation",
    "obs value",
    "værdi",
    "vaerdi",
)
REGION_HEADERS = ("region", "regionnamn", "region name", "geography", "geografi")
LAYOUT_ROLES = {
    YEAR: YEAR_HEADERS,
    SEX: SEX_HEADERS,
    INDICATOR: INDICATOR_HEADERS,
    VALUE: VALUE_HEADERS,
    REGION: REGION_HEADERS,
}

TOTAL, WOMEN, MEN = "total", "women", "men"
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
_CODE_AND_NAME = re.compile(r"^\s*(\d{2,}[A-Za-z0-9_]*)(?:\s+(.*\S))?\s*$")
# Municipality code inside area codes: kommun 1480, DeSO 0114A0010, RegSO 1480R045.


@dataclass(frozen=True)
class Records:
    """Long records: the body row they came from, the criterion, year, sex and raw cell."""

    frame: pd.DataFrame  # columns: source, criterion, year, sex, cell, header
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


def split_region(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """("1480", "Göteborg") from "1480 Göteborg"; a label without a code is a name."""
    codes: list[str | None] = []
    names: list[str | None] = []
    for cell in cells:
        if isinstance(cell, float):
            text = "" if np.isnan(cell) else str(int(cell)) if cell.is_integer() else str(cell)
        else:
            text = "" if cell is None else str(cell).strip()
        found = _CODE_AND_NAME.match(text)
        if found:
            codes.append(found.group(1))
            names.append(found.group(2))
        else:
            codes.append(None)
            names.append(text or None)
    return (
        pd.Series(codes, index=cells.index, dtype=object),
        pd.Series(names, index=cells.index, dtype=object),
    )


def municipality_codes(area_ids: pd.Series) -> pd.Series:
    """The kommunkod inside each Swedish area code, else None."""
    text = as_arrow_text(area_ids)
    # The code is always the first four digits: a match test is far faster than extract.
    swedish = (
        text.str.match(codes.MUNICIPALITY_PREFIX.pattern, case=False).fillna(False).astype(bool)
    )
    return as_shared_objects(text.str.slice(0, 4).where(swedish))


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
                    "source": body.index,
                    "criterion": criterion.id,
                    "year": _years(body, matches),
                    "sex": _sexes(body, matches),
                    "cell": body[match.index].to_numpy(dtype=object),
                    "header": match.header,
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
                        "source": body.index,
                        "criterion": criterion.id,
                        "year": year,
                        "sex": _sexes(body, matches),
                        "cell": body[column].to_numpy(dtype=object),
                        "header": str(headers[column]).strip(),
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
                    "source": selected.index,
                    "criterion": criterion_id,
                    "year": year,
                    "sex": sexes,
                    "cell": selected[column].to_numpy(dtype=object),
                    "header": header,
                }
            )
            for column, year, header in columns
        ]
    if not parts:
        names = ["source", "criterion", "year", "sex", "cell", "header"]
        return Records(pd.DataFrame(columns=names), unused)
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
