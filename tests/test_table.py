"""The loader on real xlsx and csv files: typing, codes, encodings, layouts, bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from openpyxl import Workbook

import urbanscreen
from urbanscreen.errors import (
    AmbiguousColumnError,
    DuplicateIdError,
    EmptyInputError,
    FileNotFoundInputError,
    InputFileError,
    MissingColumnError,
    MissingIdError,
    NonNumericValueError,
    OptionError,
    ValueOutOfRangeError,
)

from .conftest import SCB_HEADERS, scb_row, write_csv, write_xlsx

Criteria = urbanscreen.Criteria


def load(path: Path, criteria: Criteria, **options: str) -> urbanscreen.Table:
    return urbanscreen.load_table(path, criteria, **options)  # type: ignore[arg-type]


def test_xlsx_codes_stay_text(tmp_path: Path, criteria: Criteria) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [["Kod", *SCB_HEADERS], ["0114A0010", *scb_row("Rinkeby", code="0180")]],
    )
    table = load(path, criteria)
    row = table.frame.iloc[0]
    assert row["id"] == "0114A0010"
    assert row["municipality_code"] == "0180"
    assert row["forvarvsfrekvens"] == 45.0
    assert row["row"] == 2
    assert table.source.sheet == "Blad1"


def test_numeric_municipality_codes_get_their_zero_back(tmp_path: Path, criteria: Criteria) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [SCB_HEADERS, [180, *scb_row("Rinkeby")[1:]]])
    table = load(path, criteria)
    assert table.frame.loc[0, "municipality_code"] == "0180"
    assert table.frame.loc[0, "id"] == "0180 Rinkeby"
    assert [i.code for i in table.issues] == ["leading-zeros-restored"]


def test_numeric_ids_are_text_without_decimals(tmp_path: Path, criteria: Criteria) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [["Id", *SCB_HEADERS], [17, *scb_row("A")]])
    assert load(path, criteria).frame.loc[0, "id"] == "17"


def test_ids_fall_back_to_municipality_and_name(tmp_path: Path, criteria: Criteria) -> None:
    headers = ["Kommun", *SCB_HEADERS[2:]]
    path = write_csv(tmp_path / "d.csv", [headers, scb_row("Bergsjön")[1:]])
    table = load(path, criteria)
    assert table.frame.loc[0, "id"] == "Göteborg: Bergsjön"
    assert table.id_source == "municipality + name"
    only_names = write_csv(tmp_path / "n.csv", [SCB_HEADERS[2:], scb_row("Bergsjön")[2:]])
    assert load(only_names, criteria).frame.loc[0, "id"] == "Bergsjön"


def test_title_rows_and_footnotes_are_skipped(tmp_path: Path, criteria: Criteria) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            ["Stadsdelar 2012"],
            [],
            SCB_HEADERS,
            scb_row("Bergsjön"),
            [],
            scb_row("Hjällbo"),
            [],
            ["Källa: SCB"],
        ],
    )
    table = load(path, criteria)
    assert table.frame["name"].tolist() == ["Bergsjön", "Hjällbo"]
    assert table.frame["row"].tolist() == [4, 6]
    assert table.source.header_row == 3
    assert [i.code for i in table.issues] == ["skipped-rows"]
    assert "rows 8" in table.issues[0].message


def test_sheet_option_picks_a_sheet(tmp_path: Path, criteria: Criteria) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Om"
    first.append(["Nothing to see"])
    data = workbook.create_sheet("Data")
    data.append(SCB_HEADERS)
    data.append(scb_row("Bergsjön"))
    path = tmp_path / "d.xlsx"
    workbook.save(path)
    assert len(load(path, criteria, sheet="data")) == 1
    found = load(path, criteria)  # the table's sheet is found without --sheet
    assert found.source.sheet == "Data"
    with pytest.raises(OptionError, match="no sheet named 'Tabell'") as caught:
        load(path, criteria, sheet="Tabell")
    assert caught.value.hint == "sheets in this workbook: 'Om', 'Data'"


@pytest.mark.parametrize(
    ("encoding", "separator"),
    [("utf-8", ";"), ("utf-8-sig", ";"), ("latin-1", ";"), ("cp1252", "\t"), ("utf-16", ",")],
)
def test_csv_encodings_and_separators(
    tmp_path: Path, criteria: Criteria, encoding: str, separator: str
) -> None:
    decimal = "." if separator == "," else ","
    rows = [SCB_HEADERS, scb_row("Hjällbo", ff=f"45{decimal}3", lfs=f"4{decimal}9")]
    path = write_csv(tmp_path / "d.csv", rows, separator=separator, encoding=encoding)
    table = load(path, criteria)
    assert table.frame.loc[0, "name"] == "Hjällbo"
    assert table.frame.loc[0, "forvarvsfrekvens"] == 45.3
    assert table.frame.loc[0, "langvarigt_forsorjningsstod"] == 4.9
    assert table.source.separator == separator


def test_pxweb_style_title_line_above_quoted_header(tmp_path: Path, criteria: Criteria) -> None:
    text = (
        '"Stadsdelar efter region"\n\n'
        '"Kommunkod";"Stadsdel";"Förvärvsfrekvens";"Långvarigt försörjningsstöd";'
        '"Gymnasiebehörighet";"Folkmängd"\n'
        '"0180";"Rinkeby";44,2;11,9;61,5;"15 600"\n'
    )
    path = tmp_path / "px.csv"
    path.write_bytes(text.encode("latin-1"))
    table = load(path, criteria)
    assert table.frame.loc[0, "id"] == "0180 Rinkeby"
    assert table.frame.loc[0, "folkmangd"] == 15600
    assert table.source.header_row == 3
    assert table.source.encoding in {"cp1252", "latin-1"}


def test_decimal_option_overrides_detection(tmp_path: Path, criteria: Criteria) -> None:
    rows = [SCB_HEADERS, scb_row("A", ff="45,500", pop="4,000")]
    path = write_csv(tmp_path / "d.csv", rows, separator="\t")
    with pytest.raises(ValueOutOfRangeError):  # 45 500 per cent
        load(path, criteria)
    frame = load(path, criteria, decimal=",").frame
    assert frame.loc[0, "forvarvsfrekvens"] == 45.5
    assert frame.loc[0, "folkmangd"] == 4000  # a count: grouped, whichever mark is decimal


def test_decimal_option_contradicted_by_the_file(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A", ff="44.2")], separator=",")
    with pytest.raises(NonNumericValueError) as caught:
        load(path, criteria, decimal=",")
    assert caught.value.hint == "did you mean --decimal . (decimal point)?"


@pytest.mark.parametrize(("separator", "pop"), [(",", "4.500"), (";", "4,500"), (";", "4.500")])
def test_grouped_counts_are_whole_numbers(
    tmp_path: Path, criteria: Criteria, separator: str, pop: str
) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A", pop=pop)], separator=separator)
    assert load(path, criteria).frame.loc[0, "folkmangd"] == 4500


def test_fractional_count_is_refused(tmp_path: Path, criteria: Criteria) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [SCB_HEADERS, scb_row("A", pop=4000.7)])
    with pytest.raises(ValueOutOfRangeError, match="whole number"):
        load(path, criteria)


def test_numbers_stored_as_text_in_xlsx(tmp_path: Path, criteria: Criteria) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [SCB_HEADERS, scb_row("A", ff="45,5", pop="4 000")])
    frame = load(path, criteria).frame
    assert frame.loc[0, "forvarvsfrekvens"] == 45.5
    assert frame.loc[0, "folkmangd"] == 4000


def test_missing_values_load_as_unknown(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A", lfs="..", gb="")])
    frame = load(path, criteria).frame
    assert frame["langvarigt_forsorjningsstod"].isna().all()
    assert frame["gymnasiebehorighet"].isna().all()


# -- bad input ----------------------------------------------------------------------------


def test_missing_file(tmp_path: Path, criteria: Criteria) -> None:
    with pytest.raises(FileNotFoundInputError):
        load(tmp_path / "nope.xlsx", criteria)


def test_folder_instead_of_file(tmp_path: Path, criteria: Criteria) -> None:
    with pytest.raises(InputFileError, match="is a folder"):
        load(tmp_path, criteria)


def test_xlsx_that_is_not_a_workbook(tmp_path: Path, criteria: Criteria) -> None:
    path = tmp_path / "d.xlsx"
    path.write_text("Kommun;Stadsdel\n", encoding="utf-8")
    with pytest.raises(InputFileError, match="not an Excel workbook") as caught:
        load(path, criteria)
    assert caught.value.hint is not None and "rename it to .csv" in caught.value.hint


def test_broken_zip_named_xlsx(tmp_path: Path, criteria: Criteria) -> None:
    path = tmp_path / "d.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\x00garbage" * 20)
    with pytest.raises(InputFileError, match="not a readable workbook"):
        load(path, criteria)


def test_empty_file_and_header_without_rows(tmp_path: Path, criteria: Criteria) -> None:
    empty = tmp_path / "e.csv"
    empty.write_bytes(b"")
    with pytest.raises(EmptyInputError, match="empty"):
        load(empty, criteria)
    header_only = write_csv(tmp_path / "h.csv", [SCB_HEADERS])
    with pytest.raises(EmptyInputError, match="no data rows"):
        load(header_only, criteria)
    empty_book = write_xlsx(tmp_path / "e.xlsx", [])
    with pytest.raises(EmptyInputError, match="sheet is empty"):
        load(empty_book, criteria)


def test_missing_criterion_column_lists_columns_and_suggests(
    tmp_path: Path, criteria: Criteria
) -> None:
    headers = [*SCB_HEADERS]
    headers[3] = "Förvärvsfrekv"
    path = write_csv(tmp_path / "d.csv", [headers, scb_row("A")])
    with pytest.raises(MissingColumnError) as caught:
        load(path, criteria)
    assert "no column for criterion 'Förvärvsfrekvens'" in caught.value.message
    assert "'Kommun'" in caught.value.message
    assert caught.value.hint is not None
    assert caught.value.hint.startswith("did you mean 'Förvärvsfrekv'?")


def test_no_name_or_id_column(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS[3:], scb_row("A")[3:]])
    with pytest.raises(MissingColumnError, match="no column names the areas"):
        load(path, criteria)


def test_two_columns_for_one_criterion(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(
        tmp_path / "d.csv", [[*SCB_HEADERS, "Folkmängd (antal)"], [*scb_row("A"), 5000]]
    )
    with pytest.raises(AmbiguousColumnError, match="'Folkmängd', 'Folkmängd \\(antal\\)'"):
        load(path, criteria)


def test_non_numeric_value_names_row_column_value(tmp_path: Path, criteria: Criteria) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx", [["Titel"], SCB_HEADERS, scb_row("A"), scb_row("B", gb="ej tillg.")]
    )
    with pytest.raises(NonNumericValueError) as caught:
        load(path, criteria)
    error = caught.value
    assert (error.location.row, error.location.column) == (4, "Gymnasiebehörighet")
    assert error.value == "ej tillg."
    assert error.hint is not None and "'..'" in error.hint


def test_decimal_comma_hint(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A", ff="45,2")], separator=",")
    with pytest.raises(NonNumericValueError) as caught:
        load(path, criteria, decimal=".")
    assert caught.value.hint == "did you mean --decimal , (decimal comma)?"


def test_mixed_decimal_marks(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A", ff="45,2", lfs="4.8")])
    with pytest.raises(NonNumericValueError, match="both decimal marks"):
        load(path, criteria)


@pytest.mark.parametrize(("column", "value"), [("ff", 100.5), ("gb", -1), ("pop", -5)])
def test_values_out_of_range(tmp_path: Path, criteria: Criteria, column: str, value: float) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [SCB_HEADERS, scb_row("A", **{column: value})])
    with pytest.raises(ValueOutOfRangeError) as caught:
        load(path, criteria)
    assert caught.value.location.row == 2


# A table with area codes under "Område" and names under "Namn": "Område" ranks first among
# the name's headers, but what the columns hold decides which gives the names.
RATES = ["Förvärvsfrekvens", "Långvarigt försörjningsstöd", "Gymnasiebehörighet", "Folkmängd"]
CODED = (
    ("0180C1020", "Rinkeby norra", "Stockholm", 44.2, 9.1, 55, 8000),
    ("0180C1030", "Tensta", "Stockholm", 47, 7, 60, 9000),
    ("1480C1010", "Hjällbo", "Göteborg", 55, 3, 80, 7000),
)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize(
    ("codes", "names"), [("Område", "Namn"), ("Stadsdel", "Område"), ("Område", "Stadsdel")]
)
def test_codes_under_a_name_header_are_the_ids_beside_a_column_of_names(
    tmp_path: Path, criteria: Criteria, kind: str, codes: str, names: str
) -> None:
    rows = [[codes, names, "Kommun", *RATES], *CODED]
    if codes == "Stadsdel":  # the names' column first
        rows = [[row[1], row[0], *row[2:]] for row in rows]
    write = write_csv if kind == "csv" else write_xlsx
    table = load(write(tmp_path / f"d.{kind}", rows), criteria)
    assert table.frame["id"].tolist() == ["0180C1020", "0180C1030", "1480C1010"]
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]
    assert table.id_source == f"column {codes!r}"
    assert (table.headers["id"], table.headers["name"]) == (codes, names)


@given(st.text(alphabet="0123456789ABCDRabcdr_eEgGoOsS", max_size=20))
@example("0114A0010")
@example("0114a0010_deso2025")
@example("1480R001_RegSO2025")
@example("1480R001_DeSO2025")
@example("0180")
def test_an_area_code_is_a_deso_regso_or_municipality_code(text: str) -> None:
    # One expression for the three shapes, written for Arrow's engine too: the same answer
    # as the three shapes' own expressions, on ASCII text.
    from urbanscreen.codes import AREA_CODE, DESO, MUNICIPALITY, REGSO
    from urbanscreen.roles import _share

    shapes = any(shape.match(text) for shape in (DESO, REGSO, MUNICIPALITY))
    assert (AREA_CODE.match(text) is not None) == shapes
    # As a column of a table is told: in Arrow (RE2).
    assert _share(pd.Series([text], dtype="str"), AREA_CODE.pattern) == float(shapes)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_codes_padded_in_lower_case_or_with_a_vintage_are_codes(
    tmp_path: Path, criteria: Criteria, kind: str
) -> None:
    codes = [" 0180c1020 ", "0180R003_RegSO2025", "0180C1040_DeSO2025", "0180"]
    rows = [["Område", "Namn", *RATES]]
    rows += [[code, f"Område {i}", 45, 8, 60, 5000] for i, code in enumerate(codes)]
    write = write_csv if kind == "csv" else write_xlsx
    table = load(write(tmp_path / f"d.{kind}", rows), criteria)
    assert table.frame["name"].tolist() == [f"Område {i}" for i in range(4)]
    assert table.frame["id"].tolist() == [code.strip() for code in codes]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
@pytest.mark.parametrize("kommun", [True, False])
def test_municipality_codes_under_a_name_header_beside_names_are_the_municipality(
    tmp_path: Path, criteria: Criteria, kind: str, kommun: bool
) -> None:
    # "0180" beside "Rinkeby norra" and "Tensta": the areas' municipality, not their ids.
    rows = [["Område", "Namn", "Kommun", *RATES]]
    rows += [[row[0][:4], *row[1:]] for row in CODED]
    if not kommun:
        rows = [[*row[:2], *row[3:]] for row in rows]
    write = write_csv if kind == "csv" else write_xlsx
    table = load(write(tmp_path / f"d.{kind}", rows), criteria)
    assert table.frame["id"].tolist() == ["0180 Rinkeby norra", "0180 Tensta", "1480 Hjällbo"]
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]
    assert table.frame["municipality_code"].tolist() == ["0180", "0180", "1480"]
    assert table.headers["municipality_code"] == "Område"


def test_municipality_codes_each_beside_one_name_are_the_ids(
    tmp_path: Path, criteria: Criteria
) -> None:
    # A long table of municipalities: each code beside its one name, on every year's row.
    rows: list[list[object]] = [["Område", "Namn", "År", "Tabellinnehåll", "Värde"]]
    for code, name in [(row[0][:4], row[2]) for row in CODED[1:]]:
        for year in (2011, 2012):
            rows += [[code, name, year, label, 60] for label in RATES]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["id"].tolist() == ["0180", "1480"]
    assert table.frame["name"].tolist() == ["Stockholm", "Göteborg"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_an_empty_column_under_a_name_header_gives_way(
    tmp_path: Path, criteria: Criteria, kind: str
) -> None:
    # A template's "Stadsdel" left blank ranks first among the name's headers, but names
    # nothing: "Namn" gives the names (it used to be "no data rows follow"), and the codes
    # beside them the ids.
    rows: list[list[object]] = [["Stadsdel", "Namn", "Kommun", *RATES]]
    rows += [[None, *row[1:]] for row in CODED]
    write = write_csv if kind == "csv" else write_xlsx
    table = load(write(tmp_path / f"d.{kind}", rows), criteria)
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]
    assert table.headers["name"] == "Namn"
    coded: list[list[object]] = [["Stadsdel", "Område", "Namn", "Kommun", *RATES]]
    coded += [[None, *row] for row in CODED]
    table = load(write(tmp_path / f"e.{kind}", coded), criteria)
    assert table.frame["id"].tolist() == ["0180C1020", "0180C1030", "1480C1010"]
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_column_blank_but_for_a_note_or_headings_gives_way(
    tmp_path: Path, criteria: Criteria, kind: str
) -> None:
    # "Källa: SCB" under the table, in column A under the blank "Stadsdel", or headings
    # alone on their rows, name no area: "Namn" does (it used to be "no data rows follow",
    # or the headings screened as areas without values).
    note: list[list[object]] = [["Stadsdel", "Namn", "Kommun", *RATES]]
    note += [[None, *row[1:]] for row in CODED]
    note += [[None] * 7, ["Källa: SCB", *[None] * 6]]
    headings: list[list[object]] = [["Stadsdel", "Namn", "Kommun", *RATES]]
    headings += [["Järva", *[None] * 6], *([None, *row[1:]] for row in CODED[:2])]
    headings += [["Hisingen", *[None] * 6], [None, *CODED[2][1:]]]
    write = write_csv if kind == "csv" else write_xlsx
    for i, rows in enumerate((note, headings)):
        table = load(write(tmp_path / f"d{i}.{kind}", rows), criteria)
        assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]
        assert table.headers["name"] == "Namn"
        assert "skipped-rows" in [issue.code for issue in table.issues]


def test_a_name_column_beside_a_note_in_another_stays(tmp_path: Path, criteria: Criteria) -> None:
    # The note is what gives way, not the names: "Stadsdel" holds them, "Namn" a note.
    rows: list[list[object]] = [["Stadsdel", "Namn", "Kommun", *RATES]]
    rows += [[row[1], None, *row[2:]] for row in CODED]
    rows += [[None] * 7, [None, "Källa: SCB", *[None] * 5]]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]
    assert table.headers["name"] == "Stadsdel"


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_numbers_under_a_name_header_give_way_to_words(
    tmp_path: Path, criteria: Criteria, kind: str
) -> None:
    # "Area" (square kilometres) ranks before "Area name" among the name's headers, but
    # holds no words: the names come from "Area name" (they used to be "2.1" and "3.5").
    rows: list[list[object]] = [["Area", "Area name", *RATES]]
    rows += [[2.1, "Rinkeby norra", 45, 8, 60, 5000], [3.5, "Tensta", 47, 7, 60, 9000]]
    write = write_csv if kind == "csv" else write_xlsx
    table = load(write(tmp_path / f"d.{kind}", rows), criteria)
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta"]
    assert table.headers["name"] == "Area name"


def test_name_columns_all_empty_are_still_no_data(tmp_path: Path, criteria: Criteria) -> None:
    rows: list[list[object]] = [["Stadsdel", "Namn", *RATES], ["", "", 45, 8, 60, 5000]]
    with pytest.raises(EmptyInputError):
        load(write_csv(tmp_path / "d.csv", rows), criteria)


def test_a_code_twice_under_a_name_header_is_a_duplicate_id(
    tmp_path: Path, criteria: Criteria
) -> None:
    # Not two figures for one area broken down by "Namn": the same code on two rows.
    rows = [["Område", "Namn", "Kommun", *RATES], *(list(row) for row in CODED)]
    rows[2][0] = "0180C1020"
    with pytest.raises(DuplicateIdError) as caught:
        load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert "'0180C1020' on rows 2 and 3" in caught.value.message
    assert "column 'Område'" in caught.value.message


def test_a_named_row_without_a_code_keeps_the_ids_made_from_names(
    tmp_path: Path, criteria: Criteria
) -> None:
    # A total with a name and no code: the codes cannot be every area's id, so the ids are
    # made as they are without the codes; the names still come from the names' column.
    rows = [["Område", "Namn", "Kommun", *RATES], *CODED, ["", "Summa", "", 50, 5, 60, 24000]]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo", "Summa"]
    without_codes = load(write_csv(tmp_path / "n.csv", [row[1:] for row in rows]), criteria)
    assert table.frame["id"].tolist() == without_codes.frame["id"].tolist()
    assert table.id_source == without_codes.id_source
    assert "total-row" in [issue.code for issue in table.issues]


def test_many_notes_below_the_names_are_read_once_each(tmp_path: Path, criteria: Criteria) -> None:
    # Each note was once compared with every row between it and the table: time grew with
    # the square of the notes.
    rows = [["Namn", "Område", "Kommun", *RATES], [CODED[0][1], CODED[0][0], *CODED[0][2:]]]
    rows += [[], *([f"Uppgift {i} avser 2012."] for i in range(5_000))]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["id"].tolist() == ["0180C1020"]


def test_a_named_row_without_a_code_or_values_keeps_the_ids_made_from_names(
    tmp_path: Path, criteria: Criteria
) -> None:
    # The last row names an area without its code or figures: an area whose values are
    # unknown, not a note, so the codes cannot be every area's id.
    rows = [["Område", "Namn", "Kommun", *RATES], *CODED, ["", "Nytt område", "Stockholm"]]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["name"].tolist()[-1] == "Nytt område"
    assert table.frame["id"].tolist()[-1] == "Stockholm: Nytt område"


def test_a_note_below_the_codes_leaves_them_codes(tmp_path: Path, criteria: Criteria) -> None:
    # Two codes and a source note in the codes' column: still a column of codes (nearly
    # all its cells are), and the note is no area.
    rows = [["Område", "Namn", "Kommun", *RATES], *CODED[:2], [], ["Källa: SCB"]]
    table = load(write_xlsx(tmp_path / "d.xlsx", rows), criteria)
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta"]
    assert table.frame["id"].tolist() == ["0180C1020", "0180C1030"]


@pytest.mark.parametrize(
    "notes", [[[], ["Uppgifterna avser 2012."], ["Källa: SCB"]], [["Anm. Avser 2012."]]]
)
def test_a_note_below_the_names_leaves_the_codes_the_ids(
    tmp_path: Path, criteria: Criteria, notes: list[list[object]]
) -> None:
    # The names' column first, and the notes under the table in it, as in column A of a
    # workbook: a note is no named area without a code, and the codes stay the ids.
    rows = [["Namn", "Område", "Kommun", *RATES]]
    rows += [[row[1], row[0], *row[2:]] for row in CODED]
    rows += notes
    table = load(write_xlsx(tmp_path / "d.xlsx", rows), criteria)
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]
    assert table.frame["id"].tolist() == ["0180C1020", "0180C1030", "1480C1010"]
    assert table.id_source == "column 'Område'"


@pytest.mark.parametrize(
    "rows",
    [
        # Names in both columns: the first-ranked header gives the names, as always.
        [["Område", "Namn", *RATES], ["Rinkeby", "Rinkeby norra", 45, 8, 60, 5000]],
        # Codes in both: nothing to choose names from.
        [["Område", "Namn", *RATES], ["0180C1020", "0180C1030", 45, 8, 60, 5000]],
        # Numbers under "Area" (square kilometres) are no names.
        [["Område", "Area", *RATES], ["0180C1020", 3.5, 45, 8, 60, 5000]],
        [["Område", "Area", *RATES], ["0180C1020", "3,5", 45, 8, 60, 5000]],
        # One name column: its codes are its names.
        [["Område", *RATES], ["0180C1020", 45, 8, 60, 5000]],
    ],
)
def test_name_columns_stay_where_the_values_do_not_settle_it(
    tmp_path: Path, criteria: Criteria, rows: list[list[object]]
) -> None:
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.headers["name"] == "Område"
    assert table.frame.loc[0, "name"] == rows[1][0]


def test_a_scheme_s_name_column_is_kept_even_if_it_holds_codes(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "criteria.toml").read_text(encoding="utf-8")
    text = text.replace('rule = "all"\n', 'rule = "all"\nname_columns = ["Område"]\n')
    criteria_path = tmp_path / "c.toml"
    criteria_path.write_text(text, encoding="utf-8")
    rows = [["Område", "Namn", "Kommun", *RATES], *CODED]
    table = load(write_csv(tmp_path / "d.csv", rows), urbanscreen.load_criteria(criteria_path))
    assert table.frame.loc[0, "name"] == "0180C1020"


def test_a_scheme_s_name_column_the_table_lacks_leaves_the_built_in_ones(
    tmp_path: Path,
) -> None:
    # "Distriktsnamn" is not in this table: its "Stadsdel" left blank gives way to "Namn"
    # as with no name_columns at all, and "Område" gives the ids.
    text = (Path(__file__).parent.parent / "criteria.toml").read_text(encoding="utf-8")
    text = text.replace('rule = "all"\n', 'rule = "all"\nname_columns = ["Distriktsnamn"]\n')
    criteria_path = tmp_path / "c.toml"
    criteria_path.write_text(text, encoding="utf-8")
    criteria = urbanscreen.load_criteria(criteria_path)
    rows: list[list[object]] = [["Stadsdel", "Område", "Namn", "Kommun", *RATES]]
    rows += [[None, *row] for row in CODED]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]
    assert table.frame["id"].tolist() == ["0180C1020", "0180C1030", "1480C1010"]


def test_a_column_headed_as_the_id_stays_the_id(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["Id", "Område", "Namn", "Kommun", *RATES]]
    rows += [[f"A{i}", *row] for i, row in enumerate(CODED)]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["id"].tolist() == ["A0", "A1", "A2"]
    assert table.frame["name"].tolist() == ["Rinkeby norra", "Tensta", "Hjällbo"]


def test_duplicate_ids_are_named(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [SCB_HEADERS, scb_row("Bergsjön"), scb_row("Hjällbo"), scb_row("Bergsjön")],
    )
    with pytest.raises(DuplicateIdError) as caught:
        load(path, criteria)
    assert "'1480 Bergsjön' on rows 2 and 4" in caught.value.message


def test_duplicate_ids_in_code_order_are_named(tmp_path: Path, criteria: Criteria) -> None:
    # Ids in rising order are known distinct without a hash table: a repeat breaks the order.
    ids = ["0114A0010", "0114A0020", "0114A0020", "1480C1010"]
    rows = [[area, *scb_row(f"Area {i}")] for i, area in enumerate(ids)]
    path = write_csv(tmp_path / "d.csv", [["Id", *SCB_HEADERS], *rows])
    with pytest.raises(DuplicateIdError) as caught:
        load(path, criteria)
    assert "'0114A0020' on rows 3 and 4" in caught.value.message
    distinct = write_csv(tmp_path / "e.csv", [["Id", *SCB_HEADERS], *rows[:2], *rows[3:]])
    assert load(distinct, criteria).frame["id"].tolist() == ["0114A0010", "0114A0020", "1480C1010"]


@pytest.mark.parametrize(
    "repeated",
    ["0114A0020", "1480R045_RegSO2025_and_more_to_32", "Gårdsten 0114A0020"],
)
def test_duplicate_ids_out_of_order_are_named(
    tmp_path: Path, criteria: Criteria, repeated: str
) -> None:
    # Ids out of code order are told apart by a key per id, exact where keys differ:
    # a repeat far apart, of any length and in any alphabet, is still found.
    ids = ["1480C1010", repeated, "0114A0010", "2584R015", repeated, "0180C1000"]
    rows = [[area, *scb_row(f"Area {i}")] for i, area in enumerate(ids)]
    path = write_csv(tmp_path / "d.csv", [["Id", *SCB_HEADERS], *rows])
    with pytest.raises(DuplicateIdError) as caught:
        load(path, criteria)
    assert f"'{repeated}' on rows 3 and 6" in caught.value.message
    distinct = write_csv(tmp_path / "e.csv", [["Id", *SCB_HEADERS], *rows[:4], *rows[5:]])
    assert load(distinct, criteria).frame["id"].tolist() == [*ids[:4], ids[5]]


def test_row_without_id_when_ids_are_used(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(
        tmp_path / "d.csv", [["Id", *SCB_HEADERS], ["A1", *scb_row("A")], ["", *scb_row("B")]]
    )
    with pytest.raises(MissingIdError) as caught:
        load(path, criteria)
    assert caught.value.location.row == 3


def test_ragged_row_is_located(tmp_path: Path, criteria: Criteria) -> None:
    path = tmp_path / "d.csv"
    lines = [";".join(SCB_HEADERS), ";".join(map(str, scb_row("A"))), "x;" * 9 + "x"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load(path, criteria)
    assert caught.value.location.row == 3
    assert "10 fields where the header has 7" in caught.value.message


@pytest.mark.parametrize("position", [0, 2], ids=["first row", "later row"])
def test_a_row_longer_than_the_header_is_located_with_its_fields(
    tmp_path: Path, criteria: Criteria, position: int
) -> None:
    lines = [";".join(map(str, scb_row(f"A{i}"))) for i in range(4)]
    lines[position] += ";extra"
    path = tmp_path / "d.csv"
    path.write_text(";".join(SCB_HEADERS) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load(path, criteria)
    assert caught.value.location.row == position + 2
    assert "8 fields where the header has 7" in caught.value.message


@pytest.mark.parametrize("field", [2, 6], ids=["short row", "last field"])
def test_a_quote_never_closed_below_the_head_is_an_error(
    tmp_path: Path, criteria: Criteria, field: int
) -> None:
    """Arrow reads the rest of the file into the open value: the rows below would be lost
    without a word. The C parser refused the file; so does the one parser now."""
    rows = [list(map(str, scb_row(f"A{i}"))) for i in range(80)]
    rows[60][field] = '"' + rows[60][field]  # below the 50 lines read for the header
    lines = [";".join(SCB_HEADERS), *(";".join(row) for row in rows)]
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        load(path, criteria)
    assert caught.value.location.row == 62
    assert "never closed" in caught.value.message


def test_a_closed_quoted_line_break_in_the_last_row_is_read(
    tmp_path: Path, criteria: Criteria
) -> None:
    rows = [list(map(str, scb_row(f"A{i}"))) for i in range(80)]
    rows[-1][2] = '"A79\n""norra"""'
    lines = [";".join(SCB_HEADERS), *(";".join(row) for row in rows)]
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert list(load(path, criteria).frame["name"])[-1] == 'A79\n"norra"'


