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
import re
import tomllib
from dataclasses import dataclass, replace
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from urbanscreen.errors import (
    CriteriaError,
    DuplicateIdError,
    FileNotFoundInputError,
    InputFileError,
    Location,
)
from urbanscreen.headers import header_key
from urbanscreen.messages import message
from urbanscreen.readers import decode_text, sniff_separator
from urbanscreen.suggest import missing_file_hint

MAX_DEFINITION_BYTES = 16 * 1024 * 1024
DESO = re.compile(r"^\d{4}[ABC]\d{4}(_DeSO\d{4})?$", re.IGNORECASE)
REGSO = re.compile(r"^\d{4}R\d{3}(_RegSO\d{4})?$", re.IGNORECASE)


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
    data = path.read_bytes()
    if len(data) > MAX_DEFINITION_BYTES:
        raise InputFileError("the district definition is too large", location=location)
    found = _from_toml(path, data) if path.suffix.lower() == ".toml" else _from_csv(path, data)
    digest = hashlib.sha256(data).hexdigest()
    return [replace(district, source=str(path), source_sha256=digest) for district in found]


def _from_toml(path: Path, data: bytes) -> list[DistrictDefinition]:
    location = Location(file=path)
    try:
        raw = tomllib.loads(data.decode("utf-8-sig"))
        definition = _Definition.model_validate(raw)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise CriteriaError(f"not valid TOML: {exc}", location=location) from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"])
        raise CriteriaError(
            f"{where}: {first['msg']}",
            location=location,
            hint='each [[districts]] needs id = "…" and areas = ["…", …]',
        ) from exc
    ids = [d.id for d in definition.districts]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        raise DuplicateIdError(
            f"district id(s) used more than once: {', '.join(repr(i) for i in twice)}",
            location=location,
            hint="give each [[districts]] its own id",
        )
    return [
        DistrictDefinition(d.id, d.name, d.municipality, tuple(a.strip() for a in d.areas))
        for d in definition.districts
    ]


_ROLES = {
    "district": {"district", "stadsdel", "distrikt", "district id", "stadsdelskod", "område id"},
    "name": {"name", "namn", "district name", "stadsdelsnamn"},
    "municipality": {"municipality", "kommun"},
    "area": {"area", "deso", "regso", "areas", "area code", "desokod", "regsokod", "kod", "code"},
}


def _from_csv(path: Path, data: bytes) -> list[DistrictDefinition]:
    text, _ = decode_text(path, data)
    lines = text.splitlines()
    separator = sniff_separator([line for line in lines[:20] if line.strip()])
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    if not rows:
        raise InputFileError("the district definition is empty", location=Location(file=path))
    keys = [header_key(h) for h in rows[0]]
    columns = {}
    for role, names in _ROLES.items():
        wanted = {header_key(n) for n in names}
        found = next((i for i, key in enumerate(keys) if key in wanted), None)
        if found is not None:
            columns[role] = found
    if "district" not in columns or "area" not in columns:
        raise InputFileError(
            "needs a district column and an area code column",
            location=Location(file=path, row=1),
            hint="headers such as: district;name;municipality;deso",
        )
    grouped: dict[str, _Collected] = {}
    for row in rows[1:]:
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
