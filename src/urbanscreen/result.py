"""The outcome of a screen: per area and criterion a value, a verdict and a margin.

``met`` and ``qualifies`` are three-valued: True, False, or None when a missing value
leaves the answer open.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

import numpy as np
import pandas as pd
import pyarrow as pa
from pandas.api.extensions import ExtensionArray

from urbanscreen.columns import (
    AREAS,
    HIGH,
    ID,
    LOW,
    MEN,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    NAME,
    NODE_PREFIX,
    QUALIFIES,
    ROW,
    UNCERTAIN,
    WOMEN,
    bound_column,
    denominator_column,
    margin_column,
    met_column,
    numerator_column,
    outcome_column,
    sex_column,
    threshold_column,
    tier_column,
)
from urbanscreen.criteria.model import Criteria, Criterion
from urbanscreen.errors import Issue
from urbanscreen.messages import Message
from urbanscreen.table import Table


# Not frozen: a frozen dataclass sets each field through object.__setattr__, and results
# of 300 000 areas build millions of these.
@dataclass(slots=True)
class Check:
    """One criterion applied to one area."""

    criterion: Criterion
    value: float | None
    met: bool | None
    margin: float | None
    threshold: float | None = None  # as resolved for this area (relative thresholds vary)
    women: float | None = None
    men: float | None = None
    low: float | None = None  # where the value is missing but known to lie in [low, high]
    high: float | None = None
    numerator: float | None = None  # summed over a district's small areas
    denominator: float | None = None

    @property
    def gap(self) -> float | None:
        """Women's value minus men's, where the data carry both."""
        return sex_gap(self.women, self.men)


def sex_gap(women: float | None, men: float | None) -> float | None:
    """Women's value minus men's, where both are known."""
    if women is None or men is None:
        return None
    return round(women - men, 9)


@dataclass(slots=True)
class District:
    """One area's answer, with every check that led to it."""

    id: str
    name: str | None
    municipality: str | None
    municipality_code: str | None
    row: int
    qualifies: bool | None
    checks: list[Check]
    uncertain: bool | None = None  # few residents: shares unreliable (None: population unknown)
    outcomes: dict[str, bool | None] = field(default_factory=dict)
    areas: list[str] = field(default_factory=list)  # small areas a district is built from
    indices: dict[str, float | None] = field(default_factory=dict)
    tiers: dict[str, str | None] = field(default_factory=dict)
    # The engine's value of every composite rule node below a root, by path.
    nodes: dict[str, bool | None] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    districts: int
    qualifying: int
    not_qualifying: int
    unknown: int


DISTRICTS_AT_ONCE = 10_000
# A workbook lists every area up to this many; beyond, the areas that matter (CSV and
# JSON always carry every area).
MAX_WORKBOOK_AREAS = 20_000
# Rows worked on at once where a pass over every area needs only a few of them or a few
# numbers per block: small enough to stay in cache, and no array as large as a column.
BLOCK = 1 << 16


def _smallest(values: np.ndarray, count: int) -> np.ndarray:
    """Positions of the ``count`` smallest values, ties and NaN (last) as a stable sort
    orders them; a partial sort first, since only a few of 300 000 are wanted."""
    if len(values) <= count:
        return np.argsort(values, kind="stable")
    cutoff = np.partition(values, count - 1)[count - 1]
    if np.isnan(cutoff):  # fewer than ``count`` known: NaN ones fill up, in order
        return np.argsort(values, kind="stable")[:count]
    candidates = np.flatnonzero(values <= cutoff)
    return candidates[np.argsort(values[candidates], kind="stable")][:count]


