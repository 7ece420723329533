"""KPI_SPEC §1 through whole answers on a hand-made database (SQLite and PostgreSQL): partial periods and
buckets, "so far", no percentage against 0, "no data before", freshness notes, survey-score intervals and
"too few answers", and local days across the end of summer time in Berlin. The data: tests/kpi_engine/answers/shop.py.
"""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import Engine

from kpi_engine.answers.ask import answer_question
from kpi_engine.answers.format import change_line
from kpi_engine.results import MetricResult
from tests.conftest import make_settings
from tests.kpi_engine.answers.shop import fill_shop
from tests.kpi_engine.test_comparisons import ROWS


@pytest.fixture
def shop(engine: Engine) -> Engine:
    fill_shop(engine)
    return engine


def ask(engine: Engine, db_url: str, question: str, as_of: date, tz: str = "UTC") -> MetricResult:
    answer = answer_question(question, engine=engine, settings=make_settings(db_url, kpi_timezone=tz), as_of=as_of)
    assert isinstance(answer.result, MetricResult), answer.error
    return answer.result


def test_month_to_date_is_partial_like_for_like_and_says_how_fresh(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue this month", date(2026, 12, 2))
    assert (result.value, result.previous_value) == (90.0, 150.0)
    assert result.partial is True and result.comparison_text == "Dec 1–2 vs Nov 1–2"
    assert change_line(result) == "40.0% lower so far (-$60) vs $150"  # partial: never called worse
    assert result.data_to == datetime(2026, 12, 2, 14, 2)
    assert result.notes == ["data up to Dec 2, 14:02"]
    out = result.to_json()
    assert (out["partial"], out["data_to"]) == (True, "2026-12-02T14:02:00")
    assert out["comparison_text"] == "Dec 1–2 vs Nov 1–2"


def test_freshness_in_the_reporting_zone(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue this month", date(2026, 12, 2), "Europe/Berlin")
    assert result.notes == ["data up to Dec 2, 15:02"]


def test_a_whole_month_before_the_as_of_day_is_complete(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue last month", date(2026, 12, 2))
    assert (result.partial, result.notes) == (False, [])
    assert result.comparison_text == "November vs October"


def test_comparison_before_the_first_row_says_no_data_before(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue", date(2026, 12, 1))  # Nov 1–30 against Oct 2–31; orders start Oct 20
    assert result.value == 1150.0
    assert result.comparison_text == "last 30 days (Nov 1 – Nov 30) vs the 30 days before"
    assert change_line(result) == "no data before Oct 20 to compare with"
    out = result.to_json()
    assert out["change"] is None and out["previous"]["no_data_before"] == "2026-10-20"


def test_no_percentage_against_zero(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue last 7 days", date(2026, 11, 22))  # a Sunday: Nov 15–21 vs Nov 8–14
    assert (result.value, result.previous_value) == (1000.0, 0.0)
    assert change_line(result) == "up $1,000 — good vs $0"
    assert result.comparison_text == "last 7 days (Nov 15 – Nov 21) vs the 7 days before"


def test_a_day_after_the_newest_data_is_partial_and_never_a_drop(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue on 2026-12-03", date(2026, 12, 5))
    assert result.partial is True and not result.period.holds(date(2026, 12, 5))
    assert change_line(result) == "100.0% lower so far (-$30) vs $30"
    assert result.notes == ["data up to Dec 2, 14:02; nothing newer as of Dec 5"]


def test_as_of_beyond_the_data_says_so(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue", date(2030, 1, 1))
    assert result.partial is True and result.value == 0.0
    assert result.notes == ["data up to Dec 2, 2026, 14:02; nothing newer as of Jan 1"]


def test_weekly_series_marks_only_the_unfinished_bucket(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue by week", date(2026, 12, 1))  # 12 weeks to date: Sep 14 – Dec 1
    assert (result.period.start, result.period.end, result.granularity) == (date(2026, 9, 14), date(2026, 12, 1),
                                                                            "week")
    assert [p.partial for p in result.series or []] == [False] * 11 + [True]
    series = result.to_json()["series"]
    assert series[-1] == {"start": "2026-11-30", "end": "2026-12-01", "value": 60.0, "partial": True}
    assert "partial" not in series[-2]


@pytest.mark.parametrize(("tz", "yesterday", "day_before"), [("UTC", 8.0, 7.0), ("Europe/Berlin", 15.0, 5.0)])
def test_local_days_across_the_end_of_summer_time(shop: Engine, db_url: str, tz: str, yesterday: float,
                                                  day_before: float) -> None:
    """As of Mon 2026-10-26: yesterday (Oct 25, 25 hours long in Berlin) against Oct 24."""
    result = ask(shop, db_url, "revenue yesterday", date(2026, 10, 26), tz)
    assert (result.value, result.previous_value) == (yesterday, day_before)
    assert result.comparison_text == "Oct 25 vs Oct 24" and result.partial is False


def test_nps_change_carries_its_interval_and_reads_within_noise(shop: Engine, db_url: str) -> None:
    """Nov: p .6 d .2, variance .8 − .16 = .64, half-width 196·√(.064) = 49.58; Oct: p .5 d .2, .7 − .09 = .61,
    half-width 196·√(.061) = 48.41. Change 10 ± √(49.58² + 48.41²) = 10 ± 69.30."""
    result = ask(shop, db_url, "nps last month", date(2026, 12, 2))
    assert (result.value, result.previous_value) == pytest.approx((40.0, 30.0))
    assert result.change_ci95 == pytest.approx((10 - 69.30, 10 + 69.30), abs=0.01)
    assert change_line(result) == "up 10 pts (95% interval -59.3 to +79.3) — within noise vs 30"


def test_survey_bucket_with_too_few_answers_is_no_point(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "nps by month from 2026-10-01 to 2026-12-02", date(2026, 12, 2))
    assert result.granularity == "month"
    assert [(p.value, p.n, p.partial) for p in result.series or []] == [
        (pytest.approx(30.0), 10, False), (pytest.approx(40.0), 10, False), (None, 2, True)]
    assert result.to_json()["series"][-1] == {"start": "2026-12-01", "end": "2026-12-02", "value": None,
                                              "partial": True, "n": 2}


def test_survey_series_is_never_finer_than_its_answers(shop: Engine, db_url: str) -> None:
    """By week in October and November: 10 buckets of which 8 hold no answers, so by month instead."""
    result = ask(shop, db_url, "nps by week from 2026-10-01 to 2026-11-30", date(2026, 12, 2))
    assert result.granularity == "month"
    assert [p.n for p in result.series or []] == [10, 10]
    assert "By month: too few answers per week for a weekly series" in result.notes


def test_trend_with_no_period_is_twelve_months_by_month(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "nps trend", date(2026, 12, 2))
    assert (result.period.start, result.period.end) == (date(2026, 1, 1), date(2026, 12, 2))
    assert result.period_text == "last 12 months to date (Jan 1 – Dec 2)"


# the newest local day of each metric's table in the shop (UTC): orders Dec 2, subscriptions Nov 15; no users
LAST_DAY = {"revenue": date(2026, 12, 2), "mrr": date(2026, 11, 15), "signups": None}
# rows whose period reaches past that day: the comparison keeps its start, cut to the days with data
CLIPPED: dict[tuple[str, date], tuple[tuple[date, date], str]] = {
    ("revenue this month", date(2026, 12, 31)): ((date(2026, 11, 1), date(2026, 11, 2)),
                                                 "Dec 1–2 vs Nov 1–2 (data to Dec 2)"),
}


@pytest.mark.parametrize(("question", "as_of", "period", "previous", "holds_as_of", "words"), ROWS,
                         ids=[f"{r[0]}@{r[1]}" for r in ROWS])
def test_the_rules_table_through_the_engine(shop: Engine, db_url: str, question: str, as_of: date,
                                            period: tuple[date, date], previous: tuple[date, date],
                                            holds_as_of: bool, words: str) -> None:
    """The table of tests/kpi_engine/test_comparisons.py answered on both backends: the same periods and words;
    partial when the period holds the as-of day or ends after the newest day of the metric's table, and then
    compared over the days with data (CLIPPED)."""
    previous, words = CLIPPED.get((question, as_of), (previous, words))
    result = ask(shop, db_url, question, as_of)
    assert (result.period.start, result.period.end) == period
    assert result.previous_period is not None
    assert (result.previous_period.start, result.previous_period.end) == previous
    assert result.comparison_text == words
    last_day = LAST_DAY[result.metric]
    past_data = last_day is not None and period[1] > last_day
    assert result.partial is (holds_as_of or past_data)
    assert ((question, as_of) in CLIPPED) is (past_data and result.metric != "mrr")  # a stock is never clipped
    assert (result.data_to is None) is (last_day is None)
