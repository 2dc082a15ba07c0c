"""The criteria language on fixtures whose answers were worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.cli import app
from urbanscreen.criteria.load import parse_criteria
from urbanscreen.errors import CriteriaError

from .conftest import DATA, SAMPLE, write_csv


def screened(path: Path, criteria: str | Path, **options: object) -> urbanscreen.Result:
    loaded = urbanscreen.load_criteria(criteria)
    table = urbanscreen.load_table(path, loaded, **options)  # type: ignore[arg-type]
    return urbanscreen.screen(table, loaded)


def outcomes(result: urbanscreen.Result) -> dict[str, dict[str, bool | None]]:
    return {d.name or d.id: {"qualifies": d.qualifies, **d.outcomes} for d in result.districts()}


def test_denmark_2021_tiers() -> None:
    """National conviction average 1.0 % (3x = 3.0, 2x = 2.0); regional income 300 000
    (55 % = 165 000, 65 % = 195 000)."""
    found = outcomes(screened(DATA / "dk_areas.csv", "dk-2021"))
    expected = {
        # 2 of 4 (labour 45 > 40, convicted 3.5 >= 3); non-western 60 > 50; all 4 lower limits.
        "A Udsat og parallel": (True, True, None, True),
        # 2 of 4 (labour 42, basic education 62); non-western 40; lower: labour, education.
        "B Udsat": (True, False, False, True),
        # 900 residents: nothing, whatever the shares.
        "C For lille": (False, False, False, False),
        # On every limit: 40 is not > 40, 3.0 >= 3.0, 60 is not > 60, 165 000 is not < 165 000:
        # 1 of 4. Lower limits: all four hold, and 31 > 30 non-western.
        "D Ved grænserne": (False, False, False, True),
        # Labour 41 holds, education and income fail, convictions unknown: the unknown decides.
        "E Ukendt afgør": (None, None, None, True),
        # Only convictions unknown, and one criterion can never make two: not vulnerable.
        "F Ukendt afgør ikke": (False, False, False, False),
    }
    for name, (udsat, parallel, transformation, prevention) in expected.items():
        assert found[name] == {
            "qualifies": udsat,
            "udsat": udsat,
            "parallelsamfund": parallel,
            "omdannelsesomraade": transformation,
            "forebyggelsesomraade": prevention,
        }, name


def test_denmark_resolves_relative_thresholds() -> None:
    result = screened(DATA / "dk_areas.csv", "dk-2021")
    area = next(d for d in result.districts() if d.name == "A Udsat og parallel")
    thresholds = {c.criterion.id: c.threshold for c in area.checks}
    assert thresholds["domfaeldte"] == 3.0
    assert thresholds["indkomst"] == pytest.approx(165_000)
    assert thresholds["indkomst_65"] == pytest.approx(195_000)
    assert "needs-years" in [issue.code for issue in result.issues]


def test_us_nmtc_on_the_cdfi_workbook_as_published() -> None:
    """Income is stored as fractions; N/A, blank and 0 mean not available."""
    result = screened(DATA / "nmtc_tracts.xlsx", "us-nmtc-2020")
    found = {d.id: (d.qualifies, d.outcomes["severe_distress"]) for d in result.districts()}
    assert found == {
        "01001020100": (True, False),  # poverty 21.5 >= 20
        "01001020200": (True, False),  # income 0.80 = 80 % <= 80 %
        "01001020300": (True, True),  # poverty 35 > 30, income 55 %, unemployment 2.0
        "01001020400": (None, None),  # poverty N/A, income 0: both unknown
        "01001020500": (None, None),  # poverty 10 fails, income blank: unknown
        "01001020600": (False, False),  # 5 % and 120 %
        "01001020700": (False, False),  # 19.99 % and 80.01 %: just outside both
    }
    income = next(c for c in next(result.districts()).checks if c.criterion.id == "income_80")
    assert income.value == 95.0


def test_swedish_area_types_by_standard_deviations(tmp_path: Path) -> None:
    """Indices 10, 10, 10, 10, 10, 40: mean 15, sd 11.18; type 1 from 37.36, type 2 from
    26.18, type 3 from 3.82. The fixture's seventh area has no index (a share is '..'):
    like every statistic of the data, the mean and deviation are then unknown, and so is
    every tier limited by them (README, "Missing inputs to statistics")."""
    complete = tmp_path / "se.csv"
    lines = (DATA / "se_deso.csv").read_text(encoding="utf-8").splitlines()
    complete.write_text("\n".join(line for line in lines if "1480C1070" not in line) + "\n")
    result = screened(complete, "se-omradestyper")
    tiers = {d.id: (d.tiers["index"], d.qualifies) for d in result.districts()}
    assert tiers["1480C1060"] == ("typ1", True)
    assert tiers["1480C1010"] == ("typ3", False)
    assert next(d for d in result.districts() if d.id == "1480C1060").indices["index"] == 40
    with_unknown = screened(DATA / "se_deso.csv", "se-omradestyper")
    tiers = {d.id: (d.tiers["index"], d.qualifies) for d in with_unknown.districts()}
    assert tiers["1480C1060"] == (None, None)  # the missing area could move the mean
    assert tiers["1480C1070"] == (None, None)


RELATIVE = """\
version = 1
[scheme]
name = "Relative"
rule = "all"
[references]
regional = {{ mean = "income", within = "Region"{weight} }}
[[criteria]]
id = "income"
label = "Income"
column = "Income"
unit = "number"
op = "<"
threshold = {{ times = 0.6, of = "regional" }}
[[measures]]
id = "population"
label = "Population"
column = "Population"
unit = "count"
"""


@pytest.mark.parametrize(
    ("weight", "threshold_north"),
    [("", 120.0), (', weight = "population"', 0.6 * (100 * 1 + 200 * 1 + 300 * 8) / 10)],
)
def test_reference_computed_within_groups(
    tmp_path: Path, weight: str, threshold_north: float
) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(RELATIVE.format(weight=weight), encoding="utf-8")
    rows = [
        ["Område", "Region", "Income", "Population"],
        ["N1", "North", 100, 1],
        ["N2", "North", 200, 1],
        ["N3", "North", 300, 8],
        ["S1", "South", 1000, 5],
        ["S2", "South", 1000, 5],
    ]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    checks = {d.id: d.checks[0] for d in result.districts()}
    assert checks["N1"].threshold == pytest.approx(threshold_north)
    assert checks["S1"].threshold == pytest.approx(600)
    assert checks["N1"].met is True
    assert checks["S1"].met is False
    # The library's references are English text, as the JSON's (a script may match them).
    assert "within each Region" in result.references["regional"]
    assert result.references["regional"].startswith("regional = ")
    assert result.references_said["regional"].text("sv").endswith(" inom varje Region")


STREAK = """\
version = 1
[scheme]
name = "Streak"
qualifies = "three_years"
[[criteria]]
id = "poor"
label = "Poverty"
column = "Poverty"
unit = "percent"
op = ">="
threshold = 20
[[outcomes]]
id = "three_years"
label = "Poor three years running"
rule = { streak = 3, rule = "poor" }
[[outcomes]]
id = "two_of_three"
label = "Poor two of the last three years"
rule = { held_in = 2, of_last = 3, rule = "poor" }
"""


def test_streaks_and_years_held(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(STREAK, encoding="utf-8")
    poverty = {
        "Always": (25, 25, 25, 25),
        "Dipped": (25, 25, 15, 25),
        "Recent": (5, 5, 25, 25),
        "Gap": ("..", 5, 25, 25),
    }
    rows = [["Område", "År", "Poverty"]]
    for area, values in poverty.items():
        rows += [[area, 2019 + i, v] for i, v in enumerate(values)]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    assert result.table.year == 2022
    found = {
        d.id: (d.outcomes["three_years"], d.outcomes["two_of_three"]) for d in result.districts()
    }
    assert found == {
        "Always": (True, True),
        "Dipped": (False, True),  # 2020-2022: 25, 15, 25
        "Recent": (False, True),  # 2021 was 5: no streak; two of three did hold
        "Gap": (False, True),  # 2020 was 5 whatever 2019 was
    }


def test_rules_name_things_never_run_them() -> None:
    text = STREAK.replace('rule = "poor" }', "rule = \"__import__('os')\" }", 1)
    assert "__import__" in text
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(text.encode(), origin="c.toml")
    assert "outcomes[0].rule" in caught.value.problems[0]


def test_every_problem_is_reported_with_its_path(tmp_path: Path, runner: CliRunner) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'version = 1\n[scheme]\nname = "x"\nqualifies = "nope"\n[[criteria]]\nid = "a"\n'
        'label = "A"\ncolumn = "A"\nunit = "percent"\nop = "<"\n'
        'threshold = { times = 2, of = "missing_ref" }\n'
        '[[outcomes]]\nid = "o"\nlabel = "O"\nrule = { all = ["a", "b"] }\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["criteria", "check", str(bad)])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert any("criteria[0].threshold.of" in line for line in lines)
    assert any("outcomes[0].rule (outcome 'o'): 'b'" in line for line in lines)
    assert any("scheme.qualifies: 'nope'" in line for line in lines)


def test_criteria_commands(runner: CliRunner) -> None:
    listed = runner.invoke(app, ["criteria", "list"])
    assert listed.exit_code == 0
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    assert names == ["dk-2021", "scb-2012", "se-omradestyper", "us-nmtc-2020"]
    shown = runner.invoke(app, ["criteria", "show", "dk-2021"])
    assert 'qualifies = "udsat"' in shown.stdout
    checked = runner.invoke(
        app, ["criteria", "check", str(Path(__file__).parent.parent / "criteria.toml")]
    )
    assert checked.exit_code == 0
    assert "valid (Urbant utvecklingsarbete 2012 (SCB))" in checked.stdout


def test_json_explains_every_outcome(runner: CliRunner) -> None:
    result = runner.invoke(
        app, ["check", str(DATA / "dk_areas.csv"), "-c", "dk-2021", "-f", "json"]
    )
    document = json.loads(result.stdout)
    area = next(d for d in document["districts"] if d["name"] == "E Ukendt afgør")
    udsat = area["explanation"]["outcomes"]["udsat"]
    assert udsat["rule"] == "all"
    assert udsat["met"] is None
    two_of_four = udsat["members"][1]
    assert two_of_four["rule"] == "at least 2"
    assert [m["met"] for m in two_of_four["members"]] == [True, None, False, False]
    assert two_of_four["members"][1]["criterion"] == "domfaeldte"
    assert area["outcomes"]["forebyggelsesomraade"] is True
    assert document["criteria"]["references"]["landsgennemsnit"].startswith("landsgennemsnit")


def test_the_workbook_carries_outcomes(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    result = screened(DATA / "dk_areas.csv", "dk-2021")
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(result, path)
    headers = [c.value for c in load_workbook(path)["Districts"][1]]
    assert "Parallelsamfund" in headers
    assert "Forebyggelsesområde" in headers


def test_a_columns_own_scale_beats_the_command_line() -> None:
    table = urbanscreen.load_table(
        DATA / "nmtc_tracts.xlsx",
        urbanscreen.load_criteria("us-nmtc-2020"),
        percent_scale="percent",
    )
    assert table.frame.loc[0, "income_80"] == 95.0  # 0.95 is still a share


def test_greatest_of_a_missing_member_is_unknown(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(
        'version = 1\n[scheme]\nname = "B"\n[references]\nstate = { column = "state" }\n'
        'metro = { column = "metro" }\nbench = { greatest = ["state", "metro"] }\n'
        '[[criteria]]\nid = "income"\nlabel = "Income"\ncolumn = "Income"\nunit = "number"\n'
        'op = "<="\nthreshold = { times = 0.8, of = "bench" }\n'
        '[[measures]]\nid = "state"\nlabel = "State"\ncolumn = "State"\nunit = "number"\n'
        '[[measures]]\nid = "metro"\nlabel = "Metro"\ncolumn = "Metro"\nunit = "number"\n',
        encoding="utf-8",
    )
    rows = [
        ["Tract", "Income", "State", "Metro"],
        ["N1", 50000, 60000, 70000],
        ["N2", 60000, 70000, ".."],
    ]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    found = {d.id: (d.checks[0].threshold, d.qualifies) for d in result.districts()}
    assert found["N1"] == (56000, True)  # 0.8 x the greater, 70 000
    assert found["N2"] == (None, None)  # the metro median could be higher
    assert "reference-unknown" in [issue.code for issue in result.issues]


def test_a_missing_value_leaves_its_groups_mean_unknown(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(RELATIVE.format(weight=""), encoding="utf-8")
    rows = [
        ["Område", "Region", "Income", "Population"],
        ["N1", "North", 100, 1],
        ["N2", "North", "..", 1],
        ["S1", "South", 1000, 5],
        ["S2", "..", 1000, 5],
    ]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    found = {d.id: d.checks[0].threshold for d in result.districts()}
    assert found == {"N1": None, "N2": None, "S1": 600, "S2": None}


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ('rule = { at_least = 3, of = ["poor"] }', "can never hold"),
        ('rule = { held_in = 4, of_last = 3, rule = "poor" }', "can never hold"),
        ('rule = { streak = 0, rule = "poor" }', "streak: must be at least 1, got 0"),
    ],
)
def test_rules_that_can_never_hold_are_refused(fragment: str, expected: str) -> None:
    text = STREAK.replace('rule = { streak = 3, rule = "poor" }', fragment)
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(text.encode(), origin="c.toml")
    assert len(caught.value.problems) == 1, caught.value.problems
    assert expected in caught.value.problems[0]


def test_tiers_must_fall_and_the_rest_comes_last() -> None:
    text = (
        Path(__file__).parent.parent / "src/urbanscreen/presets/se-omradestyper.toml"
    ).read_text(encoding="utf-8")
    swapped = text.replace("sd = 2 }", "sd = 0.5 }", 1)
    with pytest.raises(CriteriaError, match="limits must fall"):
        parse_criteria(swapped.encode(), origin="c.toml")


TIERS = """\
version = 1
[scheme]
name = "Tiers"
rule = {{ any = ["t2"] }}
[[measures]]
id = "x"
label = "X"
column = "X"
unit = "number"
[[indices]]
id = "index"
label = "Index"
mean_of = ["x"]
tiers = [
    {{ id = "t1", label = "T1", at_least = 30 }},
    {{ id = "t2", label = "T2", at_least = 20 }}{rest}
]
"""


def test_a_tier_in_a_rule_means_this_tier_or_higher(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(TIERS.format(rest=""), encoding="utf-8")
    rows = [["Område", "X"], ["High", 35], ["Middle", 25], ["Low", 10]]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    found = {d.id: (d.tiers["index"], d.qualifies) for d in result.districts()}
    assert found == {"High": ("t1", True), "Middle": ("t2", True), "Low": (None, False)}
    high = next(d for d in result.districts() if d.id == "High")
    assert high.outcomes["t2"] is True  # the explanation sees the tier too


def test_an_unknown_threshold_decides_nothing_even_with_bounds(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(
        'version = 1\n[scheme]\nname = "R"\n[references]\nref = { column = "refm" }\n'
        '[[criteria]]\nid = "emp"\nlabel = "Emp"\ncolumn = "Emp"\nunit = "percent"\nop = "<"\n'
        'threshold = { times = 1, of = "ref" }\n'
        '[[measures]]\nid = "refm"\nlabel = "Ref"\ncolumn = "Ref"\nunit = "percent"\n',
        encoding="utf-8",
    )
    rows = [["område", "kön", "Emp", "Ref"], ["A", "kvinnor", 40, ".."], ["A", "män", 45, ".."]]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    assert next(result.districts()).qualifies is None


def test_a_reference_may_come_before_those_it_is_the_greater_of(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(
        'version = 1\n[scheme]\nname = "B"\n[references]\n'
        'bench = { greatest = ["state", "metro"] }\nstate = { column = "state" }\n'
        'metro = { column = "metro" }\n'
        '[[criteria]]\nid = "income"\nlabel = "Income"\ncolumn = "Income"\nunit = "number"\n'
        'op = "<="\nthreshold = { times = 0.8, of = "bench" }\n'
        '[[measures]]\nid = "state"\nlabel = "State"\ncolumn = "State"\nunit = "number"\n'
        '[[measures]]\nid = "metro"\nlabel = "Metro"\ncolumn = "Metro"\nunit = "number"\n',
        encoding="utf-8",
    )
    rows = [["Tract", "Income", "State", "Metro"], ["N1", 50000, 60000, 70000]]
    data = write_csv(tmp_path / "d.csv", rows, separator=",")
    result = screened(data, criteria)
    assert [d.checks[0].threshold for d in result.districts()] == [56000]
    # Listed in the file's order, like outcomes, not in the order they are computed in.
    cli = CliRunner().invoke(app, ["check", str(data), "-c", str(criteria), "-f", "json"])
    listed = json.loads(cli.stdout)["criteria"]["references"]
    assert list(listed) == ["bench", "state", "metro"]


def test_outcomes_keep_the_files_order_when_one_names_a_later_one(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(
        'version = 1\n[scheme]\nname = "Order"\n[[criteria]]\nid = "poor"\nlabel = "Poverty"\n'
        'column = "Poverty"\nunit = "percent"\nop = ">"\nthreshold = 20\n'
        '[[outcomes]]\nid = "either"\nlabel = "Either"\nrule = { any = ["poor", "later"] }\n'
        '[[outcomes]]\nid = "plain"\nlabel = "Plain"\nrule = "poor"\n'
        '[[outcomes]]\nid = "later"\nlabel = "Later"\nrule = { all = ["poor"] }\n',
        encoding="utf-8",
    )
    data = write_csv(tmp_path / "d.csv", [["Område", "Poverty"], ["A", 25]], separator=",")
    district = next(screened(data, criteria).districts())
    assert district.outcomes == {"either": True, "plain": True, "later": True}
    assert list(district.outcomes) == ["either", "plain", "later"]
    result = CliRunner().invoke(app, ["check", str(data), "-c", str(criteria), "-f", "json"])
    assert list(json.loads(result.stdout)["districts"][0]["outcomes"]) == [
        "either",
        "plain",
        "later",
    ]


def test_criteria_check_says_each_reference_in_words(runner: CliRunner, tmp_path: Path) -> None:
    # Not the models' Python repr ("mean=None median='mfi' within=None weight=None").
    path = tmp_path / "refs.toml"
    path.write_text(
        """version = 1