def _outcomes(qualifies: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which areas qualify, which are undecided and which are the others."""
    yes = qualifies.to_numpy(dtype=bool, na_value=False)
    open_ = qualifies.isna().to_numpy()
    return yes, open_, ~(yes | open_)


def result_order(qualifies: pd.Series, block: int = BLOCK) -> np.ndarray:
    """Positions of the areas in result order: the qualifying ones, then the undecided,
    then the others, each in the table's order (a stable sort by outcome)."""
    yes, open_, others = _outcomes(qualifies)
    order = np.empty(len(yes), dtype=np.intp)
    first = np.concatenate([np.flatnonzero(yes), np.flatnonzero(open_)])
    order[: len(first)] = first
    filled = len(first)
    # The others, most of the areas, a block at a time: no second array of every position.
    for start in range(0, len(others), block):
        rows = np.flatnonzero(others[start : start + block])
        order[filled : filled + len(rows)] = rows + start
        filled += len(rows)
    return order


def rows_in_order(qualifies: pd.Series, positions: np.ndarray, block: int = BLOCK) -> np.ndarray:
    """``result_order(qualifies)[positions]``, without the position of every area: the
    area at a place in the result is the n-th area of its outcome, found by counting that
    outcome's areas a block at a time and listing them only in the blocks that hold one."""
    yes, open_, others = _outcomes(qualifies)
    # As indexing the whole order would: a place from the end is negative, one past the end
    # is refused (not left as whatever the array below held).
    outside = (positions < -len(yes)) | (positions >= len(yes))
    if outside.any():
        place = int(positions[outside][0])
        raise IndexError(f"place {place} is out of bounds for a result of {len(yes)} areas")
    positions = np.where(positions < 0, positions + len(yes), positions)
    rows = np.empty(len(positions), dtype=np.intp)
    before = 0  # places taken by the outcomes before
    for areas in (yes, open_, others):
        # Counted block by block: a sum of booleans as integers would cast all of them first.
        counts = np.array(
            [
                np.count_nonzero(areas[start : start + block])
                for start in range(0, len(areas), block)
            ],
            dtype=np.intp,
        )
        ends = np.cumsum(counts)  # areas of this outcome up to each block's end
        wanted = (positions >= before) & (positions < before + (ends[-1] if len(ends) else 0))
        ranks = positions[wanted] - before
        blocks = np.searchsorted(ends, ranks, side="right")
        found = np.empty(len(ranks), dtype=np.intp)
        for number in np.unique(blocks):
            start = number * block
            listed = np.flatnonzero(areas[start : start + block]) + start
            here = blocks == number
            found[here] = listed[ranks[here] - (ends[number] - counts[number])]
        rows[wanted] = found
        before += int(ends[-1]) if len(ends) else 0
    return rows


def _nearest(
    margins: list[np.ndarray], among: np.ndarray, count: int, block: int = BLOCK
) -> np.ndarray:
    """Among the rows where ``among`` holds, counted from 0, the ``count`` nearest a
    threshold (the smallest of their margins' absolute values), ascending.

    A block of rows at a time: no array as large as a column is made. The rows found so
    far are the nearest of all up to there, ties in row order; a later row can only join
    them by lying strictly nearer than the farthest of them."""
    rows = np.arange(0)
    if count < 1:  # none wanted (the farthest of none kept would be no number)
        return rows
    distances = np.arange(0, dtype=np.float64)
    passed = 0  # rows of ``among`` in the blocks before
    for start in range(0, len(among), block):
        stop = start + block
        nearest = np.abs(margins[0][start:stop])
        for margin in margins[1:]:
            np.fmin(nearest, np.abs(margin[start:stop]), out=nearest)
        nearest = nearest[among[start:stop]]
        # NaN sorts last: while fewer than ``count`` are kept, or one of them is NaN, any
        # row may still join them.
        farthest = distances.max() if len(rows) >= count else np.nan
        found = (
            np.arange(len(nearest)) if np.isnan(farthest) else np.flatnonzero(nearest < farthest)
        )
        rows = np.concatenate([rows, found + passed])
        distances = np.concatenate([distances, nearest[found]])
        kept = np.sort(_smallest(distances, count))
        rows, distances = rows[kept], distances[kept]
        passed += len(nearest)
    return rows


def _in_order(values: ExtensionArray, positions: np.ndarray) -> ExtensionArray | np.ndarray:
    """``values`` at ``positions``: arrays taken directly, without a Series' index checks
    for each of twenty-odd columns; a constant (sparse, all fill) column as it is."""
    if isinstance(values, pd.arrays.SparseArray) and values.sp_index.npoints == 0:
        return values if len(values) == len(positions) else values.take(positions)
    if isinstance(values, pd.arrays.NumpyExtensionArray):
        taken: np.ndarray = values.to_numpy()[positions]
        return taken
    if isinstance(values, pd.arrays.ArrowExtensionArray):
        return _arrow_rows(values, positions)
    return values.take(positions)


def _arrow_rows(values: pd.arrays.ArrowExtensionArray, positions: np.ndarray) -> ExtensionArray:
    """``values`` at ``positions``, taken from each of the column's chunks: Arrow's take on
    a whole chunked column joins its chunks first, a copy of the column for every block of
    rows, and finds each row's chunk for every row of the column."""
    chunked = values.__arrow_array__()
    starts = np.cumsum([0, *(len(chunk) for chunk in chunked.chunks)])
    chunk_of = np.searchsorted(starts, positions, side="right") - 1
    by_chunk = np.argsort(chunk_of, kind="stable")
    wanted, chunks = positions[by_chunk], chunk_of[by_chunk]
    edges = np.searchsorted(chunks, np.arange(len(starts)))
    pieces = [
        chunked.chunk(k).take(pa.array(wanted[edges[k] : edges[k + 1]] - starts[k]))
        for k in range(chunked.num_chunks)
        if edges[k] < edges[k + 1]
    ]
    taken = pa.chunked_array(pieces, type=chunked.type).take(pa.array(np.argsort(by_chunk)))
    return pd.array(taken, dtype=values.dtype)


@dataclass(frozen=True)
class Result:
    """What :func:`urbanscreen.screen` returns.

    ``frame`` holds one row per area, qualifying areas first, with the table's area
    columns, each criterion's value (column named by criterion id), ``<id>:met``
    (nullable boolean), ``<id>:margin`` (positive on the side that meets the
    threshold), ``qualifies`` (nullable boolean), ``uncertain`` (nullable boolean:
    too few residents for reliable shares) and, with a sex breakdown,
    ``<id>:women`` and ``<id>:men``.

    The result holds its columns in the table's row order (``unordered``, sharing the
    table's arrays). Its ``order`` (the rows in result order) follows from ``qualifies``
    and is made when first asked for, as ``frame`` is; a summary of 3 000 000 areas finds
    its few hundred rows without either, not a reordered copy of every column.
    """

    criteria: Criteria
    table: Table
    unordered: Mapping[str, ExtensionArray] = field(repr=False)
    issues: tuple[Issue, ...] = field(default=())
    population_floor: int | None = None
    references: dict[str, str] = field(default_factory=dict)  # name -> how it resolved
    # The same, as the catalogue's messages: the terminal says them in the run's language.
    references_said: dict[str, Message] = field(default_factory=dict, repr=False, compare=False)

    @property
    def _qualifies(self) -> pd.Series:
        return pd.Series(self.unordered[QUALIFIES], copy=False)

    @cached_property
    def order(self) -> np.ndarray:
        """Positions in ``unordered``, in result order (see :func:`result_order`)."""
        return result_order(self._qualifies)

    def _in_result_order(self, positions: list[int]) -> np.ndarray:
        """The positions in ``unordered`` of the rows at ``positions`` of the result: a
        summary of a few hundred of 3 000 000 areas needs no order of them all."""
        return rows_in_order(self._qualifies, np.asarray(positions, dtype=np.intp))

    @cached_property
    def frame(self) -> pd.DataFrame:
        """Every column in result order (qualifying areas first)."""
        return self._rows(self.order)

    def _rows(self, positions: np.ndarray) -> pd.DataFrame:
        """The rows of ``unordered`` at ``positions``, each column taken once: a frame built
        first and taken after would hold every column twice at the peak."""
        return pd.DataFrame(
            {name: _in_order(values, positions) for name, values in self.unordered.items()},
            copy=False,
        )

    def highlights(self, limit: int) -> list[int]:
        """Row positions worth showing when there are too many to show: every qualifying
        and undecided area up to ``limit`` each, and the ``limit`` others nearest a
        threshold (smallest margin)."""
        # Worked out in the table's order: ``order`` (see :func:`result_order`) lists the
        # qualifying areas, the undecided and the others, each in the table's order, so an
        # area's place among the others is its place in the result after the first two.
        yes, open_, others = _outcomes(self._qualifies)
        qualifying, undecided = int(np.count_nonzero(yes)), int(np.count_nonzero(open_))
        margins = [
            np.asarray(self.unordered[margin_column(c.id)], dtype=np.float64)
            for c in self.criteria.criteria
            if margin_column(c.id) in self.unordered
        ]
        nearby = (
            _nearest(margins, others, limit)
            if margins
            else np.arange(min(limit, len(others) - qualifying - undecided))
        )
        return [
            *range(min(limit, qualifying)),
            *range(qualifying, qualifying + min(limit, undecided)),
            *(nearby + qualifying + undecided).tolist(),
        ]

    def to_json(self) -> str:
        """The JSON document ``urbanscreen check FILE --format json`` prints (which adds a
        final newline); its shape is :class:`urbanscreen.contract.ResultDocument`."""
        from urbanscreen.render.jsondoc import dumps

        return dumps(self)

    @cached_property
    def summary(self) -> Summary:
        # Counts do not depend on the order.
        qualifies = self._qualifies
        return Summary(
            districts=len(qualifies),
            qualifying=int((qualifies == True).sum()),  # noqa: E712 - nullable boolean
            not_qualifying=int((qualifies == False).sum()),  # noqa: E712
            unknown=int(qualifies.isna().sum()),
        )

    def districts(self, positions: list[int] | None = None) -> Iterator[District]:
        """Each area as a typed object, in result order (qualifying first); only the rows at
        ``positions`` when given (a summary of a national table needs a few hundred)."""
        for areas in self.column_blocks(positions):
            for position in range(areas.size):
                yield areas.district_at(position)

    def column_blocks(self, positions: list[int] | None = None) -> Iterator[AreaColumns]:
        """:meth:`columns` a block of areas at a time, in result order: 300 000 areas' values
        as Python objects at once took ~1 GB, so the writers of every area go by blocks."""
        # Each block's rows taken from the table-ordered columns: no reordered copy of all.
        rows = self.order if positions is None else self._in_result_order(positions)
        for start in range(0, len(rows), DISTRICTS_AT_ONCE):
            yield self._columns_in(self._rows(rows[start : start + DISTRICTS_AT_ONCE]))

    def columns(self, positions: list[int] | None = None) -> AreaColumns:
        """Every area's values column by column, as :meth:`districts` gives them (only the
        rows at ``positions`` when given); one list per column for writers that go column
        by column. Holds all rows at once: for reports of a bounded number of areas."""
        if positions is None:
            return self._columns_in(self.frame)
        return self._columns_in(self._rows(self._in_result_order(positions)))

    def _columns_in(self, frame: pd.DataFrame) -> AreaColumns:
        size = len(frame)
        none: list[Any] = [None] * size

        def column(name: str) -> list[Any]:
            # Whole columns at once, NaN and NA as None: no per-cell checks below.
            if name not in frame:
                return none
            # Series.to_numpy, not the array's: a NumPy-backed array ignores na_value=None.
            # (pandas-stubs do not list None as an na_value.)
            values: Any = frame[name]
            listed: list[Any] = values.to_numpy(dtype=object, na_value=None).tolist()
            return listed

        named = [o.id for o in self.criteria.outcomes]
        named += [t.id for index in self.criteria.indices for t in index.tiers]
        return AreaColumns(
            size=size,
            ids=[str(value) for value in column(ID)],
            names=[_text(value) for value in column(NAME)],
            municipalities=[_text(value) for value in column(MUNICIPALITY)],
            municipality_codes=[_text(value) for value in column(MUNICIPALITY_CODE)],
            rows=[int(str(value)) for value in column(ROW)],
            qualifies=[_flag(value) for value in column(QUALIFIES)],
            uncertain=[_flag(value) for value in column(UNCERTAIN)],
            # Floats and booleans come out of column() as Python objects already.
            checks={
                c.id: CheckColumns(
                    criterion=c,
                    value=column(c.id),
                    met=column(met_column(c.id)),
                    margin=column(margin_column(c.id)),
                    threshold=column(threshold_column(c.id)),
                    women=column(sex_column(c.id, WOMEN)),
                    men=column(sex_column(c.id, MEN)),
                    low=column(bound_column(c.id, LOW)),
                    high=column(bound_column(c.id, HIGH)),
                    numerator=column(numerator_column(c.id)),
                    denominator=column(denominator_column(c.id)),
                )
                for c in self.criteria.criteria
            },
            outcomes={
                name: [_flag(value) for value in column(outcome_column(name))] for name in named
            },
            indices={
                i.id: [_number(value) for value in column(i.id)] for i in self.criteria.indices
            },
            tiers={
                i.id: [_text(value) for value in column(tier_column(i.id))]
                for i in self.criteria.indices
            },
            areas=[str(value).split(", ") if value else [] for value in column(AREAS)],
            nodes={
                str(name).removeprefix(NODE_PREFIX): [_flag(value) for value in column(name)]
                for name in frame.columns
                if str(name).startswith(NODE_PREFIX)
            },
        )


class CheckColumns(NamedTuple):
    """One criterion's :class:`Check` fields for every area, a list per field."""

    criterion: Criterion
    value: list[float | None]
    met: list[bool | None]
    margin: list[float | None]
    threshold: list[float | None]
    women: list[float | None]
    men: list[float | None]
    low: list[float | None]
    high: list[float | None]
    numerator: list[float | None]
    denominator: list[float | None]

    def at(self, position: int) -> Check:
        return Check(
            criterion=self.criterion,
            value=self.value[position],
            met=self.met[position],
            margin=self.margin[position],
            threshold=self.threshold[position],
            women=self.women[position],
            men=self.men[position],
            low=self.low[position],
            high=self.high[position],
            numerator=self.numerator[position],
            denominator=self.denominator[position],
        )


@dataclass(frozen=True)
class AreaColumns:
    """:class:`District` fields for every area, a list per field (checks by criterion id)."""

    size: int
    ids: list[str]
    names: list[str | None]
    municipalities: list[str | None]
    municipality_codes: list[str | None]
    rows: list[int]
    qualifies: list[bool | None]
    uncertain: list[bool | None]
    checks: dict[str, CheckColumns]
    outcomes: dict[str, list[bool | None]]
    indices: dict[str, list[float | None]]
    tiers: dict[str, list[str | None]]
    areas: list[list[str]]
    nodes: dict[str, list[bool | None]] = field(default_factory=dict)

    def district_at(self, position: int) -> District:
        return District(
            id=self.ids[position],
            name=self.names[position],
            municipality=self.municipalities[position],
            municipality_code=self.municipality_codes[position],
            row=self.rows[position],
            qualifies=self.qualifies[position],
            checks=[columns.at(position) for columns in self.checks.values()],
            uncertain=self.uncertain[position],
            outcomes={o: values[position] for o, values in self.outcomes.items()},
            indices={i: values[position] for i, values in self.indices.items()},
            tiers={i: values[position] for i, values in self.tiers.items()},
            areas=self.areas[position],
            nodes={path: values[position] for path, values in self.nodes.items()},
        )


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _number(value: object) -> float | None:
    return None if _missing(value) else float(str(value))


def _flag(value: object) -> bool | None:
    if value is None or value is pd.NA:
        return None
    return bool(value)


def _text(value: object) -> str | None:
    return None if _missing(value) else str(value)
