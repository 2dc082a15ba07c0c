"""Messages in the run's language: one catalogue, the code in brackets kept, no line half
Swedish and half English."""

from __future__ import annotations

import ast
import inspect
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import urbanscreen.errors as errors_module
from urbanscreen.cli import app
from urbanscreen.errors import Issue, Location, MissingColumnError, UrbanscreenError
from urbanscreen.messages import CATALOGUE, Few, message, placeholders

from .conftest import ROOT, SAMPLE, SCB_HEADERS, scb_row, write_csv, write_xlsx
from .test_cli import bad_inputs

SRC = ROOT / "src" / "urbanscreen"
# English words that give away an English sentence in a line said in Swedish.
ENGLISH = re.compile(r"\b(the|is|not|hint|error|warning|note|row|rows|column|and|of)\b")


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def said_in_swedish(line: str) -> bool:
    """No English word outside quotes, backticks, paths and the bracketed code."""
    text = re.sub(r"'[^']*'|`[^`]*`|\[[a-z-]+\]|\S*/\S*", "", line)
    return ENGLISH.search(text) is None


# -- the catalogue ------------------------------------------------------------------------


def _keys_used() -> list[tuple[str, str]]:
    """Every key a ``message(...)`` call in src names: literal, or the fixed start of an
    f-string (``f"level/{usual}"``), with the file it is in."""
    found: list[tuple[str, str]] = []
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            is_call = isinstance(node, ast.Call) and getattr(node.func, "id", "") == "message"
            if not is_call or not node.args:
                continue
            pending = [node.args[0]]
            while pending:
                key = pending.pop()
                if isinstance(key, ast.IfExp):
                    pending += [key.body, key.orelse]
                elif isinstance(key, ast.Constant):
                    found.append((str(key.value), path.name))
                elif isinstance(key, ast.JoinedStr) and isinstance(key.values[0], ast.Constant):
                    found.append((str(key.values[0].value) + "*", path.name))
                elif isinstance(key, ast.BinOp):  # "invalid-criteria/toml" + (...)
                    pending.append(key.left)
    return found


def test_every_key_the_code_names_is_in_the_catalogue() -> None:
    used = _keys_used()
    assert len(used) > 100
    for key, where in used:
        if key.endswith("*"):
            assert any(k.startswith(key[:-1]) for k in CATALOGUE), (key, where)
        else:
            assert key in CATALOGUE, (key, where)


def test_a_swedish_template_fills_no_field_the_english_one_lacks() -> None:
    for key, templates in CATALOGUE.items():
        if "sv" in templates:
            # Only a parser's own English (TOML's reason, pydantic's text) is left out of a
            # Swedish line, which says the same from the fields it was made from.
            differ = placeholders(templates["en"]) ^ placeholders(templates["sv"])
            assert differ <= {"reason", "text", "expected"}, key


def test_every_error_code_has_its_messages_in_swedish() -> None:
    """Each code docs/errors.md lists, and the common warnings, say their main sentence in
    Swedish; only rare ones fall back to English."""
    codes = {
        cls.code
        for _, cls in inspect.getmembers(errors_module, inspect.isclass)
        if issubclass(cls, UrbanscreenError) and cls is not UrbanscreenError
    }
    documented = set(
        re.findall(r"^### `([a-z-]+)`", (ROOT / "docs" / "errors.md").read_text(), re.M)
    )
    assert codes == documented
    warnings = {
        "leading-zeros-restored",
        "skipped-rows",
        "total-row",
        "areas-outside-districts",
        "suppressed-areas",
        "rates-from-counts",
        "needs-years",
        "history-missing/mean",
        "history-missing/rule",
        "year-chosen",
        "small-population",
        "short-rows",
        "mixed-levels",
        "unused-indicators",
        "optional-columns-absent",
        "reference-unknown",
        "reference-rows",
        "fractions-converted",
    }
    for code in codes | warnings:
        keys = [key for key in CATALOGUE if key == code or key.startswith(code + "/")]
        assert keys, code
        for key in keys:
            assert "sv" in CATALOGUE[key], key


