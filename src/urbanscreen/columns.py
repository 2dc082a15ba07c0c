"""The names of the columns of a Table's frame, in one place.

Every area has an id, a name, a municipality, a municipality code and the row of the
file it came from; each criterion has a column named by its id, and in a table by sex
one per sex beside it; a value known only within bounds has a low and a high column.
"""

from __future__ import annotations

import pandas as pd

ID, NAME, MUNICIPALITY, MUNICIPALITY_CODE, ROW = (
    "id",
    "name",
    "municipality",
    "municipality_code",
    "row",
)
AREA_COLUMNS = [ID, NAME, MUNICIPALITY, MUNICIPALITY_CODE, ROW]


def sex_column(criterion_id: str, sex: str) -> str:
    """The Table column of one sex's values: ``forvarvsfrekvens:women``."""
    return f"{criterion_id}:{sex}"


def bound_column(criterion_id: str, side: str) -> str:
    """The Table column of a lower or upper bound for a value that is not known exactly."""
    return f"{criterion_id}:{side}"


def area_columns(areas: pd.DataFrame) -> list[str]:
    """The area columns of ``areas``, with the group columns references are computed within."""
    return [*AREA_COLUMNS, *(c for c in areas.columns if str(c).startswith("group:"))]
