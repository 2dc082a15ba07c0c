"""The "did you mean" of every message: the closest known key, file, preset or command.

One place for the closeness rule (difflib's ratio, as Python's own "did you mean" for
names uses), so a misspelt key, file name and command are judged alike.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterable
from pathlib import Path

from urbanscreen.messages import Few, Message, message

CUTOFF = 0.6  # difflib's default: "treshold" ~ "threshold" (0.94), "rule" !~ "unit" (0.5)
MAX_FILES_LISTED = 3
# A folder of a national download may hold thousands of files; a hint looks at this many.
MAX_FILES_SCANNED = 2000


def ranked(word: str, candidates: Iterable[str], *, n: int = 1) -> list[tuple[float, str]]:
    """Up to ``n`` candidates like ``word``, best first, each with its similarity (0 to 1)."""
    matches = difflib.get_close_matches(word, list(candidates), n=n, cutoff=CUTOFF)
    return [(difflib.SequenceMatcher(None, word, match).ratio(), match) for match in matches]


def closest(word: str, candidates: Iterable[str], *, n: int = 1) -> list[str]:
    """Up to ``n`` candidates like ``word``, best first; none when nothing is close."""
    return [match for _, match in ranked(word, candidates, n=n)]


def similar_files(path: Path, kinds: Collection[str] = ()) -> list[Path]:
    """Files in ``path``'s folder named like it: ``district.xlsx`` finds ``districts.xlsx``.

    Names are compared without their suffix (a shared ``.toml`` makes any two names look
    alike), so ``districts.xlxs`` and ``districts.xls`` lead to ``districts.xlsx`` too.
    ``kinds``: the suffixes a file may have to be offered (a table is not offered a
    criteria file); any, when empty."""
    folder = path.parent
    by_stem: dict[str, list[str]] = {}
    try:
        for scanned, entry in enumerate(folder.iterdir()):
            if scanned >= MAX_FILES_SCANNED:
                break
            if entry.is_file() and (not kinds or entry.suffix.lower() in kinds):
                by_stem.setdefault(entry.stem.lower(), []).append(entry.name)
    except OSError:
        return []  # no such folder, or not ours to list: nothing to suggest
    found = [
        name
        for stem in closest(path.stem.lower(), by_stem, n=MAX_FILES_LISTED)
        # Of districts.csv and districts.xlsx, the one with the suffix asked for comes first.
        for name in sorted(by_stem[stem], key=lambda name: (Path(name).suffix != path.suffix, name))
    ]
    return [folder / name for name in found[:MAX_FILES_LISTED]]


def missing_file_hint(path: Path, fallback: Message, kinds: Collection[str] = ()) -> Message:
    """The hint for a path that is not there: files named like it (of ``kinds``), else
    ``fallback``."""
    found = similar_files(path, kinds)
    if found:
        named = tuple(f"`{candidate}`" for candidate in found)
        return message("hint/similar-files", files=Few(named, separator="or"))
    if str(path.parent) not in {"", "."} and not path.parent.is_dir():
        return message("hint/no-folder", folder=repr(str(path.parent)), then=fallback)
    return fallback
