"""Reports read back as a colleague would open them: openpyxl for workbooks, text for the rest."""

from __future__ import annotations

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.aggregate import load_district_table
from urbanscreen.cli import app
from urbanscreen.districts import load_districts
from urbanscreen.errors import OutputPathError
from urbanscreen.explain import explanation
from urbanscreen.render.excel import MAX_CHART_DISTRICTS, chart_positions
from urbanscreen.render.jsondoc import dumps
from urbanscreen.result import District

from .conftest import (
    DATA,
    ROOT,
    SAMPLE,
    SCB_HEADERS,
    marked,
    print_to_pdf,
    scb_row,
    write_csv,
)

INJECTIONS = ["=1+2", '=HYPERLINK("http://example.com","x")', "@SUM(1)", "+1", "-2+3"]


@pytest.fixture
def sample_result(criteria: urbanscreen.Criteria) -> urbanscreen.Result:
    return urbanscreen.screen(urbanscreen.load_table(SAMPLE / "districts.xlsx", criteria), criteria)


@pytest.fixture
def workbook_path(sample_result: urbanscreen.Result, tmp_path: Path) -> Path:
    path = tmp_path / "report.xlsx"
    urbanscreen.write_report(sample_result, path, command="urbanscreen check districts.xlsx")
    return path


def test_sheets_in_the_schemes_language(workbook_path: Path) -> None:
    """No Details sheet for the sample: every figure it would hold is on Districts."""
    book = load_workbook(workbook_path)
    assert book.sheetnames == [
        "Sammanfattning",
        "Områden",
        "Villkor",
        "Ursprung",
        "Diagram",
        "Diagramdata",
    ]
    assert book["Diagramdata"].sheet_state == "hidden"


def test_summary_counts_and_qualifying_by_municipality(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Sammanfattning"]
    rows = [[c for c in row if c is not None] for row in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["Urbant utvecklingsarbete 2012 (SCB)"]
    assert rows[1] == ["15 av 27 områden uppfyller villkoren"]
    assert ["Uppfyller villkoren", 15] in rows
    assert ["Kan inte avgöras (värden saknas)", 0] in rows
    assert ["Göteborg", "Bergsjön"] in rows
    assert ["Gårdsten"] in rows
    assert ["Förvärvsfrekvens", "< 52 %"] in rows


def test_districts_sheet_values_types_and_formats(workbook_path: Path) -> None:
    """The Districts sheet reads like the terminal table: no id that only repeats the
    municipality code and the name (the code beside the municipality, as text: 0180 keeps
    its zero), the threshold in the header, each value a number with
    its verdict's mark in its format ("✓ 44,2 %"), and the margins (in their unit) to the
    right."""
    book = load_workbook(workbook_path)
    sheet = book["Områden"]
    headers = [c.value for c in sheet[1]]
    assert headers[:5] == [
        "Namn",
        "Kommun",
        "Kommunkod",
        "Uppfyller villkoren",
        "Förvärvs-\nfrekvens\n< 52 %",
    ]
    assert headers[5] == "Långvarigt försörj-\nningsstöd\n> 4,8 %"  # Swedish decimal comma
    rinkeby = sheet[2]
    assert [c.value for c in rinkeby[:5]] == ["Rinkeby", "Stockholm", "0180", "Ja", 44.2]
    assert rinkeby[2].data_type == "s"  # the code is text: 0180 keeps its zero
    # One decimal (a percent, threshold 52), the mark before it, a minus after the mark.
    assert rinkeby[4].number_format == ('"✓ "#,##0.0" %";"✓ -"#,##0.0" %";"✓ "#,##0.0" %";"✓ "@')
    population = headers.index("Folkmängd\n>= 4 000")
    assert rinkeby[population].value == 15600
    assert rinkeby[population].number_format == '"✓ "#,##0;"✓ -"#,##0;"✓ "#,##0;"✓ "@'
    assert headers[population + 1 :] == [
        "Förvärvs-\nfrekvens\nmarginal\n(procent-\nenheter)",
        "Långvarigt försörj-\nningsstöd\nmarginal\n(procent-\nenheter)",
        "Gymnasie-\nbehörighet\nmarginal\n(procent-\nenheter)",
        "Folkmängd\nmarginal\n(antal)",  # procentenheter only for percents
    ]
    margin = rinkeby[population + 1]
    assert (margin.value, margin.number_format) == (7.8, "+#,##0.0;-#,##0.0;0.0")  # no "%"
    assert rinkeby[len(headers) - 1].value == 11600  # 15 600 - 4 000
    assert sheet.freeze_panes == "B2"
    assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(headers)).column_letter}28"


