"""JSON-stat 2.0 datasets as PxWebApi 2 returns them for metadata and data.

A :class:`Dataset` keeps what urbanscreen needs to validate a selection, join pieces of
a split download and write a PX file: dimensions with codes and labels in the table's
order, and the cells as text (numbers as the API gave them, missing values as their
PX symbol).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property
from itertools import product
from typing import Any

from urbanscreen.errors import UrbanscreenError

MISSING = ".."  # PX: "not available"; what a null cell without a status becomes


class ResponseError(UrbanscreenError):
    """The API answered with something that is not the JSON-stat 2.0 it promises."""

    code = "bad-response"


@dataclass(frozen=True)
class Dimension:
    """One variable of a table: its code (the API's id) and label, and its values."""

    code: str
    label: str
    codes: tuple[str, ...]
    labels: tuple[str, ...]
    role: str | None = None  # "time", "geo" or "metric" (the contents)
    elimination: bool = False  # may be left out of a selection
    elimination_code: str | None = None  # the value that stands for "all" when left out
    codelists: tuple[tuple[str, str], ...] = ()  # (id, label): other groupings of the values

    @cached_property
    def positions(self) -> dict[str, int]:
        """Code -> position: 6 000 small areas are looked up without a scan each."""
        return {code: position for position, code in enumerate(self.codes)}

    def label_of(self, code: str) -> str:
        return self.labels[self.positions[code]]


@dataclass(frozen=True)
class Dataset:
    """A table's metadata and (for data responses) its cells in row-major order."""

    label: str
    dimensions: tuple[Dimension, ...]
    cells: tuple[str, ...] = ()
    source: str = ""
    updated: str = ""
    decimals: int | None = None
    units: str = ""
    notes: tuple[str, ...] = ()
    extension: Mapping[str, Any] = field(default_factory=dict)


def parse_dataset(document: object, what: str) -> Dataset:
    """Read a JSON-stat 2.0 dataset; ``what`` names the request in error messages."""
    try:
        return _parse(document)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        raise ResponseError(
            f"{what}: the answer is not a JSON-stat 2.0 dataset ({type(exc).__name__}: {exc})",
            hint="the API may have changed; see docs/fetch.md on reporting a difference",
        ) from exc


def _parse(document: object) -> Dataset:
    if not isinstance(document, dict) or document.get("class") != "dataset":
        raise ValueError("no 'class': 'dataset'")
    roles = document.get("role") or {}
    role_of = {code: role for role, codes in roles.items() for code in codes or ()}
    dimensions = tuple(
        _dimension(code, document["dimension"][code], role_of.get(code)) for code in document["id"]
    )
    sizes = [int(size) for size in document["size"]]
    if sizes != [len(d.codes) for d in dimensions]:
        raise ValueError(f"'size' {sizes} does not match the dimensions' categories")
    extension = document.get("extension") or {}
    px = extension.get("px") or {}
    decimals = px.get("decimals")
    return Dataset(
        label=str(document.get("label") or ""),
        dimensions=dimensions,
        cells=_cells(document),
        source=str(document.get("source") or ""),
        updated=str(document.get("updated") or ""),
        decimals=int(decimals) if decimals is not None else None,
        units=_units(dimensions, document),
        notes=tuple(str(note) for note in document.get("note") or ()),
        extension=extension,
    )


def _dimension(code: str, body: Mapping[str, Any], role: str | None) -> Dimension:
    category = body["category"]
    index = category.get("index")
    labels: Mapping[str, str] = category.get("label") or {}
    if isinstance(index, list):
        codes = [str(c) for c in index]
    elif isinstance(index, dict):
        codes = [str(c) for c, _ in sorted(index.items(), key=lambda item: int(item[1]))]
    else:  # a single category may come with its label only
        codes = [str(c) for c in labels]
    extension = body.get("extension") or {}
    elimination_code = extension.get("eliminationValueCode")
    return Dimension(
        code=code,
        label=str(body.get("label") or code),
        codes=tuple(codes),
        labels=tuple(str(labels.get(c, c)) for c in codes),
        role=role,
        elimination=bool(extension.get("elimination", False)),
        elimination_code=str(elimination_code) if elimination_code else None,
        codelists=tuple(
            (str(codelist["id"]), str(codelist.get("label") or codelist["id"]))
            for codelist in extension.get("codelists") or ()
        ),
    )


def _units(dimensions: Sequence[Dimension], document: Mapping[str, Any]) -> str:
    """The unit of the first contents value: what PX calls UNITS."""
    for dimension in dimensions:
        if dimension.role == "metric":
            units = document["dimension"][dimension.code]["category"].get("unit") or {}
            for unit in units.values():
                return str(unit.get("base") or "")
    return ""


def _cells(document: Mapping[str, Any]) -> tuple[str, ...]:
    values = document.get("value")
    if not values:
        return ()
    size = 1
    for extent in document["size"]:
        size *= int(extent)
    if isinstance(values, dict):  # JSON-stat's sparse form: {"index": value}
        dense: list[Any] = [None] * size
        for position, value in values.items():
            dense[int(position)] = value
        values = dense
    status = document.get("status") or {}
    if isinstance(status, list):
        status = {str(i): s for i, s in enumerate(status) if s}
    if len(values) != size:
        raise ValueError(f"{len(values)} values where the sizes make {size}")
    return tuple(
        _cell_text(value, status.get(str(position))) for position, value in enumerate(values)
    )


def _cell_text(value: object, status: object) -> str:
    if value is None:
        return str(status) if status else MISSING
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"value {value!r} is not a number")
    if isinstance(value, int):
        return str(value)
    if not math.isfinite(value):  # Python's JSON reader lets NaN and Infinity through
        raise ValueError(f"value {value!r} is not a finite number")
    if value.is_integer():
        return str(int(value))
    # Positional, as the API wrote it: 0.00001, never 1e-05.
    return format(Decimal(repr(value)), "f")


