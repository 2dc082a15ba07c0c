"""The JSON contract as types: what ``check --format json`` and ``diff --format json`` print.

These models are the one source of truth for the documents. ``schemas/*.json`` is
generated from them (``python scripts/schemas.py``, checked by a test), a saved
baseline is read through :class:`ResultDocument`, and a test checks that every key
urbanscreen writes is declared here.

Every model is open (``extra="allow"``): schema_version 1 only ever gains keys, so a
reader of today accepts a document of a later version. A new key is declared by adding
a field, optional (``= None``) unless every document of version 1 already has it, with a
description; then ``python scripts/schemas.py`` regenerates the schemas.

The writers (:mod:`urbanscreen.render.jsondoc`, :mod:`urbanscreen.render.diff`) build
plain dicts rather than these models: 300 000 districts through pydantic would take
many seconds.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

SCHEMA_VERSION = 1

Sha256 = Annotated[str, StringConstraints(pattern=r"^[0-9a-f]{64}$")]
Op = Literal["<", "<=", ">", ">="]


class _Open(BaseModel):
    """A JSON object that later versions may extend with keys of their own."""

    model_config = ConfigDict(extra="allow")


class Tool(_Open):
    name: Literal["urbanscreen"]
    version: str


class DefinitionFile(_Open):
    """The district definition a table of small areas was aggregated with."""

    path: str
    sha256: Sha256


class Provenance(_Open):
    """Where ``urbanscreen fetch`` got a table: the API, the table and the selection asked
    for, when the source was updated and when it was fetched, and its terms of use."""

    api: str
    table: str
    selection: str
    updated: str
    fetched: str
    lang: str
    attribution: str
    license: str


class BreakdownInfo(_Open):
    """A dimension of the table other than area, year, sex and indicator, and how it was
    resolved: picked with --where, its only value, its total, or summed."""

    dimension: str
    resolved: Literal["where", "only", "total", "sum"]
    value: str | None


class InputInfo(_Open):
    """The table that was screened, and how it was read."""

    path: str = Field(description='The file as given, or "<DataFrame>" for a table in memory.')
    sha256: Sha256 = Field(description="SHA-256 of the file's bytes (of a frame: its cells).")
    format: Literal["xlsx", "csv", "px", "parquet", "dataframe"]
    sheet: str | None = None
    encoding: str | None = None
    header_row: Annotated[int, Field(ge=1)] | None = None
    decimal: Literal[",", "."] | None = None
    layout: Literal["wide", "wide-years", "long", "districts"] | None = None
    year: int | None = Field(default=None, description="The year screened, in tables by year.")
    years: list[int] | None = Field(default=None, description="Every year the table holds.")
    by_sex: bool | None = None
    id_from: str | None = Field(default=None, description="The column area ids were read from.")
    districts: DefinitionFile | None = None
    columns: dict[str, str] | None = Field(
        default=None, description="Each role (criterion id, id, name…) and the header it matched."
    )
    provenance: Provenance | None = Field(
        default=None,
        description="Where `urbanscreen fetch` got the input (null for any other file).",
    )
    where: dict[str, str] | None = Field(
        default=None,
        description="Breakdowns screened at one value (--where, or the table's only value): "
        "dimension -> value.",
    )
    breakdowns: list[BreakdownInfo] | None = Field(
        default=None, description="How each breakdown of the table was resolved."
    )


class RelativeThreshold(_Open):
    """A threshold relative to a reference: ``times`` × the reference ``of``."""

    of: str
    times: float


class AtLeastRule(_Open):
    at_least: Annotated[int, Field(ge=1)]


class OutcomeRule(_Open):
    """With named outcomes: the one that decides ``qualifies``, and its rule as text."""

    outcome: str
    rule: str


class CriterionInfo(_Open):
    id: str
    label: str
    unit: Literal["percent", "count", "number"]
    sex: Literal["total", "women", "men"] | None = None
    op: Op
    threshold: float | RelativeThreshold = Field(description="As written in the criteria file.")
    source: str | None = None


class OutcomeInfo(_Open):
    id: str
    label: str
    rule: str


class TierInfo(_Open):
    id: str
    label: str


class IndexInfo(_Open):
    id: str
    label: str
    inputs: list[str]
    tiers: list[TierInfo]


class CriteriaInfo(_Open):
    """The criteria file the areas were screened with."""

    name: str
    source: str = Field(description='The file, or "preset:NAME".')
    sha256: Sha256
    rule: str | AtLeastRule | OutcomeRule = Field(
        description='"all" or "any"; {"at_least": k}; a nested rule as text; or, with '
        'outcomes, {"outcome": id, "rule": text}'
    )
    population: str | None = None
    population_floor: int | None = None
    references: dict[str, str] | None = Field(
        default=None, description="Each reference and how it resolved, in the file's order."
    )
    outcomes: list[OutcomeInfo] | None = None
    indices: list[IndexInfo] | None = None
    criteria: list[CriterionInfo]


class Counts(_Open):
    districts: Annotated[int, Field(ge=0)]
    qualifying: Annotated[int, Field(ge=0)]
    not_qualifying: Annotated[int, Field(ge=0)]
    unknown: Annotated[int, Field(ge=0)]


class YearCounts(Counts):
    year: int


class YearChange(_Open):
    """Districts that entered, left or became unknown between two consecutive years."""

    from_: int = Field(alias="from")
    to: int
    entered: list[str]
    left: list[str]
    unknown: list[str]


class Summary(Counts):
    years: list[YearCounts] | None = Field(
        default=None, description="With --years: the counts of each chosen year."
    )
    changes: list[YearChange] | None = Field(
        default=None,
        description="With --years: districts that entered, left or became unknown between "
        "consecutive chosen years.",
    )


class YearCheck(_Open):
    id: str
    value: float | None
    threshold: float | None
    met: bool | None
    margin: float | None
    missing: bool


class DistrictYear(_Open):
    """A district in one year of a follow-up."""

    year: int
    qualifies: bool | None
    criteria: list[YearCheck]
    outcomes: dict[str, bool | None]


class ReferenceYear(_Open):
    year: int
    values: dict[str, float | None]


class ReferenceRow(_Open):
    """A row that is the municipality or the country, drawn as a reference, not screened."""

    id: str
    name: str | None
    years: list[ReferenceYear]


class FollowUpInfo(_Open):
    """With --years: the chosen years, notes on missing earlier years, and the reference
    rows (municipality, country), not screened."""

    years: list[int]
    notes: list[str]
    reference_rows: list[ReferenceRow]


class CheckDocument(_Open):
    """One criterion applied to one district."""

    id: str
    value: float | None
    op: Op
    threshold: float | None = Field(description="As resolved for this district.")
    met: bool | None
    margin: float | None = Field(description="Positive on the side that meets the threshold.")
    missing: bool | None = None
    women: float | None = None
    men: float | None = None
    gap: float | None = Field(default=None, description="Women's value minus men's.")
    bounds: Annotated[list[float | None], Field(min_length=2, max_length=2)] | None = Field(
        default=None,
        description="Where a suppressed count leaves the value open: [low, high] (high null: "
        "no upper bound).",
    )
    numerator: float | None = None
    denominator: float | None = None


class DistrictDocument(_Open):
    """One area's answer, with every criterion that led to it."""

    id: str
    name: str | None
    municipality: str | None
    municipality_code: str | None = None
    row: int | None = Field(default=None, description="The row of the input it came from.")
    qualifies: bool | None
    uncertain: bool | None = Field(
        default=None, description="Too few residents for reliable shares (null: unknown)."
    )
    criteria: list[CheckDocument]
    areas: list[str] | None = Field(
        default=None, description="The small areas a district was built from."
    )
    outcomes: dict[str, bool | None] | None = Field(
        default=None, description="Each outcome's answer, in the file's order."
    )
    indices: dict[str, float | None] | None = None
    tiers: dict[str, str | None] | None = None
    explanation: dict[str, Any] | None = Field(
        default=None, description="The rule tree with every node's value."
    )
    years: list[DistrictYear] | None = Field(
        default=None, description="With --years: the district in each chosen year, ascending."
    )


