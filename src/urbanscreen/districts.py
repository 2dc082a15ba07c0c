"""District definitions: which small statistical areas (DeSO, RegSO) make each district.

A TOML file::

    [[districts]]
    id = "bergsjon"
    name = "Bergsjön"
    municipality = "Göteborg"
    areas = ["1480C1010", "1480C1020"]

or a CSV with one row per area: district id, (name), (municipality), area code.
"""

from __future__ import annotations

import csv
import hashlib
import io
import math
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic_core import ErrorDetails

from urbanscreen.codes import DESO, REGSO
from urbanscreen.criteria.messages import toml_problem
from urbanscreen.errors import (
    DuplicateIdError,
    FileNotFoundInputError,
    InputFileError,
    Location,
)
from urbanscreen.faults import read_one_version
from urbanscreen.formats import EXCEL_SUFFIXES
from urbanscreen.headers import header_key
from urbanscreen.messages import Message, message
from urbanscreen.readers import decode_text, read_raw, sniff_separator
from urbanscreen.suggest import closest, missing_file_hint

MAX_DEFINITION_BYTES = 16 * 1024 * 1024
_VINTAGE = re.compile(r"[\s_-]*\d{4}$")
_DESO_CODE = {"deso", "desokod", "deso kod", "kod deso"}
_REGSO_CODE = {"regsokod", "regso kod", "kod regso"}
_REGSO_NAME = {"regso", "regsonamn", "regso namn"}


