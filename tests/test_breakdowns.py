"""Real SCB tables as published (issue 14): every breakdown resolved or refused with what to
choose, CONTVARIABLE, DATA without ';', missing symbols, $$SORT, repeated areas, missing
criteria, look-alike headers, PxWeb's one-dimension CSV, SCB's DeSO→RegSO key, the sex
table. PX files here are shaped exactly like the files of SCB's PxWeb examples."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.cli import app
from urbanscreen.dimensions import UnresolvedBreakdownError, parse_where
from urbanscreen.districts import load_districts
from urbanscreen.errors import (
    AmbiguousColumnError,
    DuplicateIdError,
    InputFileError,
    MissingColumnError,
    OptionError,
    ValueOutOfRangeError,
)

from .conftest import SAMPLE, write_csv, write_xlsx

PX = Path(__file__).parent / "data" / "px"


def criteria_file(tmp_path: Path, *labels: str, unit: str = "count") -> urbanscreen.Criteria:
    lines = ["version = 1", "[scheme]", 'name = "test"']
    for number, label in enumerate(labels, start=1):
        lines += [
            "[[criteria]]",
            f'id = "c{number}"',
            f"label = {json.dumps(label)}",
            f"column = {json.dumps(label)}",
            f'unit = "{unit}"',
            'op = ">="',
            "threshold = 0",
        ]
    path = tmp_path / "criteria.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return urbanscreen.load_criteria(path)


def write_px(path: Path, keywords: list[str], data: str) -> Path:
    """A PX file as SCB writes them: Latin-1, one keyword a line, DATA last."""
    text = "\n".join(['CHARSET="ANSI";', 'AXIS-VERSION="2006";', 'LANGUAGE="en";', *keywords])
    path.write_bytes((text + "\nDATA=\n" + data + ";\n").encode("latin-1"))
    return path


def values(table: urbanscreen.Table, criterion: str = "c1") -> dict[str, float | None]:
    frame = table.frame
    return {
        str(area): None if math.isnan(value) else float(value)
        for area, value in zip(frame["id"], frame[criterion], strict=True)
    }


# Shaped like Population/BE0101A1.px (region, marital status, age, sex by period), with
# one age: 38-year-olds by marital status.
AGED_38 = [
    'CONTENTS="Population";',
    'UNITS="number";',
    'STUB="region","marital status","age","sex";',
    'HEADING="period";',
    'VALUES("region")="01 Stockholm county","03 Uppsala county";',
    'VALUES("marital status")="single","married";',
    'VALUES("age")="38";',
    'VALUES("sex")="men","women";',
    'VALUES("period")="2005";',
    'CODES("region")="01","03";',
    'CODES("sex")="1","2";',
]
# region x marital status x age x sex, one period: 01 single men, 01 single women, …
AGED_38_DATA = "10\n20\n30\n40\n1\n2\n3\n4"


# -- 1. no breakdown is dropped silently ---------------------------------------------------


def test_a_breakdown_without_a_total_is_refused_with_the_pick(tmp_path: Path) -> None:
    path = write_px(tmp_path / "aged38.px", AGED_38, AGED_38_DATA)
    criteria = criteria_file(tmp_path, "Population")
    with pytest.raises(UnresolvedBreakdownError) as caught:
        urbanscreen.load_table(path, criteria)
    assert "'marital status' (single, married)" in str(caught.value)
    assert caught.value.hint is not None
    assert "--where 'marital status=single'" in caught.value.hint


def test_where_picks_a_value_and_a_single_value_is_a_filter(tmp_path: Path) -> None:
    path = write_px(tmp_path / "aged38.px", AGED_38, AGED_38_DATA)
    criteria = criteria_file(tmp_path, "Population")
    table = urbanscreen.load_table(path, criteria, where={"marital status": "married"})
    # Married 38-year-olds, men + women: Stockholm 30 + 40, Uppsala 3 + 4.
    assert values(table) == {"01": 70.0, "03": 7.0}
    assert table.filters == {"marital status": "married", "age": "38"}
    notes = [i for i in table.issues if i.code == "breakdown-filter"]
    assert len(notes) == 1
    assert notes[0].message.startswith("screening marital status = married, age = 38")
    assert notes[0].level == "warning"  # age = 38 was not asked for


def test_a_one_cell_table_says_what_it_screens(tmp_path: Path, runner: CliRunner) -> None:
    """Single, aged 28: once screened as the whole county's population."""
    keywords = [k for k in AGED_38 if not k.startswith(("VALUES", "CODES"))] + [
        'VALUES("region")="01 Stockholm county";',
        'VALUES("marital status")="single";',
        'VALUES("age")="28";',
        'VALUES("sex")="total";',
        'VALUES("period")="2005";',
        'CODES("region")="01";',
    ]
    path = write_px(tmp_path / "one.px", keywords, "1234")
    criteria_file(tmp_path, "Population")
    result = runner.invoke(
        app, ["check", str(path), "-c", str(tmp_path / "criteria.toml"), "-f", "json"]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["input"]["where"] == {"marital status": "single", "age": "28"}
    assert document["districts"][0]["criteria"][0]["value"] == 1234
    assert "screening marital status = single, age = 28" in result.stderr


def test_the_elimination_value_is_the_total(tmp_path: Path) -> None:
    """Population/BE0101A1elimtot.px with the region it lacks: marital status and sex
    have ELIMINATION="total"; the 2006 total over both is the file's last cell."""
    text = (PX / "BE0101A1elimtot.px").read_bytes().decode("latin-1")
    text = text.replace(
        'STUB="marital status","sex";',
        'STUB="region","marital status","sex";\nVALUES("region")="00 Sweden";\n'
        'CODES("region")="00";',
    )
    path = tmp_path / "elimtot.px"
    path.write_bytes(text.encode("latin-1"))
    table = urbanscreen.load_table(path, criteria_file(tmp_path, "Population"))
    assert values(table) == {"00": 9_113_257.0}
    assert [b.as_dict() for b in table.breakdowns] == [
        {"dimension": "marital status", "resolved": "total", "value": "total"}
    ]


def test_summing_needs_counts(tmp_path: Path) -> None:
    """ELIMINATION=YES lets counts be summed; a share summed over ages means nothing."""
    keywords = [*AGED_38, 'ELIMINATION("marital status")=YES;']
    path = write_px(tmp_path / "aged38.px", keywords, AGED_38_DATA)
    table = urbanscreen.load_table(path, criteria_file(tmp_path, "Population"))
    # Every marital status, men and women: 10 + 20 + 30 + 40, 1 + 2 + 3 + 4.
    assert values(table) == {"01": 100.0, "03": 10.0}
    with pytest.raises(UnresolvedBreakdownError, match="not every criterion is a count"):
        urbanscreen.load_table(path, criteria_file(tmp_path, "Population", unit="number"))


PXWEB_BY_AGE = [
    ["region", "ålder", "tabellinnehåll", "2022"],
    ["1480C3010", "20-24 år", "Folkmängd", "100"],
    ["1480C3010", "25-29 år", "Folkmängd", "120"],
    ["1480C3020", "20-24 år", "Folkmängd", "90"],
    ["1480C3020", "25-29 år", "Folkmängd", "80"],
]


def test_a_csv_breakdown_is_refused_and_picked_with_where(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "age.csv", PXWEB_BY_AGE, separator=",")
    criteria = criteria_file(tmp_path, "Folkmängd")
    with pytest.raises(UnresolvedBreakdownError, match="'ålder' \\(20-24 år, 25-29 år\\)"):
        urbanscreen.load_table(path, criteria)
    table = urbanscreen.load_table(path, criteria, where={"ålder": "25-29 år"})
    assert values(table) == {"1480C3010": 120.0, "1480C3020": 80.0}


def test_a_csv_total_row_is_used(tmp_path: Path) -> None:
    rows = [*PXWEB_BY_AGE, ["1480C3010", "totalt", "Folkmängd", "220"]]
    rows.append(["1480C3020", "totalt", "Folkmängd", "170"])
    path = write_csv(tmp_path / "age.csv", rows, separator=",")
    table = urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd"))
    assert values(table) == {"1480C3010": 220.0, "1480C3020": 170.0}
    assert any(i.code == "breakdown-total" for i in table.issues)


def test_where_names_dimensions_and_values_it_knows(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "age.csv", PXWEB_BY_AGE, separator=",")
    criteria = criteria_file(tmp_path, "Folkmängd")
    with pytest.raises(OptionError, match="no such dimension; its breakdowns: 'ålder'"):
        urbanscreen.load_table(path, criteria, where={"civilstånd": "ogift"})
    with pytest.raises(OptionError, match="no such value; values: 20-24 år, 25-29 år"):
        urbanscreen.load_table(path, criteria, where={"ålder": "65+"})
    with pytest.raises(OptionError, match="is not DIM=VALUE"):
        parse_where(["ålder"])


def test_where_on_the_command_line_is_in_the_json(tmp_path: Path, runner: CliRunner) -> None:
    path = write_csv(tmp_path / "age.csv", PXWEB_BY_AGE, separator=",")
    criteria_file(tmp_path, "Folkmängd")
    args = ["-c", str(tmp_path / "criteria.toml"), "--where", "ålder=20-24 år", "-f", "json"]
    result = runner.invoke(app, ["check", str(path), *args])
    assert result.exit_code == 0, result.stderr
    assert json.loads(result.stdout)["input"]["where"] == {"ålder": "20-24 år"}
    refused = runner.invoke(app, ["check", str(path), *args[:2]])
    assert refused.exit_code == 2
    assert len(refused.stderr.strip().splitlines()) == 2  # the message and its hint
    assert "Traceback" not in refused.stderr


# -- 2. CONTVARIABLE names the indicator dimension ------------------------------------------


@pytest.mark.parametrize("name", ["type", "observations", "statistikkvariabel", "Tiedot"])
def test_contvariable_is_the_indicator_whatever_its_name(tmp_path: Path, name: str) -> None:
    keywords = [
        'CONTENTS="Population and migration";',
        'UNITS="number";',
        'STUB="region";',
        f'HEADING="{name}","period";',
        f'CONTVARIABLE="{name}";',
        'VALUES("region")="0114 Upplands Väsby","0115 Vallentuna";',
        f'VALUES("{name}")="Population","Inmigrated";',
        'VALUES("period")="2004","2005";',
        'CODES("region")="0114","0115";',
    ]
    path = write_px(tmp_path / "c.px", keywords, "100 101 7 8\n200 201 9 10")
    table = urbanscreen.load_table(path, criteria_file(tmp_path, "Population", "Inmigrated"))
    # 2005: the second of each content's two periods.
    assert values(table, "c1") == {"0114": 101.0, "0115": 201.0}
    assert values(table, "c2") == {"0114": 8.0, "0115": 10.0}


# -- 3. DATA without its closing ';' --------------------------------------------------------


def test_data_without_its_semicolon_is_read_when_complete(tmp_path: Path) -> None:
    criteria = criteria_file(tmp_path, "Population")
    whole = urbanscreen.load_table(PX / "BE0101N1.px", criteria)
    text = (PX / "BE0101N1.px").read_bytes().rstrip()
    assert text.endswith(b";")
    unterminated = tmp_path / "unterminated.px"
    unterminated.write_bytes(text[:-1] + b"\r\n")
    assert values(urbanscreen.load_table(unterminated, criteria)) == values(whole)
    # One cell short: still refused, with the count.
    cut = tmp_path / "cut.px"
    cut.write_bytes(text[: text.rindex(b" ")])
    with pytest.raises(InputFileError, match="DATA has 83 values where STUB x HEADING make 84"):
        urbanscreen.load_table(cut, criteria)


# -- 4. every PC-Axis missing symbol ----------------------------------------------------------


def test_declared_symbols_are_missing_too(tmp_path: Path) -> None:
    """NPM/BE0101F1datasymbols.px declares DATASYMBOL5="five": a cell written so is the
    same missing figure as "....."."""
    text = (PX / "BE0101F1datasymbols.px").read_bytes().decode("latin-1")
    assert '771 "....."' in text
    path = tmp_path / "symbols.px"
    path.write_bytes(text.replace('771 "....."', '771 "five"').encode("latin-1"))
    criteria = criteria_file(tmp_path, "Inmigrated")
    table = urbanscreen.load_table(path, criteria, where={"age": "21"})
    # Stockholm county, age 21: men 771, women missing: the total is unknown.
    assert values(table)["01"] is None
    # Vallentuna, age 21: 13 + 21.
    assert values(table)["0115"] == 34.0


def test_a_nil_dash_is_missing(tmp_path: Path) -> None:
    """NPM/BE0101F1nilSymbol.px: Sweden, age 20, immigrants: men 1, women "-"."""
    criteria = criteria_file(tmp_path, "Inmigrated", "Outmigrated")
    table = urbanscreen.load_table(PX / "BE0101F1nilSymbol.px", criteria, where={"age": "20"})
    assert values(table, "c1")["00"] is None
    assert values(table, "c2")["00"] == 0 + 327


# -- 5. $$SORT ---------------------------------------------------------------------------


def test_sort_is_a_breakdown_never_a_decimal_mark(tmp_path: Path) -> None:
    criteria = criteria_file(tmp_path, "Population")
    path = PX / "BE0101A1proc.px"
    with pytest.raises(UnresolvedBreakdownError) as caught:
        urbanscreen.load_table(path, criteria)
    assert "'$$SORT' (number, Per cent)" in str(caught.value)
    assert "decimal" not in str(caught.value) + str(caught.value.hint)
    table = urbanscreen.load_table(
        path, criteria, where={"$$SORT": "number", "marital status": "single"}
    )
    # Stockholm county, single, 2005: men 528 282, women 479 346.
    assert values(table)["01"] == 528_282 + 479_346


# -- 6. why an area repeats --------------------------------------------------------------


def test_a_repeated_px_area_is_named_by_its_cells(tmp_path: Path) -> None:
    keywords = [
        'CONTENTS="Population";',
        'UNITS="number";',
        'STUB="region";',
        'HEADING="period";',
        'VALUES("region")="Upplands Väsby","Väsby (before 1999)";',
        'VALUES("period")="2005";',
        'CODES("region")="0114","0114";',
    ]
    path = write_px(tmp_path / "twice.px", keywords, "100\n90")
    with pytest.raises(DuplicateIdError) as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, "Population"))
    message = str(caught.value)
    assert "(region 0114 Upplands Väsby, period 2005)" in message
    assert "(region 0114 Väsby (before 1999), period 2005)" in message
    assert "row" not in message


