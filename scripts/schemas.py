"""Write schemas/*.json from the typed models in urbanscreen.contract.

    python scripts/schemas.py          # regenerate
    python scripts/schemas.py --check  # exit 1 when a committed schema differs

tests/test_contract.py fails when the committed schemas drift from the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from urbanscreen.contract import SCHEMAS, json_schema

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"


def schema_text(name: str) -> str:
    """The committed text of ``schemas/<name>``: indented JSON, one final newline."""
    return json.dumps(json_schema(name), indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str]) -> int:
    stale = []
    for name in SCHEMAS:
        path = SCHEMA_DIR / name
        text = schema_text(name)
        if "--check" in argv:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(name)
        else:
            path.write_text(text, encoding="utf-8")
    for name in stale:
        print(f"schemas/{name} is stale: run python scripts/schemas.py", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
