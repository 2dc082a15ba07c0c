"""Values as people read them, in every text output: every digit a value has, thousands
grouped with spaces, a bounded value as its range. Free of rich, so CSV and Markdown
output need not import it."""

from __future__ import annotations

import math
import re

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


def rounding_misleads(value: float | None, threshold: float | None, decimals: int) -> bool:
    """Whether ``value`` rounded to ``decimals`` would stand on, or across, its threshold
    while the value itself does not: then it is shown with every digit it has."""
    if value is None or threshold is None or math.isinf(value):
        return False
    rounded = round(value, decimals)
    return _side(rounded - threshold) != _side(value - threshold)


def _side(difference: float) -> int:
    return (difference > 0) - (difference < 0)


def whole(value: float | None) -> float | int | None:
    """12300, not 12300.0: a whole number as an integer."""
    if value is None or not float(value).is_integer():
        return value
    return int(value)


def shown_number(value: float | None, unit: str, decimals: int, threshold: float | None) -> str:
    """A value as text at the criterion's precision, thousands grouped; every digit where
    rounding would put it on or across the threshold."""
    if value is None or rounding_misleads(value, threshold, decimals) or math.isinf(value):
        return format_value(value, unit)
    text = f"{round(value, decimals):,.{decimals}f}".replace(",", " ")
    return "0" + text[2:] if text.startswith("-0") and not text.strip("-0. ") else text


def shown_value(check: Check) -> str:
    """The value at its criterion's precision, or the range it is known to lie in, or
    "missing"."""
    criterion = check.criterion
    return shown_reading(
        check.value,
        (check.low, check.high),
        criterion.unit,
        criterion.shown_decimals,
        check.threshold,
    )


def shown_reading(
    value: float | None,
    bounds: tuple[float | None, float | None],
    unit: str,
    decimals: int,
    threshold: float | None,
) -> str:
    """A value (or, where it is not known, the ``bounds`` it lies within) at ``decimals``,
    with every digit where rounding would put it on or across ``threshold``; "missing"
    where neither is known. One year of a follow-up reads as the check's table does."""
    low, high = bounds
    if value is None and low is not None and high == float("inf"):
        return f"≥ {shown_number(low, unit, decimals, threshold)}"
    if value is None and low is not None and high is not None:
        lower = shown_number(low, unit, decimals, threshold)
        return f"{lower}–{shown_number(high, unit, decimals, threshold)}"
    return shown_number(value, unit, decimals, threshold)


_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def decimal_mark(text: str, language: str) -> str:
    """Numbers in a text with the language's decimal mark: "> 4,8 %" in Swedish."""
    return _DECIMAL_POINT.sub(",", text) if language == "sv" else text