def test_a_message_is_filled_from_its_fields_in_either_language() -> None:
    said = message("skipped-rows", n=2, rows="7, 9", more="")
    assert str(said) == (
        "2 row(s) that are not areas skipped (notes, or values without a name: rows 7, 9)"
    )
    assert said.text("sv") == (
        "2 rad(er) som inte är områden hoppades över (anteckningar, eller värden utan namn: "
        "rad 7, 9)"
    )
    areas = Few(tuple("abcdefg"), total=9)
    assert message("areas-outside-districts", n=9, areas=areas).text("sv") == (
        "9 delområde(n) i data hör inte till något område: a, b, c, d, e och 4 till"
    )


def test_a_message_without_swedish_is_said_whole_in_english() -> None:
    issue = Issue.of(message("criteria/other", text="odd"), Location(row=3))
    assert not issue.speaks("sv")
    assert issue.text("sv") == "row 3: odd"
    # A Swedish message with an English-only hint: both English, never half of each.
    error = MissingColumnError(
        message("missing-column/areas"), hint=message("criteria/other", text="do this")
    )
    assert not error.speaks("sv")
    assert error.said("sv") == ("no column names the areas", "do this")


def test_the_english_text_is_the_json_and_library_text() -> None:
    error = MissingColumnError(
        message("missing-column/areas"), location=Location(row=1), hint=message("hint/missing-id")
    )
    assert error.message == "no column names the areas"
    assert str(error) == "row 1: no column names the areas"
    assert error.as_dict()["hint"] == "give every area an id, or remove the id column to use names"
    assert error.said("sv") == (
        "rad 1: ingen kolumn namnger områdena",
        "ge varje område ett id, eller ta bort id-kolumnen för att använda namn",
    )


# -- through the command line -------------------------------------------------------------


@pytest.mark.parametrize(
    "case",
    [
        "missing file",
        "not a workbook",
        "empty file",
        "header without rows",
        "missing column",
        "non-numeric",
        "percent out of range",
        "duplicate ids",
        "invalid toml",
        "invalid criteria",
        "folder",
        "unknown sheet",
    ],
)
def test_errors_speak_swedish_and_keep_their_code(tmp_path: Path, case: str) -> None:
    arguments, error_code, _ = bad_inputs(tmp_path)[case]
    code, out, err = run("check", *arguments, "--lang", "sv")
    assert (code, out) == (2, "")
    lines = err.strip().splitlines()
    assert lines[0].startswith(f"urbanscreen: fel [{error_code}]: "), err
    assert all(said_in_swedish(line) for line in lines), err
    if len(lines) == 2:
        assert lines[1].startswith("  tips: ")


def test_the_scheme_decides_without_lang_and_lang_en_overrides(tmp_path: Path) -> None:
    table = write_csv(tmp_path / "missing.csv", [SCB_HEADERS[:-1], scb_row("A")[:-1]])
    _, _, err = run("check", str(table))  # SCB's scheme is Swedish
    assert err.splitlines() == [
        f"urbanscreen: fel [missing-column]: {table}, rad 1: ingen kolumn för villkoret "
        "'Folkmängd'; kolumner som finns: 'Kommunkod', 'Kommun', 'Stadsdel', "
        "'Förvärvsfrekvens', 'Långvarigt försörjningsstöd', 'Gymnasiebehörighet'",
        "  tips: döp om kolumnen till 'Folkmängd', eller lägg till dess rubrik i `aliases` för "
        "villkoret 'folkmangd' i villkorsfilen",
    ]
    _, _, err = run("check", str(table), "--lang", "en")
    assert err.startswith(f"urbanscreen: error [missing-column]: {table}, row 1: no column for")


def test_before_the_criteria_are_read_the_locale_speaks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LANG", "sv_SE.UTF-8")
    _, _, err = run("check", str(SAMPLE / "districts.xlsx"), "-c", str(tmp_path / "mine.toml"))
    assert err.startswith("urbanscreen: fel [file-not-found]: ")
    assert "villkorsfilen finns inte" in err