def test_rows_that_differ_by_sex_are_not_repeats(tmp_path: Path) -> None:
    rows = [
        ["region", "kön", "tabellinnehåll", "2022"],
        ["1480C3010", "män", "Folkmängd", "100"],
        ["1480C3010", "kvinnor", "Folkmängd", "120"],
    ]
    path = write_csv(tmp_path / "sex.csv", rows, separator=",")
    table = urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd"))
    assert values(table) == {"1480C3010": 220.0}


# -- 7. every missing criterion in one message -----------------------------------------------


def test_every_missing_criterion_in_one_message(tmp_path: Path) -> None:
    criteria = criteria_file(tmp_path, "Employed", "Students", "Income")
    with pytest.raises(MissingColumnError) as caught:
        urbanscreen.load_table(PX / "BE0101N1.px", criteria)
    message = str(caught.value)
    assert "'Employed', nor for 'Students', 'Income'" in message
    assert "contents found: 'Population'" in message
    # The file has no column "tabellinnehåll": the message does not cite one.
    assert caught.value.location is not None
    assert caught.value.location.column is None
    assert caught.value.location.row is None


# -- 8. look-alike headers --------------------------------------------------------------------


def test_the_exact_header_wins_over_one_with_trailing_spaces(tmp_path: Path) -> None:
    rows = [["Kommun", "Inom 3 år", "Inom 3 år  "], ["0114", "50", "60"]]
    path = write_csv(tmp_path / "skolverket.csv", rows, separator=";")
    plain = urbanscreen.load_table(path, criteria_file(tmp_path, "Inom 3 år", unit="percent"))
    assert values(plain) == {"0114": 50.0}
    spaced = urbanscreen.load_table(path, criteria_file(tmp_path, "Inom 3 år  ", unit="percent"))
    assert values(spaced) == {"0114": 60.0}


