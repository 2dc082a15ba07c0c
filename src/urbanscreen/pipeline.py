"""One way from a table to a result: load, build districts where asked, screen.

``urbanscreen check`` and ``urbanscreen diff`` both go this way, so every option that
changes what is screened (a sheet, a year, districts built from small areas, a
population floor) means the same in both, and in a notebook.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from urbanscreen import engine
from urbanscreen.criteria.model import Criteria
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
    :func:`~urbanscreen.table.load_table`'s (``where`` picks a value of each named
    breakdown; ``every_year`` keeps every year, for a follow-up).
    """

    sheet: str | None = None
    decimal: str | None = None
    year: int | None = None
    percent_scale: PercentScale = "auto"
    districts: str | Path | Sequence[DistrictDefinition] | None = None
    where: Mapping[str, str] | None = None
    every_year: bool = False


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
            every_year=options.every_year,
            where=options.where,
        )
    return load_table(
        source,
        criteria,
        sheet=options.sheet,
        decimal=options.decimal,
        year=options.year,
        percent_scale=options.percent_scale,
        every_year=options.every_year,
        where=options.where,
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
    return engine.screen(table, criteria, population_floor=population_floor)