def test_a_note_larger_than_arrows_read_block_is_read(tmp_path: Path, criteria: Criteria) -> None:
    """Arrow reads a CSV in blocks of a megabyte; a row longer than that is read too."""
    lines = [";".join(SCB_HEADERS)] + [";".join(map(str, scb_row(f"A{i}"))) for i in range(60)]
    lines += ["", '"Anm.\n' + "x" * 3 * 1024**2 + '"']  # below the 50 lines read for the header
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert list(load(path, criteria).frame["name"]) == [f"A{i}" for i in range(60)]


@pytest.mark.parametrize("quoted", [False, True], ids=["plain", "quoted"])
def test_short_rows_are_read_as_missing_and_said(
    tmp_path: Path, criteria: Criteria, quoted: bool
) -> None:
    """A row with fewer fields than the header (a cut line) has its last values missing,
    and a warning names it; the note below the table, short by nature, is not named."""
    name = '"Hjällbo, norra"' if quoted else "Hjällbo"
    lines = [
        ";".join(SCB_HEADERS),
        ";".join(map(str, scb_row("Bergsjön"))),
        f"1480;Göteborg;{name};41,0;7,0",  # the last two fields are cut off
        ";".join(map(str, scb_row("Gårdsten"))),
        "",
        "Källa: SCB",
    ]
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = load(path, criteria)
    cut = table.frame[table.frame["name"].str.startswith("Hjällbo")].iloc[0]
    assert cut["forvarvsfrekvens"] == 41.0
    assert pd.isna(cut["gymnasiebehorighet"]) and pd.isna(cut["folkmangd"])
    short = [issue for issue in table.issues if issue.code == "short-rows"]
    assert len(short) == 1
    assert "1 row(s) end before the last column the criteria read (rows 3)" in short[0].message


