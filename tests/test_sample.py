"""The bundled sample tells the 2012 story: 15 qualify, six of them in Västra Götaland."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

import urbanscreen

from .conftest import SAMPLE

QUALIFIED_2012 = {
    ("Borås", "Hässleholmen"),
    ("Göteborg", "Bergsjön"),
    ("Göteborg", "Gårdsten"),
    ("Göteborg", "Hjällbo"),
    ("Göteborg", "Norra Biskopsgården"),
    ("Kristianstad", "Gamlegården"),
    ("Landskrona", "Centrum-Öster"),
    ("Malmö", "Herrgården"),
    ("Malmö", "Södra Sofielund/Seved"),
    ("Stockholm", "Rinkeby"),
    ("Stockholm", "Tensta"),
    ("Södertälje", "Hovsjö"),
    ("Södertälje", "Ronna"),
    ("Trollhättan", "Kronogården"),
    ("Växjö", "Araby"),
}
VASTRA_GOTALAND = {
    "Hässleholmen",
    "Bergsjön",
    "Hjällbo",
    "Norra Biskopsgården",
    "Gårdsten",
    "Kronogården",
}


@pytest.fixture(params=["districts.xlsx", "districts.csv"])
def result(request: pytest.FixtureRequest, criteria: urbanscreen.Criteria) -> urbanscreen.Result:
    table = urbanscreen.load_table(SAMPLE / request.param, criteria)
    return urbanscreen.screen(table, criteria)


def test_the_fifteen_qualify(result: urbanscreen.Result) -> None:
    qualifying = {(d.municipality, d.name) for d in result.districts() if d.qualifies}
    assert qualifying == QUALIFIED_2012
    assert result.summary.districts == 27
    assert result.summary.unknown == 0


def test_vastra_gotaland_is_exactly_the_six(result: urbanscreen.Result) -> None:
    vg = set(
        result.table.frame.loc[
            result.table.frame["municipality"].isin(["Göteborg", "Borås", "Trollhättan"]), "name"
        ]
    )
    qualifying = {d.name for d in result.districts() if d.qualifies and d.name in vg}
    assert qualifying == VASTRA_GOTALAND


def test_each_non_qualifier_fails_for_its_own_reason(result: urbanscreen.Result) -> None:
    failed = {
        d.name: tuple(sorted(c.criterion.id for c in d.checks if c.met is False))
        for d in result.districts()
        if d.qualifies is False
    }
    # A reason is the set of failed criteria, and whether a value sits exactly on its threshold.
    reasons = {
        (failed[d.name], any(c.margin == 0 for c in d.checks if c.met is False))
        for d in result.districts()
        if d.qualifies is False
    }
    assert len(failed) == 12
    assert len(reasons) == 12, "each fails for its own reason"
    assert failed["Husby"] == ("forvarvsfrekvens",)  # exactly 52.0
    assert failed["Fittja"] == ("langvarigt_forsorjningsstod",)  # exactly 4.8
    assert failed["Gottsunda"] == ("gymnasiebehorighet",)  # exactly 70.0
    assert failed["Vivalla"] == ("folkmangd",)  # 3 999
    assert any(len(reasons) == 2 for reasons in failed.values())


def test_inclusive_population_boundary_qualifies(result: urbanscreen.Result) -> None:
    landskrona = next(d for d in result.districts() if d.name == "Centrum-Öster")
    population = landskrona.checks[-1]
    assert (population.value, population.met, population.margin) == (4000, True, 0)


def test_sample_says_its_values_are_illustrative() -> None:
    workbook = load_workbook(SAMPLE / "districts.xlsx", read_only=True)
    notes = [
        str(c) for sheet in workbook for row in sheet.iter_rows(values_only=True) for c in row if c
    ]
    assert any("Illustrativ" in note and "not SCB's figures" in note for note in notes)
    readme = (SAMPLE / "README.md").read_text(encoding="utf-8")
    assert "illustrative" in readme.lower()
