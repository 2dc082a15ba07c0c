"""The rule engine on small frames: exact boundaries, float noise, Kleene logic, order."""

from __future__ import annotations

import math
from decimal import Decimal

import numpy as np
import pandas as pd
import pytest

from urbanscreen.criteria.model import AtLeast, Criteria, Criterion, Scheme
from urbanscreen.engine import combine, evaluate, screen
from urbanscreen.readers import SourceInfo
from urbanscreen.table import Table


def criterion(op: str, threshold: str, unit: str = "percent") -> Criterion:
    return Criterion.model_validate(
        {
            "id": "c",
            "label": "C",
            "column": "C",
            "unit": unit,
            "op": op,
            "threshold": Decimal(threshold),
        }
    )


def verdicts(
    op: str, threshold: str, values: list[float], unit: str = "percent"
) -> list[bool | None]:
    met, _ = evaluate(pd.Series(values, dtype="float64"), criterion(op, threshold, unit))
    return [None if v is pd.NA else bool(v) for v in met]


def test_strict_and_inclusive_operators_at_the_threshold() -> None:
    assert verdicts("<", "52", [51.9, 52.0, 52.1]) == [True, False, False]
    assert verdicts("<=", "52", [51.9, 52.0, 52.1]) == [True, True, False]
    assert verdicts(">", "4.8", [4.7, 4.8, 4.9]) == [False, False, True]
    assert verdicts(">=", "4000", [3999, 4000, 4001], "count") == [False, True, True]


def test_float_noise_never_decides() -> None:
    noisy = 1.6 * 3  # what a computed share can come out as
    assert noisy != 4.8 and noisy > 4.8  # the noise is real
    assert verdicts(">", "4.8", [noisy]) == [False]
    assert verdicts(">=", "4.8", [noisy]) == [True]
    assert verdicts("<", "0.3", [0.1 + 0.2]) == [False]
    assert verdicts("<=", "0.3", [0.1 + 0.2]) == [True]


def test_small_real_differences_still_count() -> None:
    assert verdicts(">", "4.8", [4.800001, 4.81]) == [True, True]
    assert verdicts("<", "52", [51.99999]) == [True]


def test_margin_is_signed_distance_positive_when_met() -> None:
    _, below = evaluate(pd.Series([45.0, 52.0, 55.5]), criterion("<", "52"))
    assert below.tolist() == [7.0, 0.0, -3.5]
    _, above = evaluate(pd.Series([4.9, 4.8, 4.1]), criterion(">", "4.8"))
    assert above.tolist() == pytest.approx([0.1, 0.0, -0.7])
    assert above.iloc[0] == 0.1  # no 0.10000000000000053


def test_missing_value_is_unknown_with_no_margin() -> None:
    met, margin = evaluate(pd.Series([np.nan]), criterion("<", "52"))
    assert met.iloc[0] is pd.NA
    assert math.isnan(margin.iloc[0])


def flags(*values: bool | None) -> pd.Series:
    return pd.Series(pd.array(list(values), dtype="boolean"))


def outcome(mets: list[pd.Series], needed: int) -> list[bool | None]:
    return [None if v is pd.NA else bool(v) for v in combine(mets, needed)]


def test_all_is_kleene_and() -> None:
    a = flags(True, True, True, False, None)
    b = flags(True, False, None, None, None)
    assert outcome([a, b], 2) == [True, False, None, False, None]


def test_any_is_kleene_or() -> None:
    a = flags(False, True, False, None, None)
    b = flags(False, None, None, True, None)
    assert outcome([a, b], 1) == [False, True, None, True, None]


def test_at_least_k_counts_what_could_still_hold() -> None:
    a = flags(True, True, True, False)
    b = flags(True, False, None, None)
    c = flags(False, False, None, False)
    assert outcome([a, b, c], 2) == [True, False, None, False]


def tiny_table(rows: list[tuple[str, float, float]]) -> Table:
    frame = pd.DataFrame(
        {
            "id": [r[0] for r in rows],
            "name": [r[0] for r in rows],
            "municipality": None,
            "municipality_code": None,
            "row": range(2, 2 + len(rows)),
            "low": [r[1] for r in rows],
            "high": [r[2] for r in rows],
        }
    )
    source = SourceInfo(path=__import__("pathlib").Path("t.csv"), sha256="0" * 64, format="csv")
    return Table(frame=frame, source=source, headers={}, decimal=".", id_source="name")


def two_criteria(rule: object) -> Criteria:
    return Criteria(
        version=1,
        scheme=Scheme.model_validate({"name": "T", "rule": rule}),
        criteria=[
            Criterion.model_validate(
                {
                    "id": "low",
                    "label": "Low",
                    "column": "low",
                    "unit": "percent",
                    "op": "<",
                    "threshold": Decimal(50),
                }
            ),
            Criterion.model_validate(
                {
                    "id": "high",
                    "label": "High",
                    "column": "high",
                    "unit": "percent",
                    "op": ">",
                    "threshold": Decimal(5),
                }
            ),
        ],
    )


def test_screen_orders_qualifying_then_unknown_then_rest() -> None:
    table = tiny_table([("no", 60, 10), ("open", 40, np.nan), ("yes", 40, 10), ("yes2", 1, 6)])
    result = screen(table, two_criteria("all"))
    assert result.frame["id"].tolist() == ["yes", "yes2", "open", "no"]
    summary = result.summary
    assert (summary.districts, summary.qualifying, summary.not_qualifying, summary.unknown) == (
        4,
        2,
        1,
        1,
    )


def test_unknown_only_when_the_missing_value_could_change_the_answer() -> None:
    table = tiny_table([("fails anyway", 60, np.nan), ("could pass", 40, np.nan)])
    result = screen(table, two_criteria("all"))
    answers = {d.id: d.qualifies for d in result.districts()}
    assert answers == {"fails anyway": False, "could pass": None}
    any_rule = screen(table, two_criteria("any"))
    assert {d.id: d.qualifies for d in any_rule.districts()} == {
        "fails anyway": None,
        "could pass": True,
    }


def test_at_least_rule_in_screen() -> None:
    table = tiny_table([("one", 40, 1), ("none", 60, 1)])
    result = screen(table, two_criteria({"at_least": 1}))
    assert isinstance(result.criteria.scheme.rule, AtLeast)
    assert {d.id: d.qualifies for d in result.districts()} == {"one": True, "none": False}


def test_district_view_carries_every_check() -> None:
    result = screen(tiny_table([("a", 40, 10)]), two_criteria("all"))
    district = next(result.districts())
    assert [(c.criterion.id, c.value, c.met, c.margin) for c in district.checks] == [
        ("low", 40.0, True, 10.0),
        ("high", 10.0, True, 5.0),
    ]