def test_warnings_and_notes_speak_swedish(tmp_path: Path) -> None:
    rows = [
        SCB_HEADERS,
        scb_row("Alby", code=127, municipality="Botkyrka"),  # type: ignore[arg-type]
        scb_row("Rinkeby", code=180, municipality="Stockholm"),  # type: ignore[arg-type]
        scb_row("Totalt"),
        ["Källa: SCB"],
    ]
    code, _, err = run("check", str(write_xlsx(tmp_path / "d.xlsx", rows)), "-f", "json")
    assert code == 0, err
    lines = err.splitlines()
    assert any(
        line.startswith("urbanscreen: varning [leading-zeros-restored]: ")
        and line.endswith(
            "2 kommunkod(er) hade tappat sin inledande nolla (lagrade som tal); fyllda till "
            "fyra siffror: 127 → 0127, 180 → 0180"
        )
        for line in lines
    ), err
    assert any("varning [total-row]: " in line and "'Totalt' (rad 4)" in line for line in lines)
    assert any("varning [skipped-rows]: " in line and "rad 5)" in line for line in lines), err
    assert all(said_in_swedish(line) for line in lines), err


def test_fail_on_and_wrote_lines_speak_the_run_language(tmp_path: Path) -> None:
    report = tmp_path / "r.csv"
    code, _, err = run(
        "check", str(SAMPLE / "districts.xlsx"), "-o", str(report), "--fail-on", "warnings"
    )
    assert f"urbanscreen: skrev {report}" in err
    if code == 1:
        assert "--fail-on warnings: " in err and "varning(ar)" in err


def test_missing_history_is_said_in_swedish(tmp_path: Path) -> None:
    from .test_followup import STREAK

    rows = [["Område", "År", "Poverty"], ["A", 2019, 25], ["A", 2020, 25]]
    path = write_csv(tmp_path / "d.csv", rows, separator=",")
    criteria = tmp_path / "c.toml"
    criteria.write_text(STREAK.format(mean=1), encoding="utf-8")
    code, _, err = run("check", str(path), "-c", str(criteria), "--years", "all", "--lang", "sv")
    assert code == 0, err
    assert (
        "urbanscreen: notering [history-missing]: 2019: Poor two years running är en regel "
        "över 2 år (2018–2019); tabellen saknar 2018, så regeln är okänd där de åren kan "
        "avgöra den"
    ) in err.splitlines()
    # A table of one year: the rule over years has no history at all.
    one = write_csv(tmp_path / "one.csv", rows[:2], separator=",")
    code, _, err = run("check", str(one), "-c", str(criteria), "--lang", "sv")
    assert "varning [needs-years]: " in err and "behöver data från flera år" in err, err
    assert all(said_in_swedish(line) for line in err.splitlines()), err


def test_an_unresolved_breakdown_is_refused_in_the_run_s_language(tmp_path: Path) -> None:
    ages = [f"{age}-{age + 9}" for age in range(0, 70, 10)]  # seven: more than are shown
    rows: list[list[object]] = [["Område", "Ålder", *SCB_HEADERS[3:]]]
    rows += [["Rinkeby", age, 45, 8, 60, 5000] for age in ages]
    table = write_csv(tmp_path / "ages.csv", rows)
    code, out, err = run("check", str(table), "--lang", "sv")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        f"urbanscreen: fel [unresolved-breakdown]: {table}: siffrorna är uppdelade efter "
        "'Ålder' (0-9, 10-19, 20-29, 30-39, 40-49, 50-59 … (7 värden)), utan någon total",
        "  tips: välj värdet att pröva, t.ex. --where 'Ålder=0-9'",
    ]
    _, _, english = run("check", str(table), "--lang", "en")
    assert english.splitlines()[0].endswith(
        "the figures are broken down by 'Ålder' (0-9, 10-19, 20-29, 30-39, 40-49, 50-59 … "
        "(7 values)), with no total"
    )
    summable = message(
        "unresolved-breakdown/summable",
        breakdowns=Few((message("breakdown-values", name="'Kön'", values="män, kvinnor"),)),
        summable="'Kön'",
    )
    assert summable.text("sv") == (
        "siffrorna är uppdelade efter 'Kön' (män, kvinnor), utan någon total; antal skulle "
        "kunna summeras över 'Kön', men alla villkor är inte antal"
    )


