"""The terminal table: laid out as rich lays out its own tables, never cropping a value."""

from __future__ import annotations

import io

import pytest
from rich import box
from rich.console import Console, Group
from rich.table import Table
from rich.text import Text
from typer.testing import CliRunner

from urbanscreen.cli import app
from urbanscreen.render.grid import Column, grid

from .conftest import DATA, SAMPLE

NAMES = [
    "Rinkeby, Stockholm",
    "Södra Sofielund/Seved, Malmö",
    "Norra Biskopsgården, Göteborg",
    "A",
    "Ett mycket långt stadsdelsnamn som inte får plats på en rad, Kommun",
    "Averyveryveryverylongnamewithoutanyspacesatallthatmustbefolded",
    "東京都 新宿区",
    "Café\u0301 Zwölf\u200d, ｆｕｌｌｗｉｄｔｈ\u3000 name",
]


def _print(renderable: object, width: int) -> str:
    out = io.StringIO()
    Console(file=out, width=width, color_system=None, highlight=False).print(renderable)
    return out.getvalue()


def _rich_table(columns: list[Column], rows: list[list[Text]], sections: frozenset[int]) -> Table:
    """The rich table the terminal report used to print, as the reference."""
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, padding=(0, 1), expand=False)
    for column in columns:
        table.add_column(
            column.header,
            justify=column.justify,
            min_width=column.min_width or None,
            no_wrap=not column.wrap,
            overflow="fold",
        )
    for position, row in enumerate(rows):
        table.add_row(*row, end_section=position in sections)
    return table


def _example(names: list[str]) -> tuple[list[Column], list[list[Text]], frozenset[int]]:
    columns = [
        Column(Text("District"), min_width=12, wrap=True),
        Column(Text("Qualifies"), "center", min_width=7),
        Column(Text("Förvärvs-\nfrekvens\n< 52 %", style="bold"), "right"),
        Column(Text("Folkmängd\n>= 4 000", style="bold"), "right"),
    ]
    rows = [
        [
            Text(name),
            Text("YES" if i % 3 else "no", "bold green"),
            Text(f"✓ {40 + i * 1.7:.1f}", "green"),
            Text(f"✗ {1000 * (i + 1):,}".replace(",", " "), "red"),
        ]
        for i, name in enumerate(names)
    ]
    return columns, rows, frozenset({1, 3})


@pytest.mark.parametrize("width", [200, 100, 80, 72, 60, 50])
@pytest.mark.parametrize("count", [1, 3, len(NAMES)])
def test_grid_matches_richs_table(width: int, count: int) -> None:
    columns, rows, sections = _example(NAMES[:count])
    ours = grid(columns, rows, width, section_after=sections)
    theirs = _print(_rich_table(columns, rows, sections), width)
    if ours is None:
        # Too narrow for the table: rich would crop it. The caller shows a list instead.
        assert max(len(line) for line in theirs.splitlines()) >= width
        return
    # Inside a Group, as the report prints it (a bare Text loses its no_wrap in print).
    assert _print(Group(ours), width) == theirs


def test_sex_breakdown_in_a_narrow_terminal_crops_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "72")
    done = CliRunner().invoke(app, ["check", "--lang", "en", str(DATA / "kolada_by_sex.csv")])
    assert done.exit_code == 0, done.output
    women_and_men = done.stdout.split("Women and men: women / men (gap)\n", 1)[1]
    # --lang en names the criteria in English too, as CSV and Markdown do.
    assert "    Long-term social assistance: 11.2 / 10.4 (+0.8)" in women_and_men
    assert "    Upper-secondary eligibility: 90.1 / 86.0 (+4.1)" in women_and_men
    assert "…" not in done.stdout


def test_long_names_fold_and_keep_the_verdict(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "92")
    done = CliRunner().invoke(app, ["check", "--lang", "en", str(SAMPLE / "districts.xlsx")])
    assert done.exit_code == 0, done.output
    lines = done.stdout.splitlines()
    assert all(len(line) <= 92 for line in lines)
    row = next(i for i, line in enumerate(lines) if line.startswith(" Norra Biskopsgården, "))
    assert " ".join(lines[row].split()) == "Norra Biskopsgården, YES ✓ 43.8 ✓ 9.7 ✓ 55.0 ✓ 11 400"
    assert lines[row + 1].strip() == "Göteborg"


def test_lang_en_names_the_criteria_in_english() -> None:
    """scb-2012 gives its labels in Swedish and English: ``--lang en`` shows the English
    ones in the terminal as CSV and Markdown do; without it, the scheme's Swedish."""
    english = CliRunner().invoke(app, ["check", "--lang", "en", str(SAMPLE / "districts.xlsx")])
    swedish = CliRunner().invoke(app, ["check", str(SAMPLE / "districts.xlsx")])
    assert english.exit_code == swedish.exit_code == 0
    heading = english.stdout.split("───")[0]
    assert all(word in heading for word in ("Employ-", "eligibility", "Population"))
    assert "Förvärvs" not in english.stdout
    assert "Förvärvs-" in swedish.stdout.split("───")[0]


def test_other_columns_give_way_once_names_are_at_their_minimum() -> None:
    """rich would narrow the names below their minimum and then crop the table; the grid
    narrows the other wrapable columns instead, and every word is still there."""
    columns = [
        Column(Text("District"), min_width=12, wrap=True),
        Column(Text("Qualifies"), "center", min_width=7),
        Column(Text("Parallelsamfund (særlige krav)", style="bold"), "center", wrap=True),
        Column(Text("Omdannelsesområde efter § 61 a", style="bold"), "center", wrap=True),
    ]
    rows = [[Text("A Udsat og parallel, Aarhus"), Text("YES"), Text("✓"), Text("?")]]
    table = grid(columns, rows, 50)
    assert table is not None
    printed = _print(Group(table), 50)
    assert max(len(line) for line in printed.splitlines()) <= 50

    def ink(text: str) -> list[str]:
        return sorted(text.replace("─", "").replace(" ", "").replace("\n", ""))

    texts = [c.header.plain for c in columns] + [cell.plain for cell in rows[0]]
    assert ink(printed) == ink("".join(texts))  # folded, every character still there
    rich = _print(_rich_table(columns, rows, frozenset()), 50)
    assert ink(rich) != ink("".join(texts))  # rich's own table crops at this width