def test_a_missing_column_no_criterion_reads_makes_no_row_short(
    tmp_path: Path, criteria: Criteria
) -> None:
    lines = [";".join([*SCB_HEADERS, "Kommentar"]), ";".join(map(str, scb_row("A"))), ""]
    lines.append(";".join(map(str, scb_row("B"))) + ";ny i år")
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not [i for i in load(path, criteria).issues if i.code == "short-rows"]


def test_a_quoted_note_longer_than_csv_s_field_limit_is_read(
    tmp_path: Path, criteria: Criteria
) -> None:
    """csv.reader refuses fields over 128 KiB, pandas does not: the row count gives way."""
    lines = [";".join(SCB_HEADERS)] + [";".join(map(str, scb_row(f"A{i}"))) for i in range(60)]
    lines += ["", '"' + "Anm. " * 40_000 + '"']  # below the 50 lines read for the header
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert len(load(path, criteria).frame) == 60


def test_a_trailing_separator_in_the_header_makes_no_row_short(
    tmp_path: Path, criteria: Criteria
) -> None:
    lines = [";".join(SCB_HEADERS) + ";", ";".join(map(str, scb_row("A"))), ""]
    lines.insert(2, "")  # a blank line inside: a row of empty cells
    lines.insert(3, ";".join(map(str, scb_row("B"))))
    path = tmp_path / "d.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert not [i for i in load(path, criteria).issues if i.code == "short-rows"]