class LocationDocument(_Open):
    file: str | None = None
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    line: int | None = None


class IssueDocument(_Open):
    """A warning (worth a look) or a note (a choice made, said aloud)."""

    code: str
    level: Literal["warning", "info"] | None = None
    message: str
    location: LocationDocument


class ResultDocument(_Open):
    """The document ``urbanscreen check FILE --format json`` prints."""

    model_config = ConfigDict(
        extra="allow",
        title="urbanscreen check result",
        json_schema_extra={
            "description": "The document `urbanscreen check FILE --format json` prints. "
            "schema_version 1; later versions only add keys."
        },
    )

    schema_version: Literal[1]
    tool: Tool
    input: InputInfo
    criteria: CriteriaInfo
    summary: Summary
    districts: list[DistrictDocument]
    issues: list[IssueDocument]
    follow_up: FollowUpInfo | None = None


class Release(_Open):
    source: str
    criteria: str
    criteria_sha256: str


class StateCheck(_Open):
    value: float | None
    met: bool | None


class DistrictState(_Open):
    id: str
    name: str | None = None
    qualifies: bool | None
    criteria: dict[str, StateCheck]


class ChangeDocument(_Open):
    id: str
    name: str | None
    municipality: str | None = None
    before: DistrictState
    after: DistrictState
    flipped: list[str] = Field(description="Criteria whose verdict changed.")


