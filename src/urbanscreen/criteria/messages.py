"""What a user reads about a criteria file written wrong: TOML syntax errors with the
fix for the usual slips, and pydantic's errors condensed into one line per problem with
its path in the file."""

from __future__ import annotations

import re
import tomllib
import unicodedata
from decimal import Decimal
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from urbanscreen.criteria.forms import (
    NAME_TAG,
    NUMBER_TAG,
    RULE_FORM,
    SCHEME_RULE_FORM,
    AllOf,
    AnyOf,
    AtLeast,
    ColumnReference,
    Extreme,
    HeldIn,
    Relative,
    Statistic,
    Streak,
)
from urbanscreen.criteria.model import Criteria
from urbanscreen.errors import CriteriaError, InvalidValues, Location
from urbanscreen.messages import CATALOGUE, Few, Message, message
from urbanscreen.suggest import closest


def invalid_criteria(exc: ValidationError, raw: object, location: Location) -> CriteriaError:
    """The error for a file pydantic rejected: one line per problem, typos first."""
    said = [
        problem
        for err in _typos_first(exc.errors())
        for problem in _describe_validation_error(err, raw)
    ]
    first = said[0]
    if len(said) > 1:
        rest = Few(tuple(said[1:]), limit=len(said), separator="; ")
        first = message("invalid-criteria/more", first=said[0], n=len(said) - 1, rest=rest)
    return CriteriaError(
        first,
        location=location,
        hint=message("hint/criteria"),
        problems=[line for problem in said for line in str(problem).split("\n")],
    )


# The table forms of each union: a rule, a threshold, a reference.
_UNIONS: tuple[tuple[type[BaseModel], ...], ...] = (
    (AllOf, AnyOf, AtLeast, Streak, HeldIn),
    (Relative,),
    (Statistic, Extreme, ColumnReference),
)
# The models a union's discriminator may pick, by the tag it puts in an error's path.
_FORMS: dict[str, type[BaseModel]] = {model.__name__: model for union in _UNIONS for model in union}
_SCHEME_RULES = ('"all"', '"any"')
_ID_PATTERN = "^[a-z][a-z0-9_]*$"


def _is_tag(part: object) -> bool:
    return part in _FORMS or part in (NAME_TAG, NUMBER_TAG)


def _typos_first(errors: list[Any]) -> list[Any]:
    """An unknown key is most often a misspelt one: say it first, and drop the "required
    key is missing" of the key it was meant to be (renaming it fixes both)."""
    meant: set[tuple[object, ...]] = set()
    for err in errors:
        if err["type"] == "extra_forbidden":
            loc = tuple(err["loc"])
            meant |= {(*loc[:-1], key) for key in closest(str(loc[-1]), _known_keys(loc[:-1]))}
    kept = [e for e in errors if not (e["type"] == "missing" and tuple(e["loc"]) in meant)]
    return sorted(kept, key=lambda err: err["type"] != "extra_forbidden")


def _known_keys(loc: tuple[object, ...]) -> list[str]:
    """The keys the table at ``loc`` may hold, following pydantic's path through the models."""
    model: type[BaseModel] | None = Criteria
    for part in loc:
        if not isinstance(part, str):
            continue  # a list position
        if part in _FORMS:
            model = _FORMS[part]  # the form a union's discriminator picked
        elif model is not None and part in model.model_fields:
            model = _only_model(model.model_fields[part].annotation)
    return sorted(model.model_fields) if model is not None else []


def _only_model(annotation: object) -> type[BaseModel] | None:
    """The one model a field's type holds (``list[Criterion]``: Criterion), else None."""
    found: set[type[BaseModel]] = set()
    pending = [annotation]
    while pending:
        current = pending.pop()
        if isinstance(current, type) and issubclass(current, BaseModel):
            found.add(current)
        else:
            pending.extend(get_args(current))
    return found.pop() if len(found) == 1 else None


def toml_error(exc: tomllib.TOMLDecodeError, text: str, location: Location) -> CriteriaError:
    """A TOML syntax error with its line, and the fix for the usual slips on that line."""
    said, hint = toml_problem(exc, text, "invalid-criteria/toml")
    return CriteriaError(said, location=location, hint=hint or message("hint/toml"))


def toml_problem(
    exc: tomllib.TOMLDecodeError, text: str, key: str
) -> tuple[Message, Message | None]:
    """A TOML syntax error said with its line (the catalogue's ``key``, and ``key/at`` where
    the line is known; TOML's own English reason is left out of a Swedish line), and the fix
    for the usual slips on that line (a decimal comma, a string without quotes), if one."""
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)", str(exc))
    number = int(found.group(1)) if found else None
    lines = text.splitlines()
    line = lines[number - 1].strip() if number and number <= len(lines) else ""
    reason = str(exc).replace(found.group(), "") if found else str(exc)
    hint = None
    comma = re.fullmatch(r"([\w.-]+)\s*=\s*(-?\d+),(\d+)\s*(#.*)?", line)
    bare = re.fullmatch(r"([\w.-]+)\s*=\s*([^\s\"'\[{#\d+-][^#]*?)\s*(#.*)?", line)
    if comma:
        fixed = f"{comma.group(1)} = {comma.group(2)}.{comma.group(3)}"
        hint = message("hint/toml-decimal-point", fixed=fixed)
    elif bare and bare.group(2) not in {"true", "false", "inf", "nan"}:
        hint = message("hint/toml-quotes", fixed=f'{bare.group(1)} = "{bare.group(2)}"')
    said = message(
        key + ("/at" if found else ""),
        line=number,
        column=found.group(2) if found else "",
        reason=reason,
        shown=f": {line}" if line else "",
    )
    return said, hint