def test_several_missing_criteria_are_named_in_swedish(tmp_path: Path) -> None:
    # "nor for" was English in the middle of a Swedish line.
    rows = [["Kommun", "Stadsdel", "Gymnasiebehörighet"], ["Göteborg", "A", 60]]
    table = write_csv(tmp_path / "m.csv", rows)
    _, _, err = run("check", str(table), "--lang", "sv")
    assert err.splitlines()[0] == (
        f"urbanscreen: fel [missing-column]: {table}, rad 1: ingen kolumn för villkoret "
        "'Förvärvsfrekvens', inte heller för 'Långvarigt försörjningsstöd', 'Folkmängd'; "
        "kolumner som finns: 'Kommun', 'Stadsdel', 'Gymnasiebehörighet'"
    )
    _, _, english = run("check", str(table), "--lang", "en")
    assert "no column for criterion 'Förvärvsfrekvens', nor for 'Långvarigt" in english


def test_criteria_a_long_table_lacks_are_named_in_swedish(tmp_path: Path) -> None:
    # A PC-Axis table holds none of the criteria's indicators (its contents are a share).
    table = ROOT / "tests" / "data" / "px" / "BE0101A1proc.px"
    _, _, err = run("check", str(table), "--lang", "sv")
    assert err.splitlines() == [
        f"urbanscreen: fel [missing-column]: {table}: inga rader för villkoret "
        "'Förvärvsfrekvens', inte heller för 'Långvarigt försörjningsstöd', "
        "'Gymnasiebehörighet'; innehåll som finns: inga",
        "  tips: lägg till indikatorns namn i `aliases` för villkoret 'forvarvsfrekvens' i "
        "villkorsfilen",
    ]
    _, _, english = run("check", str(table), "--lang", "en")
    assert english.splitlines()[0].endswith("'Gymnasiebehörighet'; contents found: none")


def test_a_count_where_the_rate_belongs_is_hinted_in_swedish(tmp_path: Path) -> None:
    header = ["Stadsdel", "Förvärvsfrekvens", "Långvarigt försörjningsstöd (antal)"]
    rows = [[*header, "Gymnasiebehörighet", "Folkmängd"], ["Norr", 40.0, 120, 50, 5000]]
    table = write_csv(tmp_path / "d.csv", rows)
    _, _, err = run("check", str(table), "--lang", "sv")
    assert err.splitlines()[1] == (
        "  tips: 'Långvarigt försörjningsstöd (antal)' innehåller ett antal, inte andelen: "
        "lägg till andelens kolumn 'Långvarigt försörjningsstöd', eller antalen 'Personer med "
        "långvarigt ekonomiskt bistånd' och 'Befolkning 20-64 år' att räkna ut den från"
    )


