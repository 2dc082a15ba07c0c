"""The years of a table: which one is screened, and what the others are kept for.

The year is --year, or the latest every criterion has a value for (said, and a thinner
latest year pointed out); each year's frame is kept as history where rules read several
years; criteria on the mean of the last n years are averaged here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from urbanscreen.columns import CRITERION, HIGH, ID, LOW, TOTAL, VALUE, YEAR, bound_column
from urbanscreen.criteria.model import Criteria, Criterion
from urbanscreen.errors import Issue, Location, MissingColumnError, OptionError
from urbanscreen.messages import Message, message
from urbanscreen.pivot import pivot
from urbanscreen.readers import SourceInfo


def refuse_options_the_file_cannot_serve(
    criteria: Criteria, year: int | None, source: SourceInfo
) -> None:
    """A table with neither years nor sexes cannot answer --year or a sex-specific criterion."""
    where = Location(file=source.path, sheet=source.sheet)
    if year is not None:
        raise OptionError(
            message("invalid-option/no-years", year=year),
            location=where,
            hint=message("hint/leave-out-year"),
        )
    for criterion in criteria.columns:
        if criterion.sex != TOTAL:
            raise MissingColumnError(
                message("missing-column/sex", label=repr(criterion.label), sex=str(criterion.sex)),
                location=where,
                hint=message("hint/sex-breakdown", sex=repr(criterion.sex)),
            )


def choose_year(
    long: pd.DataFrame,
    criteria: Criteria,
    wanted: int | None,
    source: SourceInfo,
    issues: list[Issue],
) -> tuple[int | None, tuple[int, ...]]:
    """--year, or the latest year every criterion has a value for; said as an issue."""
    if long[YEAR].isna().all():
        if wanted is not None:
            raise OptionError(
                message("invalid-option/no-years", year=wanted),
                location=Location(file=source.path, sheet=source.sheet),
                hint=message("hint/leave-out-year"),
            )
        return None, ()
    known = long[long[VALUE].notna()]
    years = tuple(sorted({int(y) for y in long[YEAR].dropna()}))
    per_criterion = {
        c.id: {int(y) for y in known.loc[known[CRITERION] == c.id, YEAR].dropna()}
        for c in criteria.columns
    }
    location = Location(file=source.path, sheet=source.sheet)
    span = f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0])
    if wanted is not None:
        if wanted not in years:
            raise OptionError(
                message("invalid-option/no-such-year", year=wanted),
                location=location,
                hint=message("hint/years-in-file", years=", ".join(str(y) for y in years)),
            )
        lacking = [c.label for c in criteria.columns if wanted not in per_criterion[c.id]]
        if lacking:
            issues.append(
                Issue.of(
                    message("year-lacks-indicator", year=wanted, labels=", ".join(lacking)),
                    location,
                )
            )
        issues.append(
            Issue.of(message("year-chosen/asked", year=wanted, span=span), location, "info")
        )
        return wanted, years
    common = set.intersection(*per_criterion.values()) if per_criterion else set()
    if not common:
        described = "; ".join(
            f"{c.label}: {_years_text(per_criterion[c.id])}" for c in criteria.columns
        )
        raise OptionError(
            message("invalid-option/no-common-year", described=described),
            location=location,
            hint=message("hint/pick-year"),
        )
    chosen = max(common)
    _warn_about_coverage(known, criteria, chosen, common, location, issues)
    issues.append(Issue.of(message("year-chosen", year=chosen, span=span), location, "info"))
    return chosen, years


def _warn_about_coverage(
    known: pd.DataFrame,
    criteria: Criteria,
    chosen: int,
    common: set[int],
    location: Location,
    issues: list[Issue],
) -> None:
    """The latest year may be thin (a release not yet complete): say when another is fuller."""
    areas = known[ID].nunique()

    def coverage(year: int) -> tuple[int, str]:
        rows = known[known[YEAR] == year]
        counts = {
            c.label: rows.loc[rows[CRITERION] == c.id, ID].nunique() for c in criteria.columns
        }
        label = min(counts, key=lambda key: counts[key])
        return counts[label], label

    have, label = coverage(chosen)
    fuller = [year for year in sorted(common, reverse=True) if coverage(year)[0] > have]
    if fuller:
        issues.append(
            Issue.of(
                message(
                    "thin-year", year=chosen, label=label, have=have, n=areas, fuller=fuller[0]
                ),
                location,
            )
        )


def _years_text(years: set[int]) -> str:
    return ", ".join(str(y) for y in sorted(years)) if years else "none"


def one_row_per_area(
    long: pd.DataFrame,
    areas: pd.DataFrame,
    criteria: Criteria,
    when: tuple[int | None, tuple[int, ...], bool],
    origin: tuple[SourceInfo, Message],
    issues: list[Issue],
    every_year: bool = False,
) -> tuple[pd.DataFrame, bool, dict[int, pd.DataFrame]]:
    """The chosen year's values per area; earlier years too when the rules need them, and
    every year when asked."""
    chosen, years, keep_years = when
    source, id_source = origin
    history: dict[int, pd.DataFrame] = {}
    if chosen is not None and (every_year or keep_years):
        # One row per area, found once: each year's pivot would look for them again among
        # every record (a tenth of a second a year at 6 000 areas).
        unique = areas.drop_duplicates(ID)
        history = {
            y: pivot(long[long[YEAR] == y], unique, criteria, source, id_source, [])[0]
            for y in years
            if every_year or y <= chosen
        }
    if chosen is not None:
        long = long[long[YEAR] == chosen]
    frame, by_sex = pivot(long, areas, criteria, source, id_source, issues)
    # Every year's values are the ones its criteria are screened on: a streak judges the
    # years before the screened one on their own window means, as it judges that one.
    averaged = {y: values.copy() for y, values in history.items()}
    for y, values in averaged.items():
        average_years(values, history, criteria.criteria, y)
    average_years(frame, history, criteria.criteria, chosen)
    return frame, by_sex, averaged


def average_years(
    frame: pd.DataFrame,
    history: Mapping[int, pd.DataFrame],
    criteria: Sequence[Criterion],
    chosen: int | None,
) -> None:
    """Criteria on the mean of the last n years (Denmark's two-year averages)."""
    for criterion in criteria:
        if criterion.years is None or chosen is None:
            continue
        span = [chosen - back for back in range(criterion.years.mean)]
        yearly = [
            history[y][criterion.id] if y in history else pd.Series(np.nan, index=frame.index)
            for y in span
        ]
        frame[criterion.id] = pd.concat(yearly, axis=1).mean(axis=1, skipna=False).to_numpy()
        # Bounds of the screened year alone say nothing about a mean of several years.
        for side in (LOW, HIGH):
            if bound_column(criterion.id, side) in frame:
                frame[bound_column(criterion.id, side)] = np.nan
