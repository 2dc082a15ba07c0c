"""The example CI job's script works: exit 0 on the committed baseline, 1 when a district moves."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from openpyxl import load_workbook

from .conftest import ROOT, SAMPLE

SCRIPT = ROOT / "scripts" / "revalidate.sh"
BASELINE = ROOT / "data" / "baseline" / "districts.json"


def run(data: Path, tmp_path: Path, baseline: Path = BASELINE) -> subprocess.CompletedProcess[str]:
    summary = tmp_path / "summary.md"
    env = os.environ | {
        "URBANSCREEN": str(Path(sys.executable).parent / "urbanscreen"),
        "GITHUB_STEP_SUMMARY": str(summary),
        "GITHUB_ACTIONS": "true",
    }
    return subprocess.run(
        ["bash", str(SCRIPT), str(data), str(baseline), str(tmp_path / "report.xlsx")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        check=False,
    )


def test_unchanged_release_passes(tmp_path: Path) -> None:
    done = run(SAMPLE / "districts.xlsx", tmp_path)
    assert done.returncode == 0, done.stderr
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    # In the scheme's language, as the table under it (SCB's scheme: Swedish).
    assert summary.startswith("### ✅ områdena som uppfyller villkoren är desamma")
    assert load_workbook(tmp_path / "report.xlsx").sheetnames[0] == "Sammanfattning"


def test_changed_release_fails_and_names_the_change(tmp_path: Path) -> None:
    data = tmp_path / "districts.csv"
    shutil.copy(SAMPLE / "districts.csv", data)
    text = data.read_text(encoding="utf-8").replace("Husby;52,0", "Husby;50,0")
    data.write_text(text, encoding="utf-8")
    done = run(data, tmp_path)
    assert done.returncode == 1
    assert "::error title=Entered (now qualify)::Husby, Stockholm" in done.stderr
    summary = (tmp_path / "summary.md").read_text(encoding="utf-8")
    assert "Tillkom (uppfyller nu villkoren)" in summary


def test_accepted_release_turns_green_and_annotates_once(tmp_path: Path) -> None:
    data = tmp_path / "districts.csv"
    text = (SAMPLE / "districts.csv").read_text(encoding="utf-8")
    data.write_text(
        text.replace("Husby;52,0", "Husby;50,0").replace("Ronna;48,6;4,9", "Ronna;48,6;.."), "utf-8"
    )
    done = run(data, tmp_path)
    assert done.returncode == 1
    assert done.stderr.count("::error title=Entered (now qualify)::Husby") == 1
    accepted = tmp_path / "accepted.json"
    subprocess.run(
        [str(Path(sys.executable).parent / "urbanscreen"), "check", str(data), "-f", "json"],
        stdout=accepted.open("w"),
        check=True,
        cwd=ROOT,
    )
    again = run(data, tmp_path, baseline=accepted)
    assert again.returncode == 0, again.stderr