def test_look_alike_headers_say_how_to_pick(tmp_path: Path) -> None:
    rows = [["Kommun", "Inom 3 år", "Inom 3 år  "], ["0114", "50", "60"]]
    path = write_csv(tmp_path / "skolverket.csv", rows, separator=";")
    with pytest.raises(AmbiguousColumnError) as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, "inom 3 år", unit="percent"))
    assert caught.value.hint is not None
    assert 'column = "Inom 3 år  "' in caught.value.hint


def test_the_qualified_header_can_be_named_exactly(tmp_path: Path) -> None:
    """Beside "Folkmängd (antal)", "Folkmängd" may mean either (still refused, see
    test_table); "Folkmängd (antal)" written exactly picks that one."""
    rows = [["Kommun", "Folkmängd", "Folkmängd (antal)"], ["0114", "50", "60"]]
    path = write_csv(tmp_path / "two.csv", rows, separator=";")
    with pytest.raises(AmbiguousColumnError) as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd"))
    assert 'column = "Folkmängd (antal)"' in str(caught.value.hint)
    table = urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd (antal)"))
    assert values(table) == {"0114": 60.0}


def _hinted_columns(hint: str | None) -> list[str]:
    return re.findall(r'column = "([^"]*)"', str(hint))


@pytest.mark.parametrize(
    ("headers", "values_by_pick"),
    [
        # The plainest of several: no name picks it, its position does.
        (["Folkmängd", "Folkmängd (antal)"], {"#2": 50.0, "Folkmängd (antal)": 60.0}),
        # Identical headers: only positions.
        (["Inom 3 år", "Inom 3 år"], {"#2": 50.0, "#3": 60.0}),
        # Case alone: neither is plainer.
        (["INOM 3 ÅR", "Inom 3 år"], {"#2": 50.0, "#3": 60.0}),
    ],
)
def test_every_look_alike_header_can_be_picked_as_the_hint_says(
    tmp_path: Path, headers: list[str], values_by_pick: dict[str, float]
) -> None:
    """Whatever the look-alikes, the hint names a pick for each, and each pick works,
    with the data file as it is."""
    path = write_csv(
        tmp_path / "d.csv", [["Kommun", *headers], ["0114", "50", "60"]], separator=";"
    )
    with pytest.raises(AmbiguousColumnError) as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, headers[0]))
    assert _hinted_columns(caught.value.hint) == list(values_by_pick)
    for pick, expected in values_by_pick.items():
        assert values(urbanscreen.load_table(path, criteria_file(tmp_path, pick))) == {
            "0114": expected
        }