[scheme]
name = "References"
lang = "en"
[references]
given = 3.5
state = { column = "state_mfi" }
middle = { median = "mfi" }
regional = { mean = "mfi", within = "region" }
weighted = { mean = "mfi", weight = "pop" }
higher = { greatest = ["state", "middle"] }
[[measures]]
id = "state_mfi"
label = "State MFI"
column = "State MFI"
unit = "number"
[[measures]]
id = "pop"
label = "Population"
column = "Population"
unit = "count"
[[criteria]]
id = "mfi"
label = "Median family income"
column = "MFI"
unit = "number"
op = "<="
threshold = { times = 0.8, of = "higher" }
""",
        encoding="utf-8",
    )
    checked = runner.invoke(app, ["criteria", "check", str(path)])
    assert checked.exit_code == 0, checked.stderr
    lines = [line.strip() for line in checked.stdout.splitlines() if "reference" in line]
    assert lines == [
        "reference given = 3.5 (given)",
        "reference state = each area's state_mfi",
        "reference middle = median of mfi",
        "reference regional = mean of mfi within each region",
        "reference weighted = weighted mean of mfi",
        "reference higher = the greater of state, middle, area by area",
    ]


def test_a_table_given_as_criteria_is_said_to_be_one(runner: CliRunner, tmp_path: Path) -> None:
    # `check districts.csv -c districts.csv`: not a TOML parse error about quotes.
    table = SAMPLE / "districts.csv"
    done = runner.invoke(app, ["check", str(table), "-c", str(table), "--lang", "en"])
    assert done.exit_code == 2
    assert done.stderr.splitlines() == [
        f"urbanscreen: error [invalid-criteria]: {table}: is a table (.csv), not a criteria file",
        "  hint: the table comes first and the criteria (a .toml file or a preset) after -c: "
        "urbanscreen check TABLE -c CRITERIA.toml",
    ]
    folder = runner.invoke(app, ["check", str(table), "-c", str(tmp_path), "--lang", "en"])
    assert folder.exit_code == 2
    assert f"{tmp_path}: is not a file\n  hint: give a path to a .toml file" in folder.stderr


def test_criteria_written_in_a_txt_file_are_still_read(runner: CliRunner, tmp_path: Path) -> None:
    # Criteria saved as .txt (as an editor or a mail attachment may name them) are read as
    # before, and a slip is said as the TOML slip it is.
    mine = tmp_path / "mine.txt"
    mine.write_text(
        'version = 1\n[scheme]\nname = "Mine"\n[[criteria]]\nid = "folkmangd"\n'
        'label = "Folkmängd"\ncolumn = "Folkmängd"\nunit = "count"\nop = ">="\n'
        "threshold = 4000\n",
        encoding="utf-8",
    )
    table = SAMPLE / "districts.csv"
    done = runner.invoke(app, ["check", str(table), "-c", str(mine), "--lang", "en"])
    assert done.exit_code == 0, done.stderr
    assert "Criteria: " in done.stdout and "mine.txt" in done.stdout
    mine.write_text("version = 1\n[scheme]\nname = Mine\n", encoding="utf-8")
    slip = runner.invoke(app, ["check", str(table), "-c", str(mine), "--lang", "en"])
    assert slip.exit_code == 2
    assert "mine.txt: not valid TOML at line 3, column 8" in slip.stderr
    assert 'hint: strings need quotes: `name = "Mine"`' in slip.stderr


@pytest.mark.parametrize(("name", "encoding"), [("areas.tsv", "utf-16"), ("areas.csv", "cp1252")])
def test_a_text_table_given_as_criteria_is_said_to_be_one_in_any_encoding(
    runner: CliRunner, tmp_path: Path, name: str, encoding: str
) -> None:
    table = tmp_path / name
    table.write_text("Område\tFolkmängd\nÅby\t4000\n", encoding=encoding)
    done = runner.invoke(app, ["criteria", "check", str(table)])
    assert done.exit_code == 2
    assert f"{table}: is a table ({table.suffix}), not a criteria file" in done.stderr


def test_a_table_too_long_for_criteria_is_said_to_be_a_table(
    runner: CliRunner, tmp_path: Path
) -> None:
    table = tmp_path / "areas.csv"
    table.write_text("Område;Folkmängd\n" + "Åby;4000\n" * 200_000, encoding="utf-8")
    done = runner.invoke(app, ["criteria", "check", str(table)])
    assert done.exit_code == 2
    assert "is a table (.csv), not a criteria file" in done.stderr  # not "larger than 1024 KiB"


def test_the_table_hint_says_preset_as_the_catalogue_does() -> None:
    from urbanscreen.messages import message

    said = message("hint/criteria-after-table").text("sv")
    assert "förinställning" in said and "förval" not in said
