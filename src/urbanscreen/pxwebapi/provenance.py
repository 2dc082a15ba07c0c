"""What a fetched file records about where it came from, and reading it back.

A PX file carries it as keywords of its own (``URBANSCREEN-API="…";``), which PX readers
ignore; a CSV file in its title line, the line above the header that PxWeb's CSV may
have. ``check`` shows it in the JSON ``input`` and on the workbook's Provenance sheet.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

PX_PREFIX = "URBANSCREEN-"
CSV_MARKER = "urbanscreen fetch: "
DEFAULT_ATTRIBUTION = "Källa: SCB"
DEFAULT_LICENSE = "CC BY 4.0"


@dataclass(frozen=True)
class Provenance:
    """The API, table, selection, the table's ``updated`` time and when it was fetched."""

    api: str
    table: str
    selection: str
    updated: str
    fetched: str
    lang: str
    attribution: str = DEFAULT_ATTRIBUTION
    license: str = DEFAULT_LICENSE

    def same_source(self, other: Provenance) -> bool:
        """The same table, selection and release: fetching again would change nothing.
        A table that does not say when it was updated is never the same."""
        keys = ("api", "table", "selection", "updated", "lang")
        return bool(self.updated) and all(getattr(self, k) == getattr(other, k) for k in keys)

    def as_pairs(self) -> tuple[tuple[str, str], ...]:
        return tuple(asdict(self).items())

    def px_keywords(self) -> list[str]:
        """``URBANSCREEN-TABLE="TAB005";`` lines (PX strings hold no double quotes)."""
        return [
            f'{PX_PREFIX}{key.upper()}="{value.replace(chr(34), chr(39))}";'
            for key, value in self.as_pairs()
        ]

    def csv_title(self) -> str:
        """The CSV title line: the marker and the fields as JSON, quoted as one cell."""
        out = io.StringIO()
        csv.writer(out, lineterminator="").writerow(
            [CSV_MARKER + json.dumps(asdict(self), ensure_ascii=False)]
        )
        return out.getvalue()


_NAMES = tuple(f.name for f in fields(Provenance))


def from_px_keywords(keywords: Mapping[str, list[str]]) -> Provenance | None:
    """The provenance among a PX file's keywords, or None for a file not fetched by us."""
    found = {
        name: keywords[f"{PX_PREFIX}{name.upper()}"][0]
        for name in _NAMES
        if keywords.get(f"{PX_PREFIX}{name.upper()}")
    }
    return _build(found)


def from_csv_title(line: str) -> Provenance | None:
    """The provenance in a CSV's first line, or None when the line is not ours."""
    try:
        cells = next(csv.reader([line]))
    except (csv.Error, StopIteration):
        return None
    if len(cells) != 1 or not cells[0].startswith(CSV_MARKER):
        return None
    try:
        found = json.loads(cells[0][len(CSV_MARKER) :])
    except json.JSONDecodeError:
        return None
    if not isinstance(found, dict):
        return None
    return _build({k: v for k, v in found.items() if k in _NAMES and isinstance(v, str)})


def _build(found: Mapping[str, str]) -> Provenance | None:
    required = ("api", "table", "selection", "updated", "fetched", "lang")
    if any(key not in found for key in required):
        return None
    return Provenance(**found)