def test_nul_bytes_are_refused(tmp_path: Path, criteria: Criteria) -> None:
    path = tmp_path / "d.csv"
    path.write_bytes(b"Kommun;Stadsdel\x00\n")
    with pytest.raises(InputFileError, match="NUL"):
        load(path, criteria)


# -- scale, rows and headers as people write them ----------------------------------------------


def percent_book(path: Path, values: list[float]) -> Path:
    """A workbook whose percent cells hold shares, as Excel's % format stores them."""
    rows = [SCB_HEADERS] + [
        scb_row(f"D{i}", ff=v, lfs=0.06, gb=0.6, pop=5000) for i, v in enumerate(values)
    ]
    return write_xlsx(path, rows)


def test_shares_stored_as_fractions_are_converted_and_said(
    tmp_path: Path, criteria: Criteria
) -> None:
    table = load(percent_book(tmp_path / "d.xlsx", [0.442, 0.53]), criteria)
    assert table.frame["forvarvsfrekvens"].tolist() == [44.2, 53.0]
    assert table.frame["langvarigt_forsorjningsstod"].tolist() == [6.0, 6.0]
    converted = [i for i in table.issues if i.code == "fractions-converted"]
    assert len(converted) == 3
    assert "Förvärvsfrekvens" in converted[0].message


