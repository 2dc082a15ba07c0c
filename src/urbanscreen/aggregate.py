"""Districts built from small areas (DeSO, RegSO), aggregated the way SCB does.

Averaging percentages across areas gives wrong answers: a district's rate is recomputed
from its areas' summed counts (numerator over denominator). Where only rates and a
weight exist, the weighted mean is used and said; rates without weights are refused.
A suppressed small-area count ('..') makes the district's value unknown, but bounded:
SCB shows a share only for a group of more than 20 persons of whom more than 5 have
the property, so a suppressed numerator is at most 5 and a suppressed denominator at
most 20. Where the bounds fall on one side of a threshold they decide the criterion.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from urbanscreen.columns import (
    AREAS,
    HIGH,
    ID,
    INDICATOR,
    LOW,
    MUNICIPALITY,
    MUNICIPALITY_CODE,
    NAME,
    ROW,
    bound_column,
    denominator_column,
    numerator_column,
)
from urbanscreen.compare import match_key
from urbanscreen.counts import (
    DENOMINATOR,
    NUMERATOR,
    count_measures,
    count_role,
    measure_roles,
    rate_roles,
)
from urbanscreen.criteria.model import Criteria, Measure, Statistic
from urbanscreen.dimensions import cells_named_by_values
from urbanscreen.districts import DistrictDefinition, area_shape, load_districts
from urbanscreen.errors import (
    InputFileError,
    Issue,
    Location,
    MissingColumnError,
    OptionError,
    UnknownAreaError,
)
from urbanscreen.frames import TableSource, read_source, source_path
from urbanscreen.indicators import PercentScale
from urbanscreen.messages import Few, Message, message
from urbanscreen.readers import RawTable
from urbanscreen.roles import AREA_ROLES, find_header_row, match_roles
from urbanscreen.table import Table, build_table

SUPPRESSED_NUMERATOR_MAX = 5
SUPPRESSED_DENOMINATOR_MAX = 20


@dataclass(frozen=True)
class _Plan:
    """How one measure is aggregated: "ratio", "sum" or "weighted" (by ``weight``)."""

    measure: Measure
    how: str
    weight: str | None = None


def aggregate(
    source: TableSource,
    criteria: Criteria,
    districts: str | Path | Sequence[DistrictDefinition],
    *,
    sheet: str | None = None,
    decimal: str | None = None,
    year: int | None = None,
    percent_scale: PercentScale = "auto",
    every_year: bool = False,
    where: Mapping[str, str] | None = None,
) -> Table:
    """Read a table of small areas (a file or a DataFrame) and build ``districts`` from
    them: a definition file (.toml, or .csv of district and area code, see
    :func:`~urbanscreen.districts.load_districts`) or the definitions themselves.

    The other options are :func:`~urbanscreen.table.load_table`'s."""
    if isinstance(districts, str | Path):
        districts = load_districts(districts)
    return load_district_table(
        source,
        criteria,
        districts,
        sheet=sheet,
        decimal=decimal,
        year=year,
        percent_scale=percent_scale,
        every_year=every_year,
        where=where,
    )


def load_district_table(
    source: TableSource,
    criteria: Criteria,
    districts: Sequence[DistrictDefinition],
    *,
    sheet: str | None = None,
    decimal: str | None = None,
    year: int | None = None,
    percent_scale: PercentScale = "auto",
    every_year: bool = False,
    where: Mapping[str, str] | None = None,
) -> Table:
    """Read a table of small areas and aggregate it into ``districts`` (every year of it
    too, with ``every_year``: see :func:`~urbanscreen.table.load_table`)."""
    _refuse_unsupported(criteria, source_path(source))
    roles = _component_roles(criteria)
    raw = read_source(source, lambda rows: find_header_row(rows, roles), sheet=sheet)
    plans = _plan(raw, criteria, roles)
    components = _component_criteria(criteria, plans)
    with cells_named_by_values(raw):
        areas = build_table(
            raw,
            components,
            decimal=decimal,
            year=year,
            percent_scale=percent_scale,
            every_year=every_year,
            where=where,
        )
    table = _aggregate(areas, criteria, plans, districts)
    if not areas.history:
        return table
    # Each year's districts from that year's areas: a release's own counts, summed.
    history = {
        y: _aggregate(replace(areas, frame=values, history={}), criteria, plans, districts).frame
        for y, values in areas.history.items()
    }
    return replace(table, history=history)


