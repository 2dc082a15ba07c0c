"""What a user reads about a criteria file whose tables do not fit together, in English and
in Swedish, and how the criteria package is put together."""

from __future__ import annotations

import ast
from graphlib import TopologicalSorter
from pathlib import Path

import pytest
from typer.testing import CliRunner

import urbanscreen.criteria
from urbanscreen.cli import app
from urbanscreen.criteria.load import parse_criteria
from urbanscreen.errors import CriteriaError

from .conftest import SAMPLE
from .test_messages import MINIMAL as ONE_CRITERION

# Every check across tables fails at once: an unknown reference, an unknown name in a rule,
# a misspelt scheme.qualifies, a tier without a limit before the last, a circle of outcomes.
ACROSS = """\
version = 1
[scheme]
name = "Test"
qualifies = "firts"

[[criteria]]
id = "emp"
label = "Employment"
column = "Employment"
unit = "percent"
op = "<"
threshold = { of = "national" }

[[outcomes]]
id = "first"
label = "First"
rule = "second"

[[outcomes]]
id = "second"
label = "Second"
rule = { all = ["first", "nowhere"] }

[[indices]]
id = "need"
label = "Need"
mean_of = ["emp"]
tiers = [{ id = "rest", label = "Rest" }, { id = "high", label = "High", at_least = 2 }]
"""


def check(tmp_path: Path, text: str, *options: str) -> tuple[int, list[str]]:
    """``urbanscreen check`` of the sample with this criteria file: exit code, stderr lines."""
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    data = str(SAMPLE / "districts.csv")
    result = CliRunner().invoke(app, ["check", data, "--criteria", str(path), *options])
    return result.exit_code, result.stderr.splitlines()


def criteria_check(tmp_path: Path, text: str) -> tuple[int, list[str]]:
    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(app, ["criteria", "check", str(path)])
    return result.exit_code, result.stderr.splitlines()


# -- 1. one direction of imports --------------------------------------------------------