def test_look_alike_id_columns_are_picked_under_scheme(tmp_path: Path) -> None:
    path = write_csv(
        tmp_path / "d.csv", [["Kod", "KOD", "Folkmängd"], ["0114A0010", "x", "5"]], separator=";"
    )
    with pytest.raises(AmbiguousColumnError) as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd"))
    assert 'id_columns = ["#2"]' in str(caught.value.hint)
    assert "column =" not in str(caught.value.hint)
    criteria = tmp_path / "criteria.toml"
    text = criteria.read_text(encoding="utf-8")
    criteria.write_text(text.replace('name = "test"', 'name = "test"\nid_columns = ["#2"]'))
    table = urbanscreen.load_table(path, urbanscreen.load_criteria(criteria))
    assert table.frame["id"].tolist() == ["x"]


def test_a_position_beyond_the_row_matches_nothing(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [["Kommun", "Folkmängd"], ["0114", "5"]], separator=";")
    for pick in ("#0", "#3", "#9"):
        with pytest.raises(MissingColumnError):
            urbanscreen.load_table(path, criteria_file(tmp_path, pick))


def test_look_alike_count_columns_of_a_rate_are_picked_not_crashed_on(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A rate computed from counts, its numerator's header twice over: exit 2 with the
    pick (this was an internal error), and the pick screens."""
    path = write_csv(
        tmp_path / "d.csv",
        [
            ["Kod", "Förvärvsarbetande", "Förvärvsarbetande (antal)", "Befolkning 20-64"],
            ["0180A0010", "300", "301", "1000"],
        ],
        separator=";",
    )
    criteria = tmp_path / "c.toml"
    criteria.write_text(RATE, encoding="utf-8")
    refused = runner.invoke(app, ["check", str(path), "-c", str(criteria)])
    assert refused.exit_code == 2, refused.output
    assert "the numerator of 'ff'" in refused.stderr
    assert 'numerator = { column = "#2" }' in refused.stderr
    criteria.write_text(RATE.replace('"Förvärvsarbetande"', '"#2"'), encoding="utf-8")
    picked = runner.invoke(app, ["check", str(path), "-c", str(criteria), "-f", "json"])
    assert picked.exit_code == 0, picked.stderr
    assert json.loads(picked.stdout)["districts"][0]["criteria"][0]["numerator"] == 300


def test_a_position_never_names_an_indicator_of_a_long_table(tmp_path: Path) -> None:
    """ "#1" is a column of the file, never the first indicator a long table lists."""
    rows = [["region", "tabellinnehåll", "värde"]]
    rows += [["0114", "Förvärvsarbetande", "300"], ["0114", "Befolkning 20-64", "1000"]]
    path = write_csv(tmp_path / "d.csv", rows, separator=";")
    criteria = tmp_path / "c.toml"
    text = RATE.replace('"Förvärvsarbetande" }', '"#1" }').replace('"Befolkning 20-64" }', '"#2" }')
    criteria.write_text(text, encoding="utf-8")
    with pytest.raises(MissingColumnError) as caught:
        urbanscreen.load_table(path, urbanscreen.load_criteria(criteria))
    # The rate is missing, not computed from the indicators listed first and second.
    assert "no rows for criterion 'Förvärvsfrekvens';" in str(caught.value)


def test_an_area_dimension_of_another_name_is_named_in_the_criteria(tmp_path: Path) -> None:
    """SCB's GeneveEUhierarch.px: areas by 'Country'. The hint names a way that leaves the
    PC-Axis file as it is (it said "add an id or name column")."""
    keywords = [
        'CONTENTS="Unemployment";',
        'UNITS="per cent";',
        'STUB="Country";',
        'HEADING="Year";',
        'VALUES("Country")="Poland","Slovenia";',
        'VALUES("Year")="2009";',
    ]
    path = write_px(tmp_path / "geneve.px", keywords, "4.0\n3.8")
    criteria = tmp_path / "criteria.toml"
    with pytest.raises(MissingColumnError) as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, "Unemployment", unit="percent"))
    assert 'name_columns = ["…"]' in str(caught.value.hint)
    text = criteria.read_text(encoding="utf-8")
    criteria.write_text(text.replace('name = "test"', 'name = "test"\nname_columns = ["Country"]'))
    table = urbanscreen.load_table(path, urbanscreen.load_criteria(criteria))
    assert table.frame["name"].tolist() == ["Poland", "Slovenia"]


def test_a_negative_count_says_the_unit_not_the_decimal_mark(tmp_path: Path) -> None:
    """SCB's Fotnoter.px: "Excess of migration" is -26 in places; no decimal mark makes that."""
    path = write_csv(tmp_path / "d.csv", [["Kommun", "Netto"], ["0114", "-26"]], separator=";")
    with pytest.raises(ValueOutOfRangeError) as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, "Netto"))
    assert "unit = \"number\" for criterion 'c1'" in str(caught.value.hint)
    assert "--decimal" not in str(caught.value.hint)