def _refuse_unsupported(criteria: Criteria, path: Path) -> None:
    """Say so rather than answer wrongly: these are not carried through aggregation yet."""
    over_years = criteria.needs_years
    within = any(isinstance(r, Statistic) and r.within for r in criteria.references.values())
    if over_years or within:
        what = "rules over several years" if over_years else "references computed within groups"
        raise OptionError(
            f"--districts does not yet support criteria with {what}",
            location=Location(file=path),
            hint="aggregate the districts first, then screen that table without --districts",
        )


def _component_roles(criteria: Criteria) -> dict[str, Sequence[str]]:
    roles: dict[str, Sequence[str]] = dict(AREA_ROLES)
    headers = measure_roles(criteria)
    for measure in criteria.columns:
        roles[measure.id] = headers[measure.id]
        if measure.numerator is not None and measure.denominator is not None:
            roles[count_role(measure.id, NUMERATOR)] = measure.numerator.headers
            roles[count_role(measure.id, DENOMINATOR)] = measure.denominator.headers
    return roles


def _plan(raw: RawTable, criteria: Criteria, roles: Mapping[str, Sequence[str]]) -> list[_Plan]:
    location = Location(file=raw.source.path, sheet=raw.source.sheet, row=raw.source.header_row)
    found = match_roles(raw.headers, roles, location, rate_roles(criteria))
    # A long table (PC-Axis, a PxWeb download by indicator) gives its figures as rows of an
    # indicator column, not as columns: what it holds is known only once it is read, and
    # build_table says which indicator it lacks.
    long = INDICATOR in found
    plans = []
    for measure in criteria.columns:
        parts = (count_role(measure.id, NUMERATOR), count_role(measure.id, DENOMINATOR))
        counts = measure.numerator is not None and measure.denominator is not None
        if all(part in found for part in parts) or (long and counts):
            plans.append(_Plan(measure, "ratio"))
        elif (long or measure.id in found) and measure.unit == "count":
            plans.append(_Plan(measure, "sum"))
        elif measure.weight is not None and (long or {measure.id, measure.weight} <= found.keys()):
            plans.append(_Plan(measure, "weighted", measure.weight))
        elif long or measure.id in found:
            raise MissingColumnError(
                f"{measure.label!r} is a rate, and rates of small areas cannot be averaged "
                "into a district's rate without counts or weights",
                location=location,
                hint=_counts_hint(measure),
            )
        else:
            wanted = [measure.column]
            if measure.numerator is not None and measure.denominator is not None:
                wanted = [measure.numerator.column, measure.denominator.column]
            raise MissingColumnError(
                f"no column for {measure.label!r}: looked for "
                + " or ".join(repr(w) for w in wanted),
                location=location,
                hint=_counts_hint(measure),
            )
    return plans


def _counts_hint(measure: Measure) -> str:
    if measure.numerator is not None and measure.denominator is not None:
        return (
            f"give the counts {measure.numerator.column!r} and {measure.denominator.column!r}, "
            f'or set weight = "…" on {measure.id!r} to weight its rates'
        )
    return (
        f"give {measure.id!r} numerator and denominator counts in the criteria file, "
        "or a weight (a population measure) for its rates"
    )


def _component_criteria(criteria: Criteria, plans: Sequence[_Plan]) -> Criteria:
    """The columns the small-area table must provide, as a criteria set of measures only."""
    measures: dict[str, Measure] = {}
    for plan in plans:
        measure = plan.measure
        if plan.how == "ratio":
            measures.update({count.id: count for count in count_measures(measure)})
        else:
            measures[measure.id] = measure.model_copy(
                update={"numerator": None, "denominator": None}
            )
    return Criteria.model_construct(
        version=1,
        scheme=criteria.scheme,
        criteria=[],
        measures=list(measures.values()),
        references={},
        outcomes=[],
        indices=[],
    )


