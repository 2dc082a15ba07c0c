"""The command line: parse options, call the library, render, map errors to exit codes.

Exit codes: 0 the run completed; 1 a CI condition tripped; 2 usage, criteria or
input error, or an operating-system error; 3 an internal error (a bug: please report it);
128 + the signal when stopped by one; 141 when stdout's reader went away.
pandas and the library modules are imported inside commands, so --help and --version
start fast.
"""

from __future__ import annotations

import io
import os
import stat
import sys
import traceback
from collections.abc import Iterator, Mapping
from contextlib import contextmanager, suppress
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, BinaryIO, TextIO, cast

import typer
from typer.core import TyperCommand, TyperGroup

from urbanscreen import __version__
from urbanscreen.collector import exit_keeping_everything, keep_what_is_loaded, own_the_process
from urbanscreen.errors import Issue, UrbanscreenError, printable, shorten
from urbanscreen.messages import message, word
from urbanscreen.progress import spinner
from urbanscreen.suggest import closest

if TYPE_CHECKING:
    from rich.console import Console

    from urbanscreen.compare import Comparison, Snapshot
    from urbanscreen.criteria.model import Criteria
    from urbanscreen.followup import FollowUp
    from urbanscreen.pipeline import LoadOptions
    from urbanscreen.result import Result
    from urbanscreen.table import Table

EXIT_CONDITION, EXIT_INPUT, EXIT_INTERNAL = 1, 2, 3
EXIT_CLOSED_PIPE = 128 + 13  # what a shell reports for SIGPIPE: the reader went away
PIPE_WIDTH = 120


class _Voice:
    """The language of a run's diagnostics: the locale's (or ``--lang``) until the criteria
    are read, then the run's language, as the table's."""

    def __init__(self, wanted: str | None = None) -> None:
        from urbanscreen.render.speech import spoken_language

        self.wanted = wanted
        self.language: str = spoken_language(None, wanted, os.environ)

    def heard(self, scheme: Any) -> str:
        """The run's language once its criteria are read (scheme: the criteria's)."""
        from urbanscreen.render.speech import spoken_language

        self.language = spoken_language(scheme, self.wanted, os.environ)
        return self.language


class _Command(TyperCommand):
    """A command whose --help reads like a man page's: ``FILE`` in the usage line (newer
    typers write ``{FILE}``) and no type beside a flag (they print ``<bool>``)."""

    def get_params(self, ctx: Any) -> Any:
        return _untyped_flags(super().get_params(ctx))

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        return [_unbraced(piece) for piece in super().collect_usage_pieces(ctx)]


class _Group(TyperGroup):
    """A group whose --help shows no type beside a flag, as :class:`_Command`."""

    def get_params(self, ctx: Any) -> Any:
        return _untyped_flags(super().get_params(ctx))


def _untyped_flags(params: list[Any]) -> list[Any]:
    # A flag takes no value, so there is no value to describe; an empty metavar says so.
    for param in params:
        if getattr(param, "is_flag", False) and param.metavar is None:
            param.metavar = ""
    return params


def _unbraced(piece: str) -> str:
    return piece[1:-1] if piece.startswith("{") and piece.endswith("}") else piece


class _Commands(_Group):
    """urbanscreen's commands; a file given without one is taken for a forgotten ``check``."""

    # Typed as TyperGroup's own are (click's Context), which typer does not re-export.
    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            ctx.fail(unknown_command(ctx.command_path, args, list(self.commands)))
        return super().resolve_command(ctx, args)


def unknown_command(program: str, args: list[str], commands: list[str]) -> str:
    """``urbanscreen districts.xlsx``: the command was forgotten; ``chek``: misspelt."""
    import shlex

    given = args[0]
    looks_like_a_file = Path(given).suffix != "" or os.sep in given
    with suppress(OSError):  # a name too long for a path is no file either
        looks_like_a_file = looks_like_a_file or Path(given).exists()
    shown = repr(shorten(given))
    if looks_like_a_file and "check" in commands:
        suggestion = printable(shlex.join(args))
        return f"No such command {shown}; did you mean `{program} check {suggestion}`?"
    found = closest(given, commands)
    suggestion = f"; did you mean `{program} {found[0]}`?" if found else ""
    return f"No such command {shown}{suggestion} (the commands: {', '.join(commands)})"


