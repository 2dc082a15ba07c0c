"""A comparison of two releases as text, Markdown, JSON and CI annotations.

The Markdown (for a pull request or a step summary, read by people) is written in the
report's language; the text, JSON and annotations are English."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sized
from typing import Any

from urbanscreen import __version__
from urbanscreen.compare import Change, Comparison, DistrictState
from urbanscreen.errors import printable
from urbanscreen.render.values import decimal_mark

DIFF_SCHEMA_VERSION = 1

_EN: dict[object, str] = {
    True: "qualifies",
    False: "does not qualify",
    None: "unknown",
    "met": "met",
    "not_met": "not met",
    "unknown": "unknown",
    "missing": "missing",
    "threshold": "threshold",
    "entered": "entered",
    "left": "left",
    "became_unknown": "became unknown",
    "changed": "changed",
    "added": "added to the data",
    "removed": "removed from the data",
    "set_changed": "the qualifying set CHANGED",
    "set_same": "the qualifying set is unchanged",
    "title_entered": "Entered (now qualify)",
    "title_left": "Left (no longer qualify)",
    "title_unknown": "Became unknown (missing values)",
    "title_changed": "Changed (same outcome, criteria flipped)",
    "title_added": "Added to the data (only in the new release)",
    "title_removed": "Removed from the data (only in the old release)",
    "title_near": "Moved to within {fraction} of a threshold (values farther from it, or "
    "absent, in the old release)",
    "near": "{value} is {distance} from the threshold {op} {threshold}",
    "old": "Old",
    "new": "New",
}
_SV: dict[object, str] = {
    True: "uppfyller villkoren",
    False: "uppfyller inte villkoren",
    None: "okänt",
    "met": "uppfyllt",
    "not_met": "ej uppfyllt",
    "unknown": "okänt",
    "missing": "saknas",
    "threshold": "gräns",
    "entered": "tillkom",
    "left": "föll bort",
    "became_unknown": "blev okända",
    "changed": "ändrade",
    "added": "nya i data",
    "removed": "borta ur data",
    "set_changed": "områdena som uppfyller villkoren har ÄNDRATS",
    "set_same": "områdena som uppfyller villkoren är desamma",
    "title_entered": "Tillkom (uppfyller nu villkoren)",
    "title_left": "Föll bort (uppfyller inte längre villkoren)",
    "title_unknown": "Blev okända (värden saknas)",
    "title_changed": "Ändrade (samma utfall, villkor som slog om)",
    "title_added": "Nya i data (bara i den nya utgåvan)",
    "title_removed": "Borta ur data (bara i den gamla utgåvan)",
    "title_near": "Flyttat till inom {fraction} från en gräns (värden längre från den, eller "
    "saknade, i den förra utgåvan)",
    "near": "{value} ligger {distance} från gränsen {op} {threshold}",
    "old": "Gammal",
    "new": "Ny",
}
_WORDS: dict[str, Mapping[object, str]] = {"en": _EN, "sv": _SV}
# The comparison's notes, made in English, as a Swedish reader gets them.
_SWEDISH_NOTES = (
    (
        re.compile(
            r"the two releases were screened with different criteria \((?:both named )?"
            r"(?P<names>.*?)(?:, with different contents)?\): changes may come from the rules, "
            r"see the thresholds below"
        ),
        "de två utgåvorna prövades mot olika villkor ({names}): ändringar kan komma från "
        "reglerna, se gränserna nedan",
    ),
    (
        re.compile(
            r"(?P<n>\d+) id\(s\) carry a vintage suffix \(_DeSO…/_RegSO…\); districts were "
            r"matched without it"
        ),
        "{n} id har ett årgångssuffix (_DeSO…/_RegSO…); områdena matchades utan det",
    ),
    (
        re.compile(
            r"no district of the old release is in the new one: were both screened the same "
            r"way \(with or without --districts, ids from the same column\)\?"
        ),
        "inget område i den gamla utgåvan finns i den nya: prövades båda på samma sätt (med "
        "eller utan --districts, id från samma kolumn)?",
    ),
)


def _note(note: str, language: str) -> str:
    if language == "sv":
        for pattern, template in _SWEDISH_NOTES:
            found = pattern.fullmatch(note)
            if found:
                return template.format(**found.groupdict())
    return note


def _who(item: Change | DistrictState) -> str:
    name = item.name or item.id
    where = f", {item.municipality}" if item.municipality else ""
    # An id made of the name ("0180 Husby") adds nothing; a code ("1480R045") does.
    shown = name if name in item.id else f"{name} ({item.id})"
    return printable(shown + where)


def _flips(change: Change, labels: Mapping[str, str], words: Mapping[object, str]) -> str:
    parts = []
    for criterion in change.flipped:
        label = labels.get(criterion, criterion)
        before, after = change.before.checks[criterion], change.after.checks[criterion]
        moved = ""
        if before.threshold != after.threshold:
            moved = (
                f"{words['threshold']} {_value(before.threshold, words)} -> "
                f"{_value(after.threshold, words)}; "
            )
        parts.append(
            f"{label} {_value(before.value, words)} -> {_value(after.value, words)} "
            f"({moved}{_met(before.met, words)} -> {_met(after.met, words)})"
        )
    return "; ".join(parts)


def _value(value: float | None, words: Mapping[object, str]) -> str:
    return words["missing"] if value is None else f"{value:g}"


def _met(met: bool | None, words: Mapping[object, str]) -> str:
    return words["unknown" if met is None else "met" if met else "not_met"]


def headline(comparison: Comparison, language: str = "en") -> str:
    words = _WORDS.get(language, _EN)
    groups: dict[str, Sized] = {
        "entered": comparison.entered,
        "left": comparison.left,
        "became_unknown": comparison.unknown,
        "changed": comparison.changed,
        "added": comparison.added,
        "removed": comparison.removed,
    }
    # Only what happened: six counts, most of them 0, made a line too long for a terminal.
    counts = [f"{len(items)} {words[key]}" for key, items in groups.items() if items]
    verdict = words["set_changed" if comparison.changed_set else "set_same"]
    return f"{verdict}: {', '.join(counts)}" if counts else verdict


def _sections(
    comparison: Comparison, language: str = "en", labels: Mapping[str, str] | None = None
) -> list[tuple[str, list[str]]]:
    words = _WORDS.get(language, _EN)
    labels = comparison.new.labels | dict(labels or {})

    def changes(items: list[Change]) -> list[str]:
        return [
            f"{_who(c)}: {words[c.before.qualifies]} -> {words[c.after.qualifies]}"
            + (f"; {_flips(c, labels, words)}" if c.flipped else "")
            for c in items
        ]

    near = [
        f"{printable(n.name or n.id)}: {labels.get(n.criterion, n.criterion)} "
        + words["near"].format(
            value=f"{n.value:g}", distance=f"{n.distance:g}", op=n.op, threshold=f"{n.threshold:g}"
        )
        for n in comparison.near
    ]
    fraction = f"{comparison.near_fraction * 100:g} %"
    fraction = fraction.replace(".", ",") if language == "sv" else fraction
    return [
        (words["title_entered"], changes(comparison.entered)),
        (words["title_left"], changes(comparison.left)),
        (words["title_unknown"], changes(comparison.unknown)),
        (words["title_changed"], changes(comparison.changed)),
        (
            words["title_added"],
            [f"{_who(d)}: {words[d.qualifies]}" for d in comparison.added],
        ),
        (
            words["title_removed"],
            [f"{_who(d)}: {words[d.qualifies]}" for d in comparison.removed],
        ),
        (words["title_near"].format(fraction=fraction), near),
    ]


def to_text(comparison: Comparison) -> str:
    lines = [
        f"Old: {printable(comparison.old.source)}",
        f"New: {printable(comparison.new.source)}",
        headline(comparison),
    ]
    lines += [f"note: {printable(note)}" for note in comparison.notes]
    for title, items in _sections(comparison):
        if items:
            lines.append("")
            lines.append(f"{title}:")
            lines += [f"  {item}" for item in items]
    return "\n".join(lines) + "\n"


def to_markdown(
    comparison: Comparison, language: str = "en", labels: Mapping[str, str] | None = None
) -> str:
    """For a pull request or a CI step summary, in ``language`` ("sv" or "en"); ``labels``
    names criteria in that language (default: as the new release's result names them)."""
    words = _WORDS.get(language, _EN)
    mark = "❌" if comparison.changed_set else "✅"
    lines = [
        f"### {mark} {decimal_mark(headline(comparison, language), language)}",
        "",
        f"{words['old']}: `{printable(comparison.old.source)}` · "
        f"{words['new']}: `{printable(comparison.new.source)}`",
    ]
    lines += [f"> {printable(_note(note, language))}" for note in comparison.notes]
    for title, items in _sections(comparison, language, labels):
        if items:
            lines += ["", f"**{title}**", ""]
            lines += ["- " + decimal_mark(item, language).replace("|", "\\|") for item in items]
    # A blank line ends the list, so what follows in a step summary starts a paragraph.
    return "\n".join(lines) + "\n\n"


def workflow_annotations(comparison: Comparison) -> list[str]:
    """GitHub Actions workflow commands: an error per district entering or leaving."""
    found = []
    for title, items in _sections(comparison)[:3]:
        for item in items:
            found.append(f"::error title={title}::{_escape(item)}")
    for title, items in _sections(comparison)[3:]:
        for item in items:
            found.append(f"::warning title={title}::{_escape(item)}")
    return found


def _escape(text: str) -> str:
    """GitHub's workflow-command escaping for the message part."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def document(comparison: Comparison) -> dict[str, Any]:
    return {
        "schema_version": DIFF_SCHEMA_VERSION,
        "tool": {"name": "urbanscreen", "version": __version__},
        "old": {
            "source": comparison.old.source,
            "criteria": comparison.old.criteria_name,
            "criteria_sha256": comparison.old.criteria_sha256,
        },
        "new": {
            "source": comparison.new.source,
            "criteria": comparison.new.criteria_name,
            "criteria_sha256": comparison.new.criteria_sha256,
        },
        "qualifying_set_changed": comparison.changed_set,
        "entered": [c.as_dict() for c in comparison.entered],
        "left": [c.as_dict() for c in comparison.left],
        "unknown": [c.as_dict() for c in comparison.unknown],
        "changed": [c.as_dict() for c in comparison.changed],
        "added": [d.as_dict() | {"name": d.name} for d in comparison.added],
        "removed": [d.as_dict() | {"name": d.name} for d in comparison.removed],
        "near": [n.as_dict() for n in comparison.near],
        "near_fraction": comparison.near_fraction,
        "notes": comparison.notes,
    }


def to_json(comparison: Comparison) -> str:
    return json.dumps(document(comparison), ensure_ascii=False, indent=2, allow_nan=False)
