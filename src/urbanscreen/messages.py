"""Every message a user reads, in English and Swedish, from one catalogue.

A message is a key and its fields: ``Message("skipped-rows", n=3, rows=Few(...))``. The key
is the error or issue code (``missing-column``), or the code and a variant after a slash
(``missing-column/no-area-column``) where one code has several sentences; hints have keys of
their own (``hint/…``). Each entry holds an English and, where written, a Swedish template,
filled from the same fields, so a message is never translated by rewriting its English. The
English text is what the JSON, the library's exceptions and scripts see; the command line
says a message in the run's language where the entry has it, and whole in English where it
does not, so no line mixes the two.

Free of pandas and rich: errors are made before either is imported.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass

ENGLISH = "en"


# How many examples a message names before "…" or "and 7 more".
MAX_LISTED = 5


@dataclass(frozen=True)
class Few:
    """Some of a list, named: ``a, b, c and 7 more`` (``och 7 till`` in Swedish)."""

    items: tuple[object, ...]  # text, or messages said in the same language
    total: int | None = None  # how many there are, when ``items`` holds only the first
    limit: int = 5
    separator: str = ", "  # "and", "or": the language's word: "2 and 3", "2 och 3"
    last: str = ""  # "and": ".csv, .px and .parquet" ("och" in Swedish)


@dataclass(frozen=True)
class Message:
    """A catalogue entry's key and the fields its templates are filled from."""

    key: str
    fields: tuple[tuple[str, object], ...] = ()

    def text(self, language: str = ENGLISH) -> str:
        """The message in ``language`` where the catalogue has it, else in English."""
        language = language if self.speaks(language) else ENGLISH
        template = CATALOGUE[self.key][language]
        return template.format(**{name: _field(v, language) for name, v in self.fields})

    def speaks(self, language: str) -> bool:
        """Whether the whole message, the messages in its fields too, has ``language``."""
        return language in CATALOGUE[self.key] and all(
            _speaks(value, language) for _, value in self.fields
        )

    def __str__(self) -> str:
        return self.text(ENGLISH)


def message(key: str, /, **fields: object) -> Message:
    """``message("missing-id")``: a catalogue entry with its fields."""
    return Message(key, tuple(fields.items()))


def _speaks(value: object, language: str) -> bool:
    if isinstance(value, Message):
        return value.speaks(language)
    if isinstance(value, Few):
        return all(_speaks(item, language) for item in value.items)
    return True


def _field(value: object, language: str) -> str:
    if isinstance(value, Message):
        return value.text(language)
    if isinstance(value, Few):
        separator = value.separator
        if separator in {"and", "or"}:
            separator = f" {word(separator, language)} "
        said = [_field(item, language) for item in value.items[: value.limit]]
        if value.last and len(said) > 1 and len(value.items) <= value.limit:
            said[-2:] = [f"{said[-2]} {word(value.last, language)} {said[-1]}"]
        shown = separator.join(said)
        total = len(value.items) if value.total is None else value.total
        rest = total - min(value.limit, len(value.items))
        if rest <= 0:
            return shown
        return _WORDS[language]["more"].format(shown=shown, rest=rest)
    return str(value)


# Words the command line frames a message with, and those of a location.
_WORDS: Mapping[str, Mapping[str, str]] = {
    "en": {
        "error": "error",
        "warning": "warning",
        "note": "note",
        "hint": "hint",
        "value": "value",
        "sheet": "sheet",
        "line": "line",
        "row": "row",
        "column": "column",
        "more": "{shown} and {rest} more",
        "and": "and",
        "or": "or",
    },
    "sv": {
        "error": "fel",
        "warning": "varning",
        "note": "notering",
        "hint": "tips",
        "value": "värde",
        "sheet": "blad",
        "line": "rad",
        "row": "rad",
        "column": "kolumn",
        "more": "{shown} och {rest} till",
        "and": "och",
        "or": "eller",
    },
}


def word(name: str, language: str) -> str:
    """A framing word (``error``, ``hint``, ``row``) in ``language``, else in English."""
    return _WORDS.get(language, _WORDS[ENGLISH])[name]


def placeholders(template: str) -> set[str]:
    """The field names a template fills: ``{n} rows`` has ``n``."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _entries(*rows: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Rows of key, English and Swedish; a row without Swedish is said in English."""
    return {key: dict(zip(("en", "sv"), said, strict=False)) for key, *said in rows}


_RULE_FORMS_EN = (
    'rule = "all" (every criterion holds), "any" (at least one does), {{ at_least = 2 }}, '
    'or {{ all = [...] }} / {{ any = [...] }} of criterion ids such as {{ any = ["a", "b"] }}'
)
_RULE_FORMS_SV = (
    'rule = "all" (alla villkor gäller), "any" (minst ett gäller), {{ at_least = 2 }}, '
    "eller {{ all = [...] }} / {{ any = [...] }} av villkors-id, till exempel "
    '{{ any = ["a", "b"] }}'
)


