"""Filters: `plan = pro`, `plan:pro`, `where plan is pro`, `for plan pro`, `on the pro plan`, `in DE`, `in Germany`,
and a few well-known values alone: segments (enterprise, smb, mid-market) and plans (pro; free/basic/starter/premium
after `for`/`on`). Explicit values keep the casing typed; known words become their lower-case value; countries
become ISO codes. Bare `enterprise` is the segment (say `enterprise plan` for the plan).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kpi_engine.parser.countries import COUNTRY_ALT, COUNTRY_NAMES, country_code
from kpi_engine.parser.dimensions import DIMENSION_ALT, DIMENSIONS
from kpi_engine.parser.text import PROTECTED, Scratch
from kpi_engine.parser.vocabulary import STOP_WORDS, words
from kpi_engine.query import Filter

_VALUE = r"\"[^\"]+\"|'[^']+'|[\w&+.-]*\w"
_NEXT_IS_DIMENSION = rf"(?!\s*(?:{DIMENSION_ALT})\b)"
_VALUE_OR_NAME = rf"{_VALUE}|{PROTECTED}+"  # `survey is nps`: the value may be a metric name
_VALUES = rf"(?:{_VALUE_OR_NAME})(?:\s*(?:,|/|\bor\b|\band\b{_NEXT_IS_DIMENSION})\s*(?:{_VALUE_OR_NAME}))*"
_SUFFIX_DIMS = "plan|tier|segment|channel|campaign|product|feature|survey|topic|priority|category"
_PREFIX = r"(?:for|with|on|in|from|among|of|at)\s+(?:the\s+|a\s+)?"
_EXPLICIT = (
    re.compile(
        rf"(?<!\w)(?:(?:where|with|and|when|if|for|filter(?:ed)?(?:\s+(?:by|on|to))?)\s+)?(?:the\s+)?"
        rf"(?P<d>{DIMENSION_ALT})\s*(?:==?|:|\bis\b|\bequals\b|\bin\b)\s*\(?\s*(?P<v>{_VALUES})\s*\)?"
    ),
    re.compile(rf"(?<!\w){_PREFIX}(?P<d>{DIMENSION_ALT})\s+(?P<v>{_VALUES})(?!\w)"),
    re.compile(rf"(?<!\w){_PREFIX}(?P<v>[\w&+.-]*\w)\s+(?P<d>{_SUFFIX_DIMS})s?(?!\w)"),
    re.compile(r"(?<!\w)(?P<v>[\w&+.-]*\w)\s+(?P<d>plan|tier|segment|priority)(?!\w)"),
)
_KNOWN_ANYWHERE = re.compile(r"(?<!\w)(?P<v>enterprise|smb|mid[\s-]?market|small\s+business(?:es)?|pro)(?!\w)")
_KNOWN_AFTER_PREFIX = re.compile(
    rf"(?:(?<!\w){_PREFIX}|(?:,|(?<!\w)or|(?<!\w)and)\s+)(?P<v>free|basic|starter|premium)(?!\w)"
)
_NEGATION = re.compile(
    r"(?<!\w)(?:excluding|exclude|except(?:\s+for)?|without|not|but\s+not|other\s+than|minus|ignoring|w/o)\s*"
    r"(?:the\s+|a\s+)?(?:for\s+|in\s+|from\s+|on\s+)?$"
)
_KNOWN_BEFORE_NOUN = re.compile(
    r"(?<!\w)(?P<v>free|basic|starter|premium)(?=\s+(?:customers|accounts|users|clients|subscribers|companies))"
)
KNOWN_VALUES: dict[str, tuple[str, str]] = {
    "enterprise": ("segment", "enterprise"), "smb": ("segment", "smb"),
    "mid market": ("segment", "mid-market"), "midmarket": ("segment", "mid-market"),
    "small business": ("segment", "smb"), "small businesses": ("segment", "smb"),
    "pro": ("plan", "pro"), "free": ("plan", "free"), "basic": ("plan", "basic"), "starter": ("plan", "starter"),
    "premium": ("plan", "premium"),
}  # fmt: skip
_COUNTRY_ITEM = rf"(?:the\s+)?(?:{COUNTRY_ALT}|[a-z]{{2}})"
_COUNTRIES = re.compile(
    rf"(?<!\w)(?:in|from|for|within|across|among)\s+(?P<list>{_COUNTRY_ITEM}(?:\s*(?:,|and|or|&|/)\s*{_COUNTRY_ITEM})*)(?!\w)"
)
_ITEM = re.compile(rf"(?<!\w)(?:the\s+)?(?P<c>{COUNTRY_ALT}|[a-z]{{2}})(?!\w)")
_COMMON_CODES = frozenset(COUNTRY_NAMES.values())
_NOT_VALUES = STOP_WORDS | frozenset(DIMENSIONS) | words("each every all per by any different")


@dataclass(frozen=True)
class _Found:
    start: int
    dimension: str
    value: str


def take_filters(scratch: Scratch, *, known_words: bool = True) -> tuple[tuple[Filter, ...], list[str]]:
    """Consumes filter phrases. `known_words=False` skips bare plan/segment words (they may be funnel steps)."""
    found: list[_Found] = []
    notes: list[str] = []
    for pattern in _EXPLICIT:
        for match in pattern.finditer(scratch.text):
            if _negated(scratch, match, notes):
                continue
            values = _explicit_values(scratch, match)
            if values:
                dimension = DIMENSIONS[" ".join(match["d"].split())]
                found += [_Found(match.start(), dimension, _normalised(dimension, v)) for v in values]
                scratch.consume(match.start(), match.end())
    found += _countries(scratch, notes)
    for pattern in (_KNOWN_AFTER_PREFIX, _KNOWN_BEFORE_NOUN, _KNOWN_ANYWHERE) if known_words else ():
        for match in pattern.finditer(scratch.text):
            if _negated(scratch, match, notes):
                continue
            word = re.sub(r"[\s-]+", " ", match["v"])
            dimension, value = KNOWN_VALUES[word]
            if word == "enterprise":
                notes.append("Read 'enterprise' as segment = enterprise (say 'enterprise plan' for the plan)")
            found.append(_Found(match.start(), dimension, value))
            scratch.consume(match.start(), match.end())
    return _merged(found), notes


def _negated(scratch: Scratch, match: re.Match[str], notes: list[str]) -> bool:
    """`excluding low priority`: filters only include, so say so rather than answer the opposite."""
    negation = _NEGATION.search(scratch.text, 0, match.start())
    if negation is None:
        return False
    ignored = scratch.cased(negation.start(), match.end())
    notes.append(f"I can only include values, not exclude them: ignored '{ignored}'")
    scratch.consume(negation.start(), match.end())
    return True


def _explicit_values(scratch: Scratch, match: re.Match[str]) -> list[str]:
    raw = scratch.cased(match.start("v"), match.end("v"))
    lists = match.re in (_EXPLICIT[0], _EXPLICIT[1])
    parts = re.split(r"\s*(?:,|/|\bor\b|\band\b)\s*", raw, flags=re.IGNORECASE) if lists else [raw]
    values = [p.strip().strip("\"'") for p in parts if p.strip().strip("\"'")]
    if any(v.lower() in _NOT_VALUES for v in values):
        return []
    return values


def _normalised(dimension: str, value: str) -> str:
    if dimension == "country":
        return country_code(value) or value
    known = KNOWN_VALUES.get(value.lower())
    return known[1] if known is not None and known[0] == dimension and value.islower() else value


def _countries(scratch: Scratch, notes: list[str]) -> list[_Found]:
    found: list[_Found] = []
    for match in _COUNTRIES.finditer(scratch.text):
        if _negated(scratch, match, notes):
            continue
        end = match.start("list")
        codes: list[str] = []
        for item in _ITEM.finditer(scratch.text, match.start("list"), match.end("list")):
            code = _country(scratch, item)
            if code is None:
                break
            codes.append(code)
            end = item.end()
        if codes:
            found += [_Found(match.start(), "country", code) for code in codes]
            scratch.consume(match.start(), end)
    return found


def _country(scratch: Scratch, item: re.Match[str]) -> str | None:
    word = item["c"]
    if len(word) == 2 and word not in COUNTRY_NAMES:
        typed = scratch.cased(item.start("c"), item.end("c"))
        return typed if typed.isupper() and typed in _COMMON_CODES else None
    return COUNTRY_NAMES.get(" ".join(word.split()))


def _merged(found: list[_Found]) -> tuple[Filter, ...]:
    by_dimension: dict[str, list[str]] = {}
    for item in sorted(found, key=lambda f: f.start):
        values = by_dimension.setdefault(item.dimension, [])
        if item.value not in values:
            values.append(item.value)
    return tuple(Filter(dimension=d, values=tuple(v)) for d, v in sorted(by_dimension.items()))
