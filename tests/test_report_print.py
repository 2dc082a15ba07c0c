"""The workbook as it is printed and read: page setup, one language, missing values shown,
values at a readable precision; and printed through LibreOffice where it is installed."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.aggregate import load_district_table
from urbanscreen.cli import app
from urbanscreen.districts import load_districts
from urbanscreen.render.issues import speaks
from urbanscreen.render.tabular import to_csv, to_markdown
from urbanscreen.render.values import rounding_misleads, shown_number, shown_value

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

# Words of the reports' English that a Swedish reader must never meet. Short words that are
# Swedish too ("on", "over", "under", "i") are left out.
ENGLISH = {
    "the", "and", "of", "share", "shares", "residents", "lower", "higher", "than", "least",
    "qualify", "qualifies", "met", "missing", "threshold", "unknown", "warning", "note",
    "district", "districts", "value", "values", "criteria", "criterion", "rule", "must",
    "hold", "margin", "points", "percent", "percentage", "count", "sum", "employment",
    "population", "eligible", "eligibility", "year", "years", "assistance", "social",
    "months", "with", "which", "summary", "details", "sheet", "input", "source", "areas",
    "area", "row", "rows", "skipped", "suppressed", "bounded", "decided", "belong",
    "level", "code", "message", "location", "yes", "no", "women", "men", "total",
}  # fmt: skip


def screened(source: str) -> urbanscreen.Result:
    criteria = urbanscreen.load_criteria()
    if source == "districts":
        table = load_district_table(
            SAMPLE / "deso-goteborg.csv",
            criteria,
            load_districts(SAMPLE / "districts-goteborg.toml"),
        )
    else:
        table = urbanscreen.load_table(DATA / source if "/" not in source else source, criteria)
    return urbanscreen.screen(table, criteria)


REPORTS = {
    "sample": str(SAMPLE / "districts.xlsx"),
    "missing": "pxweb_latin1.csv",  # Hjällbo and Lövgärdet miss a value
    "districts": "districts",  # built from small areas: rates from counts, bounds
    "by_sex": "kolada_by_sex.csv",  # women and men, and warnings
}


@pytest.fixture(params=sorted(REPORTS))
def report(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / f"{request.param}.xlsx"
    urbanscreen.write_report(screened(REPORTS[request.param]), path, command="urbanscreen check")
    return path


def by_header(sheet: Worksheet, row: int) -> dict[str, Cell]:
    """A row's cells by their column's header."""
    headers = [str(cell.value) for cell in sheet[1]]
    return dict(zip(headers, sheet[row], strict=True))


def headers_of(sheet: Worksheet) -> list[str]:
    return [str(cell.value) for cell in sheet[1]]


def visible(path: Path) -> list[Worksheet]:
    return [sheet for sheet in load_workbook(path).worksheets if sheet.sheet_state == "visible"]


def test_every_sheet_prints_one_page_wide_in_landscape(report: Path) -> None:
    for sheet in visible(report):
        setup = sheet.page_setup
        assert setup.orientation == "landscape", sheet.title
        assert setup.paperSize == 9, sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (setup.fitToWidth or 1) == 1, sheet.title  # absent means 1 in the file format
        assert setup.fitToHeight in (0, 1, None), sheet.title  # as many pages tall as needed
        assert "&P" in sheet.oddFooter.right.text, sheet.title  # pages are numbered
    tables = {s.title: s for s in visible(report) if s.title not in {"Sammanfattning", "Ursprung"}}
    assert {"Områden", "Villkor"} <= set(tables)
    for title in {"Områden", "Detaljer", "Villkor"} & set(tables):
        assert tables[title].print_title_rows == "$1:$1", title  # the header on every page


def texts_of(path: Path) -> list[str]:
    """Every text a reader sees: visible cells, and the charts' titles, series and labels."""
    found = [
        cell
        for sheet in visible(path)
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]
    with zipfile.ZipFile(path) as archive:
        for name in archive.namelist():
            if name.startswith("xl/charts/chart"):
                xml = archive.read(name).decode("utf-8")
                found += re.findall(r"<(?:a:t|c:v)>([^<]*)</", xml)
    return found


