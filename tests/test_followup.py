"""Follow-up over years: every chosen year screened, entered and left, reference rows apart,
and the follow-up in every report (JSON, terminal, workbook, CSV, Markdown)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator
from openpyxl import load_workbook
from openpyxl.chart import LineChart
from typer.testing import CliRunner

import urbanscreen
from urbanscreen import engine
from urbanscreen.cli import app
from urbanscreen.criteria.load import parse_criteria
from urbanscreen.criteria.model import Criteria
from urbanscreen.errors import OptionError
from urbanscreen.followup import FollowUp, follow_up, parse_years, reference_rows
from urbanscreen.render import followup_excel
from urbanscreen.table import load_table

from .conftest import DATA, ROOT, write_csv

MALMO = DATA / "malmo_forvarv_2009_2011.csv"
MALMO_CRITERIA = DATA / "malmo_forvarv.toml"

ONE_CRITERION = """\
version = 1
[scheme]
name = "Employment"
lang = "en"
[[criteria]]
id = "ff"
label = "Employment rate"
column = "Förvärvsfrekvens"
unit = "percent"
op = "{op}"
threshold = {threshold}
"""


def criteria_with(op: str, threshold: float) -> Criteria:
    text = ONE_CRITERION.format(op=op, threshold=threshold)
    return parse_criteria(text.encode(), origin="inline.toml")


def malmo(criteria: Criteria, years: list[int] | None = None) -> FollowUp:
    table = load_table(MALMO, criteria, every_year=True)
    return follow_up(table, criteria, years)


def verdicts(found: FollowUp) -> dict[str, list[bool | None]]:
    """Each district's qualifies, year by year (ascending)."""
    answer: dict[str, list[bool | None]] = {}
    flags = found.frame["qualifies"].to_numpy(dtype=object, na_value=None)
    for area, flag in zip(found.frame["id"], flags, strict=True):
        answer.setdefault(str(area), []).append(flag)
    return answer


def test_malmo_verdicts_per_year_under_52() -> None:
    """Malmö stad's welfare report 2013, table 6.1: förvärvsfrekvens 20-64, < 52 % strict."""
    found = malmo(urbanscreen.load_criteria(MALMO_CRITERIA))
    assert found.years == [2009, 2010, 2011]
    assert verdicts(found) == {
        "Södra Innerstaden": [False, False, False],  # 56, 58, 59: none below 52
        "Fosie": [True, True, True],  # 49, 50, 51: 51 < 52 still
        "Rosengård": [True, True, True],  # 35, 36, 36
    }
    margins = found.frame.set_index(["id", "year"])["forvarvsfrekvens:margin"]
    assert margins[("Fosie", 2011)] == 1.0  # 52 - 51
    assert margins[("Södra Innerstaden", 2010)] == -6.0  # 52 - 58, on the failing side
    counts = found.counts()
    assert [counts[y].qualifying for y in (2009, 2010, 2011)] == [2, 2, 2]
    assert all(not (c.entered or c.left or c.unknown) for c in found.changes)
    # The top-level answer is the screened year's (the latest, 2011).
    assert found.screened.table.year == 2011
    assert {d.id: d.qualifies for d in found.screened.districts()} == {
        "Fosie": True,
        "Rosengård": True,
        "Södra Innerstaden": False,
    }


def test_reference_rows_are_kept_apart_not_screened() -> None:
    found = malmo(urbanscreen.load_criteria(MALMO_CRITERIA))
    assert "Malmö totalt" not in set(found.frame["id"])
    assert {d.id for d in found.screened.districts()} == {"Fosie", "Rosengård", "Södra Innerstaden"}
    values = found.references.set_index(["id", "year"])["forvarvsfrekvens"]
    assert values[("Malmö totalt", 2009)] == 61
    assert values[("Sverige", 2011)] == 77
    codes = [issue.code for issue in found.screened.issues]
    assert "reference-rows" in codes and "total-row" not in codes


def test_reference_row_names() -> None:
    import pandas as pd

    names = pd.Series(
        [
            *("Malmö totalt", "Riket", "SVERIGE", "Hela kommunen", "Malmö kommun", "Totalt"),
            *("Rosengård", "Gamla staden", "Hela", None, "Södra Innerstaden"),
        ]
    )
    assert reference_rows(names).tolist() == [True] * 6 + [False] * 5


def test_left_when_a_strict_threshold_is_reached() -> None:
    # < 50: Fosie 49 meets it in 2009, 50 does not in 2010 (strict), 51 not in 2011.
    found = malmo(criteria_with("<", 50))
    assert verdicts(found)["Fosie"] == [True, False, False]
    first, second = found.changes
    assert (first.previous, first.year, first.entered, first.left) == (2009, 2010, [], ["Fosie"])
    assert (second.entered, second.left) == ([], [])


def test_entered_when_a_value_passes_the_threshold() -> None:
    # > 50: Fosie 49, 50 (not above 50), then 51 enters in 2011; Södra Innerstaden is
    # above all along (56, 58, 59), Rosengård never (35, 36, 36).
    found = malmo(criteria_with(">", 50))
    assert verdicts(found) == {
        "Södra Innerstaden": [True, True, True],
        "Fosie": [False, False, True],
        "Rosengård": [False, False, False],
    }
    assert [(c.year, c.entered, c.left) for c in found.changes] == [
        (2010, [], []),
        (2011, ["Fosie"], []),
    ]
    assert [found.counts()[y].qualifying for y in found.years] == [1, 1, 2]


def test_only_the_chosen_years_are_compared() -> None:
    found = malmo(criteria_with("<", 50), [2009, 2011])
    assert found.years == [2009, 2011]
    assert [(c.previous, c.year, c.left) for c in found.changes] == [(2009, 2011, ["Fosie"])]
    assert found.screened.table.year == 2011