class _DistrictEntry(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    id: str = Field(min_length=1)
    name: str | None = None
    municipality: str | None = None
    areas: list[str] = Field(min_length=1)


class _Definition(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    districts: list[_DistrictEntry] = Field(min_length=1)


@dataclass(frozen=True)
class DistrictDefinition:
    """One district: its id, name, municipality and the codes of its areas."""

    id: str
    name: str | None
    municipality: str | None
    areas: tuple[str, ...]
    source: str = ""  # the definition file, and its SHA-256, for the provenance
    source_sha256: str = ""


def load_districts(path: str | Path) -> list[DistrictDefinition]:
    """Read a district definition (.toml, or .csv with one row per area)."""
    path = Path(path)
    location = Location(file=path)
    if not path.is_file():
        raise FileNotFoundInputError(
            message("file-not-found/districts"),
            location=location,
            hint=missing_file_hint(path, message("hint/check-districts-path"), {".toml", ".csv"}),
        )
    data = read_one_version(path)  # hashed below: the SHA-256 of what was parsed
    if len(data) > MAX_DEFINITION_BYTES:
        raise InputFileError("the district definition is too large", location=location)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        found = _from_toml(path, data)
    elif suffix in EXCEL_SUFFIXES:
        found = _from_workbook(path)
    else:
        found = _from_csv(path, data)
    digest = hashlib.sha256(data).hexdigest()
    return [replace(district, source=str(path), source_sha256=digest) for district in found]


def _entry_problem(error: ErrorDetails, raw: object) -> Message:
    """The first thing wrong with a definition's tables, in the catalogue's words, with its
    path as a criteria file's problems have theirs: ``districts[1].area (district 'b'):
    unknown key; did you mean `areas`?``."""
    loc = tuple(error["loc"])
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)
    path = path.lstrip(".")
    where: str | Message = path
    entries = raw.get("districts") if isinstance(raw, dict) else None
    if len(loc) > 2 and isinstance(loc[1], int) and isinstance(entries, list):
        entry = entries[loc[1]] if loc[1] < len(entries) else None
        named = entry.get("id") if isinstance(entry, dict) else None
        if isinstance(named, str) and named and loc[2] != "id":
            where = message("districts/path-of-district", path=path, id=repr(named))
    return message("districts/problem", where=where, said=_said(error, loc))


def _said(error: ErrorDetails, loc: tuple[int | str, ...]) -> Message:
    key = str(loc[-1]) if loc else ""
    kind = error["type"]
    if kind == "missing":
        return message("districts/missing")
    if kind == "extra_forbidden":
        model = _Definition if len(loc) == 1 else _DistrictEntry
        meant = closest(key, model.model_fields)
        if meant:
            return message("districts/unknown-key/meant", key=meant[0])
        return message("districts/unknown-key")
    if len(loc) > 1 and loc[-2] == "areas":  # one of the codes
        return message("districts/code")
    if key == "areas":
        return message("districts/codes")
    if loc == ("districts",):
        return message("districts/tables")
    if kind in {"string_type", "string_too_short"}:
        return message("districts/text")
    return message("districts/other", text=error["msg"])


def _from_toml(path: Path, data: bytes) -> list[DistrictDefinition]:
    location = Location(file=path)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(
            message("unreadable-file/districts-not-utf8"),
            location=location,
            hint=message("hint/utf8"),
        ) from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        said, hint = toml_problem(exc, text, "unreadable-file/districts-toml")
        raise InputFileError(
            said, location=location, hint=hint or message("hint/district-entry")
        ) from exc
    try:
        definition = _Definition.model_validate(raw)
    except ValidationError as exc:
        # A misspelt key first: the key it was meant to be is then missing too.
        first = min(exc.errors(), key=lambda e: e["type"] != "extra_forbidden")
        raise InputFileError(
            _entry_problem(first, raw), location=location, hint=message("hint/district-entry")
        ) from exc
    ids = [d.id for d in definition.districts]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise DuplicateIdError(
            message("duplicate-id/districts", ids=", ".join(repr(i) for i in twice)),
            location=location,
            hint=message("hint/district-own-id"),
        )
    return [
        DistrictDefinition(d.id, d.name, d.municipality, tuple(a.strip() for a in d.areas))
        for d in definition.districts
    ]


_ROLES = {
    "district": {"district", "stadsdel", "distrikt", "district id", "stadsdelskod", "område id"},
    "name": {"name", "namn", "district name", "stadsdelsnamn"},
    "municipality": {"municipality", "kommun", "kommunnamn"},
    "area": {"area", "deso", "regso", "areas", "area code", "desokod", "regsokod", "kod", "code"},
}


def _from_csv(path: Path, data: bytes) -> list[DistrictDefinition]:
    text, _ = decode_text(path, data)
    lines = text.splitlines()
    separator = sniff_separator([line for line in lines[:20] if line.strip()])
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    if not rows:
        raise InputFileError("the district definition is empty", location=Location(file=path))
    return _from_rows(path, rows[0], rows[1:], header_row=1)


def _from_workbook(path: Path) -> list[DistrictDefinition]:
    """SCB publishes its DeSO→RegSO key as a workbook with title rows above the header."""
    raw = read_raw(path, _header_row)
    body = [[_cell_text(cell) for cell in row] for row in raw.body.itertuples(index=False)]
    headers = [_cell_text(cell) for cell in raw.headers]
    return _from_rows(path, headers, body, header_row=raw.source.header_row)


def _header_row(rows: list[list[object]]) -> tuple[int, int]:
    """The first row naming a district and an area column (the row naming most, else 0)."""
    scores = [len(_columns([_cell_text(cell) for cell in row])) for row in rows]
    best = max(range(len(scores)), key=lambda i: scores[i], default=0)
    return best, scores[best] if scores else 0


def _cell_text(cell: object) -> str:
    if cell is None or (isinstance(cell, float) and math.isnan(cell)):  # an empty cell
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def _key(header: str) -> str:
    """A header without its vintage: SCB's key writes DeSO_2018, RegSOkod_2020."""
    return header_key(_VINTAGE.sub("", header.strip()))


def _columns(headers: list[str]) -> dict[str, int]:
    """Which column is the district, its name, its municipality and the area code."""
    keys = [_key(h) for h in headers]

    def first(names: set[str]) -> int | None:
        wanted = {header_key(n) for n in names}
        return next((i for i, key in enumerate(keys) if key in wanted), None)

    deso, regso_code = first(_DESO_CODE), first(_REGSO_CODE)
    if deso is not None and regso_code is not None:
        # SCB's DeSO→RegSO key: each RegSO is a district made of DeSO areas.
        roles = {
            "district": regso_code,
            "area": deso,
            "name": first(_REGSO_NAME),
            "municipality": first({"kommunnamn"}),
        }
        return {role: index for role, index in roles.items() if index is not None}
    columns = {}
    for role, names in _ROLES.items():
        found = first(set(names))
        if found is not None:
            columns[role] = found
    return columns


def _from_rows(
    path: Path, headers: list[str], rows: list[list[str]], header_row: int
) -> list[DistrictDefinition]:
    columns = _columns(headers)
    if "district" not in columns or "area" not in columns:
        raise InputFileError(
            "needs a district column and an area code column",
            location=Location(file=path, row=header_row),
            hint="headers such as: district;name;municipality;deso (or SCB's DeSO→RegSO "
            "key: Kommun;Kommunnamn;DeSO;RegSO;RegSOkod)",
        )
    grouped: dict[str, _Collected] = {}
    for row in rows:
        if not any(cell.strip() for cell in row):
            continue
        cells = {
            role: row[index].strip() if index < len(row) else "" for role, index in columns.items()
        }
        entry = grouped.setdefault(
            cells["district"],
            _Collected(cells.get("name") or None, cells.get("municipality") or None, []),
        )
        entry.areas.append(cells["area"])
    return [
        DistrictDefinition(district, entry.name, entry.municipality, tuple(entry.areas))
        for district, entry in grouped.items()
    ]


@dataclass
class _Collected:
    name: str | None
    municipality: str | None
    areas: list[str]


def area_shape(code: str) -> str | None:
    """ "DeSO", "RegSO" or None, by the code's shape."""
    if DESO.match(code):
        return "DeSO"
    if REGSO.match(code):
        return "RegSO"
    return None
