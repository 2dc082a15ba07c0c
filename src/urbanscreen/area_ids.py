"""Each area row's id, name, municipality and municipality code, as text.

Ids come from an id column, the code in a region label, or the names; a municipality code
a workbook stored as a number gets its leading zero back; ids must be unique; an id's level
(DeSO, RegSO, municipality, county, country) is told by the shape of its code
(:mod:`urbanscreen.codes`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from urbanscreen import codes
from urbanscreen.blanks import is_filled, trimmed
from urbanscreen.columns import GROUP_PREFIX, ID, MUNICIPALITY, MUNICIPALITY_CODE, NAME, REGION, ROW
from urbanscreen.errors import DuplicateIdError, Issue, Location, MissingIdError, shorten
from urbanscreen.headers import ColumnMatch
from urbanscreen.messages import MAX_LISTED, Few, Message, message
from urbanscreen.numbers import (
    as_arrow_text,
    as_shared_objects,
    factorized_text,
    is_arrow_text,
    only_text,
)
from urbanscreen.readers import SourceInfo


def _text(cells: pd.Series, *, repeats: bool = False) -> pd.Series:
    """Cells as text: 1480.0 from a workbook becomes "1480", never "1480.0".

    ``repeats``: the column repeats a few values (municipalities), kept as one object each.
    """
    if repeats and is_arrow_text(cells):
        return as_shared_objects(cells, strip=True)
    if only_text(cells):  # a CSV column, or a workbook's code or name column
        stripped = cells.str.strip()
        return stripped.astype(object).where(cells.notna() & (stripped != ""), None)

    def one(cell: object) -> str | None:
        if not is_filled(cell):
            return None
        if isinstance(cell, float) and cell.is_integer():
            return str(int(cell))
        return str(cell).strip()

    return cells.map(one).astype(object)


# A region label: a code, then the name ("1480 Göteborg", "0114A0010 Upplands Väsby").
_CODE_AND_NAME = re.compile(r"^\s*(\d{2,}[A-Za-z0-9_]*)(?:\s+(.*\S))?\s*$")


def _split_region(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """("1480", "Göteborg") from "1480 Göteborg"; a label without a code is a name."""
    found_codes: list[str | None] = []
    names: list[str | None] = []
    for cell in cells:
        if isinstance(cell, float):
            text = "" if np.isnan(cell) else str(int(cell)) if cell.is_integer() else str(cell)
        else:
            text = "" if cell is None else str(cell).strip()
        found = _CODE_AND_NAME.match(text)
        if found:
            found_codes.append(found.group(1))
            names.append(found.group(2))
        else:
            found_codes.append(None)
            names.append(text or None)
    return (
        pd.Series(found_codes, index=cells.index, dtype=object),
        pd.Series(names, index=cells.index, dtype=object),
    )


def areas_of(
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
        region_codes, region_names = _split_region(body[matches[REGION].index])
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
        if role.startswith(GROUP_PREFIX):
            areas[role] = _text(body[matches[role].index], repeats=True)
    if ID in matches and _has_numbers(body[matches[ID].index]):
        issues.append(
            Issue.of(
                message("numeric-ids", column=repr(matches[ID].header)),
                Location(file=source.path, sheet=source.sheet, column=matches[ID].header),
            )
        )
    return areas, id_source


# Municipality code inside area codes: kommun 1480, DeSO 0114A0010, RegSO 1480R045.
def municipality_codes(area_ids: pd.Series) -> pd.Series:
    """The kommunkod inside each Swedish area code, else None."""
    text = as_arrow_text(area_ids)
    # The code is always the first four digits: a match test is far faster than extract.
    swedish = (
        text.str.match(codes.MUNICIPALITY_PREFIX.pattern, case=False).fillna(False).astype(bool)
    )
    return as_shared_objects(text.str.slice(0, 4).where(swedish))


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
    # A few hundred municipalities on 300 000 rows: each distinct code is read, tested and
    # mended once, in one pass over the column that also makes the rows' strings.
    text = cells if is_arrow_text(cells) else _text(cells)
    codes, objects = factorized_text(text, strip=True)
    lost_zero = np.array(
        [isinstance(code, str) and _LOST_ZERO.fullmatch(code) is not None for code in objects],
        dtype=bool,
    )
    if lost_zero.any():
        rows_of = np.bincount(codes[codes >= 0], minlength=len(objects))
        # Codes from this file, in its order: the user sees their own 127 became 0127.
        seen = tuple(dict.fromkeys(objects[lost_zero]))
        examples = Few(tuple(f"{code} → {code.zfill(4)}" for code in seen), limit=3)
        issues.append(
            Issue.of(
                message(
                    "leading-zeros-restored", n=int(rows_of[lost_zero].sum()), examples=examples
                ),
                Location(
                    file=source.path, sheet=source.sheet, column=matches[MUNICIPALITY_CODE].header
                ),
            )
        )
        objects[lost_zero] = [code.zfill(4) for code in objects[lost_zero]]
    return pd.Series(objects[codes], index=cells.index, dtype=object, copy=False)


_LOST_ZERO = re.compile(r"\d{1,3}")


def _id_text(cells: pd.Series) -> pd.Series:
    """Ids as text. A CSV or Parquet column stays Arrow text: a third of the memory of one
    Python string per area, and ids are never missing (refused), so Arrow's NaN for a
    missing value never reaches a result."""
    if not is_arrow_text(cells):
        return _text(cells)
    if trimmed(cells):  # the usual case: no copy of every id
        return cells
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


def check_unique(areas: pd.DataFrame, source: SourceInfo, id_source: Message) -> None:
    if is_arrow_text(areas[ID]):
        ids = pa.chunked_array(pa.array(areas[ID].array))
        if _rising(ids) or _all_distinct(ids):
            return
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


def _rising(ids: pa.ChunkedArray) -> bool:
    """Whether each id sorts (byte by byte) after the one before: then no two are alike.
    Statistics offices publish areas in code order, and comparing neighbours costs a
    hundredth of a hash table of every id; ids in any other order get that table."""
    rising = pc.all(pc.less(ids[:-1], ids[1:]), skip_nulls=False).as_py()
    return rising is True


def _all_distinct(ids: pa.ChunkedArray) -> bool:
    """Whether no two ids are alike. Equal ids have equal keys, so keys that all differ
    settle it; only keys alike (a duplicate, or once in billions two ids whose keys
    collide) need the exact, slower count of distinct ids."""
    keys = _keys(ids)
    if keys is not None:
        keys.sort()
        if bool((keys[1:] != keys[:-1]).all()):
            return True
    # Arrow's hash table of every id (some 300 MB at 3 000 000 areas) lives only here:
    # taken from the system allocator, which gives it back, where Arrow's own pool would
    # keep it for good.
    return len(pc.unique(ids, memory_pool=pa.system_memory_pool())) == len(ids)


# Ids as long as area codes ("0114A0010_DeSO2025") get a key; longer ones go straight
# to the exact count.
_KEYED_BYTES = 32
_MIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)


def _keys(ids: pa.ChunkedArray) -> np.ndarray | None:
    """A 64-bit key per ASCII id, alike for equal ids: its bytes padded with NULs to a
    fixed width, read as 8-byte words and mixed one after another (MurmurHash3's
    finaliser, a bijection, so ids differing in one word never share a key). None for
    ids the padding cannot lay out at one width: non-ASCII or long ones."""
    if len(ids) < 2 or ids.null_count or not pc.all(pc.string_is_ascii(ids)).as_py():
        return None
    longest = pc.max(pc.binary_length(ids)).as_py()
    if longest is None or longest > _KEYED_BYTES:
        return None
    width = max(8, -(-longest // 8) * 8)
    keys = np.empty(len(ids), dtype=np.uint64)
    done = 0
    # A block at a time: the padded copy of every id never exists all at once.
    for chunk in ids.cast(pa.large_string()).chunks:
        keys[done : done + len(chunk)] = _mixed_words(_padded_words(chunk, width))
        done += len(chunk)
    return keys


def _padded_words(ids: pa.LargeStringArray, width: int) -> np.ndarray:
    """Each id's bytes padded with NULs to ``width`` (a multiple of 8), as one row of
    little-endian 8-byte words."""
    if len(ids) == 0:  # an empty block may come without buffers
        return np.zeros((0, width // 8), dtype=np.uint64)
    padded = pc.ascii_rpad(ids, width=width, padding="\0", memory_pool=pa.system_memory_pool())
    _, offsets, data = padded.buffers()
    start = int(np.frombuffer(offsets, dtype=np.int64, count=1, offset=padded.offset * 8)[0])
    words = np.frombuffer(data, dtype="<u8", count=len(padded) * width // 8, offset=start)
    return words.reshape(len(padded), width // 8)


def _mixed_words(words: np.ndarray) -> np.ndarray:
    keys = np.zeros(len(words), dtype=np.uint64)
    for column in range(words.shape[1]):
        keys ^= words[:, column]
        keys ^= keys >> _SHIFT
        keys *= _MIX_1
        keys ^= keys >> _SHIFT
        keys *= _MIX_2
        keys ^= keys >> _SHIFT
    return keys


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
_LEVEL_LENGTHS = pa.array([1, 2, 4, 8, 9, 18], pa.int64())


def area_levels(ids: pd.Series) -> pd.Series:
    """The level of each id as long as a code can be, by the shape of its code (None where
    it has no known shape), indexed by the id's position. Ids of other lengths are left
    out: in a table of other codes, that is every id, and nothing is made for them."""
    text = as_arrow_text(ids).reset_index(drop=True)
    # Lengths first (a quick pass, in Arrow: pandas' would make two more columns of 3 000 000
    # at that scale): each pattern then sees only the ids it could match.
    lengths = pc.utf8_length(pa.chunked_array(pa.array(text.array)))
    fits = pc.is_in(lengths, value_set=_LEVEL_LENGTHS)
    left = text[fits.to_numpy(zero_copy_only=False).astype(bool)]
    levels = pd.Series(None, index=left.index, dtype=object)
    for level, pattern in _LEVELS.items():
        if left.empty:
            break
        hits = left.str.fullmatch(pattern.pattern, case=False).fillna(False).astype(bool)
        levels[hits.index[hits.to_numpy()]] = level
        left = left[~hits]
    return levels
