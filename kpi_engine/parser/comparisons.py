"""Comparison phrases: `vs last year`, `compared to Q1`, `yoy`, `mom`, `no comparison`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from kpi_engine.parser.text import Scratch
from kpi_engine.parser.time_scan import period_at
from kpi_engine.periods import Period

_KEYWORD = re.compile(
    r"(?<!\w)(?:vs\.?|v\.?s\.?|versus|against|relative\s+to|compared\s+(?:to|with)|comparing\s+(?:to|with)"
    r"|in\s+comparison\s+(?:to|with)|and\s+compare\s+(?:to|with))(?!\w)\s*(?:the\s+)?"
)
_YEAR_AGO = re.compile(
    r"(?:same\s+(?:period|time|day|week|month|quarter)\s+(?:of\s+)?)?(?:last|previous|prior|the\s+previous|a)\s+year"
    r"(?:\s+ago)?(?!\s+to\s+date)(?!\w)|(?:a\s+)?year\s+(?:ago|before|earlier)(?!\w)|(?:the\s+)?year\s+before(?!\w)"
)
_PREVIOUS = re.compile(
    r"(?:(?:previous|prior|preceding|last)\s+period|(?:previous|prior|preceding)(?:\s+(?:day|week|month|quarter))?"
    r"|(?:day|week|month|quarter|period)\s+before|before)(?!\w)"
)
_COMPARE_VERB = re.compile(r"(?<!\w)compare(?:\s+(?:the\s+)?(?:value|number)s?)?(?!\w)")
_LATE_KEYWORD = re.compile(r"(?<!\w)(?:to|with|against|and)(?!\w)\s*(?:the\s+)?")
_NOTHING = re.compile(r"(?:nothing|none)(?!\w)")
_STANDALONE: tuple[tuple[re.Pattern[str], Literal["previous_year", "previous", "none"]], ...] = (
    (re.compile(r"(?<!\w)(?:yoy|y/y|year[\s-]+(?:over|on)[\s-]+year)(?!\w)"), "previous_year"),
    (
        re.compile(
            r"(?<!\w)(?:mom|m/m|wow|w/w|qoq|q/q|pop"
            r"|(?:day|week|month|quarter|period)[\s-]+(?:over|on)[\s-]+(?:day|week|month|quarter|period))(?!\w)"
        ),
        "previous",
    ),
    (re.compile(r"(?<!\w)(?:no|without|skip(?:\s+the)?)\s+comparisons?(?!\w)|(?<!\w)don'?t\s+compare(?!\w)"), "none"),
)


@dataclass(frozen=True)
class ComparisonSpec:
    comparison: Literal["previous", "previous_year", "none"] = "previous"
    compare_to: Period | None = None


def take_comparison(scratch: Scratch, as_of: date) -> tuple[ComparisonSpec | None, list[str]]:
    """Consumes a comparison phrase; notes say what could not be compared."""
    notes: list[str] = []
    verb = _COMPARE_VERB.search(scratch.text)
    if verb is not None:  # "compare mrr this month to last month"
        for keyword in _LATE_KEYWORD.finditer(scratch.text, verb.end()):
            spec, end = _after_keyword(scratch.text, keyword.end(), as_of)
            if spec is not None:
                scratch.consume(verb.start(), verb.end())
                scratch.consume(keyword.start(), end)
                return spec, notes
    for keyword in _KEYWORD.finditer(scratch.text):
        spec, end = _after_keyword(scratch.text, keyword.end(), as_of)
        if spec is not None:
            scratch.consume(keyword.start(), end)
            return spec, notes
        scratch.consume(keyword.start(), keyword.end())
        notes.append("I can compare with another period (e.g. 'vs last month'), not with a metric or a group")
    for pattern, comparison in _STANDALONE:
        match = pattern.search(scratch.text)
        if match is not None:
            scratch.consume(match.start(), match.end())
            return ComparisonSpec(comparison), notes
    return None, notes


def _after_keyword(text: str, pos: int, as_of: date) -> tuple[ComparisonSpec | None, int]:
    for pattern, spec in ((_YEAR_AGO, ComparisonSpec("previous_year")), (_PREVIOUS, ComparisonSpec("previous"))):
        match = pattern.match(text, pos)
        if match is not None:
            return spec, match.end()
    match = _NOTHING.match(text, pos)
    if match is not None:
        return ComparisonSpec("none"), match.end()
    found = period_at(text, pos, as_of)
    if found is not None:
        return ComparisonSpec("previous", found.period), found.end
    return None, pos