app = typer.Typer(
    cls=_Commands,
    name="urbanscreen",
    help="Screen city districts and small areas against an area-based policy's "
    "eligibility criteria, and explain every decision.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    context_settings={"help_option_names": ["-h", "--help"]},
)


class OutputFormat(StrEnum):
    table = "table"
    json = "json"
    csv = "csv"
    markdown = "markdown"


class Language(StrEnum):
    sv = "sv"
    en = "en"


class DecimalMark(StrEnum):
    comma = ","
    point = "."


class PercentScaleChoice(StrEnum):
    auto = "auto"
    percent = "percent"
    fraction = "fraction"


class FailOn(StrEnum):
    changed = "changed"
    unknown = "unknown"
    warnings = "warnings"


class DiffFormat(StrEnum):
    text = "text"
    json = "json"
    markdown = "markdown"


CriteriaOption = Annotated[
    str | None,
    typer.Option(
        "--criteria",
        "-c",
        metavar="PATH|PRESET",
        help="Criteria file, or a shipped preset name. Default: ./criteria.toml if present, "
        "else the scb-2012 preset.",
    ),
]
SheetOption = Annotated[
    str | None,
    typer.Option("--sheet", metavar="NAME", help="Workbook sheet to read (default: the first)."),
]
FormatOption = Annotated[
    OutputFormat,
    typer.Option(
        "--format",
        "-f",
        metavar="FORMAT",
        help="What stdout gets: table for people, json for programs, csv for spreadsheets, "
        "markdown for CI summaries.",
    ),
]
OutputOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help="Also write a report: .xlsx (the workbook), .csv, .md or .json, by the suffix. "
        "Repeatable: each is written.",
    ),
]
LanguageOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        metavar="sv|en",
        help="Language of reports and of the terminal table (default: the scheme's; for a "
        "scheme that names none, the locale's, LANG).",
    ),
]
DiffLanguageOption = Annotated[
    Language | None,
    typer.Option(
        "--lang",
        metavar="sv|en",
        help="Language of the Markdown (--format markdown; default: the scheme's) and of "
        "errors (default: the locale's, LANG). The text and JSON are English.",
    ),
]
DecimalOption = Annotated[
    DecimalMark | None,
    typer.Option(
        "--decimal", metavar=",|.", help="Decimal mark of text numbers (default: detected)."
    ),
]
YearOption = Annotated[
    int | None,
    typer.Option(
        "--year",
        metavar="YEAR",
        help="Year to screen in tables with several (default: the latest every criterion has).",
    ),
]
YearsOption = Annotated[
    str | None,
    typer.Option(
        "--years",
        metavar="YEARS",
        help="Also screen these years of a table with several (all, 2009-2011 or 2009,2011): "
        "each district's verdicts over the years, who entered and who left.",
    ),
]
PercentScaleOption = Annotated[
    PercentScaleChoice,
    typer.Option(
        "--percent-scale",
        metavar="auto|percent|fraction",
        help="Whether percent columns hold percentages (45.2) or shares (0.452); "
        "auto tells them apart and says so.",
    ),
]
PopulationFloorOption = Annotated[
    int | None,
    typer.Option(
        "--population-floor",
        metavar="N",
        min=0,
        help="Flag areas with at most this many residents as uncertain "
        "(default: the scheme's, 20 for SCB's rule).",
    ),
]
FailOnOption = Annotated[
    list[FailOn] | None,
    typer.Option(
        "--fail-on",
        metavar="CONDITION",
        help="Exit 1 when any district differs from --baseline (changed; --baseline alone "
        "fails only when the qualifying set differs), an area is unknown (unknown), or any "
        "warning is raised (warnings). Repeatable.",
    ),
]
DistrictsOption = Annotated[
    Path | None,
    typer.Option(
        "--districts",
        metavar="FILE",
        readable=False,  # an unreadable file is said by the reader, with a hint
        help="The data hold small areas (DeSO, RegSO): build these districts from them "
        "(.toml, or .csv of district and area code).",
    ),
]
BaselineOption = Annotated[
    Path | None,
    typer.Option(
        "--baseline",
        metavar="RESULT.json",
        readable=False,
        help="A saved JSON result: compare with it, name each change, exit 1 when the "
        "qualifying set differs.",
    ),
]
NearOption = Annotated[
    float,
    typer.Option(
        "--near",
        metavar="FRACTION",
        min=0.0,
        help="Report values now within this fraction of a threshold (0.05: within 5 %).",
    ),
]
DebugOption = Annotated[
    bool, typer.Option("--debug", help="Show a traceback for errors.", hidden=False)
]
WhereOption = Annotated[
    list[str] | None,
    typer.Option(
        "--where",
        metavar="DIM=VALUE",
        help="Screen one value of a breakdown the table has (age, marital status, a unit): "
        "--where 'marital status=single'. Repeatable.",
    ),
]