def test_percent_scale_option_says_which(tmp_path: Path, criteria: Criteria) -> None:
    path = percent_book(tmp_path / "d.xlsx", [0.442, 0.53])
    as_percent = load(path, criteria, percent_scale="percent")
    assert as_percent.frame["forvarvsfrekvens"].tolist() == [0.442, 0.53]
    assert not as_percent.issues


def test_fractions_that_cannot_be_told_apart_stop(tmp_path: Path, criteria: Criteria) -> None:
    rows = [SCB_HEADERS, scb_row("A", lfs=0), scb_row("B", lfs=1)]
    path = write_xlsx(tmp_path / "d.xlsx", rows)
    with pytest.raises(ValueOutOfRangeError, match="are they shares") as caught:
        load(path, criteria)
    assert caught.value.hint is not None
    assert "--percent-scale" in caught.value.hint


def test_small_percentages_headed_percent_stay(tmp_path: Path, criteria: Criteria) -> None:
    """Well-off areas: long-term assistance below 1 %, beside clear percentages."""
    headers = [f"{h} (%)" if i in (3, 4, 5) else h for i, h in enumerate(SCB_HEADERS)]
    rows = [headers, scb_row("A", lfs="0,4"), scb_row("B", lfs="0,9")]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["langvarigt_forsorjningsstod"].tolist() == [0.4, 0.9]
    assert not table.issues


