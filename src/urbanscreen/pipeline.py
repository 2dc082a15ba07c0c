"""One way from a table to a result: load, build districts where asked, screen.

``urbanscreen check`` and ``urbanscreen diff`` both go this way, so every option that
changes what is screened (a sheet, a year, districts built from small areas, a
population floor) means the same in both, and in a notebook.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

from urbanscreen import engine
from urbanscreen.criteria import Criteria
from urbanscreen.districts import DistrictDefinition
from urbanscreen.frames import TableSource
from urbanscreen.indicators import PercentScale
from urbanscreen.result import Result
from urbanscreen.table import Table, load_table


@dataclass(frozen=True)
class LoadOptions:
    """How to read a table; every field's default is the one ``check`` uses.

    ``districts``: a definition file or the definitions, to build districts from a
    table of small areas (DeSO, RegSO). The other fields are
    :func:`~urbanscreen.table.load_table`'s.
    """

    sheet: str | None = None
    decimal: str | None = None
    year: int | None = None
    percent_scale: PercentScale = "auto"
    districts: str | Path | Sequence[DistrictDefinition] | None = None


def load(source: TableSource, criteria: Criteria, options: LoadOptions = LoadOptions()) -> Table:
    """The table ``criteria`` screen: read as it is, or aggregated into districts."""
    if options.districts is not None:
        from urbanscreen.aggregate import aggregate

        return aggregate(
            source,
            criteria,
            options.districts,
            sheet=options.sheet,
            decimal=options.decimal,
            year=options.year,
            percent_scale=options.percent_scale,
        )
    return load_table(
        source,
        criteria,
        sheet=options.sheet,
        decimal=options.decimal,
        year=options.year,
        percent_scale=options.percent_scale,
    )


def screen_source(
    source: TableSource,
    criteria: Criteria,
    options: LoadOptions = LoadOptions(),
    *,
    population_floor: int | None = None,
) -> Result:
    """Load ``source`` (see :func:`load`) and screen it (see :func:`~urbanscreen.screen`)."""
    table = load(source, criteria, options)
    _return_freed_memory()
    return engine.screen(table, criteria, population_floor=population_floor)


def _return_freed_memory() -> None:
    """Give back to the system what reading freed, where the C library is glibc.

    Arrow's parsing threads allocate in glibc arenas of their own, which keep freed memory:
    the raw text of 300 000 rows, dropped once the table is built, stayed resident (~60 MB)
    and set the run's peak. One malloc_trim after the read returns it (~1 ms)."""
    if not sys.platform.startswith("linux"):
        return
    # Another C library (musl) has no libc.so.6 or no malloc_trim, and a Python may be
    # built without ctypes: nothing to ask then.
    with suppress(ImportError, OSError, AttributeError):
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