CHECK_EPILOG = """\
[bold]Examples[/bold]

  urbanscreen check districts.xlsx

  urbanscreen check districts.csv --criteria my-criteria.toml

  urbanscreen check scb-download.xlsx --sheet Tabell --format json > result.json

  urbanscreen check districts.xlsx --output report.xlsx --lang en

  urbanscreen check new-release.xlsx --baseline result-2024.json

Exit codes: 0 done; 1 --baseline differs or a --fail-on condition happened; \
2 bad input, criteria or usage, or a file that cannot be read or written; \
3 an internal error (a bug); 128 + the signal when stopped (130 Ctrl-C, 143 SIGTERM); \
141 when stdout's reader left.
"""


DIFF_EPILOG = """\
[bold]Examples[/bold]

  urbanscreen diff districts-2024.xlsx districts-2025.xlsx

  urbanscreen diff baseline.json districts-2025.csv --format markdown

Exit codes: 0 the qualifying set is unchanged; 1 it changed; 2 bad input or usage.
"""


def _version(value: bool) -> None:
    if value:
        typer.echo(f"urbanscreen {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Screen areas against eligibility criteria; see `urbanscreen check --help`."""


@app.command(cls=_Command, epilog=CHECK_EPILOG)
def check(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help="The table of areas: .xlsx, .xls, .ods, .csv, .px or .parquet.",
            readable=False,  # an unreadable file is said by the reader, with a hint
        ),
    ],
    criteria: CriteriaOption = None,
    sheet: SheetOption = None,
    output_format: FormatOption = OutputFormat.table,
    output: OutputOption = None,
    lang: LanguageOption = None,
    decimal: DecimalOption = None,
    year: YearOption = None,
    years: YearsOption = None,
    percent_scale: PercentScaleOption = PercentScaleChoice.auto,
    population_floor: PopulationFloorOption = None,
    fail_on: FailOnOption = None,
    districts: DistrictsOption = None,
    baseline: BaselineOption = None,
    near: NearOption = 0.05,
    where: WhereOption = None,
    debug: DebugOption = False,
) -> None:
    """Screen every area in FILE and show which qualify and why."""
    conditions = set(fail_on or [])
    if FailOn.changed in conditions and baseline is None:
        raise typer.BadParameter("--fail-on changed needs --baseline RESULT.json")
    tripped: str | None = None
    voice = _Voice(None if lang is None else lang.value)
    with _errors_to_exit_codes(debug, voice):
        from urbanscreen.criteria.load import default_criteria_source, load_criteria
        from urbanscreen.outputs import claim_outputs, report_format

        criteria_source = criteria or default_criteria_source()
        inputs = [p for p in (file, Path(criteria_source), districts, baseline) if p is not None]
        # Before anything is read, and before pandas is imported (a second or more): a
        # signal from now on names the reports it stopped.
        claim_outputs(output or [], inputs)
        for target in output or []:
            report_format(target)  # a name no report can take: said before the long read

        from urbanscreen.dimensions import parse_where
        from urbanscreen.engine import screen
        from urbanscreen.pipeline import load

        picks = parse_where(where or [])
        loaded = load_criteria(criteria_source)
        keep_what_is_loaded()  # the libraries and criteria: kept until the exit
        # Reports, CSV, Markdown, the table and the diagnostics: one language.
        language = voice.heard(loaded.scheme)
        saved = _read_baseline(baseline)
        options = _load_options(
            sheet, decimal, year, percent_scale, districts, picks, every_year=years is not None
        )
        with spinner(f"Reading {file}…"):
            table = load(file, loaded, options)
            follow = None
            if years is None:
                result = screen(table, loaded, population_floor=population_floor)
            else:
                follow = _follow_up(table, loaded, years, population_floor, file)
                result = follow.screened
        _warn(result.issues, language)
        if follow is not None:
            for note in (n for y in follow.years for n in follow.notes.get(y, [])):
                _warn((Issue.of(note, level="info"),), language)
        said: set[str] = set()  # the notes and warnings already given (a note per report
        # would repeat the same line: which texts the criteria file lacks in the language)
        for target in output or []:
            from urbanscreen.report import write_report

            with spinner(f"Writing {target}…"):
                written = write_report(
                    result, target, language=language, protect=tuple(inputs), follow_up=follow
                )
            _warn(tuple(i for i in written.issues if str(i) not in said), language)
            said |= {str(issue) for issue in written.issues}
            wrote = message("wrote/replaced" if written.replaced else "wrote", path=written.path)
            typer.echo(f"urbanscreen: {wrote.text(language)}", err=True)
        _print_result(result, output_format, language, file, follow, said)
        if baseline is not None and saved is not None:
            tripped = _against_baseline(
                result, saved, baseline, near, any_change=FailOn.changed in conditions
            )
        if not tripped and conditions & {FailOn.unknown, FailOn.warnings}:
            from urbanscreen.compare import result_failure

            tripped = result_failure(
                result,
                on_unknown=FailOn.unknown in conditions,
                on_warnings=FailOn.warnings in conditions,
                language=language,
            )
    if tripped:
        typer.echo(f"urbanscreen: exit 1: {tripped}", err=True)
        raise typer.Exit(EXIT_CONDITION)


