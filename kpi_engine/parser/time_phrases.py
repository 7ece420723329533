"""Time phrases (KPI_SPEC §1 and natural variants) found anywhere in a question and resolved to periods."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from kpi_engine.parser import time_vocab as tv
from kpi_engine.periods import Grain, Period

Builder = Callable[[re.Match[str], date], Period | None]
_GRAIN_WORD = r"day|week|month|quarter|year|wk|mo|mth|qtr|yr"
NAMED_GROUP = re.compile(r"\(\?P<\w+>")


@dataclass(frozen=True)
class Recognizer:
    name: str
    source: str
    build: Builder
    # A phrase every match contains: a question without it skips the (large) pattern, uncompiled.
    trigger: str | None = None

    @property
    def pattern(self) -> re.Pattern[str]:
        """Compiled on first use, bounded by word boundaries."""
        return compiled(self.source)

    def may_match(self, text: str, pos: int = 0) -> bool:
        return self.trigger is None or re.compile(self.trigger).search(text, pos) is not None  # re's own cache


_CACHE: dict[str, re.Pattern[str]] = {}


def compiled(source: str) -> re.Pattern[str]:
    pattern = _CACHE.get(source)
    if pattern is None:
        pattern = _CACHE[source] = re.compile(rf"(?<!\w)(?:{source})(?!\w)")
    return pattern


def _unit(text: str) -> Grain:
    return tv.UNITS[text]


def _g(m: re.Match[str], *names: str) -> str | None:
    for name in names:
        value = m.groupdict().get(name)
        if value is not None:
            return value
    return None


def _year(m: re.Match[str], *names: str) -> int | None:
    value = _g(m, *names)
    return int(value) if value is not None else None


def _iso_day(m: re.Match[str], as_of: date) -> Period:
    day = date(int(m["y"]), int(m["m"]), int(m["d"]))
    return Period(day, day, "day")


def _iso_month(m: re.Match[str], as_of: date) -> Period:
    return tv.month_in_year(int(m["y"]), int(m["m"]), as_of)


def _quarter_year(m: re.Match[str], as_of: date) -> Period:
    return tv.quarter(int(m["y"]), int(m["q"]), as_of)


def _ordinal_quarter(m: re.Match[str], as_of: date) -> Period:
    number, year = tv.ORDINAL_QUARTERS[m["o"]], _year(m, "y")
    return tv.latest_quarter(number, as_of) if year is None else tv.quarter(year, number, as_of)


def _half(m: re.Match[str], as_of: date) -> Period:
    number, year = int(_g(m, "h", "h2") or 1), _year(m, "y", "y2")
    return tv.latest_half(number, as_of) if year is None else tv.half(year, number, as_of)


def _month_day(m: re.Match[str], as_of: date) -> Period:
    month, day, year = tv.month_number(m["mon"]), int(m["d"]), _year(m, "y")
    if year is None:
        return tv.latest_day(month, day, as_of)
    return Period(date(year, month, day), date(year, month, day), "day")


def _month_year(m: re.Match[str], as_of: date) -> Period:
    return tv.month_in_year(int(m["y"]), tv.month_number(m["mon"]), as_of)


def _year_alone(m: re.Match[str], as_of: date) -> Period:
    return tv.clip(Period.calendar(date(int(m["y"]), 1, 1), "year"), as_of)


def _previous_to_date(m: re.Match[str], as_of: date) -> Period:
    return tv.previous_complete(as_of, tv.UNITS[m["u"]])


def _to_date(m: re.Match[str], as_of: date) -> Period:
    abbreviation = m["a"]
    grain = tv.TO_DATE_ABBREVIATIONS[abbreviation] if abbreviation else _unit(_g(m, "u", "u2") or "day")
    return tv.to_date(as_of, grain)


def _ago(m: re.Match[str], as_of: date) -> Period | None:
    n = tv.count(m["n"])
    return None if n is None else tv.ago(as_of, n, _unit(m["u"]))


def _weekday(m: re.Match[str], as_of: date) -> Period:
    return tv.latest_weekday(tv.WEEKDAYS[m["wd"]], as_of, strictly_before=m["last"] is not None)


def _last_n(m: re.Match[str], as_of: date) -> Period | None:
    n = tv.count(m["n"])
    return None if n is None else tv.last_n(as_of, n, _unit(m["u"]))


def _day(offset: int) -> Builder:
    return lambda m, as_of: Period(as_of - timedelta(days=offset), as_of - timedelta(days=offset), "day")


SINGLES: tuple[Recognizer, ...] = (
    Recognizer("iso_day", rf"(?P<y>{tv.YEAR})[-/.](?P<m>\d\d?)[-/.](?P<d>\d\d?)", _iso_day),
    Recognizer("iso_month", rf"(?P<y>{tv.YEAR})[-/](?P<m>\d\d?)(?![-/.]\d)", _iso_month),
    Recognizer("year_quarter", rf"(?P<y>{tv.YEAR})\s*[-/]?\s*q(?P<q>[1-4])", _quarter_year),
    Recognizer("quarter_year", rf"q(?P<q>[1-4])(?:\s*[-/',]\s*|\s+of\s+|\s*)(?P<y>{tv.YEAR})", _quarter_year),
    Recognizer(
        "ordinal_quarter",
        rf"(?:the\s+)?(?P<o>first|second|third|fourth|1st|2nd|3rd|4th)\s+quarter(?:\s+(?:of\s+)?(?P<y>{tv.YEAR}))?",
        _ordinal_quarter,
    ),
    Recognizer("quarter_alone", r"q(?P<q>[1-4])", lambda m, as_of: tv.latest_quarter(int(m["q"]), as_of)),
    Recognizer(
        "half", rf"h(?P<h>[12])(?:\s*[-/]?\s*(?P<y>{tv.YEAR}))?|(?P<y2>{tv.YEAR})\s*[-/]?\s*h(?P<h2>[12])", _half
    ),
    Recognizer(
        "month_day",
        rf"(?P<mon>{tv.MONTH_ALT})\.?\s+(?P<d>\d\d?)(?:st|nd|rd|th)?(?:,?\s*(?P<y>{tv.YEAR}))?",
        _month_day,
    ),
    Recognizer(
        "day_month",
        rf"(?P<d>\d\d?)(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{tv.MONTH_ALT})\.?(?:,?\s*(?P<y>{tv.YEAR}))?",
        _month_day,
    ),
    Recognizer("month_year", rf"(?P<mon>{tv.MONTH_ALT})\.?,?\s*(?:of\s+)?(?P<y>{tv.YEAR})", _month_year),
    Recognizer(
        "last_month_name",
        rf"(?:last|previous|past)\s+(?P<mon>{tv.MONTH_ALT})",
        lambda m, as_of: tv.latest_month(tv.month_number(m["mon"]), as_of, complete=True),
    ),
    Recognizer(
        "month_alone", rf"(?P<mon>{tv.MONTH_ALT})", lambda m, as_of: tv.latest_month(tv.month_number(m["mon"]), as_of)
    ),
    Recognizer("year_alone", rf"(?:(?:fy|cy)\s*)?(?P<y>{tv.YEAR})", _year_alone),
    Recognizer("day_before_yesterday", r"(?:the\s+)?day\s+before\s+yesterday", _day(2)),
    Recognizer("yesterday", r"yesterday", _day(1)),
    Recognizer("today", r"(?:so\s+far\s+)?today(?:\s+so\s+far)?", _day(0)),
    Recognizer(
        "to_date",
        rf"(?:so\s+far\s+)?(?:this|current|the\s+current)\s+(?P<u>{_GRAIN_WORD})(?:\s+(?:so\s+far|to\s+date))?"
        rf"|(?P<u2>day|week|month|quarter|year)[\s-]+to[\s-]+date|(?P<a>wtd|mtd|qtd|ytd)",
        _to_date,
    ),
    Recognizer(
        "previous_unit",
        rf"(?:the\s+)?(?:this\s+)?(?:last|past|previous|prior|preceding)\s+(?:full\s+|complete\s+|whole\s+|calendar\s+)?"
        rf"(?P<u>{_GRAIN_WORD})",
        _previous_to_date,
    ),
    Recognizer("ago", rf"(?P<n>{tv.NUM_ALT})\s+(?P<u>{tv.UNIT_ALT})\s+ago", _ago),
    Recognizer("weekday", rf"(?:(?P<last>last|previous|past)\s+|on\s+)?(?P<wd>{tv.WEEKDAY_ALT})", _weekday),
)
EXPLICIT_NAMES = frozenset(
    {"iso_day", "iso_month", "year_quarter", "quarter_year", "quarter_alone", "month_day", "day_month", "month_year",
     "month_alone", "year_alone", "half"}
)  # fmt: skip