def test_every_percent_column_as_shares_even_headed_percent(
    tmp_path: Path, criteria: Criteria
) -> None:
    headers = [f"{h} (%)" if i in (3, 4, 5) else h for i, h in enumerate(SCB_HEADERS)]
    rows = [headers, scb_row("A", ff=0.45, lfs=0.06, gb=0.6)]
    table = load(write_xlsx(tmp_path / "d.xlsx", rows), criteria)
    assert table.frame.loc[0, ["forvarvsfrekvens", "langvarigt_forsorjningsstod"]].tolist() == [
        45.0,
        6.0,
    ]


def test_fraction_option_names_itself_when_it_overflows(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A", ff="42,1")])
    with pytest.raises(ValueOutOfRangeError, match="once multiplied by 100") as caught:
        load(path, criteria, percent_scale="fraction")
    assert caught.value.hint == (
        "the values were multiplied by 100 as shares: try --percent-scale percent"
    )


def test_a_percent_sign_proves_percentages(tmp_path: Path, criteria: Criteria) -> None:
    rows = [SCB_HEADERS, scb_row("A", lfs="0,5 %"), scb_row("B", lfs="0,8%")]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert table.frame["langvarigt_forsorjningsstod"].tolist() == [0.5, 0.8]


def test_qualified_headers_are_other_columns(tmp_path: Path, criteria: Criteria) -> None:
    headers = [*SCB_HEADERS]
    headers[3] = "Förvärvsfrekvens (kvinnor)"
    with pytest.raises(MissingColumnError):
        load(write_csv(tmp_path / "d.csv", [headers, scb_row("A")]), criteria)
    headers[3] = "Förvärvs-frekvens (20-64 år)"
    headers[6] = "Folk mängd"
    table = load(write_csv(tmp_path / "e.csv", [headers, scb_row("A")]), criteria)
    assert table.headers["forvarvsfrekvens"] == "Förvärvs-frekvens (20-64 år)"


def test_named_row_without_values_is_an_unknown_area(tmp_path: Path, criteria: Criteria) -> None:
    rows = [
        SCB_HEADERS,
        scb_row("A"),
        ["1480", "Göteborg", "B", None, None, None, None],
        scb_row("C"),
        ["1480", "Göteborg", "D", "..", "", None, None],
        [],
        ["Källa: SCB", "illustrativa värden"],
    ]
    table = load(write_xlsx(tmp_path / "d.xlsx", rows), criteria)
    assert table.frame["name"].tolist() == ["A", "B", "C", "D"]
    assert table.frame.loc[1, ["forvarvsfrekvens", "folkmangd"]].isna().all()
    skipped = [i for i in table.issues if i.code == "skipped-rows"]
    assert "rows 7" in skipped[0].message


def test_note_directly_under_the_table(tmp_path: Path, criteria: Criteria) -> None:
    rows = [SCB_HEADERS, scb_row("A"), ["Anm. Värdena är illustrativa"]]
    table = load(write_xlsx(tmp_path / "d.xlsx", rows), criteria)
    assert table.frame["name"].tolist() == ["A"]


def test_values_without_a_name_are_skipped_and_said(tmp_path: Path, criteria: Criteria) -> None:
    rows = [SCB_HEADERS, scb_row("A"), ["", "", "", 45, 6, 60, 5000]]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert len(table) == 1
    assert "rows 3" in table.issues[0].message


def test_total_rows_are_flagged(tmp_path: Path, criteria: Criteria) -> None:
    rows = [SCB_HEADERS, scb_row("A"), scb_row("Totalt")]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert [i.code for i in table.issues] == ["total-row"]


def test_csv_rows_count_title_and_blank_lines(tmp_path: Path, criteria: Criteria) -> None:
    text = "Titel\n\n" + ";".join(SCB_HEADERS) + "\n" + ";".join(map(str, scb_row("A")))
    text += "\n\n" + ";".join(map(str, scb_row("B", gb="x"))) + "\n"
    path = tmp_path / "d.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(NonNumericValueError) as caught:
        load(path, criteria)
    assert caught.value.location.row == 6


def test_merged_title_cells_above_the_header(tmp_path: Path, criteria: Criteria) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Tabell 3. Indikatorer för stadsdelar, 2012"])
    sheet.merge_cells("A1:G1")
    sheet.append(["Källa: SCB"])
    sheet.merge_cells("A2:G2")
    sheet.append(SCB_HEADERS)
    sheet.append(scb_row("Bergsjön", ff="42,1", pop="14 500"))
    path = tmp_path / "d.xlsx"
    workbook.save(path)
    table = load(path, criteria)
    assert table.source.header_row == 3
    assert table.frame.loc[0, "forvarvsfrekvens"] == 42.1
    assert table.frame.loc[0, "folkmangd"] == 14500


def test_numeric_ids_are_warned_about(tmp_path: Path, criteria: Criteria) -> None:
    path = write_xlsx(tmp_path / "d.xlsx", [["Id", *SCB_HEADERS], [114, *scb_row("A")]])
    table = load(path, criteria)
    assert table.frame.loc[0, "id"] == "114"
    assert "numeric-ids" in [issue.code for issue in table.issues]


def test_a_scheme_names_its_own_id_and_name_columns(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "criteria.toml").read_text(encoding="utf-8")
    text = text.replace(
        'rule = "all"\n', 'rule = "all"\nid_columns = ["Tract"]\nname_columns = ["Navn"]\n'
    )
    criteria_path = tmp_path / "c.toml"
    criteria_path.write_text(text, encoding="utf-8")
    criteria = urbanscreen.load_criteria(criteria_path)
    rows = [["Tract", "Navn", *SCB_HEADERS[3:]], ["T1", "Nord", 45, 6, 60, 5000]]
    table = load(write_csv(tmp_path / "d.csv", rows), criteria)
    assert (table.frame.loc[0, "id"], table.frame.loc[0, "name"]) == ("T1", "Nord")


def test_blank_cells_are_told_alike_in_arrow_and_python_text() -> None:
    # A CSV column (Arrow text) and a workbook column (Python objects) take different
    # paths; every kind of whitespace Python knows must be blank in both.
    from urbanscreen.blanks import filled_cells

    spaces = [chr(c) for c in range(0x110000) if chr(c).isspace()]
    cells = [*spaces, "".join(spaces), "", "x", " x ", "\u200b", "\ufeff", None]
    arrow = filled_cells(pd.Series(cells, dtype="str"))
    python = filled_cells(pd.Series(cells, dtype=object))
    assert arrow.tolist() == python.tolist()
    assert arrow.tolist()[-5:] == [True, True, True, True, False]
