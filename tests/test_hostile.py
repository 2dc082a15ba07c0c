"""Files from anywhere: each ends in a clear message and exit 2, never a hang or a crash."""

from __future__ import annotations

import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from urbanscreen.cli import app

from .conftest import SCB_HEADERS, scb_row, write_csv, write_xlsx


def check(runner: CliRunner, path: Path) -> tuple[int, str, str]:
    result = runner.invoke(app, ["check", str(path), "--lang", "en"])
    return result.exit_code, result.stdout, result.stderr


def rezip(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    """Copy a workbook, replacing some members' bytes."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            zout.writestr(item, replace.get(item.filename, zin.read(item.filename)))
    return target


def mixed_whitespace(size: int) -> bytes:
    """Spaces, tabs and line breaks that do not compress like a zip bomb."""
    spaces = np.frombuffer(b" \t\r\n", dtype=np.uint8)
    return spaces[np.random.default_rng(0).integers(0, 4, size)].tobytes()


@pytest.mark.parametrize(
    "reference",
    [
        b'r="XFD1048576"',
        b"r='XFD1048576'",
        b'r = "XFD1048576"',
        b'r=\n"XFD1048576"',
        # The sheet is scanned a megabyte at a time; space around '=' may span the seam.
        b"r" + mixed_whitespace(2 * 1024**2) + b'="XFD1048576"',
    ],
    ids=["double quotes", "single quotes", "spaces", "line break", "space across a read block"],
)
def test_far_away_cell_is_refused_before_allocation(
    runner: CliRunner, tmp_path: Path, reference: bytes
) -> None:
    book = write_xlsx(tmp_path / "src.xlsx", [SCB_HEADERS, scb_row("A")])
    with zipfile.ZipFile(book) as archive:
        sheet = archive.read("xl/worksheets/sheet1.xml")
    far = b'<row r="1048576"><c ' + reference + b' t="inlineStr"><is><t>x</t></is></c></row>'
    sheet = sheet.replace(b"</sheetData>", far + b"</sheetData>")
    path = rezip(book, tmp_path / "far.xlsx", {"xl/worksheets/sheet1.xml": sheet})
    code, _, err = check(runner, path)
    assert code == 2
    assert "1,048,576 rows x 16,384 columns" in err


def test_a_wide_sheet_within_bounds_is_read(runner: CliRunner, tmp_path: Path) -> None:
    # Columns beyond Z take the exact count of the sheet's extent, and pass it.
    extra = [f"Extra {n}" for n in range(30)]
    rows = [[*SCB_HEADERS, *extra], [*scb_row("A"), *range(30)]]
    path = write_xlsx(tmp_path / "wide.xlsx", rows)
    result = runner.invoke(app, ["check", "--lang", "en", str(path)])
    assert result.exit_code == 0
    assert "1 of 1 district qualifies" in result.stdout


def test_zip_bomb_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "src.xlsx", [SCB_HEADERS, scb_row("A")])
    padding = b"<!--" + b" " * (64 * 1024**2) + b"-->"
    path = rezip(book, tmp_path / "bomb.xlsx", {"xl/theme/theme1.xml": padding})
    assert path.stat().st_size < 1024**2
    code, _, err = check(runner, path)
    assert code == 2
    assert "zip bomb" in err


def test_fifo_is_refused_without_hanging(runner: CliRunner, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    code, _, err = check(runner, fifo)
    assert code == 2
    assert "not a regular file" in err


def test_giant_cell_near_the_top(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    path.write_text(";".join(SCB_HEADERS) + "\n" + '"' + "x" * 200_000 + '";1\n', encoding="utf-8")
    code, _, err = check(runner, path)
    assert code == 2
    assert "field larger than field limit" in err


def test_long_first_row_is_an_error_not_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    rows = "\n".join([",".join(SCB_HEADERS[2:]), "Alby,45,3,8,1,60,2,12300"])
    path.write_text(rows + "\n", encoding="utf-8")
    code, _, err = check(runner, path)
    assert code == 2
    assert "row 2" in err
    assert "ParserWarning" not in err


def test_control_characters_never_reach_the_terminal(runner: CliRunner, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("Evil\x1b[2J\x07")])
    code, out, _ = check(runner, path)
    assert code == 0
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "Evil\\x1b[2J\\x07" in out


def test_inf_and_nan_text_are_not_numbers(runner: CliRunner, tmp_path: Path) -> None:
    for bad in ("inf", "nan", "1e999"):
        path = write_csv(tmp_path / f"{bad}.csv", [SCB_HEADERS, scb_row("A", ff=bad)])
        code, _, err = check(runner, path)
        assert code == 2, bad
        assert "non-numeric-value" in err


def test_utf16_without_bom_and_binary(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(";".join(SCB_HEADERS).encode("utf-16-le"))
    code, _, err = check(runner, path)
    assert code == 2
    assert "NUL" in err


def test_duplicate_headers(runner: CliRunner, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [[*SCB_HEADERS, "Stadsdel"], [*scb_row("A"), "B"]])
    code, _, err = check(runner, path)
    assert code == 2
    assert "ambiguous-column" in err


@pytest.mark.parametrize("size", [0, 3])
def test_blank_files(runner: CliRunner, tmp_path: Path, size: int) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(b" \n\n"[:size])
    code, _, err = check(runner, path)
    assert code == 2
    assert "empty" in err


def test_not_a_table_at_all(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "d.bin"
    path.write_bytes(bytes(range(256)) * 10)
    code, _, err = check(runner, path)
    assert code == 2
    assert "neither an Excel workbook nor a text" in err


def test_truncated_workbook(runner: CliRunner, tmp_path: Path) -> None:
    book = write_xlsx(tmp_path / "src.xlsx", [SCB_HEADERS, scb_row("A")])
    data = book.read_bytes()
    path = tmp_path / "cut.xlsx"
    path.write_bytes(data[: len(data) // 2])
    code, _, err = check(runner, path)
    assert code == 2
    assert "workbook" in err


CSV_SHAPES = {
    "trailing blank lines": "a,b\n1,2\n3,4\n\n\n",
    "no final newline": "a,b\n1,2\n3,4",
    "quoted separators and quotes": 'a,b\n"1,5",2\n"x ""q""",4\n',
    "quoted empty and empty": 'a,b\n"",2\n,4\n',
    "spaces kept": "a,b\n 1 , 2 \n3,4\n",
    "short row": "a,b,c\n1,2\n3,4,5\n",
    "blank line inside": "a,b\n1,2\n\n3,4\n",
    "whitespace line": "a,b\n1,2\n   \n3,4\n",
    "markers stay text": "a,b\nNA,null\n..,-\n",
    "newline in quotes": 'a,b\n"x\ny",2\n',
    "letters beyond ASCII": "Förv,Malmö\nÖrebro,2\n１５,—\n",
    # quoted newlines spread over more than Arrow's 1 MB read block
    "many quoted newlines": "a,b\n" + '"line\nbreak",1\n' * 120_000,
}


