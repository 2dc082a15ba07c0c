"""Compare two screenings: which districts entered, left, became unknown or changed.

Either side may be a fresh :class:`~urbanscreen.result.Result` or a JSON result saved
by an earlier run (any version with ``schema_version`` 1). Districts are matched by id;
SCB's vintage suffixes (``_DeSO2025``, ``_RegSO2025``) are ignored for matching, so a
new release's codes meet last year's.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from urbanscreen.codes import without_vintage
from urbanscreen.errors import FileNotFoundInputError, InputFileError, Location
from urbanscreen.faults import read_error
from urbanscreen.messages import Message, message
from urbanscreen.result import Result
from urbanscreen.suggest import missing_file_hint

SUPPORTED_SCHEMA_VERSIONS = {1}
DEFAULT_NEAR = 0.05


@dataclass(frozen=True)
class CheckState:
    value: float | None
    met: bool | None
    threshold: float | None
    op: str | None


@dataclass(frozen=True)
class DistrictState:
    """One district in one release."""

    id: str
    name: str | None
    municipality: str | None
    qualifies: bool | None
    checks: dict[str, CheckState]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "qualifies": self.qualifies,
            "criteria": {
                key: {"value": check.value, "met": check.met} for key, check in self.checks.items()
            },
        }


@dataclass(frozen=True)
class Snapshot:
    """A release as screened: where it came from and each district's state."""

    source: str
    criteria_name: str
    criteria_sha256: str
    districts: dict[str, DistrictState]
    labels: dict[str, str] = field(default_factory=dict)
    saved_in: Path | None = None  # the saved result it was read from, if any


@dataclass(frozen=True)
class Change:
    """A district present in both releases whose outcome or verdicts differ."""

    id: str
    name: str | None
    municipality: str | None
    before: DistrictState
    after: DistrictState
    flipped: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "municipality": self.municipality,
            "before": self.before.as_dict(),
            "after": self.after.as_dict(),
            "flipped": self.flipped,
        }


@dataclass(frozen=True)
class Near:
    """A district whose value now lies within ``near`` of a threshold."""

    id: str
    name: str | None
    criterion: str
    value: float
    threshold: float
    op: str
    distance: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "criterion": self.criterion,
            "value": self.value,
            "op": self.op,
            "threshold": self.threshold,
            "distance": self.distance,
        }


@dataclass(frozen=True)
class Comparison:
    """What changed between two releases; ``changed_set`` decides the exit code."""

    old: Snapshot
    new: Snapshot
    entered: list[Change]
    left: list[Change]
    unknown: list[Change]
    changed: list[Change]
    added: list[DistrictState]
    removed: list[DistrictState]
    near: list[Near]
    near_fraction: float
    vintage_matched: int
    notes: list[str]

    @property
    def changed_set(self) -> bool:
        """Whether the set of qualifying districts differs (also by districts added or removed)."""
        return bool(
            self.entered
            or self.left
            or any(c.before.qualifies for c in self.unknown)
            or any(d.qualifies for d in (*self.added, *self.removed))
        )

    @property
    def differing(self) -> int:
        """Districts that differ in any way but the near misses: undecided before or now, a
        criterion flipped while the answer stayed, added or removed (entering and leaving
        districts are in ``changed_set``)."""
        return len(self.unknown) + len(self.changed) + len(self.added) + len(self.removed)


# -- CI policy: what makes `check --baseline` / `--fail-on` and `diff` exit 1 --------------


def baseline_failure(
    comparison: Comparison, baseline: str, *, any_change: bool = False
) -> str | None:
    """Why a screen fails against a saved ``baseline``, or None when it passes.

    The qualifying set differing always fails; with ``any_change`` (``--fail-on changed``)
    so does every change the comparison lists but the near misses."""
    if comparison.changed_set:
        return f"the qualifying set differs from the baseline {baseline}"
    if any_change and comparison.differing:
        return (
            f"--fail-on changed: {comparison.differing} district(s) differ from the baseline "
            f"{baseline} (undecided before or now, a criterion flipped, or added to or removed "
            "from the data)"
        )
    return None


