"""The language the terminal speaks, and numbers and sentences in it.

``--lang`` decides; without it, the scheme's ``lang`` when its file sets one, else the
user's locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``, in POSIX's order). Free of rich and
pandas: the command line asks before it has read anything.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

from urbanscreen.render.labels import Language, labels, language_of

if TYPE_CHECKING:
    from urbanscreen.criteria.model import Criteria, Scheme
    from urbanscreen.result import Summary

LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")
# A decimal point between digits: "4.8 %", "1 234.5", never "file.csv" or "v0.3a".
_DECIMAL_POINT = re.compile(r"(?<=\d)\.(?=\d)")


def locale_language(environ: Mapping[str, str]) -> Language:
    """Swedish for a Swedish locale (``sv_SE.UTF-8``, ``sv_FI``), else English."""
    for name in LOCALE_VARIABLES:
        value = environ.get(name, "")
        if value:
            # The first one set decides, as for every program: LC_ALL=C means C.
            return "sv" if value.lower().startswith("sv") else "en"
    return "en"


def spoken_language(
    scheme: Scheme | None, wanted: str | None, environ: Mapping[str, str]
) -> Language:
    """``--lang``, else the scheme's language if its file names one, else the locale's."""
    if wanted is not None:
        return language_of("en", wanted)
    if scheme is not None and "lang" in scheme.model_fields_set:
        return language_of(scheme.lang, None)
    return locale_language(environ)


def numbers_in(text: str, language: str) -> str:
    """``4.8 %`` as Swedish writes it, ``4,8 %``; English text as it is.

    For text made of values and rules only: a name from the data keeps its dots."""
    return _DECIMAL_POINT.sub(",", text) if language == "sv" else text


def qualifying_text(summary: Summary, language: str) -> str:
    """``15 of 27 districts qualify``, ``1 of 4 districts qualifies`` or ``15 av 27 områden
    uppfyller villkoren``: the summary line of the terminal, the workbook and Markdown."""
    from urbanscreen.render.values import count_text  # pandas: only once there is a result

    words = labels(language)
    one = summary.districts == 1
    noun = words["term_summary_district" if one else "term_summary_districts"]
    verb = words["term_qualifies_one" if one or summary.qualifying == 1 else "term_qualify"]
    return words["term_summary"].format(
        q=count_text(summary.qualifying), n=count_text(summary.districts), noun=noun, verb=verb
    )


def summary_text(summary: Summary, language: str) -> str:
    """:func:`qualifying_text`, then how many cannot be decided."""
    from urbanscreen.render.values import count_text

    words = labels(language)
    line = qualifying_text(summary, language)
    if summary.unknown:
        line += words["term_undecided"].format(u=count_text(summary.unknown))
    return line


def rule_text(criteria: Criteria, language: str) -> str:
    """The scheme's rule in ``language`` where it is one of the flat ones; a rule tree or
    outcomes as :meth:`Criteria.rule_text` writes them."""
    from urbanscreen.criteria.model import AtLeast  # pydantic: only once criteria are read

    rule = criteria.scheme.rule
    words = labels(language)
    if criteria.outcomes:
        return criteria.rule_text()
    if rule == "all":
        return words["rule_all"]
    if rule == "any":
        return words["rule_any"]
    if isinstance(rule, AtLeast) and rule.of is None:
        return words["rule_at_least"].format(k=criteria.needed(), n=len(criteria.criteria))
    return criteria.rule_text()