# -- 9. PxWeb's CSV of one dimension ----------------------------------------------------------


def test_a_pxweb_csv_with_a_blank_first_header(tmp_path: Path) -> None:
    path = tmp_path / "pxweb.csv"
    path.write_text(
        '"Folkmängd efter region och år"\n\n,2022\n"0114 Upplands Väsby",48000\n'
        '"0115 Vallentuna",35000\n',
        encoding="utf-8",
    )
    table = urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd"))
    assert values(table) == {"0114": 48000.0, "0115": 35000.0}
    assert table.year == 2022


def test_a_pxweb_csv_without_its_title_says_what_is_missing(tmp_path: Path) -> None:
    path = tmp_path / "pxweb.csv"
    path.write_text(',2022\n"0114 Upplands Väsby",48000\n', encoding="utf-8")
    with pytest.raises(MissingColumnError, match="columns found: '2022'") as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd"))
    assert "names no indicator: download it with its title line" in str(caught.value.hint)


# -- 10. SCB's DeSO→RegSO key -----------------------------------------------------------------

KEY = [
    ["Kommun", "Kommunnamn", "DeSO_2018", "RegSO_2020", "RegSOkod_2020"],
    ["1480", "Göteborg", "1480C3010", "Bergsjön norra", "1480R001"],
    ["1480", "Göteborg", "1480C3020", "Bergsjön norra", "1480R001"],
    ["1480", "Göteborg", "1480C3030", "Bergsjön södra", "1480R002"],
]


