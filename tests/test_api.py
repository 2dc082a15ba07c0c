"""The Python API as a notebook meets it: DataFrames and Arrow tables in, the CLI's JSON out."""

from __future__ import annotations

import importlib
import json
import typing
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest
from typer.testing import CliRunner

import urbanscreen
from urbanscreen.cli import app
from urbanscreen.contract import ResultDocument
from urbanscreen.errors import MissingColumnError, OptionError

from .conftest import SAMPLE

DESO = SAMPLE / "deso-goteborg.csv"
DEFINITION = SAMPLE / "districts-goteborg.toml"


def sample_frame() -> pd.DataFrame:
    """The sample table as a notebook would read it: codes as text, numbers as floats."""
    return pd.read_csv(
        SAMPLE / "districts.csv", sep=";", decimal=",", dtype={"Kommunkod": str}, engine="c"
    )


def answers(result: urbanscreen.Result) -> dict[str, bool | None]:
    return {d.name or d.id: d.qualifies for d in result.districts()}


def test_a_dataframe_screens_as_its_file_does(criteria: urbanscreen.Criteria) -> None:
    from_file = urbanscreen.screen(
        urbanscreen.load_table(SAMPLE / "districts.csv", criteria), criteria
    )
    frame = sample_frame()
    from_frame = urbanscreen.screen(urbanscreen.load_table(frame, criteria), criteria)
    assert from_frame.summary == from_file.summary
    assert from_frame.summary.qualifying == 15
    assert answers(from_frame) == answers(from_file)
    rinkeby = next(d for d in from_frame.districts() if d.name == "Rinkeby")
    assert rinkeby.municipality_code == "0180", "a code stays text with its leading zero"
    assert [c.value for c in rinkeby.checks] == [44.2, 11.9, 61.5, 15600]


def test_an_arrow_table_screens_too(criteria: urbanscreen.Criteria) -> None:
    table = pa.Table.from_pandas(sample_frame(), preserve_index=False)
    result = urbanscreen.screen(urbanscreen.load_table(table, criteria), criteria)
    assert result.summary.qualifying == 15


def test_a_named_index_is_a_column(criteria: urbanscreen.Criteria) -> None:
    frame = sample_frame().set_index("Stadsdel")
    result = urbanscreen.screen(urbanscreen.load_table(frame, criteria), criteria)
    assert "Rinkeby" in answers(result)
    assert answers(result)["Husby"] is False, "Husby's 52.0 is not lower than 52"


def test_text_numbers_in_a_frame_are_read_like_a_files(criteria: urbanscreen.Criteria) -> None:
    frame = pd.read_csv(SAMPLE / "districts.csv", sep=";", dtype=str, engine="c")
    assert frame["Förvärvsfrekvens (%)"].iloc[0] == "44,2"
    table = urbanscreen.load_table(frame, criteria)
    assert table.decimal == ","
    assert urbanscreen.screen(table, criteria).summary.qualifying == 15


@pytest.mark.parametrize("blank", [None, float("nan"), pd.NA])
def test_any_blank_of_a_frame_is_unknown(criteria: urbanscreen.Criteria, blank: object) -> None:
    # A column of numbers built by hand holds pandas' NA as often as None or NaN (an object
    # column); each is a value not known, not a crash.
    frame = sample_frame()
    frame["Förvärvsfrekvens (%)"] = pd.Series(
        [*frame["Förvärvsfrekvens (%)"][:-1], blank], dtype=object
    )
    result = urbanscreen.screen(urbanscreen.load_table(frame, criteria), criteria)
    last = list(result.districts())[-1]
    employment = next(c for c in last.checks if c.criterion.id == "forvarvsfrekvens")
    assert employment.value is None and employment.met is None


def test_a_frames_errors_name_the_frame_and_its_row(criteria: urbanscreen.Criteria) -> None:
    with pytest.raises(MissingColumnError) as missing:
        urbanscreen.load_table(sample_frame().drop(columns="Folkmängd"), criteria)
    assert str(missing.value).startswith("<DataFrame>")
    with pytest.raises(OptionError, match="sheet"):
        urbanscreen.load_table(sample_frame(), criteria, sheet="Blad1")


