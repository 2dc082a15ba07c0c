"""PC-Axis (.px), SCB's native format: ``KEYWORD=value;`` lines and a DATA matrix.

A small reader of our own (no dependency that logs or fetches URLs). It reads the
default language, honours CODEPAGE, and flattens STUB x HEADING into long rows: one
column per variable plus the value, so the same layout logic serves PX, PxWeb CSV
and Kolada exports alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

from urbanscreen.columns import CONTENTS_HEADER, INDICATOR, VALUE
from urbanscreen.dimensions import Dimension

VALUE_HEADER = "värde"
# A declared missing-figure symbol becomes SCB's "..", which every reader takes as unknown.
MISSING = ".."
_CODEPAGE = re.compile(rb'CODEPAGE\s*=\s*"([^"]+)"', re.IGNORECASE)
# KEYWORD[lang]("variable") or KEYWORD("variable","value"): the first name is the variable.
_KEY = re.compile(
    r'^([A-Z0-9\-]+)(?:\[([^\]]*)\])?(?:\(\s*"([^"]*)"(?:\s*,\s*"[^"]*")*\s*\))?$', re.IGNORECASE
)
# Variables whose values are area labels: "1480 Göteborg" is built from CODES and VALUES.
_CONTENTS_NAMES = {"tabellinnehåll", "tabellinnehall", "contents", "innehåll", "indikator"}
_AREA_VARIABLES = {"region", "område", "omrade", "kommun", "deso", "regso", "area", "stadsdel"}


class PxError(Exception):
    """The file is not well-formed PC-Axis; ``line`` is 1-based where known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.line = line


@dataclass
class PxFile:
    """The keywords of a PX file (default language) and its flat data cells."""

    keywords: dict[str, list[str]] = field(default_factory=dict)
    values: dict[str, list[str]] = field(default_factory=dict)
    codes: dict[str, list[str]] = field(default_factory=dict)
    data: list[str] = field(default_factory=list)
    encoding: str = "latin-1"
    # ELIMINATION("variable"): "YES" (the variable may be left out, summing over it) or
    # the value that is the total over the variable.
    elimination: dict[str, str] = field(default_factory=dict)
    # KEYS("variable")=VALUES or CODES: sparse DATA, each row led by its stub values.
    keys: dict[str, str] = field(default_factory=dict)

    def first(self, keyword: str, default: str = "") -> str:
        found = self.keywords.get(keyword)
        return found[0] if found else default


