"""Real download shapes: PxWeb and Kolada long tables, years, sexes, PC-Axis."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import urbanscreen
from urbanscreen.errors import (
    DuplicateIdError,
    InvalidValueError,
    MissingColumnError,
    OptionError,
)

from .conftest import DATA, SCB_HEADERS, scb_row, write_csv, write_xlsx

Criteria = urbanscreen.Criteria


OTHERS = [("Långvarigt försörjningsstöd", 6), ("Gymnasiebehörighet", 60), ("Folkmängd", 5000)]


def screened(path: Path, criteria: Criteria, **options: object) -> urbanscreen.Result:
    table = urbanscreen.load_table(path, criteria, **options)  # type: ignore[arg-type]
    return urbanscreen.screen(table, criteria)


def by_id(result: urbanscreen.Result) -> dict[str, object]:
    return {d.id: d for d in result.districts()}


def test_pxweb_years_as_columns_latin1_semicolon(criteria: Criteria) -> None:
    result = screened(DATA / "pxweb_years_as_columns.csv", criteria)
    table = result.table
    assert (table.layout, table.year, table.years) == ("long", 2012, (2011, 2012))
    assert table.source.encoding in {"cp1252", "latin-1"}
    districts = {d.id: d for d in result.districts()}
    assert set(districts) == {"1480R001", "1480R002", "1480R003"}
    assert districts["1480R002"].name == "Hjällbo"
    assert districts["1480R002"].municipality_code == "1480"
    assert [c.value for c in districts["1480R002"].checks] == [39.0, 14.0, 50.0, 7350]
    # '..' in the chosen year is unknown, never zero: Bergsjön could still qualify.
    assert districts["1480R001"].checks[1].value is None
    assert districts["1480R001"].qualifies is None
    # Lövgärdet fails two criteria whatever its missing value is.
    assert districts["1480R003"].qualifies is False
    codes = [issue.code for issue in result.issues]
    assert "year-chosen" in codes
    assert "unused-indicators" in codes  # Medelinkomst


def test_year_option_picks_another_year(criteria: Criteria) -> None:
    result = screened(DATA / "pxweb_years_as_columns.csv", criteria, year=2011)
    districts = {d.id: d for d in result.districts()}
    assert result.table.year == 2011
    assert districts["1480R001"].checks[1].value == 10.8
    assert districts["1480R001"].qualifies is True
    with pytest.raises(OptionError, match="has no year 2015"):
        screened(DATA / "pxweb_years_as_columns.csv", criteria, year=2015)


def test_year_as_a_column_with_bom_and_commas(criteria: Criteria) -> None:
    result = screened(DATA / "pxweb_year_column.csv", criteria)
    districts = {d.id: d for d in result.districts()}
    assert result.table.year == 2012
    assert districts["0180C1020"].name == "Husby"
    assert districts["0180C1020"].checks[0].value == 51.5
    assert districts["0180C1020"].qualifies is True
    assert screened(DATA / "pxweb_year_column.csv", criteria, year=2011).summary.qualifying == 1


def test_latest_year_is_one_every_indicator_has(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["region", "tabellinnehåll", "år", "värde"]]
    for year in (2011, 2012):
        rows += [
            ["1480 A", "Förvärvsfrekvens", year, 45],
            ["1480 A", "Gymnasiebehörighet", year, 60],
            ["1480 A", "Folkmängd", year, 5000],
        ]
    rows.append(["1480 A", "Långvarigt försörjningsstöd", 2011, 6])
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    result = screened(path, criteria)
    assert result.table.year == 2011
    asked = screened(path, criteria, year=2012)
    assert asked.summary.unknown == 1
    assert "year-lacks-indicator" in [issue.code for issue in asked.issues]


def test_no_common_year_asks_for_year(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["region", "tabellinnehåll", "år", "värde"]]
    rows += [["1480 A", name, 2011, 5] for name in ("Förvärvsfrekvens", "Gymnasiebehörighet")]
    rows += [
        ["1480 A", "Folkmängd", 2011, 5000],
        ["1480 A", "Långvarigt försörjningsstöd", 2012, 6],
    ]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    with pytest.raises(OptionError, match="no year has values for every criterion") as caught:
        screened(path, criteria)
    assert caught.value.hint is not None
    assert "--year" in caught.value.hint


def test_indicator_missing_from_long_table(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["område", "indikator", "värde"], ["A", "Förvärvsfrekvens", 45]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    with pytest.raises(MissingColumnError, match="no rows for criterion"):
        screened(path, criteria)


def test_two_values_for_one_area_and_year(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["område", "indikator", "år", "värde"]]
    rows += [["A", "Förvärvsfrekvens", 2012, 45], ["A", "Förvärvsfrekvens", 2012, 46]]
    rows += [["A", name, 2012, value] for name, value in OTHERS]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    with pytest.raises(DuplicateIdError, match="rows 2 and 3"):
        screened(path, criteria)


def test_sex_breakdown_screens_total_keeps_women_and_men(criteria: Criteria) -> None:
    result = screened(DATA / "kolada_by_sex.csv", criteria)
    assert result.table.by_sex
    bergsjon = next(d for d in result.districts() if d.name == "Bergsjön")
    employment = bergsjon.checks[0]
    assert (employment.value, employment.women, employment.men) == (43.0, 40.1, 46.0)
    assert employment.gap == pytest.approx(-5.9)
    assert bergsjon.qualifies is True


def test_small_population_is_flagged_uncertain(criteria: Criteria) -> None:
    result = screened(DATA / "kolada_by_sex.csv", criteria)
    flags = {d.name: d.uncertain for d in result.districts()}
    assert flags == {"Bergsjön": False, "Tynnered": True}
    assert "small-population" in [issue.code for issue in result.issues]
    table = urbanscreen.load_table(DATA / "kolada_by_sex.csv", criteria)
    lenient = urbanscreen.screen(table, criteria, population_floor=10)
    assert {d.name: d.uncertain for d in lenient.districts()}["Tynnered"] is False


def test_a_criterion_may_name_a_sex(tmp_path: Path) -> None:
    text = (Path(__file__).parent.parent / "criteria.toml").read_text(encoding="utf-8")
    text = text.replace('op = "<"\nthreshold = 52', 'op = "<"\nthreshold = 52\nsex = "women"')
    path = tmp_path / "women.toml"
    path.write_text(text, encoding="utf-8")
    criteria = urbanscreen.load_criteria(path)
    result = screened(DATA / "kolada_by_sex.csv", criteria)
    bergsjon = next(d for d in result.districts() if d.name == "Bergsjön")
    assert bergsjon.checks[0].value == 40.1


def test_unknown_sex_label_is_an_error(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["område", "indikator", "kön", "värde"], ["A", "Förvärvsfrekvens", "övriga", 45]]
    rows += [["A", name, "totalt", value] for name, value in OTHERS]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    with pytest.raises(InvalidValueError, match="not a sex") as caught:
        screened(path, criteria)
    assert caught.value.location.row == 2


def test_only_women_and_men_bound_the_total(tmp_path: Path, criteria: Criteria) -> None:
    """A total share lies between women's and men's; a count is their sum."""
    rows = [["område", "indikator", "kön", "värde"]]
    areas = {
        "Same side": {"Förvärvsfrekvens": (44, 48), "Långvarigt försörjningsstöd": (6, 7)},
        "Straddles": {"Förvärvsfrekvens": (49, 55), "Långvarigt försörjningsstöd": (6, 7)},
        "Fails anyway": {"Förvärvsfrekvens": (49, 55), "Långvarigt försörjningsstöd": (2, 3)},
    }
    for area, values in areas.items():
        for name, (women, men) in {**values, "Gymnasiebehörighet": (60, 62)}.items():
            rows += [[area, name, "kvinnor", women], [area, name, "män", men]]
        rows += [[area, "Folkmängd", "kvinnor", 2500], [area, "Folkmängd", "män", 2400]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    result = screened(path, criteria)
    districts = {d.id: d for d in result.districts()}
    assert districts["Same side"].qualifies is True
    assert districts["Same side"].checks[0].value is None
    assert (districts["Same side"].checks[0].low, districts["Same side"].checks[0].high) == (44, 48)
    assert districts["Same side"].checks[3].value == 4900  # 2 500 women + 2 400 men
    assert districts["Straddles"].qualifies is None
    assert districts["Fails anyway"].qualifies is False
    codes = {issue.code for issue in result.issues}
    assert {"totals-summed", "totals-bounded"} <= codes


def test_pc_axis_file(criteria: Criteria) -> None:
    result = screened(DATA / "scb_indicators.px", criteria)
    assert result.table.source.format == "px"
    assert result.table.source.encoding == "iso-8859-1"
    assert result.table.year == 2012
    districts = {d.id: d for d in result.districts()}
    assert districts["1480R003"].name == "Gårdsten"
    assert [c.value for c in districts["1480R003"].checks] == [41.0, 12.0, 53.0, 9180]
    assert districts["1480R001"].checks[1].value is None  # ".." in the PX data
    assert districts["1480R001"].qualifies is None


def test_region_labels_split_into_code_and_name(tmp_path: Path, criteria: Criteria) -> None:
    rows = [
        [
            "Region",
            "Förvärvsfrekvens",
            "Långvarigt försörjningsstöd",
            "Gymnasiebehörighet",
            "Folkmängd",
        ],
        ["2021R001 Vansbro (Vansbro västra landsbygd)", 45, 6, 60, 5000],
        ["0114A0010_DeSO2025", 45, 6, 60, 5000],
        ["1480 Göteborg", 45, 6, 60, 5000],
    ]
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    frame = table.frame
    assert frame["id"].tolist() == ["2021R001", "0114A0010_DeSO2025", "1480"]
    assert frame["name"].tolist() == ["Vansbro (Vansbro västra landsbygd)", None, "Göteborg"]
    assert frame["municipality_code"].tolist() == ["2021", "0114", "1480"]
    assert not math.isnan(frame["folkmangd"].iloc[0])


def test_pxweb_wide_with_years_in_the_headers(tmp_path: Path, criteria: Criteria) -> None:
    headers = ["region"] + [
        f"{name} {year}"
        for name in (
            "Förvärvsfrekvens",
            "Långvarigt försörjningsstöd",
            "Gymnasiebehörighet",
            "Folkmängd",
        )
        for year in (2011, 2012)
    ]
    rows = [headers, ["1480R001 Bergsjön", 50, 53, 10, 10, 58, 58, 14500, 14600]]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=";"), criteria)
    assert (result.table.layout, result.table.year) == ("wide-years", 2012)
    assert next(result.districts()).checks[0].value == 53
    assert (
        screened(write_csv(tmp_path / "e.csv", rows), criteria, year=2011).summary.qualifying == 1
    )


def test_pc_axis_without_contvariable(criteria: Criteria, tmp_path: Path) -> None:
    text = (
        (DATA / "scb_indicators.px").read_bytes().replace(b'CONTVARIABLE="tabell', b'NOTE="tabell')
    )
    path = tmp_path / "d.px"
    path.write_bytes(text)
    assert screened(path, criteria).summary.districts == 3


def test_blank_repeated_labels_are_filled_down(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["region", "tabellinnehåll", "år", "värde"]]
    for name, value in [("Förvärvsfrekvens", 45), *OTHERS]:
        rows.append(
            ["1480R001 Bergsjön" if name == "Förvärvsfrekvens" else None, name, 2012, value]
        )
    path = tmp_path / "d.xlsx"
    write_xlsx(path, rows)
    result = screened(path, criteria)
    assert [d.id for d in result.districts()] == ["1480R001"]
    assert result.summary.qualifying == 1
    assert "labels-filled-down" in [issue.code for issue in result.issues]


def test_kolada_table_of_municipalities(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["kpi", "kommun", "kommunkod", "kön", "år", "värde"]]
    for name, value in [("Förvärvsfrekvens", 49), *OTHERS]:
        rows.append([name, "Göteborg", "1480", "T", 2012, value])
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    district = next(result.districts())
    assert (district.id, district.name, district.qualifies) == ("1480", "Göteborg", True)


def test_rows_of_another_level_are_flagged(tmp_path: Path, criteria: Criteria) -> None:
    header = [
        "region",
        "Förvärvsfrekvens",
        "Långvarigt försörjningsstöd",
        "Gymnasiebehörighet",
        "Folkmängd",
    ]
    rows = [header, ["00 Riket", 77, 2, 88, 9_000_000], ["1480 Göteborg", 51, 5, 69, 520_000]]
    rows += [[f"1480R00{i} Område {i}", 45, 6, 60, 5000] for i in range(1, 4)]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=";"), criteria)
    issues = {issue.code: issue.message for issue in result.issues}
    assert "most areas are a RegSO area, but 2 row(s) are not" in issues["mixed-levels"]
    assert "'1480' (row 3)" in issues["mixed-levels"]
    assert "total-row" in issues


def test_thin_latest_year_is_said(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["område", "indikator", "år", "värde"]]
    for area in ("A", "B", "C"):
        for name, value in [("Förvärvsfrekvens", 45), *OTHERS]:
            rows.append([area, name, 2011, value])
            if area == "A" or name != "Förvärvsfrekvens":
                rows.append([area, name, 2012, value])
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    assert result.table.year == 2012
    thin = next(issue for issue in result.issues if issue.code == "thin-year")
    assert "only 1 of 3 areas; 2011 has more" in thin.message


def test_options_the_file_cannot_serve(tmp_path: Path, criteria: Criteria) -> None:
    path = write_csv(tmp_path / "d.csv", [SCB_HEADERS, scb_row("A")])
    with pytest.raises(OptionError, match="has no years"):
        screened(path, criteria, year=2012)
    text = (Path(__file__).parent.parent / "criteria.toml").read_text(encoding="utf-8")
    women = tmp_path / "w.toml"
    women.write_text(text.replace("threshold = 52", 'threshold = 52\nsex = "women"'), "utf-8")
    with pytest.raises(MissingColumnError, match="no sex breakdown"):
        screened(path, urbanscreen.load_criteria(women))


def test_an_explicit_unknown_total_is_not_bounded(tmp_path: Path, criteria: Criteria) -> None:
    rows = [["område", "indikator", "kön", "värde"]]
    rows += [
        ["A", "Förvärvsfrekvens", sex, v]
        for sex, v in (("totalt", ".."), ("kvinnor", 44), ("män", 46))
    ]
    rows += [["A", name, "totalt", value] for name, value in OTHERS]
    result = screened(write_csv(tmp_path / "d.csv", rows, separator=","), criteria)
    check = next(result.districts()).checks[0]
    assert (check.value, check.met, check.low) == (None, None, None)


def test_area_levels_and_municipality_codes_from_code_shapes() -> None:
    import pandas as pd

    from urbanscreen.area_ids import area_levels, municipality_codes

    ids = pd.Series(
        ["00", "01", "1480", "1480C1010", "1480c1010_deso2025", "0180R001", "14801", None],
        dtype=object,
    )
    levels = area_levels(ids)
    # By position; "14801" and the missing id have no code's length, and are left out.
    assert levels.to_dict() == {
        0: "the country",  # "00" is the country, although it has a county's two digits
        1: "a county",
        2: "a municipality",
        3: "a DeSO area",
        4: "a DeSO area",
        5: "a RegSO area",
    }
    codes = municipality_codes(ids).tolist()
    assert codes == [None, None, "1480", "1480", "1480", "0180", None, None]
