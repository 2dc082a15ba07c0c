"""Issue 13's wrong answers where two features meet, each on a table worked out by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.cli import app
from urbanscreen.criteria.load import parse_criteria
from urbanscreen.errors import CriteriaError

from .conftest import write_csv


def screened(path: Path, criteria: str | Path, **options: object) -> urbanscreen.Result:
    loaded = urbanscreen.load_criteria(criteria)
    table = urbanscreen.load_table(path, loaded, **options)  # type: ignore[arg-type]
    return urbanscreen.screen(table, loaded)


def by_year(path: Path, values: dict[str, tuple[object, ...]], first: int, header: str) -> Path:
    """A wide table with a year column: one row per area and year."""
    rows: list[list[object]] = [["Område", "År", header]]
    for area, yearly in values.items():
        rows += [[area, first + i, v] for i, v in enumerate(yearly)]
    return write_csv(path, rows, separator=",")


# -- 1. a streak over a criterion on a two-year mean ------------------------------------------

MEAN_STREAK = """\
version = 1
[scheme]
name = "Streak over means"
qualifies = "two_years"
[[criteria]]
id = "ud"
label = "Uden for arbejdsmarkedet"
column = "Uden for arbejdsmarkedet"
unit = "percent"
op = ">"
threshold = 40
years = { mean = 2 }
[[outcomes]]
id = "two_years"
label = "Udsat two years running"
rule = { streak = 2, rule = "ud" }
"""


def test_a_streak_judges_earlier_years_on_their_own_window_means(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(MEAN_STREAK, encoding="utf-8")
    values = {
        # 2017: mean(30, 48) = 39, not > 40; 2018: mean(48, 48) = 48 > 40. Judged on 2017's
        # own 48 it would be udsat, and the streak would hold: it must not.
        "Judged on 48": (30.0, 48.0, 48.0),
        # 2017: mean(50, 31) = 40.5 > 40 (its own 31 is not); 2018: mean(31, 50) = 40.5.
        "Rescued by its mean": (50.0, 31.0, 50.0),
    }
    path = by_year(tmp_path / "d.csv", values, 2016, "Uden for arbejdsmarkedet")
    result = screened(path, criteria)
    assert result.table.year == 2018
    found = {d.id: (d.checks[0].value, d.qualifies) for d in result.districts()}
    assert found == {"Judged on 48": (48.0, False), "Rescued by its mean": (40.5, True)}


def test_the_explanation_shows_each_years_value_the_streak_read(
    tmp_path: Path, runner: CliRunner
) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(MEAN_STREAK, encoding="utf-8")
    path = by_year(tmp_path / "d.csv", {"A": (30.0, 48.0, 48.0)}, 2016, "Uden for arbejdsmarkedet")
    run = runner.invoke(app, ["check", str(path), "--criteria", str(criteria), "-f", "json"])
    assert run.exit_code == 0, run.output
    district = json.loads(run.stdout)["districts"][0]
    streak = district["explanation"]["outcomes"]["two_years"]
    # 2018: mean 48 > 40; 2017: mean 39, not: no streak.
    assert streak["met"] is False
    assert streak["years"] == [True, False]
    assert district["outcomes"]["two_years"] is False


# -- 2. scheme.rule speaks the whole rule language ---------------------------------------------

SCHEME_STREAK = """\
version = 1
[scheme]
name = "Scheme streak"
rule = {rule}
[[criteria]]
id = "forv"
label = "Poverty"
column = "Poverty"
unit = "percent"
op = ">="
threshold = 20
"""


STREAK_OF_A_STREAK = """\
version = 1
[scheme]
name = "A streak of an outcome that is a streak"
qualifies = "b"
[[criteria]]
id = "x"
label = "X"
column = "X"
unit = "percent"
op = ">"
threshold = 10
[[outcomes]]
id = "a"
label = "A"
rule = { streak = 3, rule = "x" }
[[outcomes]]
id = "b"
label = "B"
rule = { streak = 2, rule = "a" }
"""


def test_a_streak_of_an_outcome_reads_as_far_back_as_that_outcome(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(STREAK_OF_A_STREAK, encoding="utf-8")
    values = {
        # x > 10 in 2017-2020: a holds in 2019 (2017-19) and in 2020 (2018-20), so b in
        # 2020. Reading a in 2019 needs x in 2017, three years before the screened one.
        "Held": (5.0, 20.0, 20.0, 20.0, 20.0),
        # x fails in 2018: a fails in 2019 and 2020, so b fails.
        "Broken": (20.0, 20.0, 5.0, 20.0, 20.0),
        # x unknown in 2017: a is unknown in 2019, and b with it (a holds in 2020).
        "Open": (20.0, "..", 20.0, 20.0, 20.0),
    }
    path = by_year(tmp_path / "d.csv", values, 2016, "X")
    result = screened(path, criteria)
    assert result.table.year == 2020
    found = {d.id: (d.outcomes["a"], d.qualifies) for d in result.districts()}
    assert found == {"Held": (True, True), "Broken": (False, False), "Open": (True, None)}


@pytest.mark.parametrize(
    "rule",
    ['{ streak = 3, rule = "forv" }', '{ all = [{ held_in = 3, of_last = 3, rule = "forv" }] }'],
)
def test_scheme_rule_takes_streaks_and_reads_the_years(tmp_path: Path, rule: str) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(SCHEME_STREAK.replace("{rule}", rule), encoding="utf-8")
    values = {
        "Always": (25, 25, 25),  # 25 >= 20 in 2019, 2020 and 2021
        "Dipped": (25, 15, 25),  # 2020: 15 < 20
        "Gap": ("..", 25, 25),  # 2019 unknown: could go either way
    }
    result = screened(by_year(tmp_path / "d.csv", values, 2019, "Poverty"), criteria)
    found = {d.id: d.qualifies for d in result.districts()}
    assert found == {"Always": True, "Dipped": False, "Gap": None}
    assert "needs-years" not in [issue.code for issue in result.issues]


def test_scheme_rule_at_least_counts_its_members_not_the_files_criteria(tmp_path: Path) -> None:
    # As an outcome's rule this is valid; as scheme.rule it was refused ("at least 2
    # criteria but the file has 1"). Both members are forv >= 20, in 2021 and over the
    # last two years.
    rule = '{ at_least = 2, of = ["forv", { streak = 2, rule = "forv" }] }'
    criteria = tmp_path / "c.toml"
    criteria.write_text(SCHEME_STREAK.replace("{rule}", rule), encoding="utf-8")
    values = {"Both": (25, 25, 25), "This year only": (25, 15, 25)}
    result = screened(by_year(tmp_path / "d.csv", values, 2019, "Poverty"), criteria)
    assert {d.id: d.qualifies for d in result.districts()} == {
        "Both": True,
        "This year only": False,
    }


# -- 6. a member named twice -------------------------------------------------------------------


def test_a_member_named_twice_is_refused() -> None:
    text = SCHEME_STREAK.replace("{rule}", '{ at_least = 2, of = ["forv", "forv"] }')
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(text.encode(), origin="c.toml")
    assert caught.value.problems == [
        "scheme.rule: 'forv' is named twice in one group; name each member once"
    ]


# -- 7. scheme.population names a column, not an outcome ---------------------------------------


def test_scheme_population_naming_an_outcome_is_refused(tmp_path: Path, runner: CliRunner) -> None:
    text = MEAN_STREAK.replace("[[criteria]]", 'population = "two_years"\n[[criteria]]', 1)
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    run = runner.invoke(app, ["criteria", "check", str(path)])
    assert run.exit_code == 2
    assert "scheme.population: 'two_years' is no criterion or measure" in run.output


# -- 3. noise never decides a tier or a reference; one policy for missing inputs ---------------

TIERS = """\
version = 1
[scheme]
name = "Tiers"
qualifies = "high_and_c"
[references]
average = { mean = "c" }
[[measures]]
id = "a"
label = "A"
column = "A"
unit = "percent"
[[measures]]
id = "b"
label = "B"
column = "B"
unit = "percent"
[[criteria]]
id = "c"
label = "C"
column = "C"
unit = "percent"
op = ">="
threshold = { times = 1, of = "average" }
[[indices]]
id = "index"
label = "Index"
mean_of = ["a", "b", "c"]
tiers = [
    { id = "high", label = "High", at_least = 30 },
    { id = "spread", label = "Above the mean", sd = 0 },
    { id = "rest", label = "The rest" },
]
[[outcomes]]
id = "high_and_c"
label = "High and C"
rule = { all = ["high", "c"] }
"""


def test_a_tier_and_a_reference_at_their_limit_are_reached(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(TIERS, encoding="utf-8")
    rows = [
        ["Område", "A", "B", "C"],
        # (18.4 + 46.3 + 25.3) / 3 = 90 / 3 = 30, in floats 29.999999999999996: at_least 30.
        ["Exact", 18.4, 46.3, 25.3],
        # (18.4 + 46.3 + 25.2) / 3 = 29.9666…: below 30.
        ["Below", 18.4, 46.3, 25.2],
        # C: 0.1 + 0.2 + 89.6 = 89.9 (0.30000000000000004 + 89.6 in floats)
        ["Third", 0.1, 0.2, 89.6],
    ]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    found = {d.id: (d.tiers["index"], d.outcomes["high"]) for d in result.districts()}
    # The mean of the indices (30 + 29.9666… + 29.9666…) / 3 = 29.977…: "Exact" is above
    # it but already "high"; "Below" and "Third" lie below it (sd = 0: the limit is the mean).
    assert found == {"Exact": ("high", True), "Below": ("rest", False), "Third": ("rest", False)}
    # average = mean of C = (25.3 + 25.2 + 89.6) / 3 = 140.1 / 3 = 46.7; Third's 89.6 >= it.
    met = {d.id: d.checks[0].met for d in result.districts()}
    assert met == {"Exact": False, "Below": False, "Third": True}


def test_one_missing_input_leaves_every_statistic_of_it_unknown(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(TIERS, encoding="utf-8")
    rows = [
        ["Område", "A", "B", "C"],
        ["Known", 40, 40, 40],  # index 40: "high" by the fixed limit 30, whatever the mean
        ["Low", 10, 10, 10],  # index 10: the mean could lie above or below it
        ["Missing", "..", 10, 10],  # no index, and C's mean lacks nothing but …
    ]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    found = {
        d.id: (d.tiers["index"], d.outcomes["high"], d.outcomes["spread"])
        for d in result.districts()
    }
    assert found == {
        "Known": ("high", True, True),
        "Low": (None, False, None),  # below 30; the sd-limit (the mean) is unknown
        "Missing": (None, None, None),
    }
    assert "reference-unknown" in [issue.code for issue in result.issues]


# -- 8. the bounds of a ratio that is no percentage are not capped at 1 -------------------------

CROWDING = """\
version = 1
[scheme]
name = "Crowding"
[[criteria]]
id = "crowding"
label = "Persons per dwelling"
column = "Persons per dwelling"
unit = "number"
op = ">"
threshold = 1
numerator = { column = "Persons" }
denominator = { column = "Dwellings" }
"""


def test_an_aggregated_ratio_above_one_stays_possible(tmp_path: Path) -> None:
    from urbanscreen.aggregate import load_district_table
    from urbanscreen.districts import DistrictDefinition

    criteria_path = tmp_path / "c.toml"
    criteria_path.write_text(CROWDING, encoding="utf-8")
    criteria = urbanscreen.load_criteria(criteria_path)
    rows = [["DeSO", "Persons", "Dwellings"], ["1480C0001", 190, 200], ["1480C0002", "..", ".."]]
    path = write_csv(tmp_path / "d.csv", rows)
    districts = [DistrictDefinition("d", "D", None, ("1480C0001", "1480C0002"))]
    table = load_district_table(path, criteria, districts)
    check = next(urbanscreen.screen(table, criteria).districts()).checks[0]
    # The suppressed area has at most 20 dwellings and at most 20 persons: low 190 / 220 =
    # 0.8636…, high (190 + 20) / 200 = 1.05. The ratio may lie above 1 or not: unknown.
    assert check.low == pytest.approx(190 / 220)
    assert check.high == pytest.approx(1.05)
    assert check.met is None


# -- 5. two criteria on one indicator of a long table, headed in Danish -------------------------

TWO_LIMITS = """\
version = 1
[scheme]
name = "Two limits"
rule = "any"
[[criteria]]
id = "ikke_vestlige"
label = "Ikke-vestlige"
column = "Ikke-vestlige"
unit = "percent"
op = ">"
threshold = 50
[[criteria]]
id = "ikke_vestlige_30"
label = "Ikke-vestlige over 30 %"
column = "Ikke-vestlige"
unit = "percent"
op = ">"
threshold = 30
"""


def test_two_criteria_on_one_indicator_both_get_its_rows(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(TWO_LIMITS, encoding="utf-8")
    rows = [
        ["Boligområde", "År", "Nøgletal", "Værdi"],
        ["Nord", 2021, "Ikke-vestlige", "55,0"],  # > 50 and > 30
        ["Syd", 2021, "Ikke-vestlige", "40,0"],  # > 30 only
        ["Vest", 2021, "Ikke-vestlige", "..."],
    ]
    result = screened(write_csv(tmp_path / "d.csv", rows), criteria)
    assert result.table.layout == "long"
    found = {d.id: tuple(c.met for c in d.checks) for d in result.districts()}
    assert found == {"Nord": (True, True), "Syd": (False, True), "Vest": (None, None)}


# -- 4. a count is never a rate ----------------------------------------------------------------

SCB = ["Kommunkod", "Kommun", "Stadsdel", "Förvärvsfrekvens", "Långvarigt försörjningsstöd"]


def test_a_rate_is_computed_from_the_counts_the_table_holds(tmp_path: Path) -> None:
    rows = [
        [*SCB, "Behöriga till gymnasiet", "Elever som lämnat åk 9", "Folkmängd"],
        # 55 of 60 leavers eligible: 100 x 55 / 60 = 91.666… %, not below 70: no.
        ["1480", "Göteborg", "Norr", 40.0, 9.0, 55, 60, 5000],
        # 30 of 60: 50 %, below 70; the other three hold too: yes.
        ["1480", "Göteborg", "Söder", 40.0, 9.0, 30, 60, 5000],
        # No leavers at all: the share is unknown, not 0.
        ["1480", "Göteborg", "Väster", 40.0, 9.0, 0, 0, 5000],
    ]
    result = screened(write_csv(tmp_path / "d.csv", rows), "scb-2012")
    school = {
        d.id: next(c for c in d.checks if c.criterion.id == "gymnasiebehorighet")
        for d in result.districts()
    }
    assert school["1480 Norr"].value == pytest.approx(91.666666667)
    assert (school["1480 Norr"].numerator, school["1480 Norr"].denominator) == (55, 60)
    assert {d.id: d.qualifies for d in result.districts()} == {
        "1480 Norr": False,
        "1480 Söder": True,
        "1480 Väster": None,
    }
    notes = [i.message for i in result.issues if i.code == "rates-from-counts"]
    assert notes == [
        "the table has counts, not rates: computed for each area: Gymnasiebehörighet = "
        "100 × 'Behöriga till gymnasiet' / 'Elever som lämnat åk 9'"
    ]


def test_a_numerator_without_its_denominator_is_refused_by_name(
    tmp_path: Path, runner: CliRunner
) -> None:
    rows = [
        [*SCB, "Behöriga till gymnasiet", "Folkmängd"],
        ["1480", "Göteborg", "Norr", 40.0, 9.0, 55, 5000],
    ]
    path = write_csv(tmp_path / "d.csv", rows)
    run = runner.invoke(app, ["check", str(path), "--criteria", "scb-2012"])
    assert run.exit_code == 2
    assert "only 'Behöriga till gymnasiet' is there: 'Elever som lämnat åk 9' is missing" in (
        run.output
    )
    assert "rename" not in run.output


def test_a_column_headed_as_a_count_is_not_the_rate(tmp_path: Path, runner: CliRunner) -> None:
    header = ["Stadsdel", "Förvärvsfrekvens", "Långvarigt försörjningsstöd (antal)"]
    rows = [[*header, "Gymnasiebehörighet", "Folkmängd"], ["Norr", 40.0, 120, 50, 5000]]
    path = write_csv(tmp_path / "d.csv", rows)
    run = runner.invoke(app, ["check", "--lang", "en", str(path), "--criteria", "scb-2012"])
    assert run.exit_code == 2
    assert "no column for criterion 'Långvarigt försörjningsstöd'" in run.output
    hint = run.output.split("hint: ")[1]
    assert hint.startswith(
        "'Långvarigt försörjningsstöd (antal)' holds a count, not the rate: add the rate's "
        "column 'Långvarigt försörjningsstöd', or the counts 'Personer med långvarigt "
        "ekonomiskt bistånd' and 'Befolkning 20-64 år' to compute it from"
    )
    assert "rename" not in run.output


# -- 10. a preset answers what a file can tell: secondary outcomes' columns are optional --------

NMTC_HEADERS = [
    "2020 Census Tract Number FIPS code. GEOID",
    "Census Tract Poverty Rate % (2016-2020 ACS)",
    "Census Tract Percent of Benchmarked Median Family Income (%) 2016-2020 ACS",
]


def test_nmtc_without_distress_and_population_columns_answers_lic(tmp_path: Path) -> None:
    from .conftest import write_xlsx

    rows = [
        NMTC_HEADERS,
        ["01001020100", 21.5, 0.95],  # poverty 21.5 >= 20: LIC; 21.5 is not > 30, income
        # 95 % is not <= 60, and unemployment is absent: distress unknown
        ["01001020300", 35, 0.55],  # poverty 35 > 30: LIC and severely distressed
        ["01001020600", 5, 1.2],  # 5 % and 120 %: no LIC, so no distress either
    ]
    result = screened(write_xlsx(tmp_path / "t.xlsx", rows), "us-nmtc-2020")
    found = {
        d.id: (d.qualifies, d.outcomes["severe_distress"], d.uncertain) for d in result.districts()
    }
    assert found == {
        "01001020100": (True, None, None),
        "01001020300": (True, True, None),
        "01001020600": (False, False, None),
    }
    warned = [i.message for i in result.issues if i.code == "optional-columns-absent"]
    assert warned == [
        "the table has no column for 'Unemployment / national rate', 'Population (poverty "
        "universe)': Severe distress: unknown where they could decide it; small populations "
        "are not flagged"
    ]


def test_the_qualifying_outcomes_own_columns_stay_required(tmp_path: Path) -> None:
    from .conftest import write_xlsx

    rows = [NMTC_HEADERS[:2], ["01001020100", 21.5]]
    with pytest.raises(urbanscreen.errors.MissingColumnError) as caught:
        screened(write_xlsx(tmp_path / "t.xlsx", rows), "us-nmtc-2020")
    assert "Median family income, % of benchmark" in str(caught.value)


# -- 9. the explanation is the engine's own node values -----------------------------------------

NESTED = """\
version = 1
[scheme]
name = "Nested"
qualifies = "both"
[[criteria]]
id = "poor"
label = "Poverty"
column = "Poverty"
unit = "percent"
op = ">="
threshold = 20
[[outcomes]]
id = "both"
label = "Poor two years, and poor now"
rule = { all = [{ streak = 2, rule = "poor" }, { any = ["poor"] }] }
"""


def _consistent(node: dict[str, object]) -> None:
    """A group's value is its members' in Kleene logic, all the way down."""
    members = node.get("members")
    if not isinstance(members, list) or node.get("over_years"):
        return
    values = [m["met"] for m in members]
    needed = {"all": len(values), "any": 1}.get(str(node["rule"]), 0)
    true, open_ = values.count(True), values.count(None)
    expected = True if true >= needed else False if true + open_ < needed else None
    assert node["met"] is expected, node
    for member in members:
        _consistent(member)


def test_a_nested_year_rule_is_explained_as_the_engine_decided(
    tmp_path: Path, runner: CliRunner
) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(NESTED, encoding="utf-8")
    path = by_year(tmp_path / "d.csv", {"A": (25, 25), "B": (25, 15)}, 2020, "Poverty")
    run = runner.invoke(app, ["check", str(path), "--criteria", str(criteria), "-f", "json"])
    assert run.exit_code == 0, run.output
    trees = {
        d["id"]: d["explanation"]["outcomes"]["both"] for d in json.loads(run.stdout)["districts"]
    }
    # A: 25 >= 20 in 2020 and 2021: the streak holds, and so does "any"; B: 2021 is 15.
    assert trees["A"]["met"] is True
    assert [m["met"] for m in trees["A"]["members"]] == [True, True]
    assert trees["A"]["members"][0]["years"] == [True, True]
    assert trees["B"]["met"] is False
    assert trees["B"]["members"][0]["years"] == [False, True]
    for tree in trees.values():
        _consistent(tree)


def test_denmark_2021_reads_a_long_danish_table_as_its_wide_one(tmp_path: Path) -> None:
    """dk_areas.csv's areas, one row per area, year and nøgletal, the same values in 2020
    and 2021 (so every two-year mean is the value itself): the same answers as the wide
    file, "Ikke-vestlige" read by both its 50 % and its 30 % criterion."""
    from .conftest import DATA

    lines = (DATA / "dk_areas.csv").read_text(encoding="utf-8").splitlines()
    header, *body = (line.split(";") for line in lines)
    rows: list[list[object]] = [["Boligområde", "År", "Nøgletal", "Værdi"]]
    for cells in body:
        for year in (2020, 2021):
            rows += [
                [cells[0], year, name, cell]
                for name, cell in zip(header[2:], cells[2:], strict=True)
            ]
    long = screened(write_csv(tmp_path / "long.csv", rows), "dk-2021")
    wide = screened(DATA / "dk_areas.csv", "dk-2021")
    assert long.table.layout == "long"

    def answers(result: urbanscreen.Result) -> dict[str, object]:
        return {
            d.name: (d.qualifies, d.outcomes, [c.met for c in d.checks]) for d in result.districts()
        }

    assert answers(long) == answers(wide)


def test_a_table_by_year_with_one_year_says_a_streak_needs_more(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(SCHEME_STREAK.replace("{rule}", '{ streak = 3, rule = "forv" }'), "utf-8")
    values = {"Poor": (25,), "Not": (15,)}  # 2021 only: a streak of 3 cannot be shown
    result = screened(by_year(tmp_path / "d.csv", values, 2021, "Poverty"), criteria)
    assert {d.id: d.qualifies for d in result.districts()} == {"Poor": None, "Not": False}
    assert "needs-years" in [issue.code for issue in result.issues]


def test_a_long_table_of_counts_gives_the_rate_too(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Region", "Tabellinnehåll", "Värde"]]
    figures = {
        "Förvärvsfrekvens": 40.0,
        "Långvarigt försörjningsstöd": 9.0,
        "Behöriga till gymnasiet": 55,  # 100 x 55 / 60 = 91.666…: not below 70
        "Elever som lämnat åk 9": 60,
        "Folkmängd": 5000,
    }
    rows += [["1480 Göteborg", name, value] for name, value in figures.items()]
    result = screened(write_csv(tmp_path / "d.csv", rows), "scb-2012")
    district = next(result.districts())
    school = next(c for c in district.checks if c.criterion.id == "gymnasiebehorighet")
    assert (school.value, school.numerator, school.denominator) == (
        pytest.approx(91.666666667),
        55,
        60,
    )
    assert district.qualifies is False
    assert "rates-from-counts" in [issue.code for issue in result.issues]


def test_a_count_indicator_is_never_the_rate(tmp_path: Path) -> None:
    rows: list[list[object]] = [["Region", "Tabellinnehåll", "Värde"]]
    figures = {
        "Förvärvsfrekvens": 40.0,
        "Långvarigt försörjningsstöd": 9.0,
        "Behöriga till gymnasiet": 55,  # a count, and its denominator is not there
        "Folkmängd": 5000,
    }
    rows += [["1480 Göteborg", name, value] for name, value in figures.items()]
    with pytest.raises(urbanscreen.errors.MissingColumnError) as caught:
        screened(write_csv(tmp_path / "d.csv", rows), "scb-2012")
    assert "'Elever som lämnat åk 9' is missing" in str(caught.value)


def test_an_indicator_headed_as_a_count_is_not_offered_as_the_rate(
    tmp_path: Path, runner: CliRunner
) -> None:
    rows: list[list[object]] = [["Region", "Tabellinnehåll", "Värde"]]
    figures = {
        "Förvärvsfrekvens": 40.0,
        "Långvarigt försörjningsstöd (antal)": 120,  # the count, not the share
        "Gymnasiebehörighet": 50.0,
        "Folkmängd": 5000,
    }
    rows += [["1480 Göteborg", name, value] for name, value in figures.items()]
    path = write_csv(tmp_path / "d.csv", rows)
    run = runner.invoke(app, ["check", "--lang", "en", str(path), "--criteria", "scb-2012"])
    assert run.exit_code == 2
    assert "no rows for criterion 'Långvarigt försörjningsstöd'" in run.output
    # Not "add the indicator's name to `aliases`": that would screen 120 people as 120 %.
    hint = run.output.split("hint: ")[1]
    assert hint.startswith(
        "'Långvarigt försörjningsstöd (antal)' holds a count, not the rate: add the rate's "
        "column 'Långvarigt försörjningsstöd', or the counts 'Personer med långvarigt "
        "ekonomiskt bistånd' and 'Befolkning 20-64 år' to compute it from"
    )
    assert "aliases" not in run.output


def test_a_follow_up_says_a_streak_of_a_streak_lacks_the_years_it_reads(
    tmp_path: Path,
) -> None:
    criteria_path = tmp_path / "c.toml"
    criteria_path.write_text(STREAK_OF_A_STREAK, encoding="utf-8")
    criteria = urbanscreen.load_criteria(criteria_path)
    path = by_year(tmp_path / "d.csv", {"A": (20.0, 20.0, 20.0, 20.0)}, 2017, "X")
    table = urbanscreen.load_table(path, criteria, every_year=True)
    found = urbanscreen.follow_up(table, criteria)
    # b in 2020 reads a in 2019 and 2020, a in 2019 reads x in 2017-2019: four years,
    # 2017-2020, all in the table. In 2019 b reads back to 2016, which the table lacks.
    assert 2020 not in found.notes
    assert "B is a rule over 4 years (2016–2019); the table lacks 2016" in str(
        found.notes[2019][-1]
    )
    assert found.results[2020].frame["qualifies"].tolist() == [True]


LABELLED_AS_ITS_COUNT = """\
version = 1
[scheme]
name = "A rate labelled as its numerator"
rule = "all"
[[criteria]]
id = "gymn"
label = "Behöriga"
column = "Gymnasiebehörighet"
unit = "percent"
op = "<"
threshold = 70
numerator = { column = "Behöriga" }
denominator = { column = "Elever" }
"""


def test_an_indicator_the_file_names_as_a_count_is_never_the_rate_it_labels(
    tmp_path: Path,
) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(LABELLED_AS_ITS_COUNT, encoding="utf-8")
    rows: list[list[object]] = [
        ["Region", "Tabellinnehåll", "År", "Värde"],
        ["1480 Göteborg", "Behöriga", 2011, 55],
        ["1480 Göteborg", "Elever", 2011, 60],
    ]
    result = screened(write_csv(tmp_path / "d.csv", rows), criteria)
    # 55 eligible of 60 leavers is 100 × 55 / 60 = 91.667 %, not < 70: read as the rate
    # by its label, the count 55 would have qualified ("55 %").
    (district,) = result.districts()
    assert district.checks[0].value == pytest.approx(91.666666667)
    assert district.qualifies is False
    assert "rates-from-counts" in [issue.code for issue in result.issues]
