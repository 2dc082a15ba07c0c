"""docs/errors.md lists every error code the code has, each with an example message."""

from __future__ import annotations

import re

from typer.testing import CliRunner

from urbanscreen import errors
from urbanscreen.cli import app

from .conftest import ROOT, SAMPLE

PAGE = ROOT / "docs" / "errors.md"


def error_classes() -> list[type[errors.UrbanscreenError]]:
    """Every error class in errors.py but the base, which nothing raises as it is."""
    found = []
    pending = list(errors.UrbanscreenError.__subclasses__())
    while pending:
        cls = pending.pop()
        found.append(cls)
        pending.extend(cls.__subclasses__())
    return [cls for cls in found if cls.__module__ == errors.__name__]


def documented() -> dict[str, str]:
    """code -> the text of its section."""
    text = PAGE.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z-]+)`$", text, flags=re.MULTILINE)
    sections = zip(parts[1::2], parts[2::2], strict=True)
    return {code: body.split("\n## ")[0] for code, body in sections}


def test_every_error_code_is_documented_and_no_other() -> None:
    codes = {cls.code for cls in error_classes()}
    assert len(codes) == len(error_classes()), "each class has a code of its own"
    assert set(documented()) == codes


def test_each_code_has_an_example_of_its_own() -> None:
    for code, section in documented().items():
        examples = re.findall(r"^    urbanscreen: error \[([a-z-]+)\]: .+$", section, re.MULTILINE)
        assert examples, f"{code} has no example"
        assert set(examples) == {code}, f"{code}'s section shows another code's message"


def test_the_examples_are_what_the_command_line_prints() -> None:
    """Where the example needs no file built for it, it is printed as shown."""
    section = documented()["invalid-option"]
    result = CliRunner().invoke(
        app, ["check", "--lang", "en", str(SAMPLE / "districts.xlsx"), "--sheet", "X"]
    )
    printed = result.stderr.replace(str(SAMPLE) + "/", "")
    for line in printed.splitlines():
        assert f"    {line}\n" in section