def english_words(texts: list[str], exempt: set[str]) -> set[str]:
    paths = [text for text in exempt if "/" in text]
    words = set()
    for text in texts:
        if text in exempt or any(path in text for path in paths):
            continue
        words |= {word for word in re.findall(r"[a-z]+", text.lower()) if word in ENGLISH}
    return words


def test_a_swedish_report_has_no_english(report: Path) -> None:
    """Headers, verdicts, the scheme's and criteria's texts, warnings and their level, chart
    titles and legends: all Swedish. What the run was given stays as given (paths, the
    command line, codes of warnings)."""
    provenance = load_workbook(report)["Ursprung"]
    given = {str(row[1]) for row in provenance.iter_rows(values_only=True) if row[1]}
    codes = {str(row[0]) for row in provenance.iter_rows(values_only=True) if row[0]}
    assert english_words(texts_of(report), given | codes) == set()


def test_an_english_report_is_english(tmp_path: Path) -> None:
    path = tmp_path / "en.xlsx"
    urbanscreen.write_report(screened("districts"), path, language="en")
    book = load_workbook(path)
    summary = [c for row in book["Summary"].iter_rows(values_only=True) for c in row if c]
    assert any(str(text).startswith("A district qualifies when") for text in summary)
    criteria = list(book["Criteria"].iter_rows(values_only=True))
    assert criteria[1][1:3] == ("Employment rate", "< 52 %")
    assert criteria[2][7] == "SCB: higher than 4.8 per cent"
    levels = {row[3] for row in book["Provenance"].iter_rows(values_only=True) if row[3]}
    assert {"warning", "note"} <= levels


def test_warnings_in_swedish_with_their_level(tmp_path: Path) -> None:
    result = screened("districts")
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(result, path)
    rows = list(load_workbook(path)["Ursprung"].iter_rows(values_only=True))
    warnings = {row[0]: row for row in rows if row[0] in {i.code for i in result.issues}}
    assert warnings["suppressed-areas"][1].startswith(
        "1 värde(n) i 1 område(n) bygger på skyddade antal i delområden ('..'), i Bergsjön: "
    )
    assert warnings["suppressed-areas"][3] == "varning"
    assert warnings["areas-outside-districts"][1:4:2] == (
        "2 delområde(n) i data hör inte till något område: 1480C3410, 1480C3420",
        "anteckning",
    )


@pytest.mark.parametrize("source", sorted(REPORTS))
def test_the_swedish_catalogue_reads_every_warning_the_fixtures_give(source: str) -> None:
    """A reworded warning would fall back to English in a Swedish report: this notices."""
    for issue in screened(REPORTS[source]).issues:
        assert speaks(issue, "sv"), issue.code


def test_missing_values_are_dots_with_an_unknown_verdict(tmp_path: Path) -> None:
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(screened("pxweb_latin1.csv"), path)
    book = load_workbook(path)
    districts = {row[0].value: row for row in book["Områden"].iter_rows(min_row=2)}
    headers = [c.value for c in book["Områden"][1]]
    lfs = headers.index("Långvarigt försörj-\nningsstöd\n> 4,8 %")
    # Its margin is not known either: '..', not a blank.
    margin = headers.index("Långvarigt försörj-\nningsstöd\nmarginal\n(procent-\nenheter)")
    for name in ("Hjällbo", "Lövgärdet"):
        assert districts[name][lfs].value == ".."
        assert marked(districts[name][lfs]) == ("?", "@")  # shown "? ..", filled yellow
        assert districts[name][margin].value == ".."
    # The Summary says what the marks mean.
    summary = [row[:2] for row in book["Sammanfattning"].iter_rows(values_only=True)]
    assert (
        "Tecken i Områden",
        "✓ uppfyllt, ✗ ej uppfyllt, ? okänt; .. saknas eller är okänt",
    ) in summary
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart2.xml").decode("utf-8")
    # The chart names the gap: the category, a marked point, and the legend.
    assert "Hjällbo (..)" in chart
    assert ".. ? okänt" in chart
    assert "värde saknas (..)" in chart


