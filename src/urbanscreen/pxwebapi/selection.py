"""A selection of a table's values, from ``--where`` and ``--years``, checked against the
table's metadata before any data is asked for.

Every dimension ends in one of three states: values chosen (by code, by label, or ``*``
for all), left out because the table allows it (the API then gives its total), or an
error naming the dimension and its values: a breakdown is never dropped in silence.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher
from itertools import product

from urbanscreen.errors import OptionError, UrbanscreenError, shorten
from urbanscreen.pxwebapi.dataset import Dataset, Dimension

SHOWN = 8  # valid names listed in a message, closest first
ALL = "*"
LATEST = "latest"
LEFT_OUT = "(total)"  # in the provenance: a dimension the API totalled
_TIME_NAMES = {"tid", "time", "år", "year", "period"}
_RANGE = re.compile(r"^\s*(\d{4}\S*)\s*(?:-|\.\.)\s*(\d{4}\S*)\s*$")


class SelectionError(UrbanscreenError):
    """``--where`` or ``--years`` names a dimension or value the table does not have."""

    code = "invalid-selection"


@dataclass(frozen=True)
class Where:
    """One ``--where DIM=VALUE[,VALUE…]`` as typed."""

    dimension: str
    values: tuple[str, ...]


@dataclass(frozen=True)
class Codelist:
    """One ``--codelist DIM=ID`` as typed: another grouping of a dimension's values."""

    dimension: str
    id: str


@dataclass(frozen=True)
class Selection:
    """The chosen codes of every selected dimension (table order), the dimensions left
    out for the API to eliminate, the codelists applied (dimension code -> id), and the
    request as text for the file's provenance."""

    dimensions: tuple[Dimension, ...]
    left_out: tuple[Dimension, ...]
    text: str
    codelists: Mapping[str, str] = field(default_factory=dict)

    @property
    def cells(self) -> int:
        return math.prod(len(d.codes) for d in self.dimensions)


def parse_where(option: str) -> Where:
    """``"Region=0180,1480"`` -> Where("Region", ("0180", "1480")); raises OptionError."""
    name, equals, values = option.partition("=")
    codes = tuple(v.strip() for v in values.split(",") if v.strip())
    if not equals or not name.strip() or not codes:
        raise OptionError(
            f"--where {shorten(option)!r} is not DIMENSION=VALUE[,VALUE…]",
            hint="for example --where Region=0180,1480 or --where Kon=*",
        )
    return Where(name.strip(), codes)


def parse_codelist(option: str) -> Codelist:
    """``"Region=agg_Counties"`` -> Codelist("Region", "agg_Counties"); raises OptionError."""
    name, equals, codelist = option.partition("=")
    if not equals or not name.strip() or not codelist.strip():
        raise OptionError(
            f"--codelist {shorten(option)!r} is not DIMENSION=CODELIST",
            hint="for example --codelist Region=agg_Counties",
        )
    return Codelist(name.strip(), codelist.strip())


def choose_codelists(metadata: Dataset, codelists: Sequence[Codelist]) -> dict[str, str]:
    """Dimension code -> codelist id, each checked against the codelists the table offers."""
    chosen: dict[str, str] = {}
    for codelist in codelists:
        dimension = _find_dimension(metadata, codelist.dimension, option="--codelist")
        ids = {known.casefold(): known for known, _ in dimension.codelists}
        found = ids.get(codelist.id.casefold())
        if found is None:
            offered = (
                "closest first: "
                + ", ".join(
                    f"{known} ({label})"
                    for known, label in _closest(codelist.id, dimension.codelists)
                )
                if dimension.codelists
                else "it has none"
            )
            raise SelectionError(
                f"--codelist: {dimension.label!r} ({dimension.code}) has no codelist "
                f"{shorten(codelist.id)!r}; {offered}",
                hint="leave out --codelist to use the table's own values",
            )
        chosen[dimension.code] = found
    return chosen


def select(
    metadata: Dataset,
    wheres: Sequence[Where],
    years: str | None,
    codelists: Mapping[str, str] | None = None,
) -> Selection:
    """Resolve ``wheres`` and ``years`` against ``metadata`` (fetched with ``codelists``
    applied); raise SelectionError when a name is unknown or a dimension the table cannot
    leave out has no values chosen."""
    grouped = dict(codelists or {})
    chosen: dict[str, tuple[str, ...]] = {}
    asked: dict[str, str] = {}
    for where in wheres:
        dimension = _find_dimension(metadata, where.dimension)
        if dimension.code in chosen:
            raise SelectionError(f"--where names {dimension.label!r} twice", hint="join the values")
        chosen[dimension.code] = _find_values(dimension, where.values)
        # dict.fromkeys: each value once, in the order typed
        asked[dimension.code] = ",".join(
            dict.fromkeys(
                ALL if value == ALL else _find_value(dimension, value) for value in where.values
            )
        )
    time = _time_dimension(metadata)
    if years is not None:
        if time is None:
            raise SelectionError(
                f"--years: the table has no time dimension ({_names(metadata.dimensions)})",
                hint="choose values with --where instead",
            )
        if time.code in chosen:
            raise SelectionError(
                f"--years and --where both choose {time.label!r}", hint="keep one of them"
            )
        chosen[time.code] = _years(time, years)
        asked[time.code] = years
    selected: list[Dimension] = []
    left_out: list[Dimension] = []
    for dimension in metadata.dimensions:
        if dimension.code in chosen:
            codes = chosen[dimension.code]
            if not codes:  # "--years ," or `where = { REGION = [] }`: a table of no cells
                raise SelectionError(
                    f"no values named for {dimension.label!r} ({dimension.code}); its values: "
                    f"{_value_list(dimension)}",
                    hint=f"name at least one value, or '{dimension.code}=*' for all",
                )
        elif dimension is time or len(dimension.codes) == 1:
            codes, asked[dimension.code] = dimension.codes, ALL
        elif dimension.elimination:
            left_out.append(dimension)
            asked[dimension.code] = LEFT_OUT  # the file says the breakdown was totalled
            continue
        else:
            raise SelectionError(
                f"no values chosen for {dimension.label!r} ({dimension.code}), a breakdown "
                f"the table cannot leave out; its values: {_value_list(dimension)}",
                hint=f"add --where '{dimension.code}=CODE,…' or --where '{dimension.code}=*'",
            )
        selected.append(replace(dimension, codes=codes, labels=_labels(dimension, codes)))
    text = "; ".join(
        f"{d.code}{f'[{grouped[d.code]}]' if d.code in grouped else ''}={asked[d.code]}"
        for d in metadata.dimensions
    )
    return Selection(tuple(selected), tuple(left_out), text, grouped)


