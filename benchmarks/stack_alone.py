"""The libraries urbanscreen is built on, doing the least a check does, with none of its code.

    python benchmarks/stack_alone.py TABLE.xlsx    # or TABLE.csv

A typer command with options of the kinds ``urbanscreen check`` has (typer coerces each
one, from 0.29 through a pydantic TypeAdapter), a pydantic model validated once per
criterion (the criteria file), the table read through pandas (a workbook with calamine, a
CSV with pyarrow), and 75 lines printed through rich (the terminal table). ``bench.py``
times it against ``import pandas`` and the same read: what the stack costs before a line of
urbanscreen runs.
"""

from __future__ import annotations

import enum
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False)
CRITERIA = 4
LINES = 75


class Format(enum.StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Scale(enum.StrEnum):
    auto = "auto"
    fraction = "fraction"
    percent = "percent"


@app.command()
def check(
    file: Annotated[Path, typer.Argument()],
    criteria: Annotated[str | None, typer.Option("--criteria", "-c")] = None,
    sheet: Annotated[str | None, typer.Option()] = None,
    output_format: Annotated[Format, typer.Option("--format")] = Format.table,
    output: Annotated[list[Path] | None, typer.Option("--output", "-o")] = None,
    lang: Annotated[str | None, typer.Option()] = None,
    decimal: Annotated[str | None, typer.Option()] = None,
    year: Annotated[int | None, typer.Option()] = None,
    years: Annotated[str | None, typer.Option()] = None,
    percent_scale: Annotated[Scale, typer.Option()] = Scale.auto,
    population_floor: Annotated[int | None, typer.Option()] = None,
    fail_on: Annotated[list[str] | None, typer.Option()] = None,
    districts: Annotated[Path | None, typer.Option()] = None,
    baseline: Annotated[Path | None, typer.Option()] = None,
    near: Annotated[float, typer.Option()] = 0.05,
    where: Annotated[list[str] | None, typer.Option()] = None,
    debug: Annotated[bool, typer.Option()] = False,
) -> None:
    from pydantic import BaseModel, ConfigDict

    class Criterion(BaseModel):
        model_config = ConfigDict(extra="forbid", frozen=True, strict=True)
        id: str
        operator: str
        threshold: float

    for number in range(CRITERIA):
        Criterion.model_validate({"id": f"c{number}", "operator": "<", "threshold": 52.0})

    import pandas as pd

    if file.suffix == ".csv":
        table = pd.read_csv(file, engine="pyarrow")
    else:
        table = pd.read_excel(file, engine="calamine")

    from rich.console import Console
    from rich.text import Text

    lines = (" ".join(str(cell) for cell in row) for row in table.head(LINES).itertuples())
    Console(highlight=False).print(Text("\n".join(lines)))


if __name__ == "__main__":
    app()
