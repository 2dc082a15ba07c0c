"""Values as people read them, in every text output: every digit a value has, thousands
grouped with spaces, a bounded value as its range. Free of rich, so CSV and Markdown
output need not import it."""

from __future__ import annotations

from urbanscreen.result import Check


def format_value(value: float | None, unit: str) -> str:
    """A value as the table shows it: every digit it has (so never rounded onto a
    threshold), at least one decimal for rates, thousands grouped with spaces."""
    if value is None:
        return "missing"
    text = f"{round(value, 9):.15g}"
    if "e" in text:
        return text
    whole, _, decimals = text.partition(".")
    if unit != "count" and not decimals:
        decimals = "0"
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", " ")
    return f"{sign}{grouped}.{decimals}" if decimals else f"{sign}{grouped}"


def count_text(number: int) -> str:
    """300 000, not 300000."""
    return format_value(number, "count")


SHOWN_DECIMALS = 3


def _short(value: float | None, unit: str, threshold: float | None) -> str:
    """A computed rate to three decimals, unless that would land it on its threshold."""
    if value is None or unit == "count":
        return format_value(value, unit)
    rounded = round(value, SHOWN_DECIMALS)
    if rounded != value and threshold is not None and rounded == round(threshold, 9):
        return format_value(value, unit)
    return format_value(rounded, unit)


def shown_value(check: Check) -> str:
    """The value, or the range it is known to lie in, or "missing"."""
    unit = check.criterion.unit
    if check.value is None and check.low is not None and check.high == float("inf"):
        return f"≥ {_short(check.low, unit, check.threshold)}"
    if check.value is None and check.low is not None and check.high is not None:
        low = _short(check.low, unit, check.threshold)
        return f"{low}–{_short(check.high, unit, check.threshold)}"
    return _short(check.value, unit, check.threshold)
