"""criteria.toml: the typed, versioned description of an eligibility scheme.

Thresholds are read as :class:`~decimal.Decimal` so that ``4.8`` in the file means
exactly 4.8. The schema is strict (unknown keys are errors, so typos surface) and
versioned: ``version = 1`` files stay valid when later versions add nested
groups, relative thresholds and multi-year rules.
"""

from __future__ import annotations

import hashlib
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    model_validator,
)

from urbanscreen.errors import CriteriaError, FileNotFoundInputError, Location

MAX_CRITERIA_BYTES = 1024 * 1024
DEFAULT_PRESET = "scb-2012"
LOCAL_CRITERIA_FILE = "criteria.toml"

Operator = Literal["<", "<=", ">", ">="]
Unit = Literal["percent", "count", "number"]
Sex = Literal["total", "women", "men"]
# SCB computes a share only for groups of more than 20 persons.
SCB_RELIABLE_GROUP = 20
# Names the table and result already use for their own columns and roles.
RESERVED_IDS = frozenset(
    {
        "id",
        "name",
        "municipality",
        "municipality_code",
        "row",
        "qualifies",
        "uncertain",
        "year",
        "sex",
        "indicator",
        "value",
        "region",
    }
)


def _to_decimal(value: object) -> object:
    """Accept TOML integers and decimals, and floats given from Python, as exact decimals."""
    if isinstance(value, bool):
        return value  # let pydantic reject it: true is not a threshold
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        # str() gives the shortest repr, so 4.8 becomes Decimal("4.8"), not 4.7999…
        return Decimal(str(value))
    return value


ExactNumber = Annotated[Decimal, BeforeValidator(_to_decimal), Field(allow_inf_nan=False)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class AtLeast(_Strict):
    """At least ``at_least`` of the criteria must hold."""

    at_least: int = Field(ge=1)


Rule = Literal["all", "any"] | AtLeast


class Scheme(_Strict):
    """The policy being screened for."""

    name: str = Field(min_length=1)
    description: str = ""
    lang: str = "en"
    source: str = ""
    rule: Rule = "all"
    population: str | None = None
    reliable_population_above: int = Field(default=SCB_RELIABLE_GROUP, ge=0)


class Criterion(_Strict):
    """One indicator compared with one threshold."""

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)
    label: str = Field(min_length=1)
    short_label: str | None = Field(default=None, min_length=1, max_length=40)
    column: str = Field(min_length=1)
    aliases: list[str] = []
    unit: Unit
    op: Operator
    threshold: ExactNumber
    sex: Sex = "total"
    source: str = ""
    description: str = ""

    @model_validator(mode="after")
    def _threshold_fits_unit(self) -> Criterion:
        if self.id in RESERVED_IDS:
            raise ValueError(
                f"id {self.id!r} is reserved for urbanscreen's own columns; "
                f"pick another, such as {self.id + '_value'!r}"
            )
        if self.unit == "percent" and not Decimal(0) <= self.threshold <= Decimal(100):
            raise ValueError("a percent threshold must lie between 0 and 100")
        if self.unit == "count" and self.threshold < 0:
            raise ValueError("a count threshold cannot be negative")
        return self

    @property
    def headers(self) -> list[str]:
        """Every header this criterion's column may have in an input file."""
        return [self.column, *self.aliases]

    @property
    def heading(self) -> str:
        """The label for narrow places such as a terminal column."""
        return self.short_label or self.label

    def describe(self) -> str:
        """``< 52 %``: the rule as a person reads it."""
        return f"{self.op} {format_threshold(self.threshold, self.unit)}"


def format_threshold(value: Decimal, unit: str) -> str:
    text = f"{value:,f}".replace(",", " ")
    return f"{text} %" if unit == "percent" else text


class Criteria(_Strict):
    """A whole criteria file: the scheme and its criteria."""

    version: Literal[1]
    scheme: Scheme
    criteria: list[Criterion] = Field(min_length=1)

    _origin: str = PrivateAttr(default="")
    _sha256: str = PrivateAttr(default="")

    @model_validator(mode="after")
    def _consistent(self) -> Criteria:
        seen: set[str] = set()
        for criterion in self.criteria:
            if criterion.id in seen:
                raise ValueError(f"criterion id {criterion.id!r} is used twice")
            seen.add(criterion.id)
        population = self.scheme.population
        if population is not None and population not in seen:
            raise ValueError(
                f"scheme.population names criterion {population!r}, which the file does not have"
            )
        rule = self.scheme.rule
        if isinstance(rule, AtLeast) and rule.at_least > len(self.criteria):
            raise ValueError(
                f"scheme.rule asks for at least {rule.at_least} criteria "
                f"but the file has {len(self.criteria)}"
            )
        return self

    @property
    def origin(self) -> str:
        """Where the criteria came from: a file path or ``preset:NAME``."""
        return self._origin

    @property
    def sha256(self) -> str:
        """SHA-256 of the criteria file's bytes."""
        return self._sha256

    def needed(self) -> int:
        """How many criteria must hold: all of them, one, or ``at_least``."""
        rule = self.scheme.rule
        if isinstance(rule, AtLeast):
            return rule.at_least
        return len(self.criteria) if rule == "all" else 1

    def rule_text(self) -> str:
        rule = self.scheme.rule
        if rule == "all":
            return "all criteria must hold"
        if rule == "any":
            return "at least one criterion must hold"
        return f"at least {self.needed()} of {len(self.criteria)} criteria must hold"