# Key, English, Swedish. Field names are those of the or error's own data; a
# field in quotes ({label}) comes quoted already.
CATALOGUE: Mapping[str, Mapping[str, str]] = _entries(
    # -- the command line's own lines
    ("wrote", "wrote {path}", "skrev {path}"),
    (
        "wrote/replaced",
        "wrote {path} (replaced the file that was there)",
        "skrev {path} (ersatte filen som fanns där)",
    ),
    (
        "fail-on/unknown",
        "--fail-on unknown: {n} area(s) cannot be decided",
        "--fail-on unknown: {n} område(n) kan inte avgöras",
    ),
    (
        "fail-on/warnings",
        "--fail-on warnings: {n} warning(s) raised",
        "--fail-on warnings: {n} varning(ar)",
    ),
    # -- parts of sentences
    ("on-row", "{what} (row {row})", "{what} (rad {row})"),
    ("area-in-two", "{code} ({first} and {second})", "{code} ({first} och {second})"),
    ("on-rows", "{what} on rows {rows}", "{what} på rad {rows}"),
    ("ids-from/column", "column {column}", "kolumnen {column}"),
    ("ids-from/region", "code in column {column}", "koden i kolumnen {column}"),
    ("ids-from/code-and-name", "municipality code + name", "kommunkod + namn"),
    ("ids-from/municipality-and-name", "municipality + name", "kommun + namn"),
    ("ids-from/name", "name", "namn"),
    ("ids-from/code", "municipality code", "kommunkod"),
    ("ids-from/municipality", "municipality", "kommun"),
    ("level/a DeSO area", "a DeSO area", "DeSO-områden"),
    ("level/a RegSO area", "a RegSO area", "RegSO-områden"),
    ("level/a municipality", "a municipality", "kommuner"),
    ("level/the country", "the country", "riket"),
    ("level/a county", "a county", "län"),
    # -- warnings and notes, by code
    (
        "history-missing/mean",
        "{year}: {label} is a mean over {span} years ({first}–{year}); the table lacks "
        "{lacking}, so it is unknown where those years could decide it",
        "{year}: {label} är ett medelvärde över {span} år ({first}–{year}); tabellen saknar "
        "{lacking}, så villkoret är okänt där de åren kan avgöra det",
    ),
    (
        "history-missing/rule",
        "{year}: {label} is a rule over {span} years ({first}–{year}); the table lacks "
        "{lacking}, so it is unknown where those years could decide it",
        "{year}: {label} är en regel över {span} år ({first}–{year}); tabellen saknar "
        "{lacking}, så regeln är okänd där de åren kan avgöra den",
    ),
    (
        "optional-columns-absent",
        "the table has no column for {labels}: {said}",
        "tabellen har ingen kolumn för {labels}: {said}",
    ),
    (
        "optional-columns-absent/outcomes",
        "{outcomes}: unknown where they could decide it",
        "{outcomes}: okänt där den kan avgöra det",
    ),
    (
        "optional-columns-absent/population",
        "small populations are not flagged",
        "små befolkningar markeras inte",
    ),
    ("optional-columns-absent/unknown", "unknown in every area", "okänt i alla områden"),
    (
        "one-year-for-a-mean",
        "{labels} are defined on a mean of several years, and the file has one value per "
        "area: used as given (give averaged values, or a table by year to have them averaged)",
        "{labels} gäller ett medelvärde över flera år, och filen har ett värde per område: "
        "används som det står (ange medelvärden, eller en tabell per år så räknas de ut)",
    ),
    (
        "labels-filled-down",
        "{n} blank label cell(s) took the label above them, as in PxWeb's Excel exports, "
        "which write a repeated label only once",
        "{n} tomma etikettceller fick etiketten ovanför, som i PxWebs Excel-exporter, som "
        "skriver en upprepad etikett bara en gång",
    ),
    (
        "skipped-rows",
        "{n} row(s) that are not areas skipped (notes, or values without a name: rows "
        "{rows}{more})",
        "{n} rad(er) som inte är områden hoppades över (anteckningar, eller värden utan namn: "
        "rad {rows}{more})",
    ),
    (
        "short-rows",
        "{n} row(s) end before the last column the criteria read (rows {rows}{more}): their "
        "missing fields are read as missing values; check that the file was exported whole",
        "{n} rad(er) slutar före den sista kolumnen villkoren läser (rad {rows}{more}): deras "
        "saknade fält läses som saknade värden; kontrollera att hela filen exporterades",
    ),
    (
        "mixed-levels",
        "most areas are {level}, but {n} row(s) are not, judging by their codes: {rows}; "
        "they are screened as areas too, delete them if they are aggregates",
        "de flesta områdena är {level}, men {n} rad(er) är det inte, att döma av koderna: "
        "{rows}; de prövas också som områden, ta bort dem om de är summeringar",
    ),
    (
        "total-row",
        "screened as areas, but they look like totals: {rows}; delete such rows if they are "
        "not areas",
        "prövade som områden, men de ser ut som summor: {rows}; ta bort sådana rader om de "
        "inte är områden",
    ),
    (
        "numeric-ids",
        "ids in column {column} are stored as numbers: a leading zero (0114A0010, a GEOID "
        "01001020100) is lost that way; store codes as text",
        "id:n i kolumnen {column} är lagrade som tal: en inledande nolla (0114A0010, en GEOID "
        "01001020100) går förlorad så; lagra koder som text",
    ),
    (
        "leading-zeros-restored",
        "{n} municipality code(s) had lost their leading zero (stored as numbers); padded to "
        "four digits: {examples}",
        "{n} kommunkod(er) hade tappat sin inledande nolla (lagrade som tal); fyllda till "
        "fyra siffror: {examples}",
    ),
    (
        "year-lacks-indicator",
        "{year} has no values for {labels}: unknown for every area",
        "{year} har inga värden för {labels}: okänt för alla områden",
    ),
    (
        "year-chosen/asked",
        "screening {year} (as asked; data {span})",
        "prövar {year} (som begärt; data {span})",
    ),
    (
        "year-chosen",
        "screening {year}, the latest year with values for every criterion (data {span})",
        "prövar {year}, det senaste året med värden för varje villkor (data {span})",
    ),
    (
        "thin-year",
        "in {year}, {label} has values for only {have} of {n} areas; {fuller} has more "
        "(--year {fuller} to screen it)",
        "{year} har {label} värden för bara {have} av {n} områden; {fuller} har fler "
        "(--year {fuller} för att pröva det året)",
    ),
    (
        "totals-summed",
        "{n} count(s) had no 'totalt' row: women plus men used as the total",
        "{n} antal saknade en rad 'totalt': kvinnor plus män används som totalen",
    ),
    (
        "totals-bounded",
        "some shares have no 'totalt' row, only women's and men's: the total lies between the "
        "two, which decides the criterion where both are on the same side of the threshold; "
        "otherwise it is unknown",
        "några andelar saknar en rad 'totalt', bara kvinnors och mäns: totalen ligger mellan "
        "dem, vilket avgör villkoret där båda ligger på samma sida om gränsen; annars är det "
        "okänt",
    ),
    (
        "no-values-for-sex",
        "{n} criterion/criteria screen one sex, but the file has no values for it: unknown "
        "for every area",
        "{n} villkor prövar ett kön, men filen har inga värden för det: okänt för alla områden",
    ),
    (
        "unused-indicators",
        "indicators no criterion uses were ignored: {names}",
        "indikatorer som inget villkor använder hoppades över: {names}",
    ),
    (
        "needs-years",
        "{rules} need(s) several years of data, and the table has none before the screened "
        "year: unknown, except where the screened year already rules it out (give a table "
        "with a year column and earlier years)",
        "{rules} behöver data från flera år, och tabellen har inga år före det prövade: "
        "okänt, utom där det prövade året redan avgör det (ge en tabell med en årskolumn och "
        "tidigare år)",
    ),
    (
        "reference-unknown",
        "reference {name} is unknown for {n} area(s), {areas}: a value it is computed from "
        "is missing, so thresholds relative to it are unknown there",
        "referensen {name} är okänd för {n} område(n), {areas}: ett värde den räknas från "
        "saknas, så gränser relativt den är okända där",
    ),
    (
        "reference-unknown/index",
        "index {index} is unknown for {n} area(s), so its mean and standard deviation are "
        "unknown, and so are the tiers limited by them",
        "indexet {index} är okänt för {n} område(n), så dess medelvärde och "
        "standardavvikelse är okända, och likaså nivåerna de avgränsar",
    ),
    # How each reference and index of a run was found (the terminal's "Reference:" lines,
    # the JSON's "references").
    ("reference/given", "{name} = {value} (given)", "{name} = {value} (angivet)"),
    ("reference/column", "{name} = each area's {column}", "{name} = varje områdes {column}"),
    (
        "reference/greatest",
        "{name} = the greater of {members}, area by area",
        "{name} = det största av {members}, område för område",
    ),
    (
        "reference/least",
        "{name} = the lesser of {members}, area by area",
        "{name} = det minsta av {members}, område för område",
    ),
    (
        "reference/over",
        "{name} = {statistic} of {measure} over {n} areas",
        "{name} = {statistic} av {measure} över {n} områden",
    ),
    (
        "reference/of",
        "{name} = {statistic} of {measure}",
        "{name} = {statistic} av {measure}",
    ),
    (
        "reference/within",
        "{name} = {statistic} of {measure} within each {group}",
        "{name} = {statistic} av {measure} inom varje {group}",
    ),
    ("reference/mean", "mean", "medelvärdet"),
    ("reference/median", "median", "medianen"),
    ("reference/weighted-mean", "weighted mean", "det vägda medelvärdet"),
    (
        "index/known",
        "{index} = {formula} of {inputs}; over {n} areas mean {mean}, standard deviation "
        "{spread}; tiers: {tiers}",
        "{index} = {formula} av {inputs}; över {n} områden medelvärde {mean}, "
        "standardavvikelse {spread}; nivåer: {tiers}",
    ),
    (
        "index/unknown",
        "{index} = {formula} of {inputs}; over {n} areas mean and standard deviation unknown "
        "({lacking} areas lack an index); tiers: {tiers}",
        "{index} = {formula} av {inputs}; över {n} områden är medelvärde och "
        "standardavvikelse okända ({lacking} område(n) saknar index); nivåer: {tiers}",
    ),
    ("index/mean", "mean", "medelvärdet"),
    ("index/weighted-sum", "weighted sum", "den vägda summan"),
    ("index/tier-from", "{tier} from {limit}", "{tier} från {limit}"),
    (
        "index/tier-from-unknown",
        "{tier} from an unknown limit",
        "{tier} från en okänd gräns",
    ),
    (
        "small-population",
        "{n} area(s) have {floor} residents or fewer, so their shares are uncertain: {names}{more}",
        "{n} område(n) har högst {floor} invånare, så deras andelar är osäkra: {names}{more}",
    ),
    (
        "small-population/scb",
        "{n} area(s) have {floor} residents or fewer, so their shares are uncertain: "
        "{names}{more} (SCB computes a share only for groups of more than {floor})",
        "{n} område(n) har högst {floor} invånare, så deras andelar är osäkra: {names}{more} "
        "(SCB räknar ut en andel bara för grupper med fler än {floor})",
    ),
    (
        "rates-from-counts",
        "the table has counts, not rates: computed for each area: {rates}",
        "tabellen har antal, inte andelar: uträknade för varje område: {rates}",
    ),
    (
        "fractions-converted",
        "every value of {label} lies between 0 and 1, as in all percent columns, so they "
        "were read as shares and multiplied by 100 (e.g. {example} -> {percent} %); use "
        "--percent-scale percent if they are percentages",
        "alla värden i {label} ligger mellan 0 och 1, som i alla procentkolumner, så de "
        "lästes som andelar och multiplicerades med 100 (t.ex. {example} -> {percent} %); "
        "använd --percent-scale percent om de är procent",
    ),
    (
        "area-listed-twice",
        "areas listed twice in one district, counted once: {areas}",
        "delområden listade två gånger i ett område, räknade en gång: {areas}",
    ),
    (
        "area-in-two-districts",
        "areas claimed by two districts: {areas}",
        "delområden som två områden gör anspråk på: {areas}",
    ),
    (
        "odd-area-codes",
        "codes that are neither DeSO (0114A0010) nor RegSO (1480R045) in shape: {codes}",
        "koder som varken har DeSO:s (0114A0010) eller RegSO:s (1480R045) form: {codes}",
    ),
    (
        "areas-outside-districts",
        "{n} area(s) of the data belong to no district: {areas}",
        "{n} delområde(n) i data hör inte till något område: {areas}",
    ),
    (
        "weighted-rates",
        "{label}: no counts, so the district rate is the mean of its areas' rates weighted "
        "by {weight} (exact only if the rates were)",
        "{label}: inga antal, så områdets andel är medelvärdet av delområdenas andelar "
        "vägt med {weight} (exakt bara om andelarna var det)",
    ),
    (
        "suppressed-areas",
        "{n} value(s) of {districts} district(s) include suppressed small-area counts "
        "('..'), in {names}: unknown, but bounded by SCB's rule (a suppressed numerator is at "
        "most {num}, a suppressed denominator at most {den}); a criterion is decided where "
        "both bounds agree",
        "{n} värde(n) i {districts} område(n) bygger på skyddade antal i delområden ('..'), "
        "i {names}: okända, men begränsade enligt SCB:s regel (ett skyddat antal i täljaren "
        "är högst {num}, i nämnaren högst {den}); ett villkor avgörs där båda gränserna ger "
        "samma svar",
    ),
    (
        "reference-rows",
        "not screened as districts, shown as reference lines: {rows}{more}",
        "prövas inte som områden, visas som referenslinjer: {rows}{more}",
    ),
    (
        "report-abridged",
        "the workbook lists {shown} of {total} areas: every qualifying and undecided one (up "
        "to {limit} each) and the {limit} others nearest a threshold; --output FILE.csv or "
        "--format csv gives every area",
        "arbetsboken listar {shown} av {total} områden: alla som uppfyller villkoren och alla "
        "som inte kan avgöras (högst {limit} av varje) och de {limit} övriga som ligger "
        "närmast en gräns; --output FIL.csv eller --format csv ger alla områden",
    ),
    (
        "report-abridged/follow-up",
        "the follow-up sheet lists {shown} of {total} districts: those qualifying or undecided "
        "in any year and those nearest a threshold; --output FILE.csv gives every one",
        "uppföljningsbladet listar {shown} av {total} områden: de som uppfyller villkoren "
        "eller inte kan avgöras något år och de som ligger närmast en gräns; --output FIL.csv "
        "ger alla",
    ),
    (
        "cell-truncated",
        "sheet {sheet}, row {row}, column {column}: text of {length} characters cut to "
        "Excel's limit of {limit}",
        "blad {sheet}, rad {row}, kolumn {column}: text med {length} tecken kortad till "
        "Excels gräns på {limit}",
    ),
    # -- errors, by code, and their hints
    ("invalid-criteria/not-a-file", "is not a file", "är ingen fil"),
    (
        "invalid-criteria/a-table",
        "is a table ({suffix}), not a criteria file",
        "är en tabell ({suffix}), inte en villkorsfil",
    ),
    (
        "hint/criteria-after-table",
        "the table comes first and the criteria (a .toml file or a preset) after -c: "
        "urbanscreen check TABLE -c CRITERIA.toml",
        "tabellen kommer först och villkoren (en .toml-fil eller en förinställning) efter -c: "
        "urbanscreen check TABELL -c VILLKOR.toml",
    ),
    (
        "invalid-criteria/too-large",
        "criteria file is larger than {size} KiB",
        "villkorsfilen är större än {size} KiB",
    ),
    (
        "hint/criteria-size",
        "a criteria file holds a few dozen lines; check that this is the right file",
        "en villkorsfil har några dussin rader; kontrollera att det är rätt fil",
    ),
    (
        "invalid-criteria/not-utf8",
        "criteria file is not UTF-8 text",
        "villkorsfilen är inte UTF-8-text",
    ),
    (
        "hint/utf8",
        "save the file as UTF-8 (TOML files are always UTF-8)",
        "spara filen som UTF-8 (TOML-filer är alltid UTF-8)",
    ),
    (
        "invalid-criteria/toml/at",
        "not valid TOML at line {line}, column {column} ({reason}){shown}",
        "inte giltig TOML på rad {line}, kolumn {column}{shown}",
    ),
    ("invalid-criteria/toml", "not valid TOML ({reason}){shown}", "inte giltig TOML{shown}"),
    (
        "hint/toml",
        'strings need quotes (label = "…"); compare with `urbanscreen criteria show scb-2012`',
        'text behöver citattecken (label = "…"); jämför med `urbanscreen criteria show scb-2012`',
    ),
    ("hint/toml-decimal-point", "use a decimal point: `{fixed}`", "använd decimalpunkt: `{fixed}`"),
    ("hint/toml-quotes", "strings need quotes: `{fixed}`", "text behöver citattecken: `{fixed}`"),
    (
        "invalid-criteria/more",
        "{first} (and {n} more: {rest})",
        "{first} (och {n} till: {rest})",
    ),
    (
        "hint/criteria",
        "start from a preset: `urbanscreen criteria show scb-2012 > mine.toml`; the keys: "
        "`urbanscreen criteria --help`",
        "utgå från en förinställning: `urbanscreen criteria show scb-2012 > mina.toml`; "
        "nycklarna: `urbanscreen criteria --help`",
    ),
    ("criteria/problem", "{path}: {said}", "{path}: {said}"),
    ("criteria/path-of-criterion", "{path} (criterion {id})", "{path} (villkoret {id})"),
    ("criteria/got", "{said}, got {given}", "{said}, men är {given}"),
    ("criteria/such-as", "{said}; such as {fixed}", "{said}; till exempel {fixed}"),
    ("criteria/missing", "required key is missing", "nyckeln krävs men saknas"),
    # A district definition (--districts) written wrong: unreadable-file, as the criteria's
    # messages say theirs (a path such as districts[1].area: counted from 0, as criteria[0]).
    (
        "unreadable-file/districts-toml/at",
        "not valid TOML at line {line}, column {column} ({reason}){shown}",
        "inte giltig TOML på rad {line}, kolumn {column}{shown}",
    ),
    (
        "unreadable-file/districts-toml",
        "not valid TOML ({reason}){shown}",
        "inte giltig TOML{shown}",
    ),
    (
        "unreadable-file/districts-not-utf8",
        "district definition is not UTF-8 text",
        "områdesindelningen är inte UTF-8-text",
    ),
    (
        "districts/problem",
        "{where}: {said}",
        "{where}: {said}",
    ),
    (
        "districts/path-of-district",
        "{path} (district {id})",
        "{path} (området {id})",
    ),
    ("districts/missing", "required key is missing", "nyckeln krävs men saknas"),
    (
        "duplicate-id/districts",
        "district id(s) used more than once: {ids}",
        "områdes-id som används mer än en gång: {ids}",
    ),
    (
        "hint/district-own-id",
        "give each [[districts]] its own id",
        "ge varje [[districts]] ett eget id",
    ),
    ("districts/unknown-key", "unknown key", "okänd nyckel"),
    (
        "districts/unknown-key/meant",
        "unknown key; did you mean `{key}`?",
        "okänd nyckel; menade du `{key}`?",
    ),
    ("districts/text", "must be text", "ska vara text"),
    (
        "districts/code",
        'must be an area code in quotes, such as "1480C3010"',
        'ska vara en delområdeskod inom citattecken, till exempel "1480C3010"',
    ),
    (
        "districts/codes",
        "must be a list of one or more area codes",
        "ska vara en lista med en eller flera delområdeskoder",
    ),
    (
        "districts/tables",
        "must be one [[districts]] table per district",
        "ska vara en [[districts]]-tabell per område",
    ),
    # pydantic's own English: the whole message is said in English.
    ("districts/other", "{text}"),
    (
        "hint/district-entry",
        'each [[districts]] needs id = "…" and areas = ["…", …]',
        'varje [[districts]] behöver id = "…" och areas = ["…", …]',
    ),
    ("criteria/extra_forbidden", "unknown key", "okänd nyckel"),
    (
        "criteria/extra_forbidden/meant",
        "unknown key; did you mean `{key}`?",
        "okänd nyckel; menade du `{key}`?",
    ),
    (
        "criteria/extra_forbidden/other-form",
        "`{key}` belongs to another form, which cannot share a table with this one "
        "({keys}): give each form a table of its own",
        "`{key}` hör till en annan form, som inte kan stå i samma tabell som den här "
        "({keys}): ge varje form en egen tabell",
    ),
    (
        "criteria/extra_forbidden/keys",
        "unknown key (check its spelling; the keys here: {keys})",
        "okänd nyckel (kontrollera stavningen; nycklarna här: {keys})",
    ),
    ("criteria/decimal_type", "must be a number", "måste vara ett tal"),
    (
        "criteria/is_instance_of",
        "must be a number, without quotes",
        "måste vara ett tal, utan citattecken",
    ),
    ("criteria/decimal_parsing", "must be a number", "måste vara ett tal"),
    ("criteria/string_type", "must be a string in quotes", "måste vara text inom citattecken"),
    ("criteria/int_type", "must be a whole number", "måste vara ett heltal"),
    (
        "criteria/list_type",
        'must be a list, such as ["a", "b"]',
        'måste vara en lista, till exempel ["a", "b"]',
    ),
    (
        "criteria/id",
        "must be lower-case letters, digits and _, starting with a letter",
        "får bara ha små bokstäver, siffror och _, och börja med en bokstav",
    ),
    (
        "criteria/rule",
        "{given} is not a rule; the forms: " + _RULE_FORMS_EN,
        "{given} är ingen regel; formerna: " + _RULE_FORMS_SV,
    ),
    (
        "criteria/rule/meant",
        "{given} is not a rule; did you mean `{meant}`? the forms: " + _RULE_FORMS_EN,
        "{given} är ingen regel; menade du `{meant}`? formerna: " + _RULE_FORMS_SV,
    ),
    (
        "criteria/forms/threshold",
        'must be a number, without quotes, or {{ times = …, of = "reference" }}',
        'måste vara ett tal, utan citattecken, eller {{ times = …, of = "referens" }}',
    ),
    (
        "criteria/forms/reference",
        'must be a number, {{ mean = "measure" }} or {{ median = "measure" }} (optionally with '
        "within and weight), {{ greatest = [...] }} or {{ least = [...] }} of other references, "
        'or {{ column = "measure" }}',
        'måste vara ett tal, {{ mean = "mått" }} eller {{ median = "mått" }} (eventuellt med '
        "within och weight), {{ greatest = [...] }} eller {{ least = [...] }} av andra "
        'referenser, eller {{ column = "mått" }}',
    ),
    (
        "criteria/forms/rule",
        'must name a criterion or outcome (scheme.rule: "all" or "any"), or be '
        "{{ all = [...] }}, {{ any = [...] }}, {{ at_least = k, of = [...] }}, "
        "{{ streak = n, rule = … }} or {{ held_in = k, of_last = m, rule = … }}",
        'måste namnge ett villkor eller utfall (scheme.rule: "all" eller "any"), eller vara '
        "{{ all = [...] }}, {{ any = [...] }}, {{ at_least = k, of = [...] }}, "
        "{{ streak = n, rule = … }} eller {{ held_in = k, of_last = m, rule = … }}",
    ),
    ("criteria/literal_error", "{text}", "måste vara {expected}"),
    ("criteria/other", "{text}"),
    ("criteria/count/one", "1 problem", "1 problem"),
    ("criteria/count", "{n} problems", "{n} problem"),
    ("criteria/path-of-outcome", "{path} (outcome {id})", "{path} (utfallet {id})"),
    ("criteria/path-of-index", "{path} (index {id})", "{path} (indexet {id})"),
    ("criteria/path-of-tier", "{path} (tier {id})", "{path} (nivån {id})"),
    # -- checks across the tables of a criteria file
    ("criteria/id-twice", "id {id} is used twice", "id {id} används två gånger"),
    (
        "criteria/nothing-to-screen",
        "the file has no [[criteria]] (and no [[indices]]) to screen on",
        "filen har inga [[criteria]] (och inga [[indices]]) att pröva områdena mot",
    ),
    (
        "criteria/no-such-reference",
        "{name} is not defined under [references]",
        "{name} finns inte under [references]",
    ),
    (
        "criteria/no-such-measure",
        "{name} is not a criterion or measure",
        "{name} är varken ett villkor eller ett mått",
    ),
    (
        "criteria/no-other-reference",
        "{name} is not another reference",
        "{name} är inte en annan referens",
    ),
    (
        "criteria/no-population",
        "{name} is no criterion or measure of the file "
        "(it must name the column holding each area's population)",
        "{name} är varken ett villkor eller ett mått i filen "
        "(nyckeln ska namnge kolumnen med varje områdes folkmängd)",
    ),
    (
        "criteria/not-nameable",
        "{name} is no criterion, outcome or tier",
        "{name} är varken ett villkor, ett utfall eller en nivå",
    ),
    (
        "criteria/named-twice",
        "{name} is named twice in one group; name each member once",
        "{name} nämns två gånger i samma grupp; ange varje del bara en gång",
    ),
    (
        "criteria/one-statistic",
        'give exactly one of mean = "…" or median = "…"',
        'ange exakt ett av mean = "…" och median = "…"',
    ),
    (
        "criteria/weighted-median",
        "a weighted median is not supported; use mean with weight",
        "en vägd median stöds inte; använd mean med weight",
    ),
    (
        "criteria/one-extreme",
        "give exactly one of greatest = [...] or least = [...]",
        "ange exakt ett av greatest = [...] och least = [...]",
    ),
    (
        "criteria/one-formula",
        "give exactly one of mean_of = [...] or weights = { … }",
        "ange exakt ett av mean_of = [...] och weights = { … }",
    ),
    (
        "criteria/numerator-and-denominator",
        "give both numerator and denominator, or neither",
        "ange både numerator och denominator, eller ingen av dem",
    ),
    (
        "criteria/reserved-id",
        "id {id} is reserved for urbanscreen's own columns; pick another, such as {other}",
        "id {id} är reserverat för urbanscreens egna kolumner; välj ett annat, till exempel "
        "{other}",
    ),
    (
        "criteria/percent-threshold",
        "a percent threshold must lie between 0 and 100",
        "en gräns i procent måste ligga mellan 0 och 100",
    ),
    (
        "criteria/negative-count",
        "a count threshold cannot be negative",
        "en gräns för ett antal kan inte vara negativ",
    ),
    (
        "text-fallback",
        "{n} texts of the criteria file are not given in {wanted} and are shown in {shown}: "
        "{places}",
        "{n} texter i villkorsfilen finns inte på {wanted} och visas på {shown}: {places}",
    ),
    (
        "text-fallback/one",
        "1 text of the criteria file is not given in {wanted} and is shown in {shown}: {places}",
        "1 text i villkorsfilen finns inte på {wanted} och visas på {shown}: {places}",
    ),
    ("language/sv", "Swedish", "svenska"),
    ("language/en", "English", "engelska"),
    ("criteria/not-an-outcome", "{name} is not an outcome", "{name} är inget utfall"),
    (
        "criteria/not-an-outcome/meant",
        "{name} is not an outcome; did you mean `{meant}`?",
        "{name} är inget utfall; menade du `{meant}`?",
    ),
    (
        "criteria/rule-with-outcomes",
        "with [[outcomes]], `qualifies` names the outcome that decides; "
        "remove scheme.rule or make it an outcome",
        "med [[outcomes]] namnger `qualifies` det utfall som avgör; "
        "ta bort scheme.rule eller gör den till ett utfall",
    ),
    (
        "criteria/too-few-criteria",
        "asks for at least {n} criteria but the file has {count}",
        "kräver minst {n} villkor, men filen har {count}",
    ),
    (
        "criteria/rest-tier-last",
        "a tier without a limit must come last",
        "en nivå utan gräns måste komma sist",
    ),
    (
        "criteria/tier-limits",
        "the {kind} limits must fall from the first tier to the last",
        "gränserna i {kind} måste minska från den första nivån till den sista",
    ),
    (
        "criteria/circle/references",
        "they refer to each other in a circle: {names}",
        "de hänvisar till varandra i en cirkel: {names}",
    ),
    (
        "criteria/circle/outcomes",
        "outcomes refer to each other in a circle: {names}",
        "utfallen hänvisar till varandra i en cirkel: {names}",
    ),
    (
        "criteria/never-holds/at-least",
        "at_least = {at_least} of {n} can never hold",
        "at_least = {at_least} av {n} kan aldrig uppfyllas",
    ),
    (
        "criteria/never-holds/held-in",
        "held_in = {held_in} of_last = {of_last} can never hold",
        "held_in = {held_in} of_last = {of_last} kan aldrig uppfyllas",
    ),
    # -- pydantic's own checks of a value, worded like the rest
    ("criteria/too_short", "must not be empty", "får inte vara tom"),
    ("criteria/string_too_short", "must not be empty", "får inte vara tom"),
    (
        "criteria/string_too_long",
        "must be at most {max_length} characters long",
        "får vara högst {max_length} tecken lång",
    ),
    ("criteria/greater_than_equal", "must be at least {ge}", "måste vara minst {ge}"),
    ("criteria/less_than_equal", "must be at most {le}", "får vara högst {le}"),
    (
        "criteria/finite_number",
        "must be a finite number (not nan or inf)",
        "måste vara ett ändligt tal (inte nan eller inf)",
    ),
    (
        "empty-input",
        "the header is on row {row} but no data rows follow it",
        "rubrikraden är rad {row} men inga datarader följer",
    ),
    (
        "hint/right-sheet",
        "check that the right sheet was read (--sheet NAME)",
        "kontrollera att rätt blad lästes (--sheet NAMN)",
    ),
    (
        "missing-column",
        "no column for criterion {label}; columns found: {found}",
        "ingen kolumn för villkoret {label}; kolumner som finns: {found}",
    ),
    (
        "hint/rename-column",
        "rename the column to {column}, or add its header to `aliases` of criterion {id} in "
        "the criteria file",
        "döp om kolumnen till {column}, eller lägg till dess rubrik i `aliases` för villkoret "
        "{id} i villkorsfilen",
    ),
    (
        "hint/rename-column/guess",
        "did you mean {guess}? rename the column to {column}, or add its header to `aliases` "
        "of criterion {id} in the criteria file",
        "menade du {guess}? döp om kolumnen till {column}, eller lägg till dess rubrik i "
        "`aliases` för villkoret {id} i villkorsfilen",
    ),
    (
        "hint/counts-named",
        "the counts {numerator} and {denominator}",
        "antalen {numerator} och {denominator}",
    ),
    (
        "hint/counts-unnamed",
        "numerator and denominator counts of {id} in the criteria file",
        "antal för täljare och nämnare till {id} i villkorsfilen",
    ),
    (
        "hint/count-not-rate",
        "{count} holds a count, not the rate: add the rate's column {column}, or {computed} "
        "to compute it from",
        "{count} innehåller ett antal, inte andelen: lägg till andelens kolumn {column}, "
        "eller {computed} att räkna ut den från",
    ),
    (
        "missing-column/areas",
        "no column names the areas",
        "ingen kolumn namnger områdena",
    ),
    (
        "hint/area-column",
        "add an id or name column; accepted headers include {headers}",
        "lägg till en kolumn med id eller namn; godtagna rubriker är bland andra {headers}",
    ),
    (
        "missing-column/group",
        "a reference is computed within {name}, but the data have no such column",
        "en referens räknas inom {name}, men data har ingen sådan kolumn",
    ),
    (
        "hint/group-column",
        "add a column headed {name} naming each area's group",
        "lägg till en kolumn med rubriken {name} som anger varje områdes grupp",
    ),
    (
        "missing-column/sex",
        "criterion {label} screens {sex}, but the file has no sex breakdown (a kön column "
        "with kvinnor / män)",
        "villkoret {label} prövar {sex}, men filen är inte uppdelad på kön (en kolumn kön "
        "med kvinnor / män)",
    ),
    (
        "hint/sex-breakdown",
        "use a table by sex, or remove sex = {sex} from the criterion",
        "använd en tabell per kön, eller ta bort sex = {sex} från villkoret",
    ),
    (
        "missing-column/indicators",
        "no rows for criterion {label}; indicators found: {found}",
        "inga rader för villkoret {label}; indikatorer som finns: {found}",
    ),
    (
        "missing-column/contents",
        "no rows for criterion {label}; contents found: {found}",
        "inga rader för villkoret {label}; innehåll som finns: {found}",
    ),
    (
        "hint/count-not-rate",
        "{count} holds a count, not the rate: add the rate's column {column}, or {computed} to "
        "compute it from",
        "{count} innehåller ett antal, inte andelen: lägg till andelens kolumn {column}, eller "
        "{computed} att räkna ut den från",
    ),
    (
        "count-hint/the-counts",
        "the counts {numerator} and {denominator}",
        "antalen {numerator} och {denominator}",
    ),
    (
        "count-hint/counts-of",
        "numerator and denominator counts of {id} in the criteria file",
        "antal för täljare och nämnare till {id} i villkorsfilen",
    ),
    (
        "hint/years-without-indicator",
        "the table has a column per year but names no indicator: download it with its title "
        "line (such as 'Folkmängd efter region och år'), or add a column 'tabellinnehåll' "
        "naming it",
        "tabellen har en kolumn per år men namnger ingen indikator: ladda ner den med sin "
        "rubrikrad (som 'Folkmängd efter region och år'), eller lägg till en kolumn "
        "'tabellinnehåll' som namnger den",
    ),
    ("labels/nor", "{first}, nor for {others}", "{first}, inte heller för {others}"),
    ("none", "none", "inga"),
    (
        "hint/indicator-alias",
        "add the indicator's name to `aliases` of criterion {id} in the criteria file",
        "lägg till indikatorns namn i `aliases` för villkoret {id} i villkorsfilen",
    ),
    (
        "ambiguous-column",
        "several columns could be {role}: {headers}",
        "flera kolumner kan vara {role}: {headers}",
    ),
    (
        "hint/ambiguous-column",
        "rename or delete all but one of them",
        "döp om eller ta bort alla utom en av dem",
    ),
    (
        "unresolved-breakdown",
        "the figures are broken down by {breakdowns}, with no total",
        "siffrorna är uppdelade efter {breakdowns}, utan någon total",
    ),
    (
        "unresolved-breakdown/summable",
        "the figures are broken down by {breakdowns}, with no total; counts could be summed "
        "over {summable}, but not every criterion is a count",
        "siffrorna är uppdelade efter {breakdowns}, utan någon total; antal skulle kunna "
        "summeras över {summable}, men alla villkor är inte antal",
    ),
    ("breakdown-values", "{name} ({values})", "{name} ({values})"),
    ("values-more", "{shown} … ({n} values)", "{shown} … ({n} värden)"),
    (
        "hint/unresolved-breakdown",
        "choose the value to screen, e.g. {picks}",
        "välj värdet att pröva, t.ex. {picks}",
    ),
    (
        "duplicate-id",
        "an area id occurs more than once (ids from {source}): {areas}",
        "ett områdes-id förekommer mer än en gång (id från {source}): {areas}",
    ),
    (
        "duplicate-id/several",
        "{n} area ids occur more than once (ids from {source}): {areas}",
        "{n} områdes-id förekommer mer än en gång (id från {source}): {areas}",
    ),
    (
        "hint/duplicate-id",
        "each area must appear once; remove the repeated rows, or add an id column (or a "
        "municipality column) that tells them apart",
        "varje område får finnas en gång; ta bort de upprepade raderna, eller lägg till en "
        "id-kolumn (eller en kommunkolumn) som skiljer dem åt",
    ),
    (
        "duplicate-id/value",
        "area {area} has more than one value for {criterion} (rows {rows})",
        "området {area} har mer än ett värde för {criterion} (rad {rows})",
    ),
    (
        "hint/duplicate-value",
        "each area (ids from {source}) needs one value per criterion, sex and year",
        "varje område (id från {source}) behöver ett värde per villkor, kön och år",
    ),
    (
        "unknown-area",
        "{n} area code(s) of the district definition are not in the data: {codes}",
        "{n} delområdeskod(er) i områdesindelningen finns inte i data: {codes}",
    ),
    (
        "hint/unknown-area",
        "check the codes and the data's year (DeSO codes changed in 2025)",
        "kontrollera koderna och datas år (DeSO-koderna ändrades 2025)",
    ),
    # -- a saved result read back (diff, check --baseline)
    (
        "result/version",
        "is not an urbanscreen result this version reads (schema_version {version})",
        "är inte ett urbanscreen-resultat som den här versionen kan läsa "
        "(schema_version {version})",
    ),
    (
        "result/incomplete",
        "is not a complete urbanscreen result: {problem}",
        "är inte ett fullständigt urbanscreen-resultat: {problem}",
    ),
    (
        "result/incomplete/one-more",
        "is not a complete urbanscreen result: {problem} (and 1 more problem)",
        "är inte ett fullständigt urbanscreen-resultat: {problem} (och 1 problem till)",
    ),
    (
        "result/incomplete/more",
        "is not a complete urbanscreen result: {problem} (and {n} more problems)",
        "är inte ett fullständigt urbanscreen-resultat: {problem} (och {n} problem till)",
    ),
    (
        "result/not-json/at",
        "is not a JSON result: {reason}: line {line} column {column} (char {char})",
        "är inte ett JSON-resultat: ogiltig JSON på rad {line}, kolumn {column} (tecken {char})",
    ),
    (
        "result/not-json/not-utf8",
        "is not a JSON result: {reason}",
        "är inte ett JSON-resultat: texten är inte UTF-8",
    ),
    (
        "result/not-json/too-deep",
        "is not a JSON result: {reason}",
        "är inte ett JSON-resultat: listor eller objekt är nästlade för djupt",
    ),
    (
        "hint/save-result",
        "save results with `urbanscreen check FILE --format json > result.json`",
        "spara resultat med `urbanscreen check FIL --format json > resultat.json`",
    ),
    (
        "result/twice",
        "has district {id} twice (number {first} and number {then})",
        "har distriktet {id} två gånger (nummer {first} och nummer {then})",
    ),
    ("result/has-no", "{place} has no {key}", "{place} saknar {key}"),
    ("result/is", "{place} is {value}: {wanted}", "{place} är {value}: {wanted}"),
    ("result/key-of", "{key} of {place}", "{key} i {place}"),
    ("result/in", "{inner} in {outer}", "{inner} i {outer}"),
    ("result/the-file", "the file", "filen"),
    ("result/key", "{key}", "'{key}'"),
    ("result/district", "district {name}", "distriktet {name}"),
    ("result/criterion", "criterion {name}", "villkoret {name}"),
    ("result/item", "{kind} {name}", "{kind} {name}"),
    ("result/number", "number {n}", "nummer {n}"),
    ("result/should-be-object", "should be a JSON object", "ska vara ett JSON-objekt"),
    # pydantic's own words in English; in Swedish, what the common kinds of value should be
    ("result/should-be-number", "{text}", "ska vara ett tal"),
    ("result/should-be-finite", "{text}", "ska vara ett ändligt tal"),
    ("result/should-be-whole", "{text}", "ska vara ett heltal"),
    ("result/should-be-text", "{text}", "ska vara text"),
    ("result/should-be-boolean", "{text}", "ska vara true eller false"),
    ("result/should-be-list", "{text}", "ska vara en JSON-lista"),
    ("result/should-be", "{text}"),
    (
        "vintage-twins",
        "has two districts that are one without SCB's vintage suffix: {first} and {second}",
        "har två områden som är samma område utan SCB:s årgångssuffix: {first} och {second}",
    ),
    (
        "hint/vintage-twins",
        "keep one code per district in a release",
        "behåll en kod per område i varje utgåva",
    ),
    ("file-not-found", "file not found", "filen finns inte"),
    ("file-not-found/criteria", "criteria file not found", "villkorsfilen finns inte"),
    (
        "file-not-found/districts",
        "district definition not found",
        "områdesindelningen finns inte",
    ),
    (
        "hint/check-path",
        "check the path and the current folder",
        "kontrollera sökvägen och den aktuella mappen",
    ),
    (
        "hint/check-result-path",
        "check the path of the saved result",
        "kontrollera sökvägen till det sparade resultatet",
    ),
    (
        "hint/check-districts-path",
        "check the --districts path",
        "kontrollera sökvägen i --districts",
    ),
    ("hint/similar-files", "did you mean {files}?", "menade du {files}?"),
    (
        "hint/no-folder",
        "the folder {folder} does not exist either; {then}",
        "mappen {folder} finns inte heller; {then}",
    ),
    (
        "hint/criteria-path",
        "give a path to a .toml file, or one of the shipped presets: {presets}",
        "ange sökvägen till en .toml-fil, eller en av de medföljande förinställningarna: {presets}",
    ),
    (
        "hint/preset",
        "did you mean the preset `{preset}`?",
        "menade du förinställningen `{preset}`?",
    ),
    (
        "unreadable-file",
        "is named {suffix} but is not an Excel workbook",
        "heter {suffix} men är ingen Excel-arbetsbok",
    ),
    (
        "hint/rename-csv",
        "it looks like text: if it is a CSV file, rename it to .csv",
        "den ser ut som text: om det är en CSV-fil, döp om den till .csv",
    ),
    (
        "hint/save-as-xlsx",
        "open it in Excel and save it again as .xlsx",
        "öppna den i Excel och spara den igen som .xlsx",
    ),
    ("unreadable-file/folder", "is a folder, not a file", "är en mapp, inte en fil"),
    ("hint/name-a-file", "name a .xlsx or .csv file", "ange en .xlsx- eller .csv-fil"),
    (
        "unreadable-file/binary",
        "is neither an Excel workbook nor a text (CSV) file",
        "är varken en Excel-arbetsbok eller en textfil (CSV)",
    ),
    (
        "hint/read-types",
        "urbanscreen reads {types} files",
        "urbanscreen läser filer av typen {types}",
    ),
    (
        "unsupported-file-type",
        "urbanscreen does not read {suffix} files",
        "urbanscreen läser inte {suffix}-filer",
    ),
    (
        "unsupported-file-type/binary",
        "urbanscreen does not read {suffix} files: it is neither an Excel workbook nor a text "
        "(CSV) file",
        "urbanscreen läser inte {suffix}-filer: den är varken en Excel-arbetsbok eller en "
        "textfil (CSV)",
    ),
    (
        "hint/unsupported",
        "urbanscreen reads tables: {types}; save the table as .xlsx or .csv",
        "urbanscreen läser tabeller: {types}; spara tabellen som .xlsx eller .csv",
    ),
    (
        "hint/unsupported.json",
        "a saved result goes to `urbanscreen diff OLD.json NEW.xlsx` or to `urbanscreen "
        "check NEW.xlsx --baseline OLD.json`; urbanscreen reads tables: {types}; save the "
        "table as .xlsx or .csv",
        "ett sparat resultat ges till `urbanscreen diff GAMMAL.json NY.xlsx` eller till "
        "`urbanscreen check NY.xlsx --baseline GAMMAL.json`; urbanscreen läser tabeller: "
        "{types}; spara tabellen som .xlsx eller .csv",
    ),
    (
        "hint/unsupported.toml",
        "a criteria file goes to --criteria: `urbanscreen check DATA.xlsx --criteria "
        "FILE.toml`; urbanscreen reads tables: {types}; save the table as .xlsx or .csv",
        "en villkorsfil ges till --criteria: `urbanscreen check DATA.xlsx --criteria "
        "FIL.toml`; urbanscreen läser tabeller: {types}; spara tabellen som .xlsx eller .csv",
    ),
    ("empty-input/file", "the file is empty", "filen är tom"),
    ("hint/export-again", "export the table again", "exportera tabellen igen"),
    ("empty-input/sheet", "the sheet is empty", "bladet är tomt"),
    ("empty-input/sheets", "every sheet is empty", "alla blad är tomma"),
    ("empty-input/no-sheets", "the workbook has no sheets", "arbetsboken har inga blad"),
    (
        "hint/pick-sheet",
        "pick the sheet with the table with --sheet",
        "välj bladet med tabellen med --sheet",
    ),
    ("invalid-option", "has no sheet named {sheet}", "har inget blad som heter {sheet}"),
    ("hint/sheets", "sheets in this workbook: {sheets}", "blad i arbetsboken: {sheets}"),
    ("non-numeric-value", "is not a number", "är inte ett tal"),
    (
        "non-numeric-value/others",
        "is not a number ({n} more in this column)",
        "är inte ett tal ({n} till i kolumnen)",
    ),
    (
        "hint/decimal-comma",
        "did you mean --decimal , (decimal comma)?",
        "menade du --decimal , (decimalkomma)?",
    ),
    (
        "hint/decimal-point",
        "did you mean --decimal . (decimal point)?",
        "menade du --decimal . (decimalpunkt)?",
    ),
    (
        "hint/non-numeric",
        "write the number, or mark a missing value as '..' or an empty cell (SCB's markers "
        "'..', '.', '-' and ':' mean unknown)",
        "skriv talet, eller markera ett saknat värde med '..' eller en tom cell (SCB:s "
        "markeringar '..', '.', '-' och ':' betyder okänt)",
    ),
    (
        "value-out-of-range/percent",
        "is outside what a percentage can be (between 0 and 100)",
        "ligger utanför vad en procentsats kan vara (mellan 0 och 100)",
    ),
    (
        "value-out-of-range/percent/converted",
        "is outside what a percentage can be (between 0 and 100) once multiplied by 100",
        "ligger utanför vad en procentsats kan vara (mellan 0 och 100) multiplicerat med 100",
    ),
    (
        "value-out-of-range/count",
        "is outside what a count can be (0 or more)",
        "ligger utanför vad ett antal kan vara (0 eller mer)",
    ),
    (
        "value-out-of-range/count/converted",
        "is outside what a count can be (0 or more) once multiplied by 100",
        "ligger utanför vad ett antal kan vara (0 eller mer) multiplicerat med 100",
    ),
    (
        "value-out-of-range/whole",
        "is not a whole number, as a count must be",
        "är inte ett heltal, som ett antal måste vara",
    ),
    (
        "hint/check-decimal-mark",
        "check the column and the decimal mark (--decimal , or --decimal .)",
        "kontrollera kolumnen och decimaltecknet (--decimal , eller --decimal .)",
    ),
    (
        "hint/negative-count",
        "check the column; a figure that may be negative (a net change) is a number: "
        'unit = "number" for criterion {id} in the criteria file',
        "kontrollera kolumnen; ett tal som kan vara negativt (en nettoförändring) är ett tal: "
        'unit = "number" för villkoret {id} i villkorsfilen',
    ),
    (
        "hint/converted",
        "the values were multiplied by 100 as shares: try --percent-scale percent",
        "värdena multiplicerades med 100 som andelar: prova --percent-scale percent",
    ),
    (
        "hint/whole",
        "check the decimal mark (--decimal , or --decimal .), or give the criterion unit = "
        '"number" if it is not a count',
        "kontrollera decimaltecknet (--decimal , eller --decimal .), eller ge villkoret "
        'unit = "number" om det inte är ett antal',
    ),
    ("os/ENOSPC", "the disk is full", "disken är full"),
    (
        "hint/write/ENOSPC",
        "free space on the disk, or write the report to another disk with --output",
        "frigör utrymme på disken, eller skriv rapporten till en annan disk med --output",
    ),
    ("hint/read/ENOSPC", "free space on the disk", "frigör utrymme på disken"),
    ("os/EDQUOT", "the disk quota is used up", "diskkvoten är slut"),
    (
        "hint/write/EDQUOT",
        "free space within your quota, or write the report to another disk with --output",
        "frigör utrymme inom din kvot, eller skriv rapporten till en annan disk med --output",
    ),
    ("hint/read/EDQUOT", "free space within your quota", "frigör utrymme inom din kvot"),
    (
        "os/EFBIG",
        "file too large for the file system or the file-size limit (ulimit -f)",
        "filen är för stor för filsystemet eller filstorleksgränsen (ulimit -f)",
    ),
    (
        "hint/write/EFBIG",
        "raise the limit (ulimit -f unlimited), free space, or write the report to another "
        "disk with --output",
        "höj gränsen (ulimit -f unlimited), frigör utrymme, eller skriv rapporten till en "
        "annan disk med --output",
    ),
    (
        "hint/read/EFBIG",
        "raise the file-size limit (ulimit -f unlimited)",
        "höj filstorleksgränsen (ulimit -f unlimited)",
    ),
    ("os/EACCES", "permission denied", "åtkomst nekad"),
    (
        "hint/write/EACCES",
        "choose a folder you can write, or ask for write permission",
        "välj en mapp du kan skriva i, eller be om skrivrättighet",
    ),
    (
        "hint/read/EACCES",
        "check that you may read the file and every folder above it (ls -l)",
        "kontrollera att du får läsa filen och varje mapp ovanför den (ls -l)",
    ),
    ("os/EPERM", "operation not permitted", "åtgärden är inte tillåten"),
    ("hint/write/EPERM", "choose a folder you can write", "välj en mapp du kan skriva i"),
    (
        "hint/read/EPERM",
        "check that you may read the file (ls -l)",
        "kontrollera att du får läsa filen (ls -l)",
    ),
    ("os/EROFS", "the file system is read-only", "filsystemet är skrivskyddat"),
    ("hint/write/EROFS", "choose a folder you can write", "välj en mapp du kan skriva i"),
    (
        "hint/read/EROFS",
        "copy the file somewhere you can write",
        "kopiera filen till en plats där du kan skriva",
    ),
    ("os/EISDIR", "is a folder", "är en mapp"),
    ("hint/write/EISDIR", "name a file inside it", "ange en fil i den"),
    ("hint/read/EISDIR", "name a file inside it", "ange en fil i den"),
    ("os/ENAMETOOLONG", "the name is too long", "namnet är för långt"),
    (
        "hint/write/ENAMETOOLONG",
        "choose a shorter name or a shorter path",
        "välj ett kortare namn eller en kortare sökväg",
    ),
    (
        "hint/read/ENAMETOOLONG",
        "rename the file or a folder above it to something shorter",
        "döp om filen eller en mapp ovanför den till något kortare",
    ),
    ("os/ENOENT", "does not exist", "finns inte"),
    ("hint/write/ENOENT", "check the path", "kontrollera sökvägen"),
    (
        "hint/read/ENOENT",
        "check the path and the current folder",
        "kontrollera sökvägen och den aktuella mappen",
    ),
    ("os/ENOTDIR", "a part of the path is not a folder", "en del av sökvägen är ingen mapp"),
    ("hint/write/ENOTDIR", "check the path", "kontrollera sökvägen"),
    ("hint/read/ENOTDIR", "check the path", "kontrollera sökvägen"),
    (
        "os/ELOOP",
        "too many symbolic links (a link that points to itself?)",
        "för många symboliska länkar (en länk som pekar på sig själv?)",
    ),
    ("hint/write/ELOOP", "name the file the links lead to", "ange filen som länkarna leder till"),
    ("hint/read/ELOOP", "name the file the links lead to", "ange filen som länkarna leder till"),
    (
        "os/EIO",
        "input/output error (the disk or network share failed)",
        "in-/utmatningsfel (disken eller nätverksresursen fallerade)",
    ),
    ("hint/write/EIO", "check the disk, then run again", "kontrollera disken och kör sedan igen"),
    ("hint/read/EIO", "check the disk, then run again", "kontrollera disken och kör sedan igen"),
    ("os/other", "{reason}"),
    ("cannot-write", "cannot be written: {reason}", "kan inte skrivas: {reason}"),
    (
        "cannot-write/kept",
        "cannot be written: {reason} (the file there is unchanged)",
        "kan inte skrivas: {reason} (filen som finns där är oförändrad)",
    ),
    ("unreadable-file/os", "cannot be read: {reason}", "kan inte läsas: {reason}"),
    (
        "unreadable-file/refused",
        "the operating system refused: {reason}",
        "operativsystemet vägrade: {reason}",
    ),
    (
        "invalid-output",
        "is an input of this run and would be overwritten",
        "är en indatafil i körningen och skulle skrivas över",
    ),
    ("hint/another-file", "name another file for the report", "ange en annan fil för rapporten"),
    ("invalid-output/twice", "is named twice by --output", "anges två gånger med --output"),
    ("hint/name-once", "name it once", "ange den en gång"),
    ("invalid-output/folder", "is a folder", "är en mapp"),
    ("hint/file-inside", "name a file inside it", "ange en fil i den"),
    (
        "invalid-output/no-folder",
        "cannot be written: the folder {folder} does not exist",
        "kan inte skrivas: mappen {folder} finns inte",
    ),
    ("hint/create-folder", "create the folder first", "skapa mappen först"),
    (
        "invalid-output/suffix",
        "has no report format for the suffix {suffix}",
        "har inget rapportformat för filändelsen {suffix}",
    ),
    (
        "invalid-output/no-suffix",
        "has no suffix to name the report's format",
        "har ingen filändelse som anger rapportens format",
    ),
    ("hint/suffixes", "end the name in {suffixes}", "låt namnet sluta på {suffixes}"),
    (
        "value-out-of-range/fractions-ambiguous",
        "every value of {label} lies between 0 and 1 and cannot be told apart from "
        "percentages below 1 % here: are they shares (0.45 = 45 %) or percentages?",
        "alla värden i {label} ligger mellan 0 och 1 och kan här inte skiljas från procent "
        "under 1 %: är de andelar (0.45 = 45 %) eller procent?",
    ),
    (
        "value-out-of-range/fractions-ambiguous/mixed",
        "every value of {label} lies between 0 and 1 while other percent columns hold "
        "percentages: are they shares (0.45 = 45 %) or percentages?",
        "alla värden i {label} ligger mellan 0 och 1 medan andra procentkolumner har procent: "
        "är de andelar (0.45 = 45 %) eller procent?",
    ),
    (
        "hint/percent-scale",
        "say which with --percent-scale fraction or --percent-scale percent",
        "ange vilket med --percent-scale fraction eller --percent-scale percent",
    ),
    (
        "unreadable-file/fields",
        "has {fields} fields where the header has {width}",
        "har {fields} fält där rubrikraden har {width}",
    ),
    (
        "unreadable-file/open-quote",
        "a quote opened in this row is never closed: the rest of the file would be one value",
        "ett citattecken som öppnas på denna rad stängs aldrig: resten av filen skulle bli "
        "ett enda värde",
    ),
    (
        "hint/open-quote",
        "close the quote (a quote inside a quoted value is written twice), or export the "
        "file again",
        "stäng citattecknet (ett citattecken inuti ett citerat värde skrivs två gånger), "
        "eller exportera filen igen",
    ),
    (
        "hint/separator-in-value",
        "a value probably contains the separator: quote it, or export the file again",
        "ett värde innehåller troligen avgränsaren: sätt det inom citattecken, eller "
        "exportera filen igen",
    ),
    (
        "invalid-option/years-without-years",
        "--years {years} was given, but the file has no years",
        "--years {years} angavs, men filen har inga år",
    ),
    (
        "hint/table-by-year",
        "give a table with a year column or a column per year, or leave out --years",
        "ge en tabell med en årskolumn eller en kolumn per år, eller utelämna --years",
    ),
    ("invalid-option/no-year-in", "has no year in {first}–{last}", "har inget år i {first}–{last}"),
    (
        "invalid-option/not-years",
        "--years {years} is not a list of years",
        "--years {years} är ingen lista med år",
    ),
    (
        "hint/years-forms",
        "write --years all, --years 2009-2011 or --years 2009,2011",
        "skriv --years all, --years 2009-2011 eller --years 2009,2011",
    ),
    ("missing-id", "this row has no id", "raden har inget id"),
    (
        "hint/missing-id",
        "give every area an id, or remove the id column to use names",
        "ge varje område ett id, eller ta bort id-kolumnen för att använda namn",
    ),
    (
        "non-numeric-value/mixed-marks",
        "numbers use both decimal marks: {comma} and {dot}",
        "talen använder båda decimaltecknen: {comma} och {dot}",
    ),
    (
        "hint/mixed-marks",
        "write all numbers alike, or say which mark is decimal with --decimal , or --decimal .",
        "skriv alla tal likadant, eller ange decimaltecknet med --decimal , eller --decimal .",
    ),
    ("invalid-value", "is not a year", "är inte ett årtal"),
    (
        "hint/year",
        "years are written with four digits, such as 2012",
        "år skrivs med fyra siffror, till exempel 2012",
    ),
    ("invalid-value/sex", "is not a sex this tool knows", "är inget kön som verktyget känner"),
    (
        "hint/sex",
        "use totalt / kvinnor / män (or total / women / men)",
        "använd totalt / kvinnor / män (eller total / women / men)",
    ),
    (
        "invalid-option/no-years",
        "--year {year} was given, but the file has no years",
        "--year {year} angavs, men filen har inga år",
    ),
    ("hint/leave-out-year", "leave out --year", "utelämna --year"),
    ("invalid-option/no-such-year", "has no year {year}", "har inget år {year}"),
    ("hint/years-in-file", "years in the file: {years}", "år i filen: {years}"),
    (
        "invalid-option/no-common-year",
        "no year has values for every criterion ({described})",
        "inget år har värden för alla villkor ({described})",
    ),
    (
        "hint/pick-year",
        "pick one with --year; criteria without values that year will be unknown",
        "välj ett med --year; villkor utan värden det året blir okända",
    ),
)