def test_scb_key_as_a_csv(tmp_path: Path) -> None:
    districts = load_districts(write_csv(tmp_path / "key.csv", KEY, separator=";"))
    assert [(d.id, d.name, d.municipality, d.areas) for d in districts] == [
        ("1480R001", "Bergsjön norra", "Göteborg", ("1480C3010", "1480C3020")),
        ("1480R002", "Bergsjön södra", "Göteborg", ("1480C3030",)),
    ]


def test_scb_key_as_published_builds_regso_districts(tmp_path: Path, runner: CliRunner) -> None:
    """The workbook as SCB publishes it: title rows above the header, no vintages."""
    title = [["Koppling mellan DeSO och RegSO"], ["Källa: SCB"], []]
    header = [["Kommun", "Kommunnamn", "DeSO", "RegSO", "RegSOkod"]]
    key = write_xlsx(tmp_path / "key.xlsx", [*title, *header, *(row for row in KEY[1:])])
    result = runner.invoke(
        app,
        ["check", str(SAMPLE / "deso-goteborg.csv"), "--districts", str(key), "-f", "json"],
    )
    assert result.exit_code == 0, result.stderr
    districts = {d["id"]: d for d in json.loads(result.stdout)["districts"]}
    assert districts["1480R001"]["name"] == "Bergsjön norra"
    population = next(c for c in districts["1480R001"]["criteria"] if c["id"] == "folkmangd")
    # deso-goteborg.csv: Folkmängd of 1480C3010 and 1480C3020, 2 400 + 2 100.
    assert population["value"] == 2400 + 2100


