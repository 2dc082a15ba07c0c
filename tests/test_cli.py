"""The command line as a user meets it: output, exit codes, and every bad input."""

from __future__ import annotations

import gc
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from urbanscreen import __version__
from urbanscreen.cli import app

from .conftest import DATA, ROOT, SAMPLE, SCB_HEADERS, scb_row, write_csv, write_xlsx


def run(runner: CliRunner, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_version(runner: CliRunner) -> None:
    code, out, _ = run(runner, "--version")
    assert (code, out.strip()) == (0, f"urbanscreen {__version__}")


def test_help_shows_examples(runner: CliRunner) -> None:
    code, out, _ = run(runner, "check", "--help")
    assert code == 0
    assert "urbanscreen check districts.xlsx" in out
    assert "--criteria" in out and "--format" in out


def test_check_sample_table(runner: CliRunner) -> None:
    code, out, err = run(runner, "check", "--lang", "en", str(SAMPLE / "districts.xlsx"))
    assert code == 0, err
    assert "15 of 27 districts qualify" in out
    assert "Urbant utvecklingsarbete 2012 (SCB)" in out
    assert "Criteria: " in out
    lines = out.splitlines()
    verdicts = [
        found.group(1) for line in lines if (found := re.search(r"\s(YES|no|unknown)\s", line))
    ]
    assert verdicts == ["YES"] * 15 + ["no"] * 12, "qualifying districts come first"
    assert all(len(line) <= 100 for line in lines)
    husby = next(line for line in lines if line.startswith(" Husby"))
    assert husby.split()[2:4] == ["no", "✗"], "Husby fails förvärvsfrekvens, exactly 52.0"


def test_check_json_document(runner: CliRunner) -> None:
    code, out, err = run(runner, "check", str(SAMPLE / "districts.csv"), "--format", "json")
    assert code == 0, err
    document = json.loads(out)
    assert document["schema_version"] == 1
    assert document["tool"] == {"name": "urbanscreen", "version": __version__}
    assert document["input"]["path"].endswith("districts.csv")
    assert len(document["input"]["sha256"]) == 64
    assert document["criteria"]["name"] == "Urbant utvecklingsarbete 2012 (SCB)"
    assert len(document["criteria"]["sha256"]) == 64
    assert document["summary"] == {
        "districts": 27,
        "qualifying": 15,
        "not_qualifying": 12,
        "unknown": 0,
    }
    district = document["districts"][0]
    assert set(district) >= {"id", "name", "municipality", "qualifies", "criteria"}
    assert set(district["criteria"][0]) >= {"id", "value", "op", "threshold", "met", "margin"}
    thresholds = [c["threshold"] for c in document["criteria"]["criteria"]]
    assert thresholds == [52, 4.8, 70, 4000]


def test_json_for_missing_values_is_null(runner: CliRunner) -> None:
    code, out, _ = run(runner, "check", str(DATA / "pxweb_latin1.csv"), "-f", "json")
    assert code == 0
    document = json.loads(out)
    by_name = {d["name"]: d for d in document["districts"]}
    assert by_name["Hjällbo"]["qualifies"] is None
    lfs = by_name["Hjällbo"]["criteria"][1]
    assert (lfs["value"], lfs["met"], lfs["margin"]) == (None, None, None)
    assert by_name["Lövgärdet"]["qualifies"] is False  # fails anyway
    assert by_name["Rinkeby"]["id"] == "0180 Rinkeby"
    assert document["input"]["encoding"] in {"cp1252", "latin-1"}


def test_boundaries_follow_the_operators(runner: CliRunner) -> None:
    _, out, _ = run(runner, "check", str(DATA / "boundaries.csv"), "-f", "json")
    answers = {d["id"]: d["qualifies"] for d in json.loads(out)["districts"]}
    assert answers == {"A1": False, "A2": False, "A3": False, "A4": True, "A5": False}


def test_names_are_printed_literally(runner: CliRunner) -> None:
    code, out, _ = run(runner, "check", str(DATA / "markup_names.csv"))
    assert code == 0
    assert "Fittja [red]x[/red]" in out
    assert "=1+2" in out


def test_leading_zero_codes_survive(runner: CliRunner) -> None:
    code, out, err = run(runner, "check", str(DATA / "leading_zeros.xlsx"), "-f", "json")
    assert code == 0, err
    ids = [d["id"] for d in json.loads(out)["districts"]]
    assert ids == ["0114A0010", "0180C1010"]
    assert "skipped-rows" in err


def test_criteria_option_and_preset_name(runner: CliRunner, tmp_path: Path) -> None:
    mine = tmp_path / "mine.toml"
    text = (
        (ROOT / "criteria.toml")
        .read_text(encoding="utf-8")
        .replace("threshold = 4000", "threshold = 20000")
    )
    mine.write_text(text, encoding="utf-8")
    code, out, _ = run(
        runner, "check", "--lang", "en", str(SAMPLE / "districts.csv"), "--criteria", str(mine)
    )
    assert code == 0
    assert "0 of 27 districts qualify" in out
    assert f"Criteria: {mine}" in out
    code, out, _ = run(
        runner, "check", "--lang", "en", str(SAMPLE / "districts.csv"), "-c", "scb-2012"
    )
    assert "Criteria: scb-2012 (preset shipped with urbanscreen)" in out


def test_local_criteria_file_is_picked_up(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    _, out, _ = run(runner, "check", "--lang", "en", str(SAMPLE / "districts.csv"))
    assert "Criteria: scb-2012 (preset shipped with urbanscreen)" in out
    (tmp_path / "criteria.toml").write_bytes((ROOT / "criteria.toml").read_bytes())
    _, out, _ = run(runner, "check", "--lang", "en", str(SAMPLE / "districts.csv"))
    assert "Criteria: criteria.toml" in out


def bad_inputs(tmp: Path) -> dict[str, tuple[list[str], str, str]]:
    """name -> (arguments, error code, text the message must hold)."""
    not_xlsx = tmp / "not.xlsx"
    not_xlsx.write_text("a;b\n", encoding="utf-8")
    empty = tmp / "empty.csv"
    empty.write_bytes(b"")
    header_only = write_csv(tmp / "header.csv", [SCB_HEADERS])
    missing_column = write_csv(tmp / "missing.csv", [SCB_HEADERS[:-1], scb_row("A")[:-1]])
    percent = write_xlsx(tmp / "pct.xlsx", [SCB_HEADERS, scb_row("A", gb=140)])
    duplicates = write_csv(tmp / "dup.csv", [SCB_HEADERS, scb_row("A"), scb_row("A")])
    bad_toml = tmp / "bad.toml"
    bad_toml.write_text("version = 1\n[scheme\n", encoding="utf-8")
    invalid = tmp / "invalid.toml"
    invalid.write_text(
        (ROOT / "criteria.toml").read_text(encoding="utf-8").replace('op = "<"', 'op = "lt"', 1),
        encoding="utf-8",
    )
    sample = str(SAMPLE / "districts.csv")
    return {
        "missing file": ([str(tmp / "nope.xlsx")], "file-not-found", "nope.xlsx"),
        "not a workbook": ([str(not_xlsx)], "unreadable-file", "not an Excel workbook"),
        "empty file": ([str(empty)], "empty-input", "empty"),
        "header without rows": ([str(header_only)], "empty-input", "no data rows"),
        "missing column": ([str(missing_column)], "missing-column", "Folkmängd"),
        "non-numeric": ([str(DATA / "bad_value.xlsx")], "non-numeric-value", "row 3"),
        "percent out of range": ([str(percent)], "value-out-of-range", "row 2"),
        "duplicate ids": ([str(duplicates)], "duplicate-id", "rows 2 and 3"),
        "invalid toml": ([sample, "-c", str(bad_toml)], "invalid-criteria", "line 2, column 8"),
        "invalid criteria": ([sample, "-c", str(invalid)], "invalid-criteria", "criteria[0].op"),
        "folder": ([str(tmp)], "unreadable-file", "folder"),
        "unknown sheet": (
            [str(SAMPLE / "districts.xlsx"), "--sheet", "X"],
            "invalid-option",
            "'Stadsdelar'",
        ),
    }


CASES = [
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
]


@pytest.mark.parametrize("case", CASES)
def test_bad_input_is_two_lines_and_exit_2(runner: CliRunner, tmp_path: Path, case: str) -> None:
    cases = bad_inputs(tmp_path)
    assert sorted(cases) == sorted(CASES)
    arguments, error_code, text = cases[case]
    code, out, err = run(runner, "check", "--lang", "en", *arguments)
    assert code == 2
    assert out == ""
    assert "Traceback" not in err
    lines = err.strip().splitlines()
    assert 1 <= len(lines) <= 2, err
    assert lines[0].startswith(f"urbanscreen: error [{error_code}]: ")
    assert text in err
    if len(lines) == 2:
        assert lines[1].startswith("  hint: ")


def test_non_numeric_error_names_file_row_column_value(runner: CliRunner) -> None:
    _, _, err = run(runner, "check", "--lang", "en", str(DATA / "bad_value.xlsx"))
    assert "bad_value.xlsx, sheet 'Sheet', row 3, column 'Långvarigt försörjningsstöd'" in err
    assert "'ej tillg.'" in err


def test_usage_errors_exit_2(runner: CliRunner) -> None:
    assert run(runner, "check")[0] == 2
    assert run(runner, "check", "x.csv", "--format", "xml")[0] == 2


def test_debug_shows_traceback(runner: CliRunner, tmp_path: Path) -> None:
    _, _, err = run(runner, "check", str(tmp_path / "nope.csv"), "--debug")
    assert "Traceback" in err


def subprocess_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"FORCE_COLOR", "GITHUB_ACTIONS"}}
    env["COLUMNS"] = "100"
    return env


