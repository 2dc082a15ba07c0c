"""urbanscreen: screen areas against an area-based policy's eligibility criteria.

The public API::

    import urbanscreen
    criteria = urbanscreen.load_criteria("scb-2012")
    table = urbanscreen.load_table("districts.xlsx", criteria)
    result = urbanscreen.screen(table, criteria)

    # every year of a table with several years, each district's path over them:
    table = urbanscreen.load_table("by-year.csv", criteria, every_year=True)
    found = urbanscreen.follow_up(table, criteria)

Names are imported on first use, so ``urbanscreen --help`` starts without pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_criteria": "urbanscreen.criteria",
    "Criteria": "urbanscreen.criteria",
    "load_table": "urbanscreen.table",
    "Table": "urbanscreen.table",
    "screen": "urbanscreen.engine",
    "follow_up": "urbanscreen.followup",
    "FollowUp": "urbanscreen.followup",
    "Result": "urbanscreen.result",
    "write_report": "urbanscreen.report",
    "UrbanscreenError": "urbanscreen.errors",
    "fetch": "urbanscreen.pxwebapi.fetch",
}

__all__ = [
    "Criteria",
    "FollowUp",
    "Result",
    "Table",
    "UrbanscreenError",
    "__version__",
    "fetch",
    "follow_up",
    "load_criteria",
    "load_table",
    "screen",
    "write_report",
]

if TYPE_CHECKING:
    from urbanscreen.criteria import Criteria, load_criteria
    from urbanscreen.engine import screen
    from urbanscreen.errors import UrbanscreenError
    from urbanscreen.followup import FollowUp, follow_up
    from urbanscreen.pxwebapi.fetch import fetch
    from urbanscreen.report import write_report
    from urbanscreen.result import Result
    from urbanscreen.table import Table, load_table


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'urbanscreen' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
