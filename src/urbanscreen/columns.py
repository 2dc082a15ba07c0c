"""The names of the columns of the frames that pass between modules, in one place.

A Table's frame (:mod:`urbanscreen.table`) has, per area, an id, a name, a municipality,
a municipality code and the row of the file it came from (a district built from small
areas also lists their codes), the groups references are computed within, and per
criterion a column named by its id, with women's and men's values beside it in a table by
sex, bounds where a value is known only within them, and the numerator and denominator a
rate was computed from. A Result's frame (:mod:`urbanscreen.result`) adds, per criterion,
whether it is met, its margin and its threshold, and per area whether it qualifies, each
outcome, tier and rule node. The follow-up's frame (:mod:`urbanscreen.followup`) has a row
per area and year. Long records (a table by year, by sex or with an indicator column) have a
row per area, criterion, year and sex.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the names alone need no pandas: a criteria file is checked without it
    import pandas as pd

ID, NAME, MUNICIPALITY, MUNICIPALITY_CODE, ROW = (
    "id",
    "name",
    "municipality",
    "municipality_code",
    "row",
)
AREA_COLUMNS = [ID, NAME, MUNICIPALITY, MUNICIPALITY_CODE, ROW]
AREAS = "areas"  # districts built from small areas: their codes
QUALIFIES = "qualifies"
UNCERTAIN = "uncertain"
# Columns besides the areas' and the criteria's that a file may have, by their role (see
# :mod:`urbanscreen.roles`); the year is also a column of the follow-up's frame, which has
# a row per area and year.
YEAR, SEX, INDICATOR, VALUE, REGION = "year", "sex", "indicator", "value", "region"
# The column a PC-Axis file's CONTENTS (or a PxWeb CSV's title) becomes: its indicator.
CONTENTS_HEADER = "tabellinnehåll"
# The long records a table that is not one row per area is melted into
# (:mod:`urbanscreen.layout`): per body row (its index, ``SOURCE``), criterion, YEAR and SEX
# the raw cell and the header it stood under; :mod:`urbanscreen.pivot` adds the area's ID and
# ROW and the parsed VALUE, and :mod:`urbanscreen.years` picks the years among them.
SOURCE, CRITERION, CELL, HEADER = "source", "criterion", "cell", "header"
RECORD_COLUMNS = [SOURCE, CRITERION, YEAR, SEX, CELL, HEADER]
# The sexes a figure may be for (the values of SEX), which also mark the columns of one sex's
# values (:func:`sex_column`), and the sides of a value known only within bounds
# (:func:`bound_column`).
TOTAL, WOMEN, MEN = "total", "women", "men"
LOW, HIGH = "low", "high"
GROUP_PREFIX = "group:"
NODE_PREFIX = "node:"
# Groupings a reference may be computed within that every table already has.
BUILT_IN_GROUPS = {
    "municipality": MUNICIPALITY,
    "kommun": MUNICIPALITY,
    "municipality_code": MUNICIPALITY_CODE,
    "kommunkod": MUNICIPALITY_CODE,
}


def area_columns(areas: pd.DataFrame) -> list[str]:
    """The area columns of ``areas``, with the group columns references are computed within."""
    return [*AREA_COLUMNS, *(c for c in areas.columns if str(c).startswith(GROUP_PREFIX))]


def group_column(name: str) -> str:
    """The Table column holding a ``within`` grouping (text, such as a region)."""
    return f"{GROUP_PREFIX}{name}"


def sex_column(criterion_id: str, sex: str) -> str:
    """The Table column of one sex's values: ``forvarvsfrekvens:women``."""
    return f"{criterion_id}:{sex}"


def bound_column(criterion_id: str, side: str) -> str:
    """The Table column of a lower or upper bound for a value that is not known exactly."""
    return f"{criterion_id}:{side}"


def numerator_column(measure_id: str) -> str:
    """The column of a rate's numerator (summed over a district's areas, or as read)."""
    return f"{measure_id}:numerator"


def denominator_column(measure_id: str) -> str:
    return f"{measure_id}:denominator"


def met_column(criterion_id: str) -> str:
    return f"{criterion_id}:met"


def margin_column(criterion_id: str) -> str:
    return f"{criterion_id}:margin"


def threshold_column(criterion_id: str) -> str:
    return f"{criterion_id}:threshold"


def outcome_column(outcome_id: str) -> str:
    return f"outcome:{outcome_id}"


def tier_column(index_id: str) -> str:
    return f"tier:{index_id}"


def node_column(path: str) -> str:
    """A rule node's value, by its path (see :mod:`urbanscreen.rules`)."""
    return f"{NODE_PREFIX}{path}"
