from __future__ import annotations

import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from urbanscreen.criteria.load import (
    default_criteria_source,
    load_criteria,
    parse_criteria,
    preset_names,
)
from urbanscreen.criteria.model import Criteria
from urbanscreen.errors import CriteriaError, FileNotFoundInputError

from .conftest import ROOT

MINIMAL = """\
version = 1
[scheme]
name = "Test"
[[criteria]]
id = "rate"
label = "Rate"
column = "Rate"
unit = "percent"
op = "<"
threshold = 4.8
"""


def test_preset_holds_scb_2012_thresholds() -> None:
    criteria = load_criteria("scb-2012")
    rules = {c.id: (c.op, c.threshold, c.unit) for c in criteria.criteria}
    assert rules == {
        "forvarvsfrekvens": ("<", Decimal("52"), "percent"),
        "langvarigt_forsorjningsstod": (">", Decimal("4.8"), "percent"),
        "gymnasiebehorighet": ("<", Decimal("70"), "percent"),
        "folkmangd": (">=", Decimal("4000"), "count"),
    }
    assert criteria.scheme.rule == "all"
    assert criteria.origin == "preset:scb-2012"
    assert len(criteria.sha256) == 64


def test_root_criteria_file_is_the_packaged_default() -> None:
    packaged = ROOT / "src" / "urbanscreen" / "presets" / "scb-2012.toml"
    assert (ROOT / "criteria.toml").read_bytes() == packaged.read_bytes()
    assert "scb-2012" in preset_names()


def test_every_criterion_documents_its_source() -> None:
    for criterion in load_criteria("scb-2012").criteria:
        assert criterion.source and criterion.label and criterion.aliases


def test_threshold_is_exact_decimal() -> None:
    criteria = parse_criteria(MINIMAL.encode(), origin="t.toml")
    assert criteria.criteria[0].threshold == Decimal("4.8")
    assert str(criteria.criteria[0].threshold) == "4.8"


def test_default_source_prefers_local_file(tmp_path: Path) -> None:
    assert default_criteria_source(tmp_path) == "scb-2012"
    (tmp_path / "criteria.toml").write_text(MINIMAL, encoding="utf-8")
    assert default_criteria_source(tmp_path) == str(tmp_path / "criteria.toml")


def test_load_from_path_records_origin_and_hash(tmp_path: Path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(MINIMAL, encoding="utf-8")
    criteria = load_criteria(path)
    assert criteria.origin == str(path)
    assert criteria.scheme.rule == "all"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("threshold = 4.8", 'threshold = "4.8"'),
            "criteria[0].threshold (criterion 'rate'): must be a number",
        ),
        (('op = "<"', 'op = "=<"'), "criteria[0].op (criterion 'rate'): Input should be"),
        (
            ('unit = "percent"', 'unit = "percent"\ncolour = "red"'),
            "criteria[0].colour (criterion 'rate'): unknown key",
        ),
        (('label = "Rate"\n', ""), "criteria[0].label (criterion 'rate'): required key is missing"),
        (("threshold = 4.8", "threshold = 140"), "a percent threshold must lie between 0 and 100"),
        (("version = 1", "version = 7"), "version: Input should be 1"),
        (
            ('name = "Test"', 'name = "Test"\nrule = { at_least = 3 }'),
            "at least 3 criteria but the file has 1",
        ),
        (('id = "rate"', 'id = "Rate Ä"'), "criteria[0].id"),
        (('id = "rate"', 'id = "name"'), "id 'name' is reserved"),
    ],
)
def test_validation_errors_name_the_dotted_path(change: tuple[str, str], expected: str) -> None:
    text = MINIMAL.replace(*change)
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(text.encode(), origin="c.toml")
    message = str(caught.value)
    assert expected in message
    assert "pydantic" not in message and "errors.pydantic.dev" not in message


def test_duplicate_criterion_ids_are_rejected() -> None:
    doubled = MINIMAL + MINIMAL[MINIMAL.index("[[criteria]]") :]
    with pytest.raises(CriteriaError, match="'rate' is used twice"):
        parse_criteria(doubled.encode(), origin="c.toml")


def test_invalid_toml_reports_line_and_column() -> None:
    with pytest.raises(CriteriaError, match=r"line 2, column 8"):
        parse_criteria(b'version = 1\n[scheme\nname = "x"\n', origin="c.toml")


def test_missing_and_oversized_files(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundInputError) as caught:
        load_criteria(tmp_path / "nope.toml")
    assert caught.value.hint is not None and "scb-2012" in caught.value.hint
    big = tmp_path / "big.toml"
    big.write_bytes(b"# " + b"x" * (2 * 1024 * 1024))
    with pytest.raises(CriteriaError, match="larger than"):
        load_criteria(big)


def test_at_least_rule_round_trips() -> None:
    text = MINIMAL.replace('name = "Test"', 'name = "Test"\nrule = { at_least = 1 }')
    criteria = parse_criteria(text.encode(), origin="c.toml")
    assert isinstance(criteria, Criteria)
    assert criteria.rule_text() == "at least 1 of 1 criteria must hold"


# Every criteria model, ready when its module is imported; then threads that first use the
# models at the same moment: a rule form built in Python, and a preset loaded.
_FIRST_USE_ON_THREADS = """
import threading
from pydantic import BaseModel
from urbanscreen.criteria import entries, forms, model
from urbanscreen.criteria.load import load_criteria

models = [
    value
    for module in (forms, entries, model)
    for value in vars(module).values()
    if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel
]
print(sorted(m.__name__ for m in models if not m.__pydantic_complete__))
uses = [
    lambda: forms.AllOf(all=["a", {"any": ["b", {"streak": 2, "rule": "c"}]}]),
    lambda: forms.HeldIn(held_in=1, of_last=2, rule={"at_least": 1, "of": ["a"]}),
    lambda: forms.AnyOf(any=["a", {"held_in": 1, "of_last": 1, "rule": "b"}]),
    lambda: load_criteria("dk-2021"),
]
start, failed = threading.Barrier(16), []

def use(number):
    start.wait()
    try:
        uses[number % len(uses)]()
    except Exception as exc:
        failed.append(repr(exc)[:300])

threads = [threading.Thread(target=use, args=(n,)) for n in range(16)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(failed)
"""


def test_criteria_models_are_built_at_import_and_first_used_on_threads() -> None:
    # A library caller may load criteria on several threads at once; building a model's
    # validator on two threads together fails in pydantic 2.7 ("`Tag` not provided").
    done = subprocess.run(
        [sys.executable, "-c", _FIRST_USE_ON_THREADS],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert (done.stdout, done.stderr) == ("[]\n[]\n", "")