def result_failure(
    result: Result,
    *,
    on_unknown: bool = False,
    on_warnings: bool = False,
    language: str = "en",
) -> str | None:
    """Why a screen fails by itself (``--fail-on unknown``, ``--fail-on warnings``), or None;
    said in ``language``."""
    from urbanscreen.messages import message

    unknown = result.summary.unknown
    warnings = [issue for issue in result.issues if issue.level == "warning"]
    if on_unknown and unknown:
        return message("fail-on/unknown", n=unknown).text(language)
    if on_warnings and warnings:
        return message("fail-on/warnings", n=len(warnings)).text(language)
    return None


def snapshot_of_result(result: Result) -> Snapshot:
    districts = {}
    for district in result.districts():
        districts[district.id] = DistrictState(
            id=district.id,
            name=district.name,
            municipality=district.municipality,
            qualifies=district.qualifies,
            checks={
                check.criterion.id: CheckState(
                    check.value, check.met, check.threshold, check.criterion.op
                )
                for check in district.checks
            },
        )
    return Snapshot(
        source=str(result.table.source.path),
        criteria_name=result.criteria.scheme.name,
        criteria_sha256=result.criteria.sha256,
        districts=districts,
        labels={c.id: c.label for c in result.criteria.criteria},
    )


def snapshot_of_document(document: Mapping[str, Any], origin: Path) -> Snapshot:
    """A snapshot from a JSON result written by ``check --format json`` (any version 1),
    validated by :class:`~urbanscreen.contract.ResultDocument`."""
    from pydantic import ValidationError

    from urbanscreen.contract import ResultDocument

    location = Location(file=origin)
    version = document.get("schema_version") if isinstance(document, Mapping) else None
    # A list or object is not hashable (no set holds it), and true is not version 1.
    number = isinstance(version, int | float) and not isinstance(version, bool)
    if not number or version not in SUPPORTED_SCHEMA_VERSIONS:
        raise InputFileError(
            message("result/version", version=_shown(version)),
            location=location,
            hint=message("hint/save-result"),
        )
    try:
        parsed = ResultDocument.model_validate(document)
    except ValidationError as exc:
        problem = _problem(document, exc.errors()[0])
        others = exc.error_count() - 1
        key = {0: "result/incomplete", 1: "result/incomplete/one-more"}
        raise InputFileError(
            message(key.get(others, "result/incomplete/more"), problem=problem, n=others),
            location=location,
            hint=message("hint/save-result"),
        ) from None
    first: dict[str, int] = {}
    for nth, item in enumerate(parsed.districts, start=1):
        if item.id in first:  # check never writes one twice: a later one would replace it
            raise InputFileError(
                message("result/twice", id=repr(item.id), first=first[item.id], then=nth),
                location=location,
                hint=message("hint/save-result"),
            )
        first[item.id] = nth
    districts = {
        item.id: DistrictState(
            id=item.id,
            name=item.name,
            municipality=item.municipality,
            qualifies=item.qualifies,
            checks={
                check.id: CheckState(check.value, check.met, check.threshold, check.op)
                for check in item.criteria
            },
        )
        for item in parsed.districts
    }
    return Snapshot(
        source=parsed.input.path,
        criteria_name=parsed.criteria.name,
        criteria_sha256=parsed.criteria.sha256,
        districts=districts,
        labels={c.id: c.label for c in parsed.criteria.criteria},
        saved_in=origin,
    )