def _follow_up(
    table: Table, criteria: Criteria, years: str, population_floor: int | None, file: Path
) -> FollowUp:
    """Every year ``years`` names, screened (``check --years``)."""
    from urbanscreen.errors import Location
    from urbanscreen.followup import follow_up, parse_years

    chosen = parse_years(years, table.years, Location(file=file))
    return follow_up(table, criteria, chosen, population_floor=population_floor)


def _load_options(
    sheet: str | None,
    decimal: DecimalMark | None,
    year: int | None,
    percent_scale: PercentScaleChoice,
    districts: Path | None,
    where: Mapping[str, str],
    *,
    every_year: bool = False,
) -> LoadOptions:
    """The options that decide what is screened, as check and diff both take them."""
    from urbanscreen.pipeline import LoadOptions

    return LoadOptions(
        sheet=sheet,
        decimal=None if decimal is None else decimal.value,
        year=year,
        percent_scale=percent_scale.value,
        districts=districts,
        where=where,
        every_year=every_year,
    )


def _read_baseline(baseline: Path | None) -> Snapshot | None:
    """The saved result ``--baseline`` names, read before the table: a broken one is said
    before a long screening, not after it."""
    if baseline is None:
        return None
    from urbanscreen.compare import load_result_document

    return load_result_document(baseline)


