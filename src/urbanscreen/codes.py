"""The shapes of Swedish area codes, in one place: municipality (kommun) 1480, DeSO
0114A0010, RegSO 1480R045, and SCB's vintage suffixes (0114A0010_DeSO2025)."""

from __future__ import annotations

import re

MUNICIPALITY = re.compile(r"^\d{4}$")
DESO = re.compile(r"^\d{4}[ABC]\d{4}(_DeSO\d{4})?$", re.IGNORECASE)
REGSO = re.compile(r"^\d{4}R\d{3}(_RegSO\d{4})?$", re.IGNORECASE)
# The suffix SCB adds to a code of a given vintage; the plain code matches it.
VINTAGE_SUFFIX = re.compile(r"_(?:DeSO|RegSO)\d{4}$", re.IGNORECASE)
# The municipality inside a code: 1480, 0114A0010 (0114), 1480R045 (1480).
MUNICIPALITY_PREFIX = re.compile(r"^(\d{4})(?:$|[ABC]\d{4}|R\d{3})", re.IGNORECASE)