def _problem(document: Any, error: Mapping[str, Any]) -> Message:
    """One validation error as a reader of the file would say it: ``district 'X' has no
    'criteria'`` rather than ``districts.0.criteria: Field required``."""
    # pydantic puts the member it tried of a union in the path ('float', 'AtLeastRule'):
    # no key of the file, so left out; a missing key is the only name the file lacks.
    parts: list[str | int] = []
    node = document
    last = len(error["loc"]) - 1
    for n, part in enumerate(error["loc"]):
        in_list = isinstance(part, int) and isinstance(node, list) and 0 <= part < len(node)
        in_object = isinstance(part, str) and isinstance(node, Mapping) and part in node
        if in_list or in_object:
            node = node[part]
        elif not (n == last and error["type"] == "missing"):
            continue
        parts.append(part)
    key = parts.pop() if parts and not isinstance(parts[-1], int) else None
    places: list[str | Message] = []
    node = document
    for part in parts:
        node = node[part]
        if isinstance(part, int):
            name = node.get("id") if isinstance(node, Mapping) else None
            shown = repr(name) if isinstance(name, str) else message("result/number", n=part + 1)
            kind = places.pop() if places else "item"
            places.append(
                message(_ITEMS[kind], name=shown)
                if kind in _ITEMS
                else message("result/item", kind=_key(kind), name=shown)
            )
        else:
            places.append(str(part))
    place: Message | None = None
    for inner in map(_key, places):  # said innermost first: "criterion 'x' in district 'y'"
        place = inner if place is None else message("result/in", inner=inner, outer=place)
    if place is None:
        place = message("result/the-file")
    if error["type"] == "missing":
        return message("result/has-no", place=place, key=repr(key))
    field = place if key is None else message("result/key-of", key=repr(key), place=place)
    return message("result/is", place=field, value=_shown(error["input"]), wanted=_wanted(error))


def _key(place: str | Message) -> Message:
    """A key of the file as a place: bare in English ("'rule' of criteria"), in quotes in
    Swedish, as the file's other names are ("'rule' i 'criteria'")."""
    return place if isinstance(place, Message) else message("result/key", key=place)


# A list's items named by their list: "district 'X'", not "districts 'X'".
_ITEMS = {"districts": "result/district", "criteria": "result/criterion"}


def _wanted(error: Mapping[str, Any]) -> Message:
    """What the value should be: pydantic's own words in English, the catalogue's in Swedish."""
    kind = error["type"]
    if kind in _OBJECT_ERRORS:
        return message("result/should-be-object")
    for key, kinds in _SHOULD_BE.items():
        if kind in kinds:
            return message(key, text=error["msg"])
    return message("result/should-be", text=error["msg"])


_SHOULD_BE = {
    "result/should-be-number": {"float_parsing", "float_type"},
    "result/should-be-finite": {"finite_number"},
    "result/should-be-whole": {"int_parsing", "int_type", "int_from_float"},
    "result/should-be-text": {"string_type"},
    "result/should-be-boolean": {"bool_parsing", "bool_type"},
    "result/should-be-list": {"list_type"},
}


def _shown(value: Any, width: int = 60) -> str:
    """A value from the file as its repr, cut short: a whole table given where a number
    belongs would otherwise be the whole message."""
    text = repr(value)
    return text if len(text) <= width else text[: width - 1] + "…"


_OBJECT_ERRORS = {"model_type", "model_attributes_type", "dict_type"}


def load_result_document(path: str | Path) -> Snapshot:
    """Read a saved JSON result (validated by :class:`~urbanscreen.contract.ResultDocument`)."""
    path = Path(path)
    location = Location(file=path)
    try:
        document = json.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise FileNotFoundInputError(
            message("file-not-found"),
            location=location,
            hint=missing_file_hint(path, message("hint/check-result-path"), {".json"}),
        ) from exc
    except OSError as exc:
        raise read_error(exc, path) from exc
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        # RecursionError: arrays or objects nested thousands deep.
        raise InputFileError(
            _not_json(exc), location=location, hint=message("hint/save-result")
        ) from exc
    return snapshot_of_document(document, path)


def _not_json(exc: ValueError | RecursionError) -> Message:
    """Why a file is not JSON: Python's own words in English; in Swedish, as the TOML errors
    are said, where the file breaks off (Python's words would make a line half English)."""
    if isinstance(exc, json.JSONDecodeError):
        return message(
            "result/not-json/at", reason=exc.msg, line=exc.lineno, column=exc.colno, char=exc.pos
        )
    if isinstance(exc, UnicodeDecodeError):
        return message("result/not-json/not-utf8", reason=str(exc))
    return message("result/not-json/too-deep", reason=str(exc))