def _against_baseline(
    result: Result, saved: Snapshot, baseline: Path, near: float, *, any_change: bool = False
) -> str | None:
    """Compare with the saved result read from ``baseline``; the log goes to stderr, stdout
    keeps its format. What fails the check is
    :func:`urbanscreen.compare.baseline_failure`'s to say."""
    from urbanscreen.compare import baseline_failure, compare, snapshot_of_result
    from urbanscreen.render.diff import to_text, workflow_annotations

    comparison = compare(saved, snapshot_of_result(result), near=near)
    typer.echo(to_text(comparison).rstrip("\n"), err=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for line in workflow_annotations(comparison):
            typer.echo(line, err=True)
    return baseline_failure(comparison, str(baseline), any_change=any_change)


@app.command(cls=_Command, epilog=DIFF_EPILOG)
def diff(
    old: Annotated[
        Path,
        typer.Argument(
            metavar="OLD",
            help="The earlier release: a data file or a JSON result.",
            readable=False,
        ),
    ],
    new: Annotated[
        Path | None,
        typer.Argument(
            metavar="NEW",
            help="The later release: a data file or a JSON result (none with --years).",
            readable=False,
        ),
    ] = None,
    criteria: CriteriaOption = None,
    sheet: SheetOption = None,
    output_format: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help="text for people and logs, json, markdown for CI.",
        ),
    ] = DiffFormat.text,
    near: NearOption = 0.05,
    year: YearOption = None,
    years: Annotated[
        str | None,
        typer.Option(
            "--years",
            metavar="YEAR,YEAR",
            help="Compare two years of the one table OLD (2010,2011) instead of two files.",
        ),
    ] = None,
    decimal: DecimalOption = None,
    percent_scale: PercentScaleOption = PercentScaleChoice.auto,
    where: WhereOption = None,
    population_floor: PopulationFloorOption = None,
    districts: DistrictsOption = None,
    lang: DiffLanguageOption = None,
    debug: DebugOption = False,
) -> None:
    """Compare two releases: which districts entered, left, became unknown or changed."""
    if (years is None) == (new is None):
        raise typer.BadParameter(
            "give two releases (OLD NEW), or one table and two of its years (OLD --years 2010,2011)"
        )
    changed = False
    # diff speaks --lang, else the locale's language: not the scheme's
    voice = _Voice(None if lang is None else lang.value)
    with _errors_to_exit_codes(debug, voice):
        from urbanscreen.compare import (
            compare,
            load_result_document,
            snapshot_of_result,
        )
        from urbanscreen.criteria.load import default_criteria_source, load_criteria
        from urbanscreen.dimensions import parse_where
        from urbanscreen.pipeline import screen_source
        from urbanscreen.render import diff as render
        from urbanscreen.render.stdout import write_whole

        loaded = None
        picks = parse_where(where or [])
        options = _load_options(sheet, decimal, year, percent_scale, districts, picks)

        def snapshot(path: Path) -> Snapshot:
            nonlocal loaded
            if path.suffix.lower() == ".json":
                return load_result_document(path)
            loaded = loaded or load_criteria(criteria or default_criteria_source())
            result = screen_source(path, loaded, options, population_floor=population_floor)
            _warn(result.issues, voice.language)
            return snapshot_of_result(result)

        def two_years(path: Path, wanted: str) -> tuple[Snapshot, Snapshot]:
            from dataclasses import replace

            from urbanscreen.errors import Location, OptionError
            from urbanscreen.followup import follow_up, parse_years
            from urbanscreen.pipeline import load

            loaded = load_criteria(criteria or default_criteria_source())
            table = load(path, loaded, replace(options, every_year=True))
            chosen = parse_years(wanted, table.years, Location(file=path))
            if len(chosen) != 2:
                raise OptionError(
                    f"--years {wanted} names {len(chosen)} year(s); diff compares two",
                    location=Location(file=path),
                    hint="write --years 2010,2011",
                )
            found = follow_up(table, loaded, chosen, population_floor=population_floor)
            _warn(found.screened.issues, voice.language)
            return found.snapshot(chosen[0]), found.snapshot(chosen[1])

        if years is not None:
            before, after = two_years(old, years)
        else:
            assert new is not None  # one or the other, checked above
            before, after = snapshot(old), snapshot(new)
        comparison = compare(before, after, near=near)
        scheme = loaded or load_criteria(criteria or default_criteria_source())
        write_whole(sys.stdout, _diff_text(comparison, output_format, scheme, lang))
        if os.environ.get("GITHUB_ACTIONS") == "true":
            for line in render.workflow_annotations(comparison):
                typer.echo(line, err=True)
        changed = comparison.changed_set
    if changed:
        raise typer.Exit(EXIT_CONDITION)


def _diff_text(
    comparison: Comparison, output_format: DiffFormat, scheme: Criteria, lang: Language | None
) -> str:
    """The comparison as ``diff`` prints it; Markdown in the report's language."""
    from urbanscreen.render import diff as render
    from urbanscreen.render.labels import language_of
    from urbanscreen.texts import in_language

    if output_format is DiffFormat.markdown:
        language = language_of(scheme.scheme.lang, None if lang is None else lang.value)
        spoken = in_language(scheme, language)[0].criteria
        labels = {criterion.id: criterion.label for criterion in spoken}
        return render.to_markdown(comparison, language, labels)
    if output_format is DiffFormat.json:
        return render.to_json(comparison) + "\n"
    return render.to_text(comparison)