def test_legend_colours_are_the_bars_colours(tmp_path: Path) -> None:
    """One series per verdict, each filled with its colour: the legend shows what the
    bars show (a single series coloured point by point had a grey legend entry)."""
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(screened(REPORTS["sample"]), path)
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart1.xml").decode("utf-8")
    bars = chart.split("<c:barChart>")[1].split("</c:barChart>")[0]
    series = re.findall(r"<c:ser>.*?</c:ser>", bars, re.S)
    colours = [re.findall(r'srgbClr val="(\w+)"', s)[0] for s in series]
    assert colours == ["70AD47", "C0504D"]  # met green, not met red
    assert "<c:dPt>" not in bars  # no point coloured apart from its series


def test_computed_values_at_the_criterions_precision(tmp_path: Path) -> None:
    """Bergsjön's employment rate is 2 220 of 5 100 = 43.529411… %: stored whole, shown
    to one decimal (the threshold 52 is whole, and a percent gets at least one)."""
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(screened("districts"), path)
    book = load_workbook(path)
    bergsjon = by_header(book["Detaljer"], 2)
    rate = bergsjon["Förvärvs-\nfrekvens\n< 52 %"]
    assert rate.value == pytest.approx(2220 / 5100 * 100)
    assert rate.number_format == '#,##0.0" %"'
    numerator = bergsjon["Förvärvs-\nfrekvens\ntäljare (summa)"]
    assert (numerator.value, numerator.number_format) == (2220, "#,##0")
    assert type(numerator.value) is int
    on_districts = by_header(book["Områden"], 2)
    margin = on_districts["Förvärvs-\nfrekvens\nmarginal\n(procent-\nenheter)"]
    assert margin.value == pytest.approx(52 - 2220 / 5100 * 100)
    assert margin.number_format == "+#,##0.0;-#,##0.0;0.0"
    # Bounds are numbers: 450 of at most 5 100 and at least 5 044 (a suppressed
    # denominator of at most 20 is missing from Bergsjön's sum).
    low = bergsjon["Långvarigt försörj-\nningsstöd\nlägst"]
    high = bergsjon["Långvarigt försörj-\nningsstöd\nhögst"]
    assert (low.data_type, high.data_type) == ("n", "n")
    assert low.value == pytest.approx(8.823529412)
    assert low.number_format == '#,##0.0" %"'
    # Its margin is not known: '..'.
    assert (
        on_districts["Långvarigt försörj-\nningsstöd\nmarginal\n(procent-\nenheter)"].value == ".."
    )
    # The row is tall (its small areas wrap): numbers stand at its top, beside the name.
    aligned = {bergsjon[header].alignment.vertical for header in ("Namn", "Rad i indata")}
    assert aligned | {rate.alignment.vertical} == {"top"}
    # On Districts the value carries its verdict's mark: "✓ 43,5 %".
    assert marked(on_districts["Förvärvs-\nfrekvens\n< 52 %"]) == ("✓", '#,##0.0" %"')
    bounded = on_districts["Långvarigt försörj-\nningsstöd\n> 4,8 %"]
    assert bounded.value == "8,8–8,9"  # the range, with a decimal comma
    assert bounded.alignment.horizontal == "right"