def _aggregate(
    areas: Table,
    criteria: Criteria,
    plans: Sequence[_Plan],
    districts: Sequence[DistrictDefinition],
) -> Table:
    source = areas.source
    where = Location(file=source.path, sheet=source.sheet)
    issues = list(areas.issues)
    frame = areas.frame
    position_of: dict[str, int] = {}
    for position, area in enumerate(frame[ID]):
        key = match_key(str(area))
        if key in position_of:
            raise InputFileError(
                f"has two rows for area {key}: {frame[ID].iloc[position_of[key]]!r} and "
                f"{area!r} (one code with and one without SCB's vintage suffix)",
                location=where,
                hint="keep one row per area",
            )
        position_of[key] = position
    members, issues_found = _members(districts, position_of, source.path)
    issues += [Issue.of(said, where, level) for said, level in issues_found]

    rows: dict[str, list[object]] = defaultdict(list)
    suppressed = 0
    suppressed_in: list[str] = []
    for district in districts:
        positions = members[district.id]
        part = frame.iloc[positions]
        rows[ID].append(district.id)
        rows[NAME].append(district.name or district.id)
        rows[MUNICIPALITY].append(district.municipality)
        codes = [str(code) for code in part[ID]]
        rows[MUNICIPALITY_CODE].append(_municipality(part))
        rows[ROW].append(int(part[ROW].min()))
        rows[AREAS].append(", ".join(codes))
        held = 0  # this district's values bounded by a suppressed count
        for plan in plans:
            value, low, high, numerator, denominator = _combine(part, plan, frame)
            measure_id = plan.measure.id
            rows[measure_id].append(value)
            rows[bound_column(measure_id, LOW)].append(low)
            rows[bound_column(measure_id, HIGH)].append(high)
            rows[numerator_column(measure_id)].append(numerator)
            rows[denominator_column(measure_id)].append(denominator)
            held += int(value is None and low is not None)
        if held:
            suppressed += held
            suppressed_in.append(district.name or district.id)
    result = pd.DataFrame(rows)
    for plan in plans:
        if plan.how == "weighted":
            issues.append(
                Issue.of(
                    message(
                        "weighted-rates",
                        label=repr(plan.measure.label),
                        weight=repr(plan.weight),
                    ),
                    where,
                )
            )
    if suppressed:
        issues.append(
            Issue.of(
                message(
                    "suppressed-areas",
                    n=suppressed,
                    districts=len(suppressed_in),
                    names=Few(tuple(suppressed_in)),
                    num=SUPPRESSED_NUMERATOR_MAX,
                    den=SUPPRESSED_DENOMINATOR_MAX,
                ),
                where,
            )
        )
    # A measure's bounds go as a pair, and only where neither holds anything: the engine
    # reads both where it finds one (a low bound without a high one is a district whose
    # known denominator is nothing).
    unbounded = [
        column
        for plan in plans
        for column in (bound_column(plan.measure.id, LOW), bound_column(plan.measure.id, HIGH))
        if result[bound_column(plan.measure.id, LOW)].isna().all()
        and result[bound_column(plan.measure.id, HIGH)].isna().all()
    ]
    result = result.drop(columns=unbounded)
    return Table(
        frame=result,
        source=source,
        headers=areas.headers,
        decimal=areas.decimal,
        id_source="district definition",
        layout="districts",
        definition=(districts[0].source, districts[0].source_sha256) if districts else None,
        year=areas.year,
        years=areas.years,
        issues=tuple(issues),
        breakdowns=areas.breakdowns,
    )