def test_to_json_is_what_the_cli_prints(criteria: urbanscreen.Criteria) -> None:
    path = str(SAMPLE / "districts.csv")
    printed = CliRunner().invoke(app, ["check", path, "--format", "json", "-c", "scb-2012"])
    assert printed.exit_code == 0, printed.stderr
    result = urbanscreen.screen(urbanscreen.load_table(path, criteria), criteria)
    assert printed.stdout == result.to_json() + "\n"


def test_a_frames_json_names_it_and_keeps_the_contract(criteria: urbanscreen.Criteria) -> None:
    result = urbanscreen.screen(urbanscreen.load_table(sample_frame(), criteria), criteria)
    document = ResultDocument.model_validate_json(result.to_json())
    assert (document.input.path, document.input.format) == ("<DataFrame>", "dataframe")
    assert len(document.input.sha256) == 64
    again = urbanscreen.screen(urbanscreen.load_table(sample_frame(), criteria), criteria)
    assert json.loads(again.to_json())["input"]["sha256"] == document.input.sha256
    changed = sample_frame()
    changed.loc[0, "Folkmängd"] = 15601
    other = urbanscreen.screen(urbanscreen.load_table(changed, criteria), criteria)
    assert json.loads(other.to_json())["input"]["sha256"] != document.input.sha256


def test_aggregate_takes_a_frame_and_a_definition_file(criteria: urbanscreen.Criteria) -> None:
    frame = pd.read_csv(DESO, sep=";", dtype=str, engine="c")
    table = urbanscreen.aggregate(frame, criteria, DEFINITION)
    from_files = urbanscreen.aggregate(DESO, criteria, urbanscreen.load_districts(DEFINITION))
    assert answers(urbanscreen.screen(table, criteria)) == answers(
        urbanscreen.screen(from_files, criteria)
    )
    assert "Bergsjön" in answers(urbanscreen.screen(table, criteria))


def test_every_public_name_is_there_and_compare_stays_a_function(tmp_path: Path) -> None:
    for name in urbanscreen.__all__:
        assert getattr(urbanscreen, name) is not None, name
    # Importing the modules binds nothing over the functions of the same names.
    importlib.import_module("urbanscreen.compare")
    importlib.import_module("urbanscreen.aggregate")
    assert callable(urbanscreen.compare) and callable(urbanscreen.aggregate)
    assert urbanscreen.compare.__module__ == "urbanscreen.compare"
    criteria = urbanscreen.load_criteria("scb-2012")
    old = urbanscreen.screen_source(SAMPLE / "districts.csv", criteria)
    frame = sample_frame()
    frame.loc[frame["Stadsdel"] == "Rinkeby", "Förvärvsfrekvens (%)"] = 60.0
    new = urbanscreen.screen_source(frame, criteria)
    comparison = urbanscreen.compare(
        urbanscreen.snapshot_of_result(old), urbanscreen.snapshot_of_result(new)
    )
    assert [c.name for c in comparison.left] == ["Rinkeby"]
    saved = tmp_path / "old.json"
    saved.write_text(old.to_json(), encoding="utf-8")
    assert urbanscreen.load_result_document(saved).districts.keys() == (
        urbanscreen.snapshot_of_result(old).districts.keys()
    )


def test_the_public_classes_type_hints_resolve() -> None:
    # A notebook or a tool (pydantic's TypeAdapter, a docs builder) reads them at run time:
    # a name imported for the type checker alone would be a NameError there.
    for name in ("LoadOptions", "DistrictDefinition", "Result", "Table"):
        hints = typing.get_type_hints(getattr(urbanscreen, name))
        assert hints, name
    districts = typing.get_type_hints(urbanscreen.LoadOptions)["districts"]
    assert urbanscreen.DistrictDefinition in typing.get_args(typing.get_args(districts)[2])
