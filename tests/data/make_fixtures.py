"""Write the xlsx fixtures in this folder (csv fixtures are written by hand).

.venv/bin/python tests/data/make_fixtures.py
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent
HEADERS = [
    "DeSO",
    "Kommunkod",
    "Kommun",
    "Område",
    "Förvärvsfrekvens",
    "Långvarigt försörjningsstöd",
    "Gymnasiebehörighet",
    "Folkmängd",
]


def leading_zeros() -> None:
    """Text codes with leading zeros, under a title row, with a footnote below."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Tabell"
    sheet.append(["Illustrativa värden per DeSO"])
    sheet.append(HEADERS)
    sheet.append(["0114A0010", "0114", "Upplands Väsby", "Väsby centrum", 49.0, 5.5, 66.0, 4100])
    sheet.append(["0180C1010", "0180", "Stockholm", "Rinkeby norra", 44.0, 11.0, 60.0, 2600])
    sheet.append([])
    sheet.append(["Källa: illustrativ"])
    for row in sheet.iter_rows(min_row=3, max_row=4, max_col=2):
        for cell in row:
            cell.number_format = "@"
    workbook.save(HERE / "leading_zeros.xlsx")


def bad_value() -> None:
    """A criterion cell holding text that is no number."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADERS)
    sheet.append(["0180C1010", "0180", "Stockholm", "Tensta", 47.8, 9.6, 64.0, 18400])
    sheet.append(["0180C1020", "0180", "Stockholm", "Husby", 52.0, "ej tillg.", 64.1, 11900])
    workbook.save(HERE / "bad_value.xlsx")


if __name__ == "__main__":
    leading_zeros()
    bad_value()
