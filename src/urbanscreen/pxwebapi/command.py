"""``urbanscreen fetch``: the command line of the fetch modules.

Kept out of ``cli.py`` so that the main module stays small; httpx and the rest are
imported inside the command, so ``urbanscreen --help`` imports neither.
"""

from __future__ import annotations

from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from urbanscreen.pxwebapi import DEFAULT_API, DEFAULT_LANGUAGE

if TYPE_CHECKING:
    from urbanscreen.pxwebapi.client import ApiClient, ClientOptions
    from urbanscreen.pxwebapi.fetch import FetchOutcome, FetchRequest
    from urbanscreen.pxwebapi.sources import Sources


FETCH_EPILOG = """\
[bold]Examples[/bold]

  urbanscreen fetch --search "förvärvsarbetande regso"

  urbanscreen fetch TAB005 -o land-use.px --where REGION=0180,1480 --years latest

  urbanscreen fetch --spec sources.toml -o data/

Exit codes: 0 written, or already current; 2 bad selection, usage, a file that cannot \
be written, or the API cannot be reached or refused (after bounded retries); \
129, 130, 143 stopped by SIGHUP, SIGINT or SIGTERM (the file being written is not, and a \
file already there is unchanged).
"""


class FetchLanguage(StrEnum):
    sv = "sv"
    en = "en"


