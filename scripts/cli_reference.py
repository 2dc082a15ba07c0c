"""Write docs/cli.md, the command-line reference, from the commands' own definitions.

    python scripts/cli_reference.py          # regenerate
    python scripts/cli_reference.py --check  # exit 1 when docs/cli.md is stale

Every command, argument and option comes from the same objects that `--help` prints,
so the reference cannot drift from the tool; tests/test_docs.py fails when it is stale.
The text is built here rather than captured from `--help`, whose layout changes between
typer releases (the tests run against the oldest supported one too).
"""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, get_args, get_origin, get_type_hints

import typer
from rich.text import Text

from urbanscreen.cli import app

VALUE_NAMES = {int: "INTEGER", float: "NUMBER", Path: "PATH", str: "TEXT"}
TARGET = Path(__file__).resolve().parent.parent / "docs" / "cli.md"

HEADER = """\
# Command-line reference

Generated from the commands' definitions by `python scripts/cli_reference.py`; a test
fails when this page is stale. Every command also answers `--help` (`-h`).
"""


def render() -> str:
    """The whole reference as Markdown."""
    root = typer.main.get_command(app)
    parts = [HEADER]
    _command(root, ["urbanscreen"], None, parts)
    return "\n".join(parts)


def _command(command: Any, path: list[str], parent: Any, parts: list[str]) -> None:
    context = type(parent or _context_class(command))(command, info_name=path[-1], parent=parent)
    name = " ".join(path)
    usage = " ".join([name, *command.collect_usage_pieces(context)])
    parts.append(f"## `{name}`\n")
    parts.append(f"    {usage}\n")
    if command.help:
        parts.append(_plain(command.help).strip() + "\n")
    hints = _hints(command)
    rows = [_row(param, hints) for param in command.get_params(context)]
    if rows:
        parts.append("| argument or option | value | description |")
        parts.append("|---|---|---|")
        parts.extend(rows)
        parts.append("")
    if command.epilog:
        parts.append(_epilog(command.epilog))
    subcommands = getattr(command, "commands", {})
    for sub in command.list_commands(context) if subcommands else []:
        _command(subcommands[sub], [*path, sub], context, parts)


def _context_class(command: Any) -> Any:
    return command.context_class(command)


def _row(param: Any, hints: dict[str, Any]) -> str:
    names = ", ".join(f"`{n}`" for n in [*param.opts, *param.secondary_opts])
    value = _value(param, hints)
    if param.param_type_name == "argument":
        names, value = value, ""
    help_text = _plain(getattr(param, "help", None) or "").replace("|", "\\|")
    default = _default(param)
    if default:
        help_text += f" Default: `{default}`."
    if param.required:
        help_text += " Required."
    return f"| {names} | {value} | {help_text.strip()} |"


def _value(param: Any, hints: dict[str, Any]) -> str:
    """What an option takes: its metavar, else told from the command's own annotation."""
    if getattr(param, "is_flag", False):
        return ""
    if param.metavar:
        return f"`{param.metavar}`".replace("|", "\\|")
    kind = hints.get(param.name, str)
    for argument in (*get_args(kind), kind):  # X | None, list[X], Annotated[X, ...]
        inner = get_args(argument)[0] if get_origin(argument) is list else argument
        if isinstance(inner, type) and issubclass(inner, Enum):
            return "`" + "\\|".join(str(member.value) for member in inner) + "`"
        if inner in VALUE_NAMES:
            return f"`{VALUE_NAMES[inner]}`"
    return "`TEXT`"


def _hints(command: Any) -> dict[str, Any]:
    callback = getattr(command, "callback", None)
    if callback is None:
        return {}
    return {
        name: get_args(hint)[0] if get_origin(hint) is Annotated else hint
        for name, hint in get_type_hints(callback, include_extras=True).items()
    }


def _default(param: Any) -> str:
    default = param.default
    if default is None or getattr(param, "is_flag", False) or param.required:
        return ""
    if isinstance(default, Enum):
        default = default.value
    return str(default)


def _plain(text: str) -> str:
    """Help text without rich markup, on one line."""
    return " ".join(Text.from_markup(text).plain.split())


def _epilog(epilog: str) -> str:
    lines = []
    for paragraph in Text.from_markup(epilog).plain.split("\n\n"):
        stripped = paragraph.strip()
        if stripped.startswith("urbanscreen "):
            lines.append(f"    {stripped}")
        elif stripped:
            lines.append("\n" + " ".join(stripped.split()) + "\n")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print("docs/cli.md is stale: run python scripts/cli_reference.py", file=sys.stderr)
            return 1
        return 0
    TARGET.parent.mkdir(exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
