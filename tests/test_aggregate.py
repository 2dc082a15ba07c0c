"""Districts built from small areas: rates from summed counts, computed by hand here."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.aggregate import load_district_table
from urbanscreen.cli import app
from urbanscreen.districts import DistrictDefinition, load_districts
from urbanscreen.errors import (
    DuplicateIdError,
    InputFileError,
    MissingColumnError,
    OptionError,
    UnknownAreaError,
)
from urbanscreen.render.tabular import to_csv

from .conftest import SAMPLE, write_csv
from .test_message_language import said_in_swedish

DESO = SAMPLE / "deso-goteborg.csv"
DEFINITION = SAMPLE / "districts-goteborg.toml"

HEADERS = [
    "DeSO",
    "Folkmängd",
    "Befolkning 20-64 år",
    "Förvärvsarbetande 20-64 år",
    "Personer med långvarigt ekonomiskt bistånd",
    "Elever som lämnat åk 9",
    "Behöriga till gymnasiet",
]


@pytest.fixture
def result(criteria: urbanscreen.Criteria) -> urbanscreen.Result:
    table = load_district_table(DESO, criteria, load_districts(DEFINITION))
    return urbanscreen.screen(table, criteria)


def by_name(result: urbanscreen.Result) -> dict[str, urbanscreen.result.District]:
    return {d.name or d.id: d for d in result.districts()}


def test_rates_come_from_summed_counts(result: urbanscreen.Result) -> None:
    bergsjon = by_name(result)["Bergsjön"]
    employment = bergsjon.checks[0]
    # (600 + 560 + 470 + 590) / (1 400 + 1 250 + 1 100 + 1 350) = 2 220 / 5 100
    assert (employment.numerator, employment.denominator) == (2220, 5100)
    assert employment.value == pytest.approx(100 * 2220 / 5100)
    assert bergsjon.checks[3].value == 2400 + 2100 + 1900 + 2300
    assert bergsjon.areas == ["1480C3010", "1480C3020", "1480C3030", "1480C3040"]


def test_averaging_percentages_would_have_flipped_it(result: urbanscreen.Result) -> None:
    lovgardet = by_name(result)["Lövgärdet"]
    rates = [100 * 900 / 1600, 100 * 700 / 1300, 100 * 20 / 100]
    assert sum(rates) / 3 < 52  # the mean of the rates would qualify it
    assert lovgardet.checks[0].value == 54.0  # 1 620 / 3 000
    assert lovgardet.checks[0].met is False
    assert lovgardet.qualifies is False


def test_suppressed_count_is_bounded_and_decides(result: urbanscreen.Result) -> None:
    assistance = by_name(result)["Bergsjön"].checks[1]
    assert assistance.value is None
    # 160 + 150 + 140 = 450 known, the suppressed one at most 5, of 5 100
    assert assistance.low == pytest.approx(100 * 450 / 5100)
    assert assistance.high == pytest.approx(100 * 455 / 5100)
    assert assistance.met is True  # both bounds lie above 4.8
    assert by_name(result)["Bergsjön"].qualifies is True
    assert "suppressed-areas" in [issue.code for issue in result.issues]


def test_suppression_that_could_change_the_answer_is_unknown(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    rows = [
        HEADERS,
        ["1480C0001", 3000, 100, 40, 4, 30, 15],
        ["1480C0002", 3000, 100, 40, "..", 30, 15],
    ]
    path = write_csv(tmp_path / "d.csv", rows)
    districts = [DistrictDefinition("d", "D", None, ("1480C0001", "1480C0002"))]
    district = next(
        urbanscreen.screen(load_district_table(path, criteria, districts), criteria).districts()
    )
    # 4 known of 200, the suppressed one 0..5: 2.0 % to 4.5 %, both below 4.8: fails.
    assert district.checks[1].met is False
    rows[1][4] = 9
    path = write_csv(tmp_path / "e.csv", rows)
    district = next(
        urbanscreen.screen(load_district_table(path, criteria, districts), criteria).districts()
    )
    # 9 known: 4.5 % to 7.0 %: the suppressed count decides, so unknown.
    assert district.checks[1].met is None
    assert district.qualifies is None


def test_definition_as_csv_and_vintage_suffixes(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    definition = tmp_path / "d.csv"
    definition.write_text(
        "district;name;kommun;deso\n"
        "b;Bergsjön;Göteborg;1480C3010_DeSO2025\n"
        "b;Bergsjön;Göteborg;1480C3020\n",
        encoding="utf-8",
    )
    table = load_district_table(DESO, criteria, load_districts(definition))
    assert table.frame.loc[0, "areas"] == "1480C3010, 1480C3020"
    assert table.frame.loc[0, "folkmangd"] == 2400 + 2100


def test_codes_not_in_the_data_are_named(criteria: urbanscreen.Criteria) -> None:
    districts = [DistrictDefinition("x", "X", None, ("1480C3010", "1480C9999"))]
    with pytest.raises(UnknownAreaError, match=r"1480C9999 \(x\)"):
        load_district_table(DESO, criteria, districts)


def test_overlaps_odd_codes_and_leftovers_are_said(criteria: urbanscreen.Criteria) -> None:
    districts = [
        DistrictDefinition("a", "A", None, ("1480C3010", "1480C3020")),
        DistrictDefinition("b", "B", None, ("1480C3020",)),
    ]
    table = load_district_table(DESO, criteria, districts)
    issues = {issue.code: issue.message for issue in table.issues}
    assert "1480C3020 (a and b)" in issues["area-in-two-districts"]
    assert issues["areas-outside-districts"] == (
        "12 area(s) of the data belong to no district: "
        "1480C3030, 1480C3040, 1480C3110, 1480C3120, 1480C3130 and 7 more"
    )


def test_rates_need_counts_or_weights(tmp_path: Path, criteria: urbanscreen.Criteria) -> None:
    rows = [
        [
            "DeSO",
            "Förvärvsfrekvens",
            "Långvarigt försörjningsstöd",
            "Gymnasiebehörighet",
            "Folkmängd",
        ],
        ["1480C0001", 45, 6, 60, 3000],
    ]
    path = write_csv(tmp_path / "d.csv", rows)
    districts = [DistrictDefinition("d", "D", None, ("1480C0001",))]
    with pytest.raises(
        MissingColumnError, match="rates of small areas cannot be averaged"
    ) as caught:
        load_district_table(path, criteria, districts)
    assert caught.value.hint is not None
    assert "Förvärvsarbetande 20-64 år" in caught.value.hint


WEIGHTED = """\
version = 1
[scheme]
name = "Weighted"
[[criteria]]
id = "rate"
label = "Rate"
column = "Rate"
unit = "percent"
op = "<"
threshold = 50
weight = "residents"
[[measures]]
id = "residents"
label = "Residents"
column = "Residents"
unit = "count"
"""


def test_rates_with_weights_use_the_weighted_mean(tmp_path: Path) -> None:
    criteria_path = tmp_path / "c.toml"
    criteria_path.write_text(WEIGHTED, encoding="utf-8")
    criteria = urbanscreen.load_criteria(criteria_path)
    rows = [["DeSO", "Rate", "Residents"], ["1480C0001", 60, 300], ["1480C0002", 20, 100]]
    path = write_csv(tmp_path / "d.csv", rows)
    districts = [DistrictDefinition("d", "D", None, ("1480C0001", "1480C0002"))]
    table = load_district_table(path, criteria, districts)
    # (60 x 300 + 20 x 100) / 400 = 50.0, where the plain mean would say 40
    assert table.frame.loc[0, "rate"] == 50.0
    assert "weighted-rates" in [issue.code for issue in table.issues]


def test_the_command_line_traces_every_figure(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(
        app, ["check", str(DESO), "--districts", str(DEFINITION), "-o", str(out), "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    lovgardet = next(d for d in document["districts"] if d["name"] == "Lövgärdet")
    assert lovgardet["areas"] == ["1480C3210", "1480C3220", "1480C3230"]
    definition = document["input"]["districts"]
    assert definition["path"].endswith("districts-goteborg.toml")
    assert definition["sha256"] == hashlib.sha256(DEFINITION.read_bytes()).hexdigest()
    assert (lovgardet["criteria"][0]["numerator"], lovgardet["criteria"][0]["denominator"]) == (
        1620,
        3000,
    )
    headers = [c.value for c in load_workbook(out)["Detaljer"][1]]
    assert "Delområden" in headers
    assert "Förvärvs-\nfrekvens\ntäljare (summa)" in headers
    provenance = {
        row[0]: row[1] for row in load_workbook(out)["Ursprung"].iter_rows(values_only=True)
    }
    assert provenance["Områdesindelningens SHA-256"] == definition["sha256"]
    table = runner.invoke(app, ["check", str(DESO), "--districts", str(DEFINITION)])
    assert "Lövgärdet: 1480C3210, 1480C3220, 1480C3230" in table.stdout
    assert "Förvärvsfrekvens: 1 620 / 3 000" in table.stdout


def one_district(
    tmp_path: Path, criteria: urbanscreen.Criteria, rows: list[list[object]], codes: tuple[str, ...]
) -> urbanscreen.result.District:
    path = write_csv(tmp_path / "d.csv", [HEADERS, *rows])
    table = load_district_table(path, criteria, [DistrictDefinition("d", "D", None, codes)])
    return next(urbanscreen.screen(table, criteria).districts())


def test_a_suppressed_population_has_no_upper_bound(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    rows = [["1480C0001", 2900, 1000, 400, 90, 30, 15], ["1480C0002", "..", 900, 360, 80, 30, 15]]
    district = one_district(tmp_path, criteria, rows, ("1480C0001", "1480C0002"))
    population = district.checks[3]
    assert (population.value, population.low, population.met) == (None, 2900, None)
    rows[0][1] = 4100  # the known part alone reaches 4 000: decided whatever the rest is
    assert one_district(tmp_path, criteria, rows, ("1480C0001", "1480C0002")).checks[3].met


def test_an_area_listed_twice_counts_once(tmp_path: Path, criteria: urbanscreen.Criteria) -> None:
    rows = [["1480C0001", 2700, 1000, 400, 90, 30, 15]]
    path = write_csv(tmp_path / "d.csv", [HEADERS, *rows])
    districts = [DistrictDefinition("d", "D", None, ("1480C0001", "1480C0001"))]
    table = load_district_table(path, criteria, districts)
    assert table.frame.loc[0, "folkmangd"] == 2700
    assert "area-listed-twice" in [issue.code for issue in table.issues]


def test_one_area_twice_in_the_data_is_an_error(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    rows = [
        ["1480C0001", 2700, 1000, 400, 90, 30, 15],
        ["1480C0001_DeSO2025", 2700, 1000, 400, 90, 30, 15],
    ]
    path = write_csv(tmp_path / "d.csv", [HEADERS, *rows])
    with pytest.raises(InputFileError, match="two rows for area 1480C0001"):
        load_district_table(path, criteria, [DistrictDefinition("d", "D", None, ("1480C0001",))])


def test_a_suppressed_group_bounds_its_numerator_by_its_size(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    rows = [["1480C0001", 4000, 3000, 1554, 200, 30, 15], ["1480C0002", 30, "..", "..", 1, 2, 1]]
    employment = one_district(tmp_path, criteria, rows, ("1480C0001", "1480C0002")).checks[0]
    # low 1554 / 3020 = 51.46 %; high (1554 + 20) / 3000 = 52.47 %: 52 lies between
    assert employment.low == pytest.approx(100 * 1554 / 3020)
    assert employment.high == pytest.approx(100 * 1574 / 3000)
    assert employment.met is None


def test_duplicate_district_ids_are_refused(tmp_path: Path) -> None:
    definition = tmp_path / "d.toml"
    definition.write_text(
        '[[districts]]\nid = "d1"\nareas = ["1480C3010"]\n'
        '[[districts]]\nid = "d1"\nareas = ["1480C3020"]\n',
        encoding="utf-8",
    )
    with pytest.raises(DuplicateIdError, match="'d1'"):
        load_districts(definition)
    done = CliRunner().invoke(
        app, ["check", str(SAMPLE / "deso-goteborg.csv"), "--districts", str(definition)]
    )
    assert done.exit_code == 2
    assert done.stderr.splitlines()[-2:] == [  # Swedish, as the scheme: no English line
        f"urbanscreen: fel [duplicate-id]: {definition}: områdes-id som används mer än en "
        "gång: 'd1'",
        "  tips: ge varje [[districts]] ett eget id",
    ]


@pytest.mark.parametrize(
    ("text", "english", "swedish"),
    [
        (  # a path as a criteria file's problems have theirs: from 0, the entry named
            '[[districts]]\nid = "X"\narea = ["1480C3010"]\n',
            "districts[0].area (district 'X'): unknown key; did you mean `areas`?",
            "districts[0].area (området 'X'): okänd nyckel; menade du `areas`?",
        ),
        (  # the misspelt table first, not the missing one it was meant to be
            '[[district]]\nid = "X"\nareas = ["1480C3010"]\n',
            "district: unknown key; did you mean `districts`?",
            "district: okänd nyckel; menade du `districts`?",
        ),
        (
            '[[districts]]\nid = 5\nareas = ["1480C3010"]\n',
            "districts[0].id: must be text",
            "districts[0].id: ska vara text",
        ),
        (
            '[[districts]]\nid = "X"\nareas = []\n',
            "districts[0].areas (district 'X'): must be a list of one or more area codes",
            "districts[0].areas (området 'X'): ska vara en lista med en eller flera "
            "delområdeskoder",
        ),
        (
            '[[districts]]\nid = "X"\nareas = ["1480C3010"]\n[[districts]]\nareas = ["1"]\n',
            "districts[1].id: required key is missing",
            "districts[1].id: nyckeln krävs men saknas",
        ),
        (  # one code of the list, not the list, is wrong
            '[[districts]]\nid = "X"\nareas = ["1480C3010", 1480]\n',
            "districts[0].areas[1] (district 'X'): must be an area code in quotes, "
            'such as "1480C3010"',
            "districts[0].areas[1] (området 'X'): ska vara en delområdeskod inom "
            'citattecken, till exempel "1480C3010"',
        ),
        (  # no line half Swedish, half pydantic's English
            'districts = "X"\n',
            "districts: must be one [[districts]] table per district",
            "districts: ska vara en [[districts]]-tabell per område",
        ),
        (  # TOML's own English reason is left out of the Swedish line
            '[[districts]]\nid = "X"\nname = Norr\nareas = ["1480C3010"]\n',
            "not valid TOML at line 3, column 8 (Invalid value): name = Norr",
            "inte giltig TOML på rad 3, kolumn 8: name = Norr",
        ),
    ],
)
def test_a_definition_s_tables_are_checked_in_the_run_s_language(
    runner: CliRunner, tmp_path: Path, text: str, english: str, swedish: str
) -> None:
    definition = tmp_path / "d.toml"
    definition.write_text(text, encoding="utf-8")
    with pytest.raises(InputFileError) as raised:
        load_districts(definition)
    assert raised.value.code == "unreadable-file"  # not invalid-criteria: not the criteria
    for language, said in (("en", english), ("sv", swedish)):
        done = runner.invoke(
            app,
            [
                "check",
                str(SAMPLE / "deso-goteborg.csv"),
                "--districts",
                str(definition),
                "--lang",
                language,
            ],
        )
        assert done.exit_code == 2
        assert f"d.toml: {said}\n" in done.stderr
        if language == "sv":
            assert said_in_swedish(done.stderr.splitlines()[0]), done.stderr
    hint = str(raised.value.hint)
    assert 'each [[districts]] needs id = "…" and areas = ["…", …]' in hint or "quotes" in hint


def test_a_definition_not_in_utf8_is_said_so(runner: CliRunner, tmp_path: Path) -> None:
    definition = tmp_path / "d.toml"
    definition.write_bytes('[[districts]]\nid = "Å"\nareas = ["1480C3010"]\n'.encode("cp1252"))
    with pytest.raises(InputFileError) as raised:
        load_districts(definition)
    assert raised.value.code == "unreadable-file"
    assert raised.value.message == "district definition is not UTF-8 text"  # not the codec's
    data = str(SAMPLE / "deso-goteborg.csv")
    done = runner.invoke(app, ["check", data, "--districts", str(definition), "--lang", "sv"])
    assert done.exit_code == 2
    assert "d.toml: områdesindelningen är inte UTF-8-text\n" in done.stderr


def test_what_aggregation_cannot_carry_is_refused(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "criteria.toml").read_text(encoding="utf-8")
    criteria_path = tmp_path / "c.toml"
    criteria_path.write_text(
        text.replace("threshold = 52", "threshold = 52\nyears = { mean = 2 }"), "utf-8"
    )
    criteria = urbanscreen.load_criteria(criteria_path)
    with pytest.raises(OptionError, match="does not yet support"):
        load_district_table(DESO, criteria, load_districts(DEFINITION))


def test_csv_writes_a_range_in_the_reports_decimal_mark(criteria: urbanscreen.Criteria) -> None:
    table = load_district_table(DESO, criteria, load_districts(DEFINITION))
    text = to_csv(urbanscreen.screen(table, criteria), "sv")
    bergsjon = next(line for line in text.splitlines() if line.startswith("1480-bergsjon"))
    # The range 8.824-8.922 at the criterion's precision (one decimal, as the threshold 4.8
    # is written), and the bounds again as numbers.
    assert ";8,8–8,9;" in bergsjon
    assert ";8,8;8,9;" in bergsjon
