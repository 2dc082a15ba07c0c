"""CSV fields and lines as Python's csv module writes them (minimal quoting, CRLF), whole
columns at a time with Arrow, and text a spreadsheet shows rather than runs."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pyarrow as pa
import pyarrow.compute as pc

# A cell starting like this is a formula to a spreadsheet program (OWASP: CSV injection).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_FORMULA = "^[" + re.escape("".join(_FORMULA_START)) + "]"
LINE_END = "\r\n"


def marks(language: str) -> tuple[str, str]:
    """The field separator and decimal mark of a report in ``language``: semicolons and
    decimal commas in Swedish, as Swedish Excel expects; commas and points otherwise."""
    return (";", ",") if language == "sv" else (",", ".")


def neutralise(text: str) -> str:
    """Text a spreadsheet will show, not run: "=1+2" becomes "'=1+2"."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def text_fields(texts: pa.Array, separator: str) -> pa.StringArray:
    """Text cells as fields: each :func:`neutralise`-d, then quoted as the csv module
    quotes (only a field holding the separator, a quote or a line break, its quotes
    doubled); missing as empty."""
    texts = pc.cast(texts, pa.string())
    if texts.null_count:
        texts = pc.fill_null(texts, "")
    formula = pc.match_substring_regex(texts, _FORMULA)
    if pc.any(formula).as_py():
        texts = pc.if_else(formula, pc.binary_join_element_wise("'", texts, ""), texts)
    return quoted_fields(texts, separator)


def quoted_fields(texts: pa.Array, separator: str) -> pa.StringArray:
    """Fields quoted where the csv module quotes them (no neutralising: numbers and
    bounded ranges are written as they are)."""
    special = pc.match_substring_regex(texts, "[" + re.escape(separator) + '"\r\n]')
    if not pc.any(special).as_py():
        return texts
    doubled = pc.replace_substring(texts, '"', '""')
    return pc.if_else(special, pc.binary_join_element_wise('"', doubled, '"', ""), texts)


def lines(fields: Sequence[pa.Array], separator: str) -> str:
    """Rows of fields (given column by column, no nulls) as CSV lines, each ending CRLF."""
    rows = pc.binary_join_element_wise(*fields, separator)
    if not len(rows):
        return ""
    block = pa.ListArray.from_arrays([0, len(rows)], rows)  # every row as one list
    text: str = pc.binary_join(block, LINE_END)[0].as_py()
    return text + LINE_END