def decode_px(data: bytes) -> tuple[str, str]:
    """Decode with the CODEPAGE the file declares (PX's default is ISO-8859-1)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), "utf-8"
    declared = _CODEPAGE.search(data[:8192])
    encoding = declared.group(1).decode("ascii", "replace").strip() if declared else "latin-1"
    try:
        return data.decode(encoding), encoding
    except (LookupError, UnicodeDecodeError) as exc:
        raise PxError(f"cannot be decoded with its CODEPAGE {encoding!r}: {exc}") from exc


def parse_px(text: str) -> PxFile:
    """Parse PX text into keywords and data; raises :class:`PxError` when malformed."""
    px = PxFile()
    for key, raw_value, line in _statements(text):
        match = _KEY.match(key.strip())
        if match is None:
            raise PxError(f"unreadable keyword {key.strip()[:40]!r}", line)
        keyword, language, variable = match.group(1).upper(), match.group(2), match.group(3)
        if language:  # translations: the default language is enough
            continue
        if keyword == "KEYS" and variable is not None:
            px.keys[variable] = (_strings(raw_value) or ["VALUES"])[0].upper()
            continue
        if keyword == "DATA":
            px.data = _keyed_cells(px, raw_value, line) if px.keys else _data_cells(raw_value)
            break
        items = _strings(raw_value)
        if keyword == "VALUES" and variable is not None:
            px.values[variable] = items
        elif keyword == "CODES" and variable is not None:
            px.codes[variable] = items
        elif keyword == "ELIMINATION" and variable is not None and items:
            px.elimination[variable] = items[0]
        elif variable is None:
            px.keywords[keyword] = items
    return px


def flatten(px: PxFile) -> tuple[list[str], list[list[str]]]:
    """Headers and long rows: one column per STUB and HEADING variable, then the value."""
    stub = px.keywords.get("STUB", [])
    heading = px.keywords.get("HEADING", [])
    variables = stub + heading
    if not variables:
        raise PxError("no STUB or HEADING: the file names no variables")
    labels = {v: _labels(px, v) for v in variables}
    missing = [v for v in variables if not labels[v]]
    if missing:
        raise PxError(f"no VALUES for variable {missing[0]!r}")
    expected = 1
    for variable in variables:
        expected *= len(labels[variable])
    if len(px.data) != expected:
        raise PxError(
            f"DATA has {len(px.data)} values where STUB x HEADING make {expected}: "
            "the file is truncated or its VALUES do not match"
        )
    contents_variable = px.first("CONTVARIABLE")
    headers = list(variables)
    # Without CONTVARIABLE a variable named like the contents still is the contents.
    named = {v.strip().casefold() for v in variables} & _CONTENTS_NAMES
    extra_contents = contents_variable not in variables and not named
    if extra_contents:
        headers.append(CONTENTS_HEADER)
    headers.append(VALUE_HEADER)
    contents = px.first("CONTENTS") or px.first("TITLE")
    symbols = missing_symbols(px)
    rows: list[list[str]] = []
    # The first STUB variable varies slowest and the last HEADING variable fastest.
    for cell, combination in zip(px.data, product(*(labels[v] for v in variables)), strict=True):
        row = list(combination)
        if extra_contents:
            row.append(contents)
        row.append(MISSING if cell in symbols else cell)
        rows.append(row)
    return headers, rows


def missing_symbols(px: PxFile) -> set[str]:
    """The texts a file's DATASYMBOL keywords declare for its missing figures; one to six
    dots and ``-``, PC-Axis's own symbols, are missing markers in every format."""
    declared = {
        px.first(keyword).strip()
        for keyword in (*(f"DATASYMBOL{n}" for n in range(1, 7)), "DATASYMBOLNIL", "DATASYMBOLSUM")
    }
    return {symbol for symbol in declared if symbol}


def contents_variable(px: PxFile) -> str | None:
    """The variable whose values are the table's contents (PX ``CONTVARIABLE``), if any."""
    variable = px.first("CONTVARIABLE")
    variables = px.keywords.get("STUB", []) + px.keywords.get("HEADING", [])
    return variable if variable in variables else None


def px_dimensions(px: PxFile, headers: list[str]) -> tuple[tuple[Dimension, ...], dict[str, int]]:
    """The file's variables as dimensions of the flat rows :func:`flatten` makes, and the
    columns whose role the file fixes: CONTVARIABLE is the indicator, the last the value."""
    variables = px.keywords.get("STUB", []) + px.keywords.get("HEADING", [])
    dimensions = []
    for column, variable in enumerate(variables):
        elimination = px.elimination.get(variable, "").strip()
        summable = elimination.upper() == "YES"
        dimensions.append(
            Dimension(
                name=variable,
                column=column,
                values=tuple(_labels(px, variable)),
                codes=tuple(px.codes.get(variable, [])),
                total=None if summable or not elimination else elimination,
                summable=summable,
            )
        )
    roles = {VALUE: len(headers) - 1}
    contents = contents_variable(px)
    if contents is not None:
        roles[INDICATOR] = variables.index(contents)
    return tuple(dimensions), roles


def _labels(px: PxFile, variable: str) -> list[str]:
    values = px.values.get(variable, [])
    codes = px.codes.get(variable, [])
    if variable.strip().casefold() not in _AREA_VARIABLES or len(codes) != len(values):
        return values
    return [
        value if value.startswith(code) else f"{code} {value}"
        for code, value in zip(codes, values, strict=True)
    ]