def match_key(area_id: str) -> str:
    """The id without SCB's vintage suffix: 0114A0010_DeSO2025 matches 0114A0010."""
    return without_vintage(area_id)


def _by_match_key(snapshot: Snapshot) -> dict[str, DistrictState]:
    found: dict[str, DistrictState] = {}
    for key, state in snapshot.districts.items():
        matched = match_key(key)
        if matched in found:
            raise InputFileError(
                message("vintage-twins", first=repr(found[matched].id), second=repr(key)),
                # The file the user gave: a saved result, not the table it names inside.
                location=Location(file=snapshot.saved_in or Path(snapshot.source)),
                hint=message("hint/vintage-twins"),
            )
        found[matched] = state
    return found


def compare(old: Snapshot, new: Snapshot, *, near: float = DEFAULT_NEAR) -> Comparison:
    """Compare two releases district by district (matched by id)."""
    old_by_key = _by_match_key(old)
    new_by_key = _by_match_key(new)
    vintage = sum(1 for key in (*old.districts, *new.districts) if match_key(key) != key)
    entered: list[Change] = []
    left: list[Change] = []
    unknown: list[Change] = []
    changed: list[Change] = []
    for key, after in new_by_key.items():
        before = old_by_key.get(key)
        if before is None:
            continue
        flipped = [
            criterion
            for criterion, check in after.checks.items()
            if criterion in before.checks and before.checks[criterion].met != check.met
        ]
        change = Change(after.id, after.name, after.municipality, before, after, flipped)
        if after.qualifies is None and before.qualifies is not None:
            unknown.append(change)
        elif after.qualifies is True and before.qualifies is not True:
            entered.append(change)
        elif before.qualifies is True and after.qualifies is not True:
            left.append(change)
        elif flipped or before.qualifies != after.qualifies:
            changed.append(change)
    added = [state for key, state in new_by_key.items() if key not in old_by_key]
    removed = [state for key, state in old_by_key.items() if key not in new_by_key]
    notes = []
    if old.criteria_sha256 and new.criteria_sha256 and old.criteria_sha256 != new.criteria_sha256:
        names = (
            f"({old.criteria_name!r} and {new.criteria_name!r})"
            if old.criteria_name != new.criteria_name
            else f"(both named {new.criteria_name!r}, with different contents)"
        )
        notes.append(
            f"the two releases were screened with different criteria {names}: "
            "changes may come from the rules, see the thresholds below"
        )
    if old_by_key and new_by_key and not old_by_key.keys() & new_by_key.keys():
        notes.append(
            "no district of the old release is in the new one: were both screened the same "
            "way (with or without --districts, ids from the same column)?"
        )
    if vintage:
        notes.append(
            f"{vintage} id(s) carry a vintage suffix (_DeSO…/_RegSO…); districts were matched "
            "without it"
        )
    return Comparison(
        old=old,
        new=new,
        entered=entered,
        left=left,
        unknown=unknown,
        changed=changed,
        added=added,
        removed=removed,
        near=_near(old_by_key, new_by_key, near),
        near_fraction=near,
        vintage_matched=vintage,
        notes=notes,
    )


def _near(
    old: Mapping[str, DistrictState], new: Mapping[str, DistrictState], fraction: float
) -> list[Near]:
    """Values now within ``fraction`` of their threshold that were not before."""
    found = []
    for key, after in new.items():
        before = old.get(key)
        for criterion, check in after.checks.items():
            if check.value is None or check.threshold is None or check.op is None:
                continue
            distance = abs(check.value - check.threshold)
            limit = fraction * max(abs(check.threshold), 1.0)
            if distance > limit:
                continue
            previous = before.checks.get(criterion) if before else None
            was_near = (
                previous is not None
                and previous.value is not None
                and abs(previous.value - check.threshold) <= limit
            )
            if not was_near:
                found.append(
                    Near(
                        after.id,
                        after.name,
                        criterion,
                        check.value,
                        check.threshold,
                        check.op,
                        round(distance, 9),
                    )
                )
    return found
