"""urbanscreen: screen areas against an area-based policy's eligibility criteria.

The public API::

    import urbanscreen
    criteria = urbanscreen.load_criteria("scb-2012")
    table = urbanscreen.load_table("districts.xlsx", criteria)  # or a pandas DataFrame
    result = urbanscreen.screen(table, criteria)

    # every year of a table with several years, each district's path over them:
    table = urbanscreen.load_table("by-year.csv", criteria, every_year=True)
    found = urbanscreen.follow_up(table, criteria)

Names are imported on first use, so ``urbanscreen --help`` starts without pandas.
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "load_criteria": "urbanscreen.criteria.load",
    "Criteria": "urbanscreen.criteria.model",
    "load_table": "urbanscreen.table",
    "Table": "urbanscreen.table",
    "TableSource": "urbanscreen.frames",
    "load_districts": "urbanscreen.districts",
    "DistrictDefinition": "urbanscreen.districts",
    "aggregate": "urbanscreen.aggregate",
    "screen": "urbanscreen.engine",
    "follow_up": "urbanscreen.followup",
    "FollowUp": "urbanscreen.followup",
    "Result": "urbanscreen.result",
    "LoadOptions": "urbanscreen.pipeline",
    "screen_source": "urbanscreen.pipeline",
    "write_report": "urbanscreen.report",
    "compare": "urbanscreen.compare",
    "load_result_document": "urbanscreen.compare",
    "snapshot_of_result": "urbanscreen.compare",
    "Comparison": "urbanscreen.compare",
    "Snapshot": "urbanscreen.compare",
    "ResultDocument": "urbanscreen.contract",
    "UrbanscreenError": "urbanscreen.errors",
    "fetch": "urbanscreen.pxwebapi.fetch",
}

__all__ = [
    "Comparison",
    "Criteria",
    "DistrictDefinition",
    "FollowUp",
    "LoadOptions",
    "Result",
    "ResultDocument",
    "Snapshot",
    "Table",
    "TableSource",
    "UrbanscreenError",
    "__version__",
    "aggregate",
    "compare",
    "fetch",
    "follow_up",
    "load_criteria",
    "load_districts",
    "load_result_document",
    "load_table",
    "screen",
    "screen_source",
    "snapshot_of_result",
    "write_report",
]

if TYPE_CHECKING:
    from urbanscreen.aggregate import aggregate
    from urbanscreen.compare import (
        Comparison,
        Snapshot,
        compare,
        load_result_document,
        snapshot_of_result,
    )
    from urbanscreen.contract import ResultDocument
    from urbanscreen.criteria.load import load_criteria
    from urbanscreen.criteria.model import Criteria
    from urbanscreen.districts import DistrictDefinition, load_districts
    from urbanscreen.engine import screen
    from urbanscreen.errors import UrbanscreenError
    from urbanscreen.followup import FollowUp, follow_up
    from urbanscreen.frames import TableSource
    from urbanscreen.pipeline import LoadOptions, screen_source
    from urbanscreen.pxwebapi.fetch import fetch
    from urbanscreen.report import write_report
    from urbanscreen.result import Result
    from urbanscreen.table import Table, load_table


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'urbanscreen' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)


class _Package(types.ModuleType):
    """The package, whose functions ``compare`` and ``aggregate`` share their names with
    the modules that define them.

    Importing a submodule binds it as an attribute of its package, so once anything had
    imported ``urbanscreen.compare``, ``urbanscreen.compare(old, new)`` would call a
    module. The binding is refused here: the names stay the functions, found through
    ``__getattr__``, and ``import urbanscreen.compare`` still works (it reads sys.modules).
    """

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, types.ModuleType) and name in _EXPORTS:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
