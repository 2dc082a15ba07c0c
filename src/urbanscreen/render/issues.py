"""Warnings and notes in the report's language.

Issues are made in English where they are found (stderr and the JSON stay English). A
Swedish report says the common ones in Swedish: each entry reads the figures out of the
English message and puts them into the Swedish sentence. A message no entry reads is
shown as it was made (tests/test_report_print.py checks the entries against the issues
the fixtures give, so a reworded message is noticed).
"""

from __future__ import annotations

import re

from urbanscreen.errors import Issue, printable

_SWEDISH: dict[str, tuple[re.Pattern[str], str]] = {
    "areas-outside-districts": (
        re.compile(
            r"(?P<n>[\d ]+) area\(s\) of the data belong to no district: (?P<names>.*?)"
            r"(?: and (?P<more>[\d ]+) more)?"
        ),
        "{n} delområden i indata hör inte till något område: {names}{more}",
    ),
    "suppressed-areas": (
        re.compile(
            r"(?P<n>[\d ]+) value\(s\) of (?P<districts>[\d ]+) district\(s\) include suppressed "
            r"small-area counts \('\.\.'\), in (?P<names>.*?)(?: and (?P<more>[\d ]+) more)?: "
            r"unknown, but bounded by SCB's rule \(a suppressed numerator is at most "
            r"(?P<num>\d+), a suppressed denominator at most (?P<den>\d+)\); a criterion is "
            r"decided where both bounds agree"
        ),
        "{n} värden i {districts} områden bygger på skyddade antal i delområden ('..'), i "
        "{names}{more}: okända, men begränsade "
        "enligt SCB:s regel (ett skyddat antal i täljaren är högst {num}, i nämnaren högst "
        "{den}); ett villkor avgörs där båda gränserna ger samma svar",
    ),
    "skipped-rows": (
        re.compile(
            r"(?P<n>[\d ]+) row\(s\) that are not areas skipped \(notes, or values without a "
            r"name: rows (?P<rows>.*)\)"
        ),
        "{n} rader som inte är områden hoppades över (anteckningar, eller värden utan "
        "namn: rad {rows})",
    ),
    "year-chosen": (
        re.compile(
            r"screening (?P<year>\S+), the latest year with values for every criterion "
            r"\(data (?P<span>.*)\)"
        ),
        "år {year} prövas, det senaste året med värden för varje villkor (data {span})",
    ),
    "small-population": (
        re.compile(
            r"(?P<n>[\d ]+) area\(s\) have (?P<floor>\d+) residents or fewer, so their shares "
            r"are uncertain: (?P<names>.*?)(?: \(SCB computes a share only for groups of "
            r"more than \d+\))?$"
        ),
        "{n} områden har högst {floor} invånare, så deras andelar är osäkra: {names}",
    ),
    "leading-zeros-restored": (
        re.compile(
            r"(?P<n>[\d ]+) municipality code\(s\) had lost their leading zero \(stored as "
            r"numbers\); padded to four digits: (?P<names>.*?)(?: and (?P<more>[\d ]+) more)?"
        ),
        "{n} kommunkoder hade tappat sin inledande nolla (lagrade som tal); fyllda till "
        "fyra siffror: {names}{more}",
    ),
    "total-row": (
        re.compile(
            r"screened as areas, but they look like totals: (?P<rows>.*); delete such rows "
            r"if they are not areas"
        ),
        "prövade som områden, men de ser ut som summor: {rows}; ta bort sådana rader om de "
        "inte är områden",
    ),
    "unused-indicators": (
        re.compile(r"indicators no criterion uses were ignored: (?P<names>.*)"),
        "indikatorer som inget villkor använder hoppades över: {names}",
    ),
    "report-abridged": (
        re.compile(
            r"the workbook lists (?P<shown>[\d ]+) of (?P<total>[\d ]+) areas: every qualifying "
            r"and undecided one \(up to (?P<limit>[\d ]+) each\) and the [\d ]+ others nearest "
            r"a threshold; --output FILE\.csv or --format csv gives every area"
        ),
        "arbetsboken listar {shown} av {total} områden: alla som uppfyller villkoren och "
        "alla som inte kan avgöras (högst {limit} av varje) och de {limit} övriga som ligger "
        "närmast en gräns; --output FIL.csv eller --format csv ger alla områden",
    ),
}


def issue_message(issue: Issue, language: str) -> str:
    """The issue's message in ``language``: from the message catalogue
    (:mod:`urbanscreen.messages`) where the issue was made from it, else where this module
    can read it, else as made."""
    if issue.said is not None and issue.said.speaks(language):
        return printable(issue.said.text(language))
    if language != "sv" or issue.code not in _SWEDISH:
        return issue.message
    pattern, template = _SWEDISH[issue.code]
    found = pattern.fullmatch(issue.message)
    if not found:
        return issue.message
    fields = found.groupdict()
    # "a, b, c and 7 more" (errors.first_few) in Swedish: "a, b, c och 7 till".
    if "more" in fields:
        fields["more"] = f" och {fields['more']} till" if fields["more"] else ""
    return template.format(**fields)


def speaks(issue: Issue, language: str) -> bool:
    """Whether :func:`issue_message` says ``issue`` in ``language``."""
    return language != "sv" or issue_message(issue, language) != issue.message
