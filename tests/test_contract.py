"""The JSON contract: typed models, the schemas generated from them, and what is written."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from urbanscreen.cli import app
from urbanscreen.contract import DiffDocument, ResultDocument, undeclared_keys

from .conftest import DATA, ROOT, SAMPLE

STORED = ROOT / "data" / "baseline" / "districts.json"


def check_json(*args: str) -> str:
    printed = CliRunner().invoke(app, ["check", *args, "--format", "json"])
    assert printed.exit_code == 0, printed.stderr
    return printed.stdout


def test_the_committed_schemas_are_generated_from_the_models() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "schemas.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("saved", [STORED, DATA / "result-v1.json"], ids=["baseline", "v0.1.0"])
def test_a_saved_result_is_a_result_document(saved: Path) -> None:
    document = ResultDocument.model_validate_json(saved.read_text(encoding="utf-8"))
    assert document.summary.qualifying == 15
    assert undeclared_keys(document) == []


@pytest.mark.parametrize(
    ("path", "preset"),
    [
        (SAMPLE / "districts.xlsx", "scb-2012"),
        (DATA / "kolada_by_sex.csv", "scb-2012"),
        (DATA / "pxweb_years_as_columns.csv", "scb-2012"),
        (DATA / "dk_areas.csv", "dk-2021"),
        (DATA / "nmtc_tracts.xlsx", "us-nmtc-2020"),
        (DATA / "se_deso.csv", "se-omradestyper"),
    ],
    ids=lambda p: p.name if isinstance(p, Path) else p,
)
def test_every_key_written_is_declared(path: Path, preset: str) -> None:
    """A key the writer adds without a field in urbanscreen.contract fails here: declare it
    (optional, with a description), then run `python scripts/schemas.py`."""
    text = check_json(str(path), "-c", preset)
    document = ResultDocument.model_validate_json(text)
    assert undeclared_keys(document) == []
    # Nothing is lost or changed on the way through the model.
    assert document.model_dump(mode="json", exclude_unset=True) == json.loads(text)


def test_districts_built_from_small_areas_are_declared_too() -> None:
    text = check_json(
        str(SAMPLE / "deso-goteborg.csv"), "--districts", str(SAMPLE / "districts-goteborg.toml")
    )
    document = ResultDocument.model_validate_json(text)
    assert undeclared_keys(document) == []
    assert document.input.districts is not None
    assert document.districts[0].areas


def test_the_diff_document_is_declared(tmp_path: Path) -> None:
    changed = tmp_path / "next.csv"
    text = (SAMPLE / "districts.csv").read_text(encoding="utf-8")
    changed.write_text(text.replace(";Husby;52,0;", ";Husby;51,0;"), encoding="utf-8")
    printed = CliRunner().invoke(app, ["diff", str(STORED), str(changed), "--format", "json"])
    assert printed.exit_code == 1, printed.stderr
    document = DiffDocument.model_validate_json(printed.stdout)
    assert [c.id for c in document.entered] == ["0180 Husby"]
    assert undeclared_keys(document) == []


def test_a_later_version_may_add_keys_a_broken_one_is_refused(tmp_path: Path) -> None:
    document = json.loads(STORED.read_text(encoding="utf-8"))
    document["years"] = {"2023": {"qualifying": 14}}  # a key of a later release
    document["districts"][0]["trend"] = "up"
    later = ResultDocument.model_validate(document)
    assert undeclared_keys(later) == ["$.years", "$.districts[0].trend"]
    del document["districts"][0]["qualifies"]
    with pytest.raises(ValidationError):
        ResultDocument.model_validate(document)
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")
    printed = CliRunner().invoke(app, ["diff", str(broken), str(STORED)])
    assert printed.exit_code == 2
    assert "district '0180 Rinkeby' has no 'qualifies'" in printed.stderr