def _print_result(
    result: Result,
    output_format: OutputFormat,
    language: str,
    file: Path,
    follow: FollowUp | None = None,
    said: set[str] | None = None,
) -> None:
    """The result (and its follow-up over years) on stdout, in the format asked for; a note
    in ``said`` (a report's writing gave it) is not given again."""
    # Taken once: while the spinner runs, rich stands in for sys.stdout (and prints to the
    # terminal), so every write goes to the stream we started with.
    out = sys.stdout
    if output_format is OutputFormat.json:
        from urbanscreen.render.jsondoc import write
        from urbanscreen.render.stdout import WholeBytes

        with _progress_while_writing_a_file(f"Writing JSON of {file}…"):
            out.flush()
            # The issues that end the document can be one write larger than the buffer.
            write(result, cast(BinaryIO, WholeBytes(out.buffer)), follow)
            out.buffer.write(b"\n")
            out.buffer.flush()
    elif output_format in {OutputFormat.csv, OutputFormat.markdown}:
        from urbanscreen.render.followup_tabular import follow_up_markdown, write_follow_up_csv
        from urbanscreen.render.stdout import write_whole
        from urbanscreen.render.tabular import to_markdown, write_csv
        from urbanscreen.report import in_language_follow_up, in_language_result

        result, notes = in_language_result(result, language)
        _warn(tuple(n for n in notes if str(n) not in (said or set())), language)
        if follow is not None:
            follow = in_language_follow_up(follow, language)
        with _progress_while_writing_a_file(f"Writing {output_format.value} of {file}…"):
            if output_format is OutputFormat.csv and follow is not None:
                write_follow_up_csv(follow, language, out)
            elif output_format is OutputFormat.csv:
                write_csv(result, language, out)
            else:
                text = to_markdown(result, language)
                if follow is not None:
                    text += "\n" + follow_up_markdown(follow, language)
                write_whole(out, text)
    else:
        from urbanscreen.render.terminal import print_stripped, print_table
        from urbanscreen.report import in_language_follow_up, in_language_result

        # The criteria's labels in the run's language, as CSV and Markdown show them.
        result, notes = in_language_result(result, language)
        _warn(tuple(n for n in notes if str(n) not in (said or set())), language)
        if follow is not None:
            follow = in_language_follow_up(follow, language)
        console = _stdout_console(out)
        print_table(result, console, language)
        if follow is not None:
            from urbanscreen.render.followup_terminal import render_follow_up

            print_stripped(render_follow_up(follow, console.width, language), console)


@contextmanager
def _progress_while_writing_a_file(message: str) -> Iterator[None]:
    """The spinner while JSON or CSV of a national table goes to a file (300 000 areas take
    seconds). Not to the terminal, where the two would mix, nor to a pipe: a pager (less)
    shares the terminal, and the spinner would draw over it."""
    try:
        to_a_file = stat.S_ISREG(os.fstat(sys.stdout.fileno()).st_mode)
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        to_a_file = False  # no real file descriptor (a test runner's buffer), or no stdout
    if not to_a_file:
        yield
        return
    with spinner(message):
        yield


def _stdout_console(out: TextIO) -> Console:
    """Rich console for stdout; a file or pipe gets 120 columns, not rich's 80."""
    from urbanscreen.render.stdout import StdoutConsole

    console = StdoutConsole(out, highlight=False)
    if not console.is_terminal and "COLUMNS" not in os.environ:
        console = StdoutConsole(out, highlight=False, width=PIPE_WIDTH)
    return console


def _warn(issues: tuple[Issue, ...], language: str) -> None:
    """Each warning and note on a line of its own, in ``language`` where the catalogue has
    it (else the whole line in English); the code in brackets stays as it is."""
    for issue in issues:
        said = language if issue.speaks(language) else "en"
        level = word("note" if issue.level == "info" else "warning", said)
        typer.echo(f"urbanscreen: {level} [{issue.code}]: {issue.text(said)}", err=True)


