"""Every message names the fix: the text a user sees on the command line, point by point."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from urbanscreen.cli import app
from urbanscreen.suggest import closest, similar_files

from .conftest import DATA, SAMPLE, SCB_HEADERS, scb_row, write_xlsx

MINIMAL = """\
version = 1
[scheme]
name = "Test"
rule = "all"
[[criteria]]
id = "rate"
label = "Rate"
column = "Rate"
unit = "percent"
op = "<"
threshold = 52
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def check_criteria(tmp_path: Path, text: str) -> tuple[int, str]:
    """``urbanscreen check`` of the sample with this criteria file: exit code and stderr."""
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("check", str(SAMPLE / "districts.csv"), "--criteria", str(path))
    return code, err


def boxed(text: str) -> str:
    """A usage error as one line: typer draws it in a box and wraps it."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


# -- 1. criteria files ------------------------------------------------------------------


def test_a_misspelt_key_comes_first_with_the_key_it_was_meant_to_be(tmp_path: Path) -> None:
    code, err = check_criteria(tmp_path, MINIMAL.replace("threshold =", "treshold ="))
    assert code == 2
    first = err.splitlines()[0]
    assert first.endswith(
        "mine.toml: criteria[0].treshold (criterion 'rate'): unknown key; did you mean `threshold`?"
    )
    # Renaming the key fixes the "missing threshold" too: it is not a second problem.
    assert "required key is missing" not in err


def test_the_typo_precedes_other_problems_in_criteria_check(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    text = MINIMAL.replace("threshold =", "treshold =").replace('label = "Rate"\n', "")
    path.write_text(text, encoding="utf-8")
    code, _, err = run("criteria", "check", str(path))
    assert code == 2
    lines = err.splitlines()
    assert "unknown key; did you mean `threshold`?" in lines[0]
    assert "criteria[0].label (criterion 'rate'): required key is missing" in lines[1]
    assert "2 problems; hint" in lines[2]


def test_an_unknown_key_like_no_other_lists_the_keys(tmp_path: Path) -> None:
    code, err = check_criteria(tmp_path, MINIMAL.replace('rule = "all"', 'rule = "all"\nxyz = 1'))
    assert code == 2
    assert "scheme.xyz: unknown key (check its spelling; the keys here: description, " in err


def test_a_misspelt_key_inside_a_rule_or_threshold_is_found_too(tmp_path: Path) -> None:
    """A rule or a threshold may take several forms; the typo, not "no form fits", is said."""
    text = (
        MINIMAL.replace('rule = "all"', "rule = { at_leats = 1 }")
        .replace("threshold = 52", 'threshold = { times = 2, off = "nat" }')
        .replace(
            "[[criteria]]", '[references]\nnat = { mean = "rate", weigth = "rate" }\n[[criteria]]'
        )
    )
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("criteria", "check", str(path))
    assert code == 2
    assert err.splitlines()[:3] == [
        f"urbanscreen: error [invalid-criteria]: {path}: {problem}"
        for problem in (
            "scheme.rule.at_leats: unknown key; did you mean `at_least`?",
            "criteria[0].threshold.off (criterion 'rate'): unknown key; did you mean `of`?",
            "references.nat.weigth: unknown key; did you mean `weight`?",
        )
    ]


def test_a_decimal_comma_in_a_threshold_gets_a_decimal_point(tmp_path: Path) -> None:
    code, err = check_criteria(tmp_path, MINIMAL.replace("threshold = 52", "threshold = 4,8"))
    assert code == 2
    assert "not valid TOML at line 11, column 14" in err
    assert "threshold = 4,8" in err
    assert "  hint: use a decimal point: `threshold = 4.8`" in err.splitlines()
    assert "strings need quotes" not in err


def test_a_string_without_quotes_gets_the_quotes(tmp_path: Path) -> None:
    code, err = check_criteria(tmp_path, MINIMAL.replace('"Rate"\ncolumn', "Rate\ncolumn"))
    assert code == 2
    assert '  hint: strings need quotes: `label = "Rate"`' in err.splitlines()


def test_a_bad_scheme_rule_shows_the_value_and_every_form(tmp_path: Path) -> None:
    code, err = check_criteria(tmp_path, MINIMAL.replace('rule = "all"', 'rule = "alla"'))
    assert code == 2
    assert 'scheme.rule: "alla" is not a rule; did you mean `"all"`?' in err
    for form in ('"all"', '"any"', "{ at_least = 2 }", "{ any = [", "{ all = ["):
        assert form in err


def test_each_rule_threshold_and_reference_is_checked_in_the_form_its_keys_name(
    tmp_path: Path,
) -> None:
    """The keys of a table say which form it is written in, so the problems said are that
    form's: the misspelt or missing key, not every form it might have been."""
    text = (
        MINIMAL.replace('rule = "all"', 'rule = { helt_in = 2, of_last = 3, rule = "rate" }')
        .replace("threshold = 52", "threshold = { times = 2 }")
        .replace("[[criteria]]", "[references]\nnat = { median = 5 }\n[[criteria]]")
    )
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    code, _, err = run("criteria", "check", str(path))
    assert code == 2
    assert err.splitlines()[:4] == [
        *(
            f"urbanscreen: error [invalid-criteria]: {path}: {problem}"
            for problem in (
                "scheme.rule.helt_in: unknown key; did you mean `held_in`?",
                "criteria[0].threshold.of (criterion 'rate'): required key is missing",
                "references.nat.median: must be a string in quotes, got 5",
            )
        ),
        "  3 problems; hint: start from a preset: `urbanscreen criteria show scb-2012 > "
        "mine.toml`; the keys: `urbanscreen criteria --help`",
    ]


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            MINIMAL.replace('rule = "all"', 'rule = { all = ["rate"], any = ["rate"] }'),
            "scheme.rule.any: `any` belongs to another form, which cannot share a table with "
            "this one (all): give each form a table of its own",
        ),
        (
            MINIMAL.replace(
                "[[criteria]]",
                '[references]\nnat = { mean = "rate", column = "rate" }\n[[criteria]]',
            ),
            "references.nat.column: `column` belongs to another form, which cannot share a table "
            "with this one (mean, median, weight, within): give each form a table of its own",
        ),
    ],
)
def test_a_key_of_another_form_in_the_same_table_is_not_called_a_typo(
    tmp_path: Path, text: str, said: str
) -> None:
    """``any`` is spelt right: what is wrong is that it shares a table with ``all``."""
    code, err = check_criteria(tmp_path, text)
    assert code == 2
    assert err.splitlines()[0].endswith(f"mine.toml: {said}")
    assert "check its spelling" not in err


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (
            ('rule = "all"', 'rule = { any = ["rate", 5] }'),
            'scheme.rule.any[1]: must name a criterion or outcome (scheme.rule: "all" or '
            '"any"), or be { all = [...] }, { any = [...] }, { at_least = k, of = [...] }, '
            "{ streak = n, rule = … } or { held_in = k, of_last = m, rule = … }, got 5",
        ),
        (
            ('rule = "all"', "rule = { streak = 2 }"),
            "scheme.rule.rule: required key is missing",
        ),
        (
            ("threshold = 52", 'threshold = "52"'),
            "criteria[0].threshold (criterion 'rate'): must be a number, without quotes, or "
            "{ times = …, of = \"reference\" }, got '52'",
        ),
        (
            ("threshold = 52", 'threshold = { times = "2", of = "nat" }'),
            "criteria[0].threshold.times (criterion 'rate'): must be a number, without quotes, "
            "got '2'",
        ),
        (
            ("[[criteria]]", '[references]\nnat = "high"\n[[criteria]]'),
            'references.nat: must be a number, { mean = "measure" } or { median = "measure" } '
            "(optionally with within and weight), { greatest = [...] } or { least = [...] } of "
            "other references, or { column = \"measure\" }, got 'high'",
        ),
    ],
)
def test_a_value_in_no_form_or_a_wrong_part_of_one_is_named(
    tmp_path: Path, change: tuple[str, str], said: str
) -> None:
    code, err = check_criteria(tmp_path, MINIMAL.replace(*change))
    assert code == 2
    assert err.splitlines()[0].endswith(f"mine.toml: {said}")


