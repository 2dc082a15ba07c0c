"""Find columns by header the way people write them.

"Förvärvsfrekvens (%)", "forvarvsfrekvens", "Förvärvs-frekvens" and
" FÖRVÄRVSFREKVENS, procent " are the same column: headers are compared without
case, accents, spacing, hyphens or a unit suffix. Any other qualifier stays:
"Förvärvsfrekvens (kvinnor)" and "Folkmängd (tusental)" are different columns.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from urbanscreen.suggest import ranked

# Roles every input may have besides the criteria, with the headers we accept
# (:mod:`urbanscreen.roles` maps each role to its own).
ID_HEADERS = (
    "id",
    "kod",
    "code",
    "regionkod",
    "områdeskod",
    "omradeskod",
    "stadsdelskod",
    "area code",
    "area id",
    "district code",
    "district id",
    "deso",
    "desokod",
    "deso kod",
    "kod deso",
    "regso",
    "regsokod",
    "regso kod",
    "kod regso",
    "geoid",
    "fips",
    "census tract",
    "tract",
    "2020 census tract number fips code. geoid",
    "2010 census tract number fips code. geoid",
    "boligområde id",
)
NAME_HEADERS = (
    "stadsdel",
    "område",
    "omrade",
    "namn",
    "district",
    "name",
    "stadsdelsnamn",
    "områdesnamn",
    "district name",
    "area",
    "area name",
    "boligområde",
    "boligomrade",
    "område navn",
)
MUNICIPALITY_HEADERS = (
    "kommun",
    "kommunnamn",
    "municipality",
    "municipality name",
    "kommune",
    "county name",
)
MUNICIPALITY_CODE_HEADERS = (
    "kommunkod",
    "kommunnummer",
    "kommunnr",
    "knkod",
    "municipality code",
    "municipality id",
)
# The roles that say how a table is laid out (:mod:`urbanscreen.layout`).
YEAR_HEADERS = ("år", "ar", "year", "period", "tid", "time", "årtal", "aar")
SEX_HEADERS = ("kön", "kon", "sex", "gender")
INDICATOR_HEADERS = (
    "tabellinnehåll",
    "tabellinnehall",
    "indikator",
    "indicator",
    "nyckeltal",
    "kpi",
    "kpi namn",
    "variabel",
    "mått",
    "measure",
    "contents",
    "nøgletal",
    "noegletal",
    "indhold",
)
VALUE_HEADERS = (
    "värde",
    "varde",
    "value",
    "values",
    "observation",
    "obs value",
    "værdi",
    "vaerdi",
)
REGION_HEADERS = ("region", "regionnamn", "region name", "geography", "geografi")

_UNITS = r"(?:%|procent|percent|per cent|pct|antal|count|st|andel|share)"
_UNIT_SUFFIX = re.compile(rf"(?:\s*[(\[]\s*{_UNITS}\s*[)\]]|[\s,;:]*\b{_UNITS}|\s*%)+$")
_SEPARATORS = re.compile(r"[\s_\-–—/()\[\]]+")
_COUNT_WORD = re.compile(r"\b(?:antal|count|st)\b")
_COUNT_PREFIX = re.compile(r"^(?:antal|number of|count of)\b")


def says_count(header: object) -> bool:
    """Whether a header names a count: a count unit ("(antal)", ", count") or a leading
    "antal" / "number of". Such a column is never a rate's, whatever its other words."""
    text = unicodedata.normalize("NFKD", str(header)).casefold().strip(" .:,;")
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    suffix = _UNIT_SUFFIX.search(text)
    return bool(suffix and _COUNT_WORD.search(suffix.group(0))) or bool(_COUNT_PREFIX.match(text))


def normalise_header(header: object) -> str:
    """A header as words: no case, accents, unit suffix, brackets or extra spaces."""
    text = unicodedata.normalize("NFKD", str(header))
    # Combining accents and invisible format characters (a soft hyphen) go.
    text = "".join(
        ch for ch in text if not unicodedata.combining(ch) and unicodedata.category(ch) != "Cf"
    ).casefold()
    stripped = _UNIT_SUFFIX.sub("", text.strip(" .:,;"))
    # A header that is nothing but a unit ("%") keeps its text rather than vanishing.
    return _SEPARATORS.sub(" ", stripped or text).strip(" .:,;")


_WITH_YEAR = re.compile(r"^(?:(\d{4})\s+(\D.*)|(.*\D)\s+(\d{4}))$")