def _statements(text: str) -> list[tuple[str, str, int]]:
    """Split ``KEY=value;`` statements, respecting quotes; DATA runs to its own ``;``."""
    statements: list[tuple[str, str, int]] = []
    position, line = 0, 1
    length = len(text)
    while position < length:
        equals = text.find("=", position)
        if equals < 0:
            if text[position:].strip():
                raise PxError("text after the last statement has no '='", line)
            break
        key = text[position:equals].strip()
        start_line = line + text.count("\n", position, equals)
        cursor, quoted = equals + 1, False
        while cursor < length:
            char = text[cursor]
            if char == '"':
                quoted = not quoted
            elif char == ";" and not quoted:
                break
            cursor += 1
        else:
            if key.upper() == "DATA":
                # PxWeb reads a DATA matrix that runs to the end of the file; whether its
                # cells are all there is checked against STUB x HEADING.
                statements.append((key, text[equals + 1 :], start_line))
                break
            raise PxError(f"statement {key[:40]!r} has no closing ';'", start_line)
        statements.append((key, text[equals + 1 : cursor], start_line))
        line = start_line + text.count("\n", equals, cursor + 1)
        position = cursor + 1
    return statements


def _strings(raw: str) -> list[str]:
    """``"a","b"`` -> [a, b]; adjacent strings on new lines join ("long " "title")."""
    items: list[str] = []
    current: list[str] | None = None
    for token in re.finditer(r'"([^"]*)"|(,)|([^\s",]+)', raw):
        text, comma, bare = token.groups()
        if comma:
            if current is not None:
                items.append("".join(current))
            current = None
        elif text is not None:
            current = [*current, text] if current is not None else [text]
        elif bare is not None:  # unquoted: numbers, TLIST(A1) and the like
            if current is not None:
                items.append("".join(current))
            current = [bare]
    if current is not None:
        items.append("".join(current))
    return items


def _keyed_cells(px: PxFile, raw: str, line: int) -> list[str]:
    """Sparse DATA (KEYS) as the full matrix: each row names its stub values first; rows
    left out hold only zeros, which is why PC-Axis lets a file leave them out."""
    stub = px.keywords.get("STUB", [])
    heading = px.keywords.get("HEADING", [])
    if list(px.keys) != stub:
        raise PxError("KEYS for only some STUB variables are not supported", line)
    width = 1
    for variable in heading:
        width *= len(px.values.get(variable, []))
    lookup = [
        {key: position for position, key in enumerate(_key_labels(px, variable))}
        for variable in stub
    ]
    rows: dict[tuple[int, ...], list[str]] = {}
    for offset, text in enumerate(raw.splitlines()):
        cells = _data_cells(text)
        if not cells:
            continue
        keys, figures = cells[: len(stub)], cells[len(stub) :]
        if len(figures) != width or len(keys) != len(stub):
            raise PxError(
                f"a KEYS row has {len(figures)} figures where HEADING makes {width}", line + offset
            )
        try:
            position = tuple(lookup[i][key] for i, key in enumerate(keys))
        except KeyError as exc:
            message = f"a KEYS row names {exc.args[0]!r}, not a stub value"
            raise PxError(message, line + offset) from exc
        rows[position] = figures
    sizes = [range(len(found)) for found in lookup]
    return [cell for position in product(*sizes) for cell in rows.get(position, ["0"] * width)]


def _key_labels(px: PxFile, variable: str) -> list[str]:
    if px.keys[variable] == "CODES":
        return px.codes.get(variable, [])
    return px.values.get(variable, [])


def _data_cells(raw: str) -> list[str]:
    """Whitespace- or comma-separated values; quoted markers such as ".." lose their quotes."""
    return [
        match.group(1) if match.group(1) is not None else match.group(2)
        for match in re.finditer(r'"([^"]*)"|([^\s",]+)', raw)
    ]
