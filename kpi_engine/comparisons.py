"""The periods of an answer, like for like (KPI_SPEC §1), and what it compares, in words.

One place decides, for a MetricQuery, the period it covers (a time phrase, or the default for its metric
kind and series), the comparison period, and the words for both: the CLI, Slack answers, the Trend and
Break down buttons, App Home, digests and alerts all get them through the runner.

- a whole calendar period (`last month`, `2026-Q1`): the previous calendar period of the same kind;
- a period to date (`today`, `this week|month|quarter|year`, the last 12 months of a trend): the same
  days at the start of the previous period of the same kind and length, clipped to that period ("the same
  days" counts days from the start: `this year` to 2024-07-15, 197 days of a leap year, compares with
  2023-01-01 .. 2023-07-16; `this month` on Feb 28 with Jan 1–28, not all of January);
- `last N units`: the N units just before; explicit ranges (`since`, `from … to …`): the days just before;
- a stock metric with no time phrase: the end of the same day one month earlier;
- `yoy`, `vs last year`: the same days one year earlier.

A period that reaches past the newest data (`data_to`) is compared like for like over the days with data
(`clip_to_data`): whatever the rule above chose, the comparison keeps its start and is cut to as many days as
the data covers of the period (`this month` as-of Dec 7 with data to Dec 2: Dec 1–2 against Nov 1–2; `last 7
days` Nov 30 – Dec 6: Nov 30 – Dec 2 against Nov 23–25, each day against the day 7 days before it). Flows and
ratios only: a stock is a state at an instant, and a table of changes (subscriptions) says nothing new when
nothing changed, so its comparison stays the same instant a period (or a month) before.
A flow over a period wholly after the data has no value yet (`MetricResult.no_data_yet`): nothing is clipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from kpi_engine.periods import Grain, Period, grain_start, grain_step
from kpi_engine.query import MetricQuery

# a series with no time phrase covers this many buckets of its grain, to date (the current one included)
SERIES_SPANS: dict[Grain, int] = {"day": 30, "week": 12, "month": 12, "quarter": 8, "year": 3}
DEFAULT_DAYS = 30
UNIT_WORDS: dict[Grain, str] = {"day": "day", "week": "week", "month": "month", "quarter": "quarter", "year": "year"}


@dataclass(frozen=True)
class Plan:
    """What one answer covers and what it is compared with."""

    period: Period
    previous: Period | None
    period_text: str  # "this month so far (Dec 1–2)" is finished by the runner; here "Dec 1–2"
    comparison_text: str | None  # "Dec 1–2 vs Nov 1–2", "Dec 1–2 vs Nov 1–2 (data to Dec 2)"
    named: str  # how the period was chosen: default | series_default | phrase
    covered: Period | None = None  # set when the comparison is clipped: the days of `period` with data


def series_period(grain: Grain, as_of: date) -> Period:
    """A named grain (or `trend`, by month) with no time phrase: the last N buckets to date."""
    n = SERIES_SPANS[grain]
    start = grain_start(as_of, grain) - grain_step(grain, n - 1)
    return Period(start, as_of, span=(grain, n), to_date=True)


def default_period(kind: str, as_of: date) -> Period:
    """No time phrase: a stock at the end of the as-of day, anything else over the last 30 days."""
    if kind == "stock":
        return Period(as_of, as_of, "day")
    return Period(as_of - timedelta(days=DEFAULT_DAYS), as_of - timedelta(days=1), span=("day", DEFAULT_DAYS))


def unit_span(period: Period) -> tuple[Grain, int] | None:
    """The units a period was named in: its span, or one of its calendar kind; None for explicit ranges."""
    if period.span is not None:
        return period.span
    return None if period.kind == "custom" else (period.kind, 1)


def like_for_like(period: Period) -> Period:
    """The comparison period of KPI_SPEC §1 for a period named by a phrase (see the module docstring)."""
    span = unit_span(period)
    if span is None or grain_start(period.start, span[0]) != period.start:
        return Period(period.start - timedelta(days=period.days), period.start - timedelta(days=1))
    grain, n = span
    before_start = period.start - grain_step(grain, n)
    if not _is_to_date(period):
        return Period(before_start, period.start - timedelta(days=1), period.kind, period.span)
    clipped_end = min(before_start + timedelta(days=period.days - 1), period.start - timedelta(days=1))
    return Period(before_start, clipped_end, period.kind, period.span, to_date=True)


def _is_to_date(period: Period) -> bool:
    """Named to date, or a calendar period cut short (the last bucket of a series, a period built by hand)."""
    return period.to_date or (period.kind != "custom" and not period.is_whole
                              and period.start == grain_start(period.start, period.kind))


def same_days_of(other: Period, period: Period) -> Period:
    """An explicit comparison (`this week vs last week`) of a period to date with a whole period of the same
    kind keeps to the same days at its start; any other explicit comparison is taken as named."""
    if not _is_to_date(period) or other.kind != period.kind or not other.is_whole:
        return other
    return Period(other.start, min(other.start + timedelta(days=period.days - 1), other.end), other.kind,
                  to_date=True)


def a_month_earlier(period: Period) -> Period:
    day = period.end - relativedelta(months=1)
    return Period(day, day, "day")


def plan_periods(query: MetricQuery, kind: str, data_last_day: date | None = None) -> Plan:
    """The period, comparison period and their words for a metric of `kind` ("stock", "flow", …); with the
    local day of the metric's newest data, the comparison clipped to the days with data (`clip_to_data`)."""
    stock = kind == "stock"
    if query.period is not None:
        period, named = query.period, "phrase"
    elif query.granularity is not None:
        period, named = series_period(query.granularity, query.as_of), "series_default"
    else:
        period, named = default_period(kind, query.as_of), "default"
    text = _header_words(period, named, query.as_of, stock)
    previous: Period | None
    if query.compare_to is not None:
        previous = same_days_of(query.compare_to, period)
    elif query.comparison == "none":
        previous = None
    elif query.comparison == "previous_year":
        previous = period.previous_year()
    elif named == "default" and stock:
        previous = a_month_earlier(period)
    else:
        previous = like_for_like(period)
    clipped = None if previous is None or data_last_day is None else \
        clip_to_data(period, previous, data_last_day, stock)
    if clipped is not None:
        covered, previous = clipped
        ref = query.as_of.year
        words = (f"{period_words(covered, ref, stock=stock)} vs {period_words(previous, ref, stock=stock)}"
                 f" (data to {day_words(covered.end, ref)})")
        return Plan(period, previous, text, words, named, covered)
    comparison = None if previous is None else comparison_words(query, period, previous, named, stock)
    return Plan(period, previous, text, comparison, named)


