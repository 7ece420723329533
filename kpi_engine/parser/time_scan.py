"""Finding time phrases in a question: single periods, ranges (`from X to Y`, `since X`) and `last N units`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from kpi_engine.parser import time_vocab as tv
from kpi_engine.parser.text import Scratch
from kpi_engine.parser.time_phrases import EXPLICIT_NAMES, NAMED_GROUP, SINGLES, Recognizer
from kpi_engine.parser.vocabulary import words
from kpi_engine.periods import Period

_SINGLE_ALT = "|".join(NAMED_GROUP.sub("(?:", r.source) for r in SINGLES)
_EXPLICIT_ALT = "|".join(NAMED_GROUP.sub("(?:", r.source) for r in SINGLES if r.name in EXPLICIT_NAMES)
_NOW = r"now|date|present|the\s+present|today"
_MAY_CONTEXT = re.compile(
    r"^\s*$|(?:in|since|from|to|until|till|through|during|of|for|last|this|between|and|early|late|mid|end|whole|all)\s*$"
)
_MAY_NOT_MONTH = re.compile(r"\s+(?:i|we|you|it|they|be|have)\b")
_FILLERS = words("in on at for of during over within the a from period time range between and to so far please")


def resolve_single(text: str, as_of: date) -> Period | None:
    text = " ".join(text.split())
    if re.fullmatch(_NOW, text):
        return Period(as_of, as_of, "day")
    for recognizer in SINGLES:
        match = recognizer.pattern.fullmatch(text)
        if match is not None:
            return _safe(recognizer, match, as_of)
    return None


def _range(m: re.Match[str], as_of: date) -> Period | None:
    first, last = resolve_single(m["a"], as_of), resolve_single(m["b"], as_of)
    if first is None or last is None or last.end < first.start:
        return None
    return tv.clip(Period(first.start, last.end), as_of)


def _since(m: re.Match[str], as_of: date) -> Period | None:
    first = resolve_single(m["a"], as_of)
    if first is None or first.start > as_of:
        return None
    return Period(first.start, as_of)


def _last_n(m: re.Match[str], as_of: date) -> Period | None:
    n = tv.count(m["n"])
    return None if n is None else tv.last_n(as_of, n, tv.UNITS[m["u"]])


COMPOSITES: tuple[Recognizer, ...] = (
    Recognizer(
        "range",
        rf"(?:from|between)\s+(?P<a>{_SINGLE_ALT})\s*(?:to|until|till|through|thru|and|-|up\s+to)\s*"
        rf"(?P<b>{_SINGLE_ALT}|{_NOW})",
        _range,
        trigger=r"from|between",
    ),
    Recognizer(
        "bare_range",
        rf"(?P<a>{_EXPLICIT_ALT})\s+(?:to|until|till|through|thru|-)\s+(?P<b>{_EXPLICIT_ALT}|{_NOW})",
        _range,
        trigger=r"\s(?:to|until|till|through|thru|-)\s",
    ),
    Recognizer(
        "since",
        rf"(?:ever\s+)?(?:since|starting(?:\s+(?:from|in|on|with))?|beginning(?:\s+(?:in|on|with))?|as\s+from)\s+"
        rf"(?:the\s+start\s+of\s+)?(?P<a>{_SINGLE_ALT})",
        _since,
        trigger=r"since|starting|beginning|as\s+from",
    ),
    Recognizer(
        "onwards",
        rf"(?:from\s+)?(?P<a>{_SINGLE_ALT})\s+(?:onwards?|on\s+wards|until\s+now|to\s+date)",
        _since,
        trigger=r"onwards?|on\s+wards|until\s+now|to\s+date",
    ),
    Recognizer(
        "last_n",
        rf"(?:the\s+)?(?:last|past|previous|prior|trailing|recent|most\s+recent)\s+(?P<n>{tv.NUM_ALT})\s*"
        rf"(?:full\s+|complete\s+|whole\s+|calendar\s+)?(?P<u>{tv.UNIT_ALT})",
        _last_n,
    ),
    Recognizer("compact", r"(?:l|last)(?P<n>\d{1,3})(?P<u>d|w)", _last_n),
)
ALL: tuple[Recognizer, ...] = COMPOSITES + SINGLES


@dataclass(frozen=True)
class FoundPeriod:
    start: int
    end: int
    period: Period


def _safe(recognizer: Recognizer, match: re.Match[str], as_of: date) -> Period | None:
    try:
        return recognizer.build(match, as_of)
    except (ValueError, OverflowError, KeyError):
        return None


def _month_in_context(text: str, match: re.Match[str]) -> bool:
    """Bare `may` is a month only after a preposition-like word (`in may`, `since may`)."""
    if match.groupdict().get("mon") != "may":
        return True
    if _MAY_NOT_MONTH.match(text, match.end()):
        return False
    return bool(_MAY_CONTEXT.search(text, 0, match.start()))


def find_periods(text: str, as_of: date) -> list[FoundPeriod]:
    """Every time phrase in `text`, non-overlapping, the longest winning where phrases overlap, in text order."""
    candidates: list[FoundPeriod] = []
    for recognizer in ALL:
        if not recognizer.may_match(text):
            continue
        for match in recognizer.pattern.finditer(text):
            if recognizer.name == "month_alone" and not _month_in_context(text, match):
                continue
            period = _safe(recognizer, match, as_of)
            if period is not None:
                candidates.append(FoundPeriod(match.start(), match.end(), period))
    chosen: list[FoundPeriod] = []
    for found in sorted(candidates, key=lambda f: (f.start - f.end, f.start)):
        if all(found.end <= other.start or found.start >= other.end for other in chosen):
            chosen.append(found)
    return sorted(chosen, key=lambda f: f.start)


def period_at(text: str, pos: int, as_of: date) -> FoundPeriod | None:
    """The longest time phrase starting exactly at `pos` (after a comparison word)."""
    best: FoundPeriod | None = None
    for recognizer in ALL:
        if not recognizer.may_match(text, pos):
            continue
        match = recognizer.pattern.match(text, pos)
        if match is None or (best is not None and match.end() <= best.end):
            continue
        period = _safe(recognizer, match, as_of)
        if period is not None:
            best = FoundPeriod(match.start(), match.end(), period)
    return best


def take_period(scratch: Scratch, as_of: date) -> tuple[Period | None, list[Period]]:
    """Consumes every time phrase; returns the first one and any others (ignored, worth a note)."""
    found = find_periods(scratch.text, as_of)
    for item in found:
        scratch.consume(item.start, item.end)
    periods = [item.period for item in found]
    return (periods[0] if periods else None), periods[1:]


def only_fillers(text: str) -> bool:
    return all(word in _FILLERS for word in re.findall(r"[a-z0-9']+", text))
