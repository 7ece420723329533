"""Filters: `plan = pro`, `plan:pro`, `where plan is pro`, `for plan pro`, `on the pro plan`, `in DE`, `in Germany`,
and the values of the user's data typed alone (`mrr for <a plan>`), found through the vocabulary's index
(exactly, by synonym, prefix or a typo). An explicit value becomes the stored value it names (or stays as
typed when the data has no such value); countries become the stored code or name. A bare word that is a
value of several dimensions is left `ambiguous` for the metric to settle (core.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kpi_engine.parser.countries import COUNTRY_ALT, COUNTRY_NAMES, country_code
from kpi_engine.parser.dimensions import DIMENSION_ALT, DIMENSIONS
from kpi_engine.parser.text import PROTECTED, Scratch
from kpi_engine.parser.value_index import FoundValue, ValueIndex
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
_NEGATION = re.compile(
    r"(?<!\w)(?:excluding|exclude|except(?:\s+for)?|without|not|but\s+not|other\s+than|minus|ignoring|w/o)\s*"
    r"(?:the\s+|a\s+)?(?:for\s+|in\s+|from\s+|on\s+)?$"
)
_COUNTRY_ITEM = rf"(?:the\s+)?(?:{COUNTRY_ALT}|[a-z]{{2}})"
_COUNTRIES = re.compile(
    rf"(?<!\w)(?:in|from|for|within|across|among)\s+(?P<list>{_COUNTRY_ITEM}(?:\s*(?:,|and|or|&|/)\s*{_COUNTRY_ITEM})*)(?!\w)"
)
_ITEM = re.compile(rf"(?<!\w)(?:the\s+)?(?P<c>{COUNTRY_ALT}|[a-z]{{2}})(?!\w)")
_COMMON_CODES = frozenset(COUNTRY_NAMES.values())
EMPTY_INDEX = ValueIndex({})
_NOT_VALUES = STOP_WORDS | frozenset(DIMENSIONS) | words("each every all per by any different")


@dataclass(frozen=True)
class _Found:
    start: int
    dimension: str
    value: str


@dataclass
class Filters:
    filters: tuple[Filter, ...] = ()
    notes: list[str] = field(default_factory=list)
    ambiguous: list[FoundValue] = field(default_factory=list)  # bare values of several dimensions


def take_filters(scratch: Scratch, values: ValueIndex | None = None, *, known_words: bool = True) -> Filters:
    """Consumes filter phrases. `known_words=False` skips bare values (they may be funnel steps)."""
    values = values if values is not None else EMPTY_INDEX
    found: list[_Found] = []
    result = Filters()
    for pattern in _EXPLICIT:
        for match in pattern.finditer(scratch.text):
            if _negated(scratch, match, result.notes):
                continue
            typed = _explicit_values(scratch, match)
            if typed:
                dimension = DIMENSIONS[" ".join(match["d"].split())]
                found += [_Found(match.start(), dimension, _normalised(dimension, v, values, result.notes))
                          for v in typed]
                scratch.consume(match.start(), match.end())
    found += _countries(scratch, values, result.notes)
    for value in values.scan(scratch.text, scratch.original) if known_words else ():
        if _NEGATION.search(scratch.text, 0, value.start) is not None:
            _negated_value(scratch, value, result.notes)
            continue
        if len(value.dimensions) == 1:
            found.append(_Found(value.start, value.candidates[0].dimension, value.candidates[0].value))
        else:
            result.ambiguous.append(value)
        _note_loose(value, result.notes)
        scratch.consume(value.start, value.end)
    result.filters = merged(found)
    return result


def _note_loose(value: FoundValue, notes: list[str]) -> None:
    first = value.candidates[0]
    if first.match in ("prefix", "fuzzy") and len(value.dimensions) == 1:
        notes.append(f"I read '{value.typed}' as {first.dimension} {first.value}")


def _negated_value(scratch: Scratch, value: FoundValue, notes: list[str]) -> None:
    negation = _NEGATION.search(scratch.text, 0, value.start)
    start = negation.start() if negation is not None else value.start
    notes.append(f"I can only include values, not exclude them: ignored '{scratch.cased(start, value.end)}'")
    scratch.consume(start, value.end)


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


def _normalised(dimension: str, value: str, values: ValueIndex, notes: list[str]) -> str:
    if dimension == "country":
        return values.country(value) or country_code(value) or value
    stored = values.in_dimension(dimension, value)
    if stored is not None:
        return stored
    known = values.values.get(dimension)
    if known:
        shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        notes.append(f"No {dimension} '{value}' in the data ({dimension}s: {shown})")
    return value


def _countries(scratch: Scratch, values: ValueIndex, notes: list[str]) -> list[_Found]:
    found: list[_Found] = []
    for match in _COUNTRIES.finditer(scratch.text):
        if _negated(scratch, match, notes):
            continue
        end = match.start("list")
        codes: list[str] = []
        for item in _ITEM.finditer(scratch.text, match.start("list"), match.end("list")):
            code = _country(scratch, item, values)
            if code is None:
                break
            codes.append(code)
            end = item.end()
        if codes:
            found += [_Found(match.start(), "country", code) for code in codes]
            scratch.consume(match.start(), end)
    return found


def _country(scratch: Scratch, item: re.Match[str], values: ValueIndex) -> str | None:
    word = item["c"]
    if len(word) == 2 and word not in COUNTRY_NAMES:
        typed = scratch.cased(item.start("c"), item.end("c"))
        if not typed.isupper() or (typed not in _COMMON_CODES and values.country(typed) != typed):
            return None
        return values.country(typed) or typed
    name = " ".join(word.split())
    return values.country(name) if name in COUNTRY_NAMES else None


def merged(found: list[_Found]) -> tuple[Filter, ...]:
    by_dimension: dict[str, list[str]] = {}
    for item in sorted(found, key=lambda f: f.start):
        values = by_dimension.setdefault(item.dimension, [])
        if item.value not in values:
            values.append(item.value)
    return tuple(Filter(dimension=d, values=tuple(v)) for d, v in sorted(by_dimension.items()))
