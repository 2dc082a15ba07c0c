"""Measure urbanscreen against the baselines it cannot beat, in one run, as ratios.

    .venv/bin/python benchmarks/bench.py            # writes benchmarks/RESULTS.md
    .venv/bin/python benchmarks/bench.py --runs 7

Generates its inputs (6 160 DeSO-like areas as xlsx and csv; 300 000 areas as csv and
parquet; a 10-year long table), then times each command and its baseline interleaved,
``--runs`` times each, and reports the median ratio and peak memory. Wall-clock
figures only mean something beside their baseline from the same run.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).parent
PYTHON = sys.executable
URBANSCREEN = str(Path(sys.executable).parent / "urbanscreen")
CRITERIA = ["-c", "scb-2012"]


@dataclass
class Case:
    name: str
    command: list[str]
    baseline: list[str]
    baseline_name: str
    target: float | None
    memory_reference: str | None = None  # a file whose parsed DataFrame sizes the memory target
    memory_target: float | None = None  # peak memory at most this times the baseline's peak
    areas: int | None = None  # areas screened: the row reports the time per area


def areas(count: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    municipality = rng.integers(0, 290, count)
    return pd.DataFrame(
        {
            "DeSO": [
                f"{1000 + m:04d}{'ABC'[i % 3]}{i:04d}"[:9] + f"_{i}"
                for i, m in enumerate(municipality)
            ],
            "Kommunkod": [f"{1000 + m:04d}" for m in municipality],
            "Förvärvsfrekvens": rng.uniform(30, 90, count).round(1),
            "Långvarigt försörjningsstöd": rng.uniform(0, 20, count).round(1),
            "Gymnasiebehörighet": rng.uniform(40, 100, count).round(1),
            "Folkmängd": rng.integers(700, 12_000, count),
        }
    )


def long_table(count: int, years: int) -> pd.DataFrame:
    base = areas(count)
    parts = []
    for year in range(2016, 2016 + years):
        for column in (
            "Förvärvsfrekvens",
            "Långvarigt försörjningsstöd",
            "Gymnasiebehörighet",
            "Folkmängd",
        ):
            parts.append(
                pd.DataFrame(
                    {
                        "region": base["DeSO"],
                        "tabellinnehåll": column,
                        "år": year,
                        "värde": base[column],
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


def generate(folder: Path) -> dict[str, Path]:
    files = {
        "xlsx": folder / "deso-6160.xlsx",
        "csv_small": folder / "deso-6160.csv",
        "csv": folder / "areas-300000.csv",
        "parquet": folder / "areas-300000.parquet",
        "long": folder / "deso-6160-10-years.csv",
        "one": folder / "one-area.xlsx",
        "csv_30k": folder / "areas-30000.csv",
        "csv_3m": folder / "areas-3000000.csv",
        "csv_floor": folder / "csv_floor.py",
        "json_floor": folder / "json_floor.py",
    }
    files["csv_floor"].write_text(CSV_FLOOR, encoding="utf-8")
    files["json_floor"].write_text(JSON_FLOOR, encoding="utf-8")
    areas(30_000, seed=3).to_csv(files["csv_30k"], index=False)
    areas(3_000_000, seed=4).to_csv(files["csv_3m"], index=False)
    areas(1).to_excel(files["one"], index=False, engine="xlsxwriter")
    small = areas(6160)
    small.to_excel(files["xlsx"], index=False, engine="xlsxwriter")
    small.to_csv(files["csv_small"], index=False)
    large = areas(300_000, seed=2)
    large.to_csv(files["csv"], index=False)
    large.to_parquet(files["parquet"])
    long_table(6160, 10).to_csv(files["long"], index=False)
    return files


# The floors of the output rows: the same input read by pyarrow, then the same rows written
# by the fastest plain tool for the format. Each is a script of its own in the run's folder.
CSV_FLOOR = """
import sys
from pyarrow import csv
import pyarrow as pa
import pandas  # urbanscreen imports it too: the floor pays for it alike
table = csv.read_csv(sys.argv[1])
# As many columns as urbanscreen's CSV has (a value, threshold, verdict and margin per
# criterion, the area's columns, the outcome): the input's columns again, as text.
columns = [table.column(i % table.num_columns).cast(pa.string()) for i in range(23)]
out = pa.table(columns, names=[f"c{i}" for i in range(23)])
csv.write_csv(out, sys.stdout.buffer)
"""
JSON_FLOOR = """
import sys
import orjson
import pandas  # urbanscreen imports it too: the floor pays for it alike
from pyarrow import csv
rows = csv.read_csv(sys.argv[1]).to_pylist()
names = ("Förvärvsfrekvens", "Långvarigt försörjningsstöd", "Gymnasiebehörighet", "Folkmängd")
document = {"schema_version": 1, "districts": [
    {"id": row["DeSO"], "name": None, "municipality": None,
     "municipality_code": row["Kommunkod"], "row": i + 2, "qualifies": True, "uncertain": False,
     "criteria": [{"id": name, "value": row[name], "op": "<", "threshold": 52, "met": True,
                   "margin": 1.0, "missing": False} for name in names]}
    for i, row in enumerate(rows)], "issues": []}