def test_a_value_is_never_rounded_onto_its_threshold(tmp_path: Path) -> None:
    criteria = urbanscreen.load_criteria()
    rows = [
        SCB_HEADERS,
        scb_row("A", ff="51,96", lfs="4,86"),
        scb_row("B", ff="51,94", lfs="4,84"),
    ]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    result = urbanscreen.screen(table, criteria)
    shown = {d.name: [shown_value(c) for c in d.checks[:2]] for d in result.districts()}
    # To one decimal 51.96 is 52.0, which would read as failing "< 52", and 4.84 is 4.8,
    # which would read as failing "> 4.8": both keep their digits. 51.94 and 4.86 do not
    # move across: 51.9 and 4.9.
    assert shown == {"A": ["51.96", "4.9"], "B": ["51.9", "4.84"]}
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(result, path)
    sheet = load_workbook(path)["Områden"]  # name, municipality, its code, outcome, values, …
    formats = {row[0].value: [marked(row[c]) for c in (4, 5)] for row in sheet.iter_rows(min_row=2)}
    assert formats == {
        "A": [("✓", '0.0#########" %"'), ("✓", '#,##0.0" %"')],
        "B": [("✓", '#,##0.0" %"'), ("✓", '0.0#########" %"')],
    }


def test_a_margin_is_never_rounded_to_zero(tmp_path: Path) -> None:
    """A margin shown as 0 reads as "on the threshold": 52 - 51.96 = 0.04 and
    52 - 52.04 = -0.04 at one decimal would be "0.0" and "-0.0". The CSV and the Districts
    sheet keep their digits, as the value's own cell does; 52 - 51.94 = 0.06 is "0.1"."""
    criteria = urbanscreen.load_criteria()
    rows = [
        SCB_HEADERS,
        scb_row("A", ff="51,96"),
        scb_row("B", ff="52,04"),
        scb_row("C", ff="51,94"),
    ]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria)
    result = urbanscreen.screen(table, criteria)
    lines = to_csv(result, "en").splitlines()
    headers = lines[0].split(",")
    margin = next(i for i, h in enumerate(headers) if h.endswith(": margin (percentage points)"))
    margins = {line.split(",")[1]: line.split(",")[margin] for line in lines[1:]}
    assert margins == {"A": "0.04", "B": "-0.04", "C": "0.1"}
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(result, path, language="en")
    sheet = load_workbook(path)["Districts"]
    column = headers_of(sheet).index("Employ-\nment rate\nmargin\n(percentage\npoints)")
    margins = {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}
    every_digit, one_decimal = "+0.0#########;-0.0#########;0.0", "+#,##0.0;-#,##0.0;0.0"
    assert [(margins[n].value, margins[n].number_format) for n in "ABC"] == [
        (0.04, every_digit),
        (-0.04, every_digit),
        (0.06, one_decimal),
    ]


def _counts_against_their_own_threshold(
    tmp_path: Path, *, missing_reference: bool = False
) -> urbanscreen.Result:
    """Population against each area's own threshold: 4000 vs 3999.7, 4001 vs 4001.4 and
    5000 vs 3999.5."""
    toml = tmp_path / "c.toml"
    toml.write_text(
        'version = 1\n[scheme]\nname = "Own"\nrule = "all"\n'
        '[references]\nown = { column = "ref" }\n'
        '[[criteria]]\nid = "pop"\nlabel = "Population"\ncolumn = "pop"\n'
        'unit = "count"\nop = ">="\nthreshold = { times = 1, of = "own" }\n'
        '[[measures]]\nid = "ref"\nlabel = "Ref"\ncolumn = "ref"\nunit = "number"\n',
        encoding="utf-8",
    )
    criteria = urbanscreen.load_criteria(toml)
    rows = [
        ["id", "name", "pop", "ref"],
        ["A", "A", "4000", "3999.7"],
        ["B", "B", "4001", "4001.4"],
    ]
    rows += [["C", "C", "5000", ".." if missing_reference else "3999.5"]]
    return urbanscreen.screen(
        urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows), criteria), criteria
    )


def _csv_column(result: urbanscreen.Result, header: str) -> dict[str, str]:
    """Each district's field under ``header`` in the English CSV, by name."""
    lines = to_csv(result, "en").splitlines()
    column = lines[0].split(",").index(header)
    return {line.split(",")[1]: line.split(",")[column] for line in lines[1:]}


