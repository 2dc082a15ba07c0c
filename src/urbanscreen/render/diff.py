"""A comparison of two releases as text, Markdown, JSON and CI annotations."""

from __future__ import annotations

import json
from typing import Any

from urbanscreen import __version__
from urbanscreen.compare import Change, Comparison, DistrictState
from urbanscreen.errors import printable

DIFF_SCHEMA_VERSION = 1


def _who(item: Change | DistrictState) -> str:
    name = item.name or item.id
    where = f", {item.municipality}" if item.municipality else ""
    # An id made of the name ("0180 Husby") adds nothing; a code ("1480R045") does.
    shown = name if name in item.id else f"{name} ({item.id})"
    return printable(shown + where)


def _outcome(value: bool | None) -> str:
    return {True: "qualifies", False: "does not qualify", None: "unknown"}[value]


def _flips(change: Change, comparison: Comparison) -> str:
    parts = []
    for criterion in change.flipped:
        label = comparison.new.labels.get(criterion, criterion)
        before, after = change.before.checks[criterion], change.after.checks[criterion]
        moved = ""
        if before.threshold != after.threshold:
            moved = f"threshold {_value(before.threshold)} -> {_value(after.threshold)}; "
        parts.append(
            f"{label} {_value(before.value)} -> {_value(after.value)} "
            f"({moved}{_met(before.met)} -> {_met(after.met)})"
        )
    return "; ".join(parts)


def _value(value: float | None) -> str:
    return "missing" if value is None else f"{value:g}"


def _met(met: bool | None) -> str:
    return {True: "met", False: "not met", None: "unknown"}[met]


def headline(comparison: Comparison) -> str:
    counts = [
        f"{len(comparison.entered)} entered",
        f"{len(comparison.left)} left",
        f"{len(comparison.unknown)} became unknown",
        f"{len(comparison.changed)} changed",
        f"{len(comparison.added)} added to the data",
        f"{len(comparison.removed)} removed from the data",
    ]
    verdict = "the qualifying set " + ("CHANGED" if comparison.changed_set else "is unchanged")
    return f"{verdict}: " + ", ".join(counts)


def _sections(comparison: Comparison) -> list[tuple[str, list[str]]]:
    def changes(items: list[Change]) -> list[str]:
        return [
            f"{_who(c)}: {_outcome(c.before.qualifies)} -> {_outcome(c.after.qualifies)}"
            + (f"; {_flips(c, comparison)}" if c.flipped else "")
            for c in items
        ]

    near = [
        f"{printable(n.name or n.id)}: {comparison.new.labels.get(n.criterion, n.criterion)} "
        f"{n.value:g} is {n.distance:g} from the threshold {n.op} {n.threshold:g}"
        for n in comparison.near
    ]
    return [
        ("Entered (now qualify)", changes(comparison.entered)),
        ("Left (no longer qualify)", changes(comparison.left)),
        ("Became unknown (missing values)", changes(comparison.unknown)),
        ("Changed (same outcome, criteria flipped)", changes(comparison.changed)),
        (
            "Added to the data (only in the new release)",
            [f"{_who(d)}: {_outcome(d.qualifies)}" for d in comparison.added],
        ),
        (
            "Removed from the data (only in the old release)",
            [f"{_who(d)}: {_outcome(d.qualifies)}" for d in comparison.removed],
        ),
        (
            f"Moved to within {comparison.near_fraction * 100:g} % of a threshold (values "
            "farther from it, or absent, in the old release)",
            near,
        ),
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


def to_markdown(comparison: Comparison) -> str:
    mark = "❌" if comparison.changed_set else "✅"
    lines = [
        f"### {mark} {headline(comparison)}",
        "",
        f"Old: `{printable(comparison.old.source)}` · New: `{printable(comparison.new.source)}`",
    ]
    lines += [f"> {printable(note)}" for note in comparison.notes]
    for title, items in _sections(comparison):
        if items:
            lines += ["", f"**{title}**", ""]
            lines += ["- " + item.replace("|", "\\|") for item in items]
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