def split_year(header: object) -> tuple[str, int] | None:
    """("forvarvsfrekvens", 2011) from "Förvärvsfrekvens 2011" or "2011 Förvärvsfrekvens"."""
    found = _WITH_YEAR.match(normalise_header(header))
    if found is None:
        return None
    text = found.group(2) or found.group(3)
    year = found.group(1) or found.group(4)
    return text.replace(" ", ""), int(year)


def header_key(header: object) -> str:
    """What headers are matched on: the words run together, so "folk mängd" is "Folkmängd"."""
    return _key_of_text(str(header))


@functools.lru_cache(maxsize=4096)
def _key_of_text(text: str) -> str:
    # The header-row search keys every alias once per candidate row: cache them.
    return normalise_header(text).replace(" ", "")


@dataclass(frozen=True)
class ColumnMatch:
    """The input column chosen for a role."""

    index: int
    header: str


# A column named by its position in the header row, 1-based: "#3". It picks one of
# look-alike headers that no name can (identical ones, or the plainest of several).
_POSITION = re.compile(r"#(\d+)")


class AmbiguousHeaders(Exception):  # internal signal, turned into a user error
    def __init__(self, role: str, headers: list[str], positions: list[int]) -> None:
        super().__init__(role)
        self.role = role
        self.headers = headers
        self.positions = positions

    def picks(self) -> list[str]:
        """For each look-alike header, what picks it as a column name: the header itself
        where that wins (see :func:`match_columns`), else its position (``#3``)."""
        return [
            header
            if self.headers.count(header) == 1 and _exact_wins(header, self.headers)
            else f"#{position + 1}"
            for header, position in zip(self.headers, self.positions, strict=True)
        ]


def match_columns(
    headers: Sequence[object],
    roles: Mapping[str, Sequence[str]],
    rates: Collection[str] = (),
    *,
    by_position: bool = True,
) -> dict[str, ColumnMatch]:
    """Map each role to the one header matching its earliest alias.

    Aliases are tried in order, so a role's own column name beats a looser alias.
    Of look-alike headers, the one written exactly as the alias wins where they differ only
    in spacing ("Inom 3 år", "Inom 3 år  ") or it is not the plainest ("Folkmängd (antal)"
    beside "Folkmängd"); otherwise two headers matching the same alias raise
    :class:`AmbiguousHeaders`. An alias ``#3`` names the third column, where no header is
    written so (``by_position``: the headers are a row of the file, not labels). A role
    with no match is left out of the result. The roles in ``rates`` (shares, ratios:
    anything but a count) never take a header that says it holds a count.
    """
    # Where each key occurs: the header-row search asks this of every row near the top.
    positions: dict[str, list[int]] = {}
    for index, header in enumerate(headers):
        if _present(header) and (key := header_key(header)):
            positions.setdefault(key, []).append(index)
    counts = {i for hits in positions.values() for i in hits if rates and says_count(headers[i])}
    found: dict[str, ColumnMatch] = {}
    for role, aliases in roles.items():
        for alias in aliases:
            hits = positions.get(header_key(alias), [])
            if not hits and by_position and (at := _POSITION.fullmatch(alias.strip())):
                index = int(at.group(1)) - 1
                hits = [index] if 0 <= index < len(headers) and _present(headers[index]) else []
            if role in rates:
                hits = [i for i in hits if i not in counts]
            if len(hits) > 1:
                exact = [i for i in hits if str(headers[i]) == alias]
                alike = [headers[i] for i in hits]
                if len(exact) != 1 or not _exact_wins(headers[exact[0]], alike):
                    raise AmbiguousHeaders(role, [str(headers[i]) for i in hits], hits)
                hits = exact
            if hits:
                found[role] = ColumnMatch(hits[0], str(headers[hits[0]]).strip())
                break
    return found


def _exact_wins(exact: object, hits: Sequence[object]) -> bool:
    """A header written exactly as the alias wins over look-alikes that differ from it only
    in spacing, and over plainer ones ("Folkmängd (antal)" over "Folkmängd"); the plainest
    of several does not, as its name may mean any of them."""
    if len({" ".join(str(header).split()) for header in hits}) == 1:
        return True
    return len(str(exact).strip()) > min(len(str(header).strip()) for header in hits)


def closest_header(aliases: Sequence[str], headers: Sequence[object]) -> str | None:
    """The input header most like any alias, for a "did you mean" hint."""
    candidates = {normalise_header(h): str(h).strip() for h in headers if _present(h)}
    found = [hit for alias in aliases for hit in ranked(normalise_header(alias), candidates)]
    # max() keeps the first of equals: the earliest alias wins a tie.
    best = max(found, key=lambda hit: hit[0], default=None)
    return None if best is None else candidates[best[1]]


def _present(header: object) -> bool:
    return header is not None and str(header).strip() != ""