def split(selection: Selection, max_cells: int) -> list[dict[str, tuple[str, ...]]]:
    """Queries of at most ``max_cells`` cells each that together cover ``selection``.

    The largest dimensions are cut first, into as few pieces as the limit allows, so a
    table of 6 000 small areas and one year costs a handful of requests.
    """
    dimensions = selection.dimensions
    piece = {d.code: len(d.codes) for d in dimensions}
    for dimension in sorted(dimensions, key=lambda d: -len(d.codes)):
        total = math.prod(piece.values())
        if total <= max_cells:
            break
        others = total // piece[dimension.code]
        piece[dimension.code] = max(1, max_cells // others)
    chunks = [list(_chunks(d.codes, piece[d.code])) for d in dimensions]
    return [
        {d.code: codes for d, codes in zip(dimensions, combination, strict=True)}
        for combination in product(*chunks)
    ]


def _chunks(codes: tuple[str, ...], size: int) -> Iterator[tuple[str, ...]]:
    for start in range(0, len(codes), size):
        yield codes[start : start + size]


def _find_dimension(metadata: Dataset, name: str, option: str = "--where") -> Dimension:
    wanted = name.casefold()
    for dimension in metadata.dimensions:
        if wanted in {dimension.code.casefold(), dimension.label.casefold()}:
            return dimension
    ranked = _closest(name, [(d.code, d.label) for d in metadata.dimensions])
    shown = ", ".join(f"{code} ({label})" for code, label in ranked)
    raise SelectionError(
        f"{option} {shorten(name)!r}: the table has no such dimension; its dimensions, "
        f"closest first: {shown}",
        hint="name a dimension by its code or its label",
    )


def _find_values(dimension: Dimension, values: Sequence[str]) -> tuple[str, ...]:
    if ALL in values:
        return dimension.codes
    wanted = {_find_value(dimension, value) for value in values}
    return tuple(code for code in dimension.codes if code in wanted)


def _find_value(dimension: Dimension, value: str) -> str:
    if value in dimension.positions:
        return value
    folded = value.casefold()
    for code, label in zip(dimension.codes, dimension.labels, strict=True):
        if folded in {code.casefold(), label.casefold(), f"{code} {label}".casefold()}:
            return code
    raise SelectionError(
        f"{dimension.label!r} ({dimension.code}) has no value {shorten(value)!r}; "
        f"closest first: {_value_list(dimension, value)}",
        hint=f"name a value by its code, or use --where '{dimension.code}=*' for all",
    )


def _years(time: Dimension, years: str) -> tuple[str, ...]:
    text = years.strip()
    if text.casefold() == LATEST:
        return time.codes[-1:]
    if text.casefold().startswith(f"{LATEST}:"):
        count = text.partition(":")[2]
        if not count.isdigit() or int(count) < 1:
            raise OptionError(f"--years {shorten(years)!r}: write latest:N with N ≥ 1")
        return time.codes[-int(count) :]
    span = _RANGE.match(text)
    if span:
        first, last = (_find_value(time, part) for part in span.groups())
        start, end = time.codes.index(first), time.codes.index(last)
        return time.codes[min(start, end) : max(start, end) + 1]
    return _find_values(time, [part.strip() for part in text.split(",") if part.strip()])


def _time_dimension(metadata: Dataset) -> Dimension | None:
    for dimension in metadata.dimensions:
        if dimension.role == "time":
            return dimension
    for dimension in metadata.dimensions:
        if {dimension.code.casefold(), dimension.label.casefold()} & _TIME_NAMES:
            return dimension
    return None


def _labels(dimension: Dimension, codes: Sequence[str]) -> tuple[str, ...]:
    return tuple(dimension.label_of(code) for code in codes)


def _names(dimensions: Sequence[Dimension]) -> str:
    return ", ".join(f"{d.code} ({d.label})" for d in dimensions)


def _value_list(dimension: Dimension, near: str | None = None) -> str:
    pairs = list(zip(dimension.codes, dimension.labels, strict=True))
    ranked = _closest(near, pairs) if near is not None else pairs[:SHOWN]
    shown = ", ".join(code if code == label else f"{code} ({label})" for code, label in ranked)
    more = len(pairs) - len(ranked)
    return f"{shown}{f' … and {more} more' if more > 0 else ''}"


def _closest(name: str, pairs: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """The ``SHOWN`` (code, label) pairs most like ``name``, by code or label."""
    folded = name.casefold()

    def likeness(pair: tuple[str, str]) -> float:
        return max(SequenceMatcher(None, folded, text.casefold()).ratio() for text in pair)

    return sorted(pairs, key=likeness, reverse=True)[:SHOWN]
