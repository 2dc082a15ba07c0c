"""A table drawn as rich's ``SIMPLE_HEAD`` table draws it, as one :class:`Text`.

Kept instead of :class:`rich.table.Table` because the benchmark row ``check 6 160 areas
(xlsx)`` (target ≤ 1.2× import + calamine read) proves the difference. Measured on
2026-12-06: the terminal tables built on rich's Table (the same text as the grid's, for
eleven inputs at widths 40 to 200) against this grid, seven interleaved runs each on two
shared cores (``python -m urbanscreen check FILE -c scb-2012`` against
``pd.read_excel(FILE, engine="calamine")``): the 6 160 areas (a table of 60 rows) 1.32×
(CPU) and 1.24× (wall) with rich's Table, 1.24× and 1.14× with the grid; the 27 sample
districts 1.22× and 1.20× against 1.18× and 1.11×. In-process, printing the 60-row table
takes about 35 ms of CPU with rich's Table and 17 ms with the grid, the sample's 18 and 9.

rich lays out every cell through its full renderable pipeline; our cells are single-line
texts, so the layout is simple arithmetic: the widest cell sets each column, and when the
table is wider than the terminal, the columns that may wrap give way, widest first, as
rich's do, but none below its minimum width (where rich would crop the table instead).
``tests/test_terminal.py`` holds the layout to rich's, byte for byte, wherever rich's
loses nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

Justify = Literal["left", "center", "right"]
EDGES = 2  # a space either side of the table
GAP = 3  # between cells: padding, the (blank) vertical rule, padding


@dataclass(frozen=True)
class Column:
    header: Text
    justify: Justify = "left"
    min_width: int = 0
    wrap: bool = False  # may fold onto several lines when the table is too wide


def grid(
    columns: Sequence[Column],
    rows: Sequence[Sequence[Text]],
    max_width: int,
    *,
    section_after: frozenset[int] = frozenset(),
) -> Text | None:
    """The table, no wider than ``max_width``; None if it cannot be made to fit.

    ``section_after`` holds the rows followed by a blank line (rich's ``end_section``).
    """
    headers = [list(column.header.split("\n", allow_blank=True)) for column in columns]
    cells = [[list(cell.split("\n", allow_blank=True)) for cell in row] for row in rows]
    widths = [
        max(
            column.min_width,
            *(line.cell_len for line in header),
            *(line.cell_len for row in cells for line in row[index]),
        )
        for index, (column, header) in enumerate(zip(columns, headers, strict=True))
    ]
    # rich compares widths with their padding: one space inside the table's edges, two
    # between columns, and a blank vertical rule between them.
    padding = [2 - (i == 0) - (i == len(columns) - 1) for i in range(len(columns))]
    room = max_width - EDGES - (len(columns) - 1)
    padded = _give_way(
        [w + p for w, p in zip(widths, padding, strict=True)],
        [column.wrap for column in columns],
        [c.min_width + p for c, p in zip(columns, padding, strict=True)],
        room,
    )
    narrowed = [w - p for w, p in zip(padded, padding, strict=True)]
    too_narrow = any(
        width < column.min_width
        # A folded column still needs room for its widest character (two cells for CJK).
        or (width < natural and width < _widest_character([headers[i], *(r[i] for r in cells)]))
        for i, (width, natural, column) in enumerate(zip(narrowed, widths, columns, strict=True))
    )
    if sum(padded) > room or too_narrow:
        return None
    widths = narrowed
    total = sum(widths) + EDGES + GAP * (len(columns) - 1)
    blank = Text(" " * total)
    lines = [blank]
    lines.extend(_row(columns, widths, headers, align_bottom=True, style="bold"))
    lines.append(Text(" " + "─" * (total - EDGES) + " "))
    for position, row in enumerate(cells):
        lines.extend(_row(columns, widths, row))
        if position in section_after and position + 1 < len(cells):
            lines.append(blank)
    lines.append(blank)
    table = Text("\n").join(lines)
    table.no_wrap = True
    return table


def _widest_character(cells: list[list[Text]]) -> int:
    return max((cell_len(ch) for lines in cells for line in lines for ch in line.plain), default=1)


def _give_way(widths: list[int], wrapable: list[bool], floors: list[int], room: int) -> list[int]:
    """Narrow the widest wrapable columns towards the next widest until the table fits, as
    rich does, but never below a column's floor (rich would go below, then crop the table):
    once names are at their minimum, the other wrapable columns go on giving way."""
    widths = list(widths)
    while (excess := sum(widths) - room) > 0:
        open_ = [i for i, w in enumerate(widths) if wrapable[i] and w > floors[i]]
        if not open_:
            break
        widest = max(widths[i] for i in open_)
        next_widest = max((widths[i] for i in open_ if widths[i] != widest), default=0)
        shared = [i for i in open_ if widths[i] == widest]
        cut = min(excess, widest - next_widest)
        # Share the excess between equally wide columns, each giving at most ``cut``.
        left, remaining = excess, len(shared)
        for i in shared:
            share = min(cut, round(left / remaining), widths[i] - floors[i])
            widths[i] -= share
            left -= share
            remaining -= 1
        if left == excess:
            break  # nothing could give way
    return widths


def _row(
    columns: Sequence[Column],
    widths: list[int],
    cells: Sequence[list[Text]],
    *,
    align_bottom: bool = False,
    style: str = "",
) -> list[Text]:
    """The lines of one row: each cell wrapped, justified and padded to its column."""
    laid_out = [
        _fit(lines, width, column)
        for lines, width, column in zip(cells, widths, columns, strict=True)
    ]
    height = max(len(lines) for lines in laid_out)
    for position, lines in enumerate(laid_out):
        pad = [" " * widths[position]] * (height - len(lines))
        laid_out[position] = (
            [Text(p) for p in pad] + lines if align_bottom else lines + [Text(p) for p in pad]
        )
    result = []
    for index in range(height):
        line = Text(" ", style=style)
        for position, lines in enumerate(laid_out):
            if position:
                line.append(" " * GAP)
            line.append_text(lines[index])
        line.append(" ")
        result.append(line)
    return result


def _fit(lines: list[Text], width: int, column: Column) -> list[Text]:
    if any(line.cell_len > width for line in lines):
        # A column narrowed to fit the terminal (names, usually): fold as rich would.
        joined = Text("\n").join(lines)
        lines = list(joined.wrap(Console(width=width), width, overflow="fold"))
    fitted = []
    for original in lines:
        line = original.copy()
        if column.justify != "left":
            line.rstrip()  # as rich justifies: trailing spaces are kept only on the left
        excess = width - line.cell_len
        if column.justify == "right":
            line.pad_left(excess)
        elif column.justify == "center":
            line.pad_left(excess // 2)
            line.pad_right(excess - excess // 2)
        else:
            line.pad_right(excess)
        fitted.append(line)
    return fitted
