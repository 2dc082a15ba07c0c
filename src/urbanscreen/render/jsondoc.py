"""The result as one JSON document: the machine-readable contract (see README)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, BinaryIO

import orjson

from urbanscreen import __version__
from urbanscreen.criteria.model import AtLeast, Criteria, Relative, Threshold, describe_rule
from urbanscreen.explain import explanation
from urbanscreen.pxwebapi.provenance import Provenance
from urbanscreen.render.values import whole
from urbanscreen.result import AreaColumns, CheckColumns, Result, sex_gap

if TYPE_CHECKING:
    from urbanscreen.followup import FollowUp

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


def result_document(result: Result, follow_up: FollowUp | None = None) -> dict[str, Any]:
    """The JSON document for ``result`` (and its follow-up over years) as Python objects."""
    head, districts = _head(result), _districts(result)
    if follow_up is not None:
        from urbanscreen.render.followup_json import with_follow_up

        head, districts = with_follow_up(head, districts, follow_up)
    return {
        **head,
        "districts": list(districts),
        "issues": [issue.as_dict() for issue in result.issues],
    }


def _fetched(provenance: Provenance | None) -> dict[str, str] | None:
    """Where ``urbanscreen fetch`` got the input: API, table, selection, times, attribution."""
    return None if provenance is None else dict(provenance.as_pairs())


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
            "where": result.table.filters,
            "breakdowns": [b.as_dict() for b in result.table.breakdowns],
            **_definition(result),
            "columns": result.table.headers,
            "provenance": _fetched(source.provenance),
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
    by_sex = result.table.by_sex
    for areas in result.column_blocks():
        # Each criterion's objects for the whole block at once, column by column.
        checks = [check_documents(columns, by_sex) for columns in areas.checks.values()]
        for position in range(areas.size):
            yield district_document(areas, position, result, [c[position] for c in checks])


def district_document(
    areas: AreaColumns, i: int, result: Result, checks: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    """The JSON object of the district at position ``i`` of ``areas``; ``checks`` are its
    criteria's objects when :func:`check_documents` has made them already."""
    criteria = result.criteria
    if checks is None:
        by_sex = result.table.by_sex
        checks = [check_documents(columns, by_sex, i)[0] for columns in areas.checks.values()]
    document: dict[str, Any] = {
        "id": areas.ids[i],
        "name": areas.names[i],
        "municipality": areas.municipalities[i],
        "municipality_code": areas.municipality_codes[i],
        "row": areas.rows[i],
        "qualifies": areas.qualifies[i],
        "uncertain": areas.uncertain[i],
        "criteria": checks,
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


def check_documents(
    columns: CheckColumns, by_sex: bool, only: int | None = None
) -> list[dict[str, Any]]:
    """One criterion's object for every district of a block (or only the one at ``only``):
    full precision, and counts whole (12300, not 12300.0)."""
    picked = slice(None) if only is None else slice(only, only + 1)
    criterion = columns.criterion
    count = whole if criterion.unit == "count" else _same
    documents: list[dict[str, Any]] = [
        {
            "id": criterion.id,
            "value": count(value),
            "op": criterion.op,
            "threshold": count(threshold),
            "met": met,
            "margin": count(margin),
            "missing": value is None,
        }
        for value, threshold, met, margin in zip(
            columns.value[picked],
            columns.threshold[picked],
            columns.met[picked],
            columns.margin[picked],
            strict=True,
        )
    ]
    if by_sex:
        for document, women, men in zip(
            documents, columns.women[picked], columns.men[picked], strict=True
        ):
            gap = sex_gap(women, men)
            document |= {"women": count(women), "men": count(men), "gap": count(gap)}
    for document, low, high in zip(
        documents, columns.low[picked], columns.high[picked], strict=True
    ):
        if low is not None or high is not None:
            # An open upper bound (a missing count) is null: JSON has no infinity.
            document["bounds"] = [count(low), None if high == float("inf") else count(high)]
    for document, numerator, denominator in zip(
        documents, columns.numerator[picked], columns.denominator[picked], strict=True
    ):
        if numerator is not None or denominator is not None:
            document["numerator"] = whole(numerator)
            document["denominator"] = whole(denominator)
    return documents


def _same(value: float | None) -> float | int | None:
    return value


def dumps(result: Result, follow_up: FollowUp | None = None) -> str:
    """The JSON text of :func:`write`."""
    data = io.BytesIO()
    write(result, data, follow_up)
    return data.getvalue().decode("utf-8")


def write(result: Result, stream: BinaryIO, follow_up: FollowUp | None = None) -> None:
    """Write the JSON document as UTF-8 to a binary stream; missing values are null.

    Indented, except that each district is one line: readable and diffable. Districts are
    encoded by orjson as they are made, so memory does not grow with their number and a
    national table's 300 000 districts take a fraction of the standard encoder's time.
    """
    head_document, districts = _head(result), _districts(result)
    if follow_up is not None:  # each district's years, the summary's, the reference rows
        from urbanscreen.render.followup_json import with_follow_up

        head_document, districts = with_follow_up(head_document, districts, follow_up)
    head = json.dumps(head_document, ensure_ascii=False, indent=2, allow_nan=False)
    stream.write(f"{head[:-2]},\n  ".encode())
    opening = b'"districts": [\n    '
    for district in districts:
        stream.write(opening + orjson.dumps(district))
        opening = b",\n    "
    stream.write(b'"districts": []' if opening.startswith(b'"') else b"\n  ]")
    issues = [issue.as_dict() for issue in result.issues]
    tail = json.dumps(issues, ensure_ascii=False, indent=2, allow_nan=False).replace("\n", "\n  ")
    stream.write(f',\n  "issues": {tail}\n}}'.encode())