def _sheet_column(
    result: urbanscreen.Result, folder: Path, title: str, heading: Callable[[str], bool]
) -> dict[str, Cell]:
    """Each district's cell on the sheet ``title`` in the column whose header ``heading``
    picks, by name."""
    path = folder / "r.xlsx"
    urbanscreen.write_report(result, path, language="en")
    sheet = load_workbook(path)[title]
    column = next(c.column - 1 for c in sheet[1] if heading(str(c.value)))
    return {row[0].value: row[column] for row in sheet.iter_rows(min_row=2)}


def test_a_count_margin_against_a_per_area_threshold_keeps_its_decimals(tmp_path: Path) -> None:
    """A count against each area's own threshold (3999.7) has a margin of 0.3: the Districts
    sheet shows it with its digits, not as "+0" (a count's margins are whole otherwise)."""
    result = _counts_against_their_own_threshold(tmp_path)
    assert _csv_column(result, "Population: margin (count)") == {
        "A": "0.3",
        "B": "-0.4",
        "C": "1000",
    }
    details = _sheet_column(
        result, tmp_path, "Districts", lambda h: h.startswith("Population\nmargin")
    )
    every_digit, whole = "+0.0#########;-0.0#########;0.0", "+#,##0;-#,##0;0"
    assert [(details[n].value, details[n].number_format) for n in "ABC"] == [
        (pytest.approx(0.3), every_digit),
        (pytest.approx(-0.4), every_digit),
        (pytest.approx(1000.5), whole),
    ]


def test_a_per_area_threshold_is_never_rounded_onto_its_value(tmp_path: Path) -> None:
    """4001 against 4001.4 is not met: a threshold shown as 4001 beside the value 4001 would
    read as met. Where rounding would put the threshold on or across the value, the CSV and
    the Details sheet show every digit of it (3999.5 against 5000 is 4000 as usual)."""
    result = _counts_against_their_own_threshold(tmp_path)
    assert _csv_column(result, "Population: threshold") == {
        "A": "3999.7",
        "B": "4001.4",
        "C": "4000",
    }
    details = _sheet_column(result, tmp_path, "Details", lambda h: h.endswith("\nthreshold"))
    assert [(details[n].value, details[n].number_format) for n in "ABC"] == [
        (3999.7, "#,##0.0#########"),
        (4001.4, "#,##0.0#########"),
        (3999.5, "#,##0"),
    ]


def test_a_per_area_threshold_not_known_is_dots_on_details(tmp_path: Path) -> None:
    """An area whose reference is missing has no threshold: '..' on the Details sheet, as
    its margin on Districts, never a blank cell."""
    result = _counts_against_their_own_threshold(tmp_path, missing_reference=True)
    details = _sheet_column(result, tmp_path, "Details", lambda h: h.endswith("\nthreshold"))
    assert [details[n].value for n in "ABC"] == [3999.7, 4001.4, ".."]
    assert details["C"].alignment.horizontal == "right"
    margins = _sheet_column(
        result, tmp_path, "Districts", lambda h: h.startswith("Population\nmargin")
    )
    assert margins["C"].value == ".."


def test_decimals_key_sets_the_precision_everywhere(tmp_path: Path) -> None:
    text = (SAMPLE.parent.parent / "criteria.toml").read_text(encoding="utf-8")
    text = text.replace("threshold = 52\n", "threshold = 52\ndecimals = 2\n")
    criteria_path = tmp_path / "criteria.toml"
    criteria_path.write_text(text, encoding="utf-8")
    criteria = urbanscreen.load_criteria(criteria_path)
    assert [c.shown_decimals for c in criteria.criteria] == [2, 1, 1, 0]
    table = load_district_table(
        SAMPLE / "deso-goteborg.csv", criteria, load_districts(SAMPLE / "districts-goteborg.toml")
    )
    result = urbanscreen.screen(table, criteria)
    bergsjon = next(result.districts())
    assert shown_value(bergsjon.checks[0]) == "43.53"  # 2 220 / 5 100 = 43.529…
    assert "✓ 43,53 |" in to_markdown(result, "sv")
    assert ";43,53;" in to_csv(result, "sv")
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(result, path)
    row = by_header(load_workbook(path)["Områden"], 2)
    assert marked(row["Förvärvs-\nfrekvens\n< 52 %"]) == ("✓", '#,##0.00" %"')
    # The JSON keeps every digit, and counts whole.
    json_path = tmp_path / "r.json"
    urbanscreen.write_report(result, json_path)
    check = json.loads(json_path.read_text(encoding="utf-8"))["districts"][0]["criteria"][0]
    assert check["value"] == 43.529411765
    assert (check["numerator"], check["denominator"]) == (2220, 5100)
    assert all(isinstance(n, int) for n in (check["numerator"], check["denominator"]))