@contextmanager
def _errors_to_exit_codes(debug: bool, voice: _Voice | None = None) -> Iterator[None]:
    """A user's mistake or the system's refusal is one or two lines and exit 2; a bug says it
    is one (exit 3); a reader that went away ends the run quietly (141)."""
    try:
        yield
    except BrokenPipeError:
        _quiet_stdout()
        raise typer.Exit(EXIT_CLOSED_PIPE) from None
    except (UrbanscreenError, OSError) as exc:
        if debug:
            traceback.print_exc()
        if isinstance(exc, OSError):  # what the library did not name: a path it looked at
            from urbanscreen.faults import read_error

            if exc.filename is None:  # stdout failed: what it holds must not be tried again
                _quiet_stdout()
            exc = read_error(exc)
        language = (voice or _Voice()).language
        said = language if exc.speaks(language) else "en"
        text, hint = exc.said(said)
        typer.echo(f"urbanscreen: {word('error', said)} [{exc.code}]: {text}", err=True)
        if hint:
            typer.echo(f"  {word('hint', said)}: {hint}", err=True)
        raise typer.Exit(EXIT_INPUT) from None
    except (typer.Exit, typer.Abort, KeyboardInterrupt):
        raise
    except Exception as exc:
        if debug:
            traceback.print_exc()
        typer.echo(
            f"urbanscreen: internal error ({type(exc).__name__}: {exc}). This is a bug: "
            "please report it with the output of --debug.",
            err=True,
        )
        raise typer.Exit(EXIT_INTERNAL) from None


CRITERIA_EPILOG = """\
[bold]A criteria file[/bold] is TOML. Start from a preset:
urbanscreen criteria show scb-2012 > mine.toml

  version = 1

  \\[scheme]: name, description, source, lang ("sv" or "en"),
  rule: "all" (every criterion holds), "any" (one does),
  { at_least = 2 } or { any = ["a", "b"] }; population (the criterion
  that counts residents), id_columns, name_columns

  \\[\\[criteria]], one per criterion: id (lower-case letters, digits
  and _, starting with a letter), label, short_label, column, aliases,
  unit ("percent", "count" or "number"), op ("<", "<=", ">" or ">="),
  threshold (a number with a decimal point, 4.8, or
  { times = 3, of = "national_mean" }), missing, sex

  \\[\\[measures]], \\[references], \\[\\[outcomes]], \\[\\[indices]]: see the
  presets (urbanscreen criteria list)

Check a file: urbanscreen criteria check mine.toml
"""


# fetch lives in its own module; registering it here keeps `urbanscreen --help` complete.
from urbanscreen.pxwebapi.command import FETCH_EPILOG, fetch  # noqa: E402

app.command(cls=_Command, epilog=FETCH_EPILOG)(fetch)

criteria_app = typer.Typer(
    cls=_Commands,
    help="List, show and check criteria files and the presets shipped with urbanscreen.",
    epilog=CRITERIA_EPILOG,
    no_args_is_help=True,
)
app.add_typer(criteria_app, name="criteria")


@criteria_app.command("list", cls=_Command)
def criteria_list() -> None:
    """List the shipped presets, one line each (use one with --criteria NAME)."""
    from urbanscreen.criteria.load import load_criteria, preset_names

    for name in preset_names():
        loaded = load_criteria(name)
        typer.echo(f"{name:<18} {loaded.scheme.name}")


@criteria_app.command("show", cls=_Command)
def criteria_show(
    name: Annotated[str, typer.Argument(metavar="NAME|PATH", help="A preset name or a file.")],
    debug: DebugOption = False,
) -> None:
    """Print a preset's (or a file's) criteria file, to read or to copy and adapt."""
    with _errors_to_exit_codes(debug):
        from urbanscreen.criteria.load import load_criteria, preset_bytes, preset_names

        load_criteria(name)  # a broken file is reported like any other
        raw = preset_bytes(name) if name in preset_names() else Path(name).read_bytes()
        data = raw.decode("utf-8-sig")
        sys.stdout.write(data if data.endswith("\n") else data + "\n")