def run_module(
    *arguments: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`python -m urbanscreen ARGUMENTS` in a process of its own, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "urbanscreen", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=subprocess_env() if env is None else env,
        check=False,
    )


def test_python_m_and_any_folder(tmp_path: Path) -> None:
    done = run_module("check", "--lang", "en", str(SAMPLE / "districts.xlsx"), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "15 of 27 districts qualify" in done.stdout
    assert "Criteria: scb-2012 (preset shipped with urbanscreen)" in done.stdout


@pytest.mark.parametrize("arguments", [["--help"], ["--version"], ["check", "--help"]])
def test_help_and_version_import_no_pandas(arguments: list[str]) -> None:
    code = (
        "import sys\n"
        "from urbanscreen.cli import app\n"
        "try:\n"
        f"    app({arguments!r})\n"
        "except SystemExit:\n"
        "    pass\n"
        "print('pandas' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == "False"


_READERS = {"urbanscreen.csvbody", "urbanscreen.pcaxis"}


@pytest.mark.parametrize(
    ("table", "needed"),
    [
        (SAMPLE / "districts.xlsx", set()),
        (SAMPLE / "districts.csv", {"urbanscreen.csvbody"}),
        (DATA / "scb_indicators.px", {"urbanscreen.pcaxis"}),
    ],
)
def test_a_check_imports_the_readers_its_input_needs(table: Path, needed: set[str]) -> None:
    # The CSV body reader and the PC-Axis parser are imported by the checks that read
    # them (docs/internals.md), not by every check.
    code = (
        "import sys\n"
        "from urbanscreen.cli import app\n"
        "try:\n"
        f"    app(['check', {str(table)!r}])\n"
        "except SystemExit as exit:\n"
        "    assert exit.code == 0, exit.code\n"
        f"print(sorted(name for name in {sorted(_READERS)!r} if name in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=True,
    )
    assert done.stdout.strip().splitlines()[-1] == repr(sorted(needed))


def test_no_color_output_has_no_escape_codes(tmp_path: Path) -> None:
    env = subprocess_env() | {"NO_COLOR": "1"}
    done = run_module("check", str(SAMPLE / "districts.csv"), env=env)
    assert done.returncode == 0, done.stderr
    assert "\x1b[" not in done.stdout
    assert "✓" in done.stdout and "✗" in done.stdout


def test_fail_on_unknown_exits_1(runner: CliRunner) -> None:
    path = str(DATA / "pxweb_latin1.csv")
    assert run(runner, "check", "--lang", "en", path)[0] == 0
    code, out, err = run(runner, "check", "--lang", "en", path, "--fail-on", "unknown")
    assert code == 1
    assert "2 of 5 districts qualify; 1 cannot be decided" in out
    assert "exit 1: --fail-on unknown: 1 area(s) cannot be decided" in err


def test_fail_on_warnings_exits_1(runner: CliRunner) -> None:
    path = str(DATA / "leading_zeros.xlsx")
    assert run(runner, "check", path, "--fail-on", "unknown")[0] == 0
    code, _, err = run(runner, "check", path, "--fail-on", "warnings")
    assert code == 1
    assert "skipped-rows" in err


def test_notes_and_warnings_on_stderr(runner: CliRunner) -> None:
    code, out, err = run(runner, "check", "--lang", "en", str(DATA / "pxweb_years_as_columns.csv"))
    assert code == 0
    assert "urbanscreen: note [year-chosen]" in err
    assert "urbanscreen: warning [unused-indicators]" in err
    assert "year 2012" in out
    assert "? missing" in out


def test_json_carries_year_sexes_uncertainty_and_issues(runner: CliRunner) -> None:
    code, out, _ = run(runner, "check", str(DATA / "kolada_by_sex.csv"), "-f", "json")
    assert code == 0
    document = json.loads(out)
    assert document["input"]["year"] == 2012
    assert document["input"]["by_sex"] is True
    assert document["criteria"]["population_floor"] == 20
    tynnered = next(d for d in document["districts"] if d["name"] == "Tynnered")
    assert tynnered["uncertain"] is True
    employment = tynnered["criteria"][0]
    assert (employment["women"], employment["men"], employment["gap"]) == (69.5, 72.4, -2.9)
    levels = {issue["code"]: issue["level"] for issue in document["issues"]}
    assert levels == {"year-chosen": "info", "small-population": "warning"}


def test_women_and_men_table(runner: CliRunner) -> None:
    _, out, _ = run(runner, "check", "--lang", "en", str(DATA / "kolada_by_sex.csv"))
    assert "Women and men" in out
    assert "40.1 / 46.0 (-5.9)" in out
    assert "Tynnered †" in out


def test_year_option(runner: CliRunner) -> None:
    code, out, err = run(
        runner, "check", "--lang", "en", str(DATA / "scb_indicators.px"), "--year", "2011"
    )
    assert code == 0, err
    assert "year 2011" in out
    assert "3 of 3 districts qualify" in out


def test_an_80_column_terminal_gets_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    result = CliRunner().invoke(app, ["check", "--lang", "en", str(SAMPLE / "districts.xlsx")])
    lines = result.stdout.splitlines()
    assert all(len(line) <= 80 for line in lines)
    row = next(i for i, line in enumerate(lines) if line.startswith(" Rinkeby,"))
    assert " ".join(lines[row].split()) == "Rinkeby, YES ✓ 44.2 ✓ 11.9 ✓ 61.5 ✓ 15 600"
    assert lines[row + 1].strip() == "Stockholm"


def test_narrow_terminal_keeps_names_and_verdicts(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "50")
    result = CliRunner().invoke(app, ["check", "--lang", "en", str(SAMPLE / "districts.xlsx")])
    lines = result.stdout.splitlines()
    assert "YES  Rinkeby, Stockholm" in lines
    assert "no  Husby, Stockholm" in lines
    assert "    ✗ 52.0  Employment rate < 52 %" in lines  # --lang en: the English label


def test_piped_output_is_wide(tmp_path: Path) -> None:
    env = {k: v for k, v in subprocess_env().items() if k != "COLUMNS"}
    done = run_module("check", str(SAMPLE / "districts.xlsx"), env=env)
    assert done.returncode == 0, done.stderr
    assert "Södra Sofielund/Seved, Malmö" in done.stdout


def test_internal_error_is_one_line_and_exit_3(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr("urbanscreen.engine.screen", broken)
    code, _, err = run(runner, "check", str(SAMPLE / "districts.csv"))
    assert code == 3
    assert err.strip() == (
        "urbanscreen: internal error (RuntimeError: boom). This is a bug: please report it "
        "with the output of --debug."
    )


def test_long_tables_are_summarised_in_the_terminal(runner: CliRunner, tmp_path: Path) -> None:
    rows = [SCB_HEADERS] + [
        scb_row(f"A{i}", ff=45 if i % 100 == 0 else 60, code="1480") for i in range(700)
    ]
    path = write_csv(tmp_path / "many.csv", rows)
    result = runner.invoke(app, ["check", "--lang", "en", str(path)])
    assert result.exit_code == 0
    assert "7 of 700 districts qualify" in result.stdout
    from urbanscreen.render.terminal import HIGHLIGHTS

    # All 7 qualifying, and the nearest misses up to HIGHLIGHTS.
    assert f"{700 - 7 - HIGHLIGHTS} more not shown here" in result.stdout
    assert " A0, Göteborg " in result.stdout
    assert "Every area: --format csv, --format json or --output report.xlsx" in result.stdout


def test_beyond_a_workbooks_limit_the_terminal_points_to_csv(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A workbook of more areas than MAX_WORKBOOK_AREAS is abridged: it is not "every area"."""
    monkeypatch.setattr("urbanscreen.render.terminal.MAX_WORKBOOK_AREAS", 600)
    rows = [SCB_HEADERS] + [scb_row(f"A{i}", ff=60, code="1480") for i in range(700)]
    result = runner.invoke(
        app, ["check", "--lang", "en", str(write_csv(tmp_path / "many.csv", rows))]
    )
    assert "Every area: --format csv, --format json or --output report.csv" in result.stdout


def test_parquet_input(runner: CliRunner, tmp_path: Path) -> None:
    frame = pd.DataFrame(
        {
            "Kommunkod": ["0180", "1480"],
            "Stadsdel": ["Rinkeby", "Hjällbo"],
            "Förvärvsfrekvens": [44.2, 55.0],
            "Långvarigt försörjningsstöd": [11.9, 9.0],
            "Gymnasiebehörighet": [61.5, 50.0],
            "Folkmängd": [15600, 7300],
        }
    )
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    result = runner.invoke(app, ["check", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["input"]["format"] == "parquet"
    assert [d["id"] for d in document["districts"]] == ["0180 Rinkeby", "1480 Hjällbo"]


def test_a_parquet_text_column_is_read_as_a_dataframe_s_is(
    runner: CliRunner, tmp_path: Path
) -> None:
    # docs/inputs.md: typed columns kept, text read as in a CSV file (decimal commas too),
    # as the same frame handed to the Python API is.
    frame = pd.DataFrame(
        {
            "Kommunkod": ["0180", "1480"],
            "Stadsdel": ["Rinkeby", "Hjällbo"],
            "Förvärvsfrekvens": [44.2, 55.0],
            "Långvarigt försörjningsstöd": ["11,9", ".."],
            "Gymnasiebehörighet": [61.5, 50.0],
            "Folkmängd": [15600, 7300],
        }
    )
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    result = runner.invoke(app, ["check", str(path), "-f", "json"])
    assert result.exit_code == 0, result.stderr
    values = [
        next(c["value"] for c in d["criteria"] if c["id"] == "langvarigt_forsorjningsstod")
        for d in json.loads(result.stdout)["districts"]
    ]
    assert values == [11.9, None]


def test_parquet_nullable_integers_with_gaps_are_missing_values(
    runner: CliRunner, tmp_path: Path
) -> None:
    frame = pd.DataFrame(
        {
            "Kommunkod": ["0180", "0180"],
            "Stadsdel": ["Rinkeby", "Tensta"],
            "Förvärvsfrekvens": pd.array([44, None], dtype="Int64"),
            "Långvarigt försörjningsstöd": [11.9, 9.6],
            "Gymnasiebehörighet": [61.5, 64.0],
            "Folkmängd": pd.array([15600, None], dtype="Int64"),
        }
    )
    path = tmp_path / "d.parquet"
    frame.to_parquet(path)
    result = runner.invoke(app, ["check", "--lang", "en", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "1 of 2 districts qualifies; 1 cannot be decided (missing values)" in result.stdout
    frame["Kommunkod"] = pd.array([180, None], dtype="Int64")  # a code column with a gap
    frame.to_parquet(path)
    result = runner.invoke(app, ["check", "--lang", "en", str(path)])
    assert result.exit_code == 0, result.stderr
    assert "<NA>" not in result.stdout


def test_the_console_script_exits_with_each_code_and_complete_output(tmp_path: Path) -> None:
    # main() ends through sys.exit after its own flush: exit codes and output must survive.
    done = run_module("check", str(SAMPLE / "districts.xlsx"), "--format", "json")
    assert done.returncode == 0, done.stderr
    assert len(json.loads(done.stdout)["districts"]) == 27
    bad = write_csv(tmp_path / "bad.csv", [SCB_HEADERS, scb_row("A", ff="lots")])
    done = run_module("check", str(bad))
    assert done.returncode == 2
    assert "lots" in done.stderr
    done = run_module(
        "check", str(SAMPLE / "districts.xlsx"), "--fail-on", "changed", "--baseline", str(bad)
    )
    assert done.returncode == 2
    done = run_module("--version")
    assert done.returncode == 0
    assert __version__ in done.stdout


def test_only_the_console_script_freezes_the_collector(runner: CliRunner) -> None:
    # gc.freeze keeps objects from the collector for good: a program or a test running the
    # typer app in its own process must find its collector as it left it.
    before = gc.get_freeze_count()
    result = runner.invoke(app, ["check", str(SAMPLE / "districts.xlsx")])
    assert result.exit_code == 0, result.stderr
    assert gc.get_freeze_count() == before
    # The console script, whose process is the command's own, still does (collector.py).
    script = (
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('frozen', gc.get_freeze_count(), file=sys.stderr))\n"
        "from urbanscreen.cli import main\n"
        f"sys.argv = ['urbanscreen', 'check', {str(SAMPLE / 'districts.xlsx')!r}]\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert done.returncode == 0, done.stderr
    frozen = re.search(r"frozen (\d+)", done.stderr)
    assert frozen is not None and int(frozen.group(1)) > 10_000, done.stderr


def test_a_reader_that_goes_away_ends_the_run_quietly(tmp_path: Path) -> None:
    # 3 000 areas print far more than a pipe holds, so the write after `head` left fails.
    rows = [scb_row(f"Område {n}", code=f"{1000 + n % 290:04d}") for n in range(3000)]
    path = write_csv(tmp_path / "many.csv", [SCB_HEADERS, *rows])
    command = f"{sys.executable} -m urbanscreen check {path} --format csv | head -1"
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", command],
        capture_output=True,
        text=True,
        env=subprocess_env(),
        check=False,
    )
    assert done.stdout.count("\n") == 1
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr


def test_districts_made_a_block_at_a_time_read_the_same(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    # JSON, CSV and the workbook take the areas in blocks; a block edge must not show.
    sample = str(SAMPLE / "districts.xlsx")
    whole = runner.invoke(app, ["check", sample, "-f", "json"]).stdout
    monkeypatch.setattr("urbanscreen.result.DISTRICTS_AT_ONCE", 4)
    blocks = runner.invoke(app, ["check", sample, "-f", "json"]).stdout
    assert json.loads(blocks)["districts"] == json.loads(whole)["districts"]
    assert len(json.loads(blocks)["districts"]) == 27


@pytest.mark.parametrize("closed", ["2>&-", ">&-"], ids=["stderr", "stdout"])
def test_exit_codes_hold_when_a_stream_was_closed_at_start(tmp_path: Path, closed: str) -> None:
    # cron and daemons may start us without stdout or stderr; the exit code must still tell.
    bad = write_csv(tmp_path / "bad.csv", [SCB_HEADERS, scb_row("A", ff="lots")])
    good = SAMPLE / "districts.xlsx"
    for arguments, expected in (
        ([str(bad)], 2),
        ([str(good)], 0),
        ([str(good), "-f", "json"], 0),
        ([str(good), "-f", "csv"], 0),
        (["--version"], None),
    ):
        check = ["check"] if expected is not None else []
        # -X dev shows what a normal exit would leave behind (an unclosed stream at teardown).
        command = " ".join([sys.executable, "-X", "dev", "-m", "urbanscreen", *check, *arguments])
        done = subprocess.run(
            ["bash", "-c", f"{command} {closed}"],
            capture_output=True,
            text=True,
            env=subprocess_env(),
            check=False,
        )
        assert done.returncode == (expected or 0), (arguments, done.stderr)
        assert "Traceback" not in done.stderr
        assert "Warning" not in done.stderr, (arguments, done.stderr)
        assert "Exception ignored" not in done.stderr, (arguments, done.stderr)
