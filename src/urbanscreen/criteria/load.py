"""Reading criteria: from a file, from the bytes of one, or from a preset shipped in
the package."""

from __future__ import annotations

import hashlib
import tomllib
from decimal import Decimal
from importlib import resources
from pathlib import Path

from pydantic import ValidationError

from urbanscreen.criteria.messages import invalid_criteria, toml_error
from urbanscreen.criteria.model import Criteria
from urbanscreen.errors import CriteriaError, FileNotFoundInputError, Location
from urbanscreen.faults import read_one_version
from urbanscreen.formats import READ_SUFFIXES
from urbanscreen.messages import message
from urbanscreen.suggest import closest, missing_file_hint

MAX_CRITERIA_BYTES = 1024 * 1024
DEFAULT_PRESET = "scb-2012"
LOCAL_CRITERIA_FILE = "criteria.toml"


def preset_names() -> list[str]:
    """Names of the criteria files shipped inside the package."""
    folder = resources.files("urbanscreen") / "presets"
    return sorted(
        p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml")
    )


def preset_bytes(name: str) -> bytes:
    """The TOML text of a shipped preset, as stored in the package."""
    return (resources.files("urbanscreen") / "presets" / f"{name}.toml").read_bytes()


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
        return parse_criteria(preset_bytes(text_source), origin=f"preset:{text_source}")
    path = Path(source)
    location = Location(file=path)
    if not path.exists():
        fallback = message("hint/criteria-path", presets=", ".join(preset_names()))
        # A bare name (no folder, no suffix) is more likely a misspelt preset than a file.
        bare = path.suffix == "" and len(path.parts) == 1
        preset = closest(text_source, preset_names()) if bare else []
        raise FileNotFoundInputError(
            message("file-not-found/criteria"),
            location=location,
            hint=message("hint/preset", preset=preset[0])
            if preset
            else missing_file_hint(path, fallback, {".toml"}),
        )
    if not path.is_file():
        raise CriteriaError(
            message("invalid-criteria/not-a-file"),
            location=location,
            hint=message("hint/criteria-path", presets=", ".join(preset_names())),
        )
    # A table given as criteria (check districts.csv -c districts.csv) is told by its
    # name; a .txt may be either, and is read as criteria (an editor may save them so).
    if path.suffix.lower() in READ_SUFFIXES - {".txt"}:
        raise CriteriaError(
            message("invalid-criteria/a-table", suffix=path.suffix),
            location=location,
            hint=message("hint/criteria-after-table"),
        )
    if path.stat().st_size > MAX_CRITERIA_BYTES:
        raise CriteriaError(
            message("invalid-criteria/too-large", size=MAX_CRITERIA_BYTES // 1024),
            location=location,
            hint=message("hint/criteria-size"),
        )
    return parse_criteria(read_one_version(path), origin=str(path))


def parse_criteria(data: bytes, *, origin: str) -> Criteria:
    """Validate criteria from the bytes of a TOML file; ``origin`` names it in messages."""
    location = Location(file=Path(origin)) if not origin.startswith("preset:") else Location()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CriteriaError(
            message("invalid-criteria/not-utf8"),
            location=location,
            hint=message("hint/utf8"),
        ) from exc
    try:
        raw = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise toml_error(exc, text, location) from exc
    try:
        criteria = Criteria.model_validate(raw)
    except ValidationError as exc:
        raise invalid_criteria(exc, raw, location) from exc
    criteria._origin = origin
    criteria._sha256 = hashlib.sha256(data).hexdigest()
    return criteria