@criteria_app.command("check", cls=_Command)
def criteria_check(
    file: Annotated[str, typer.Argument(metavar="PATH|PRESET", help="The file to validate.")],
    debug: DebugOption = False,
) -> None:
    """Validate a criteria file: every problem with its path in the file; exit 2 if any."""
    with _errors_to_exit_codes(debug):
        from urbanscreen.criteria.load import load_criteria
        from urbanscreen.criteria.model import describe_rule
        from urbanscreen.errors import CriteriaError
        from urbanscreen.references import described

        try:
            loaded = load_criteria(file)
        except CriteriaError as exc:
            for problem in exc.problems:
                typer.echo(f"urbanscreen: error [{exc.code}]: {file}: {problem}", err=True)
            count = len(exc.problems)
            said = (
                message("criteria/count/one") if count == 1 else message("criteria/count", n=count)
            )
            typer.echo(f"  {said}; hint: {exc.hint}", err=True)
            raise typer.Exit(EXIT_INPUT) from None
        typer.echo(f"{file}: valid ({loaded.scheme.name})")
        typer.echo(f"  rule: {loaded.rule_text()}")
        for criterion in loaded.criteria:
            typer.echo(f"  criterion {criterion.id}: {criterion.label} {criterion.describe()}")
        for measure in loaded.measures:
            typer.echo(f"  measure {measure.id}: {measure.label}")
        for reference, value in loaded.references.items():
            typer.echo(f"  reference {described(reference, value)}")
        for outcome in loaded.outcomes:
            typer.echo(f"  outcome {outcome.id}: {outcome.label} = {describe_rule(outcome.rule)}")
        for index in loaded.indices:
            tiers = ", ".join(t.id for t in index.tiers)
            typer.echo(f"  index {index.id}: {index.label} of {', '.join(index.inputs)} ({tiers})")


def main() -> None:
    """Console-script entry point."""
    # Arrow's default allocator (mimalloc) keeps the pages a read frees for reuse; a one-shot
    # check never reuses them, so they only raise its peak (300 000 areas: ~40 MB).
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    # pydantic looks for plugins among every installed distribution's entry points (~3 ms);
    # urbanscreen validates its criteria with none.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    own_the_process()  # collector.py: the libraries kept out of collections, as measured
    from urbanscreen.faults import Interrupted, raise_on_termination_signals

    raise_on_termination_signals()
    if sys.stdout is None:
        # Started without stdout (cron, `>&-`): nobody reads what goes there, so JSON or
        # CSV goes nowhere, as the table does, and the exit code still tells. Like Python's
        # own stdout it is never closed (closefd=False): the process's end closes the file,
        # and the interpreter's teardown warns of no unclosed file.
        devnull = os.open(os.devnull, os.O_WRONLY)
        sys.stdout = open(devnull, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    try:
        app()
        code: object = 0
    except SystemExit as exc:
        code = exc.code
    except Interrupted as exc:
        from urbanscreen.outputs import say_interrupted

        code = say_interrupted(exc)
    exit_keeping_everything(_settled(code))


def _quiet_stdout() -> None:
    # The reader went away (`urbanscreen ... | head`): stop quietly, as Unix tools do.
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _settled(code: object) -> int:
    """The exit status (as sys.exit takes it) of a run whose output has gone out, or been
    given up on: the last of stdout is flushed here, where a reader gone away, a full disk
    or Ctrl-C each get their status and their words."""
    if code is None:
        code = 0
    elif not isinstance(code, int):
        if sys.stderr is not None:
            print(code, file=sys.stderr)
        code = 1
    from urbanscreen.faults import Interrupted

    # A stream closed before we started (cron, `2>&-`) is None: nothing to flush.
    if sys.stdout is not None:
        try:
            sys.stdout.flush()
        except BrokenPipeError:
            _quiet_stdout()
            code = code or EXIT_CLOSED_PIPE
        except Interrupted as exc:  # stdout's reader (a pager) stopped reading, then Ctrl-C
            from urbanscreen.outputs import say_interrupted

            _quiet_stdout()
            code = say_interrupted(exc)
        except OSError as exc:  # stdout redirected to a full disk
            from urbanscreen.faults import stdout_error

            _quiet_stdout()
            error = stdout_error(exc)
            with suppress(OSError):
                print(f"urbanscreen: error [{error.code}]: {error}", file=sys.stderr)
                print(f"  hint: {error.hint}", file=sys.stderr)
            code = EXIT_INPUT
    if sys.stderr is not None:
        # Nobody reading the diagnostics: the exit code still tells.
        with suppress(BrokenPipeError):
            sys.stderr.flush()
    return code
