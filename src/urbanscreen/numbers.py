"""Turn cells into numbers the way Swedish and English tables write them.

Vectorised over a column: "45,2", "45.2", "4 000", "4.000,5", "45,2 %" and real
numbers from a workbook become floats; SCB's missing and suppressed markers become
NaN (unknown, never zero); anything else is reported, not guessed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

# SCB: ".." not available or too uncertain, "." not applicable, "-" nothing;
# PC-Axis: one to six dots, and ":". An empty cell is missing too.
MISSING_MARKERS = frozenset(
    {"", "..", ".", "-", "–", "—", "...", "....", ".....", "......", ":", "n/a"}
)

_SPACES = re.compile(r"[\s\u00a0\u202f\u2009]+")
_PLAIN_NUMBER = r"^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$"
_GROUPED_WHOLE = r"^[+-]?\d{1,3}(?:(?:\.\d{3})+|(?:,\d{3})+)$"
_PLAIN_INTEGER = r"^[+-]?\d+$"
DETECTION_SAMPLE = 5000
# Evidence for the decimal mark; "4,000" and "4.000" prove nothing.
_COMMA_DECIMAL = re.compile(r"^[+-]?(?:\d*,\d{1,2}|\d*,\d{4,}|0,\d+|\d{1,3}(?:\.\d{3})+,\d+)%?$")
_DOT_DECIMAL = re.compile(r"^[+-]?(?:\d*\.\d{1,2}|\d*\.\d{4,}|0\.\d+|\d{1,3}(?:,\d{3})+\.\d+)%?$")


@dataclass(frozen=True)
class ParsedColumn:
    """Floats (NaN where missing), the positions whose text is not a number, and whether
    any cell carried a % sign (proof that the numbers are percentages, not shares)."""

    values: pd.Series
    invalid: pd.Series
    percent_sign: bool = False


class MixedDecimalMarks(Exception):  # internal signal, turned into a user error
    def __init__(self, comma_example: str, dot_example: str) -> None:
        super().__init__(comma_example, dot_example)
        self.comma_example = comma_example
        self.dot_example = dot_example


def detect_decimal_mark(columns: Iterable[pd.Series], default: str = ".") -> str:
    """ "," or "." from the text cells that can only be read one way; ``default`` if none can."""
    comma_example: str | None = None
    dot_example: str | None = None
    for column in columns:
        # A sample is enough: a later cell written the other way fails to parse, and says so.
        text = _text_cells(column.head(DETECTION_SAMPLE))
        if text.empty:
            continue
        if comma_example is None:
            comma_example = _first_match(text, _COMMA_DECIMAL, ",")
        if dot_example is None:
            dot_example = _first_match(text, _DOT_DECIMAL, ".")
    if comma_example and dot_example:
        raise MixedDecimalMarks(comma_example, dot_example)
    if comma_example:
        return ","
    if dot_example:
        return "."
    return default


def _first_match(text: pd.Series, pattern: re.Pattern[str], mark: str) -> str | None:
    """The first cell that ``pattern`` matches in full once spaces are taken out; only
    cells with ``mark`` can, and the first few usually decide, so the rest is looked at
    only when they do not."""
    candidates = text[text.str.contains(mark, regex=False).to_numpy(dtype=bool)]
    for part in (candidates.iloc[:64], candidates.iloc[64:]):
        compact = part.str.replace(_SPACES, "", regex=True)
        hits = compact[compact.str.fullmatch(pattern).to_numpy(dtype=bool)]
        if not hits.empty:
            return str(hits.iloc[0])
    return None


def parse_numbers(
    cells: pd.Series,
    decimal: str,
    *,
    whole: bool = False,
    missing: Sequence[str] = (),
) -> ParsedColumn:
    """Parse one column; ``decimal`` is "," or "." (see :func:`detect_decimal_mark`).

    ``whole`` marks a column of counts: "4,500" and "4.500" are then 4 500 whichever
    mark is decimal, since nobody counts 4.5 residents. ``missing`` adds markers that
    mean unknown in this column; one that reads as a number ("0") matches numbers too.
    """
    extra = {marker.strip().casefold() for marker in missing}
    numeric_markers = [float(m) for m in extra if _is_plain_number(m)]
    invalid = pd.Series(False, index=cells.index)
    if _only_numbers(cells):
        # A parquet column, or a workbook column of numbers and blanks: convert it at once.
        # Any blank a frame may hold (None, NaN, pandas' NA) is unknown.
        floats = cells.to_numpy(dtype="float64", na_value=np.nan)
        values = pd.Series(floats, index=cells.index, name=cells.name)
        return _without_markers(values, invalid, numeric_markers, False)

    plain = _plain_column(cells, decimal, whole)
    if plain is not None:
        return _without_markers(plain, invalid, numeric_markers, False)

    values = pd.Series(np.nan, index=cells.index, dtype="float64")
    if only_text(cells):
        # Text throughout (a CSV column), so no cell-by-cell type checks.
        is_text = cells.notna()
    else:
        is_number = cells.map(_is_real_number).astype(bool)
        is_text = cells.map(lambda cell: isinstance(cell, str)).astype(bool)
        is_empty = cells.isna() & ~is_number
        values[is_number] = cells[is_number].astype("float64")
        invalid |= ~(is_number | is_text | is_empty)

    text = cells[is_text].astype(str).str.strip()
    # Most cells are plain numbers ("45.3", "4000"): convert those at once, and give only
    # the rest (decimal commas, thousands, "%", markers) the slower treatment below.
    plain = text.str.fullmatch(_PLAIN_NUMBER if decimal == "." else _PLAIN_INTEGER)
    plain = plain.fillna(False).astype(bool)
    if whole:  # "4.500" in a count is 4 500, not a plain 4.5
        plain &= ~text.str.fullmatch(_GROUPED_WHOLE).fillna(False).astype(bool)
    values[plain[plain].index] = _floats(text[plain])
    text = text[~plain]
    absent = text.str.casefold().isin(MISSING_MARKERS | extra)
    text = text[~absent]
    compact = text.str.replace(_SPACES, "", regex=True).str.replace("\u2212", "-", regex=False)
    percent_sign = bool(compact.str.endswith("%").any())
    compact = compact.str.removesuffix("%")
    if whole:
        grouped = compact.str.fullmatch(_GROUPED_WHOLE).fillna(False).astype(bool)
        compact = compact.where(~grouped, compact.str.replace(r"[.,]", "", regex=True))
    if decimal == ",":
        compact = compact.str.replace(r"\.(?=\d{3}(?:\.|,|$))", "", regex=True)
        # A point left over is a decimal point: it contradicts the decimal comma.
        compact = compact.where(~compact.str.contains(".", regex=False), "not a number")
        compact = compact.str.replace(",", ".", regex=False)
    else:
        compact = compact.str.replace(r",(?=\d{3}(?:,|\.|$))", "", regex=True)
    ok = compact.str.fullmatch(_PLAIN_NUMBER).fillna(False).astype(bool)
    values[ok[ok].index] = _floats(compact[ok])
    invalid[ok[~ok].index] = True

    return _without_markers(values, invalid, numeric_markers, percent_sign)


def _plain_column(cells: pd.Series, decimal: str, whole: bool) -> pd.Series | None:
    """The whole column at once when every cell is a plain number, else None.

    Arrow's cast accepts exactly what _PLAIN_NUMBER accepts, plus "nan" and "inf" in any
    case; a column with any of those (or "1e999", which overflows) takes the cell-by-cell
    path, where a column's own missing markers may name them. Anything else (blanks
    inside, "..", "4 000", "45,2", "%") makes the cast fail, and the column takes that
    path too. So do columns with a "." that is a thousands mark in a count ("4.500") or
    beside a decimal comma.
    """
    if not is_arrow_text(cells):
        return None
    text = pa.array(cells.array)
    if (whole or decimal == ",") and pc.any(pc.match_substring(text, ".")).as_py():
        return None
    try:
        numbers = pc.cast(text, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        return None
    values = numbers.to_numpy(zero_copy_only=False)
    if not _finite(values, numbers.null_count):
        # "nan" or "inf" spelled out: text the cell-by-cell path decides (a column's
        # missing markers may name it), and so "1e999" too.
        return None
    return pd.Series(values, index=cells.index, dtype="float64", copy=False)


def _finite(values: np.ndarray, missing: int) -> bool:
    """Whether ``values`` are finite but for the ``missing`` ones (NaN in them). Without
    missing values their least and greatest tell it (a NaN makes both NaN), with no
    column of booleans."""
    if missing == 0:
        return len(values) == 0 or bool(np.isfinite(values.min()) and np.isfinite(values.max()))
    return bool(np.isfinite(values).sum() == len(values) - missing)


def _floats(numbers: pd.Series) -> pd.Series:
    """Text already checked against _PLAIN_NUMBER, as floats."""
    if is_arrow_text(numbers):
        # Arrow parses (correctly rounded, as Python does) about eight times faster, but
        # only ASCII digits: "１５６００" and "٣" are numbers to Python, as before.
        try:
            return numbers.astype("float64[pyarrow]").astype("float64")
        except ValueError:  # ArrowInvalid
            pass
    return numbers.astype("float64")


# pandas' text held by Arrow, a missing value NaN: what a CSV column is read as.
ARROW_TEXT = pd.StringDtype("pyarrow", na_value=np.nan)


def is_arrow_text(cells: pd.Series) -> bool:
    """Text held by Arrow (a CSV column): pattern tests and casts run on it at once."""
    return isinstance(cells.dtype, pd.StringDtype) and cells.dtype.storage == "pyarrow"


def as_arrow_text(cells: pd.Series) -> pd.Series:
    """``cells`` as Arrow text (missing stays missing), converted only if they are not."""
    return cells if is_arrow_text(cells) else cells.astype(ARROW_TEXT)


def as_shared_objects(text: pd.Series, *, strip: bool = False) -> pd.Series:
    """Arrow text (missing as NaN) as Python strings, None where missing, each distinct value
    one object: codes and names that repeat (a kommunkod on 300 000 rows) then cost one
    string each rather than one per row, and are made twice as fast.

    ``strip``: without the spaces around them, None where nothing is left; each distinct
    value is stripped once, not each of the rows that repeat it."""
    codes, objects = factorized_text(text, strip=strip)
    return pd.Series(objects[codes], index=text.index, dtype=object, copy=False)


def factorized_text(text: pd.Series, *, strip: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Each row's code, and its distinct values in the order they first occur, as Python
    strings and then None, the value of code -1 (missing): work on the values (a few
    hundred municipality codes) is then done once each, not once per row.

    ``strip``: as in :func:`as_shared_objects`."""
    codes, uniques = pd.factorize(text)
    objects = np.empty(len(uniques) + 1, dtype=object)  # the last, None: code -1, missing
    if strip:
        stripped = pd.Series(uniques).str.strip()
        objects[:-1] = stripped.astype(object).where(stripped != "", None).to_numpy()
    else:
        objects[:-1] = np.asarray(uniques, dtype=object)
    return codes, objects