def test_areas_with_few_residents_are_flagged_only_when_there_are_some(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    """As the terminal marks them (†): a column "Osäker (få invånare)" only where some area
    has at most 20 residents; none in the sample, so no column of "Nej"."""
    rows = [SCB_HEADERS, scb_row("A", pop="20"), scb_row("B", pop="21")]
    path = tmp_path / "r.xlsx"
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    sheet = load_workbook(path)["Områden"]
    column = [c.value for c in sheet[1]].index("Osäker (få invånare)")
    assert {row[0].value: row[column].value for row in sheet.iter_rows(min_row=2)} == {
        "A": "Ja",
        "B": "Nej",
    }


def test_summary_explains_the_marks(workbook_path: Path) -> None:
    rows = list(load_workbook(workbook_path)["Sammanfattning"].iter_rows(values_only=True))
    assert ("Tecken i Områden", "✓ uppfyllt, ✗ ej uppfyllt, ? okänt; .. saknas eller är okänt") in [
        row[:2] for row in rows
    ]


def fill(cell: object) -> str:
    return str(cell.fill.fgColor.rgb)[-6:]  # type: ignore[attr-defined]


def test_no_legend_of_marks_where_there_are_none(tmp_path: Path) -> None:
    """se-omradestyper classifies by an index and has no criteria: Districts shows no
    ✓ ✗ ?, so the Summary explains none."""
    criteria = urbanscreen.load_criteria("se-omradestyper")
    assert not criteria.criteria
    result = urbanscreen.screen(urbanscreen.load_table(DATA / "se_deso.csv", criteria), criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(result, path)
    summary = [row[0] for row in load_workbook(path)["Sammanfattning"].iter_rows(values_only=True)]
    assert "Regel" in summary
    assert "Tecken i Områden" not in summary


def test_many_criteria_put_their_margins_on_details(tmp_path: Path) -> None:
    """dk-2021 has eleven criteria: beside their values their margins would make Districts
    too wide to read printed, so they go to Details, one per criterion, each beside its
    value; Districts keeps the values with their marks."""
    criteria = urbanscreen.load_criteria("dk-2021")
    result = urbanscreen.screen(urbanscreen.load_table(DATA / "dk_areas.csv", criteria), criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(result, path, language="en")
    book = load_workbook(path)
    districts = [str(c.value) for c in book["Districts"][1]]
    assert not [header for header in districts if "\nmargin" in header]
    assert marked(book["Districts"].cell(2, districts.index("Beboere\n>= 1 000") + 1))[0] == "✓"
    details = [str(c.value) for c in book["Details"][1]]
    margins = [position for position, header in enumerate(details) if "\nmargin" in header]
    assert len(margins) == len(criteria.criteria) == 11
    assert details[margins[0]].startswith("Beboere\nmargin")


def test_qualifying_rows_and_verdicts_are_coloured(workbook_path: Path) -> None:
    sheet = load_workbook(workbook_path)["Områden"]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    assert fill(rows["Rinkeby"][0]) == "E2EFDA"
    assert fill(rows["Husby"][0]) == "000000"  # no fill: does not qualify
    husby = rows["Husby"]  # employment 52.0: not below 52
    assert (husby[4].value, marked(husby[4])) == (52, ("✗", '#,##0.0" %"'))
    assert fill(husby[4]) == "FCE4D6"  # the value with its verdict
    assert fill(husby[5]) == "E2EFDA"


def test_unknown_rows_look_different(tmp_path: Path, criteria: urbanscreen.Criteria) -> None:
    table = urbanscreen.load_table(DATA / "pxweb_latin1.csv", criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    sheet = load_workbook(path)["Områden"]
    hjallbo = next(row for row in sheet.iter_rows(min_row=2) if row[0].value == "Hjällbo")
    assert hjallbo[2].value == "Okänt"
    assert fill(hjallbo[0]) == "FFF2CC"
    assert hjallbo[0].font.i
    missing = hjallbo[4]
    assert missing.value == ".."  # the missing value is shown as missing, never 0
    assert missing.alignment.horizontal == "right"
    assert marked(missing) == ("?", "@")  # shown "? ..", filled yellow
    assert fill(missing) == "FFF2CC"


def test_criteria_and_provenance(workbook_path: Path, sample_result: urbanscreen.Result) -> None:
    book = load_workbook(workbook_path)
    criteria_rows = list(book["Villkor"].iter_rows(values_only=True))
    assert criteria_rows[2][:3] == (
        "langvarigt_forsorjningsstod",
        "Långvarigt försörjningsstöd",
        "> 4,8 %",  # a Swedish report writes decimal commas
    )
    assert criteria_rows[2][7] == "SCB: högre än 4,8 procent"
    provenance = {row[0]: row[1] for row in book["Ursprung"].iter_rows(values_only=True) if row[0]}
    assert provenance["Indatafilens SHA-256"] == sample_result.table.source.sha256
    assert provenance["Villkorsfilens SHA-256"] == sample_result.criteria.sha256
    assert provenance["urbanscreen-version"] == urbanscreen.__version__
    assert provenance["Kommando"] == "urbanscreen check districts.xlsx"


def test_warnings_are_in_the_provenance(tmp_path: Path, criteria: urbanscreen.Criteria) -> None:
    table = urbanscreen.load_table(DATA / "leading_zeros.xlsx", criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path, language="en")
    rows = list(load_workbook(path)["Provenance"].iter_rows(values_only=True))
    assert ("Code", "Message", "Location", "Level") in rows
    assert any(row[0] == "skipped-rows" for row in rows)


def test_native_charts_one_per_criterion(workbook_path: Path) -> None:
    with zipfile.ZipFile(workbook_path) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        assert len(charts) == 4
        xml = archive.read(charts[0]).decode("utf-8")
    assert "<c:barChart>" in xml
    assert "<c:lineChart>" in xml
    assert "Diagramdata" in xml


def test_chart_keeps_qualifying_and_nearest_when_many(sample_result: urbanscreen.Result) -> None:
    areas = sample_result.columns()
    first = areas.checks[sample_result.criteria.criteria[0].id]
    qualifies, margins = areas.qualifies * 3, first.margin * 3
    chosen = chart_positions(qualifies, margins)
    assert len(chosen) == MAX_CHART_DISTRICTS
    assert all(qualifies[p] for p in chosen)  # 45 qualify: cut at 40
    assert chosen == sorted(chosen)
    few = [p for p, flag in enumerate(areas.qualifies) if not flag] * 5  # 60, none qualify
    few_margins = [first.margin[p] for p in few]
    nearest = chart_positions([False] * len(few), few_margins)
    expected = sorted(abs(m or 0) for m in few_margins)[:MAX_CHART_DISTRICTS]
    assert sorted(abs(few_margins[p] or 0) for p in nearest) == expected


def test_english_labels(sample_result: urbanscreen.Result, tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    urbanscreen.write_report(sample_result, path, language="en")
    book = load_workbook(path)
    assert book.sheetnames[:4] == ["Summary", "Districts", "Criteria", "Provenance"]
    assert book["Districts"]["C1"].value == "Municipality code"
    assert book["Districts"]["D2"].value == "Yes"
    assert book["Districts"]["E1"].value == "Employ-\nment rate\n< 52 %"
    summary = [row[:2] for row in book["Summary"].iter_rows(values_only=True)]
    assert ("Marks in Districts", "✓ met, ✗ not met, ? unknown; .. missing or not known") in summary


def test_injection_strings_and_codes_stay_text(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    rows = [["Kod", *SCB_HEADERS]]
    rows += [[f"0{i:03d}", *scb_row(name)] for i, name in enumerate(INJECTIONS)]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    sheet = load_workbook(path)["Områden"]
    names = [(row[1].value, row[1].data_type) for row in sheet.iter_rows(min_row=2)]
    assert sheet["A1"].value == "Kod"  # ids of their own: the code column stays
    assert names == [(name, "s") for name in INJECTIONS]
    assert [row[0].value for row in sheet.iter_rows(min_row=2)] == [
        f"0{i:03d}" for i in range(len(INJECTIONS))
    ]
    csv_path = tmp_path / "r.csv"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), csv_path)
    text = csv_path.read_text(encoding="utf-8-sig")
    names_in_csv = [row[1] for row in csv.reader(io.StringIO(text), delimiter=";")][1:]
    assert names_in_csv == ["'" + name for name in INJECTIONS]


def test_sex_sheet_when_the_data_have_one(tmp_path: Path, criteria: urbanscreen.Criteria) -> None:
    table = urbanscreen.load_table(DATA / "kolada_by_sex.csv", criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    sheet = load_workbook(path)["Kvinnor och män"]
    headers = [c.value for c in sheet[1]]
    assert headers[3:7] == [
        "Förvärvs-\nfrekvens\ntotalt",
        "Förvärvs-\nfrekvens\nkvinnor",
        "Förvärvs-\nfrekvens\nmän",
        "Förvärvs-\nfrekvens\nskillnad (k − m)",
    ]
    assert [c.value for c in sheet[2]][3:7] == [43.0, 40.1, 46.0, pytest.approx(-5.9)]


def test_a_missing_index_woman_or_man_is_dots(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    """A score of an index not known, and a value for men missing (so their gap too), are
    '..' right-aligned, never a blank or 0, as a missing value is."""
    scheme = urbanscreen.load_criteria("se-omradestyper")
    table = urbanscreen.load_table(DATA / "se_deso.csv", scheme)
    path = tmp_path / "index.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, scheme), path)
    sheet = load_workbook(path)["Områden"]
    column = [c.value for c in sheet[1]].index("Socioekonomiskt index")
    scores = {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert (scores["1480C1070"].value, scores["1480C1070"].alignment.horizontal) == ("..", "right")
    assert scores["1480C1060"].value == 40

    lines = (DATA / "kolada_by_sex.csv").read_text(encoding="utf-8").splitlines()
    men = "Förvärvsfrekvens,Göteborg,Bergsjön,2012,M,"
    assert any(line.startswith(men) for line in lines)
    edited = [men + ".." if line.startswith(men) else line for line in lines]
    (tmp_path / "s.csv").write_text("\n".join(edited) + "\n", encoding="utf-8")
    table = urbanscreen.load_table(tmp_path / "s.csv", criteria)
    path = tmp_path / "sex.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    row = load_workbook(path)["Kvinnor och män"][2]
    assert [c.value for c in row[3:7]] == [43.0, 40.1, "..", ".."]
    assert [c.alignment.horizontal for c in row[5:7]] == ["right", "right"]


def test_csv_report_swedish_and_english(sample_result: urbanscreen.Result, tmp_path: Path) -> None:
    swedish = tmp_path / "sv.csv"
    urbanscreen.write_report(sample_result, swedish)
    raw = swedish.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:2] == ["Id", "Namn"]
    assert rows[1][:6] == ["0180 Rinkeby", "Rinkeby", "Stockholm", "0180", "Ja", "44,2"]
    assert len(rows) == 28
    english = tmp_path / "en.csv"
    urbanscreen.write_report(sample_result, english, language="en")
    rows = list(csv.reader(io.StringIO(english.read_text(encoding="utf-8-sig"))))
    assert rows[1][4:6] == ["Yes", "44.2"]


def test_markdown_report(sample_result: urbanscreen.Result, tmp_path: Path) -> None:
    path = tmp_path / "r.md"
    urbanscreen.write_report(sample_result, path, language="en")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "**Urbant utvecklingsarbete 2012 (SCB)**: 15 of 27 districts qualify"
    table = [line for line in lines if line.startswith("| ")]
    assert len(table) == 1 + 27
    assert table[1].startswith("| Rinkeby | Stockholm | ✅ Yes | ✓ 44.2 |")


def test_one_qualifying_district_reads_as_the_terminal_says_it(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A"), scb_row("B", ff=60)])
    result = urbanscreen.screen(urbanscreen.load_table(path, criteria), criteria)
    markdown, workbook = tmp_path / "r.md", tmp_path / "r.xlsx"
    urbanscreen.write_report(result, markdown, language="en")
    urbanscreen.write_report(result, workbook, language="en")
    first = markdown.read_text(encoding="utf-8").splitlines()[0]
    assert first.endswith(": 1 of 2 districts qualifies")
    summary = load_workbook(workbook).worksheets[0]
    assert summary.cell(row=2, column=1).value == "1 of 2 districts qualifies"


def test_markdown_escapes_data(tmp_path: Path, criteria: urbanscreen.Criteria) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A | <b>x</b> [l](http://e)")])
    result = urbanscreen.screen(urbanscreen.load_table(path, criteria), criteria)
    out = tmp_path / "r.md"
    urbanscreen.write_report(result, out)
    row = next(line for line in out.read_text(encoding="utf-8").splitlines() if "A \\|" in line)
    assert "A \\| \\<b\\>x\\</b\\> \\[l\\](http://e)" in row
    assert row.count(" | ") == 6


def _from_district(d: District, result: urbanscreen.Result) -> dict[str, Any]:
    """The JSON object of one district, spelled out from its District object: the
    reference the column-list writer is held to."""
    criteria = result.criteria
    checks = []

    def whole(value: float | None) -> float | int | None:
        """Counts are whole numbers in the JSON: 12300, not 12300.0."""
        return int(value) if value is not None and float(value).is_integer() else value

    for check in d.checks:
        count = whole if check.criterion.unit == "count" else (lambda value: value)
        document: dict[str, Any] = {
            "id": check.criterion.id,
            "value": count(check.value),
            "op": check.criterion.op,
            "threshold": count(check.threshold),
            "met": check.met,
            "margin": count(check.margin),
            "missing": check.value is None,
        }
        if result.table.by_sex:
            document |= {
                "women": count(check.women),
                "men": count(check.men),
                "gap": count(check.gap),
            }
        if check.low is not None or check.high is not None:
            high = None if check.high == float("inf") else count(check.high)
            document["bounds"] = [count(check.low), high]
        if check.numerator is not None or check.denominator is not None:
            document |= {
                "numerator": whole(check.numerator),
                "denominator": whole(check.denominator),
            }
        checks.append(document)
    expected: dict[str, Any] = {
        "id": d.id,
        "name": d.name,
        "municipality": d.municipality,
        "municipality_code": d.municipality_code,
        "row": d.row,
        "qualifies": d.qualifies,
        "uncertain": d.uncertain,
        "criteria": checks,
    }
    if d.areas:
        expected["areas"] = d.areas
    if criteria.outcomes or criteria.indices:
        expected["outcomes"] = d.outcomes
    if criteria.indices:
        expected |= {"indices": d.indices, "tiers": d.tiers}
    if criteria.outcomes or not isinstance(criteria.scheme.rule, str):
        expected["explanation"] = explanation(criteria, d)
    return expected


@pytest.mark.parametrize(
    "source",
    [
        SAMPLE / "districts.xlsx",
        DATA / "kolada_by_sex.csv",  # women, men and gap
        DATA / "boundaries.csv",
        DATA / "leading_zeros.xlsx",
        "districts",  # small areas summed: bounds, numerators, area lists
        (DATA / "dk_areas.csv", "dk-2021"),  # outcomes and a rule tree to explain
        (DATA / "se_deso.csv", "se-omradestyper"),  # an index and its tiers
        (DATA / "nmtc_tracts.xlsx", "us-nmtc-2020"),
    ],
)
def test_json_districts_from_columns_match_district_objects(
    source: Path | str | tuple[Path, str], criteria: urbanscreen.Criteria
) -> None:
    """The JSON is made from column lists; it must be what the District objects give,
    field for field and type for type."""
    if source == "districts":
        table = load_district_table(
            SAMPLE / "deso-goteborg.csv",
            criteria,
            load_districts(SAMPLE / "districts-goteborg.toml"),
        )
    elif isinstance(source, tuple):
        criteria = urbanscreen.load_criteria(source[1])
        table = urbanscreen.load_table(source[0], criteria)
    else:
        table = urbanscreen.load_table(source, criteria)
    result = urbanscreen.screen(table, criteria)
    flat = json.loads(dumps(result))["districts"]
    expected = [_from_district(d, result) for d in result.districts()]
    assert json.dumps(flat) == json.dumps(expected)
    assert [type(v) for d in flat for c in d["criteria"] for v in c.values()] == [
        type(v) for d in expected for c in d["criteria"] for v in c.values()
    ]


def test_json_report_file(sample_result: urbanscreen.Result, tmp_path: Path) -> None:
    path = tmp_path / "r.json"
    urbanscreen.write_report(sample_result, path)
    assert json.loads(path.read_text(encoding="utf-8"))["summary"]["qualifying"] == 15


def test_unknown_suffix(sample_result: urbanscreen.Result, tmp_path: Path) -> None:
    with pytest.raises(OutputPathError, match="no report format"):
        urbanscreen.write_report(sample_result, tmp_path / "r.pdf")


def test_a_report_name_no_format_takes_is_refused_before_anything_is_read(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Not after the screen and the first report: a national table takes a while to read.
    good, bad = tmp_path / "ok.xlsx", tmp_path / "r.pdf"
    done = runner.invoke(
        app, ["check", str(SAMPLE / "districts.xlsx"), "-o", str(good), "-o", str(bad)]
    )
    assert done.exit_code == 2
    assert "r.pdf: has no report format for the suffix '.pdf'" in done.stderr
    assert "hint: end the name in .xlsx, .csv, .md, .json" in done.stderr
    assert not good.exists() and done.stdout == ""
    bare = runner.invoke(app, ["check", str(SAMPLE / "districts.xlsx"), "-o", str(tmp_path / "r")])
    assert bare.exit_code == 2
    assert "has no suffix to name the report's format" in bare.stderr  # not "'(none)'"


def test_inputs_are_never_overwritten(runner: CliRunner, tmp_path: Path) -> None:
    data = tmp_path / "districts.xlsx"
    shutil.copy(SAMPLE / "districts.xlsx", data)
    criteria = tmp_path / "criteria.toml"
    shutil.copy(ROOT / "criteria.toml", criteria)
    before = data.read_bytes(), criteria.read_bytes()
    for target in (data, criteria):
        result = runner.invoke(
            app, ["check", str(data), "-c", str(criteria), "--output", str(target)]
        )
        assert result.exit_code == 2
        assert "is an input of this run" in result.stderr
    assert (data.read_bytes(), criteria.read_bytes()) == before


def test_overwriting_another_file_is_allowed_and_said(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "report.xlsx"
    target.write_text("old", encoding="utf-8")
    result = runner.invoke(app, ["check", str(SAMPLE / "districts.xlsx"), "-o", str(target)])
    assert result.exit_code == 0
    # In the report's language, Swedish for SCB's scheme.
    assert f"urbanscreen: skrev {target} (ersatte filen som fanns där)" in result.stderr
    assert load_workbook(target).sheetnames[0] == "Sammanfattning"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.xlsx"], "no temporary files left"


def test_missing_output_folder(runner: CliRunner, tmp_path: Path) -> None:
    target = tmp_path / "nope" / "report.xlsx"
    result = runner.invoke(app, ["check", str(SAMPLE / "districts.xlsx"), "-o", str(target)])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_csv_and_markdown_on_stdout(runner: CliRunner) -> None:
    result = runner.invoke(app, ["check", str(SAMPLE / "districts.csv"), "-f", "markdown"])
    assert result.exit_code == 0
    assert result.stdout.startswith("**Urbant utvecklingsarbete 2012")
    result = runner.invoke(
        app, ["check", str(SAMPLE / "districts.csv"), "-f", "csv", "--lang", "en"]
    )
    assert result.stdout.startswith("\ufeffId,Name,")


@pytest.mark.skipif(
    shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed"
)
def test_libreoffice_opens_the_workbook(workbook_path: Path, tmp_path: Path) -> None:
    pdf = print_to_pdf(workbook_path, tmp_path, timeout=180)
    assert pdf.exists()
    assert pdf.stat().st_size > 10_000


def test_workbook_shows_every_digit(tmp_path: Path, criteria: urbanscreen.Criteria) -> None:
    rows = [SCB_HEADERS, scb_row("A", ff="51,99999", lfs="4,80001")]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    cell = load_workbook(path)["Områden"]["E2"]  # name, municipality, its code, outcome
    assert cell.value == 51.99999
    number = marked(cell)[1].split('"')[0]  # 0.0#########
    assert len(number.split(".")[1]) >= 5, "the format must not round 51.99999 onto 52.0"


def width(sheet: Any, column: int) -> float:
    """The width of a column (1 for A) as set; openpyxl reads neighbours of one width as a
    range."""
    return next(
        float(d.width) for d in sheet.column_dimensions.values() if d.min <= column <= d.max
    )


def test_a_long_municipality_code_is_not_clipped(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    """The municipality code beside the municipality on Districts is as wide as the
    longest code, not only as its header: a code is not cut off on screen or paper."""
    code = "SE-AB-0180-KOMMUN"
    rows = [SCB_HEADERS, scb_row("A", code=code)]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    sheet = load_workbook(path)["Områden"]
    column = [c.value for c in sheet[1]].index("Kommunkod") + 1
    assert sheet.cell(2, column).value == code
    assert width(sheet, column) >= len(code)


def test_a_negative_value_shows_its_mark_then_its_minus(tmp_path: Path) -> None:
    """A change below 0 is met: "✓ -1,5", the mark first; a rise is "✗ 2,3", a missing
    one "? ..". The cell stays the number -1.5."""
    toml = tmp_path / "c.toml"
    toml.write_text(
        'version = 1\n[scheme]\nname = "Förändring"\nlang = "sv"\nrule = "all"\n'
        '[[criteria]]\nid = "change"\nlabel = "Förändring"\ncolumn = "change"\n'
        'unit = "number"\nop = "<"\nthreshold = 0.0\n',
        encoding="utf-8",
    )
    criteria = urbanscreen.load_criteria(toml)
    rows = [["id", "name", "change"], ["A", "A", "-1.5"], ["B", "B", "2.3"], ["C", "C", ".."]]
    rows += [["D", "D", "0"]]  # not below 0: "✗ 0,0"
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    sheet = load_workbook(path)["Områden"]
    column = [c.value for c in sheet[1]].index("Förändring\n< 0,0")
    cells = {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}
    assert {name: (cell.value, marked(cell)) for name, cell in cells.items()} == {
        "A": (-1.5, ("✓", "#,##0.0")),
        "B": (2.3, ("✗", "#,##0.0")),
        "C": ("..", ("?", "@")),
        "D": (0, ("✗", "#,##0.0")),
    }
    assert cells["A"].number_format.split(";")[1] == '"✓ -"#,##0.0'


def test_value_and_margin_columns_are_wide_enough_for_their_numbers(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    """A number wider than its column prints as "###": the column fits "✓ 51,9607843137 %"
    (every digit, as rounding would put it on 52) and "✓ 12 345 678", and their margins."""
    rows = [SCB_HEADERS, scb_row("A", ff="51,96078431372549", pop="12345678"), scb_row("B")]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    sheet = load_workbook(path)["Områden"]
    headers = [c.value for c in sheet[1]]
    shown = {
        "Förvärvs-\nfrekvens\n< 52 %": "✓ 51.9607843137 %",
        "Folkmängd\n>= 4 000": "✓ 12,345,678",
        "Förvärvs-\nfrekvens\nmarginal\n(procent-\nenheter)": "+0.039215686",
        "Folkmängd\nmarginal\n(antal)": "+12,341,678",
    }
    for header, text in shown.items():
        assert width(sheet, headers.index(header) + 1) >= len(text) + 1, header


def test_details_headers_break_between_words(tmp_path: Path) -> None:
    """A label of one long word ("Befolkningsmängd") is not cut mid-word on Details: its
    value, threshold (each area's own) and bounds columns are as wide as the word."""
    toml = tmp_path / "c.toml"
    toml.write_text(
        'version = 1\n[scheme]\nname = "Egen"\nlang = "sv"\nrule = "all"\n'
        '[references]\nown = { column = "ref" }\n'
        '[[criteria]]\nid = "pop"\nlabel = "Befolkningsmängd"\ncolumn = "pop"\n'
        'unit = "count"\nop = ">="\nthreshold = { times = 1, of = "own" }\n'
        '[[measures]]\nid = "ref"\nlabel = "Ref"\ncolumn = "ref"\nunit = "number"\n',
        encoding="utf-8",
    )
    criteria = urbanscreen.load_criteria(toml)
    rows = [["id", "name", "pop", "ref"], ["A", "A", "4000", "3999.7"]]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    sheet = load_workbook(path)["Detaljer"]
    widths = {
        str(cell.value): width(sheet, cell.column)
        for cell in sheet[1]
        if str(cell.value).startswith("Befolkningsmängd")
    }
    assert set(widths) == {"Befolkningsmängd\n>= own", "Befolkningsmängd\ngräns"}
    assert min(widths.values()) >= len("Befolkningsmängd")


def test_workbook_shows_a_bounded_value_as_its_range(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    """A district's value known only within bounds (a suppressed count among its small
    areas) is its range as text, right-aligned: marked and shaded by its verdict on
    Districts, where its margin is '..' (not known), and plain on Details."""
    table = load_district_table(
        SAMPLE / "deso-goteborg.csv", criteria, load_districts(SAMPLE / "districts-goteborg.toml")
    )
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    book = load_workbook(path)
    districts, details = book["Områden"], book["Detaljer"]
    column = [c.value for c in districts[1]].index("Långvarigt försörj-\nningsstöd\n> 4,8 %") + 1
    row = [c.value for c in districts["B"]].index("Bergsjön") + 1
    cell = districts.cell(row, column)
    assert (cell.value, cell.alignment.horizontal) == ("8,8–8,9", "right")
    assert marked(cell) == ("✓", "@")  # shown "✓ 8,8–8,9"
    assert cell.fill.fgColor.rgb == "FFE2EFDA"  # green: met whatever the value within bounds
    margin = [c.value for c in districts[1]].index(
        "Långvarigt försörj-\nningsstöd\nmarginal\n(procent-\nenheter)"
    )
    assert districts.cell(row, margin + 1).value == ".."
    headers = [c.value for c in details[1]]
    column = headers.index("Långvarigt försörj-\nningsstöd\n> 4,8 %") + 1
    row = [c.value for c in details["B"]].index("Bergsjön") + 1
    assert details.cell(row, column).value == "8,8–8,9"
    assert details.cell(row, column).fill.fill_type is None
    low, high = (
        details.cell(row, headers.index(f"Långvarigt försörj-\nningsstöd\n{word}") + 1).value
        for word in ("lägst", "högst")
    )
    # 450 of 5 100 known; the suppressed count in the numerator is at most 5.
    assert (low, high) == (pytest.approx(100 * 450 / 5100), pytest.approx(100 * 455 / 5100))


def test_baseline_is_never_overwritten(runner: CliRunner, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    shutil.copy(DATA / "result-v1.json", baseline)
    before = baseline.read_bytes()
    result = runner.invoke(
        app,
        ["check", str(SAMPLE / "districts.csv"), "--baseline", str(baseline), "-o", str(baseline)],
    )
    assert result.exit_code == 2
    assert "is an input of this run" in result.stderr
    assert baseline.read_bytes() == before


def test_reports_are_readable_by_others(sample_result: urbanscreen.Result, tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(sample_result, path)
    assert path.stat().st_mode & 0o044 == 0o044  # not the temporary file's private 0600


def test_undecided_districts_are_named_in_the_summary(
    tmp_path: Path, criteria: urbanscreen.Criteria
) -> None:
    table = urbanscreen.load_table(DATA / "pxweb_latin1.csv", criteria)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(urbanscreen.screen(table, criteria), path)
    rows = [
        [c for c in r if c]
        for r in load_workbook(path)["Sammanfattning"].iter_rows(values_only=True)
    ]
    position = rows.index(["Kan inte avgöras (värden saknas)"])
    assert rows[position + 1] == ["1480", "Hjällbo"]  # the file names no municipality


def test_a_national_table_gives_an_abridged_workbook(
    sample_result: urbanscreen.Result, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shrunk limits stand in for 300 000 areas: the workbook keeps what a reader needs."""
    monkeypatch.setattr("urbanscreen.render.excel.MAX_SHEET_AREAS", 10)
    monkeypatch.setattr("urbanscreen.render.excel.SHEET_HIGHLIGHTS", 3)
    path = tmp_path / "r.xlsx"
    written = urbanscreen.write_report(sample_result, path)
    assert [issue.code for issue in written.issues] == ["report-abridged"]
    book = load_workbook(path)
    assert book["Områden"].max_row == 1 + 6  # 3 qualifying and the 3 nearest others
    note = str(book["Sammanfattning"]["A3"].value)
    assert note.startswith("Arket Områden listar 6 av 27 områden: alla som uppfyller villkoren")
    assert "högst 3 av varje" in note and "--format csv" in note
    english = tmp_path / "en.xlsx"
    urbanscreen.write_report(sample_result, english, language="en")
    assert str(load_workbook(english)["Summary"]["A3"].value).startswith(
        "The Districts sheet lists 6 of 27 areas: every qualifying and undecided one (up to 3"
    )


def test_a_rate_whose_every_count_is_suppressed_is_dots_in_the_workbook(
    runner: CliRunner, tmp_path: Path
) -> None:
    # Every count of a district suppressed: the rate's lower bound is 0 and it has no upper
    # one. The sheets said the English word "missing" (in a Swedish report too); the check's
    # table says "saknas", and a value a sheet does not know is "..".
    rows = [["DeSO", "Befolkning 20-64 år", "Förvärvsarbetande 20-64 år"]]
    rows += [["1480C3010", 1000, 499], ["1480C3020", 1100, 500]]
    rows += [["1480C3110", "..", ".."], ["1480C3120", "..", ".."]]
    data = write_csv(tmp_path / "deso.csv", rows)
    definition = tmp_path / "districts.toml"
    definition.write_text(
        '[[districts]]\nid = "norr"\nareas = ["1480C3010", "1480C3020"]\n'
        '[[districts]]\nid = "syd"\nareas = ["1480C3110", "1480C3120"]\n',
        encoding="utf-8",
    )
    criteria = tmp_path / "c.toml"
    criteria.write_text(
        'version = 1\n[scheme]\nname = "Sysselsättning"\nlang = "sv"\n[[criteria]]\n'
        'id = "ff"\nlabel = "Förvärvsfrekvens"\ncolumn = "Förvärvsfrekvens"\n'
        'unit = "percent"\nop = "<"\nthreshold = 52\n'
        'numerator = { column = "Förvärvsarbetande 20-64 år" }\n'
        'denominator = { column = "Befolkning 20-64 år" }\n',
        encoding="utf-8",
    )
    report = tmp_path / "r.xlsx"
    args = ["check", str(data), "-c", str(criteria), "--districts", str(definition)]
    done = runner.invoke(app, [*args, "-o", str(report)])
    assert done.exit_code == 0, done.stderr
    assert "? saknas" in done.stdout
    book = load_workbook(report)
    cells = [
        cell
        for name in ("Områden", "Detaljer", "Diagramdata")
        for row in book[name].iter_rows(values_only=True)
        if "syd" in row or any(isinstance(c, str) and c.startswith("syd") for c in row)
        for cell in row
    ]
    assert ".." in cells
    assert not any(isinstance(cell, str) and "missing" in cell for cell in cells)