@pytest.mark.parametrize(
    ("change", "english", "swedish"),
    [
        (
            ("threshold = 52", "threshold = 152"),
            "a percent threshold must lie between 0 and 100",
            "en gräns i procent måste ligga mellan 0 och 100",
        ),
        (
            ('id = "rate"', 'id = "qualifies"'),
            "id 'qualifies' is reserved for urbanscreen's own columns; pick another, such as "
            "'qualifies_value'",
            "id 'qualifies' är reserverat för urbanscreens egna kolumner; välj ett annat, till "
            "exempel 'qualifies_value'",
        ),
        (
            (
                'rule = "all"',
                'rule = "all"\n[references]\nboth = { mean = "rate", median = "rate" }',
            ),
            'give exactly one of mean = "…" or median = "…"',
            'ange exakt ett av mean = "…" och median = "…"',
        ),
    ],
    ids=["percent", "reserved-id", "statistic"],
)
def test_a_value_a_table_cannot_hold_is_said_in_the_runs_language(
    tmp_path: Path, change: tuple[str, str], english: str, swedish: str
) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(MINIMAL.replace(*change), encoding="utf-8")
    for language, said in (("en", english), ("sv", swedish)):
        code, _, err = run(
            "check", str(SAMPLE / "districts.csv"), "-c", str(path), "--lang", language
        )
        assert code == 2
        assert said in " ".join(err.split()), err