sys.stdout.buffer.write(orjson.dumps(document, option=orjson.OPT_INDENT_2))
"""


def run(command: list[str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one run of ``command``.

    The memory comes from GNU time, a small process of its own: a child forked from this
    one would report this process's memory, inherited at the fork, as its own peak.
    """
    start = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "%M", *command],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - start
    if done.returncode not in (0, 1):
        raise SystemExit(f"failed: {' '.join(command)}\n{done.stderr[-2000:]}")
    return elapsed, int(done.stderr.strip().splitlines()[-1])


def cases(files: dict[str, Path], folder: Path) -> list[Case]:
    def read(code: str) -> list[str]:
        return [PYTHON, "-c", f"import pandas as pd; {code}"]

    report = folder / "report.xlsx"
    plain = folder / "plain.xlsx"
    return [
        Case(
            "urbanscreen --help",
            [URBANSCREEN, "--help"],
            [PYTHON, "-c", "import pandas"],
            "import pandas",
            0.5,
        ),
        Case(
            "urbanscreen --version",
            [URBANSCREEN, "--version"],
            [PYTHON, "-c", "import pandas"],
            "import pandas",
            0.5,
        ),
        Case(
            # What our stack costs before any area: pydantic (which this typer imports
            # itself to coerce options), typer, rich, and our modules.
            "floor: check 1 area (xlsx)",
            [URBANSCREEN, "check", str(files["one"]), *CRITERIA],
            read(f"pd.read_excel({str(files['one'])!r}, engine='calamine')"),
            "read_excel(calamine)",
            None,
        ),
        Case(
            "check 6 160 areas (xlsx)",
            [URBANSCREEN, "check", str(files["xlsx"]), *CRITERIA],
            read(f"pd.read_excel({str(files['xlsx'])!r}, engine='calamine')"),
            "read_excel(calamine)",
            1.2,
        ),
        Case(
            # The libraries alone (typer, pydantic, rich) reading the same file and printing
            # as much, with no urbanscreen code: the least any check built on them costs.
            "stack alone: typer, pydantic, rich, 6 160 areas (xlsx)",
            [PYTHON, str(HERE / "stack_alone.py"), str(files["xlsx"])],
            read(f"pd.read_excel({str(files['xlsx'])!r}, engine='calamine')"),
            "read_excel(calamine)",
            None,
        ),
        Case(
            # What urbanscreen's own code adds to that stack.
            "check 6 160 areas (xlsx), against the stack alone",
            [URBANSCREEN, "check", str(files["xlsx"]), *CRITERIA],
            [PYTHON, str(HERE / "stack_alone.py"), str(files["xlsx"])],
            "stack alone",
            None,
        ),
        Case(
            "check 6 160 areas (csv)",
            [URBANSCREEN, "check", str(files["csv_small"]), *CRITERIA],
            read(f"pd.read_csv({str(files['csv_small'])!r}, engine='pyarrow')"),
            "read_csv(pyarrow)",
            None,
        ),
        Case(
            "check 30 000 areas (csv)",
            [URBANSCREEN, "check", str(files["csv_30k"]), *CRITERIA],
            read(f"pd.read_csv({str(files['csv_30k'])!r}, engine='pyarrow')"),
            "read_csv(pyarrow)",
            None,
            areas=30_000,
        ),
        Case(
            "check 300 000 areas (csv)",
            [URBANSCREEN, "check", str(files["csv"]), *CRITERIA],
            read(f"pd.read_csv({str(files['csv'])!r}, engine='pyarrow')"),
            "read_csv(pyarrow)",
            1.5,
            memory_reference="csv",
            memory_target=1.5,
            areas=300_000,
        ),
        Case(
            "stack alone: typer, pydantic, rich, 300 000 areas (csv)",
            [PYTHON, str(HERE / "stack_alone.py"), str(files["csv"])],
            read(f"pd.read_csv({str(files['csv'])!r}, engine='pyarrow')"),
            "read_csv(pyarrow)",
            None,
        ),
        Case(
            "check 300 000 areas (csv), against the stack alone",
            [URBANSCREEN, "check", str(files["csv"]), *CRITERIA],
            [PYTHON, str(HERE / "stack_alone.py"), str(files["csv"])],
            "stack alone",
            None,
        ),
        Case(
            "check 3 000 000 areas (csv)",
            [URBANSCREEN, "check", str(files["csv_3m"]), *CRITERIA],
            read(f"pd.read_csv({str(files['csv_3m'])!r}, engine='pyarrow')"),
            "read_csv(pyarrow)",
            2.0,
            memory_target=1.5,
            areas=3_000_000,
        ),
        Case(
            "check 300 000 areas, --format csv",
            [URBANSCREEN, "check", str(files["csv"]), *CRITERIA, "--format", "csv"],
            [PYTHON, str(files["csv_floor"]), str(files["csv"])],
            "pyarrow read + write_csv",
            2.0,
        ),
        Case(
            "check 300 000 areas (parquet)",
            [URBANSCREEN, "check", str(files["parquet"]), *CRITERIA],
            read(f"pd.read_parquet({str(files['parquet'])!r})"),
            "read_parquet",
            None,
        ),
        Case(
            "check 300 000 areas, --format json",
            [URBANSCREEN, "check", str(files["csv"]), *CRITERIA, "--format", "json"],
            [PYTHON, str(files["json_floor"]), str(files["csv"])],
            "pyarrow read + orjson",
            2.0,
            memory_target=1.0,
        ),
        Case(
            "check 10-year long table (246 400 rows)",
            [URBANSCREEN, "check", str(files["long"]), *CRITERIA],
            read(f"pd.read_csv({str(files['long'])!r}, engine='pyarrow')"),
            "read_csv(pyarrow)",
            None,
        ),
        Case(
            # Every year of the table screened in one run, against the one year a plain
            # check screens: the follow-up may cost at most as much again.
            "check 10-year long table, --years all",
            [URBANSCREEN, "check", str(files["long"]), *CRITERIA, "--years", "all"],
            [URBANSCREEN, "check", str(files["long"]), *CRITERIA],
            "check of the latest year alone",
            2.0,
        ),
        Case(
            "Excel report of 6 160 areas",
            [URBANSCREEN, "check", str(files["xlsx"]), *CRITERIA, "--output", str(report)],
            read(
                f"df = pd.read_excel({str(files['xlsx'])!r}, engine='calamine'); "
                f"df.to_excel({str(plain)!r}, engine='xlsxwriter')"
            ),
            "read_excel + to_excel(xlsxwriter)",
            1.3,
        ),
        Case(
            # The same report against a floor that writes as many cells as the report
            # holds (about 69 000 on six sheets; here 6 161 rows of 10 columns and the
            # index): what each cell costs, ours against pandas' plain writer.
            "Excel report of 6 160 areas, against as many cells",
            [URBANSCREEN, "check", str(files["xlsx"]), *CRITERIA, "--output", str(report)],
            read(
                f"df = pd.read_excel({str(files['xlsx'])!r}, engine='calamine'); "
                "wide = pd.concat([df] * 2, axis=1).iloc[:, :10].set_axis(range(10), axis=1); "
                f"wide.to_excel({str(plain)!r}, engine='xlsxwriter')"
            ),
            "read_excel + to_excel of 67 771 cells",
            None,
        ),
    ]


