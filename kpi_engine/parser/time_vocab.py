"""Words of time phrases: months, weekdays, number words, units, and the date arithmetic they need."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from kpi_engine.periods import Grain, Period, grain_start, grain_step

MONTHS: dict[str, int] = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
WEEKDAYS: dict[str, int] = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40,
    "fifty": 50, "sixty": 60, "ninety": 90, "couple of": 2, "couple": 2, "few": 3,
}  # fmt: skip
UNITS: dict[str, Grain] = {
    "days": "day", "day": "day", "d": "day",
    "weeks": "week", "week": "week", "wks": "week", "wk": "week", "w": "week",
    "months": "month", "month": "month", "mths": "month", "mth": "month", "mos": "month", "mo": "month",
    "quarters": "quarter", "quarter": "quarter", "qtrs": "quarter", "qtr": "quarter",
    "years": "year", "year": "year", "yrs": "year", "yr": "year",
}  # fmt: skip
TO_DATE_ABBREVIATIONS: dict[str, Grain] = {"wtd": "week", "mtd": "month", "qtd": "quarter", "ytd": "year"}
ORDINAL_QUARTERS: dict[str, int] = {
    "first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4,
}  # fmt: skip
MAX_COUNT = 5000  # "last N days" beyond this is noise, not a period


def alternation(words: object) -> str:
    """Regex alternation of words, longest first so that `sept` wins over `sep`."""
    return "|".join(sorted((str(w).replace(" ", r"\s+") for w in words), key=len, reverse=True))  # type: ignore[attr-defined]


MONTH_ALT = alternation(MONTHS)
WEEKDAY_ALT = alternation(WEEKDAYS)
NUM_ALT = r"\d{1,4}|" + alternation(NUMBER_WORDS)
UNIT_ALT = alternation(UNITS)
GRAIN_ALT = "day|week|month|quarter|year"
YEAR = r"(?:19|20)\d\d"


def count(text: str) -> int | None:
    text = " ".join(text.split())
    value = int(text) if text.isdigit() else NUMBER_WORDS.get(text)
    return value if value is not None and 0 < value <= MAX_COUNT else None


def month_number(text: str) -> int:
    return MONTHS[text.rstrip(".")]


def clip(period: Period, as_of: date) -> Period:
    """A period running past the as-of day ends on it (the rest is not known yet)."""
    if period.start <= as_of < period.end:
        return Period(period.start, as_of, period.kind, period.span, to_date=True)
    return period


def to_date(as_of: date, grain: Grain) -> Period:
    return Period(grain_start(as_of, grain), as_of, grain, to_date=True)


def previous_complete(as_of: date, grain: Grain) -> Period:
    return Period.calendar(grain_start(as_of, grain) - timedelta(days=1), grain)


def last_n(as_of: date, n: int, grain: Grain) -> Period:
    """The N complete calendar periods before the current one (`last 7 days` = D-7 .. D-1)."""
    if n == 1:
        return previous_complete(as_of, grain)
    end = grain_start(as_of, grain) - timedelta(days=1)
    return Period(grain_start(as_of, grain) - grain_step(grain, n), end, span=(grain, n))


def recent_to_date(as_of: date, n: int, grain: Grain) -> Period:
    """N calendar periods ending with the current one, to date (used for series of stock metrics)."""
    return Period(grain_start(as_of, grain) - grain_step(grain, n - 1), as_of, span=(grain, n), to_date=True)


def ago(as_of: date, n: int, grain: Grain) -> Period:
    return Period.calendar(as_of - grain_step(grain, n), grain)


def month_in_year(year: int, month: int, as_of: date) -> Period:
    return clip(Period.calendar(date(year, month, 1), "month"), as_of)


def latest_month(month: int, as_of: date, *, complete: bool = False) -> Period:
    """The most recent `month` that starts on or before the as-of day (or that is over, with complete)."""
    year = as_of.year if month < as_of.month or (month == as_of.month and not complete) else as_of.year - 1
    return month_in_year(year, month, as_of)


def quarter(year: int, number: int, as_of: date) -> Period:
    return clip(Period.calendar(date(year, 3 * number - 2, 1), "quarter"), as_of)


def latest_quarter(number: int, as_of: date) -> Period:
    year = as_of.year if date(as_of.year, 3 * number - 2, 1) <= as_of else as_of.year - 1
    return quarter(year, number, as_of)


def half(year: int, number: int, as_of: date) -> Period:
    start = date(year, 1 if number == 1 else 7, 1)
    return clip(Period(start, start + relativedelta(months=6) - timedelta(days=1), span=("month", 6)), as_of)


def latest_half(number: int, as_of: date) -> Period:
    year = as_of.year if date(as_of.year, 1 if number == 1 else 7, 1) <= as_of else as_of.year - 1
    return half(year, number, as_of)


def latest_day(month: int, day: int, as_of: date) -> Period:
    candidate = date(as_of.year, month, day) if _valid(as_of.year, month, day) else None
    if candidate is None or candidate > as_of:
        candidate = date(as_of.year - 1, month, day)
    return Period(candidate, candidate, "day")


def latest_weekday(weekday: int, as_of: date, *, strictly_before: bool = False) -> Period:
    back = (as_of.weekday() - weekday) % 7
    if back == 0 and strictly_before:
        back = 7
    day = as_of - timedelta(days=back)
    return Period(day, day, "day")


def _valid(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True
