"""Which column plays which role: the header row, and the id, name, municipality,
layout and criterion columns found in it.

Roles are matched by their aliases (:mod:`urbanscreen.headers`); a criteria file adds its
own names for the id and name columns, and names the groups its references are computed
within. Two look-alike headers for one role are a user error that says how to pick one.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from urbanscreen.area_rows import reads_like_note
from urbanscreen.blanks import filled_cells, filled_mask, is_filled
from urbanscreen.codes import AREA_CODE
from urbanscreen.codes import MUNICIPALITY as MUNICIPALITY_SHAPE
from urbanscreen.columns import (
    BUILT_IN_GROUPS,
    ID,
    INDICATOR,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    NAME,
    REGION,
    SEX,
    VALUE,
    YEAR,
    group_column,
)
from urbanscreen.counts import measure_roles, rate_roles
from urbanscreen.criteria.model import Criteria, Statistic
from urbanscreen.errors import AmbiguousColumnError, Location, MissingColumnError
from urbanscreen.headers import (
    ID_HEADERS,
    INDICATOR_HEADERS,
    MUNICIPALITY_CODE_HEADERS,
    MUNICIPALITY_HEADERS,
    NAME_HEADERS,
    REGION_HEADERS,
    SEX_HEADERS,
    VALUE_HEADERS,
    YEAR_HEADERS,
    AmbiguousHeaders,
    ColumnMatch,
    header_key,
    match_columns,
)
from urbanscreen.messages import message
from urbanscreen.numbers import as_arrow_text
from urbanscreen.readers import RawTable

AREA_ROLES: dict[str, Sequence[str]] = {
    ID: ID_HEADERS,
    NAME: NAME_HEADERS,
    MUNICIPALITY: MUNICIPALITY_HEADERS,
    MUNICIPALITY_CODE: MUNICIPALITY_CODE_HEADERS,
    YEAR: YEAR_HEADERS,
    SEX: SEX_HEADERS,
    INDICATOR: INDICATOR_HEADERS,
    VALUE: VALUE_HEADERS,
    REGION: REGION_HEADERS,
}


def roles_of(criteria: Criteria) -> dict[str, Sequence[str]]:
    groups = {
        group_column(name): [name] for name in _groupings(criteria) if name not in BUILT_IN_GROUPS
    }
    scheme = criteria.scheme
    areas = {
        **AREA_ROLES,
        ID: [*scheme.id_columns, *ID_HEADERS],
        NAME: [*scheme.name_columns, *NAME_HEADERS],
    }
    return {**areas, **measure_roles(criteria), **groups}


def _groupings(criteria: Criteria) -> list[str]:
    """The columns references are computed within (a region, a county)."""
    return sorted(
        {r.within for r in criteria.references.values() if isinstance(r, Statistic) and r.within}
    )


def groups_present(
    criteria: Criteria, matches: Mapping[str, ColumnMatch], location: Location
) -> None:
    for name in _groupings(criteria):
        if name not in BUILT_IN_GROUPS and group_column(name) not in matches:
            raise MissingColumnError(
                message("missing-column/group", name=repr(name)),
                location=location,
                hint=message("hint/group-column", name=repr(name)),
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
        if any(is_filled(cell) for cell in row):
            return index, 0
    return 0, 0


def match_criteria(
    headers: list[object], criteria: Criteria, location: Location
) -> dict[str, ColumnMatch]:
    return match_roles(headers, roles_of(criteria), location, rate_roles(criteria))


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
        raise ambiguous(exc, location) from exc


def ambiguous(exc: AmbiguousHeaders, location: Location) -> AmbiguousColumnError:
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


def with_names_not_codes(
    matches: dict[str, ColumnMatch], raw: RawTable, criteria: Criteria
) -> dict[str, ColumnMatch]:
    """Names from a column of names, and ids from a column of area codes, where a table has
    both under headers of the name.

    "Område" comes before "Namn" among the name's headers, but a table may hold the codes
    under "Område" (``0180C1020``) and the names under "Namn": then "Namn" gives the names,
    and "Område" the ids unless a column is headed as the id, or an area with a name has no
    code (a total, "Summa": then the ids are made as if there were no codes). Municipality
    codes beside several names ("0180" beside "Rinkeby" and "Tensta") are the areas'
    municipality code instead. Names a criteria file gives, where the table has them, and
    roles a format fixes stay as they are; so does a table with one name column, or one of
    numbers. An empty column under a name header (a template's "Stadsdel" left blank) gives
    way to one that holds something; so does one that holds only cells alone on their rows
    (a note under the table, headings), and one of numbers beside one of words."""
    name = matches.get(NAME)
    if name is None or raw.roles or _named_by_scheme(raw.headers, criteria):
        return matches
    claimed = {match.index for match in matches.values()} - {name.index}
    candidates = [i for i in _name_columns(raw.headers) if i not in claimed]
    if len(candidates) < 2:
        return matches
    filled = {i: filled_cells(raw.body[i]) for i in candidates if i in raw.body.columns}
    present = [i for i in candidates if i in filled and filled[i].any()]
    # A note under the table ("Källa: SCB", in column A, under the blank "Stadsdel") or a
    # heading fills a row alone: a column filled only so names nothing beside one that does.
    present = [i for i in present if not _alone(raw.body, filled, i, present)] or present
    if present and name.index not in present:
        matches = {**matches, NAME: _match(raw, present[0])}
    if len(present) < 2:
        return matches
    # The rows where each of them is filled: a note ("Källa: SCB") or a total without a code
    # says nothing of what a column holds.
    rows = np.logical_and.reduce([filled[i] for i in present])
    shares = {i: _share(raw.body[i][rows], AREA_CODE.pattern) for i in present}
    letters = {i: _share(raw.body[i][rows], _LETTER) for i in present}
    codes = [i for i in present if shares[i] >= 0.9]
    # Names are words: a column of numbers ("Area", square kilometres) names nothing.
    names = [i for i in present if shares[i] < 0.5 and letters[i] >= 0.5]
    if not names:
        return matches
    if not codes:
        # Numbers ranked first ("Area" before "Area name") give way to the words.
        wordless = letters[matches[NAME].index] < 0.5
        return {**matches, NAME: _match(raw, names[0])} if wordless else matches
    revised = {**matches, NAME: _match(raw, names[0])}
    if _municipalities(raw.body[codes[0]][rows], raw.body[names[0]][rows]):
        if MUNICIPALITY_CODE not in matches:
            revised[MUNICIPALITY_CODE] = _match(raw, codes[0])
    elif ID not in matches and _coded_beside(raw.body, codes[0], names[0]):
        revised[ID] = _match(raw, codes[0])
    return revised


def _named_by_scheme(headers: Sequence[object], criteria: Criteria) -> bool:
    """Whether a name column the criteria file gives is in ``headers``: one it gives that
    this table lacks leaves the name to the built-in headers, and so to what they hold."""
    names = criteria.scheme.name_columns
    return bool(names) and NAME in match_columns(headers, {NAME: names})


def _alone(
    body: pd.DataFrame, filled: Mapping[int, np.ndarray], column: int, present: Sequence[int]
) -> bool:
    """Whether each cell ``column`` fills is the only filled cell of its row (a note under
    the table, a heading). A cell beside another name column's is not: most tables say so
    without a look at their other columns."""
    others = [filled[i] for i in present if i != column]
    if not others or (filled[column] & np.logical_or.reduce(others)).any():
        return False
    return bool((_filled_per_row(body.iloc[np.flatnonzero(filled[column])]) <= 1).all())


def _municipalities(codes: pd.Series, names: pd.Series) -> bool:
    """Whether ``codes`` are municipality codes, one of them beside two names ("0180" beside
    "Rinkeby" and "Tensta"): each area's municipality, not its own code."""
    if _share(codes, MUNICIPALITY_SHAPE.pattern) < 0.9:
        return False
    cells = [as_arrow_text(column).str.strip() for column in (codes, names)]
    pairs = pd.concat(cells, axis=1, ignore_index=True).drop_duplicates()
    return bool(pairs[0].duplicated().any())


def _coded_beside(body: pd.DataFrame, codes: int, names: int) -> bool:
    """Whether every area with a name in ``names`` has a code in ``codes``.

    A note under the table ("Källa: SCB", in the names' column where that is column A) is
    no area: a named row without a code is one inside the table, or below it unless it
    fills that one cell and lies after a blank row or reads like a note, as
    :func:`~urbanscreen.area_rows.area_rows` tells notes."""
    if codes not in body.columns or names not in body.columns:
        return False
    coded = filled_cells(body[codes])
    uncoded = filled_cells(body[names]) & ~coded
    if not uncoded.any():
        return True
    last = int(np.flatnonzero(coded)[-1]) if coded.any() else -1
    below = body.iloc[last + 1 :]
    filled = _filled_per_row(below)
    named = uncoded[last + 1 :]
    if uncoded[: last + 1].any() or (filled[named] > 1).any():
        return False
    blank = np.flatnonzero(filled == 0)
    above_blank = np.flatnonzero(named[: blank[0] if len(blank) else len(below)])
    return all(reads_like_note(below.iloc[int(row)].tolist()) for row in above_blank)


def _filled_per_row(body: pd.DataFrame) -> np.ndarray:
    """How many cells each row fills."""
    counts: np.ndarray = filled_mask(body).to_numpy(dtype=int).sum(axis=1)
    return counts


def _match(raw: RawTable, index: int) -> ColumnMatch:
    return ColumnMatch(index, str(raw.headers[index]).strip())


def _name_columns(headers: Sequence[object]) -> list[int]:
    """The columns a built-in header of the name matches, in the headers' order of rank."""
    keys = [header_key(header) if is_filled(header) else "" for header in headers]
    found: list[int] = []
    for alias in NAME_HEADERS:
        found += [i for i, key in enumerate(keys) if key == header_key(alias) and i not in found]
    return found


_LETTER = r"\pL"


def _share(cells: pd.Series, pattern: str) -> float:
    """The share of ``cells``, as trimmed text, that ``pattern`` (RE2, any case) finds
    something in (0 of none)."""
    if cells.empty:
        return 0.0
    # In Arrow, all at once: this runs on every load with two name headers, at any size.
    text = pc.utf8_trim_whitespace(pa.chunked_array(pa.array(as_arrow_text(cells).array)))
    hits = pc.match_substring_regex(text, pattern, ignore_case=True)
    return float(pc.sum(hits).as_py() or 0) / len(cells)


def with_fixed_roles(matches: dict[str, ColumnMatch], raw: RawTable) -> dict[str, ColumnMatch]:
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