def parsed_size(path: Path) -> int:
    """Memory of the parsed DataFrame, KiB: what the memory target is measured against."""
    frame = pd.read_csv(path, engine="pyarrow")
    return int(frame.memory_usage(deep=True).sum() // 1024)


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 1024**3
    return (
        f"{cpu}, {os.cpu_count()} cores, {memory} GiB; {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, pandas {pd.__version__}"
    )


def compile_urbanscreen() -> str:
    """Compile urbanscreen's bytecode, as pip does when it installs a package.

    pandas' bytecode was compiled when it was installed; an editable install of ours has
    none, and with PYTHONDONTWRITEBYTECODE set (as on some CI machines) every run would
    compile our sources again (~40 ms), a cost of the setup, not of urbanscreen.
    """
    found = subprocess.run(
        [
            PYTHON,
            "-c",
            "import urbanscreen, pathlib; print(pathlib.Path(urbanscreen.__file__).parent)",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    package = found.stdout.strip()
    subprocess.run([PYTHON, "-m", "compileall", "-q", package], check=True)
    return package


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--results", type=Path, default=HERE / "RESULTS.md")
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="run only the cases whose name contains TEXT, and print them (RESULTS.md stays)",
    )
    arguments = parser.parse_args()
    compile_urbanscreen()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        files = generate(folder)
        rows = []
        for case in cases(files, folder):
            if arguments.only and arguments.only not in case.name:
                continue
            ours, theirs, peaks, base_peaks = [], [], [], []
            for _ in range(arguments.runs):  # interleaved: drift hits both alike
                seconds, peak = run(case.command, folder)
                ours.append(seconds)
                peaks.append(peak)
                seconds, peak = run(case.baseline, folder)
                theirs.append(seconds)
                base_peaks.append(peak)
            ratio = statistics.median(ours) / statistics.median(theirs)
            memory = f"baseline {max(base_peaks) // 1024} MiB"
            if case.memory_reference:
                reference = parsed_size(files[case.memory_reference])
                growth = (max(peaks) - max(base_peaks)) / reference
                whole = max(peaks) / reference
                memory += (
                    f"; parsed DataFrame {reference // 1024} MiB; ours is {whole:.1f}× it in all, "
                    f"the baseline's peak plus {growth:.1f}× it"
                )
            memory_ratio = max(peaks) / max(base_peaks)
            met = case.target is None or ratio <= case.target
            if case.memory_target is not None:
                memory += (
                    f"; peak {memory_ratio:.2f}× the baseline's (target ≤ {case.memory_target}×)"
                )
                met = met and memory_ratio <= case.memory_target
            if case.areas:
                memory += f"; {statistics.median(ours) / case.areas * 1e6:.2f} µs per area"
            has_target = case.target is not None or case.memory_target is not None
            verdict = "" if not has_target else ("met" if met else "NOT met")
            rows.append(
                (
                    case.name,
                    case.baseline_name,
                    statistics.median(ours),
                    statistics.median(theirs),
                    ratio,
                    case.target,
                    verdict,
                    max(peaks) // 1024,
                    memory,
                )
            )
            target = "" if case.target is None else f" (target ≤ {case.target})"
            print(
                f"{case.name}: {statistics.median(ours):.2f} s, {ratio:.2f}× "
                f"{case.baseline_name} ({statistics.median(theirs):.2f} s){target} {verdict}; "
                f"peak {max(peaks) // 1024} MiB {memory}",
                flush=True,
            )
    if not arguments.only:
        write_results(arguments.results, rows, arguments.runs)


def write_results(path: Path, rows: list[tuple[object, ...]], runs: int) -> None:
    lines = [
        "# Benchmark results",
        "",
        f"Written by `benchmarks/bench.py` on {time.strftime('%Y-%m-%d')}: median of {runs} "
        "interleaved runs; ratios against a baseline measured in the same run. urbanscreen's "
        "bytecode is compiled first, as pip does for an installed package (pandas' was "
        "compiled when it was installed).",
        "",
        f"Machine: {machine()}.",
        "",
        "| command | baseline | ours (s) | baseline (s) | ratio | target | | peak MiB | memory |",
        "|---|---|--:|--:|--:|--:|---|--:|---|",
    ]
    for name, base, ours, theirs, ratio, target, verdict, peak, memory in rows:
        lines.append(
            f"| {name} | {base} | {ours:.2f} | {theirs:.2f} | {ratio:.2f}× | "
            f"{'' if target is None else f'≤ {target}'} | {verdict} | {peak} | {memory} |"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