def test_references_in_a_circle_are_named_in_the_order_they_refer(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "[[criteria]]",
        '[references]\nlow = { least = ["high", "mid"] }\nmid = 3\n'
        'high = { greatest = ["mid", "low"] }\n[[criteria]]',
    )
    code, err = check_criteria(tmp_path, text)
    assert code == 2
    assert (
        "mine.toml: references: they refer to each other in a circle: low -> high -> low"
        in (err.splitlines()[0])
    )


def test_outcomes_in_a_circle_are_named_in_the_order_they_refer(tmp_path: Path) -> None:
    outcomes = (
        ("second", '{ any = ["third"] }'),
        ("first", '{ all = ["rate", "second"] }'),
        ("third", '{ streak = 2, rule = "first" }'),
        ("apart", '"rate"'),
    )
    text = MINIMAL.replace('rule = "all"\n', "") + "".join(
        f'[[outcomes]]\nid = "{name}"\nlabel = "{name}"\nrule = {rule}\n' for name, rule in outcomes
    )
    code, err = check_criteria(tmp_path, text)
    assert code == 2
    assert err.splitlines()[0].endswith(
        "mine.toml: outcomes refer to each other in a circle: second -> third -> first -> second"
    )


def test_a_bad_id_says_what_an_id_is_made_of(tmp_path: Path) -> None:
    code, err = check_criteria(tmp_path, MINIMAL.replace('id = "rate"', 'id = "Förvärvs-frekvens"'))
    assert code == 2
    assert (
        "criteria[0].id (criterion 'Förvärvs-frekvens'): must be lower-case letters, digits "
        "and _, starting with a letter, got 'Förvärvs-frekvens'; such as 'forvarvs_frekvens'"
    ) in err
    assert "^[a-z]" not in err, "no regular expression"


def test_hints_point_to_what_a_pip_install_has(tmp_path: Path) -> None:
    _, err = check_criteria(tmp_path, MINIMAL.replace('unit = "percent"', 'unit = "procent"'))
    assert (
        "  hint: start from a preset: `urbanscreen criteria show scb-2012 > mine.toml`; "
        "the keys: `urbanscreen criteria --help`"
    ) in err.splitlines()
    assert "README" not in err
    # ... and that help does list the keys.
    code, out, _ = run("criteria", "--help")
    assert code == 0
    for key in ("[scheme]", "[[criteria]]", "threshold", "lower-case letters, digits"):
        assert key in out


def test_a_misspelt_preset_name_is_suggested() -> None:
    code, _, err = run("check", str(SAMPLE / "districts.csv"), "--criteria", "scb2012")
    assert code == 2
    assert "  hint: did you mean the preset `scb-2012`?" in err.splitlines()


# -- 2. files ---------------------------------------------------------------------------


def test_a_missing_file_suggests_files_named_like_it(tmp_path: Path) -> None:
    for name in ("districts.xlsx", "districts.csv", "other.xlsx"):
        (tmp_path / name).write_bytes(b"x")
    code, _, err = run("check", "--lang", "en", str(tmp_path / "district.xlsx"))
    assert code == 2
    assert "district.xlsx: file not found" in err
    # The suffix asked for first; other.xlsx is nothing like it.
    assert (
        f"  hint: did you mean `{tmp_path / 'districts.xlsx'}` or `{tmp_path / 'districts.csv'}`?"
        in err.splitlines()
    )