def _members(
    districts: Sequence[DistrictDefinition], position_of: Mapping[str, int], path: Path
) -> tuple[dict[str, list[int]], list[tuple[Message, str]]]:
    """Each district's rows; unknown codes are an error, odd ones and overlaps are said."""
    members: dict[str, list[int]] = {}
    owner: dict[str, str] = {}
    missing: list[str] = []
    odd: list[str] = []
    twice: list[Message] = []
    repeated: list[str] = []
    for district in districts:
        members[district.id] = []
        seen: set[str] = set()
        for code in district.areas:
            key = match_key(code)
            if key in seen:
                repeated.append(f"{code} ({district.id})")
                continue  # counted once: listing an area twice does not double it
            seen.add(key)
            if area_shape(code) is None:
                odd.append(code)
            if key not in position_of:
                missing.append(f"{code} ({district.id})")
                continue
            if key in owner and owner[key] != district.id:
                twice.append(
                    message("area-in-two", code=code, first=owner[key], second=district.id)
                )
            owner[key] = district.id
            members[district.id].append(position_of[key])
    if missing:
        raise UnknownAreaError(
            message(
                "unknown-area",
                n=len(missing),
                codes=", ".join(missing[:5]) + (" …" if len(missing) > 5 else ""),
            ),
            location=Location(file=path),
            hint=message("hint/unknown-area"),
        )
    found: list[tuple[Message, str]] = []
    if repeated:
        found.append((message("area-listed-twice", areas=", ".join(repeated[:5])), "warning"))
    if twice:
        found.append((message("area-in-two-districts", areas=Few(tuple(twice[:5]))), "warning"))
    if odd:
        found.append((message("odd-area-codes", codes=", ".join(odd[:5])), "warning"))
    unassigned = [key for key in position_of if key not in owner]
    if unassigned:
        found.append(
            (
                message("areas-outside-districts", n=len(unassigned), areas=Few(tuple(unassigned))),
                "info",
            )
        )
    return members, found


def _municipality(part: pd.DataFrame) -> str | None:
    codes = {str(code) for code in part[MUNICIPALITY_CODE].dropna()}
    return codes.pop() if len(codes) == 1 else None


def _combine(
    part: pd.DataFrame, plan: _Plan, frame: pd.DataFrame
) -> tuple[float | None, float | None, float | None, float | None, float | None]:
    """value, low, high, summed numerator, summed denominator for one district."""
    measure = plan.measure
    scale = 100.0 if measure.unit == "percent" else 1.0
    if plan.how == "ratio":
        numerators = part[count_role(measure.id, NUMERATOR)].astype("float64")
        denominators = part[count_role(measure.id, DENOMINATOR)].astype("float64")
        known_num, known_den = float(numerators.sum()), float(denominators.sum())
        lost_num, lost_den = int(numerators.isna().sum()), int(denominators.isna().sum())
        if not lost_num and not lost_den:
            value = scale * known_num / known_den if known_den else None
            return _rounded(value), None, None, known_num, known_den
        low_den = known_den + SUPPRESSED_DENOMINATOR_MAX * lost_den
        low = scale * known_num / low_den if low_den else None
        # A suppressed numerator is at most 5 of a shown group, but where the group itself
        # is suppressed (20 or fewer) it can be as large as the group.
        group_lost = numerators.isna() & denominators.isna()
        high_num = (
            known_num
            + SUPPRESSED_NUMERATOR_MAX * int((numerators.isna() & ~group_lost).sum())
            + SUPPRESSED_DENOMINATOR_MAX * int(group_lost.sum())
        )
        high = scale * high_num / known_den if known_den else None
        if high is not None and measure.unit == "percent" and measure.at_most_100:
            high = min(high, scale)  # a share of a group is at most all of it
        # The known parts of the sums, for the trace; the value itself stays unknown.
        return None, _rounded(low), _rounded(high), known_num, known_den
    values = part[measure.id].astype("float64")
    if plan.how == "sum":
        lost = int(values.isna().sum())
        total = float(values.sum())
        if not lost:
            return total, None, None, None, None
        # A missing count (a population) has no upper bound: at least the known part.
        return None, total, float("inf"), None, None
    weights = part[plan.weight or ""].astype("float64")
    usable = values.notna() & weights.notna()
    weight_total = float(weights[usable].sum())
    weighted = float((values[usable] * weights[usable]).sum())
    if usable.all():
        return _rounded(weighted / weight_total if weight_total else None), None, None, None, None
    if weights.isna().any():
        return None, None, None, None, None
    all_weight = float(weights.sum())
    lost_weight = float(weights[values.isna()].sum())
    top = 100.0 if measure.unit == "percent" else np.inf
    low = weighted / all_weight if all_weight else None
    high = (weighted + top * lost_weight) / all_weight if all_weight and np.isfinite(top) else None
    return None, _rounded(low), _rounded(high), None, None


def _rounded(value: float | None) -> float | None:
    """Rates recomputed from counts, rounded past float noise (1/3 stays 33.333333333)."""
    return None if value is None else round(value, 9)
