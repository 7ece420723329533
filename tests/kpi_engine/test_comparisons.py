"""KPI_SPEC §1 comparison rules, question by question: (question, as-of) → period, comparison period, words.

As-of days: 2026-11-30 is a Monday, 2026-11-29 a Sunday, 2026-12-01 the 1st, 2026-12-31 the 31st. Every
expected period is worked out by hand from the rule named in the row's comment.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kpi_engine.catalog import load_catalog
from kpi_engine.comparisons import like_for_like, plan_periods, series_period
from kpi_engine.compute.windows import make_windows
from kpi_engine.parser import parse_question
from kpi_engine.parser.time_vocab import last_n, recent_to_date, to_date
from kpi_engine.periods import GRAINS, Grain, Period, grain_step
from kpi_engine.query import MetricQuery

CATALOG = load_catalog()
MON, SUN, FIRST, LAST = date(2026, 11, 30), date(2026, 11, 29), date(2026, 12, 1), date(2026, 12, 31)
D = date


def plan_for(question: str, as_of: date) -> tuple[MetricQuery, object]:
    parsed = parse_question(question, as_of=as_of, catalog=CATALOG)
    assert parsed.intent == "query" and isinstance(parsed.query, MetricQuery), parsed
    kind = CATALOG.get(parsed.query.metric).kind
    return parsed.query, plan_periods(parsed.query, kind)


ROWS = [
    # a period to date: the same days at the start of the previous period of the same kind
    ("revenue this month", FIRST, (D(2026, 12, 1), D(2026, 12, 1)), (D(2026, 11, 1), D(2026, 11, 1)), True,
     "Dec 1 vs Nov 1"),
    ("revenue this month", D(2026, 12, 2), (D(2026, 12, 1), D(2026, 12, 2)), (D(2026, 11, 1), D(2026, 11, 2)),
     True, "Dec 1–2 vs Nov 1–2"),
    ("revenue this month", D(2026, 3, 30), (D(2026, 3, 1), D(2026, 3, 30)), (D(2026, 2, 1), D(2026, 2, 28)), True,
     "Mar 1–30 vs Feb 1–28"),  # 30 days clipped to February's 28
    ("revenue this month", LAST, (D(2026, 12, 1), D(2026, 12, 31)), (D(2026, 11, 1), D(2026, 11, 30)), True,
     "Dec 1–31 vs Nov 1–30"),  # on the 31st the month to date is the whole month: 31 days clipped to 30
    ("revenue this month", D(2026, 2, 28), (D(2026, 2, 1), D(2026, 2, 28)), (D(2026, 1, 1), D(2026, 1, 28)), True,
     "Feb 1–28 vs Jan 1–28"),  # to date, even on the last day: the same 28 days, not all of January
    ("signups this week", MON, (MON, MON), (D(2026, 11, 23), D(2026, 11, 23)), True, "Nov 30 vs Nov 23"),
    ("signups this week", SUN, (D(2026, 11, 23), SUN), (D(2026, 11, 16), D(2026, 11, 22)), True,
     "Nov 23–29 vs Nov 16–22"),
    ("signups this week vs last week", FIRST, (MON, FIRST), (D(2026, 11, 23), D(2026, 11, 24)), True,
     "Nov 30 – Dec 1 vs Nov 23–24"),  # an explicit whole week, kept to the same days
    ("revenue this quarter", D(2026, 5, 15), (D(2026, 4, 1), D(2026, 5, 15)), (D(2026, 1, 1), D(2026, 2, 14)),
     True, "Apr 1 – May 15 vs Jan 1 – Feb 14"),  # 45 days each
    ("revenue this year", D(2026, 7, 15), (D(2026, 1, 1), D(2026, 7, 15)), (D(2025, 1, 1), D(2025, 7, 15)), True,
     "Jan 1 – Jul 15 vs Jan 1 – Jul 15, 2025"),  # KPI_SPEC's own example
    ("revenue today", SUN, (SUN, SUN), (D(2026, 11, 28), D(2026, 11, 28)), True, "Nov 29 vs Nov 28"),
    # a whole calendar period: the previous one of the same kind
    ("revenue yesterday", MON, (SUN, SUN), (D(2026, 11, 28), D(2026, 11, 28)), False, "Nov 29 vs Nov 28"),
    ("revenue last month", LAST, (D(2026, 11, 1), D(2026, 11, 30)), (D(2026, 10, 1), D(2026, 10, 31)), False,
     "November vs October"),
    ("revenue in 2026-Q1", FIRST, (D(2026, 1, 1), D(2026, 3, 31)), (D(2025, 10, 1), D(2025, 12, 31)), False,
     "Q1 2026 vs Q4 2025"),
    # last N units: the N units just before
    ("revenue last 7 days", MON, (D(2026, 11, 23), SUN), (D(2026, 11, 16), D(2026, 11, 22)), False,
     "last 7 days (Nov 23 – Nov 29) vs the 7 days before"),
    ("revenue last 3 months", FIRST, (D(2026, 9, 1), D(2026, 11, 30)), (D(2026, 6, 1), D(2026, 8, 31)), False,
     "last 3 months (Sep 1 – Nov 30) vs the 3 months before"),
    # no time phrase: flows over the last 30 days against the 30 days before
    ("revenue", FIRST, (D(2026, 11, 1), D(2026, 11, 30)), (D(2026, 10, 2), D(2026, 10, 31)), False,
     "last 30 days (Nov 1 – Nov 30) vs the 30 days before"),
    # a stock with no time phrase: the end of the same day one month earlier
    ("mrr", D(2026, 7, 15), (D(2026, 7, 15), D(2026, 7, 15)), (D(2026, 6, 15), D(2026, 6, 15)), True,
     "end of today vs a month ago"),
    ("mrr", D(2026, 3, 31), (D(2026, 3, 31), D(2026, 3, 31)), (D(2026, 2, 28), D(2026, 2, 28)), True,
     "end of today vs a month ago"),
    ("mrr last month", FIRST, (D(2026, 11, 1), D(2026, 11, 30)), (D(2026, 10, 1), D(2026, 10, 31)), False,
     "end of November vs end of October"),
    # explicit ranges: the days just before
    ("revenue from 2026-01-01 to 2026-03-31", FIRST, (D(2026, 1, 1), D(2026, 3, 31)),
     (D(2025, 10, 3), D(2025, 12, 31)), False, "Jan 1 – Mar 31 vs Oct 3 – Dec 31, 2025"),  # 90 days
    ("revenue since 2026-11-01", FIRST, (D(2026, 11, 1), FIRST), (D(2026, 10, 1), D(2026, 10, 31)), True,
     "Nov 1 – Dec 1 vs Oct 1–31"),
    # yoy, vs last year: the same days one year earlier
    ("revenue this month yoy", D(2026, 12, 2), (D(2026, 12, 1), D(2026, 12, 2)), (D(2025, 12, 1), D(2025, 12, 2)),
     True, "Dec 1–2 vs Dec 1–2, 2025"),
    ("revenue last month vs last year", D(2026, 12, 2), (D(2026, 11, 1), D(2026, 11, 30)),
     (D(2025, 11, 1), D(2025, 11, 30)), False, "November vs November 2025"),
    # series with no time phrase: trend = 12 months to date by month; named grains
    ("revenue trend", D(2026, 7, 15), (D(2025, 8, 1), D(2026, 7, 15)), (D(2024, 8, 1), D(2025, 7, 15)), True,
     "Aug 1, 2025 – Jul 15, 2026 vs Aug 1, 2024 – Jul 15, 2025"),
    ("signups by day", SUN, (D(2026, 10, 31), SUN), (D(2026, 10, 1), D(2026, 10, 30)), True,
     "Oct 31 – Nov 29 vs Oct 1–30"),
    ("signups by week", MON, (D(2026, 9, 14), MON), (D(2026, 6, 22), D(2026, 9, 7)), True,
     "Sep 14 – Nov 30 vs Jun 22 – Sep 7"),  # 12 weeks to date (78 days) against the 12 weeks before
    ("mrr by month", LAST, (D(2026, 1, 1), LAST), (D(2025, 1, 1), D(2025, 12, 31)), True,
     "end of Dec 31 vs end of Dec 31, 2025"),
    ("mrr by quarter", FIRST, (D(2025, 1, 1), FIRST), (D(2023, 1, 1), D(2024, 11, 30)), True,
     "end of Dec 1 vs end of Nov 30, 2024"),  # 8 quarters to date; the same 700 days 8 quarters earlier
]


@pytest.mark.parametrize(("question", "as_of", "period", "previous", "holds_as_of", "words"), ROWS,
                         ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_comparison_period_and_words(question: str, as_of: date, period: tuple[date, date],
                                     previous: tuple[date, date], holds_as_of: bool, words: str) -> None:
    _, plan = plan_for(question, as_of)
    assert (plan.period.start, plan.period.end) == period  # type: ignore[attr-defined]
    assert plan.previous is not None and (plan.previous.start, plan.previous.end) == previous  # type: ignore[attr-defined]
    assert plan.period.holds(as_of) is holds_as_of  # type: ignore[attr-defined]
    assert plan.comparison_text == words  # type: ignore[attr-defined]


@pytest.mark.parametrize(("question", "as_of", "granularity"), [
    ("revenue trend", D(2026, 7, 15), "month"), ("nps trend", FIRST, "month"), ("signups by day", SUN, "day"),
    ("signups by week", MON, "week"), ("mrr by quarter", FIRST, "quarter"), ("nps trend last month", FIRST, "day"),
])
def test_series_with_no_time_phrase(question: str, as_of: date, granularity: str) -> None:
    query, _ = plan_for(question, as_of)
    assert query.granularity == granularity


def test_period_words_in_titles() -> None:
    assert plan_for("revenue", FIRST)[1].period_text == "last 30 days (Nov 1 – Nov 30)"  # type: ignore[attr-defined]
    assert plan_for("mrr", FIRST)[1].period_text == "end of today (Dec 1)"  # type: ignore[attr-defined]
    assert plan_for("nps trend", FIRST)[1].period_text == (  # type: ignore[attr-defined]
        "last 12 months to date (Jan 1 – Dec 1)")
    assert plan_for("revenue last 3 months", FIRST)[1].period_text == (  # type: ignore[attr-defined]
        "last 3 months (Sep 1 – Nov 30)")
    assert plan_for("revenue this month", D(2026, 12, 2))[1].period_text == "Dec 1–2"  # type: ignore[attr-defined]
    assert plan_for("revenue last month", D(2027, 1, 3))[1].period_text == "December 2026"  # type: ignore[attr-defined]


@pytest.mark.parametrize("tz_name", ["Europe/Berlin", "America/New_York"])
def test_like_for_like_across_a_dst_change_keeps_whole_local_days(tz_name: str) -> None:
    """Tue 2026-03-31 (Berlin) / Tue 2026-03-10 (New York): this week against the same two days of the week
    before, which holds the change of the clocks; the windows are local midnights in UTC."""
    tz = ZoneInfo(tz_name)
    as_of = D(2026, 3, 31) if tz_name == "Europe/Berlin" else D(2026, 3, 10)
    _, plan = plan_for("signups this week", as_of)
    monday = as_of - timedelta(days=1)
    assert (plan.period.start, plan.previous.start, plan.previous.end) == (  # type: ignore[attr-defined]
        monday, monday - timedelta(days=7), as_of - timedelta(days=7))
    now, before = make_windows([plan.period, plan.previous], tz)  # type: ignore[attr-defined]
    standard, summer = (timedelta(hours=1), timedelta(hours=2)) if tz_name == "Europe/Berlin" else (
        timedelta(hours=-5), timedelta(hours=-4))
    local = lambda day: datetime.combine(day, datetime.min.time())  # noqa: E731
    assert (now.s, now.e) == (local(monday) - summer, local(as_of + timedelta(days=1)) - summer)
    assert (before.s, before.e) == (local(monday - timedelta(days=7)) - standard,
                                    local(as_of - timedelta(days=6)) - standard)
    assert before.e - before.s == timedelta(hours=48) and now.e - now.s == timedelta(hours=48)


def _whole_previous(period: Period, grain: Grain, n: int) -> Period:
    start = period.start - grain_step(grain, n)
    return Period(start, period.start - timedelta(days=1))


@given(as_of=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), grain=st.sampled_from(GRAINS),
       n=st.integers(min_value=1, max_value=12))
def test_to_date_comparison_has_the_same_days_clipped_and_ends_before(as_of: date, grain: Grain, n: int) -> None:
    """For every period to date (`this <grain>` and the last n buckets of a series, to date) the comparison
    starts where the previous period of the same kind starts, has the same number of days clipped to that
    period's length, and ends before the period starts."""
    for period in (to_date(as_of, grain), recent_to_date(as_of, n, grain), series_period(grain, as_of)):
        span = period.span or (grain, 1)
        whole_before = _whole_previous(period, *span)
        previous = like_for_like(period)
        assert previous.start == whole_before.start
        assert previous.days == min(period.days, whole_before.days)
        assert previous.end < period.start


@given(as_of=st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31)), grain=st.sampled_from(GRAINS),
       n=st.integers(min_value=1, max_value=24))
def test_last_n_units_compare_with_the_n_units_just_before(as_of: date, grain: Grain, n: int) -> None:
    period = last_n(as_of, n, grain)
    previous = like_for_like(period)
    assert previous.end == period.start - timedelta(days=1)
    assert previous.start == period.start - grain_step(grain, n)
