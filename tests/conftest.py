"""Shared fixtures: a steady environment, real files written per test, the CLI runner."""

from __future__ import annotations

import csv
import re
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from typer.testing import CliRunner

import urbanscreen

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SAMPLE = ROOT / "data" / "sample"

SCB_HEADERS = [
    "Kommunkod",
    "Kommun",
    "Stadsdel",
    "Förvärvsfrekvens",
    "Långvarigt försörjningsstöd",
    "Gymnasiebehörighet",
    "Folkmängd",
]


@pytest.fixture(autouse=True)
def steady_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same output in CI and at a terminal: no CI annotations, no forced colour."""
    for name in ("GITHUB_ACTIONS", "FORCE_COLOR", "NO_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")
    # The terminal speaks the locale's language where a scheme names none: English here.
    for name in ("LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def criteria() -> urbanscreen.Criteria:
    return urbanscreen.load_criteria("scb-2012")


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def write_xlsx(path: Path, rows: Iterable[Sequence[object]], sheet: str = "Blad1") -> Path:
    """A real workbook, written with openpyxl, one list per row (None for an empty cell)."""
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    workbook.save(path)
    return path


def write_csv(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    separator: str = ";",
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        csv.writer(handle, delimiter=separator, lineterminator="\n").writerows(rows)
    return path


def scb_row(
    name: str,
    ff: object = 45,
    lfs: object = 8,
    gb: object = 60,
    pop: object = 5000,
    code: str = "1480",
    municipality: str = "Göteborg",
) -> list[object]:
    """One district that qualifies unless a value says otherwise."""
    return [code, municipality, name, ff, lfs, gb, pop]


@pytest.fixture(autouse=True)
def no_internet(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test reaches the internet: httpx sends a request for any host but this one to a
    proxy on a closed local port, so a test that forgot ``--api`` fails at once."""
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def marked(cell: Cell) -> tuple[str, str]:
    """What a value cell of the Districts sheet shows: the verdict's mark before the value
    and the format of its number. '"✓ "#,##0.0" %";"✓ -"…' is ("✓", '#,##0.0" %"'); a
    negative number takes the format's second section, the minus after the mark ('"✓ -"');
    a zero its third; a text ("..", a range) its fourth, '"? "@' ("?", "@")."""
    sections = str(cell.number_format).split(";")
    assert len(sections) == 4, f"{cell.coordinate}'s format {cell.number_format!r}"
    text, negative = isinstance(cell.value, str), not isinstance(cell.value, str) and cell.value < 0
    zero = not text and cell.value == 0
    section = sections[3] if text else sections[1] if negative else sections[2 if zero else 0]
    found = re.fullmatch(r'"(\S) (-?)"(.*)', section)
    assert found, f"no mark in {cell.coordinate}'s format {cell.number_format!r}"
    assert bool(found[2]) == negative, f"{cell.coordinate}: the minus, after the mark"
    return found[1], found[3]


def print_to_pdf(workbook: Path, folder: Path, timeout: int = 300) -> Path:
    """The workbook printed to PDF by LibreOffice, as a reader would print it; the PDF."""
    done = subprocess.run(
        [
            "soffice",
            # A profile of its own: with one in use (an open LibreOffice, another test) the
            # conversion can end at once without a PDF.
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder),
            str(workbook),
        ],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return folder / f"{workbook.stem}.pdf"
