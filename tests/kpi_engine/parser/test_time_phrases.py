"""`parse_period`: every time phrase of KPI_SPEC §1 and natural variants, against Wednesday 2026-06-17."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from kpi_engine.parser import parse_period
from kpi_engine.periods import Period
from tests.kpi_engine.parser.expected import (
    AS_OF,
    LAST_7_DAYS,
    LAST_30_DAYS,
    LAST_MONTH,
    LAST_QUARTER,
    LAST_WEEK,
    LAST_YEAR,
    MARCH_2026,
    THIS_MONTH,
    THIS_QUARTER,
    THIS_WEEK,
    THIS_YEAR,
    TODAY,
    YESTERDAY,
    P,
)

SPEC_PHRASES: list[tuple[str, Period]] = [
    ("today", TODAY),
    ("yesterday", YESTERDAY),
    ("this week", THIS_WEEK),
    ("this month", THIS_MONTH),
    ("this quarter", THIS_QUARTER),
    ("this year", THIS_YEAR),
    ("ytd", THIS_YEAR),
    ("last week", LAST_WEEK),
    ("last month", LAST_MONTH),
    ("last quarter", LAST_QUARTER),
    ("last year", LAST_YEAR),
    ("last 7 days", LAST_7_DAYS),
    ("last 30 days", LAST_30_DAYS),
    ("last 1 month", LAST_MONTH),
    ("last 1 day", YESTERDAY),
    ("last 2 weeks", P("2026-06-01", "2026-06-14")),
    ("last 3 months", P("2026-03-01", "2026-05-31")),
    ("last 2 quarters", P("2025-10-01", "2026-03-31")),
    ("last 2 years", P("2024-01-01", "2025-12-31")),
    ("2026-03", MARCH_2026),
    ("2026-Q1", LAST_QUARTER),
    ("2026", THIS_YEAR),
    ("2025", LAST_YEAR),
    ("2026-03-05", P("2026-03-05", "2026-03-05", "day")),
    ("from 2026-01-01 to 2026-03-31", P("2026-01-01", "2026-03-31")),
    ("since 2026-01-01", P("2026-01-01", "2026-06-17")),
    ("in March 2026", MARCH_2026),
    ("Q1 2026", LAST_QUARTER),
]

VARIANTS: list[tuple[str, Period]] = [
    ("in March", MARCH_2026),
    ("in June", THIS_MONTH),
    ("in July", P("2025-07-01", "2025-07-31", "month")),
    ("in may", LAST_MONTH),
    ("last June", P("2025-06-01", "2025-06-30", "month")),
    ("Q3", P("2025-07-01", "2025-09-30", "quarter")),
    ("Q2", THIS_QUARTER),
    ("since May", P("2026-05-01", "2026-06-17")),
    ("past 6 months", P("2025-12-01", "2026-05-31")),
    ("year to date", THIS_YEAR),
    ("over the last 2 weeks", P("2026-06-01", "2026-06-14")),
    ("this month so far", THIS_MONTH),
    ("so far this year", THIS_YEAR),
    ("month to date", THIS_MONTH),
    ("mtd", THIS_MONTH),
    ("qtd", THIS_QUARTER),
    ("the previous month", LAST_MONTH),
    ("last full month", LAST_MONTH),
    ("the past week", LAST_WEEK),
    ("in the last 30 days", LAST_30_DAYS),
    ("last thirty days", LAST_30_DAYS),
    ("last seven days", LAST_7_DAYS),
    ("l30d", LAST_30_DAYS),
    ("last 7d", LAST_7_DAYS),
    ("trailing 12 months", P("2025-06-01", "2026-05-31")),
    ("last couple of weeks", P("2026-06-01", "2026-06-14")),
    ("the day before yesterday", P("2026-06-15", "2026-06-15", "day")),
    ("2 weeks ago", P("2026-06-01", "2026-06-07", "week")),
    ("3 months ago", MARCH_2026),
    ("monday", P("2026-06-15", "2026-06-15", "day")),
    ("on friday", P("2026-06-12", "2026-06-12", "day")),
    ("since monday", P("2026-06-15", "2026-06-17")),
    ("March 5", P("2026-03-05", "2026-03-05", "day")),
    ("June 20", P("2025-06-20", "2025-06-20", "day")),
    ("5 March 2026", P("2026-03-05", "2026-03-05", "day")),
    ("mar 2026", MARCH_2026),
    ("2026/03/05", P("2026-03-05", "2026-03-05", "day")),
    ("q1-2026", LAST_QUARTER),
    ("2025q4", P("2025-10-01", "2025-12-31", "quarter")),
    ("first quarter of 2025", P("2025-01-01", "2025-03-31", "quarter")),
    ("H1", P("2026-01-01", "2026-06-17")),
    ("H2 2025", P("2025-07-01", "2025-12-31")),
    ("between March and May", P("2026-03-01", "2026-05-31")),
    ("from March to May", P("2026-03-01", "2026-05-31")),
    ("March - May 2026", P("2026-03-01", "2026-05-31")),
    ("2026-01 to 2026-03", P("2026-01-01", "2026-03-31")),
    ("from last month to now", P("2026-05-01", "2026-06-17")),
    ("since last week", P("2026-06-08", "2026-06-17")),
    ("from March onwards", P("2026-03-01", "2026-06-17")),
    ("from 2026-06-01 to 2026-12-31", P("2026-06-01", "2026-06-17")),
    ("for the period 2026-03", MARCH_2026),
    ("FY2025", LAST_YEAR),
]

NOT_PERIODS = ["", "mrr", "last month by plan", "since", "last 0 days", "2026-02-30", "next month", "may i", "q5", "42"]


@pytest.mark.parametrize(("phrase", "expected"), SPEC_PHRASES + VARIANTS, ids=[p for p, _ in SPEC_PHRASES + VARIANTS])
def test_phrase_resolves_to_period(phrase: str, expected: Period) -> None:
    assert parse_period(phrase, AS_OF) == expected


@pytest.mark.parametrize("phrase", NOT_PERIODS)
def test_other_text_is_not_a_period(phrase: str) -> None:
    assert parse_period(phrase, AS_OF) is None


def test_to_date_periods_keep_their_calendar_kind_so_previous_is_the_whole_previous_period() -> None:
    this_month = parse_period("this month", AS_OF)
    assert this_month is not None and this_month.previous() == LAST_MONTH
    this_week = parse_period("this week", AS_OF)
    assert this_week is not None and this_week.previous() == LAST_WEEK


def test_last_n_days_ends_the_day_before_the_as_of_day_whatever_the_weekday() -> None:
    for offset in range(7):
        as_of = AS_OF + timedelta(days=offset)
        assert parse_period("last 7 days", as_of) == Period(as_of - timedelta(days=7), as_of - timedelta(days=1))


NEW_YEARS_DAY = date(2026, 1, 1)  # a Thursday: the ISO week began in 2025


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("last month", P("2025-12-01", "2025-12-31", "month")),
        ("this year", P("2026-01-01", "2026-01-01", "year")),
        ("in January", P("2026-01-01", "2026-01-01", "month")),
        ("in December", P("2025-12-01", "2025-12-31", "month")),
        ("last quarter", P("2025-10-01", "2025-12-31", "quarter")),
        ("last 7 days", P("2025-12-25", "2025-12-31")),
        ("this week", P("2025-12-29", "2026-01-01", "week")),
        ("Q1", P("2026-01-01", "2026-01-01", "quarter")),
        ("yesterday", P("2025-12-31", "2025-12-31", "day")),
    ],
)
def test_phrases_across_the_turn_of_the_year(phrase: str, expected: Period) -> None:
    assert parse_period(phrase, NEW_YEARS_DAY) == expected
