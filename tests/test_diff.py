"""Re-validating designations: diff, --baseline, exit codes, CI output, JSON Schemas."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator
from typer.testing import CliRunner

from urbanscreen.cli import app

from .conftest import DATA, ROOT, SAMPLE, SCB_HEADERS, scb_row, write_csv

SCHEMAS = ROOT / "schemas"
STORED = DATA / "result-v1.json"  # written by 0.1.0; later versions must read it


def validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def release(tmp_path: Path, name: str, changes: dict[str, str]) -> Path:
    """A copy of the sample CSV with some lines changed: the next year's release."""
    lines = (SAMPLE / "districts.csv").read_text(encoding="utf-8").splitlines()
    changed = []
    for line in lines:
        edited = line
        for old, new in changes.items():
            if edited.startswith(old):
                edited = new + edited[len(old) :]
        changed.append(edited)
    path = tmp_path / name
    path.write_text("\n".join(changed) + "\n", encoding="utf-8")
    return path


def next_year(tmp_path: Path) -> Path:
    """Husby enters (52.0 -> 51.0); Hjällbo leaves (14.5 -> 4.5); Ronna becomes unknown."""
    return release(
        tmp_path,
        "districts-next.csv",
        {
            "0180;Stockholm;Stockholms län;Husby;52,0": "0180;Stockholm;Stockholms län;Husby;51,0",
            "1480;Göteborg;Västra Götalands län;Hjällbo;38,7;14,5": (
                "1480;Göteborg;Västra Götalands län;Hjällbo;38,7;4,5"
            ),
            "0181;Södertälje;Stockholms län;Ronna;48,6;4,9": (
                "0181;Södertälje;Stockholms län;Ronna;48,6;.."
            ),
        },
    )


def damaged_copy(tmp_path: Path, damage: Any) -> Path:
    """The stored result, changed by ``damage(document)``, saved as broken.json."""
    document = json.loads(STORED.read_text(encoding="utf-8"))
    damage(document)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    return broken


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None) -> Any:
    return runner.invoke(app, list(args), env=env)


def test_diff_tells_the_story(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "diff", str(SAMPLE / "districts.csv"), str(next_year(tmp_path)))
    assert result.exit_code == 1
    out = result.stdout
    # Only the counts that happened: the line fits a terminal of 80 columns.
    assert "the qualifying set CHANGED: 1 entered, 1 left, 1 became unknown\n" in out
    assert "Husby, Stockholm: does not qualify -> qualifies; Förvärvsfrekvens 52 -> 51" in out
    assert "Hjällbo, Göteborg: qualifies -> does not qualify" in out
    assert "Ronna, Södertälje: qualifies -> unknown" in out


def test_diff_unchanged_exits_0(runner: CliRunner) -> None:
    result = run(runner, "diff", str(STORED), str(SAMPLE / "districts.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert "the qualifying set is unchanged\n" in result.stdout


def test_diff_error_exits_2(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "diff", str(STORED), str(tmp_path / "missing.csv"))
    assert result.exit_code == 2
    broken = tmp_path / "broken.json"
    broken.write_text("{}", encoding="utf-8")
    result = run(runner, "diff", str(broken), str(STORED))
    assert result.exit_code == 2
    assert "schema_version" in result.stderr


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (
            lambda d: d["districts"][0].pop("criteria"),
            "district '0180 Rinkeby' has no 'criteria'",
        ),
        (
            lambda d: d["districts"][2]["criteria"][0].update(value="abc"),
            "'value' of criterion 'forvarvsfrekvens' in district '0181 Hovsjö' is 'abc': "
            "Input should be a valid number",
        ),
        (lambda d: d["districts"].__setitem__(0, 7), "district number 1 is 7: should be"),
        (lambda d: d.pop("tool"), "the file has no 'tool'"),
        (
            # pydantic's path holds the union member it tried ('float'): no key of the file
            lambda d: d["criteria"]["criteria"][0].update(threshold={"of": "riket"}),
            "'threshold' of criterion 'forvarvsfrekvens' in criteria is {'of': 'riket'}",
        ),
        (
            lambda d: d["criteria"].update(rule={"at_least": 0}),
            "'rule' of criteria is {'at_least': 0}",
        ),
        (
            # the value shown cut short, not a whole table in one message
            lambda d: d.__setitem__("districts", {str(n): "x" * 100 for n in range(1000)}),
            "'districts' of the file is {'0': '" + "x" * 52 + "…: Input should be a valid list",
        ),
    ],
    ids=["missing", "wrong-type", "not-an-object", "top-level", "union", "rule", "long-value"],
)
def test_an_incomplete_result_is_named_where_a_reader_would_look(
    runner: CliRunner, tmp_path: Path, damage: Any, said: str
) -> None:
    """``district '0180 Rinkeby' has no 'criteria'``, not ``districts.0.criteria: Field
    required; 1 problem(s)``."""
    broken = damaged_copy(tmp_path, damage)
    result = run(runner, "diff", str(broken), str(STORED))
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert f"broken.json: is not a complete urbanscreen result: {said}" in message
    assert "problem(s)" not in message