class NearDocument(_Open):
    id: str
    name: str | None = None
    criterion: str
    value: float
    op: Op
    threshold: float
    distance: Annotated[float, Field(ge=0)]


class DiffDocument(_Open):
    """The document ``urbanscreen diff OLD NEW --format json`` prints."""

    model_config = ConfigDict(
        extra="allow",
        title="urbanscreen diff",
        json_schema_extra={
            "description": "The document `urbanscreen diff OLD NEW --format json` prints. "
            "schema_version 1; later versions only add keys."
        },
    )

    schema_version: Literal[1]
    tool: Tool
    old: Release
    new: Release
    qualifying_set_changed: bool
    entered: list[ChangeDocument]
    left: list[ChangeDocument]
    unknown: list[ChangeDocument]
    changed: list[ChangeDocument]
    added: list[DistrictState]
    removed: list[DistrictState]
    near: list[NearDocument]
    near_fraction: Annotated[float, Field(ge=0)] | None = None
    notes: list[str] | None = None


SCHEMAS: dict[str, type[BaseModel]] = {
    "result.schema.json": ResultDocument,
    "diff.schema.json": DiffDocument,
}


def json_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) that ``schemas/<name>`` holds."""
    schema = _canonical(SCHEMAS[name].model_json_schema())
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://urbanscreen.example/schemas/{name}",
        **schema,
    }


def _canonical(node: Any) -> Any:
    """One text for one meaning, whichever pydantic generated it: releases differ in
    spelling (``"minimum": 0.0`` or ``0``, an ``enum`` beside a ``const``, the default
    ``"additionalProperties": true`` written out or not), and the committed schemas are
    checked against the floor's pydantic as well as the newest."""
    if isinstance(node, list):
        return [_canonical(item) for item in node]
    if not isinstance(node, dict):
        return int(node) if isinstance(node, float) and node.is_integer() else node
    tidy = {key: _canonical(value) for key, value in node.items()}
    if "const" in tidy and tidy.get("enum") == [tidy["const"]]:
        del tidy["enum"]
    if tidy.get("additionalProperties") is True:
        del tidy["additionalProperties"]
    return tidy


def undeclared_keys(model: BaseModel, where: str = "$") -> list[str]:
    """Paths of keys in a validated document that no field declares (``model_extra``)."""
    found = [f"{where}.{key}" for key in model.model_extra or {}]
    for name in type(model).model_fields:
        found += _undeclared_in(getattr(model, name), f"{where}.{name}")
    return found


def _undeclared_in(value: object, where: str) -> list[str]:
    if isinstance(value, BaseModel):
        return undeclared_keys(value, where)
    if isinstance(value, list):
        return [
            key for i, item in enumerate(value) for key in _undeclared_in(item, f"{where}[{i}]")
        ]
    if isinstance(value, dict):
        return [key for k, item in value.items() for key in _undeclared_in(item, f"{where}.{k}")]
    return []
