"""Texts of a criteria file in more than one language.

Any text a reader sees (the scheme's name, description and source; each criterion's,
measure's, outcome's and index's label, short label, description and source) may be a
plain string, in the scheme's ``lang``, or a table of languages::

    label = { sv = "Förvärvsfrekvens", en = "Employment rate" }

The criteria model keeps one string per text, in the scheme's language, so every reader
of a :class:`~urbanscreen.criteria.model.Criteria` stays as it was; the other languages are
kept beside it and :func:`in_language` gives the criteria with every text in one language.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from urbanscreen.messages import CATALOGUE, Message, message

if TYPE_CHECKING:
    from urbanscreen.criteria.model import Criteria

TEXT_FIELDS = ("name", "label", "short_label", "description", "source")
# The parts of a criteria file whose items carry texts; the scheme is a single table.
ITEM_LISTS = ("criteria", "measures", "outcomes", "indices")
_LANGUAGE = re.compile(r"^[a-z]{2,3}$")

# Where a text sits: ("scheme", 0, "description") or ("criteria", 2, "label").
TextPlace = tuple[str, int, str]
Translations = dict[TextPlace, dict[str, str]]


def split_texts(raw: object) -> tuple[object, Translations]:
    """The raw TOML table with each table of languages replaced by its text in the
    scheme's language (else the first given), and every table of languages by place.

    A table of languages that is malformed is left as it is, for the model to refuse."""
    if not isinstance(raw, dict):
        return raw, {}
    scheme = raw.get("scheme")
    language = scheme.get("lang", "en") if isinstance(scheme, dict) else "en"
    found: Translations = {}
    copy = dict(raw)
    if isinstance(scheme, dict):
        copy["scheme"] = _split_item(scheme, ("scheme", 0), language, found)
    for part in ITEM_LISTS:
        items = raw.get(part)
        if isinstance(items, list):
            copy[part] = [
                _split_item(item, (part, position), language, found)
                if isinstance(item, dict)
                else item
                for position, item in enumerate(items)
            ]
    return copy, found


def _split_item(
    item: dict[str, Any], where: tuple[str, int], language: object, found: Translations
) -> dict[str, Any]:
    copy = dict(item)
    for name in TEXT_FIELDS:
        value = item.get(name)
        if isinstance(value, dict) and _is_languages(value):
            found[(*where, name)] = dict(value)
            copy[name] = value.get(language) or next(iter(value.values()))
    tiers = item.get("tiers")
    if where[0] == "indices" and isinstance(tiers, list):
        part = _tiers_part(where[1])
        copy["tiers"] = [
            _split_item(tier, (part, position), language, found) if isinstance(tier, dict) else tier
            for position, tier in enumerate(tiers)
        ]
    return copy


def _tiers_part(index_position: int) -> str:
    return f"indices[{index_position}].tiers"


def _is_languages(value: Mapping[object, object]) -> bool:
    return bool(value) and all(
        isinstance(key, str) and _LANGUAGE.match(key) and isinstance(text, str) and text
        for key, text in value.items()
    )


def in_language(criteria: Criteria, language: str) -> tuple[Criteria, list[str]]:
    """``criteria`` with every text in ``language`` where the file gives it, and the
    places (``criteria[1].label``) whose text is shown in another language instead."""
    translations = criteria.translations
    written_in = criteria.scheme.lang
    fallbacks: list[str] = []

    def texts(item: Any, where: tuple[str, int]) -> dict[str, str]:
        update: dict[str, str] = {}
        for name in TEXT_FIELDS:
            current = getattr(item, name, None)
            if not isinstance(current, str) or not current:
                continue
            given = translations.get((*where, name))
            if given is not None and language in given:
                update[name] = given[language]
            elif (given is not None or language != written_in) and (where, name) != (
                ("scheme", 0),
                "name",
            ):
                # The scheme's name is a name: it is not translated and not reported.
                part, position = where
                fallbacks.append(
                    f"scheme.{name}" if part == "scheme" else f"{part}[{position}].{name}"
                )
        return update

    update: dict[str, Any] = {}
    scheme_texts = texts(criteria.scheme, ("scheme", 0))
    if scheme_texts:
        update["scheme"] = criteria.scheme.model_copy(update=scheme_texts)
    for part in ITEM_LISTS:
        items = getattr(criteria, part)
        changed = []
        for position, item in enumerate(items):
            texts_of_item: dict[str, Any] = texts(item, (part, position))
            if part == "indices":
                tier_part = _tiers_part(position)
                texts_of_item["tiers"] = [
                    tier.model_copy(update=texts(tier, (tier_part, number)))
                    for number, tier in enumerate(item.tiers)
                ]
            changed.append(item.model_copy(update=texts_of_item))
        update[part] = changed
    return criteria.model_copy(update=update), fallbacks


def fallback_note(fallbacks: list[str], language: str, written_in: str) -> Message:
    """The one sentence that says which texts are not in the report's language."""
    other = written_in if written_in != language else ("en" if language == "sv" else "sv")
    places = ", ".join(fallbacks[:6]) + (" …" if len(fallbacks) > 6 else "")
    return message(
        "text-fallback/one" if len(fallbacks) == 1 else "text-fallback",
        n=len(fallbacks),
        wanted=_language_name(language),
        shown=_language_name(other),
        places=places,
    )


def _language_name(code: str) -> object:
    """ "Swedish" (in Swedish "svenska"), or the code of a language the catalogue has no name
    for."""
    return message(f"language/{code}") if f"language/{code}" in CATALOGUE else code