@pytest.mark.parametrize(
    ("damage", "said"),
    [
        (
            lambda d: d["districts"][0].pop("criteria"),
            "är inte ett fullständigt urbanscreen-resultat: "
            "distriktet '0180 Rinkeby' saknar 'criteria'",
        ),
        (
            lambda d: d["districts"][2]["criteria"][0].update(value="abc"),
            "är inte ett fullständigt urbanscreen-resultat: 'value' i villkoret "
            "'forvarvsfrekvens' i distriktet '0181 Hovsjö' är 'abc': ska vara ett tal",
        ),
        (
            lambda d: [d["districts"][n].pop("criteria") for n in range(3)],
            "är inte ett fullständigt urbanscreen-resultat: "
            "distriktet '0180 Rinkeby' saknar 'criteria' (och 2 problem till)",
        ),
        (
            lambda d: d.pop("tool"),
            "är inte ett fullständigt urbanscreen-resultat: filen saknar 'tool'",
        ),
        (
            lambda d: d.update(schema_version=9),
            "är inte ett urbanscreen-resultat som den här versionen kan läsa (schema_version 9)",
        ),
        (
            # a key of the file is quoted as the file's other names are, not a bare English word
            lambda d: d["criteria"]["criteria"][1].pop("label"),
            "är inte ett fullständigt urbanscreen-resultat: "
            "villkoret 'langvarigt_forsorjningsstod' i 'criteria' saknar 'label'",
        ),
        (
            lambda d: d["summary"].pop("unknown"),
            "är inte ett fullständigt urbanscreen-resultat: 'summary' saknar 'unknown'",
        ),
        (
            lambda d: d["input"].update(years=["i år"]),
            "är inte ett fullständigt urbanscreen-resultat: "
            "'years' nummer 1 i 'input' är 'i år': ska vara ett heltal",
        ),
    ],
    ids=["missing", "wrong-type", "several", "top-level", "version", "in-key", "key", "item"],
)
def test_a_broken_result_is_refused_in_the_run_s_language(
    runner: CliRunner, tmp_path: Path, damage: Any, said: str
) -> None:
    # The same refusal in Swedish, framed in Swedish: no English line in a Swedish run.
    broken = damaged_copy(tmp_path, damage)
    result = run(runner, "diff", str(broken), str(STORED), "--lang", "sv")
    assert result.exit_code == 2
    message = " ".join(result.stderr.split())
    assert "fel [unreadable-file]: " in message
    assert f"broken.json: {said}" in message
    assert "tips: spara resultat med `urbanscreen check FIL --format json > resultat.json`" in (
        message
    )


def test_an_infinite_whole_number_is_said_to_be_no_finite_number_in_either_language(
    runner: CliRunner, tmp_path: Path
) -> None:
    # JSON's 1e400 is read as infinity; pydantic says "a finite number", so must Swedish.
    document = json.loads(STORED.read_text(encoding="utf-8"))
    document["summary"]["unknown"] = "INFINITY"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document).replace('"INFINITY"', "1e400"), encoding="utf-8")
    english = run(runner, "diff", str(broken), str(STORED), "--lang", "en")
    assert "'unknown' of summary is inf: Input should be a finite number" in " ".join(
        english.stderr.split()
    )
    swedish = run(runner, "diff", str(broken), str(STORED), "--lang", "sv")
    assert "'unknown' i 'summary' är inf: ska vara ett ändligt tal" in " ".join(
        swedish.stderr.split()
    )


