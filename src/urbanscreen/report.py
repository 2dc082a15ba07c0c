"""Write a result to a report file: .xlsx, .csv, .md or .json, chosen by the suffix."""

from __future__ import annotations

import dataclasses
import shlex
import sys
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from urbanscreen.errors import Issue
from urbanscreen.outputs import check_output_path, report_format, write_atomically
from urbanscreen.render.labels import language_of
from urbanscreen.result import Result
from urbanscreen.texts import fallback_note, in_language

if TYPE_CHECKING:
    from urbanscreen.followup import FollowUp


@dataclass(frozen=True)
class ReportWritten:
    """What :func:`write_report` did."""

    path: Path
    format: str
    replaced: bool
    issues: list[Issue] = field(default_factory=list)


def write_report(
    result: Result,
    path: str | Path,
    *,
    language: str | None = None,
    command: str | None = None,
    now: datetime | None = None,
    protect: tuple[Path, ...] = (),
    follow_up: FollowUp | None = None,
) -> ReportWritten:
    """Write ``result`` to ``path``, atomically, never over the run's input or criteria.

    ``language`` is "sv" or "en" (default: the scheme's); ``command`` is recorded in the
    workbook's provenance (default: this process's command line); ``protect`` names more
    files of the run that must not be overwritten (a baseline); the input, the criteria
    file and a district definition always are. With ``follow_up`` (see
    :func:`urbanscreen.followup.follow_up`) the workbook gets a follow-up sheet, the JSON
    each district's years, and CSV and Markdown one row per district and year.
    """
    path = Path(path)
    protected = [result.table.source.path, *protect]
    if result.table.definition is not None:  # districts built from small areas
        protected.append(Path(result.table.definition[0]))
    if not result.criteria.origin.startswith("preset:"):
        protected.append(Path(result.criteria.origin))
    check_output_path(path, protected)
    kind = report_format(path)
    replaced = path.exists()
    words = language_of(result.criteria.scheme.lang, language)
    issues: list[Issue] = []
    if kind != "json":
        # Every text a reader sees in one language; the JSON keeps the file's own texts.
        result, notes = in_language_result(result, words)
        issues.extend(notes)
        if follow_up is not None:
            follow_up = in_language_follow_up(follow_up, words)

    def write(temporary: Path) -> None:
        if kind == "xlsx":
            from urbanscreen.render.excel import write_workbook

            issues.extend(
                write_workbook(
                    result,
                    temporary,
                    language=words,
                    command=command if command is not None else shlex.join(sys.argv),
                    generated=now or datetime.now().astimezone(),
                    follow_up=follow_up,
                    notes=tuple(issues),
                )
            )
        elif kind == "csv":
            from urbanscreen.render.followup_tabular import write_follow_up_csv
            from urbanscreen.render.tabular import write_csv

            with temporary.open("w", encoding="utf-8", newline="") as stream:
                if follow_up is not None:
                    write_follow_up_csv(follow_up, words, stream)
                else:
                    write_csv(result, words, stream)
        elif kind == "markdown":
            from urbanscreen.render.followup_tabular import follow_up_markdown
            from urbanscreen.render.tabular import to_markdown

            text = to_markdown(result, words)
            if follow_up is not None:
                text += "\n" + follow_up_markdown(follow_up, words)
            temporary.write_text(text, encoding="utf-8")
        else:
            from urbanscreen.render.jsondoc import write

            with temporary.open("wb") as stream:
                write(result, stream, follow_up)
                stream.write(b"\n")

    write_atomically(path, write)
    return ReportWritten(path=path, format=kind, replaced=replaced, issues=issues)


def in_language_result(result: Result, language: str) -> tuple[Result, list[Issue]]:
    """``result`` with the criteria's texts in ``language``, and the one note that says
    which texts the criteria file does not give in it (none when it gives them all)."""
    criteria, fallbacks = in_language(result.criteria, language)
    notes = []
    if fallbacks:
        said = fallback_note(fallbacks, language, result.criteria.scheme.lang)
        notes.append(Issue.of(said, level="info"))
    return dataclasses.replace(result, criteria=criteria), notes


def in_language_follow_up(follow_up: FollowUp, language: str) -> FollowUp:
    """``follow_up`` with the criteria's texts in ``language``, as
    :func:`in_language_result` gives the result's (whose note covers both)."""
    criteria, _ = in_language(follow_up.criteria, language)
    return dataclasses.replace(follow_up, criteria=criteria)
