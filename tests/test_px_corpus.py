"""Every real PC-Axis file in tests/data/px screens, or is refused with a message that
says what to choose; values are checked against the files by hand."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from urbanscreen.cli import app

from .px_corpus import criteria_for, hinted_where, screen_file

PX = Path(__file__).parent / "data" / "px"
FILES = sorted(PX.glob("*.px"))
# What each file must give: 0 screened, or 2 and the error code.
EXPECTED = {
    "BE0101N1.px": (0, None),
    "BE0101A1hierpiv.px": (0, None),
    "BE0101F1symbnot.px": (2, "unresolved-breakdown"),
    "BE0101F1datasymbols.px": (2, "unresolved-breakdown"),
    "BE0101F1nilSymbol.px": (2, "unresolved-breakdown"),
    "BE0101F1nildotsymbols.px": (2, "unresolved-breakdown"),
    "BE0101F1pnosymbol.px": (2, "unresolved-breakdown"),
    "BE0101A1proc.px": (2, "unresolved-breakdown"),
    "BE0101A1procproc.px": (2, "unresolved-breakdown"),
    "officialstatistics.px": (2, "unresolved-breakdown"),
    "BE0101F1ensvdescdefault.px": (2, "unresolved-breakdown"),
    "BE0101F1errorContvariable.px": (2, "unresolved-breakdown"),
    "BE0101A1elimtot.px": (2, "missing-column"),
    "HA0201E8.px": (2, "missing-column"),
    "PR0101B3.px": (2, "missing-column"),
    "BE0101F1allKeywords.px": (2, "missing-column"),
    "BE0101F1missingData.px": (2, "unreadable-file"),
    "BE0101F1symbnotkeys.px": (2, "unresolved-breakdown"),
}


def test_every_file_has_an_expectation() -> None:
    assert sorted(p.name for p in FILES) == sorted(EXPECTED)


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_screens_or_says_what_to_choose(path: Path, tmp_path: Path) -> None:
    outcome = screen_file(path, tmp_path)
    assert outcome.exit_code in (0, 2), outcome.message
    assert "Traceback" not in outcome.message
    code, kind = EXPECTED[path.name]
    assert outcome.exit_code == code, outcome.message
    if kind is None:
        return
    assert f"[{kind}]" in outcome.message
    # One or two lines: the message, and its hint.
    assert len(outcome.message.strip().splitlines()) <= 2
    # No column or row the file does not have: its flat rows are ours.
    for ours in ("'tabellinnehåll'", "'värde'", ", row "):
        assert ours not in outcome.message
    if kind == "unresolved-breakdown":
        # The --where the message shows is one that screens the file.
        picks = hinted_where(outcome.message)
        assert picks
        extra = [part for pick in picks for part in ("--where", pick)]
        assert screen_file(path, tmp_path, *extra).exit_code == 0


def _districts(path: Path, tmp_path: Path, *extra: str) -> dict[str, dict[str, object]]:
    criteria = tmp_path / "c.toml"
    criteria.write_text(criteria_for(path), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["check", str(path), "-c", str(criteria), "-f", "json", *extra]
    )
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    return {
        d["id"]: {c["id"]: c["value"] for c in d["criteria"]} | {"input": document["input"]}
        for d in document["districts"]
    }


def test_population_by_region_and_sex(tmp_path: Path) -> None:
    districts = _districts(PX / "BE0101N1.px", tmp_path)
    # 2008, the latest year; Stockholm county: men 977 799 + women 1 003 464.
    assert districts["01"]["c1"] == 977_799 + 1_003_464
    # Västra Götaland (14): 776 477 + 781 653.
    assert districts["14"]["c1"] == 776_477 + 781_653


def test_contvariable_and_missing_symbols(tmp_path: Path) -> None:
    districts = _districts(PX / "BE0101F1symbnot.px", tmp_path, "--where", "age=20")
    # Criteria c1 = Inmigrated, c2 = Outmigrated (CONTVARIABLE "type"), men + women.
    # Row "0114, age 20": 14 38 22 43.
    assert districts["0114"]["c1"] == 14 + 38
    assert districts["0114"]["c2"] == 22 + 43
    # Sweden, age 20: 456 "." 223 327: the women's immigrants are missing.
    assert districts["00"]["c1"] is None
    assert districts["00"]["c2"] == 223 + 327
    assert districts["00"]["input"]["where"] == {"age": "20"}


@pytest.mark.parametrize(("age", "row"), [("21", "771 ....."), ("22", "924 ......")])
def test_five_and_six_dots_are_missing(tmp_path: Path, age: str, row: str) -> None:
    districts = _districts(PX / "BE0101F1datasymbols.px", tmp_path, "--where", f"age={age}")
    # Stockholm county's row for this age is "{row}": the women's figure is missing,
    # so the total is unknown, not the men's figure alone.
    assert districts["01"]["c1"] is None, row
    # 0115 Vallentuna, ages 20, 21, 22: "17 20", "13 21", "20 23".
    assert districts["0115"]["c1"] == {"21": 13 + 21, "22": 20 + 23}[age]


def test_counts_are_summed_where_the_file_allows_it(tmp_path: Path) -> None:
    """Marital status has ELIMINATION=YES, and Population is a count: summed, and said."""
    path = PX / "BE0101A1hierpiv.px"
    districts = _districts(path, tmp_path)
    breakdowns = districts["01"]["input"]["breakdowns"]
    assert breakdowns == [{"dimension": "marital status", "resolved": "sum", "value": None}]
    assert districts["01"]["c1"] == _hand_sum(path, region="01", year="2004")


def _hand_sum(path: Path, region: str, year: str) -> float:
    """Men and women, every marital status, from the DATA matrix: STUB sex x region,
    HEADING period x marital status (4 statuses, fastest)."""
    from urbanscreen.pcaxis import decode_px, parse_px

    px = parse_px(decode_px(path.read_bytes())[0])
    regions = px.values["region"]
    periods = px.values["period"]
    statuses = len(px.values["marital status"])
    width = len(periods) * statuses
    total = 0.0
    row_of_region = next(i for i, label in enumerate(regions) if label.startswith(region + " "))
    for sex in range(len(px.values["sex"])):
        row = sex * len(regions) + row_of_region
        start = row * width + periods.index(year) * statuses
        total += sum(float(cell) for cell in px.data[start : start + statuses])
    return total
