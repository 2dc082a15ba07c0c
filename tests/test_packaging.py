"""Honest packaging: floors that agree, a licence, a workflow, a wheel that installs."""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest

from .conftest import ROOT, SAMPLE


def _floors_module() -> object:
    spec = importlib.util.spec_from_file_location("floors", ROOT / "ci" / "floors.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_pinned_floors_are_pyprojects() -> None:
    floors = _floors_module()
    assert floors.problems() == []  # type: ignore[attr-defined]
    pinned = floors.pinned_floors()  # type: ignore[attr-defined]
    # numpy is imported by urbanscreen itself, so it is a dependency with a floor of its own.
    assert {"numpy", "pandas", "typer", "pyarrow"} <= pinned.keys()


def test_the_licence_is_the_one_pyproject_names() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License")
    assert "urbanscreen contributors" in text


def test_the_workflow_runs_the_tests_on_every_supported_python() -> None:
    workflow = (ROOT / ".github" / "workflows" / "tests.yml").read_text(encoding="utf-8")
    assert "push:" in workflow and "pull_request:" in workflow
    assert 'python-version: ["3.11", "3.12", "3.13"]' in workflow
    assert "pip install -c ci/floors.txt" in workflow


@pytest.mark.skipif(
    importlib.util.find_spec("build") is None, reason="the build frontend is a dev dependency"
)
def test_the_wheel_builds_and_runs_where_it_is_installed(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--outdir", str(tmp_path / "dist"), str(ROOT)],
        check=True,
        capture_output=True,
    )
    (wheel,) = (tmp_path / "dist").glob("urbanscreen-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "urbanscreen/presets/scb-2012.toml" in names
    assert "urbanscreen/py.typed" in names
    assert any(name.endswith("licenses/LICENSE") for name in names)
    # Installed on its own (the dependencies are this environment's), away from src/.
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), wheel],
        check=True,
        capture_output=True,
    )
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import urbanscreen; "
        "assert urbanscreen.__file__.startswith(sys.argv[1]), urbanscreen.__file__; "
        "from urbanscreen.cli import main; sys.argv = ['urbanscreen', 'check', sys.argv[2]]; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(target), str(SAMPLE / "districts.csv")],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    # The sample's scheme is Swedish, and so is the table.
    assert "15 av 27 områden uppfyller villkoren" in done.stdout


def test_area_code_shapes_live_in_one_module() -> None:
    """DeSO, RegSO and vintage-suffix shapes were written out in four modules."""
    shapes = (r"[ABC]\d{4}", r"R\d{3}", r"_(?:DeSO|RegSO)\d{4}")
    elsewhere = [
        f"{path.name}: {shape}"
        for path in sorted((ROOT / "src" / "urbanscreen").rglob("*.py"))
        if path.name != "codes.py"
        for shape in shapes
        if shape in path.read_text(encoding="utf-8")
    ]
    assert elsewhere == []


# The frames' own column names, and the marks of the columns derived per criterion, outcome,
# tier, rule node and group.
FRAME_COLUMNS = {"id", "name", "municipality", "municipality_code", "row", "areas"}
FRAME_COLUMNS |= {"qualifies", "uncertain"}
# The long records' columns, and the roles a file's columns play (year, sex, indicator, value
# and region: the keys of the columns matched and of a reader's fixed roles).
FRAME_COLUMNS |= {"source", "criterion", "year", "sex", "cell", "header", "value"}
FRAME_COLUMNS |= {"indicator", "region"}
DERIVED_SUFFIXES = (":women", ":men", ":low", ":high", ":numerator", ":denominator")
DERIVED_SUFFIXES += (":met", ":margin", ":threshold")
DERIVED_PREFIXES = ("outcome:", "tier:", "node:", "group:")
# Mappings that share those keys but are no frames: label words, JSON documents.
NOT_FRAMES = {"words", "document", "district", "body", "codelist"}
# Column makers whose mark (a sex, a bound's side) comes from columns.py too.
MARKED_COLUMNS = {"sex_column", "bound_column"}
# Frame methods that name columns.
NAMING_METHODS = {"drop_duplicates", "duplicated", "groupby", "pivot", "set_index", "sort_values"}