RATE = """version = 1
[scheme]
name = "t"
[[criteria]]
id = "ff"
label = "Förvärvsfrekvens"
column = "Förvärvsfrekvens"
unit = "percent"
op = "<"
threshold = 52
numerator = { column = "Förvärvsarbetande" }
denominator = { column = "Befolkning 20-64" }
[[criteria]]
id = "pop"
label = "Befolkning"
column = "Befolkning 20-64"
unit = "count"
op = ">="
threshold = 1000
"""


def test_where_builds_districts_from_a_long_table_of_counts(
    tmp_path: Path, runner: CliRunner
) -> None:
    """A PxWeb download by region, year, indicator and age: counts as rows of
    'tabellinnehåll', one age picked, each district's rate from its areas' summed counts."""
    rows = [["region", "år", "tabellinnehåll", "ålder", "värde"]]
    for area, employed, people in (("0180A0010", 300, 1000), ("0180A0020", 450, 1000)):
        for year, more in ((2020, 0), (2021, 50)):
            for age, times in (("20-39 år", 1), ("40-64 år", 2)):
                rows.append([area, year, "Förvärvsarbetande", age, employed * times + more])
                rows.append([area, year, "Befolkning 20-64", age, people * times])
    table = write_csv(tmp_path / "long.csv", rows, separator=";")
    key = write_csv(
        tmp_path / "key.csv", [["district", "area"], ["N", "0180A0010"], ["N", "0180A0020"]]
    )
    (tmp_path / "c.toml").write_text(RATE, encoding="utf-8")
    common = ["check", str(table), "-c", str(tmp_path / "c.toml"), "--districts", str(key)]
    result = runner.invoke(app, [*common, "--where", "ålder=40-64 år", "-f", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["input"]["where"] == {"ålder": "40-64 år"}
    rate, population = document["districts"][0]["criteria"]
    # 2021, ages 40-64: (600 + 50) + (900 + 50) employed of 2 000 + 2 000.
    assert (rate["numerator"], rate["denominator"], rate["value"]) == (1600, 4000, 40)
    assert population["value"] == 4000
    over_years = runner.invoke(app, [*common, "--where", "ålder=20-39 år", "--years", "all"])
    assert over_years.exit_code == 0, over_years.stderr
    # 2020: 750 / 2 000; 2021: 850 / 2 000.
    assert "37.5" in over_years.stdout and "42.5" in over_years.stdout


def test_districts_from_a_px_file(tmp_path: Path, runner: CliRunner) -> None:
    """A PC-Axis file is long too: its counts are found among its contents, not headers."""
    criteria_file(tmp_path, "Population")
    key = write_csv(tmp_path / "key.csv", [["district", "area"], ["N", "01"], ["N", "03"]])
    criteria = str(tmp_path / "criteria.toml")
    result = runner.invoke(
        app,
        ["check", str(PX / "BE0101N1.px"), "-c", criteria, "-f", "json", "--districts", str(key)],
    )
    assert result.exit_code == 0, result.stderr
    # 2008, women plus men: Stockholm county 1 981 263, Uppsala county 327 188.
    assert json.loads(result.stdout)["districts"][0]["criteria"][0]["value"] == 1981263 + 327188


# -- 11. the sex table is never printed empty -------------------------------------------------


def test_counts_by_sex_are_printed(tmp_path: Path, runner: CliRunner) -> None:
    criteria_file(tmp_path, "Population")
    result = runner.invoke(
        app, ["check", str(PX / "BE0101N1.px"), "-c", str(tmp_path / "criteria.toml")]
    )
    assert result.exit_code == 0, result.stderr
    women_and_men = result.stdout.split("Women and men", 1)[1]
    # Stockholm county, 2008: women 1 003 464, men 977 799.
    assert "1 003 464 / 977 799 (+25 665)" in women_and_men


def test_a_bad_px_value_is_named_by_its_cell(tmp_path: Path) -> None:
    """Population/Fotnoter.px has negative migration surpluses: not a count."""
    path = write_px(tmp_path / "aged38.px", AGED_38, AGED_38_DATA.replace("30", "-26"))
    criteria = criteria_file(tmp_path, "Population")
    with pytest.raises(ValueOutOfRangeError) as caught:
        urbanscreen.load_table(path, criteria, where={"marital status": "married"})
    message = str(caught.value)
    assert "(cell: region 01 Stockholm county, marital status married, age 38, sex men" in message
    assert "row" not in message
    assert "värde" not in message


def test_where_on_a_role_column_is_refused(tmp_path: Path) -> None:
    rows = [["region", "år", "ålder", "tabellinnehåll", "värde"]]
    rows += [["1480C3010", "2022", "20-24 år", "Folkmängd", "100"]]
    path = write_csv(tmp_path / "age.csv", rows, separator=",")
    with pytest.raises(OptionError, match="read as the year") as caught:
        urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd"), where={"år": "2022"})
    assert caught.value.hint == "pick a year with --year"


def test_diff_takes_where_too(tmp_path: Path, runner: CliRunner) -> None:
    old = write_csv(tmp_path / "old.csv", PXWEB_BY_AGE, separator=",")
    newer = [[*row[:3], "5" if row[0] == "1480C3010" else row[3]] for row in PXWEB_BY_AGE]
    new = write_csv(tmp_path / "new.csv", [PXWEB_BY_AGE[0], *newer[1:]], separator=",")
    criteria = tmp_path / "criteria.toml"
    criteria_file(tmp_path, "Folkmängd")
    criteria.write_text(criteria.read_text("utf-8").replace("threshold = 0", "threshold = 50"))
    args = ["diff", str(old), str(new), "-c", str(criteria), "-f", "json"]
    refused = runner.invoke(app, args)
    assert refused.exit_code == 2
    assert "--where 'ålder=20-24 år'" in refused.stderr
    result = runner.invoke(app, [*args, "--where", "ålder=25-29 år"])
    # 1480C3010's 25-29-year-olds fall from 120 to 5, below 50: it leaves the set.
    assert result.exit_code == 1, result.stderr
    assert [d["id"] for d in json.loads(result.stdout)["left"]] == ["1480C3010"]


def test_a_total_some_areas_lack_is_no_total(tmp_path: Path) -> None:
    """Filtering on it would drop 1480C3020 without a word."""
    rows = [*PXWEB_BY_AGE, ["1480C3010", "totalt", "Folkmängd", "220"]]
    path = write_csv(tmp_path / "age.csv", rows, separator=",")
    with pytest.raises(UnresolvedBreakdownError, match="'ålder' \\(20-24 år, 25-29 år, totalt\\)"):
        urbanscreen.load_table(path, criteria_file(tmp_path, "Folkmängd"))


def test_sparse_keys_read_as_the_full_matrix(tmp_path: Path) -> None:
    """keys/BE0101F1symbnotkeys.px is NPM/BE0101F1symbnot.px with KEYS: the same table.
    A row left out holds zeros, which is why PC-Axis lets a file leave it out."""
    criteria = criteria_file(tmp_path, "Inmigrated", "Outmigrated")
    plain = urbanscreen.load_table(PX / "BE0101F1symbnot.px", criteria, where={"age": "21"})
    keyed_path = PX / "BE0101F1symbnotkeys.px"
    keyed = urbanscreen.load_table(keyed_path, criteria, where={"age": "21"})
    assert values(keyed, "c2") == values(plain, "c2")
    assert values(keyed, "c2")["0114"] == 34 + 57
    lines = keyed_path.read_bytes().decode("latin-1").splitlines(keepends=True)
    row = '"0114 Upplands Väsby","21",21 36 34 57'
    assert [line.strip() for line in lines].count(row) == 1
    sparse = tmp_path / "sparse.px"
    kept = [line for line in lines if line.strip() != row]
    sparse.write_bytes("".join(kept).encode("latin-1"))
    left_out = urbanscreen.load_table(sparse, criteria, where={"age": "21"})
    assert values(left_out, "c2")["0114"] == 0


def test_a_missing_criterion_is_said_before_a_breakdown_to_pick(tmp_path: Path) -> None:
    """Choosing an age is no use while the criteria are not in the file at all."""
    criteria = criteria_file(tmp_path, "Inmigrated", "Employed")
    with pytest.raises(MissingColumnError, match="no rows for criterion 'Employed'"):
        urbanscreen.load_table(PX / "BE0101F1symbnot.px", criteria)