def test_a_result_with_a_district_twice_is_refused_not_read_as_one(
    runner: CliRunner, tmp_path: Path
) -> None:
    # The second used to replace the first: one district fewer, said as a change.
    broken = damaged_copy(tmp_path, lambda d: d["districts"][2].update(id=d["districts"][0]["id"]))
    english = run(runner, "diff", str(broken), str(STORED), "--lang", "en")
    assert english.exit_code == 2
    said = " ".join(english.stderr.split())
    assert "broken.json: has district '0180 Rinkeby' twice (number 1 and number 3)" in said
    swedish = run(runner, "diff", str(broken), str(STORED), "--lang", "sv")
    assert swedish.exit_code == 2
    said = " ".join(swedish.stderr.split())
    assert "broken.json: har distriktet '0180 Rinkeby' två gånger (nummer 1 och nummer 3)" in said
    assert "tips: spara resultat med" in said


def test_of_one_more_problem_the_count_is_said_in_the_singular(
    runner: CliRunner, tmp_path: Path
) -> None:
    broken = damaged_copy(tmp_path, lambda d: [d["districts"][n].pop("criteria") for n in range(2)])
    result = run(runner, "diff", str(broken), str(STORED))
    assert "has no 'criteria' (and 1 more problem)" in " ".join(result.stderr.split())


def test_a_result_nested_thousands_deep_is_not_json_not_a_crash(
    runner: CliRunner, tmp_path: Path
) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000 + "]" * 100_000, encoding="utf-8")
    result = run(runner, "diff", str(deep), str(STORED))
    assert result.exit_code == 2
    assert "deep.json: is not a JSON result" in " ".join(result.stderr.split())


@pytest.mark.parametrize(
    ("content", "english", "swedish"),
    [
        (
            b"",
            "is not a JSON result: Expecting value: line 1 column 1 (char 0)",
            "är inte ett JSON-resultat: ogiltig JSON på rad 1, kolumn 1 (tecken 0)",
        ),
        (
            b'{"schema_version": 1,\n "tool": {"na',
            "is not a JSON result: Unterminated string starting at: line 2 column 11 (char 32)",
            "är inte ett JSON-resultat: ogiltig JSON på rad 2, kolumn 11 (tecken 32)",
        ),
        (
            b'{"schema_version": 1, "x": "\xff"}',
            "is not a JSON result: 'utf-8' codec can't decode byte 0xff in position 28: "
            "invalid start byte",
            "är inte ett JSON-resultat: texten är inte UTF-8",
        ),
        (
            b"[" * 100_000 + b"]" * 100_000,
            "is not a JSON result: maximum recursion depth exceeded",
            "är inte ett JSON-resultat: listor eller objekt är nästlade för djupt",
        ),
    ],
    ids=["empty", "truncated", "not-utf8", "deep"],
)
def test_a_file_that_is_not_json_is_refused_whole_in_the_run_s_language(
    runner: CliRunner, tmp_path: Path, content: bytes, english: str, swedish: str
) -> None:
    # Python's reason stays in the English line; a Swedish line says where, not half English.
    broken = tmp_path / "broken.json"
    broken.write_bytes(content)
    english_run = run(runner, "diff", str(broken), str(STORED), "--lang", "en")
    assert english_run.exit_code == 2
    assert f"error [unreadable-file]: {broken}: {english}" in " ".join(english_run.stderr.split())
    swedish_run = run(runner, "diff", str(broken), str(STORED), "--lang", "sv")
    assert swedish_run.exit_code == 2
    said = " ".join(swedish_run.stderr.split())
    assert f"fel [unreadable-file]: {broken}: {swedish}" in said
    assert "tips: spara resultat med" in said


@pytest.mark.parametrize(
    ("version", "shown"),
    [
        ([1], "[1]"),
        ({"v": 1}, "{'v': 1}"),
        (True, "True"),
        # shown cut short, as a wrong value elsewhere in the file: not a thousand numbers
        (list(range(1000)), "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, …"),
    ],
)
def test_a_schema_version_that_is_no_number_is_refused_not_a_crash(
    runner: CliRunner, tmp_path: Path, version: Any, shown: str
) -> None:
    # A list or object used to end in "internal error (TypeError: unhashable type)", exit 3,
    # and true was read as version 1.
    broken = damaged_copy(tmp_path, lambda d: d.update(schema_version=version))
    for command in (
        ["diff", str(broken), str(STORED)],
        ["check", str(SAMPLE / "districts.csv"), "--baseline", str(broken)],
    ):
        result = run(runner, *command, "--lang", "en")
        assert result.exit_code == 2, result.stderr
        assert f"this version reads (schema_version {shown})" in " ".join(result.stderr.split())


