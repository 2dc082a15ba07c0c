"""The result as one JSON document: the machine-readable contract (see README)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, TextIO

from urbanscreen import __version__
from urbanscreen.criteria import AtLeast, Criteria, Relative, Threshold, describe_rule
from urbanscreen.explain import explanation
from urbanscreen.render.values import whole
from urbanscreen.result import AreaColumns, CheckColumns, Result, sex_gap

SCHEMA_VERSION = 1


def _definition(result: Result) -> dict[str, Any]:
    if result.table.definition is None:
        return {}
    path, digest = result.table.definition
    return {"districts": {"path": path, "sha256": digest}}


def _exact(value: Decimal) -> int | float:
    """A threshold as JSON writes it: 52 stays 52, 4.8 is 4.8."""
    return int(value) if value == value.to_integral_value() else float(value)


def _threshold(threshold: Threshold) -> object:
    """A number as written, or the relative rule ({"of": reference, "times": factor})."""
    if isinstance(threshold, Relative):
        return {"of": threshold.of, "times": _exact(threshold.times)}
    return _exact(threshold)


def _rule(criteria: Criteria) -> object:
    if criteria.outcomes:
        decisive = criteria.qualifying_outcome()
        return {"outcome": decisive.id, "rule": describe_rule(decisive.rule)}
    rule = criteria.scheme.rule
    if isinstance(rule, AtLeast) and rule.of is None:
        return {"at_least": rule.at_least}
    return rule if isinstance(rule, str) else describe_rule(rule)


def result_document(result: Result) -> dict[str, Any]:
    """The JSON document for ``result`` as Python objects."""
    return {
        **_head(result),
        "districts": list(_districts(result)),
        "issues": [issue.as_dict() for issue in result.issues],
    }


def _head(result: Result) -> dict[str, Any]:
    """Everything before the districts: input, criteria, summary."""
    criteria = result.criteria
    source = result.table.source
    summary = result.summary
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "urbanscreen", "version": __version__},
        "input": {
            "path": str(source.path),
            "sha256": source.sha256,
            "format": source.format,
            "sheet": source.sheet,
            "encoding": source.encoding,
            "header_row": source.header_row,
            "decimal": result.table.decimal,
            "layout": result.table.layout,
            "year": result.table.year,
            "years": list(result.table.years),
            "by_sex": result.table.by_sex,
            "id_from": result.table.id_source,
            **_definition(result),
            "columns": result.table.headers,
        },
        "criteria": {
            "name": criteria.scheme.name,
            "source": criteria.origin,
            "sha256": criteria.sha256,
            "rule": _rule(criteria),
            "population": criteria.scheme.population,
            "population_floor": result.population_floor,
            "references": result.references,
            "outcomes": [
                {"id": o.id, "label": o.label, "rule": describe_rule(o.rule)}
                for o in criteria.outcomes
            ],
            "indices": [
                {
                    "id": i.id,
                    "label": i.label,
                    "inputs": i.inputs,
                    "tiers": [{"id": t.id, "label": t.label} for t in i.tiers],
                }
                for i in criteria.indices
            ],
            "criteria": [
                {
                    "id": c.id,
                    "label": c.label,
                    "unit": c.unit,
                    "sex": c.sex,
                    "op": c.op,
                    "threshold": _threshold(c.threshold),
                    "source": c.source,
                }
                for c in criteria.criteria
            ],
        },
        "summary": {
            "districts": summary.districts,
            "qualifying": summary.qualifying,
            "not_qualifying": summary.not_qualifying,
            "unknown": summary.unknown,
        },
    }


def _districts(result: Result) -> Iterator[dict[str, Any]]:
    """Each district's JSON object, from the result's column lists a block at a time (no
    District object per area, except to explain a rule tree)."""
    for areas in result.column_blocks():
        for position in range(areas.size):
            yield district_document(areas, position, result)


def district_document(areas: AreaColumns, i: int, result: Result) -> dict[str, Any]:
    """The JSON object of the district at position ``i`` of ``areas``."""
    criteria = result.criteria
    by_sex = result.table.by_sex
    document: dict[str, Any] = {
        "id": areas.ids[i],
        "name": areas.names[i],
        "municipality": areas.municipalities[i],
        "municipality_code": areas.municipality_codes[i],
        "row": areas.rows[i],
        "qualifies": areas.qualifies[i],
        "uncertain": areas.uncertain[i],
        "criteria": [_check(columns, i, by_sex) for columns in areas.checks.values()],
    }
    if areas.areas[i]:
        document["areas"] = areas.areas[i]
    if criteria.outcomes or criteria.indices:
        document["outcomes"] = {o: values[i] for o, values in areas.outcomes.items()}
    if criteria.indices:
        document["indices"] = {k: values[i] for k, values in areas.indices.items()}
        document["tiers"] = {k: values[i] for k, values in areas.tiers.items()}
    if criteria.outcomes or not isinstance(criteria.scheme.rule, str):
        # A flat rule is explained by the criteria list itself; a tree needs its own.
        document["explanation"] = explanation(criteria, areas.district_at(i))
    return document


def _check(columns: CheckColumns, i: int, by_sex: bool) -> dict[str, Any]:
    """One criterion's object for the district at position ``i``: full precision, and
    counts whole (12300, not 12300.0)."""
    value = columns.value[i]
    count = whole if columns.criterion.unit == "count" else _same
    document: dict[str, Any] = {
        "id": columns.criterion.id,
        "value": count(value),
        "op": columns.criterion.op,
        "threshold": count(columns.threshold[i]),
        "met": columns.met[i],
        "margin": count(columns.margin[i]),
        "missing": value is None,
    }
    if by_sex:
        women, men = columns.women[i], columns.men[i]
        document |= {"women": count(women), "men": count(men), "gap": count(sex_gap(women, men))}
    low, high = columns.low[i], columns.high[i]
    if low is not None or high is not None:
        # An open upper bound (a missing count) is null: JSON has no infinity.
        document["bounds"] = [count(low), None if high == float("inf") else count(high)]
    numerator, denominator = columns.numerator[i], columns.denominator[i]
    if numerator is not None or denominator is not None:
        document["numerator"] = whole(numerator)
        document["denominator"] = whole(denominator)
    return document


def _same(value: float | None) -> float | int | None:
    return value


def dumps(result: Result) -> str:
    """The JSON text of :func:`write`."""
    text = io.StringIO()
    write(result, text)
    return text.getvalue()


def write(result: Result, stream: TextIO) -> None:
    """Write the JSON text: UTF-8 friendly, no NaN (missing values are null).

    Indented, except that each district is one line: readable, diffable, and written by
    the C encoder (an indented 300 000-district document takes minutes in pure Python).
    Districts are written as they are made, so memory does not grow with their number.
    """
    head = json.dumps(_head(result), ensure_ascii=False, indent=2, allow_nan=False)
    stream.write(f"{head[:-2]},\n  ")
    opening = '"districts": [\n    '
    # One encoder for every district (json.dumps makes one per call), and no check for
    # circular references: these dicts are made here and hold none.
    encode = json.JSONEncoder(ensure_ascii=False, allow_nan=False, check_circular=False).encode
    for district in _districts(result):
        stream.write(opening + encode(district))
        opening = ",\n    "
    stream.write('"districts": []' if opening.startswith('"') else "\n  ]")
    issues = [issue.as_dict() for issue in result.issues]
    tail = json.dumps(issues, ensure_ascii=False, indent=2, allow_nan=False).replace("\n", "\n  ")
    stream.write(f',\n  "issues": {tail}\n}}')
