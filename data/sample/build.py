"""Write districts.xlsx and districts.csv, the bundled sample, from the rows below.

Run from the repository root with the dev extras installed:
    .venv/bin/python data/sample/build.py

The 15 qualifying districts are those SCB found in 2012. The other twelve are
districts of the kind municipalities nominated, each failing for a different reason.
ALL VALUES ARE ILLUSTRATIVE: SCB's per-district figures for the 2012 screening are
not published in machine-readable form, and the non-qualifying list is not SCB's.
"""

from __future__ import annotations

import csv
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

HERE = Path(__file__).parent
NOTE = (
    "Illustrativa värden, inte SCB:s siffror. De 15 stadsdelar som uppfyllde SCB:s "
    "villkor 2012 är med; övriga tolv är exempel på nominerade stadsdelar som inte "
    "uppfyllde dem. / Illustrative values, not SCB's figures."
)
HEADERS = [
    "Kommunkod",
    "Kommun",
    "Län",
    "Stadsdel",
    "Förvärvsfrekvens (%)",
    "Långvarigt försörjningsstöd (%)",
    "Gymnasiebehörighet (%)",
    "Folkmängd",
]
STOCKHOLM, KRONOBERG, SKANE, VG = (
    "Stockholms län",
    "Kronobergs län",
    "Skåne län",
    "Västra Götalands län",
)
# kommunkod, kommun, län, stadsdel, förvärvsfrekvens, långv. försörjningsstöd,
# gymnasiebehörighet, folkmängd   -- and why it is here
ROWS: list[tuple[str, str, str, str, float, float, float, int]] = [
    # The 15 districts that qualified in 2012.
    ("0180", "Stockholm", STOCKHOLM, "Rinkeby", 44.2, 11.9, 61.5, 15600),
    ("0180", "Stockholm", STOCKHOLM, "Tensta", 47.8, 9.6, 64.0, 18400),
    ("0181", "Södertälje", STOCKHOLM, "Hovsjö", 45.1, 10.3, 58.2, 6300),
    ("0181", "Södertälje", STOCKHOLM, "Ronna", 48.6, 4.9, 62.7, 8900),  # 0.1 above 4.8
    ("0780", "Växjö", KRONOBERG, "Araby", 43.0, 12.4, 55.9, 5700),
    ("1280", "Malmö", SKANE, "Herrgården", 29.5, 22.1, 40.3, 5100),
    ("1280", "Malmö", SKANE, "Södra Sofielund/Seved", 46.2, 7.4, 60.8, 4600),
    ("1282", "Landskrona", SKANE, "Centrum-Öster", 51.9, 6.2, 66.1, 4000),  # exactly 4 000
    ("1290", "Kristianstad", SKANE, "Gamlegården", 45.9, 9.0, 57.4, 4300),
    ("1480", "Göteborg", VG, "Bergsjön", 42.1, 10.8, 59.6, 14500),
    ("1480", "Göteborg", VG, "Gårdsten", 41.3, 12.6, 52.4, 9200),
    ("1480", "Göteborg", VG, "Hjällbo", 38.7, 14.5, 48.9, 7300),
    ("1480", "Göteborg", VG, "Norra Biskopsgården", 43.8, 9.7, 55.0, 11400),
    ("1488", "Trollhättan", VG, "Kronogården", 47.3, 8.8, 63.2, 6400),
    ("1490", "Borås", VG, "Hässleholmen", 46.5, 9.3, 61.9, 5300),
    # Nominated-style districts that do not qualify, each for its own reason.
    ("0180", "Stockholm", STOCKHOLM, "Husby", 52.0, 7.5, 64.1, 11900),  # FF exactly 52
    ("0127", "Botkyrka", STOCKHOLM, "Fittja", 49.5, 4.8, 62.0, 7600),  # LFS exactly 4.8
    ("0380", "Uppsala", "Uppsala län", "Gottsunda", 50.2, 6.3, 70.0, 9800),  # GB exactly 70
    ("1880", "Örebro", "Örebro län", "Vivalla", 40.2, 13.1, 50.5, 3999),  # one resident short
    ("1980", "Västerås", "Västmanlands län", "Bäckby", 55.3, 6.0, 65.0, 8000),  # FF only
    ("0580", "Linköping", "Östergötlands län", "Skäggetorp", 47.0, 7.9, 74.6, 6700),  # GB only
    ("0581", "Norrköping", "Östergötlands län", "Navestad", 50.1, 4.2, 66.3, 5400),  # LFS only
    ("1283", "Helsingborg", SKANE, "Drottninghög", 53.8, 4.1, 63.0, 4200),  # FF and LFS
    ("1480", "Göteborg", VG, "Lövgärdet", 52.6, 6.6, 71.2, 6200),  # FF and GB
    ("1490", "Borås", VG, "Norrby", 54.0, 4.5, 72.3, 4700),  # three criteria
    ("1488", "Trollhättan", VG, "Lextorp", 49.0, 4.6, 68.0, 3600),  # LFS and population
    ("2480", "Umeå", "Västerbottens län", "Ersboda", 56.2, 3.1, 76.0, 3400),  # all four
]