def only_text(cells: pd.Series) -> bool:
    """Text and blanks only: a CSV column, or a workbook column with no numbers in it."""
    if pd.api.types.is_string_dtype(cells.dtype) and cells.dtype != object:
        return True
    return cells.dtype == object and pd.api.types.infer_dtype(cells, skipna=True) == "string"


def _only_numbers(cells: pd.Series) -> bool:
    """Numbers and blanks only: no text to parse and no booleans to refuse."""
    if pd.api.types.is_bool_dtype(cells.dtype):
        return False
    if pd.api.types.is_numeric_dtype(cells.dtype):
        return True
    return cells.dtype == object and pd.api.types.infer_dtype(cells, skipna=True) in _ONLY_NUMBERS


def _without_markers(
    values: pd.Series, invalid: pd.Series, numeric_markers: list[float], percent_sign: bool
) -> ParsedColumn:
    if numeric_markers:
        values = values.mask(values.isin(numeric_markers))
    # "1e999" parses to infinity: a number no statistic can have.
    infinite = np.isinf(values.to_numpy())
    if infinite.any():  # else a copy of the column for nothing
        invalid = invalid | infinite
        values = values.mask(infinite)
    return ParsedColumn(values, invalid, percent_sign)


_ONLY_NUMBERS = {"floating", "integer", "mixed-integer-float", "empty"}


def _is_plain_number(text: str) -> bool:
    return re.fullmatch(_PLAIN_NUMBER, text) is not None


def _is_real_number(cell: object) -> bool:
    return (
        isinstance(cell, int | float | np.integer | np.floating)
        and not isinstance(cell, bool | np.bool_)
        and not (isinstance(cell, float) and np.isnan(cell))
    )


def _text_cells(column: pd.Series) -> pd.Series:
    if _only_numbers(column):
        return pd.Series([], dtype=str)
    if only_text(column):
        return column.dropna().str.strip()
    mask = column.map(lambda cell: isinstance(cell, str)).astype(bool)
    return column[mask].astype(str).str.strip()
