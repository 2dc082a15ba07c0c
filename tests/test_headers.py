from __future__ import annotations

import pytest

from urbanscreen.headers import (
    AmbiguousHeaders,
    closest_header,
    match_columns,
    normalise_header,
)


@pytest.mark.parametrize(
    "header",
    [
        "Förvärvsfrekvens",
        "forvarvsfrekvens",
        " FÖRVÄRVSFREKVENS ",
        "Förvärvsfrekvens (%)",
        "Förvärvsfrekvens, procent",
        "Förvärvsfrekvens %",
        "Förvärvsfrekvens  (procent)",
        "förvärvsfrekvens:",
    ],
)
def test_headers_compare_without_case_accents_spaces_or_units(header: str) -> None:
    assert normalise_header(header) == "forvarvsfrekvens"


def test_separators_fold_together() -> None:
    assert normalise_header("long_term-social  assistance") == "long term social assistance"


def test_a_bare_unit_header_keeps_its_text() -> None:
    assert normalise_header("%") == "%"


def test_earliest_alias_wins() -> None:
    roles = {"rate": ["Långvarigt försörjningsstöd", "försörjningsstöd"]}
    found = match_columns(["Försörjningsstöd", "Långvarigt försörjningsstöd (%)"], roles)
    assert found["rate"].index == 1
    assert found["rate"].header == "Långvarigt försörjningsstöd (%)"


def test_two_columns_for_one_role_are_ambiguous() -> None:
    with pytest.raises(AmbiguousHeaders) as caught:
        match_columns(["Kommun", "kommun "], {"municipality": ["kommun"]})
    assert caught.value.headers == ["Kommun", "kommun "]


def test_empty_headers_match_nothing() -> None:
    assert match_columns([None, "", "  "], {"id": ["id"]}) == {}


def test_closest_header_suggests_a_near_miss() -> None:
    assert closest_header(["Förvärvsfrekvens"], ["Kommun", "Forvarvsfrekv"]) == "Forvarvsfrekv"
    assert closest_header(["Förvärvsfrekvens"], ["Kommun", "Namn"]) is None
