"""Screen every PC-Axis file of a folder with a criteria file written to fit it.

The criteria name the file's contents (the values of its CONTVARIABLE, or its CONTENTS),
one criterion each, ``>= 0``: what is tested is reading, not thresholds. Used by the
corpus test on ``tests/data/px`` and by hand on SCB's whole example database::

    python -m tests.px_corpus /path/to/PXWeb/Resources/PX/Databases/Example
"""

from __future__ import annotations

import json
import re
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from urbanscreen.cli import app
from urbanscreen.pcaxis import PxError, decode_px, parse_px

_COUNT_UNITS = ("antal", "number", "persons", "personer", "st", "lukumäärä", "people")


def contents_of(path: Path) -> tuple[list[str], str]:
    """The file's contents labels and their unit keyword (PxError when unreadable)."""
    text, _ = decode_px(path.read_bytes())
    px = parse_px(text)
    variable = px.first("CONTVARIABLE")
    if variable and variable in px.values:
        return px.values[variable], px.first("UNITS")
    return [px.first("CONTENTS") or px.first("TITLE")], px.first("UNITS")


def criteria_for(path: Path) -> str:
    """A criteria file with one ``>= 0`` criterion per content of the PX file at ``path``."""
    labels, units = contents_of(path)
    unit = "count" if units.strip().casefold() in _COUNT_UNITS else "number"
    lines = ["version = 1", "[scheme]", f"name = {json.dumps(path.name)}"]
    for number, label in enumerate(dict.fromkeys(labels), start=1):
        lines += [
            "[[criteria]]",
            f'id = "c{number}"',
            f"label = {json.dumps(label)}",
            f"column = {json.dumps(label)}",
            f'unit = "{unit}"',
            'op = ">="',
            "threshold = 0",
        ]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Outcome:
    """How one file fared: 0 screened, 2 refused with a message, else crashed."""

    path: Path
    exit_code: int
    message: str


def screen_file(path: Path, workdir: Path, *extra: str) -> Outcome:
    """``urbanscreen check PATH -f json`` with criteria fitted to the file."""
    try:
        criteria = criteria_for(path)
    except PxError as exc:  # unreadable before any criteria: the check itself must say why
        criteria = 'version = 1\n[scheme]\nname = "x"\n[[criteria]]\nid = "c1"\nlabel = "x"\n'
        criteria += 'column = "x"\nunit = "number"\nop = ">="\nthreshold = 0\n'
        del exc
    criteria_path = workdir / f"{path.stem}.toml"
    criteria_path.write_text(criteria, encoding="utf-8")
    result = CliRunner().invoke(
        app, ["check", str(path), "-c", str(criteria_path), "-f", "json", *extra]
    )
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        text = "".join(traceback.format_exception(result.exception))
        return Outcome(path, 3, text)
    return Outcome(path, result.exit_code, result.stderr.strip())


def hinted_where(message: str) -> list[str]:
    """The ``--where 'DIM=VALUE'`` picks a refusal's hint shows."""
    return re.findall(r"--where '([^']*)'", message)


def main(folder: str) -> int:
    import tempfile

    files = sorted(p for p in Path(folder).rglob("*") if p.suffix.lower() == ".px")
    outcomes = []
    picked = 0
    with tempfile.TemporaryDirectory() as workdir:
        for path in files:
            outcome = screen_file(path, Path(workdir))
            outcomes.append(outcome)
            extra = [part for pick in hinted_where(outcome.message) for part in ("--where", pick)]
            if outcome.exit_code == 2 and extra:
                picked += screen_file(path, Path(workdir), *extra).exit_code == 0
    for outcome in outcomes:
        last = " | ".join(outcome.message.splitlines()[-2:]).replace(str(outcome.path), "")
        print(f"{outcome.exit_code}  {outcome.path.relative_to(folder)}  {last[:300]}")
    screened = sum(o.exit_code == 0 for o in outcomes)
    refused = sum(o.exit_code == 2 for o in outcomes)
    crashed = len(outcomes) - screened - refused
    print(
        f"{len(outcomes)} files: {screened} screened, {refused} refused (exit 2), {crashed} other"
    )
    print(f"{picked} of the refused screen with the --where their message shows")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