def clip_to_data(period: Period, previous: Period, last_day: date, stock: bool) -> tuple[Period, Period] | None:
    """(the days of `period` with data, the comparison cut to match) when `period` reaches past `last_day`, the
    local day of the newest data; None when there is nothing to clip (see the module docstring)."""
    if stock or period.end <= last_day:
        return None  # a stock is a state at an instant: its comparison stays that instant a period before
    if period.start <= last_day:
        covered = Period(period.start, last_day, period.kind, period.span, to_date=True)
        end = min(previous.start + timedelta(days=covered.days - 1), previous.end)
        return covered, Period(previous.start, end, previous.kind, previous.span, to_date=True)
    return None


def comparison_words(query: MetricQuery, period: Period, previous: Period, named: str, stock: bool) -> str:
    """`Dec 1–2 vs Nov 1–2`, `end of today vs a month ago`, `last 30 days (Nov 1 – Nov 30) vs the 30 days
    before`, `last 3 months (Sep 1 – Nov 30) vs the 3 months before`, `November vs November 2025`."""
    ref = query.as_of.year
    plain = query.compare_to is None and query.comparison == "previous"
    if plain and named == "default" and stock:
        return "end of today vs a month ago"
    last = _last_units(period, query.as_of)
    if plain and last is not None:
        return f"{last} vs the {last.split(' (')[0].removeprefix('last ')} before"
    return f"{period_words(period, ref, stock=stock)} vs {period_words(previous, ref, stock=stock)}"


