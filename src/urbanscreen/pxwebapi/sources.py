"""``sources.toml``: the tables and selections a scheme needs, fetched with one command.

api = "https://statistikdatabasen.scb.se/api/v2"   # optional; the default is SCB
lang = "sv"                                        # optional

[[table]]
id = "TAB005"
file = "land-use.px"          # written into the folder given with -o
years = "latest"              # optional: "2015", "2010,2015", "2010-2015", "latest:2"
where = { REGION = ["0114", "0180"], LANDUSECLASS = "*" }
codelist = { REGION = "agg_Counties" }   # optional: another grouping of a dimension's values
"""

from __future__ import annotations

import tomllib
from pathlib import Path, PurePath
from typing import Annotated, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from urbanscreen.errors import InputFileError, Location, OutputPathError, UrbanscreenError
from urbanscreen.faults import read_error, write_error
from urbanscreen.pxwebapi import DEFAULT_API
from urbanscreen.pxwebapi.fetch import FORMATS, FetchRequest
from urbanscreen.pxwebapi.selection import Codelist, Where

MAX_SPEC_BYTES = 1_000_000


class SourcesError(UrbanscreenError):
    """``sources.toml`` is not valid TOML or breaks its schema."""

    code = "invalid-sources"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class TableSource(_Strict):
    """One table of a release and the file it is written to."""

    id: Annotated[str, Field(min_length=1)]
    file: Annotated[str, Field(min_length=1)]
    years: str | None = None
    where: dict[str, str | list[str]] = Field(default_factory=dict)
    codelist: dict[str, str] = Field(default_factory=dict)

    @field_validator("file")
    @classmethod
    def _plain_name(cls, value: str) -> str:
        path = PurePath(value)
        if path.is_absolute() or ".." in path.parts:
            raise ValueError("must be a path inside the output folder")
        if path.suffix.casefold() not in FORMATS:
            raise ValueError("must end in .px or .csv")
        return value

    def wheres(self) -> tuple[Where, ...]:
        return tuple(
            Where(name, tuple([values] if isinstance(values, str) else values))
            for name, values in self.where.items()
        )

    def codelists(self) -> tuple[Codelist, ...]:
        return tuple(Codelist(name, codelist) for name, codelist in self.codelist.items())


class Sources(_Strict):
    """Every table of a release."""

    api: str | None = None
    lang: Literal["sv", "en"] | None = None
    table: Annotated[list[TableSource], Field(min_length=1)]

    @field_validator("api")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        """Said here, with its path, rather than later as if --api had been given."""
        if value is not None:
            url = urlsplit(value)
            if url.scheme not in {"http", "https"} or not url.hostname:
                raise ValueError("must be an http(s) address, such as " + DEFAULT_API)
        return value


def load_sources(path: Path) -> Sources:
    """Read and validate ``sources.toml``; each problem with its dotted path, exit 2."""
    location = Location(file=path)
    try:
        if path.stat().st_size > MAX_SPEC_BYTES:
            raise SourcesError("is too large for a list of tables", location=location)
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise read_error(exc, path) from exc
    except UnicodeDecodeError as exc:
        raise InputFileError(f"cannot be read: {exc}", location=location) from exc
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SourcesError(f"is not valid TOML: {exc}", location=location) from exc
    try:
        sources = Sources.model_validate(raw)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc'])}: {error['msg']}"
            for error in exc.errors()
        ]
        raise SourcesError(
            "; ".join(problems[:5]),
            location=location,
            hint="each [[table]] needs id and file; where and years are optional",
        ) from exc
    # "x.px", "./x.px" and "X.px" are one file (on a case-insensitive file system).
    seen: dict[str, str] = {}
    for source in sources.table:
        key = str(PurePath(source.file)).casefold()
        if key in seen:
            first = seen[key]
            names = repr(first) if first == source.file else f"{first!r} and {source.file!r}"
            raise SourcesError(f"two tables are written to {names}", location=location)
        seen[key] = source.file
    return sources


def requests_for(sources: Sources, folder: Path, *, force: bool = False) -> list[FetchRequest]:
    """One request per table, its file inside ``folder`` (created, with subfolders)."""
    if folder.exists() and not folder.is_dir():
        raise OutputPathError(
            "is a file: with --spec, -o names the folder the tables go to",
            location=Location(file=folder),
            hint="name a folder (it is created if missing)",
        )
    requests = []
    for source in sources.table:
        target = folder / source.file
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:  # the plain reason and a hint, as for any report
            raise write_error(exc, target.parent) from exc
        requests.append(
            FetchRequest(
                table=source.id,
                output=target,
                where=source.wheres(),
                years=source.years,
                codelists=source.codelists(),
                force=force,
            )
        )
    return requests