def join(pieces: Iterable[Dataset], whole: Sequence[Dimension]) -> Dataset:
    """One dataset from the pieces of a split request: the cells of ``whole`` (the full
    selection, in the table's order), each taken from the piece that holds it."""
    pieces = list(pieces)
    if not pieces:
        raise ValueError("nothing to join")
    found: dict[tuple[str, ...], str] = {}
    wanted = {d.code for d in whole}
    for piece in pieces:
        # A dimension left out may come back as its one total value rather than not at all;
        # a dimension of one value does not change the order of the cells.
        kept = [d for d in piece.dimensions if d.code in wanted or len(d.codes) != 1]
        if [d.code for d in kept] != [d.code for d in whole]:
            raise ResponseError(
                "the pieces of a split download have different dimensions "
                f"({[d.code for d in kept]} and {[d.code for d in whole]})",
                hint="the API may have changed; see docs/fetch.md on reporting a difference",
            )
        found.update(zip(product(*(d.codes for d in kept)), piece.cells, strict=True))
    cells: list[str] = []
    for key in product(*(d.codes for d in whole)):
        cell = found.get(key)
        if cell is None:
            where = dict(zip([d.code for d in whole], key, strict=True))
            raise ResponseError(
                f"the download lacks the cell {where}",
                hint="the API may have changed; see docs/fetch.md on reporting a difference",
            )
        cells.append(cell)
    # The dimensions (codes in the selection's order, labels, roles) are the selection's,
    # read from the metadata in the same language; title, source and notes from a piece.
    first = pieces[0]
    return Dataset(
        label=first.label,
        dimensions=tuple(whole),
        cells=tuple(cells),
        source=first.source,
        updated=first.updated,
        decimals=first.decimals,
        units=first.units,
        notes=first.notes,
        extension=first.extension,
    )