def test_a_missing_value_is_unknown_that_year(tmp_path: Path) -> None:
    rows = [["Stadsdel", "År", "Förvärvsfrekvens"]]
    rows += [["Fosie", 2009, 49], ["Fosie", 2010, ".."], ["Fosie", 2011, 49]]
    rows += [["Hyllie", 2009, 59], ["Hyllie", 2010, 60], ["Hyllie", 2011, 60]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    criteria = criteria_with("<", 52)
    found = follow_up(load_table(path, criteria, every_year=True), criteria)
    assert verdicts(found)["Fosie"] == [True, None, True]
    # As `urbanscreen diff` says it: undecided now but not before, then qualifying again.
    assert [(c.unknown, c.entered, c.left) for c in found.changes] == [
        (["Fosie"], [], []),
        ([], ["Fosie"], []),
    ]


STREAK = """\
version = 1
[scheme]
name = "Streak"
lang = "en"
qualifies = "two_years"
[[criteria]]
id = "poor"
label = "Poverty"
column = "Poverty"
unit = "percent"
op = ">="
threshold = 20
years = {{ mean = {mean} }}
[[outcomes]]
id = "two_years"
label = "Poor two years running"
rule = {{ streak = 2, rule = "poor" }}
"""


def test_rules_over_years_look_back_only_and_say_what_is_missing(tmp_path: Path) -> None:
    rows = [["Område", "År", "Poverty"]]
    poverty = {"Always": (25, 25, 25), "Late": (5, 25, 25), "Never": (5, 5, 5)}
    for area, values in poverty.items():
        rows += [[area, 2019 + i, v] for i, v in enumerate(values)]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    criteria = parse_criteria(STREAK.format(mean=1).encode(), origin="c.toml")
    found = follow_up(load_table(path, criteria, every_year=True), criteria)
    assert verdicts(found) == {
        # 2019 has no 2018: poor in 2019 but the streak cannot be shown, so unknown.
        "Always": [None, True, True],
        # 2019 was 5: ruled out in 2019 whatever 2018 was, and in 2020 (2019, 2020: 5, 25).
        "Late": [False, False, True],
        "Never": [False, False, False],
    }
    assert [str(note) for note in found.notes[2019]] == [
        "2019: Poor two years running is a rule over 2 years (2018–2019); the table lacks "
        "2018, so it is unknown where those years could decide it"
    ]
    assert 2020 not in found.notes


def test_a_scheme_rule_over_years_says_what_is_missing(tmp_path: Path) -> None:
    """The scheme's own rule, not an outcome, over two years: 2019 lacks 2018, said."""
    rows = [["Område", "År", "Poverty"], ["A", 2019, 25], ["A", 2020, 25]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    text = STREAK.format(mean=1).split("[[outcomes]]")[0].replace('qualifies = "two_years"\n', "")
    text = text.replace("[scheme]\n", '[scheme]\nrule = { streak = 2, rule = "poor" }\n')
    criteria = parse_criteria(text.encode(), origin="c.toml")
    found = follow_up(load_table(path, criteria, every_year=True), criteria)
    assert verdicts(found) == {"A": [None, True]}
    assert [str(note) for note in found.notes[2019]] == [
        "2019: The scheme's rule is a rule over 2 years (2018–2019); the table lacks 2018, so "
        "it is unknown where those years could decide it"
    ]


def test_window_means_per_year_from_the_years_before(tmp_path: Path) -> None:
    rows = [["Område", "År", "Poverty"]]
    rows += [["A", 2019, 10], ["A", 2020, 30], ["A", 2021, 20]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    criteria = parse_criteria(STREAK.format(mean=2).encode(), origin="c.toml")
    found = follow_up(load_table(path, criteria, every_year=True), criteria)
    means = found.frame.set_index("year")["poor"]
    # 2019: no 2018, so no mean; 2020: (10 + 30) / 2 = 20; 2021: (30 + 20) / 2 = 25.
    assert means.isna()[2019]
    assert (means[2020], means[2021]) == (20.0, 25.0)
    assert "Poverty is a mean over 2 years" in str(found.notes[2019][0])


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(
        st.lists(st.one_of(st.integers(30, 70), st.just("..")), min_size=3, max_size=3),
        min_size=2,
        max_size=4,
    )
)
def test_each_year_as_screening_that_year_alone(tmp_path: Path, values: list[list[object]]) -> None:
    """Oracle: the follow-up's verdicts in a year equal `--year Y` screening of the file."""
    rows: list[list[object]] = [["Stadsdel", "År", "Förvärvsfrekvens"]]
    for number, yearly in enumerate(values):
        rows += [[f"Område {number}", 2009 + i, value] for i, value in enumerate(yearly)]
    path = write_csv(tmp_path / "oracle.csv", rows, separator=",")
    criteria = criteria_with("<", 52)
    found = follow_up(load_table(path, criteria, every_year=True, year=2011), criteria)
    for year in (2009, 2010, 2011):
        alone = urbanscreen.screen(load_table(path, criteria, year=year), criteria)
        expected = {d.id: d.qualifies for d in alone.districts()}
        assert {d.id: d.qualifies for d in found.results[year].districts()} == expected


def test_follow_up_needs_every_year_loaded() -> None:
    criteria = urbanscreen.load_criteria(MALMO_CRITERIA)
    with pytest.raises(OptionError, match="no values of 2009, 2010, 2011 to follow") as caught:
        follow_up(load_table(MALMO, criteria), criteria)
    assert caught.value.hint is not None and "every_year=True" in caught.value.hint


def test_parse_years() -> None:
    available = [2009, 2010, 2011]
    assert parse_years("all", available) == [2009, 2010, 2011]
    assert parse_years("2010-2011", available) == [2010, 2011]
    assert parse_years("2011–2009", available) == [2009, 2010, 2011]
    assert parse_years("2011, 2009", available) == [2009, 2011]
    with pytest.raises(OptionError, match="has no year 2012"):
        parse_years("2009,2012", available)
    with pytest.raises(OptionError, match="no year in 2001–2005"):
        parse_years("2001-2005", available)
    # A range reaching past the table's years is refused as a list naming them is; a year
    # missing inside the table's span is a gap, and the range takes the years around it.
    with pytest.raises(OptionError, match="has no year 2007–2008, 2012"):
        parse_years("2007-2012", available)
    with pytest.raises(OptionError, match="has no year 2012–2015"):
        parse_years("2010-2015", available)
    assert parse_years("2009-2011", [2009, 2011]) == [2009, 2011]
    with pytest.raises(OptionError, match="not a list of years"):
        parse_years("last", available)
    with pytest.raises(OptionError, match="the file has no years"):
        parse_years("all", [])


def test_one_year_followed_is_headed_as_one(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = check(runner, "--years", "2010", "--lang", "en")
    assert code == 0, err
    assert "Follow-up 2010 —" in out and "2010–2010" not in out
    report = tmp_path / "r.md"
    code, out, err = check(runner, "--years", "2010", "-o", str(report))
    assert code == 0, err
    assert "### Uppföljning 2010\n" in report.read_text(encoding="utf-8")


# -- the command line and its reports ---------------------------------------------------------


def check(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    done = runner.invoke(app, ["check", str(MALMO), "-c", str(MALMO_CRITERIA), *args])
    return done.exit_code, done.stdout, done.stderr


def test_json_years_per_district_and_summary(runner: CliRunner) -> None:
    code, out, err = check(runner, "--years", "all", "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    fosie = next(d for d in document["districts"] if d["id"] == "Fosie")
    assert fosie["qualifies"] is True  # 2011's
    assert [y["year"] for y in fosie["years"]] == [2009, 2010, 2011]
    assert fosie["years"][0] == {
        "year": 2009,
        "qualifies": True,
        "criteria": [
            {
                "id": "forvarvsfrekvens",
                "value": 49.0,
                "threshold": 52.0,
                "met": True,
                "margin": 3.0,
                "missing": False,
            }
        ],
        "outcomes": {},
    }
    summary = document["summary"]
    assert [(y["year"], y["qualifying"], y["districts"]) for y in summary["years"]] == [
        (2009, 2, 3),
        (2010, 2, 3),
        (2011, 2, 3),
    ]
    assert summary["changes"][0] == {
        "from": 2009,
        "to": 2010,
        "entered": [],
        "left": [],
        "unknown": [],
    }
    references = {r["name"]: r for r in document["follow_up"]["reference_rows"]}
    assert set(references) == {"Malmö totalt", "Sverige"}
    assert [y["values"]["forvarvsfrekvens"] for y in references["Malmö totalt"]["years"]] == [
        61,
        62,
        63,
    ]
    assert all(d["id"] not in references for d in document["districts"])
    schema = json.loads((ROOT / "schemas" / "result.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema).validate(document)
    fosie["years"][0]["year"] = (
        "2009"  # the schema describes the years, it does not just allow them
    )
    assert not Draft202012Validator(schema).is_valid(document)


def test_terminal_follow_up_at_80_columns(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = check(runner, "--years", "2009-2011", "--lang", "en")
    assert code == 0, err
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "Follow-up 2009–2011" in out
    after = lines[next(i for i, line in enumerate(lines) if "Follow-up" in line) :]
    verdict_lines = [line.split() for line in after if line.startswith((" Fosie", " Rosengård"))]
    marks = {words[0]: words[1:] for words in reversed(verdict_lines)}  # the first one wins
    assert marks["Fosie"][:3] == ["✓", "✓", "✓"]  # the verdicts table comes first
    southern = next(
        line for line in lines if line.startswith(" Södra Innerstaden") and "✗ 56.0" in line
    )
    assert southern.split()[-6:] == ["✗", "56.0", "✗", "58.0", "✗", "59.0"]
    threshold = next(line for line in lines if line.startswith(" Threshold"))
    assert threshold.split()[1:] == ["52.0", "52.0", "52.0"]
    reference = next(line for line in lines if "Malmö totalt (reference)" in line)
    assert reference.split()[-3:] == ["61.0", "62.0", "63.0"]
    assert "No district entered or left in any year: 2010, 2011" in out
    assert "not screened as districts" in err


def test_terminal_follow_up_speaks_the_schemes_language(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The Malmö scheme is Swedish: the follow-up speaks it as the check table above it
    does, decimal commas included, at 80 columns and without trailing spaces."""
    monkeypatch.setenv("COLUMNS", "80")
    code, out, err = check(runner, "--years", "2009-2011")
    assert code == 0, err
    lines = out.splitlines()
    assert all(len(line) <= 80 and line == line.rstrip() for line in lines), lines
    assert "Uppföljning 2009–2011 — alla villkor ska vara uppfyllda" in out
    assert "Follow-up" not in out and "Threshold" not in out and "(reference)" not in out
    assert " 2009: 2 av 3  2010: 2 av 3  2011: 2 av 3" in lines
    southern = next(
        line for line in lines if line.startswith(" Södra Innerstaden") and "✗ 56,0" in line
    )
    assert southern.split()[-6:] == ["✗", "56,0", "✗", "58,0", "✗", "59,0"]
    assert next(line for line in lines if line.startswith(" Gräns")).split()[1:] == [
        "52,0",
        "52,0",
        "52,0",
    ]
    reference = next(line for line in lines if "Malmö totalt (referens)" in line)
    assert reference.split()[-3:] == ["61,0", "62,0", "63,0"]
    assert "Tillkom och föll bort" in out
    assert "Inget område tillkom eller föll bort något år: 2010, 2011" in out


def test_terminal_names_who_entered_and_left(runner: CliRunner, tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(ONE_CRITERION.format(op=">", threshold=50), encoding="utf-8")
    done = runner.invoke(app, ["check", str(MALMO), "-c", str(criteria), "--years", "all"])
    assert done.exit_code == 0, done.stderr
    assert "2011 (from 2010): entered Fosie" in done.stdout
    assert "No district entered or left in other years: 2010" in done.stdout


def test_many_years_fold_at_80_columns(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    rows = [["Stadsdel", "År", "Förvärvsfrekvens"]]
    for name, start in (("Rosengård", 35.5), ("Södra Innerstaden", 56.25)):
        rows += [[name, year, start + (year - 2010) / 4] for year in range(2010, 2022)]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    done = runner.invoke(
        app, ["check", str(path), "-c", str(MALMO_CRITERIA), "--years", "all", "--lang", "en"]
    )
    assert done.exit_code == 0, done.stderr
    lines = done.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines), max(lines, key=len)
    assert "2021 ✗ 59.0" in done.stdout  # 56.25 + 11 / 4: every value, none cropped
    assert "2010 ✓ 35.5" in done.stdout


def test_workbook_follow_up_sheet_and_its_chart(runner: CliRunner, tmp_path: Path) -> None:
    report = tmp_path / "report.xlsx"
    code, _, err = check(runner, "--years", "all", "--output", str(report))
    assert code == 0, err
    workbook = load_workbook(report)
    assert "Uppföljning" in workbook.sheetnames
    sheet = workbook["Uppföljning"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    summary = rows.index(
        [
            "År",
            "Områden",
            "Uppfyller villkoren",
            "Uppfyller inte",
            "Kan inte avgöras (värden saknas)",
            "tillkom",
            "föll bort",
            None,
            None,
            None,
        ]
    )
    assert [row[:3] for row in rows[summary + 1 : summary + 4]] == [
        [2009, 3, 2],
        [2010, 3, 2],
        [2011, 3, 2],
    ]
    header = next(i for i, row in enumerate(rows) if row[:3] == ["Id", "Namn", "Typ"])
    body = rows[header + 1 :]
    assert body[0][:7] == [
        "Södra Innerstaden",
        "Södra Innerstaden",
        "område",
        None,
        2009,
        "Nej",
        56,
    ]
    fosie_2011 = next(row for row in body if row[0] == "Fosie" and row[4] == 2011)
    assert fosie_2011[5:10] == ["Ja", 51, 52, "✓ uppfyllt", 1]
    assert [row[:3] for row in body if row[2] == "referens"][::3] == [
        ["Malmö totalt", "Malmö totalt", "referens"],
        ["Sverige", "Sverige", "referens"],
    ]
    charts = sheet._charts  # openpyxl keeps the charts it read here
    assert len(charts) == 1 and isinstance(charts[0], LineChart)
    # A line per district (3), the reference rows (2) and the threshold.
    assert len(charts[0].series) == 6
    data = workbook["Uppföljningsdata"]
    assert data.sheet_state == "hidden"
    columns = list(data.iter_cols(values_only=True))
    by_name = {column[0]: list(column[1:]) for column in columns}
    assert by_name["År"] == [2009, 2010, 2011]
    assert by_name["Fosie"] == [49, 50, 51]
    assert by_name["Malmö totalt"] == [61, 62, 63]
    assert by_name["gräns < 52 %"] == [52, 52, 52]


def test_workbook_in_english_and_lines_when_many(runner: CliRunner, tmp_path: Path) -> None:
    rows = [["Stadsdel", "År", "Förvärvsfrekvens"]]
    # 30 districts; those from 45 up fail < 52 unless below it: 7 qualify every year.
    for number in range(30):
        rows += [[f"D{number:02d}", year, 45 + number + (year - 2009)] for year in (2009, 2010)]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    report = tmp_path / "r.xlsx"
    done = runner.invoke(
        app,
        [
            "check",
            str(path),
            "-c",
            str(MALMO_CRITERIA),
            "--years",
            "all",
            "-o",
            str(report),
            "--lang",
            "en",
        ],
    )
    assert done.exit_code == 0, done.stderr
    workbook = load_workbook(report)
    data = workbook["Follow-up data"]
    names = [cell for cell in next(data.iter_rows(values_only=True)) if cell]
    lines = [name for name in names if name.startswith("D")]
    # D00..D06 qualify in 2009 (45..51 < 52); the others nearest 52 fill up to ten lines.
    assert lines == [f"D{n:02d}" for n in range(10)]
    assert len(workbook["Follow-up"]._charts) == 1


def test_workbook_lists_the_districts_a_reader_needs_when_many(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Beyond MAX_SHEET_ROWS district-years the sheet lists, every year of each, those
    qualifying or undecided in any year and those nearest a threshold, and says so; the CSV
    keeps every district and year."""
    monkeypatch.setattr(followup_excel, "MAX_SHEET_ROWS", 20)  # 20 // (2 × 2 years) = 5 each
    rows = [["Stadsdel", "År", "Förvärvsfrekvens"]]
    # 45 + n in 2009, one more in 2010: D00..D06 qualify in some year, D07 is at 52 (0 from
    # the threshold), D08, D09, ... ever farther.
    for number in range(30):
        rows += [[f"D{number:02d}", year, 45 + number + (year - 2009)] for year in (2009, 2010)]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    report, table = tmp_path / "r.xlsx", tmp_path / "r.csv"
    args = ["check", str(path), "-c", str(MALMO_CRITERIA), "--years", "all"]
    done = runner.invoke(app, [*args, "-o", str(report), "-o", str(table), "--lang", "en"])
    assert done.exit_code == 0, done.stderr
    assert "note [report-abridged]: the follow-up sheet lists 10 of 30 districts" in done.stderr
    sheet = load_workbook(report)["Follow-up"]
    rows_read = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert rows_read[1][0] == (
        "This sheet lists 10 of 30 districts, each in every year: those qualifying or "
        "undecided in any year (up to 5) and the 5 others nearest a threshold. Every district "
        "and year: --output FILE.csv or --format csv."
    )
    header = next(i for i, row in enumerate(rows_read) if row[:3] == ["Id", "Name", "Kind"])
    listed = [(row[0], row[4]) for row in rows_read[header + 1 :] if row[0]]
    expected = [f"D{n:02d}" for n in (0, 1, 2, 3, 4, 7, 8, 9, 10, 11)]
    assert listed == [(area, year) for area in expected for year in (2009, 2010)]
    # The summary counts every district, abridged or not.
    summary = next(i for i, row in enumerate(rows_read) if row[0] == "Year")
    assert [row[:3] for row in rows_read[summary + 1 : summary + 3]] == [
        [2009, 30, 7],
        [2010, 30, 6],
    ]
    lines = table.read_text(encoding="utf-8-sig").splitlines()
    assert len(lines) == 1 + 30 * 2


def test_csv_and_markdown_long_form(runner: CliRunner, tmp_path: Path) -> None:
    code, out, err = check(runner, "--years", "2010,2011", "--format", "csv")
    assert code == 0, err
    lines = out.lstrip("\ufeff").splitlines()
    assert lines[0].startswith("Id;Namn;Typ;Kommun;År;Uppfyller villkoren;Förvärvsfrekvens;")
    assert "Fosie;Fosie;område;;2010;Ja;50;52;✓ uppfyllt;2" in lines
    assert "Sverige;Sverige;referens;;2011;;77;;;" in lines
    assert len(lines) == 1 + 3 * 2 + 2 * 2  # a header, 3 districts and 2 references × 2 years
    written = tmp_path / "long.md"
    code, out, err = check(runner, "--years", "all", "--output", str(written))
    assert code == 0, err
    text = written.read_text(encoding="utf-8")
    assert "### Uppföljning 2009–2011" in text
    # Swedish decimal commas, as the check's own Markdown table writes them.
    assert "| Rosengård | 2009 | ✅ Ja | ✓ 35,0 |" in text
    assert "- Malmö totalt: Förvärvsfrekvens 2009: 61,0, 2010: 62,0, 2011: 63,0" in text


def test_long_form_margin_header_names_its_unit_as_a_single_year_does(
    runner: CliRunner,
) -> None:
    code, out, err = check(runner, "--years", "2010,2011", "--format", "csv")
    assert code == 0, err
    follow_up = out.lstrip("\ufeff").splitlines()[0].split(";")
    code, out, err = check(runner, "--year", "2011", "--format", "csv")
    assert code == 0, err
    single = out.lstrip("\ufeff").splitlines()[0].split(";")
    margins = [header for header in single if ": marginal" in header]
    assert margins == ["Förvärvsfrekvens: marginal (procentenheter)"]
    assert [header for header in follow_up if ": marginal" in header] == margins


def test_years_on_a_table_without_years(runner: CliRunner, tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv", [["Stadsdel", "Förvärvsfrekvens"], ["Fosie", 51]], separator=","
    )
    done = runner.invoke(
        app, ["check", str(path), "-c", str(MALMO_CRITERIA), "--years", "all", "--lang", "en"]
    )
    assert done.exit_code == 2
    assert "--years all was given, but the file has no years" in done.stderr
    assert "Traceback" not in done.stderr


def test_years_with_a_year_keeps_the_screened_year_on_top(runner: CliRunner) -> None:
    code, out, err = check(runner, "--years", "all", "--year", "2010", "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["input"]["year"] == 2010
    fosie = next(d for d in document["districts"] if d["id"] == "Fosie")
    assert fosie["criteria"][0]["value"] == 50.0
    assert [y["year"] for y in fosie["years"]] == [2009, 2010, 2011]


DISTRICT_CRITERIA = """\
version = 1
[scheme]
name = "Employment, districts"
lang = "en"
[[criteria]]
id = "ff"
label = "Employment rate"
column = "Förvärvsfrekvens"
unit = "percent"
op = "<"
threshold = 52
numerator = { column = "Förvärvsarbetande 20-64 år" }
denominator = { column = "Befolkning 20-64 år" }
"""


def district_check(
    tmp_path: Path, rows: list[list[object]], areas: dict[str, list[str]], *, named: bool = True
) -> list[str]:
    """``check`` of small areas (``rows``, a header first) built into districts (``areas``
    by district id, named by the id capitalised, or with no name unless ``named``) under
    DISTRICT_CRITERIA: its arguments."""
    data = write_csv(tmp_path / "deso.csv", rows)
    definition = tmp_path / "districts.toml"
    definition.write_text(
        "".join(
            f'[[districts]]\nid = "{key}"\n'
            + (f'name = "{key.capitalize()}"\n' if named else "")
            + f"areas = {json.dumps(codes)}\n"
            for key, codes in areas.items()
        ),
        encoding="utf-8",
    )
    criteria = tmp_path / "c.toml"
    criteria.write_text(DISTRICT_CRITERIA, encoding="utf-8")
    return ["check", str(data), "-c", str(criteria), "--districts", str(definition)]


def test_districts_built_from_small_areas_each_year(runner: CliRunner, tmp_path: Path) -> None:
    rows = [["DeSO", "År", "Befolkning 20-64 år", "Förvärvsarbetande 20-64 år"]]
    rows += [["1480C3010", 2010, 1000, 500], ["1480C3020", 2010, 1000, 520]]
    rows += [["1480C3110", 2010, 1000, 600]]
    rows += [["1480C3010", 2011, 500, 300], ["1480C3020", 2011, 1500, 750]]
    rows += [["1480C3110", 2011, 1000, 500]]
    args = district_check(
        tmp_path, rows, {"norr": ["1480C3010", "1480C3020"], "syd": ["1480C3110"]}
    )
    done = runner.invoke(app, [*args, "--years", "all", "--format", "json"])
    assert done.exit_code == 0, done.stderr
    document = json.loads(done.stdout)
    years = {d["id"]: d["years"] for d in document["districts"]}
    # Norr 2010: (500 + 520) / (1 000 + 1 000) = 51.0 %, below 52; 2011: (300 + 750) /
    # (500 + 1 500) = 52.5 %, not. Syd: 600 / 1 000 = 60 %, then 500 / 1 000 = 50 %.
    assert [(y["criteria"][0]["value"], y["qualifies"]) for y in years["norr"]] == [
        (51.0, True),
        (52.5, False),
    ]
    assert [(y["criteria"][0]["value"], y["qualifies"]) for y in years["syd"]] == [
        (60.0, False),
        (50.0, True),
    ]
    assert document["summary"]["changes"] == [
        {"from": 2010, "to": 2011, "entered": ["syd"], "left": ["norr"], "unknown": []}
    ]


def test_a_district_without_values_in_a_year(runner: CliRunner, tmp_path: Path) -> None:
    """A district whose one area has no row in the screened year: a low bound and no high
    one; both kept, so the district is undecided that year, not an internal error."""
    rows = [["DeSO", "År", "Befolkning 20-64 år", "Förvärvsarbetande 20-64 år"]]
    rows += [["1480C3010", 2010, 1000, 500], ["1480C3110", 2010, 1000, 600]]
    rows += [["1480C3010", 2011, 1000, 530]]  # 1480C3110 has no 2011 row
    args = district_check(tmp_path, rows, {"norr": ["1480C3010"], "syd": ["1480C3110"]})
    done = runner.invoke(app, [*args, "--format", "json"])
    assert done.exit_code == 0, done.stderr
    answers = {d["id"]: d["qualifies"] for d in json.loads(done.stdout)["districts"]}
    assert answers == {"norr": False, "syd": None}  # 2011: 53 %; Syd unknown
    done = runner.invoke(app, [*args, "--years", "all", "--format", "json"])
    assert done.exit_code == 0, done.stderr
    years = {d["id"]: d["years"] for d in json.loads(done.stdout)["districts"]}
    assert [(y["criteria"][0]["value"], y["qualifies"]) for y in years["syd"]] == [
        (60.0, False),
        (None, None),
    ]


def test_diff_compares_two_years_of_one_table(runner: CliRunner, tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(ONE_CRITERION.format(op=">", threshold=50), encoding="utf-8")
    done = runner.invoke(
        app, ["diff", str(MALMO), "-c", str(criteria), "--years", "2010,2011", "-f", "json"]
    )
    assert done.exit_code == 1, done.stderr  # the qualifying set changed: Fosie entered
    document = json.loads(done.stdout)
    assert [d["id"] for d in document["entered"]] == ["Fosie"]
    assert document["entered"][0]["before"]["criteria"]["ff"] == {"value": 50.0, "met": False}
    assert document["entered"][0]["after"]["criteria"]["ff"] == {"value": 51.0, "met": True}
    assert document["old"]["source"].endswith("(2010)")
    same = runner.invoke(app, ["diff", str(MALMO), "-c", str(criteria), "--years", "2009,2010"])
    assert same.exit_code == 0, same.stderr
    assert "the qualifying set is unchanged" in same.stdout


def test_diff_years_needs_one_table_and_two_years(runner: CliRunner) -> None:
    both = runner.invoke(app, ["diff", str(MALMO), str(MALMO), "--years", "2010,2011"])
    assert both.exit_code == 2
    three = runner.invoke(app, ["diff", str(MALMO), "-c", str(MALMO_CRITERIA), "--years", "all"])
    assert three.exit_code == 2
    assert "names 3 year(s); diff compares two" in three.stderr


def test_a_missing_value_in_every_report(runner: CliRunner, tmp_path: Path) -> None:
    rows = [["Stadsdel", "År", "Förvärvsfrekvens"]]
    rows += [["Fosie", 2009, 49], ["Fosie", 2010, ".."], ["Fosie", 2011, 49]]
    rows += [["Hyllie", 2009, 59], ["Hyllie", 2010, 60], ["Hyllie", 2011, 60]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    report = tmp_path / "r.xlsx"
    args = ["check", str(path), "-c", str(MALMO_CRITERIA), "--years", "all", "-o", str(report)]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.stderr
    fosie = [line for line in done.stdout.splitlines() if line.startswith(" Fosie")]
    assert fosie[1].split()[1:] == ["✓", "?", "✓"]  # the verdicts by year
    # The scheme is Swedish: its words and decimal commas, as in the check table.
    assert fosie[2].split()[1:] == ["✓", "49,0", "?", "saknas", "✓", "49,0"]
    assert "2010 (från 2009): kan inte längre avgöras Fosie" in done.stdout
    assert "2011 (från 2010): tillkom Fosie" in done.stdout
    data = load_workbook(report)["Uppföljningsdata"]
    by_name = {column[0]: list(column[1:]) for column in data.iter_cols(values_only=True)}
    assert by_name["Fosie"] == [49, None, 49]  # a gap in the line, not a zero


def test_missing_history_is_said_on_stderr(runner: CliRunner, tmp_path: Path) -> None:
    rows = [["Område", "År", "Poverty"], ["A", 2019, 25], ["A", 2020, 25]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    criteria = tmp_path / "c.toml"
    criteria.write_text(STREAK.format(mean=1), encoding="utf-8")
    done = runner.invoke(app, ["check", str(path), "-c", str(criteria), "--years", "all"])
    assert done.exit_code == 0, done.stderr
    assert "note [history-missing]: 2019: Poor two years running is a rule over 2 years" in (
        done.stderr
    )
    assert "the table lacks 2018" in done.stdout  # and under the follow-up


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    values=st.lists(
        st.lists(st.one_of(st.integers(10, 30), st.just("..")), min_size=4, max_size=4),
        min_size=1,
        max_size=3,
    ),
    mean=st.integers(1, 2),
)
def test_rules_over_years_as_screening_that_year_alone(
    tmp_path: Path, values: list[list[object]], mean: int
) -> None:
    """Oracle for means and streaks: each year of the follow-up, outcomes and values too,
    equals `--year Y` screening, which sees the years up to Y."""
    rows: list[list[object]] = [["Område", "År", "Poverty"]]
    for number, yearly in enumerate(values):
        rows += [[f"A{number}", 2019 + i, value] for i, value in enumerate(yearly)]
    path = write_csv(tmp_path / "streak.csv", rows, separator=",")
    criteria = parse_criteria(STREAK.format(mean=mean).encode(), origin="c.toml")
    # --year: a table of nothing but '..' has no latest year with values to default to.
    found = follow_up(load_table(path, criteria, every_year=True, year=2022), criteria)
    for year in found.years:
        alone = urbanscreen.screen(load_table(path, criteria, year=year), criteria)
        expected = {d.id: (d.qualifies, d.checks[0].value) for d in alone.districts()}
        got = {d.id: (d.qualifies, d.checks[0].value) for d in found.results[year].districts()}
        assert got == expected


def test_every_year_evaluated_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The follow-up reads one evaluation of every year: a streak's earlier year is not
    evaluated again for each later year that reads it."""
    rows: list[list[object]] = [["Område", "År", "Poverty"]]
    rows += [["A", 2019 + i, value] for i, value in enumerate((25, 5, 25, 25))]
    path = write_csv(tmp_path / "streak.csv", rows, separator=",")
    criteria = parse_criteria(STREAK.format(mean=1).encode(), origin="c.toml")
    evaluated: list[int | None] = []
    evaluate_year = engine._evaluate_year

    def counted(values: Any, criteria: Criteria, year: int | None, earlier: Any) -> Any:
        evaluated.append(year)
        return evaluate_year(values, criteria, year, earlier)

    monkeypatch.setattr(engine, "_evaluate_year", counted)
    found = follow_up(load_table(path, criteria, every_year=True), criteria)
    assert sorted(evaluated) == [2019, 2020, 2021, 2022]
    assert verdicts(found) == {"A": [None, False, False, True]}


def test_many_entering_are_counted_not_all_named(runner: CliRunner, tmp_path: Path) -> None:
    rows = [["Stadsdel", "År", "Förvärvsfrekvens"]]
    for number in range(25):  # every one 55 (not < 52) in 2010, 45 in 2011: 25 enter
        rows += [[f"D{number:02d}", 2010, 55], [f"D{number:02d}", 2011, 45]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    args = ["check", str(path), "-c", str(MALMO_CRITERIA), "--years", "all"]
    done = runner.invoke(app, [*args, "--format", "json"])
    assert len(json.loads(done.stdout)["summary"]["changes"][0]["entered"]) == 25
    done = runner.invoke(app, [*args, "--lang", "en"])
    assert done.exit_code == 0, done.stderr
    text = " ".join(done.stdout.split())
    assert "2011 (from 2010): entered D00, D01," in text
    assert "D19 and 5 more" in text
    assert "D20" not in text.split("Entered and left")[1]
    swedish = " ".join(runner.invoke(app, args).stdout.split())
    assert "2011 (från 2010): tillkom D00, D01," in swedish
    assert "D19 och 5 till" in swedish


def _bounded_districts(tmp_path: Path) -> list[str]:
    """Norr: (499 + 500) / (1 000 + 1 100) = 47.571428…%; Syd: one count suppressed, so
    between 520 / 1 600 = 32.5 % and (520 + 5) / 1 600 = 32.8125 %. Both years alike."""
    rows = [["DeSO", "År", "Befolkning 20-64 år", "Förvärvsarbetande 20-64 år"]]
    for year in (2010, 2011):
        rows += [["1480C3010", year, 1000, 499], ["1480C3020", year, 1100, 500]]
        rows += [["1480C3110", year, 1000, 520], ["1480C3120", year, 600, ".."]]
    return district_check(
        tmp_path, rows, {"norr": ["1480C3010", "1480C3020"], "syd": ["1480C3110", "1480C3120"]}
    )


@pytest.mark.parametrize(
    ("language", "norr", "syd"), [("en", "47.6", "32.5–32.8"), ("sv", "47,6", "32,5–32,8")]
)
def test_each_year_reads_as_the_check_s_table(
    runner: CliRunner, tmp_path: Path, language: str, norr: str, syd: str
) -> None:
    # A year of the follow-up shows a value as the check's table does: at the criterion's
    # precision (not 47.571428571) and, where a suppressed count bounds it, as its range
    # (not "missing"), with the language's decimal mark.
    args = [*_bounded_districts(tmp_path), "--years", "all", "--lang", language]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.stderr
    check_rows = [line.split() for line in table.stdout.splitlines() if "Norr" in line]
    assert ["Norr", *["✓", norr] * 2] in check_rows
    assert ["Syd", *["✓", syd] * 2] in [line.split() for line in table.stdout.splitlines()]
    markdown = runner.invoke(app, [*args, "--format", "markdown"])
    assert markdown.exit_code == 0, markdown.stderr
    cells = {
        (cell[1], cell[2]): cell[4]
        for line in markdown.stdout.splitlines()
        if (cell := [part.strip() for part in line.split("|")])[1:2] in (["Norr"], ["Syd"])
        and cell[2] in ("2010", "2011")  # the follow-up's rows, not the check's
    }
    assert cells == {
        ("Norr", "2010"): f"✓ {norr}",
        ("Norr", "2011"): f"✓ {norr}",
        ("Syd", "2010"): f"✓ {syd}",
        ("Syd", "2011"): f"✓ {syd}",
    }


@pytest.mark.parametrize(
    ("language", "sheet", "syd"),
    [("en", "Follow-up", "32.5–32.8"), ("sv", "Uppföljning", "32,5–32,8")],
)
def test_a_value_known_only_within_bounds_is_its_range_on_the_follow_up_sheet(
    runner: CliRunner, tmp_path: Path, language: str, sheet: str, syd: str
) -> None:
    # As the Districts sheet (and the check's table) show it: the range a suppressed count
    # bounds it to, in the report's decimal mark; ".." only where nothing is known.
    report = tmp_path / "r.xlsx"
    args = [*_bounded_districts(tmp_path), "--years", "all", "-o", str(report), "--lang", language]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.stderr
    book = load_workbook(report)
    rows = list(book[sheet].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Id")
    value = header.index("Employment rate")  # the scheme's own texts are English
    margin = value + 3
    found = {(r[0], r[4]): r for r in rows if r[0] in {"norr", "syd"}}
    assert found[("syd", 2010)][value] == syd  # not ".." nor a blank cell
    assert found[("syd", 2011)][margin] == ".."  # a margin has no range: not known
    assert found[("norr", 2010)][value] == pytest.approx(999 / 2100 * 100)
    districts = book["Districts" if language == "en" else "Områden"]
    assert syd in [cell for row in districts.iter_rows(values_only=True) for cell in row]


def test_a_value_not_known_at_all_is_dots_on_the_follow_up_sheet(
    runner: CliRunner, tmp_path: Path
) -> None:
    rows = [["DeSO", "År", "Befolkning 20-64 år", "Förvärvsarbetande 20-64 år"]]
    for year in (2010, 2011):
        rows += [["1480C3010", year, 1000, 499], ["1480C3020", year, 1100, 500]]
        rows += [["1480C3110", year, "..", ".."], ["1480C3120", year, "..", ".."]]
    report = tmp_path / "r.xlsx"
    areas = {"norr": ["1480C3010", "1480C3020"], "syd": ["1480C3110", "1480C3120"]}
    args = district_check(tmp_path, rows, areas, named=False)  # districts without a name
    done = runner.invoke(app, [*args, "--years", "all", "-o", str(report)])
    assert done.exit_code == 0, done.stderr
    rows_read = list(load_workbook(report)["Follow-up"].iter_rows(values_only=True))
    header = next(r for r in rows_read if r and r[0] == "Id")
    value = header.index("Employment rate")
    syd = [r for r in rows_read if r[0] == "syd"]
    assert [r[value] for r in syd] == ["..", ".."]  # never the word "missing"


def test_the_follow_up_speaks_the_run_s_language(runner: CliRunner, tmp_path: Path) -> None:
    # scb-2012 is written in Swedish and gives English texts: with --lang en the follow-up's
    # headings and columns are English, as the check's table above it is.
    rows = [["Område", "År", "Förvärvsfrekvens", "Långvarigt försörjningsstöd"]]
    rows[0] += ["Gymnasiebehörighet", "Folkmängd"]
    for year in (2022, 2023):
        rows += [["Rinkeby", year, 50.1, 6.0, 60.0, 15500]]
        rows += [["Lindängen", year, 55.0, 3.0, 75.0, 6000]]
    data = write_csv(tmp_path / "years.csv", rows)
    report = tmp_path / "r.xlsx"
    args = ["check", str(data), "-c", "scb-2012", "--years", "all", "--lang", "en"]
    done = runner.invoke(app, [*args, "-o", str(report)])
    assert done.exit_code == 0, done.stderr
    assert "Follow-up 2022–2023" in done.stdout
    assert "\nEmployment rate < 52 %" in done.stdout  # the follow-up's heading
    assert "Förvärvsfrekvens" not in done.stdout
    headers = [c for r in load_workbook(report)["Follow-up"].iter_rows(values_only=True) for c in r]
    assert "Employment rate: threshold" in headers
    assert not [h for h in headers if isinstance(h, str) and "Förvärvsfrekvens" in h]
    markdown = runner.invoke(app, [*args, "--format", "markdown"])
    assert "Förvärvsfrekvens" not in markdown.stdout


@pytest.mark.parametrize(
    ("language", "near", "far"), [("en", "51.96", "66.0"), ("sv", "51,96", "66,0")]
)
def test_a_reference_row_is_never_rounded_onto_the_threshold(
    runner: CliRunner, tmp_path: Path, language: str, near: str, far: str
) -> None:
    # The municipality's 51.96 % beside a threshold of 52: at one decimal it would read
    # "52.0", on the threshold, as a district's value never does; 65.96 reads "66.0".
    rows = [["Område", "År", "Förvärvsfrekvens"]]
    for year in (2010, 2011):
        rows += [["Fosie", year, 49], ["Rosengård", year, 36]]
        rows += [["Malmö totalt", year, 51.96], ["Sverige", year, 65.96]]
    data = write_csv(tmp_path / "t.csv", rows)
    args = ["check", str(data), "-c", str(MALMO_CRITERIA), "--years", "all", "--lang", language]
    table = runner.invoke(app, args)
    assert table.exit_code == 0, table.stderr
    lines = [line.split() for line in table.stdout.splitlines()]
    assert [
        "Malmö",
        "totalt",
        f"({'reference' if language == 'en' else 'referens'})",
        near,
        near,
    ] in lines
    assert any(line[:1] == ["Sverige"] and line[-2:] == [far, far] for line in lines)
    markdown = runner.invoke(app, [*args, "--format", "markdown"])
    assert markdown.exit_code == 0, markdown.stderr
    assert f"- Malmö totalt: Förvärvsfrekvens 2010: {near}, 2011: {near}" in markdown.stdout
    assert f"- Sverige: Förvärvsfrekvens 2010: {far}, 2011: {far}" in markdown.stdout