def preset_names() -> list[str]:
    """Names of the criteria files shipped inside the package."""
    folder = resources.files("urbanscreen") / "presets"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def default_criteria_source(cwd: Path | None = None) -> str:
    """``./criteria.toml`` when the working folder has one, else the packaged default."""
    folder = cwd or Path(".")
    local = folder / LOCAL_CRITERIA_FILE
    return str(local) if local.is_file() else DEFAULT_PRESET


def load_criteria(source: str | Path | None = None) -> Criteria:
    """Read and validate criteria from a file path or a preset name (default: ``scb-2012``)."""
    if source is None:
        source = DEFAULT_PRESET
    text_source = str(source)
    if isinstance(source, str) and text_source in preset_names():
        data = (resources.files("urbanscreen") / "presets" / f"{text_source}.toml").read_bytes()
        return parse_criteria(data, origin=f"preset:{text_source}")
    path = Path(source)
    location = Location(file=path)
    if not path.exists():
        presets = ", ".join(preset_names())
        raise FileNotFoundInputError(
            "criteria file not found",
            location=location,
            hint=f"give a path to a .toml file, or one of the shipped presets: {presets}",
        )
    if not path.is_file():
        raise CriteriaError("is not a file", location=location)
    if path.stat().st_size > MAX_CRITERIA_BYTES:
        raise CriteriaError(
            f"criteria file is larger than {MAX_CRITERIA_BYTES // 1024} KiB",
            location=location,
            hint="a criteria file holds a few dozen lines; check that this is the right file",
        )
    return parse_criteria(path.read_bytes(), origin=str(path))


def parse_criteria(data: bytes, *, origin: str) -> Criteria:
    """Validate criteria from the bytes of a TOML file; ``origin`` names it in messages."""
    location = Location(file=Path(origin)) if not origin.startswith("preset:") else Location()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CriteriaError(
            "criteria file is not UTF-8 text",
            location=location,
            hint="save the file as UTF-8 (TOML files are always UTF-8)",
        ) from exc
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise CriteriaError(
            f"not valid TOML: {exc}",
            location=location,
            hint="see https://toml.io for the syntax; strings need quotes",
        ) from exc
    try:
        criteria = Criteria.model_validate(raw)
    except ValidationError as exc:
        problems = [_describe_validation_error(err, raw) for err in exc.errors()]
        message = problems[0]
        if len(problems) > 1:
            message += f" (and {len(problems) - 1} more: " + "; ".join(problems[1:]) + ")"
        raise CriteriaError(
            message,
            location=location,
            hint="see the criteria.toml format in the README",
        ) from exc
    criteria._origin = origin
    criteria._sha256 = hashlib.sha256(data).hexdigest()
    return criteria


def _dotted_path(loc: tuple[int | str, ...]) -> str:
    """('criteria', 1, 'threshold') -> criteria[1].threshold, without pydantic's union tags."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif (
            part in {"AtLeast", "literal['all','any']"}
            or "[" in part
            or part.startswith("function-")
        ):
            continue
        else:
            path += f".{part}" if path else part
    return path or "(top level)"


_MESSAGES = {
    "missing": "required key is missing",
    "extra_forbidden": "unknown key (check its spelling)",
    "decimal_type": "must be a number",
    "is_instance_of": "must be a number, without quotes",
    "decimal_parsing": "must be a number",
    "string_type": "must be a string in quotes",
    "int_type": "must be a whole number",
    "list_type": 'must be a list, such as ["a", "b"]',
}


def _describe_validation_error(err: Any, raw: object) -> str:
    loc = tuple(err["loc"])
    path = _dotted_path(loc)
    message = _MESSAGES.get(err["type"], str(err["msg"]).removeprefix("Value error, "))
    criterion_id = _criterion_id(raw, loc)
    if criterion_id:
        path += f" (criterion {criterion_id!r})"
    if err["type"] not in {"missing", "extra_forbidden"} and "input" in err:
        given = err["input"]
        if not isinstance(given, dict | list):
            message += f", got {given!r}"
    return f"{path}: {message}"


def _criterion_id(raw: object, loc: tuple[int | str, ...]) -> str | None:
    if len(loc) < 2 or loc[0] != "criteria" or not isinstance(loc[1], int):
        return None
    if not isinstance(raw, dict):
        return None
    items = raw.get("criteria")
    if not isinstance(items, list) or loc[1] >= len(items):
        return None
    item = items[loc[1]]
    found = item.get("id") if isinstance(item, dict) else None
    return found if isinstance(found, str) else None
