"""Fetch one table: validate the selection, skip an unchanged release, download in pieces
under the cell limit, join them, and write PX or CSV atomically with its provenance."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from urbanscreen.errors import Location, OptionError, OutputPathError
from urbanscreen.outputs import check_output_path, write_atomically
from urbanscreen.pxwebapi.client import ApiClient, ClientOptions
from urbanscreen.pxwebapi.dataset import Dimension, join
from urbanscreen.pxwebapi.provenance import Provenance, from_csv_title, from_px_keywords
from urbanscreen.pxwebapi.selection import Codelist, Where, choose_codelists, select, split
from urbanscreen.pxwebapi.write import to_csv, to_px

FORMATS = (".px", ".csv")
# (done, total) requests, for a progress bar
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class FetchRequest:
    """One table to fetch: its id, the selection, and the file to write."""

    table: str
    output: Path
    where: tuple[Where, ...] = ()
    years: str | None = None
    codelists: tuple[Codelist, ...] = ()
    force: bool = False


@dataclass(frozen=True)
class FetchOutcome:
    """What a fetch did: ``written`` is False when the file on disk is already current."""

    path: Path
    written: bool
    updated: str
    requests: int  # data requests: more than one when the selection was split
    cells: int
    left_out: tuple[Dimension, ...]


def output_format(path: Path) -> str:
    """``.px`` or ``.csv`` from the file name; anything else is a usage error."""
    suffix = path.suffix.casefold()
    if suffix not in FORMATS:
        raise OptionError(
            f"cannot tell the format from the suffix {path.suffix or '(none)'!r}",
            location=Location(file=path),
            hint="name the output file .px (PC-Axis) or .csv",
        )
    return suffix


def fetch(
    table: str,
    output: str | Path,
    *,
    where: Mapping[str, str | Sequence[str]] | None = None,
    years: str | None = None,
    codelists: Mapping[str, str] | None = None,
    options: ClientOptions | None = None,
    force: bool = False,
) -> FetchOutcome:
    """Fetch ``table`` from a PxWebApi 2 service (SCB's by default) into ``output``
    (.px or .csv), as ``urbanscreen fetch`` does::

        urbanscreen.fetch("TAB005", "land.px", where={"REGION": ["0180"], "LANDUSECLASS": "*"})

    ``where`` maps a dimension (code or label) to values (codes or labels, ``"*"`` for all);
    ``years`` is as ``--years``; ``codelists`` maps a dimension to a codelist id.
    Raises :class:`urbanscreen.UrbanscreenError` subclasses, as the command exits 2.
    """
    request = FetchRequest(
        table=table,
        output=Path(output),
        where=tuple(
            Where(name, (values,) if isinstance(values, str) else tuple(values))
            for name, values in (where or {}).items()
        ),
        years=years,
        codelists=tuple(Codelist(name, id_) for name, id_ in (codelists or {}).items()),
        force=force,
    )
    with ApiClient(options or ClientOptions()) as client:
        return fetch_table(client, request)


def fetch_table(
    client: ApiClient,
    request: FetchRequest,
    *,
    progress: Progress | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> FetchOutcome:
    """Fetch ``request.table`` into ``request.output`` (see the module docstring)."""
    suffix = output_format(request.output)
    check_output_path(request.output, ())
    previous = read_provenance(request.output)
    if previous is None and request.output.exists() and not request.force:
        raise OutputPathError(
            "exists and was not written by urbanscreen fetch: it is not replaced",
            location=Location(file=request.output),
            hint="name another file, or add --force to replace it",
        )
    config = client.config()
    info = client.table(request.table)
    metadata = client.metadata(request.table)
    codelists = choose_codelists(metadata, request.codelists)
    if codelists:  # the dimensions' values as the codelists group them
        metadata = client.metadata(request.table, codelists)
    selection = select(metadata, request.where, request.years, codelists)
    options = client.options
    provenance = Provenance(
        api=options.api,
        table=info.id,
        selection=selection.text,
        updated=info.updated,
        fetched=now().isoformat(timespec="seconds"),
        lang=options.lang,
        attribution=config.attribution(options.lang),
        license=config.license,
    )
    if not request.force and previous is not None and previous.same_source(provenance):
        return FetchOutcome(
            request.output, False, info.updated, 0, selection.cells, selection.left_out
        )
    queries = split(selection, config.max_cells)
    pieces = []
    for done, query in enumerate(queries):
        if progress is not None:
            progress(done, len(queries))
        pieces.append(client.data(request.table, query, selection.codelists))
    if progress is not None:
        progress(len(queries), len(queries))
    dataset = join(pieces, selection.dimensions)
    text = to_px(dataset, provenance) if suffix == ".px" else to_csv(dataset, provenance)
    write_atomically(request.output, lambda path: _write_text(path, text))
    return FetchOutcome(
        request.output, True, info.updated, len(queries), selection.cells, selection.left_out
    )


def _write_text(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8", newline="\n")


def read_provenance(path: Path) -> Provenance | None:
    """The provenance a fetched PX or CSV file records; None for any other file."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if path.suffix.casefold() == ".csv":
        first = data.split(b"\n", 1)[0].decode("utf-8", "replace").lstrip("\ufeff")
        return from_csv_title(first.rstrip("\r"))
    from urbanscreen.pcaxis import PxError, decode_px, parse_px

    try:
        text, _ = decode_px(data)
        return from_px_keywords(parse_px(text).keywords)
    except PxError:
        return None


def describe_left_out(dimensions: Sequence[Dimension]) -> list[str]:
    """Notes for dimensions the API eliminated: which total stands for them."""
    notes = []
    for dimension in dimensions:
        total = (
            f"its total {dimension.label_of(dimension.elimination_code)!r}"
            if dimension.elimination_code in dimension.codes
            else "the sum of its values"
        )
        notes.append(
            f"{dimension.label!r} ({dimension.code}) left out: the table gives {total}; "
            f"choose values with --where '{dimension.code}=…' to break it down"
        )
    return notes