def test_a_missing_criteria_or_definition_file_suggests_too(tmp_path: Path) -> None:
    (tmp_path / "criteria-2024.toml").write_text(MINIMAL, encoding="utf-8")
    code, _, err = run(
        "check",
        "--lang",
        "en",
        str(SAMPLE / "districts.csv"),
        "--criteria",
        str(tmp_path / "criteria-2042.toml"),
    )
    assert code == 2
    assert f"did you mean `{tmp_path / 'criteria-2024.toml'}`?" in err
    code, _, err = run(
        "check",
        "--lang",
        "en",
        str(SAMPLE / "deso-goteborg.csv"),
        "--districts",
        str(SAMPLE / "districts-gotebrg.toml"),
    )
    assert code == 2
    assert f"did you mean `{SAMPLE / 'districts-goteborg.toml'}`" in err


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    code, _, err = run("check", "--lang", "en", str(tmp_path / "nowhere" / "d.xlsx"))
    assert code == 2
    assert f"the folder {str(tmp_path / 'nowhere')!r} does not exist either" in err


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("script.py", b"import sys\nprint(sys.argv, 1, 2)\n"),
        ("report.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n\x00\x01\x02"),
        ("notes.docx", b"PK\x03\x04" + b"\x00" * 40),
        ("result.json", b'{"schema_version": 1}\n'),
    ],
)
def test_a_file_type_we_do_not_read_says_which_we_do(
    tmp_path: Path, name: str, content: bytes
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    code, _, err = run("check", "--lang", "en", str(path))
    assert code == 2
    suffix = path.suffix
    assert f"error [unsupported-file-type]: {path}: urbanscreen does not read {suffix} files" in err
    assert ".xlsx, .xlsm, .xlsb, .xls, .ods, .csv, .tsv, .txt, .px and .parquet" in err
    assert "field" not in err, "not parsed as CSV and blamed for its field counts"


def test_a_json_result_given_to_check_points_to_baseline_and_diff(tmp_path: Path) -> None:
    path = tmp_path / "result.json"
    path.write_text("{}", encoding="utf-8")
    _, _, err = run("check", "--lang", "en", str(path))
    assert "`urbanscreen check NEW.xlsx --baseline OLD.json`" in err
    assert "`urbanscreen diff OLD.json NEW.xlsx`" in err


def test_a_forgotten_command_is_supplied() -> None:
    code, _, err = run("districts.xlsx")
    assert code == 2
    assert "No such command 'districts.xlsx'; did you mean `urbanscreen check districts.xlsx`?" in (
        boxed(err)
    )
    code, _, err = run("data/districts.xlsx", "--lang", "en")
    assert "did you mean `urbanscreen check data/districts.xlsx --lang en`?" in boxed(err)


def test_a_misspelt_command_is_suggested() -> None:
    code, _, err = run("chek", "districts.xlsx")
    assert code == 2
    assert "No such command 'chek'; did you mean `urbanscreen check`?" in boxed(err)
    code, _, err = run("criteria", "shwo", "scb-2012")
    assert "did you mean `urbanscreen criteria show`?" in boxed(err)
    code, _, err = run("criteria", "mine.toml")
    assert "did you mean `urbanscreen criteria check mine.toml`?" in boxed(err)


def test_one_closeness_rule_for_keys_files_and_commands(tmp_path: Path) -> None:
    assert closest("treshold", ["op", "threshold", "unit"]) == ["threshold"]
    assert closest("chek", ["check", "diff", "criteria"]) == ["check"]
    assert closest("rule", ["unit", "label"]) == [], "0.5 alike is not a suggestion"
    for name in ("base.toml", "alla.toml", "badid.toml"):
        (tmp_path / name).write_text("", encoding="utf-8")
    # The shared .toml does not make "alla" like "bas".
    assert similar_files(tmp_path / "bas.toml") == [tmp_path / "base.toml"]


# -- 3. warnings ------------------------------------------------------------------------


def test_the_leading_zero_warning_shows_codes_from_the_file(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "d.xlsx",
        [
            SCB_HEADERS,
            scb_row("Alby", code=127, municipality="Botkyrka"),  # type: ignore[arg-type]
            scb_row("Fittja", code=127, municipality="Botkyrka"),  # type: ignore[arg-type]
            scb_row("Rinkeby", code=180, municipality="Stockholm"),  # type: ignore[arg-type]
            scb_row("Bergsjön"),
        ],
    )
    code, _, err = run("check", "--lang", "en", str(path), "--format", "json")
    assert code == 0, err
    assert (
        "3 municipality code(s) had lost their leading zero (stored as numbers); padded to "
        "four digits: 127 → 0127, 180 → 0180"
    ) in err


def test_notes_about_areas_name_them(tmp_path: Path) -> None:
    definition = tmp_path / "two.toml"
    definition.write_text(
        '[[districts]]\nid = "b"\nname = "Bergsjön"\n'
        'areas = ["1480C3010", "1480C3020", "1480C3030", "1480C3040"]\n',
        encoding="utf-8",
    )
    code, _, err = run(
        "check",
        "--lang",
        "en",
        str(SAMPLE / "deso-goteborg.csv"),
        "--districts",
        str(definition),
        "-f",
        "json",
    )
    assert code == 0, err
    # deso-goteborg.csv holds 14 areas; Bergsjön takes 4; 1480C3030's count is suppressed.
    assert (
        "10 area(s) of the data belong to no district: "
        "1480C3110, 1480C3120, 1480C3130, 1480C3210, 1480C3220 and 5 more"
    ) in err
    assert "include suppressed small-area counts ('..'), in Bergsjön:" in err


def test_a_reference_unknown_in_some_areas_names_them(tmp_path: Path) -> None:
    criteria = tmp_path / "c.toml"
    criteria.write_text(
        'version = 1\n[scheme]\nname = "B"\n[references]\nmetro = { column = "metro" }\n'
        '[[criteria]]\nid = "income"\nlabel = "Income"\ncolumn = "Income"\nunit = "number"\n'
        'op = "<="\nthreshold = { times = 0.8, of = "metro" }\n'
        '[[measures]]\nid = "metro"\nlabel = "Metro"\ncolumn = "Metro"\nunit = "number"\n',
        encoding="utf-8",
    )
    rows = "Tract,Income,Metro\nN1,50000,70000\n" + "".join(f"T{i},60000,..\n" for i in range(1, 8))
    data = tmp_path / "d.csv"
    data.write_text(rows, encoding="utf-8")
    code, _, err = run("check", str(data), "-c", str(criteria), "-f", "json")
    assert code == 0, err
    assert (
        "reference 'metro' is unknown for 7 area(s), T1, T2, T3, T4, T5 and 2 more: a value it "
        "is computed from is missing"
    ) in err


def test_diff_says_its_near_list_holds_values_that_moved_into_the_band(tmp_path: Path) -> None:
    lines = (SAMPLE / "districts.csv").read_text(encoding="utf-8").splitlines()
    # Araby's förvärvsfrekvens 43.0 -> 50.9: 1.1 below 52, within 5 % of it (2.6).
    closer = [line.replace("Araby;43,0", "Araby;50,9") for line in lines]
    new = tmp_path / "new.csv"
    new.write_text("\n".join(closer) + "\n", encoding="utf-8")
    code, out, err = run("diff", str(SAMPLE / "districts.csv"), str(new))
    assert code == 0, err
    assert (
        "Moved to within 5 % of a threshold (values farther from it, or absent, in the old "
        "release):"
    ) in out.splitlines()
    assert "  Araby: Förvärvsfrekvens 50.9 is 1.1 from the threshold < 52" in out.splitlines()


# -- 4. the terminal in the report's language --------------------------------------------


def verdicts(out: str) -> list[str]:
    return [found.group(1) for line in out.splitlines() if (found := VERDICT.search(line))]


VERDICT = re.compile(r"\s(JA|nej|okänt|YES|no|unknown)\s")


def test_a_swedish_scheme_speaks_swedish_with_decimal_commas() -> None:
    code, out, err = run("check", str(SAMPLE / "districts.xlsx"))  # scb-2012: lang = "sv"
    assert code == 0, err
    assert verdicts(out) == ["JA"] * 15 + ["nej"] * 12
    assert out.splitlines()[-1] == "15 av 27 områden uppfyller villkoren"
    assert "Urbant utvecklingsarbete 2012 (SCB) — alla villkor ska vara uppfyllda" in out
    assert "Indata: bladet 'Stadsdelar' i " in out and ", 27 områden" in out
    rinkeby = next(line for line in out.splitlines() if line.startswith(" Rinkeby"))
    assert rinkeby.split()[2:] == ["JA", "✓", "44,2", "✓", "11,9", "✓", "61,5", "✓", "15", "600"]
    assert "> 4,8 %" in out and "4.8" not in out


def test_swedish_unknowns_and_missing_values() -> None:
    code, out, _ = run("check", str(DATA / "pxweb_latin1.csv"))
    assert code == 0
    assert verdicts(out) == ["JA", "JA", "okänt", "nej", "nej"]
    assert "? saknas" in out
    assert out.splitlines()[-1] == (
        "2 av 5 områden uppfyller villkoren; 1 kan inte avgöras (värden saknas)"
    )


def test_lang_overrides_the_scheme_either_way(tmp_path: Path) -> None:
    code, out, _ = run("check", str(SAMPLE / "districts.xlsx"), "--lang", "en")
    assert code == 0
    assert verdicts(out) == ["YES"] * 15 + ["no"] * 12
    assert out.splitlines()[-1] == "15 of 27 districts qualify"
    english = tmp_path / "en.toml"
    english.write_text(MINIMAL.replace('rule = "all"', 'rule = "all"\nlang = "en"'), "utf-8")
    rates = tmp_path / "d.csv"
    rates.write_text("Område;Rate\nA;44,5\nB;60\n", encoding="utf-8")
    code, out, _ = run("check", str(rates), "-c", str(english), "--lang", "sv")
    assert code == 0
    assert verdicts(out) == ["JA", "nej"]
    assert "1 av 2 områden uppfyller villkoren" in out
    assert "✓ 44,5" in out and "< 52 %" in out


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({"LANG": "sv_SE.UTF-8"}, "1 av 2 områden uppfyller villkoren"),
        ({"LANG": "en_GB.UTF-8"}, "1 of 2 districts qualifies"),
        ({"LANG": "sv_SE.UTF-8", "LC_ALL": "C"}, "1 of 2 districts qualifies"),
        ({"LANG": "en_US.UTF-8", "LC_MESSAGES": "sv_FI.UTF-8"}, "1 av 2 områden uppfyller"),
    ],
)
def test_a_scheme_without_a_language_follows_the_locale(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    environment: dict[str, str],
    expected: str,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    criteria = tmp_path / "c.toml"
    criteria.write_text(MINIMAL, encoding="utf-8")  # no lang
    rates = tmp_path / "d.csv"
    rates.write_text("Område;Rate\nA;44,5\nB;60\n", encoding="utf-8")
    code, out, _ = run("check", str(rates), "-c", str(criteria))
    assert code == 0
    assert expected in out
    # --lang still decides.
    code, out, _ = run("check", str(rates), "-c", str(criteria), "--lang", "en")
    assert "1 of 2 districts qualifies" in out


@pytest.mark.parametrize(
    ("arguments", "columns"),
    [
        ([str(SAMPLE / "districts.xlsx")], "100"),
        ([str(SAMPLE / "districts.xlsx"), "--lang", "en"], "100"),
        ([str(SAMPLE / "districts.xlsx")], "50"),  # one block per district
        ([str(DATA / "kolada_by_sex.csv")], "100"),  # women and men
        ([str(DATA / "kolada_by_sex.csv")], "50"),
        (
            [
                str(SAMPLE / "deso-goteborg.csv"),
                "--districts",
                str(SAMPLE / "districts-goteborg.toml"),
            ],
            "100",
        ),
    ],
)
def test_no_line_ends_in_spaces_blank_lines_included(
    monkeypatch: pytest.MonkeyPatch, arguments: list[str], columns: str
) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    code, out, err = run("check", *arguments)
    assert code == 0, err
    lines = out.split("\n")
    assert "" in lines, "the table has blank lines, and they are empty"
    assert [line for line in lines if line != line.rstrip()] == []


def test_an_unknown_command_of_any_length_or_bytes_is_a_usage_error() -> None:
    code, _, err = run("a" * 5000)
    assert code == 2
    assert "Traceback" not in err and "No such command 'aaaa" in boxed(err)
    code, _, err = run("a\x1b[31m.xlsx")
    assert code == 2
    assert "\x1b" not in err
    assert "did you mean `urbanscreen check 'a\\x1b[31m.xlsx'`?" in boxed(err)


def test_a_missing_table_is_offered_tables_only(tmp_path: Path) -> None:
    """A criteria file or a saved result named like the table is not a table to screen."""
    for name in ("districts.toml", "districts.json", "district.csv"):
        (tmp_path / name).write_bytes(b"x")
    code, _, err = run("check", "--lang", "en", str(tmp_path / "districts.xlsx"))
    assert code == 2
    assert f"  hint: did you mean `{tmp_path / 'district.csv'}`?" in err.splitlines()