def _last_units(period: Period, as_of: date) -> str | None:
    """`last 3 months (Sep 1 – Nov 30)` for N whole units ending just before the current one, else None."""
    if period.span is None:
        return None
    grain, n = period.span
    if period.end != grain_start(as_of, grain) - timedelta(days=1):
        return None
    units = f"{n} {UNIT_WORDS[grain]}s" if n > 1 else UNIT_WORDS[grain]
    return f"last {units} ({span_words(period.start, period.end, as_of.year)})"


def _header_words(period: Period, named: str, as_of: date, stock: bool) -> str:
    """The period as an answer's title says it (the runner adds "so far" to a partial one)."""
    ref = as_of.year
    if named == "default" and stock:
        return f"end of today ({day_words(period.end, ref)})"
    if named == "series_default" and period.span is not None:
        grain, n = period.span
        return f"last {n} {UNIT_WORDS[grain]}s to date ({span_words(period.start, period.end, ref)})"
    last = None if stock else _last_units(period, as_of)
    return last or period_words(period, ref, stock=stock)


Interval = tuple[float, float]


def change_interval(value: float | None, ci95: Interval | None, previous: float | None,
                    previous_ci95: Interval | None) -> Interval | None:
    """95% interval of a survey score's change between two independent samples: the difference ± the root of
    the sum of the squared half-widths (each from its own variance: for NPS p + d − (p − d)² per response)."""
    if value is None or previous is None or ci95 is None or previous_ci95 is None:
        return None
    half = math.hypot((ci95[1] - ci95[0]) / 2, (previous_ci95[1] - previous_ci95[0]) / 2)
    delta = value - previous
    return (delta - half, delta + half)


# -- words for days and periods ----------------------------------------------------------------------

def day_words(day: date, ref_year: int) -> str:
    """`Dec 2`, `Dec 2, 2025` outside the reference year."""
    text = f"{day.strftime('%b')} {day.day}"
    return text if day.year == ref_year else f"{text}, {day.year}"


def span_words(start: date, end: date, ref_year: int) -> str:
    """Both ends named in full: `Nov 1 – Nov 30`, `Jan 1, 2025 – Dec 2, 2026` across years."""
    if start.year != end.year:
        return range_words(start, end, ref_year)
    return f"{day_words(start, ref_year)} – {day_words(end, ref_year)}"


def range_words(start: date, end: date, ref_year: int) -> str:
    """`Dec 1–2`, `Nov 30 – Dec 2`, `Dec 30, 2025 – Jan 2, 2026`, `Dec 1–2, 2025`."""
    if start == end:
        return day_words(start, ref_year)
    if start.year != end.year:
        return f"{start.strftime('%b')} {start.day}, {start.year} – {end.strftime('%b')} {end.day}, {end.year}"
    year = "" if start.year == ref_year else f", {start.year}"
    if start.month == end.month:
        return f"{start.strftime('%b')} {start.day}–{end.day}{year}"
    return f"{start.strftime('%b')} {start.day} – {end.strftime('%b')} {end.day}{year}"


def calendar_words(period: Period, ref_year: int) -> str | None:
    """A whole calendar period by its name: `November`, `November 2025`, `Q3 2026`, `2025`, `week of Nov 23`."""
    if not period.is_whole:
        return None
    start = period.start
    if period.kind == "month":
        return start.strftime("%B") if start.year == ref_year else start.strftime("%B %Y")
    if period.kind == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if period.kind == "year":
        return str(start.year)
    if period.kind == "week":
        return f"week of {day_words(start, ref_year)}"
    return day_words(start, ref_year)


def period_words(period: Period, ref_year: int, *, stock: bool = False) -> str:
    """A period in words; a stock's value is the state at its end (`end of November`, `end of Dec 2`)."""
    named = calendar_words(period, ref_year)
    if stock:
        return f"end of {named if named and period.kind != 'day' else day_words(period.end, ref_year)}"
    return named or range_words(period.start, period.end, ref_year)
