"""Writing a fetched table as PC-Axis, or as CSV with the same rows ``check`` reads.

The PX file has what a download from the statistical database has (CODEPAGE, STUB and
HEADING, VALUES and CODES, VARIABLECODE, LAST-UPDATED, SOURCE, DATA), with the
provenance as keywords of its own. The CSV is the long table the PX file flattens to,
under a title line that carries the provenance.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import datetime

from urbanscreen.pxwebapi.dataset import Dataset
from urbanscreen.pxwebapi.provenance import Provenance

LINE = 200  # characters per PX line; the format allows 256


def to_px(dataset: Dataset, provenance: Provenance) -> str:
    """The dataset as PX text (to be written as UTF-8, as its CODEPAGE says)."""
    dimensions = dataset.dimensions
    stub, heading = dimensions[:-1], dimensions[-1:]
    px = dataset.extension.get("px") or {}
    lines = [
        'CHARSET="ANSI";',
        'AXIS-VERSION="2013";',
        'CODEPAGE="utf-8";',
        f'LANGUAGE="{_text(provenance.lang)}";',
        f'CREATION-DATE="{_px_time(provenance.fetched)}";',
        f"DECIMALS={dataset.decimals if dataset.decimals is not None else _decimals(dataset)};",
        f'MATRIX="{_text(str(px.get("matrix") or provenance.table))}";',
        f'SUBJECT-CODE="{_text(str(px.get("subject-code") or ""))}";',
        f'SUBJECT-AREA="{_text(str(px.get("subject-area") or ""))}";',
        f'TITLE="{_text(dataset.label)}";',
        f'CONTENTS="{_text(str(px.get("contents") or dataset.label))}";',
        f'UNITS="{_text(dataset.units)}";',
        _keyword("STUB", [d.label for d in stub]),
        _keyword("HEADING", [d.label for d in heading]),
    ]
    contents = [d for d in dimensions if d.role == "metric"]
    if contents:
        lines.append(f'CONTVARIABLE="{_text(contents[0].label)}";')
    for dimension in dimensions:
        name = _text(dimension.label)
        lines.append(_keyword(f'VALUES("{name}")', dimension.labels))
        lines.append(_keyword(f'CODES("{name}")', dimension.codes))
        lines.append(f'VARIABLECODE("{name}")="{_text(dimension.code)}";')
        if dimension.elimination and dimension.elimination_code in dimension.codes:
            total = dimension.label_of(dimension.elimination_code or "")
            lines.append(f'ELIMINATION("{name}")="{_text(total)}";')
    if dataset.updated:
        lines.append(f'LAST-UPDATED="{_px_time(dataset.updated)}";')
    lines.append(f'TABLEID="{_text(provenance.table)}";')
    lines.append(f'SOURCE="{_text(dataset.source or provenance.attribution)}";')
    lines.append(
        f'NOTE="{_text(f"{provenance.attribution} ({provenance.license}). {provenance.api}")}";'
    )
    lines.extend(provenance.px_keywords())
    lines.append("DATA=")
    lines.extend(_data_lines(dataset.cells, len(heading[0].codes) if heading else 1))
    lines.append(";")
    return "\n".join(lines) + "\n"


def to_csv(dataset: Dataset, provenance: Provenance) -> str:
    """The long table ``check`` reads from the PX file, under the provenance title line."""
    from urbanscreen.pcaxis import flatten, parse_px

    headers, rows = flatten(parse_px(to_px(dataset, provenance)))
    out = io.StringIO()
    out.write(provenance.csv_title() + "\n\n")
    writer = csv.writer(out, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def _keyword(key: str, items: Sequence[str]) -> str:
    """``KEY="a","b",…;`` broken after commas so that no line grows past ``LINE``."""
    lines: list[str] = []
    current = f"{key}="
    for position, item in enumerate(items):
        piece = f'"{_text(item)}"' + ("," if position < len(items) - 1 else ";")
        if len(current) + len(piece) > LINE and not current.endswith("="):
            lines.append(current)
            current = ""
        current += piece
    if not items:
        current += '"";'
    lines.append(current)
    return "\n".join(lines)


def _data_lines(cells: Iterable[str], width: int) -> list[str]:
    """One line per stub row; symbols (``..``) quoted as PX writes them."""
    row: list[str] = []
    lines: list[str] = []
    for cell in cells:
        row.append(cell if _is_number(cell) else f'"{_text(cell)}"')
        if len(row) == width:
            lines.append(" ".join(row))
            row = []
    if row:
        lines.append(" ".join(row))
    return lines


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _decimals(dataset: Dataset) -> int:
    """The most decimals any cell has, when the API does not say."""
    return max((len(c.partition(".")[2]) for c in dataset.cells if _is_number(c)), default=0)


def _text(value: str) -> str:
    """PX strings cannot hold a double quote or a line break."""
    return value.replace('"', "'").replace("\r", " ").replace("\n", " ")


def _px_time(moment: str) -> str:
    """``2023-08-31T13:42:00Z`` -> ``20230831 13:42``, PX's format; other text as given."""
    try:
        parsed = datetime.fromisoformat(moment.replace("Z", "+00:00"))
    except ValueError:
        return _text(moment)
    return parsed.strftime("%Y%m%d %H:%M")