def test_the_criteria_modules_import_each_other_at_the_top_and_in_one_direction() -> None:
    folder = Path(urbanscreen.criteria.__file__).parent
    graph: dict[str, set[str]] = {}
    for path in sorted(folder.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        inside = [
            node
            for function in ast.walk(tree)
            if isinstance(function, ast.FunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.Import | ast.ImportFrom)
        ]
        assert inside == [], f"{path.name} imports inside a function"
        graph[path.stem] = {
            node.module.rsplit(".", 1)[-1]
            for node in tree.body
            if isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("urbanscreen.criteria.")
        }
    order = list(TopologicalSorter(graph).static_order())  # raises CycleError on a circle
    assert order.index("forms") < order.index("validation") < order.index("model")
    assert "model" not in graph["validation"]


def test_ordering_lives_in_order_and_checking_in_validation() -> None:
    from urbanscreen.criteria import order, validation

    assert {"outcome_order", "reference_order"} <= set(vars(order))
    assert not {"outcome_order", "reference_order"} & set(vars(validation))


# -- 2. problems across tables, in the run's language -----------------------------------


def test_problems_across_tables_are_said_in_english(tmp_path: Path) -> None:
    code, lines = criteria_check(tmp_path, ACROSS)
    assert code == 2
    said = [line.split("mine.toml: ", 1)[1] for line in lines[:-1]]
    assert said == [
        "criteria[0].threshold.of (criterion 'emp'): 'national' is not defined under [references]",
        "outcomes[1].rule (outcome 'second'): 'nowhere' is no criterion, outcome or tier",
        "scheme.qualifies: 'firts' is not an outcome; did you mean `first`?",
        "indices[0].tiers[0] (tier 'rest'): a tier without a limit must come last",
        "outcomes refer to each other in a circle: first -> second -> first",
    ]
    assert lines[-1].startswith("  5 problems; hint: start from a preset")


def test_problems_across_tables_are_said_in_swedish(tmp_path: Path) -> None:
    code, lines = check(tmp_path, ACROSS, "--lang", "sv")
    assert code == 2
    assert lines[0].startswith("urbanscreen: fel [invalid-criteria]: ")
    assert lines[0].endswith(
        "mine.toml: criteria[0].threshold.of (villkoret 'emp'): 'national' finns inte under "
        "[references] (och 4 till: outcomes[1].rule (utfallet 'second'): 'nowhere' är varken "
        "ett villkor, ett utfall eller en nivå; scheme.qualifies: 'firts' är inget utfall; "
        "menade du `first`?; indices[0].tiers[0] (nivån 'rest'): en nivå utan gräns måste "
        "komma sist; utfallen hänvisar till varandra i en cirkel: first -> second -> first)"
    )
    assert lines[1].startswith("  tips: utgå från en förinställning")


@pytest.mark.parametrize(
    ("change", "english", "swedish"),
    [
        (
            ('rule = "second"', 'rule = { at_least = 2, of = ["emp"] }'),
            "outcomes[0].rule: at_least = 2 of 1 can never hold",
            "outcomes[0].rule: at_least = 2 av 1 kan aldrig uppfyllas",
        ),
        (
            ('rule = "second"', 'rule = { held_in = 4, of_last = 3, rule = "emp" }'),
            "outcomes[0].rule: held_in = 4 of_last = 3 can never hold",
            "outcomes[0].rule: held_in = 4 of_last = 3 kan aldrig uppfyllas",
        ),
        (
            ('qualifies = "first"', 'qualifies = "first"\npopulation = "people"'),
            "scheme.population: 'people' is no criterion or measure of the file",
            "scheme.population: 'people' är varken ett villkor eller ett mått i filen",
        ),
    ],
)
def test_more_problems_across_tables_are_said_in_the_runs_language(
    tmp_path: Path, change: tuple[str, str], english: str, swedish: str
) -> None:
    text = (
        ACROSS.replace('threshold = { of = "national" }', "threshold = 52")
        .replace('qualifies = "firts"', 'qualifies = "first"')
        .replace('["first", "nowhere"]', '["emp"]')
        .replace('{ id = "rest", label = "Rest" }, ', "")
        .replace(*change)
    )
    _, lines = check(tmp_path, text, "--lang", "en")
    assert english in lines[0]
    _, lines = check(tmp_path, text, "--lang", "sv")
    assert lines[0].startswith("urbanscreen: fel [invalid-criteria]: ")
    assert swedish in lines[0]


# -- 3. pydantic's checks of a value, worded like the rest ------------------------------

# One criterion and an outcome that reads it over two years.
MINIMAL = ONE_CRITERION.replace('rule = "all"\n', "") + (
    '[[outcomes]]\nid = "poor"\nlabel = "Poor"\nrule = { streak = 2, rule = "rate" }\n'
)


@pytest.mark.parametrize(
    ("change", "english", "swedish"),
    [
        (
            ('{ streak = 2, rule = "rate" }', "{ all = [] }"),
            "outcomes[0].rule.all: must not be empty",
            "outcomes[0].rule.all: får inte vara tom",
        ),
        (
            ("streak = 2", "streak = 0"),
            "outcomes[0].rule.streak: must be at least 1, got 0",
            "outcomes[0].rule.streak: måste vara minst 1, men är 0",
        ),
        (
            ("threshold = 52", "threshold = nan"),
            "criteria[0].threshold (criterion 'rate'): must be a finite number (not nan or inf), "
            "got nan",
            "criteria[0].threshold (villkoret 'rate'): måste vara ett ändligt tal "
            "(inte nan eller inf), men är nan",
        ),
        (
            ('label = "Rate"', 'label = ""'),
            "criteria[0].label (criterion 'rate'): must not be empty, got ''",
            "criteria[0].label (villkoret 'rate'): får inte vara tom, men är ''",
        ),
    ],
)
def test_pydantic_checks_of_a_value_read_like_the_rest(
    tmp_path: Path, change: tuple[str, str], english: str, swedish: str
) -> None:
    text = MINIMAL.replace(*change)
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(text.encode(), origin="mine.toml")
    assert caught.value.problems == [english]
    code, lines = check(tmp_path, text, "--lang", "sv")
    assert code == 2
    assert lines[0].startswith("urbanscreen: fel [invalid-criteria]: ")
    assert lines[0].endswith(f"mine.toml: {swedish}")


def test_criteria_check_counts_one_problem_without_brackets(tmp_path: Path) -> None:
    code, lines = criteria_check(tmp_path, MINIMAL.replace("streak = 2", "streak = 0"))
    assert code == 2
    assert lines[-1].startswith("  1 problem; hint: ")