def test_references_and_indices_are_said_in_the_run_s_language(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The terminal's "Referens:" line of a Swedish run is Swedish: how a reference was found
    and an index's statistics and tiers; the JSON keeps the English."""
    criteria = tmp_path / "c.toml"
    criteria.write_text(
        'version = 1\n[scheme]\nname = "Test"\nlang = "sv"\n'
        '[references]\nregionsnitt = { mean = "inkomst", within = "Region" }\n'
        '[[criteria]]\nid = "inkomst"\nlabel = "Inkomst"\ncolumn = "Inkomst"\n'
        'unit = "number"\nop = "<"\nthreshold = { times = 0.8, of = "regionsnitt" }\n',
        encoding="utf-8",
    )
    rows = [["Område", "Region", "Inkomst"], ["A", "Nord", 100], ["B", "Nord", 300]]
    data = write_csv(tmp_path / "d.csv", rows, separator=",")
    swedish = runner.invoke(app, ["check", str(data), "-c", str(criteria)])
    assert "Referens: regionsnitt = medelvärdet av inkomst inom varje Region" in swedish.stdout
    english = runner.invoke(app, ["check", str(data), "-c", str(criteria), "--lang", "en"])
    assert "Reference: regionsnitt = mean of inkomst within each Region" in english.stdout
    document = runner.invoke(app, ["check", str(data), "-c", str(criteria), "--format", "json"])
    assert '"regionsnitt": "regionsnitt = mean of inkomst within each Region"' in document.stdout
    index = runner.invoke(
        app, ["check", str(ROOT / "tests/data/se_deso.csv"), "-c", "se-omradestyper"]
    )
    said = " ".join(index.stdout.split())
    assert "Referens: index = medelvärdet av lag_ekonomisk_standard" in said
    assert "nivåer: typ1 från en okänd gräns" in said


def test_every_kind_of_reference_and_index_text_in_both_languages(tmp_path: Path) -> None:
    """How each kind of reference and an index were found: the library's English exactly as
    it always was (scripts match it), and each said in Swedish, counts in the singular too."""
    import urbanscreen

    references = (
        "given = 250.5\nown = { column = 'state' }\nmetro = { column = 'metro' }\n"
        "great = { greatest = ['own', 'metro'] }\nleast = { least = ['own', 'metro'] }\n"
        "avg = { mean = 'inc' }\nmed = { median = 'inc' }\n"
        "wrate = { mean = 'inc', weight = 'pop' }\nregional = { mean = 'inc', within = 'Region' }\n"
    )
    measures = "".join(
        f"[[measures]]\nid = '{m}'\nlabel = '{m}'\ncolumn = '{m}'\nunit = 'number'\n"
        for m in ("state", "metro", "inc", "pop")
    )
    criteria = tmp_path / "c.toml"
    criteria.write_text(
        f"version = 1\n[scheme]\nname = 'T'\n[references]\n{references}"
        "[[criteria]]\nid = 'c'\nlabel = 'C'\ncolumn = 'inc'\nunit = 'number'\nop = '<'\n"
        "threshold = { times = 1, of = 'given' }\n"
        "[[indices]]\nid = 'ix'\nlabel = 'Ix'\nweights = { inc = 1, pop = 1 }\n"
        "tiers = [{ id = 't1', label = 'T1', sd = 1 }, { id = 't2', label = 'T2' }]\n"
        f"{measures}",
        encoding="utf-8",
    )
    rows = [
        ["Område", "Region", "state", "metro", "inc", "pop"],
        ["A", "Nord", 300, 310, 200, 2],
        ["B", "Syd", 280, 290, 400, 2],
    ]
    loaded = urbanscreen.load_criteria(str(criteria))
    table = urbanscreen.load_table(write_csv(tmp_path / "d.csv", rows, separator=","), loaded)
    result = urbanscreen.screen(table, loaded)
    assert result.references == {
        "given": "given = 250.5 (given)",
        "own": "own = each area's state",
        "metro": "metro = each area's metro",
        "great": "great = the greater of own, metro, area by area",
        "least": "least = the lesser of own, metro, area by area",
        "avg": "avg = mean of inc over 2 areas",
        "med": "med = median of inc over 2 areas",
        "wrate": "wrate = weighted mean of inc over 2 areas",
        "regional": "regional = mean of inc within each Region",
        "ix": "ix = weighted sum of inc, pop; over 2 areas mean 302, standard deviation 100; "
        "tiers: t1 from 402, t2",
    }
    assert {name: said.text("sv") for name, said in result.references_said.items()} == {
        "given": "given = 250.5 (angivet)",
        "own": "own = varje områdes state",
        "metro": "metro = varje områdes metro",
        "great": "great = det största av own, metro, område för område",
        "least": "least = det minsta av own, metro, område för område",
        "avg": "avg = medelvärdet av inc över 2 områden",
        "med": "med = medianen av inc över 2 områden",
        "wrate": "wrate = det vägda medelvärdet av inc över 2 områden",
        "regional": "regional = medelvärdet av inc inom varje Region",
        "ix": "ix = den vägda summan av inc, pop; över 2 områden medelvärde 302, "
        "standardavvikelse 100; nivåer: t1 från 402, t2",
    }
    # One area of seven lacks the index: "1 område(n)", as the catalogue counts elsewhere.
    deso = urbanscreen.load_criteria("se-omradestyper")
    found = urbanscreen.screen(
        urbanscreen.load_table(str(ROOT / "tests/data/se_deso.csv"), deso), deso
    )
    assert found.references["index"].startswith(
        "index = mean of lag_ekonomisk_standard, lag_utbildning, ej_forvarvsarbetande; over 6 "
        "areas mean and standard deviation unknown (1 areas lack an index); tiers: typ1 from "
        "an unknown limit, typ2"
    )
    assert "okända (1 område(n) saknar index); nivåer: typ1 från en okänd gräns, typ2" in (
        found.references_said["index"].text("sv")
    )