def _dotted_path(loc: tuple[int | str, ...]) -> str:
    """('criteria', 1, 'threshold') -> criteria[1].threshold, without pydantic's union tags."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif _is_tag(part):
            continue
        else:
            path += f".{part}" if path else part
    return path or "(top level)"


def _describe_validation_error(err: Any, raw: object) -> list[Message]:
    """The problems one pydantic error stands for: one, or each a check across tables found."""
    loc = tuple(err["loc"])
    kind = err["type"]
    context = err.get("ctx", {})
    found = context.get("error")
    if isinstance(found, InvalidValues) and not loc:
        return list(found.said)  # checks across tables give each problem its own path
    if kind == SCHEME_RULE_FORM and isinstance(err["input"], str):
        return [message("criteria/problem", path=_dotted_path(loc), said=_not_a_rule(err["input"]))]
    if kind == SCHEME_RULE_FORM:
        kind = RULE_FORM  # not a text: what any rule may be
    fields = {name: value for name, value in context.items() if name != "error"}
    said = (
        found.said[0]
        if isinstance(found, InvalidValues)
        else message(f"criteria/{kind}", **fields)
        if f"criteria/{kind}" in CATALOGUE
        else message("criteria/other", text=str(err["msg"]).removeprefix("Value error, "))
    )
    if kind == "literal_error":
        expected = re.findall(r"'[^']*'|\d+", str(context.get("expected", "")))
        said = message(
            "criteria/literal_error",
            text=str(err["msg"]),
            expected=Few(tuple(expected), limit=len(expected), last="or"),
        )
    if kind == "extra_forbidden":
        known = _known_keys(loc[:-1])
        meant = closest(str(loc[-1]), known)
        said = (
            message("criteria/extra_forbidden/other-form", key=loc[-1], keys=", ".join(known))
            if _of_another_form(loc)
            else message("criteria/extra_forbidden/meant", key=meant[0])
            if meant
            else message("criteria/extra_forbidden/keys", keys=", ".join(known))
            if known
            else said
        )
    bad_id = kind == "string_pattern_mismatch" and context.get("pattern") == _ID_PATTERN
    if bad_id:
        said = message("criteria/id")
    if not loc:
        return [said]  # whole-file problems carry their own paths
    criterion_id = _criterion_id(raw, loc)
    path: object = _dotted_path(loc)
    if criterion_id:
        path = message("criteria/path-of-criterion", path=path, id=repr(criterion_id))
    if kind not in {"missing", "extra_forbidden"} and "input" in err:
        given = err["input"]
        if not isinstance(given, dict | list):
            shown = _as_written(given) if isinstance(given, Decimal) else repr(given)
            said = message("criteria/got", said=said, given=shown)
        fixed = _as_id(str(given)) if bad_id else ""
        if fixed:
            said = message("criteria/such-as", said=said, fixed=repr(fixed))
    return [message("criteria/problem", path=path, said=said)]


def _as_written(number: Decimal) -> str:
    """A number as TOML writes it (``nan``, ``-inf``), not as Python does (``Decimal('NaN')``)."""
    if number.is_nan():
        return "nan"
    if number.is_infinite():
        return "-inf" if number < 0 else "inf"
    return f"{number:f}"


def _of_another_form(loc: tuple[int | str, ...]) -> bool:
    """Whether the unknown key at the end of ``loc`` is a key of another form of the same
    union (``{ all = [...], any = [...] }``): spelt right, but in a table of its own form."""
    if len(loc) < 2 or not isinstance(loc[-2], str) or loc[-2] not in _FORMS:
        return False
    form = _FORMS[loc[-2]]
    union = next(union for union in _UNIONS if form in union)
    return any(loc[-1] in other.model_fields for other in union if other is not form)


def _not_a_rule(given: str) -> Message:
    """scheme.rule written as a text other than "all" or "any": the nearest, and the forms."""
    quoted = f'"{given}"'
    meant = closest(quoted, _SCHEME_RULES)
    return message(
        "criteria/rule/meant" if meant else "criteria/rule",
        given=quoted,
        meant=meant[0] if meant else "",
    )


def _criterion_id(raw: object, loc: tuple[int | str, ...]) -> str | None:
    if len(loc) < 2 or loc[0] != "criteria" or not isinstance(loc[1], int):
        return None
    if not isinstance(raw, dict):
        return None
    items = raw.get("criteria")
    if not isinstance(items, list) or loc[1] >= len(items):
        return None
    item = items[loc[1]]
    found = item.get("id") if isinstance(item, dict) else None
    return found if isinstance(found, str) else None


def _as_id(text: str) -> str:
    """``Förvärvs-frekvens`` as an id: ``forvarvs_frekvens`` (accents dropped)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    return words.lstrip("0123456789_")