def test_diff_json_matches_schema(runner: CliRunner, tmp_path: Path) -> None:
    result = run(runner, "diff", str(STORED), str(next_year(tmp_path)), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    validator("diff.schema.json").validate(document)
    assert [e["id"] for e in document["entered"]] == ["0180 Husby"]
    assert [e["id"] for e in document["left"]] == ["1480 Hjällbo"]
    assert [e["id"] for e in document["unknown"]] == ["0181 Ronna"]
    husby = document["entered"][0]
    assert husby["before"]["qualifies"] is False
    assert husby["after"]["qualifies"] is True
    assert husby["flipped"] == ["forvarvsfrekvens"]
    assert document["qualifying_set_changed"] is True


def test_added_and_removed_are_not_entering_or_leaving(runner: CliRunner, tmp_path: Path) -> None:
    renamed = release(
        tmp_path,
        "renamed.csv",
        {"1480;Göteborg;Västra Götalands län;Lövgärdet": "1480;Göteborg;VG;Angered"},
    )
    result = run(runner, "diff", str(STORED), str(renamed), "-f", "json")
    document = json.loads(result.stdout)
    assert [d["id"] for d in document["added"]] == ["1480 Angered"]
    assert [d["id"] for d in document["removed"]] == ["1480 Lövgärdet"]
    assert document["entered"] == document["left"] == []
    assert result.exit_code == 0  # neither of them qualifies


def test_vintage_suffixes_match(runner: CliRunner, tmp_path: Path) -> None:
    old = tmp_path / "old.csv"
    new = tmp_path / "new.csv"
    header = "DeSO;Förvärvsfrekvens;Långvarigt försörjningsstöd;Gymnasiebehörighet;Folkmängd\n"
    old.write_text(header + "0114A0010;45;6;60;5000\n", encoding="utf-8")
    new.write_text(header + "0114A0010_DeSO2025;53;6;60;5000\n", encoding="utf-8")
    result = run(runner, "diff", str(old), str(new))
    assert result.exit_code == 1
    assert "matched without it" in result.stdout
    assert "Left (no longer qualify):" in result.stdout


def test_near_threshold_is_reported(runner: CliRunner, tmp_path: Path) -> None:
    closer = release(
        tmp_path,
        "closer.csv",
        {"0780;Växjö;Kronobergs län;Araby;43,0": "0780;Växjö;Kronobergs län;Araby;50,9"},
    )
    result = run(runner, "diff", str(STORED), str(closer), "-f", "json", "--near", "0.05")
    near = json.loads(result.stdout)["near"]
    assert {"id": "0780 Araby", "criterion": "forvarvsfrekvens", "value": 50.9} in [
        {k: n[k] for k in ("id", "criterion", "value")} for n in near
    ]


def test_markdown_and_github_annotations(runner: CliRunner, tmp_path: Path) -> None:
    result = run(
        runner,
        "diff",
        str(STORED),
        str(next_year(tmp_path)),
        "-f",
        "markdown",
        "--lang",
        "en",
        env={"GITHUB_ACTIONS": "true"},
    )
    assert result.stdout.startswith("### ❌ the qualifying set CHANGED")
    assert "**Entered (now qualify)**" in result.stdout
    assert "::error title=Entered (now qualify)::Husby, Stockholm" in result.stderr
    plain = run(runner, "diff", str(STORED), str(next_year(tmp_path)), env={"GITHUB_ACTIONS": ""})
    assert "::error" not in plain.stderr


def test_markdown_in_the_schemes_language(runner: CliRunner, tmp_path: Path) -> None:
    """SCB's scheme is Swedish: the Markdown a pull request shows is Swedish, decimal
    commas included."""
    result = run(runner, "diff", str(STORED), str(next_year(tmp_path)), "-f", "markdown")
    headline = "### ❌ områdena som uppfyller villkoren har ÄNDRATS: 1 tillkom, 1 föll bort"
    assert result.stdout.startswith(headline)
    assert "**Tillkom (uppfyller nu villkoren)**" in result.stdout
    assert "Långvarigt försörjningsstöd 4,9 -> saknas (uppfyllt -> okänt)" in result.stdout
    for english in ("qualif", "entered", "missing", " met", "threshold", "Old:", "New:"):
        assert english not in result.stdout, english


def test_check_against_baseline(runner: CliRunner, tmp_path: Path) -> None:
    same = run(runner, "check", str(SAMPLE / "districts.xlsx"), "--baseline", str(STORED))
    assert same.exit_code == 0
    assert "the qualifying set is unchanged" in same.stderr
    changed = run(
        runner, "check", str(next_year(tmp_path)), "--baseline", str(STORED), "-f", "json"
    )
    assert changed.exit_code == 1
    json.loads(changed.stdout)  # stdout stays one JSON document
    assert "Husby, Stockholm: does not qualify -> qualifies" in changed.stderr
    assert "exit 1: the qualifying set differs from the baseline" in changed.stderr


def test_a_broken_baseline_is_refused_before_the_table_is_screened(
    runner: CliRunner, tmp_path: Path
) -> None:
    """A baseline that is not a complete result is said at once, exit 2: the table is not
    screened (a national table takes seconds) nor printed first."""
    broken = damaged_copy(tmp_path, lambda d: d["districts"][0].pop("qualifies"))
    table = tmp_path / "missing.csv"  # never read: the baseline is refused first
    result = run(runner, "check", str(table), "--baseline", str(broken), "--lang", "en")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "broken.json: is not a complete urbanscreen result" in result.stderr
    assert "missing.csv" not in result.stderr


def test_fail_on_changed_also_trips_on_flipped_criteria(runner: CliRunner, tmp_path: Path) -> None:
    """--baseline alone fails when the qualifying set differs; --fail-on changed also when
    a district's criteria flipped though its answer stayed."""
    base = tmp_path / "base.csv"
    write_csv(base, [SCB_HEADERS, scb_row("Alfa"), scb_row("Beta", ff=60, lfs=7)])
    saved = tmp_path / "base.json"
    saved.write_text(run(runner, "check", str(base), "-f", "json").stdout, encoding="utf-8")
    new = tmp_path / "new.csv"
    write_csv(new, [SCB_HEADERS, scb_row("Alfa"), scb_row("Beta", ff=60, lfs=3)])
    quiet = run(runner, "check", str(new), "--baseline", str(saved))
    assert quiet.exit_code == 0
    assert "Beta" in quiet.stderr  # listed as changed, not failed
    strict = run(runner, "check", str(new), "--baseline", str(saved), "--fail-on", "changed")
    assert strict.exit_code == 1
    assert "--fail-on changed: 1 district(s) differ from the baseline" in strict.stderr
    added = tmp_path / "added.csv"
    write_csv(
        added,
        [SCB_HEADERS, scb_row("Alfa"), scb_row("Beta", ff=60, lfs=7), scb_row("Gamma", ff=60)],
    )
    assert run(runner, "check", str(added), "--baseline", str(saved)).exit_code == 0
    with_added = run(runner, "check", str(added), "--baseline", str(saved), "--fail-on", "changed")
    assert with_added.exit_code == 1


def test_fail_on_changed_needs_a_baseline(runner: CliRunner) -> None:
    result = run(runner, "check", str(SAMPLE / "districts.csv"), "--fail-on", "changed")
    assert result.exit_code == 2
    assert "--baseline" in result.output


def test_stored_result_stays_readable(runner: CliRunner) -> None:
    """A result written by 0.1.0 must be read by every later version (schema_version 1)."""
    document = json.loads(STORED.read_text(encoding="utf-8"))
    assert document["schema_version"] == 1
    assert document["tool"]["version"] == "0.1.0"
    validator("result.schema.json").validate(document)
    assert run(runner, "diff", str(STORED), str(STORED)).exit_code == 0


@pytest.mark.parametrize(
    "path",
    [
        SAMPLE / "districts.xlsx",
        DATA / "pxweb_latin1.csv",
        DATA / "kolada_by_sex.csv",
        DATA / "scb_indicators.px",
        DATA / "pxweb_years_as_columns.csv",
        DATA / "leading_zeros.xlsx",
        DATA / "boundaries.csv",
        (DATA / "dk_areas.csv", "dk-2021"),
        (DATA / "nmtc_tracts.xlsx", "us-nmtc-2020"),
        (DATA / "se_deso.csv", "se-omradestyper"),
    ],
    ids=lambda p: p[0].name if isinstance(p, tuple) else p.name,
)
def test_every_check_json_matches_the_schema(
    runner: CliRunner, path: Path | tuple[Path, str]
) -> None:
    file, preset = path if isinstance(path, tuple) else (path, "scb-2012")
    result = run(runner, "check", str(file), "--format", "json", "-c", preset)
    assert result.exit_code == 0, result.stderr
    validator("result.schema.json").validate(json.loads(result.stdout))


def test_one_district_twice_by_vintage_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    header = "DeSO;Förvärvsfrekvens;Långvarigt försörjningsstöd;Gymnasiebehörighet;Folkmängd\n"
    old = tmp_path / "old.csv"
    new = tmp_path / "new.csv"
    old.write_text(header + "0114A0010;45;6;60;5000\n", encoding="utf-8")
    new.write_text(header + "0114A0010;45;6;60;5000\n0114A0010_DeSO2025;55;6;60;5000\n", "utf-8")
    result = run(runner, "diff", str(old), str(new))
    assert result.exit_code == 2
    assert "'0114A0010' and '0114A0010_DeSO2025'" in result.stderr


def test_one_district_twice_by_vintage_in_a_saved_result_names_that_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    # The saved result is the file the user gave: not the table it names inside.
    header = "DeSO;Förvärvsfrekvens;Långvarigt försörjningsstöd;Gymnasiebehörighet;Folkmängd\n"
    table = tmp_path / "table.csv"
    table.write_text(header + "0114A0010;45;6;60;5000\n0114A0020_DeSO2025;55;6;60;5000\n", "utf-8")
    saved = run(runner, "check", str(table), "--format", "json")
    document = json.loads(saved.stdout)
    document["districts"][1]["id"] = "0114A0010_DeSO2025"
    twins = tmp_path / "twins.json"
    twins.write_text(json.dumps(document), encoding="utf-8")
    for lang, said, hint in [
        (
            "en",
            "has two districts that are one without SCB's vintage suffix: "
            "'0114A0010' and '0114A0010_DeSO2025'",
            "keep one code per district in a release",
        ),
        (
            "sv",
            "har två områden som är samma område utan SCB:s årgångssuffix: "
            "'0114A0010' och '0114A0010_DeSO2025'",
            "behåll en kod per område i varje utgåva",
        ),
    ]:
        result = run(runner, "diff", str(STORED), str(twins), "--lang", lang)
        assert result.exit_code == 2
        message = " ".join(result.stderr.split())
        assert f"twins.json: {said}" in message
        assert "table.csv" not in message
        assert hint in message


def test_names_cannot_forge_workflow_commands(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "d.csv"
    header = "Stadsdel,Förvärvsfrekvens,Långvarigt försörjningsstöd,Gymnasiebehörighet,Folkmängd\n"
    path.write_text(header + '"Rad1\n::error::fake",55,6,60,4500\n', encoding="utf-8")
    for args in (["check", str(path)], ["diff", str(STORED), str(path)]):
        result = run(runner, *args)
        lines = (result.stdout + result.stderr).splitlines()
        assert not any(line.startswith("::error::fake") for line in lines)


def test_changed_thresholds_are_shown(runner: CliRunner, tmp_path: Path) -> None:
    stricter = tmp_path / "c.toml"
    text = (ROOT / "criteria.toml").read_text(encoding="utf-8")
    stricter.write_text(text.replace("threshold = 52", "threshold = 50"), encoding="utf-8")
    result = run(runner, "diff", str(STORED), str(SAMPLE / "districts.csv"), "-c", str(stricter))
    assert "different contents" in result.stdout
    assert "threshold 52 -> 50" in result.stdout


def test_markdown_in_english_names_the_criteria_in_english(
    runner: CliRunner, tmp_path: Path
) -> None:
    result = run(
        runner, "diff", str(STORED), str(next_year(tmp_path)), "-f", "markdown", "--lang", "en"
    )
    assert "Long-term social assistance 4.9 -> missing (met -> unknown)" in result.stdout
