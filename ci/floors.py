"""The dependency floors: ci/floors.txt's pins agree with pyproject.toml's floors.

    python ci/floors.py              # exit 1 when the two files disagree
    python ci/floors.py --installed  # also when an installed version is not its floor

.ci/run uses --installed in the floors environment; tests/test_packaging.py runs the
plain check.
"""

from __future__ import annotations

import re
import sys
import tomllib
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
_FLOOR = re.compile(r"^([A-Za-z0-9_.-]+)\s*>=\s*([^,;\s]+)$")
_PIN = re.compile(r"^([A-Za-z0-9_.-]+)==(\S+)$")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared_floors() -> dict[str, str]:
    """Each runtime dependency of pyproject.toml and its ``>=`` floor."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    floors = {}
    for requirement in project["dependencies"]:
        found = _FLOOR.match(requirement)
        if found is None:
            raise SystemExit(f"pyproject.toml: {requirement!r} has no plain >= floor")
        floors[_name(found.group(1))] = found.group(2)
    return floors


def pinned_floors() -> dict[str, str]:
    """Each pin of ci/floors.txt."""
    pins = {}
    for raw in (ROOT / "ci" / "floors.txt").read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            found = _PIN.match(line)
            if found is None:
                raise SystemExit(f"ci/floors.txt: {line!r} is not NAME==VERSION")
            pins[_name(found.group(1))] = found.group(2)
    return pins


def _same(a: str, b: str) -> bool:
    """2.7 and 2.7.0 name one release."""
    pad = max(a.count("."), b.count("."))
    return a + ".0" * (pad - a.count(".")) == b + ".0" * (pad - b.count("."))


def problems(*, installed: bool = False) -> list[str]:
    found = []
    declared, pinned = declared_floors(), pinned_floors()
    for name in sorted(declared.keys() | pinned.keys()):
        floor, pin = declared.get(name), pinned.get(name)
        if floor is None or pin is None or not _same(floor, pin):
            found.append(f"{name}: pyproject.toml says >={floor}, ci/floors.txt =={pin}")
        elif installed:
            try:
                have = version(name)
            except PackageNotFoundError:
                have = "nothing"
            if not _same(have, pin):
                found.append(f"{name}: {have} is installed, the floor is {pin}")
    return found


if __name__ == "__main__":
    listed = problems(installed="--installed" in sys.argv[1:])
    for problem in listed:
        print(f"floors: {problem}", file=sys.stderr)
    sys.exit(1 if listed else 0)
