"""One pipeline for check and diff: load, build districts where asked, screen; and the CI
policy that decides exit 1, in the library."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

import urbanscreen
from urbanscreen.cli import app
from urbanscreen.compare import baseline_failure, compare, result_failure, snapshot_of_result
from urbanscreen.pipeline import LoadOptions, screen_source

from .conftest import DATA, SAMPLE, SCB_HEADERS, scb_row, write_csv

DESO = SAMPLE / "deso-goteborg.csv"
DEFINITION = SAMPLE / "districts-goteborg.toml"
YEARS = DATA / "pxweb_years_as_columns.csv"


def more_employed_in_lovgardet(tmp_path: Path) -> Path:
    """Lövgärdet's förvärvsfrekvens from (900 + 700 + 20) / 3 000 = 54.0 % to
    (700 + 700 + 20) / 3 000 = 47.3 %: under 52, so it enters."""
    text = DESO.read_text(encoding="utf-8")
    changed = tmp_path / "deso-next.csv"
    changed.write_text(text.replace("1480C3210;2700;1600;900;", "1480C3210;2700;1600;700;"))
    return changed


def test_diff_builds_districts_like_check(tmp_path: Path) -> None:
    new = more_employed_in_lovgardet(tmp_path)
    printed = CliRunner().invoke(app, ["diff", str(DESO), str(new), "--districts", str(DEFINITION)])
    assert printed.exit_code == 1, printed.stderr
    assert (
        "Lövgärdet (1480-lovgardet), Göteborg: does not qualify -> qualifies; "
        "Förvärvsfrekvens 54 -> 47.3333 (not met -> met)"
    ) in printed.stdout


def test_diff_takes_year_and_population_floor() -> None:
    runner = CliRunner()
    same = runner.invoke(
        app, ["diff", str(YEARS), str(YEARS), "--year", "2011", "--population-floor", "50"]
    )
    assert same.exit_code == 0, same.stderr
    missing = runner.invoke(app, ["diff", str(YEARS), str(YEARS), "--year", "1900"])
    assert missing.exit_code == 2
    assert "has no year 1900" in missing.stderr


def test_one_pipeline_for_files_frames_and_districts(criteria: urbanscreen.Criteria) -> None:
    built = screen_source(DESO, criteria, LoadOptions(districts=DEFINITION), population_floor=6000)
    # Lövgärdet: 2 700 + 2 200 + 180 = 5 080 residents, at most the floor of 6 000.
    lovgardet = next(d for d in built.districts() if d.name == "Lövgärdet")
    assert (lovgardet.qualifies, lovgardet.uncertain) == (False, True)
    assert built.population_floor == 6000
    by_year = screen_source(YEARS, criteria, LoadOptions(year=2011))
    assert by_year.table.year == 2011


def result_of(tmp_path: Path, name: str, *rows: list[object]) -> urbanscreen.Result:
    criteria = urbanscreen.load_criteria("scb-2012")
    return screen_source(write_csv(tmp_path / name, [SCB_HEADERS, *rows]), criteria)


def test_the_ci_policy_names_what_fails(tmp_path: Path) -> None:
    base = result_of(tmp_path, "a.csv", scb_row("Alfa"), scb_row("Beta", ff=60, lfs=7))
    flipped = result_of(tmp_path, "b.csv", scb_row("Alfa"), scb_row("Beta", ff=60, lfs=3))
    left = result_of(tmp_path, "c.csv", scb_row("Alfa", ff=60), scb_row("Beta", ff=60, lfs=7))
    before = snapshot_of_result(base)
    quiet = compare(before, snapshot_of_result(flipped))
    # Beta's långvarigt försörjningsstöd flipped (7 > 4.8 met, 3 not); its answer stayed no.
    assert baseline_failure(quiet, "base.json") is None
    assert baseline_failure(quiet, "base.json", any_change=True) == (
        "--fail-on changed: 1 district(s) differ from the baseline base.json (undecided "
        "before or now, a criterion flipped, or added to or removed from the data)"
    )
    assert baseline_failure(compare(before, snapshot_of_result(left)), "base.json") == (
        "the qualifying set differs from the baseline base.json"
    )
    unknown = result_of(tmp_path, "d.csv", scb_row("Alfa", ff=".."))
    assert result_failure(unknown) is None
    assert result_failure(unknown, on_unknown=True) == (
        "--fail-on unknown: 1 area(s) cannot be decided"
    )


def test_diff_warns_in_the_language_lang_names() -> None:
    """--lang sv speaks Swedish on stderr in diff as in check (it was the locale's, English)."""
    runner = CliRunner()
    args = ["diff", str(DESO), str(DESO), "--districts", str(DEFINITION)]
    swedish = runner.invoke(app, [*args, "--lang", "sv"], env={"LANG": "en_US.UTF-8"})
    assert swedish.exit_code == 0, swedish.stderr
    assert "notering [areas-outside-districts]" in swedish.stderr
    assert "note [areas-outside-districts]" not in swedish.stderr
    english = runner.invoke(app, [*args, "--lang", "en"], env={"LANG": "sv_SE.UTF-8"})
    assert "note [areas-outside-districts]" in english.stderr


def test_diff_says_when_no_district_matches(tmp_path: Path) -> None:
    """A baseline of districts against the small areas they were built from: every id
    differs, so every district is 'added' or 'removed'; a note says why that may be."""
    runner = CliRunner()
    saved = runner.invoke(
        app, ["check", str(DESO), "--districts", str(DEFINITION), "--format", "json"]
    )
    baseline = tmp_path / "districts.json"
    baseline.write_text(saved.stdout, encoding="utf-8")
    printed = runner.invoke(app, ["diff", str(baseline), str(DESO)])
    assert printed.exit_code == 1, printed.stderr
    assert (
        "note: no district of the old release is in the new one: were both screened the same "
        "way (with or without --districts, ids from the same column)?"
    ) in printed.stdout
    swedish = runner.invoke(app, ["diff", str(baseline), str(DESO), "-f", "markdown"])
    assert "inget område i den gamla utgåvan finns i den nya" in swedish.stdout
    same = runner.invoke(app, ["diff", str(baseline), str(DESO), "--districts", str(DEFINITION)])
    assert same.exit_code == 0, same.stderr
    assert "no district of the old release" not in same.stdout