def _frame_column_literals(tree: ast.AST) -> list[str]:
    """Where a module writes out a frame's column name instead of importing it."""
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
            if text.endswith(DERIVED_SUFFIXES) or text.startswith(DERIVED_PREFIXES):
                found.append(f"{node.lineno}: {text!r}")
        elif isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Constant):
            mapping = ast.unparse(node.value).split(".")[-1]
            if node.slice.value in FRAME_COLUMNS and mapping not in NOT_FRAMES:
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.Call) and ast.unparse(node.func).split(".")[-1] in (
            NAMING_METHODS | {"column", "_listed"}
        ):
            arguments = [*node.args, *(k.value for k in node.keywords)]
            names = [
                item.value
                for argument in arguments
                for item in (argument.elts if isinstance(argument, ast.List) else [argument])
                if isinstance(item, ast.Constant)
            ]
            found += [f"{node.lineno}: {ast.unparse(node)}" for n in names if n in FRAME_COLUMNS]
        elif isinstance(node, ast.Call) and ast.unparse(node.func) in MARKED_COLUMNS:
            # A sex's or a bound's column marked with the sex or side spelt out.
            found += [
                f"{node.lineno}: {ast.unparse(node)}"
                for argument in node.args[1:]
                if isinstance(argument, ast.Constant)
            ]
        elif isinstance(node, ast.Call) and ast.unparse(node.func).endswith("DataFrame"):
            # A frame built from a dict naming its columns (the long records).
            keys = [k for a in node.args if isinstance(a, ast.Dict) for k in a.keys]
            found += [
                f"{node.lineno}: {key.value!r}"
                for key in keys
                if isinstance(key, ast.Constant) and key.value in FRAME_COLUMNS
            ]
        elif isinstance(node, ast.List | ast.Tuple | ast.Set):
            # A list of the area columns written out again (the result's, the reserved ids).
            items = {item.value for item in node.elts if isinstance(item, ast.Constant)}
            if len(items & FRAME_COLUMNS) >= 3:
                found.append(f"{node.lineno}: {ast.unparse(node)[:60]}")
    return found


def test_frame_column_names_live_in_one_module() -> None:
    """The frames' column names (id, name, the per-criterion sex, bound, met and margin
    columns, …) were spelt out in table, result, followup, engine, aggregate and renderers;
    the long records' (criterion, year, sex, cell, …) in layout, pivot and years; the sexes
    and sides of sex_column and bound_column in engine, result, aggregate and pivot."""
    elsewhere = [
        f"{path.relative_to(ROOT / 'src' / 'urbanscreen')}:{line}"
        for path in sorted((ROOT / "src" / "urbanscreen").rglob("*.py"))
        if path.name != "columns.py"
        for line in _frame_column_literals(ast.parse(path.read_text(encoding="utf-8")))
    ]
    assert elsewhere == []


def test_no_process_exit_trick_and_the_collector_tuned_in_one_module() -> None:
    """No os._exit, no private atexit runner, no ctypes (malloc_trim) and no paused
    collector anywhere; gc, for gc.freeze, the one tuning kept, imported only by
    collector.py, which names the benchmark rows that need it. Read as code (every file,
    ``__init__.py`` of each package too), so ``from gc import freeze`` counts as well."""
    package = ROOT / "src" / "urbanscreen"
    imports: dict[str, set[str]] = {}
    attributes: dict[str, set[str]] = {}
    for path in sorted(package.rglob("*.py")):
        name = path.relative_to(package).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    imports.setdefault(alias.name.split(".")[0], set()).add(name)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                imports.setdefault(node.module.split(".")[0], set()).add(name)
            elif isinstance(node, ast.Attribute):
                owner = node.value.id if isinstance(node.value, ast.Name) else ""
                attributes.setdefault(f"{owner}.{node.attr}", set()).add(name)
    assert imports.get("gc") == {"collector.py"}
    assert imports.get("ctypes") is None
    tricks = {"os._exit", "atexit._run_exitfuncs", "gc.disable", "gc.collect"}
    used = {attribute: files for attribute, files in attributes.items() if attribute in tricks}
    assert used == {}
    assert not [attribute for attribute in attributes if attribute.endswith(".malloc_trim")]
    collector = (package / "collector.py").read_text(encoding="utf-8")
    assert "Excel report of 6 160 areas" in collector
    assert "check 6 160 areas (xlsx)" in collector
