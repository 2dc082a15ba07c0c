"""The documentation: a short README whose examples run, a docs site that builds, and a CLI
reference and --help that say what the tool does."""

from __future__ import annotations

import importlib.util
import re
import shlex
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from urbanscreen.cli import app

from .conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"


def blocks(text: str, language: str) -> list[str]:
    """The fenced blocks of ``language``, dedented (a block may sit in a list item)."""
    found = re.findall(rf"^( *)```{language}\n(.*?)^\1```", text, flags=re.MULTILINE | re.DOTALL)
    return [textwrap.dedent(body) for _, body in found]


def test_the_readme_is_a_newcomers_page() -> None:
    text = README.read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    for heading in ("## Two commands", "## Quick start", "## Common tasks", "## Documentation"):
        assert heading in text
    test_command = "python3 -m venv .venv && .venv/bin/pip install -e '.[dev]' && .venv/bin/pytest"
    assert f"    {test_command}\n" in text
    for link in re.findall(r"\]\((docs/[^)#]+)", text):
        assert (ROOT / link).is_file(), link


def test_the_readmes_commands_run_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands = [
        line.removeprefix("$ urbanscreen ")
        for block in blocks(README.read_text(encoding="utf-8"), "console")
        for line in block.splitlines()
        if line.startswith("$ urbanscreen ")
    ]
    assert len(commands) >= 8
    shutil.copytree(ROOT / "data", tmp_path / "data")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    for command in commands:
        arguments, _, target = command.partition(" > ")
        done = runner.invoke(app, shlex.split(arguments))
        assert done.exit_code == 0, (command, done.stderr)
        if target:
            Path(target).write_text(done.stdout, encoding="utf-8")
    assert (tmp_path / "report.xlsx").is_file()
    assert (tmp_path / "result.json").read_text(encoding="utf-8").startswith("{")


def test_the_readme_screens_a_dataframe_in_three_lines(monkeypatch: pytest.MonkeyPatch) -> None:
    setup, screening = blocks(README.read_text(encoding="utf-8"), "python")
    assert len(screening.strip().splitlines()) == 3
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {}
    exec(setup + screening, namespace)
    assert namespace["result"].summary.qualifying == 15  # type: ignore[attr-defined]


@pytest.mark.parametrize("page", ["python-api.md", "json.md"])
def test_the_python_examples_in_the_docs_run(page: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    examples = blocks((DOCS / page).read_text(encoding="utf-8"), "python")
    assert examples
    for example in examples:
        exec(example, {})


def test_the_internals_page_lists_every_module_once() -> None:
    """A newcomer names each module's job from the listing: a module split or added is listed."""
    text = (DOCS / "internals.md").read_text(encoding="utf-8")
    listed = re.findall(r"^      (\S+\.py|\S+/) ", text, flags=re.MULTILINE)
    package = ROOT / "src" / "urbanscreen"
    modules = [p.name for p in package.glob("*.py") if not p.name.startswith("__")]
    packages = [f"{p.name}/" for p in package.iterdir() if (p / "__init__.py").is_file()]
    assert sorted(listed) == sorted({*listed})  # each once
    assert sorted(listed) == sorted([*modules, *packages, "presets/"])


def test_the_cli_reference_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "cli_reference.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None, reason="mkdocs comes with the docs extra"
)
def test_the_docs_site_builds(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"NO_MKDOCS_2_WARNING": "1", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "python-api" / "index.html").is_file()


@pytest.mark.parametrize(
    "command",
    [[], ["check"], ["diff"], ["fetch"], ["criteria"], ["criteria", "show"], ["criteria", "list"]],
    ids=" ".join,
)
def test_help_reads_like_a_man_page(command: list[str]) -> None:
    done = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"})
    assert done.exit_code == 0
    assert "<bool>" not in done.stdout
    usage = next(line for line in done.stdout.splitlines() if line.strip().startswith("Usage:"))
    assert "{" not in usage, "FILE, not {file}"


def test_the_exit_codes_are_one_sentence_in_help() -> None:
    # Wide enough for the whole sentence: a break in it must be one the text has.
    done = CliRunner().invoke(app, ["check", "--help"], env={"COLUMNS": "400"})
    assert (
        "Exit codes: 0 done; 1 --baseline differs or a --fail-on condition happened; 2 bad "
        "input, criteria or usage, or a file that cannot be read or written; 3 an internal "
        "error (a bug); 128 + the signal when stopped (130 Ctrl-C, 143 SIGTERM); 141 when "
        "stdout's reader left."
    ) in done.stdout
    assert "Usage: urbanscreen check [OPTIONS] FILE" in done.stdout


def test_fetch_exit_codes_are_one_sentence_in_help() -> None:
    done = CliRunner().invoke(app, ["fetch", "--help"], env={"COLUMNS": "400"})
    assert (
        "Exit codes: 0 written, or already current; 2 bad selection, usage, a file that cannot "
        "be written, or the API cannot be reached or refused (after bounded retries); 129, 130, "
        "143 stopped by SIGHUP, SIGINT or SIGTERM (the file being written is not, and a file "
        "already there is unchanged)."
    ) in done.stdout
