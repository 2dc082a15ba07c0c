"""The shapes of SCB's area codes, in one place: DeSO, RegSO, municipality, county, country.

Codes are text, never numbers (``0180`` is Stockholm). DeSO codes are the municipality
code, A/B/C and four digits (``0114A0010``); RegSO codes the municipality code, R and three
digits (``1480R001``); newer releases add a vintage suffix (``0114A0010_DeSO2025``).
"""

from __future__ import annotations

import re

DESO = re.compile(r"^\d{4}[ABC]\d{4}(_DeSO\d{4})?$", re.IGNORECASE)
REGSO = re.compile(r"^\d{4}R\d{3}(_RegSO\d{4})?$", re.IGNORECASE)
MUNICIPALITY = re.compile(r"^\d{4}$")
COUNTY = re.compile(r"^\d{2}$")
COUNTRY = re.compile(r"^0{1,2}$")
# The municipality a code belongs to: its own code, or the first four digits of a DeSO
# or RegSO code.
MUNICIPALITY_PREFIX = re.compile(r"^(\d{4})(?:$|[ABC]\d{4}|R\d{3})", re.IGNORECASE)
VINTAGE = re.compile(r"_(?:DeSO|RegSO)\d{4}$", re.IGNORECASE)
# Any code an area of a screen has: a DeSO, a RegSO or a municipality. Written for Arrow's
# regular expressions too (RE2: its ignore-case and \d are for ASCII text only, so a column
# of names with å and ö would go to Python's, a cell at a time).
AREA_CODE = re.compile(
    r"^[0-9]{4}(?:[ABCabc][0-9]{4}(?:_(?i:deso)[0-9]{4})?|[Rr][0-9]{3}(?:_(?i:regso)[0-9]{4})?)?$"
)


def without_vintage(code: str) -> str:
    """The code without SCB's vintage suffix: ``0114A0010_DeSO2025`` is ``0114A0010``."""
    return VINTAGE.sub("", code)