def fetch(
    table: Annotated[
        str | None,
        typer.Argument(metavar="TABLE", help="The table's id in the database, e.g. TAB005."),
    ] = None,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="FILE",
            help="File to write, .px or .csv by the suffix; with --spec, the folder.",
        ),
    ] = None,
    where: Annotated[
        list[str] | None,
        typer.Option(
            "--where",
            metavar="DIM=VALUE",
            help="DIM=VALUE[,VALUE…]: values of a dimension, by code or label; * for all. "
            "Repeatable.",
        ),
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(
            "--years",
            metavar="PERIODS",
            help="Periods of the time dimension: 2015, 2010,2015, 2010-2015, latest or "
            "latest:N (default: all).",
        ),
    ] = None,
    codelist: Annotated[
        list[str] | None,
        typer.Option(
            "--codelist",
            metavar="DIM=ID",
            help="DIM=ID: group a dimension's values by one of the table's codelists "
            "(e.g. municipalities into counties). Repeatable.",
        ),
    ] = None,
    lang: Annotated[
        FetchLanguage | None,
        typer.Option(
            "--lang", metavar="sv|en", help="Language of labels in the file (default: sv)."
        ),
    ] = None,
    api: Annotated[
        str | None,
        typer.Option(
            "--api",
            metavar="URL",
            help=f"Base URL of a PxWebApi 2 service (default: {DEFAULT_API}).",
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option(
            "--search",
            metavar="WORDS",
            help="List tables matching WORDS: id, updated, period, title.",
        ),
    ] = None,
    spec: Annotated[
        Path | None,
        typer.Option(
            "--spec", metavar="FILE", help="A sources.toml naming every table of a release."
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Fetch even when the table is unchanged.")
    ] = False,
    timeout: Annotated[
        float,
        typer.Option(
            "--timeout",
            metavar="SECONDS",
            min=0.1,
            max=3600,
            help="Seconds to wait for each answer (at most 3600).",
        ),
    ] = 30.0,
    retries: Annotated[
        int,
        typer.Option(
            "--retries", metavar="N", min=0, help="Retries after a server error or a timeout."
        ),
    ] = 3,
    debug: Annotated[bool, typer.Option("--debug", help="Show a traceback for errors.")] = False,
) -> None:
    """Fetch a table from SCB's statistical database (PxWebApi 2) as PX or CSV for check."""
    from urbanscreen.cli import _errors_to_exit_codes

    chosen = [
        name
        for name, given in (("TABLE", table), ("--search", search), ("--spec", spec))
        if given is not None
    ]
    if len(chosen) != 1:
        raise typer.BadParameter("give exactly one of TABLE, --search WORDS or --spec FILE")
    if search is None and output is None:
        raise typer.BadParameter("--output is required: a .px or .csv file (a folder for --spec)")
    if (where or years or codelist) and table is None:
        raise typer.BadParameter(
            "--where, --years and --codelist go with TABLE; --spec has its own"
        )
    with _errors_to_exit_codes(debug):
        from urbanscreen.outputs import claim_outputs
        from urbanscreen.pxwebapi.client import ApiClient, ClientOptions
        from urbanscreen.pxwebapi.fetch import FetchRequest
        from urbanscreen.pxwebapi.selection import parse_codelist, parse_where
        from urbanscreen.pxwebapi.sources import load_sources

        options = ClientOptions(
            api=api or DEFAULT_API,
            lang=lang.value if lang else DEFAULT_LANGUAGE,
            timeout=timeout,
            retries=retries,
        )
        if search is not None:
            _search(options, search)
        elif spec is not None and output is not None:
            # The file's api and lang, unless given on the command line.
            sources = load_sources(spec)
            options = replace(
                options,
                api=api or sources.api or DEFAULT_API,
                lang=lang.value if lang else sources.lang or DEFAULT_LANGUAGE,
            )
            _fetch_spec(options, sources, output, force, spec)
        elif table is not None and output is not None:
            request = FetchRequest(
                table=table,
                output=output,
                where=tuple(parse_where(option) for option in where or ()),
                years=years,
                codelists=tuple(parse_codelist(option) for option in codelist or ()),
                force=force,
            )
            # Refused before the network, and named if a signal stops the download.
            claim_outputs([request.output], [])
            with ApiClient(options) as client:
                _fetch_one(client, request)


def _fetch_one(client: ApiClient, request: FetchRequest) -> None:
    from urbanscreen.progress import bar
    from urbanscreen.pxwebapi.fetch import describe_left_out, fetch_table

    with bar(f"{request.table} → {request.output.name}") as progress:
        outcome = fetch_table(client, request, progress=progress)
    for note in describe_left_out(outcome.left_out):
        typer.echo(f"urbanscreen: note: {note}", err=True)
    typer.echo(f"urbanscreen: {_said(request, outcome)}", err=True)


def _fetch_spec(
    options: ClientOptions, sources: Sources, folder: Path, force: bool, spec: Path
) -> None:
    from urbanscreen.outputs import claim_outputs
    from urbanscreen.pxwebapi.client import ApiClient
    from urbanscreen.pxwebapi.sources import requests_for

    requests = requests_for(sources, folder, force=force)
    # Every file, before the first request: one named twice ("a.px" and "./a.px"), a
    # folder that takes no file, and, if a signal stops the run, which were not written.
    claim_outputs([request.output for request in requests], [spec])
    with ApiClient(options) as client:  # one client: the rate limit holds across the tables
        for request in requests:
            _fetch_one(client, request)


def _search(options: ClientOptions, words: str) -> None:
    from urbanscreen.errors import printable
    from urbanscreen.pxwebapi.client import ApiClient

    with ApiClient(options) as client:
        tables, total = client.search(words)
    if not tables:
        typer.echo(f"urbanscreen: no table matches {words!r}", err=True)
        return
    width = max(len(t.id) for t in tables)
    for found in tables:
        period = f"{found.first_period}–{found.last_period}"
        typer.echo(
            printable(f"{found.id:<{width}}  {found.updated[:10]:<10}  {period:<11}  {found.label}")
        )
    if total > len(tables):
        typer.echo(
            f"urbanscreen: {total} tables match; the first {len(tables)} are listed: "
            "add words to narrow the search",
            err=True,
        )


def _said(request: FetchRequest, outcome: FetchOutcome) -> str:
    if not outcome.written:
        return (
            f"{outcome.path} is current: table {request.table} is unchanged since "
            f"{outcome.updated} (--force fetches anyway)"
        )
    pieces = f" in {outcome.requests} requests" if outcome.requests > 1 else ""
    return (
        f"wrote {outcome.path}: table {request.table} (updated {outcome.updated}), "
        f"{outcome.cells} cells{pieces}"
    )