@pytest.mark.parametrize("text", CSV_SHAPES.values(), ids=CSV_SHAPES.keys())
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "crlf"])
def test_the_csv_reader_reads_every_row_as_pythons_csv_module_does(
    tmp_path: Path, text: str, encoding: str
) -> None:
    """Arrow reads the body; Python's csv module, slow and plain, is the oracle: the same
    rows in the same places, a short row's missing fields empty, and the short rows listed."""
    import csv
    import io

    from urbanscreen.readers import read_raw

    path = tmp_path / "shape.csv"
    if encoding == "crlf":
        path.write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    else:
        path.write_bytes(text.encode(encoding))
    raw = read_raw(path, lambda rows: (0, 1))
    header, *rows = csv.reader(io.StringIO(text, newline=""))
    width = len(header)
    expected = pd.DataFrame([row + [""] * (width - len(row)) for row in rows], dtype=object)
    body = raw.body.astype(object)
    assert raw.headers == header
    assert body.to_numpy().tolist() == expected.to_numpy().tolist()
    short = [(i, len(row)) for i, row in enumerate(rows) if 0 < len(row) < width]
    assert list(raw.short_rows) == short


HEADER = (
    "Kommunkod;Kommun;Stadsdel;Förvärvsfrekvens (%);Långvarigt försörjningsstöd (%);"
    "Gymnasiebehörighet (%);Folkmängd\n"
)
ROWS = "0180;Stockholm;Rinkeby;44,2;11,9;61,5;15600\n0180;Stockholm;Tensta;47,8;9,6;64,0;18400\n"


@pytest.mark.parametrize(
    "text",
    [
        '"Tabell: Områden\nutdrag 2023"\n' + HEADER + ROWS,  # a title with a line break
        '"Kommun\nkod"' + HEADER[len("Kommunkod") :] + ROWS,  # a header cell with one
    ],
    ids=["title", "header"],
)
def test_a_quoted_line_break_above_the_rows_keeps_them_aligned(
    runner: CliRunner, tmp_path: Path, text: str
) -> None:
    path = tmp_path / "areas.csv"
    path.write_text(text, encoding="utf-8")
    result = runner.invoke(app, ["check", "--lang", "en", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "2 of 2 districts qualify" in result.stdout


def test_non_ascii_digits_are_numbers_as_python_reads_them(
    runner: CliRunner, tmp_path: Path
) -> None:
    path = tmp_path / "areas.csv"
    path.write_text(HEADER + ROWS.replace("15600", "１５６００"), encoding="utf-8")
    result = runner.invoke(app, ["check", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    rinkeby = json.loads(result.stdout)["districts"][0]
    population = next(c for c in rinkeby["criteria"] if c["id"] == "folkmangd")
    assert population["value"] == 15600