def test_texts_per_language_and_the_fallback_said_once(tmp_path: Path) -> None:
    criteria_path = tmp_path / "criteria.toml"
    criteria_path.write_text(
        """version = 1
[scheme]
name = "Test"
lang = "sv"
description = { sv = "Ett test.", en = "A test." }
[[criteria]]
id = "forvarvsfrekvens"
label = { sv = "Förvärvsfrekvens", en = "Employment rate" }
column = "Förvärvsfrekvens"
unit = "percent"
op = "<"
threshold = 52
source = "SCB: lägre än 52 procent"
""",
        encoding="utf-8",
    )
    criteria = urbanscreen.load_criteria(criteria_path)
    assert criteria.criteria[0].label == "Förvärvsfrekvens"  # the scheme's language
    table = urbanscreen.load_table(SAMPLE / "districts.xlsx", criteria)
    result = urbanscreen.screen(table, criteria)
    path = tmp_path / "en.xlsx"
    written = urbanscreen.write_report(result, path, language="en")
    fallbacks = [issue for issue in written.issues if issue.code == "text-fallback"]
    assert [issue.message for issue in fallbacks] == [
        "1 text of the criteria file is not given in English and is shown in Swedish: "
        "criteria[0].source"
    ]
    book = load_workbook(path)
    assert book["Criteria"]["B2"].value == "Employment rate"
    assert book["Summary"]["B4"].value == "A test."
    said = [row for row in book["Provenance"].iter_rows(values_only=True) if row[0]]
    assert [row[0] for row in said].count("text-fallback") == 1
    swedish = urbanscreen.write_report(result, tmp_path / "sv.xlsx")
    assert [issue.code for issue in swedish.issues] == []  # every text is there in Swedish


def test_a_plain_criteria_file_stays_valid() -> None:
    """Texts as plain strings, as every file written before: they are the scheme's."""
    criteria = urbanscreen.load_criteria(DATA.parent.parent / "criteria.toml")
    assert criteria.criteria[0].label == "Förvärvsfrekvens"
    plain = urbanscreen.criteria.load.parse_criteria(
        b'version = 1\n[scheme]\nname = "X"\n[[criteria]]\nid = "a"\nlabel = "A"\n'
        b'column = "a"\nunit = "count"\nop = ">="\nthreshold = 1\n',
        origin="x.toml",
    )
    assert (plain.criteria[0].label, plain.translations) == ("A", {})


def count_pdf_pages(pdf: Path) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf.read_bytes()))


@pytest.mark.skipif(
    shutil.which("soffice") is None,
    reason="LibreOffice (soffice) is not installed; .ci/run installs it",
)
def test_the_sample_prints_on_at_most_eight_pages(tmp_path: Path) -> None:
    """Summary, Districts, Criteria and Provenance a page each, two charts to a page: 6
    pages (17 before the report was laid out for paper)."""
    path = tmp_path / "report.xlsx"
    urbanscreen.write_report(screened(REPORTS["sample"]), path, command="urbanscreen check")
    assert count_pdf_pages(print_to_pdf(path, tmp_path)) <= 8


def _side(difference: float) -> int:
    return (difference > 0) - (difference < 0)