def write_xlsx(path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Stadsdelar"
    sheet["A1"] = "Stadsdelar prövade mot SCB:s villkor för urbant utvecklingsarbete 2012"
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A2"] = NOTE
    sheet.append([])
    sheet.append(HEADERS)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for row in ROWS:
        sheet.append(list(row))
    for row in sheet.iter_rows(min_row=5, min_col=1, max_col=1):
        row[0].number_format = "@"  # kommunkod is text: 0180 keeps its zero
    for row in sheet.iter_rows(min_row=5, min_col=5, max_col=7):
        for cell in row:
            cell.number_format = "0.0"
    for row in sheet.iter_rows(min_row=5, min_col=8, max_col=8):
        row[0].number_format = "# ##0"
    for column, width in zip("ABCDEFGH", (11, 14, 22, 22, 20, 30, 22, 11), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A5"
    about = workbook.create_sheet("Om datat")
    about["A1"] = NOTE
    about["A2"] = (
        "Villkor (SCB 2012): förvärvsfrekvens under 52 %, långvarigt försörjningsstöd "
        "över 4,8 %, gymnasiebehörighet under 70 %, minst 4 000 invånare."
    )
    workbook.save(path)


def write_csv(path: Path) -> None:
    """SCB style: semicolon-separated, decimal comma, UTF-8."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(HEADERS)
        for row in ROWS:
            writer.writerow([str(v).replace(".", ",") if isinstance(v, float) else v for v in row])


if __name__ == "__main__":
    write_xlsx(HERE / "districts.xlsx")
    write_csv(HERE / "districts.csv")


# -- small areas: an illustrative DeSO table for Göteborg and four districts drawn from it ---

DESO_HEADERS = [
    "DeSO",
    "Folkmängd",
    "Befolkning 20-64 år",
    "Förvärvsarbetande 20-64 år",
    "Personer med långvarigt ekonomiskt bistånd",
    "Elever som lämnat åk 9",
    "Behöriga till gymnasiet",
]
# code, folkmängd, befolkning 20-64, förvärvsarbetande, långvarigt bistånd, elever åk 9, behöriga
DESO_ROWS: list[tuple[str, int, int, int, object, int, int]] = [
    # Bergsjön: four areas; one suppressed assistance count ('..': at most 5 people).
    ("1480C3010", 2400, 1400, 600, 160, 40, 24),
    ("1480C3020", 2100, 1250, 560, 150, 38, 25),
    ("1480C3030", 1900, 1100, 470, "..", 30, 18),
    ("1480C3040", 2300, 1350, 590, 140, 41, 27),
    # Hjällbo: three areas.
    ("1480C3110", 2500, 1450, 560, 210, 45, 22),
    ("1480C3120", 2200, 1300, 500, 180, 40, 20),
    ("1480C3130", 2600, 1500, 610, 200, 48, 26),
    # Lövgärdet: averaging the three employment rates (56.3, 53.8, 20.0 %: mean 43.4) would
    # say it qualifies; the summed counts say 1 620 of 3 000 = 54.0 %: it does not.
    ("1480C3210", 2700, 1600, 900, 120, 50, 30),
    ("1480C3220", 2200, 1300, 700, 100, 42, 25),
    ("1480C3230", 180, 100, 20, 9, 4, 2),
    # Tynnered: well above every threshold.
    ("1480C3310", 2500, 1500, 1180, 15, 45, 41),
    ("1480C3320", 2400, 1450, 1130, 12, 44, 40),
    # Areas of the municipality outside the four districts.
    ("1480C3410", 2000, 1200, 950, 10, 36, 33),
    ("1480C3420", 2100, 1250, 1000, 11, 38, 35),
]
DISTRICTS_TOML = """\
# Four districts of Göteborg drawn from DeSO areas (illustrative: see README.md).
# urbanscreen check data/sample/deso-goteborg.csv --districts data/sample/districts-goteborg.toml

[[districts]]
id = "1480-bergsjon"
name = "Bergsjön"
municipality = "Göteborg"
areas = ["1480C3010", "1480C3020", "1480C3030", "1480C3040"]

[[districts]]
id = "1480-hjallbo"
name = "Hjällbo"
municipality = "Göteborg"
areas = ["1480C3110", "1480C3120", "1480C3130"]

[[districts]]
id = "1480-lovgardet"
name = "Lövgärdet"
municipality = "Göteborg"
areas = ["1480C3210", "1480C3220", "1480C3230"]

[[districts]]
id = "1480-tynnered"
name = "Tynnered"
municipality = "Göteborg"
areas = ["1480C3310", "1480C3320"]
"""


def write_small_areas() -> None:
    with (HERE / "deso-goteborg.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(DESO_HEADERS)
        writer.writerows(DESO_ROWS)
    (HERE / "districts-goteborg.toml").write_text(DISTRICTS_TOML, encoding="utf-8")


if __name__ == "__main__":
    write_small_areas()
