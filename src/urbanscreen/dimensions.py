"""The dimensions of a long table, and how each breakdown is resolved before screening.

Every dimension of a table (a PC-Axis variable, a column of a PxWeb CSV) is the area,
the year, sex or the indicator, or else a breakdown: age, marital status, a unit. A
breakdown must be resolved, and how is always said:

* the value the user picks with ``--where DIM=VALUE``;
* its only value, when the table has one (a filter: "screening age = 28");
* its total: PC-Axis ``ELIMINATION("dim")="value"``, or a value named like a total;
* a sum over its values, for counts, where PC-Axis says ``ELIMINATION("dim")=YES``.

Otherwise the table is refused, naming the dimension, its values and the ``--where``
that picks one: screening 38-year-olds as "the population" is the worst error a
reader can make. The same option serves ``check`` and ``diff``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Literal

import numpy as np
import pandas as pd

from urbanscreen.columns import CELL, VALUE
from urbanscreen.errors import Issue, Location, OptionError, UrbanscreenError, shorten
from urbanscreen.headers import header_key
from urbanscreen.messages import Few, Message, message
from urbanscreen.readers import RawTable, SourceInfo

SHOWN_VALUES = 6
_TOTALS = {
    "total",
    "totalt",
    "totals",
    "samtliga",
    "alla",
    "all",
    "both sexes",
    "båda könen",
    "summa",
    "sum",
    "i alt",
    "yhteensä",
}
# "Totalt alla åldrar", "All ages", "Varer i alt", "Alle transportmåter", "0-9 Total".
_TOTAL_WORDS = re.compile(
    r"^(?:totalt?|samtliga|alla|all|alle)\b|\b(?:total|totalt|i alt|yhteensä)$", re.IGNORECASE
)


class UnresolvedBreakdownError(UrbanscreenError):
    """The table is broken down by a dimension the screening cannot leave out."""

    code = "unresolved-breakdown"


@dataclass(frozen=True)
class Dimension:
    """A variable as the publisher declared it (PC-Axis STUB and HEADING)."""

    name: str
    column: int
    values: tuple[str, ...]
    codes: tuple[str, ...] = ()
    # ELIMINATION("dim")="value": the value that is the total over the dimension.
    total: str | None = None
    # ELIMINATION("dim")=YES: leaving the dimension out means summing over it.
    summable: bool = False


Resolved = Literal["where", "only", "total", "sum"]


@dataclass(frozen=True)
class Breakdown:
    """How one breakdown was resolved: a value picked with ``--where``, the table's only
    value, its total, or a sum over its values (``value`` None)."""

    dimension: str
    how: Resolved
    value: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"dimension": self.dimension, "resolved": self.how, "value": self.value}


@dataclass(frozen=True)
class Resolution:
    """Which body rows to keep, and what was decided for each breakdown."""

    keep: np.ndarray
    breakdowns: tuple[Breakdown, ...] = ()
    # A breakdown left for the user to pick, said once the criteria are known to be there.
    refusal: UnresolvedBreakdownError | None = None

    @property
    def summed(self) -> bool:
        return any(b.how == "sum" for b in self.breakdowns)

    def refuse(self) -> None:
        """Raise the refusal :func:`resolve` deferred, if any."""
        if self.refusal is not None:
            raise self.refusal


def parse_where(options: Sequence[str]) -> dict[str, str]:
    """``["age=28", "marital status=single"]`` -> {"age": "28", ...}; bad forms exit 2."""
    where: dict[str, str] = {}
    for option in options:
        name, equals, value = option.partition("=")
        if not equals or not name.strip() or not value.strip():
            raise OptionError(
                f"--where {option!r} is not DIM=VALUE",
                hint="write --where 'marital status=single' (quote it when it has spaces)",
            )
        if name.strip() in where:
            raise OptionError(
                f"--where names {name.strip()!r} twice",
                hint="a breakdown is screened at one value: give one --where per dimension",
            )
        where[name.strip()] = value.strip()
    return where


def is_total(value: str) -> bool:
    """Whether a value is named like the total over its dimension."""
    text = " ".join(value.split()).casefold()
    return text in _TOTALS or bool(_TOTAL_WORDS.search(text))


@dataclass(frozen=True)
class TableShape:
    """What the resolution needs to know of a table besides its cells."""

    headers: list[object]
    # Columns that play a role (area, year, sex, indicator, values), by role.
    roles: Mapping[int, str]
    # Cells that identify one figure: area id, year, sex, indicator (aligned with body).
    keys: Sequence[pd.Series]
    declared: Sequence[Dimension]
    location: Location
    counts_only: bool
    source: SourceInfo
    # A long table names its criteria in rows: whether they are all there is known only
    # later, and a missing criterion is said before a breakdown to pick.
    defer: bool = False


def resolve(body: pd.DataFrame, shape: TableShape, where: Mapping[str, str]) -> Resolution:
    """Resolve every breakdown of ``body``; raises when one is left for the user to pick."""
    keep = np.ones(len(body), dtype=bool)
    breakdowns: list[Breakdown] = []
    candidates = _candidates(shape)
    if not candidates and not where:
        return Resolution(keep)  # every column plays a role: the common case, at no cost
    picked: set[int] = set()
    for name, wanted in where.items():
        column, dimension = _find(name, shape, candidates)
        cells = _cells(body[column])
        value = _value(wanted, cells, dimension, name, shape.location)
        keep &= (cells == value).to_numpy(dtype=bool)
        picked.add(column)
        breakdowns.append(Breakdown(_name(shape, column), "where", value))
    unresolved: list[tuple[str, list[str], bool]] = []
    # A file that declares no dimensions: its other columns matter only if figures repeat.
    repeats = bool(shape.declared) or _repeats(shape.keys, keep)
    for column, dimension in candidates.items():
        if column in picked or not repeats:
            continue
        cells = _cells(body[column])[keep]
        values = list(dict.fromkeys(cells))
        name = _name(shape, column)
        if dimension is None and not _splits(cells, shape.keys, keep):
            continue  # a column of a CSV that is constant per area: not a breakdown
        if len(values) == 1:
            how: Resolved = "total" if _is_total_of(values[0], dimension) else "only"
            breakdowns.append(Breakdown(name, how, values[0]))
            continue
        total = _total(values, dimension)
        narrowed = keep & (_cells(body[column]) == total).to_numpy(dtype=bool)
        if total is not None and _same_areas(shape.keys[0], keep, narrowed):
            keep = narrowed
            breakdowns.append(Breakdown(name, "total", total))
        elif dimension is not None and dimension.summable and shape.counts_only:
            breakdowns.append(Breakdown(name, "sum"))
        else:
            unresolved.append((name, values, dimension is not None and dimension.summable))
    refusal = _refusal(unresolved, shape) if unresolved else None
    if refusal is not None and not shape.defer:
        raise refusal
    return Resolution(keep, tuple(breakdowns), refusal)


def issues_of(resolution: Resolution, location: Location) -> list[Issue]:
    """The notes that say how the breakdowns were resolved."""
    issues: list[Issue] = []
    filters = [b for b in resolution.breakdowns if b.how in ("where", "only")]
    if filters:
        said = ", ".join(f"{b.dimension} = {b.value}" for b in filters)
        unasked = [b.dimension for b in filters if b.how == "only"]
        why = f" ({', '.join(unasked)}: the table's only value, not a total)" if unasked else ""
        level = "warning" if unasked else "info"
        issues.append(Issue("breakdown-filter", f"screening {said}{why}", location, level))
    totals = [b for b in resolution.breakdowns if b.how == "total"]
    if totals:
        said = ", ".join(f"{b.dimension} = {b.value}" for b in totals)
        issues.append(Issue("breakdown-total", f"using the totals {said}", location, "info"))
    summed = [b.dimension for b in resolution.breakdowns if b.how == "sum"]
    if summed:
        issues.append(
            Issue(
                "breakdown-summed",
                f"counts summed over {', '.join(summed)} (the file allows leaving them out: "
                "ELIMINATION=YES)",
                location,
                "info",
            )
        )
    return issues


def sum_over_breakdowns(long: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """One record per ``keys``: values summed, unknown where any part is unknown."""
    grouped = long.groupby(keys, sort=False, dropna=False)
    first = grouped.first().reset_index()
    total = grouped[VALUE].sum(min_count=1).to_numpy()
    unknown = grouped[VALUE].apply(lambda part: bool(part.isna().any())).to_numpy(dtype=bool)
    first[VALUE] = np.where(unknown, np.nan, total)
    return first


@contextmanager
def cells_named_by_values(raw: RawTable) -> Iterator[None]:
    """A PX file has no rows a user can find: an error about one names its cell by its
    values ("region 0114 Upplands Väsby, age 0, period 2005") instead of a row number."""
    try:
        yield
    except UrbanscreenError as exc:
        row = exc.location.row
        if not raw.dimensions or row is None or not 0 <= row - raw.first_row < len(raw.body):
            raise
        label = raw.body.index[row - raw.first_row]
        detail = f" (cell: {describe_cell(raw.body, label, raw.dimensions)})"
        exc.message += detail
        exc.detail += detail
        named = {d.name for d in raw.dimensions}
        column = exc.location.column if exc.location.column in named else None
        exc.location = replace(exc.location, row=None, column=column)
        raise


def describe_cell(body: pd.DataFrame, label: object, declared: Sequence[Dimension]) -> str:
    """A PX cell by its values: "region 0114 Upplands Väsby, sex women, period 2005"."""
    row = body.iloc[int(np.flatnonzero(body.index == label)[0])]
    return ", ".join(f"{d.name} {shorten(row[d.column], 40)}" for d in declared if d.column in body)


# -- helpers --------------------------------------------------------------------------------


def _candidates(shape: TableShape) -> dict[int, Dimension | None]:
    """Breakdown columns: declared variables without a role; for files that declare none,
    every other headed column (kept only where it splits an area's figure)."""
    if shape.declared:
        return {d.column: d for d in shape.declared if d.column not in shape.roles}
    return {
        index: None
        for index, header in enumerate(shape.headers)
        if index not in shape.roles and header is not None and str(header).strip()
    }


def _name(shape: TableShape, column: int) -> str:
    return str(shape.headers[column]).strip()


def _cells(cells: pd.Series) -> pd.Series:
    return cells.map(lambda cell: "" if cell is None else str(cell).strip()).astype(object)


def _find(
    name: str, shape: TableShape, candidates: Mapping[int, object]
) -> tuple[int, Dimension | None]:
    key = header_key(name)
    found = [i for i, header in enumerate(shape.headers) if header_key(header) == key]
    if not found:
        listed = ", ".join(repr(_name(shape, i)) for i in candidates) or "none"
        raise OptionError(
            f"--where {name!r}: the table has no such dimension; its breakdowns: {listed}",
            location=shape.location,
            hint="name one of its breakdowns as the file writes it",
        )
    column = found[0]
    if column in shape.roles:
        role = shape.roles[column]
        hint = "pick a year with --year" if role == "year" else "--where picks among breakdowns"
        raise OptionError(
            f"--where {name!r}: that column is read as the {role}, not a breakdown",
            location=shape.location,
            hint=hint,
        )
    declared = next((d for d in shape.declared if d.column == column), None)
    return column, declared


def _value(
    wanted: str, cells: pd.Series, dimension: Dimension | None, name: str, location: Location
) -> str:
    """The cell value ``wanted`` names: as written, without case and spacing, or its PX code."""
    values = list(dict.fromkeys(cells))
    if wanted in values:
        return wanted
    key = header_key(wanted)
    for value in values:
        if header_key(value) == key:
            return str(value)
    if dimension is not None and wanted in dimension.codes:
        label = dimension.values[dimension.codes.index(wanted)]
        if label in values:
            return label
    raise OptionError(
        f"--where {name}={wanted!r}: no such value; values: {_listed(values)}",
        location=location,
        hint=f"pick one of them, such as --where '{name}={values[0] if values else ''}'",
    )


def _is_total_of(value: str, dimension: Dimension | None) -> bool:
    if dimension is not None and dimension.total is not None:
        return value == dimension.total
    return is_total(value)


def _total(values: list[str], dimension: Dimension | None) -> str | None:
    if dimension is not None and dimension.total in values:
        return dimension.total
    named = [value for value in values if is_total(value)]
    return named[0] if len(named) == 1 else None


def _same_areas(areas: pd.Series, before: np.ndarray, after: np.ndarray) -> bool:
    """Whether every area keeps a row: a total only some areas have is no total."""
    return set(areas[before]) == set(areas[after])


def _key_frame(keys: Sequence[pd.Series], keep: np.ndarray) -> pd.DataFrame:
    return pd.DataFrame({f"k{i}": key[keep].to_numpy() for i, key in enumerate(keys)})


def _repeats(keys: Sequence[pd.Series], keep: np.ndarray) -> bool:
    """Whether one figure (area, year, sex, indicator) occurs on more than one row."""
    if len(keys) == 1:  # a wide table's ids: one column, no frame to build
        return bool(keys[0][keep].duplicated().any())
    frame = _key_frame(keys, keep)
    return not frame.empty and bool(frame.duplicated().any())


def _splits(cells: pd.Series, keys: Sequence[pd.Series], keep: np.ndarray) -> bool:
    """Whether a column takes two values for one figure (area, year, sex, indicator)."""
    frame = _key_frame(keys, keep)
    frame[CELL] = cells.to_numpy()
    return bool((frame.groupby(list(frame.columns[:-1]), dropna=False)[CELL].nunique() > 1).any())


def _listed(values: Sequence[str]) -> str | Message:
    shown = ", ".join(shorten(v, 30) for v in values[:SHOWN_VALUES])
    if len(values) > SHOWN_VALUES:
        return message("values-more", shown=shown, n=len(values))
    return shown


def _refusal(
    unresolved: list[tuple[str, list[str], bool]], shape: TableShape
) -> UnresolvedBreakdownError:
    described = Few(
        tuple(
            message("breakdown-values", name=repr(name), values=_listed(values))
            for name, values, _ in unresolved
        ),
        limit=len(unresolved),
        separator="and",
    )
    picks = " ".join(
        f"--where '{name}={next((v for v in values if not is_total(v)), values[0])}'"
        for name, values, _ in unresolved
    )
    summable = [name for name, _, can_sum in unresolved if can_sum]
    return UnresolvedBreakdownError(
        message("unresolved-breakdown/summable", breakdowns=described, summable=", ".join(summable))
        if summable
        else message("unresolved-breakdown", breakdowns=described),
        location=shape.location,
        hint=message("hint/unresolved-breakdown", picks=picks),
    )