@given(
    value=st.integers(min_value=-(10**9), max_value=10**9),
    threshold=st.integers(min_value=-(10**6), max_value=10**6),
    threshold_places=st.integers(min_value=0, max_value=3),
    decimals=st.integers(min_value=0, max_value=3),
)
def test_a_shown_value_stands_on_the_same_side_of_its_threshold(
    value: int, threshold: int, threshold_places: int, decimals: int
) -> None:
    """Oracle: read the shown text back as a number; it lies on the same side of the
    threshold as the value itself (or on it exactly when the value is), whatever the
    precision. Values have six decimals, thresholds up to three."""
    exact = value / 10**6
    limit = threshold / 10**threshold_places
    text = shown_number(exact, "number", decimals, limit)
    assert _side(float(text.replace(" ", "")) - limit) == _side(exact - limit), text
    if not rounding_misleads(exact, limit, decimals):
        # Otherwise it is the value at the asked precision, that many decimals written.
        assert float(text.replace(" ", "")) == round(exact, decimals)
        assert len(text.partition(".")[2]) == decimals


def test_the_command_line_says_the_fallback_once(runner: CliRunner, tmp_path: Path) -> None:
    """A criteria file written in Swedish only, a report asked for in English: one note."""
    criteria = tmp_path / "mine.toml"
    criteria.write_text(
        (ROOT / "criteria.toml")
        .read_text(encoding="utf-8")
        .replace('label = { sv = "Förvärvsfrekvens", en = "Employment rate" }', 'label = "Ff"'),
        encoding="utf-8",
    )
    result = runner.invoke(
        app,
        [
            "check",
            str(SAMPLE / "districts.xlsx"),
            "-c",
            str(criteria),
            "-o",
            str(tmp_path / "r.xlsx"),
            "--lang",
            "en",
        ],
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("[text-fallback]") == 1
    assert "criteria[0].label" in result.stderr
    # Two reports and the table on stdout: still one note, not one per output.
    more = ["-o", str(tmp_path / "r.csv"), "-o", str(tmp_path / "r.md"), "-f", "markdown"]
    result = runner.invoke(
        app, ["check", str(SAMPLE / "districts.xlsx"), "-c", str(criteria), "--lang", "en", *more]
    )
    assert result.exit_code == 0, result.stderr
    assert result.stderr.count("[text-fallback]") == 1


def test_a_bounded_value_is_marked_with_its_range_in_the_chart(tmp_path: Path) -> None:
    """Bergsjön's long-term assistance is known only to lie in 8.8-8.9 %, above 4.8 %:
    the chart marks it with its range and verdict, not as unknown."""
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(screened("districts"), path)
    with zipfile.ZipFile(path) as archive:
        chart = archive.read("xl/charts/chart2.xml").decode("utf-8")
    assert "8,8–8,9 ✓ uppfyllt" in chart
    assert "Bergsjön (..)" in chart


def test_the_abridged_note_is_swedish_in_a_swedish_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Shrunk limits stand in for a national table (as in test_report.py)."""
    monkeypatch.setattr("urbanscreen.render.excel.MAX_SHEET_AREAS", 10)
    monkeypatch.setattr("urbanscreen.render.excel.SHEET_HIGHLIGHTS", 3)
    path = tmp_path / "r.xlsx"
    urbanscreen.write_report(screened(REPORTS["sample"]), path)
    rows = list(load_workbook(path)["Ursprung"].iter_rows(values_only=True))
    note = next(row for row in rows if row[0] == "report-abridged")
    assert note[1].startswith("arbetsboken listar 6 av 27 områden: alla som uppfyller villkoren")
    assert note[3] == "anteckning"


def test_the_fallback_note_counts_in_words() -> None:
    from urbanscreen.texts import fallback_note

    assert (
        fallback_note(["a", "b"], "en", "sv")
        .text("en")
        .startswith(
            "2 texts of the criteria file are not given in English and are shown in Swedish"
        )
    )
    assert (
        fallback_note(["a"], "sv", "en")
        .text("sv")
        .startswith("1 text i villkorsfilen finns inte på svenska och visas på engelska")
    )
    assert fallback_note(["a", "b"], "sv", "en").text("sv").startswith("2 texter i villkorsfilen")
