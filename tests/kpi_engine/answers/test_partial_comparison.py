"""KPI_SPEC §1 "Previous period" for a period reaching past the newest data: like for like over the days with
data, and never called worse, on a hand-made shop (SQLite and PostgreSQL, UTC).

Orders (the newest Wed 2026-12-02 14:02):          Subscriptions (the newest timestamp 2026-12-02 10:00):
  2025-01-01 $1        2026-11-23 $7                 s1 a $100 from 2026-10-01
  2025-12-02 $11       2026-11-24 $300               s2 b  $50 from 2026-11-03
  2025-12-03 $5000     2026-11-26 $1000              s3 c  $25 from 2026-11-20 to 2026-12-02 10:00
  2026-07-01 $5        2026-11-30 $20                s4 d  $10 from 2026-10-01 to 2026-11-05
  2026-09-01 $9        2026-12-01 $60
  2026-09-02 $1000     2026-12-02 $30
  2026-11-01 $100, 11-02 $50, 11-03 $200, 11-05 $400
Every comparison below is cut to as many days as the data covers of the period; the orders just after each
cut ($200 on Nov 3, $1000 on Nov 26 and Sep 2, $5000 on Dec 3, 2025) are what the old comparison counted.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import Engine

from kpi_engine.answers.ask import answer_question
from kpi_engine.answers.presentation import present
from kpi_engine.db.models import Order, Subscription
from kpi_engine.results import MetricResult
from tests.conftest import insert_rows, make_settings

ORDERS = [
    (datetime(2025, 1, 1, 10), 1), (datetime(2025, 12, 2, 10), 11), (datetime(2025, 12, 3, 10), 5000),
    (datetime(2026, 7, 1, 10), 5), (datetime(2026, 9, 1, 10), 9), (datetime(2026, 9, 2, 10), 1000),
    (datetime(2026, 11, 1, 10), 100), (datetime(2026, 11, 2, 10), 50), (datetime(2026, 11, 3, 10), 200),
    (datetime(2026, 11, 5, 10), 400), (datetime(2026, 11, 23, 10), 7), (datetime(2026, 11, 24, 10), 300),
    (datetime(2026, 11, 26, 10), 1000), (datetime(2026, 11, 30, 10), 20), (datetime(2026, 12, 1, 9), 60),
    (datetime(2026, 12, 2, 14, 2), 30),
]
SUBSCRIPTIONS: list[dict[str, Any]] = [
    {"subscription_id": "s1", "account_id": "a", "mrr": 100.0, "started_at": datetime(2026, 10, 1)},
    {"subscription_id": "s2", "account_id": "b", "mrr": 50.0, "started_at": datetime(2026, 11, 3)},
    {"subscription_id": "s3", "account_id": "c", "mrr": 25.0, "started_at": datetime(2026, 11, 20),
     "ended_at": datetime(2026, 12, 2, 10)},
    {"subscription_id": "s4", "account_id": "d", "mrr": 10.0, "started_at": datetime(2026, 10, 1),
     "ended_at": datetime(2026, 11, 5)},
]
MON, SAT = date(2026, 12, 7), date(2026, 12, 5)  # 5 and 3 days after the newest data


@pytest.fixture
def shop(engine: Engine) -> Engine:
    insert_rows(engine, Order, [{"order_id": f"o{i}", "ordered_at": at, "amount": amount}
                                for i, (at, amount) in enumerate(ORDERS)])
    insert_rows(engine, Subscription, SUBSCRIPTIONS)
    return engine


def ask(engine: Engine, db_url: str, question: str, as_of: date) -> MetricResult:
    answer = answer_question(question, engine=engine, settings=make_settings(db_url), as_of=as_of)
    assert isinstance(answer.result, MetricResult), answer.error
    return answer.result


def previous_days(result: MetricResult) -> tuple[date, date]:
    assert result.previous_period is not None
    return result.previous_period.start, result.previous_period.end


@pytest.mark.parametrize(("question", "as_of", "previous", "value", "before", "words", "change"), [
    # Dec 1–7 holds 2 days of data: Nov 1–2 ($100 + $50), not Nov 1–7 ($750)
    ("revenue this month", MON, (date(2026, 11, 1), date(2026, 11, 2)), 90, 150,
     "Dec 1–2 vs Nov 1–2 (data to Dec 2)", "40.0% lower so far (-$60) vs $150"),
    # Mon Nov 30 – Sat Dec 5 holds 3 days of data (20 + 60 + 30): Nov 23–25 ($7 + $300), not Nov 23–28 ($1,307)
    ("revenue this week", SAT, (date(2026, 11, 23), date(2026, 11, 25)), 110, 307,
     "Nov 30 – Dec 2 vs Nov 23–25 (data to Dec 2)", "64.2% lower so far (-$197) vs $307"),
    # the last 7 days Nov 28 – Dec 4 hold 5 days of data; the 7 days before (Nov 21–27) keep their start and
    # are cut to 5: Nov 21–25, each day against the day a week before it
    ("revenue last 7 days", SAT, (date(2026, 11, 21), date(2026, 11, 25)), 110, 307,
     "Nov 28 – Dec 2 vs Nov 21–25 (data to Dec 2)", "64.2% lower so far (-$197) vs $307"),
    # Oct 1 – Dec 2 is 63 days: Jul 1 – Sep 1 ($5 + $9), not Jul 1 – Sep 7 (+ $1,000 on Sep 2)
    ("revenue this quarter", MON, (date(2026, 7, 1), date(2026, 9, 1)), 2167, 14,
     "Oct 1 – Dec 2 vs Jul 1 – Sep 1 (data to Dec 2)", "15378.6% higher so far (+$2,153) — good vs $14"),
    # Jan 1 – Dec 2, 2025: $1 + $11, not the $5,000 of Dec 3, 2025
    ("revenue this year", MON, (date(2025, 1, 1), date(2025, 12, 2)), 3181, 12,
     "Jan 1 – Dec 2 vs Jan 1 – Dec 2, 2025 (data to Dec 2)", "26408.3% higher so far (+$3,169) — good vs $12"),
])
def test_a_flow_past_the_data_is_compared_over_the_days_with_data(
        shop: Engine, db_url: str, question: str, as_of: date, previous: tuple[date, date], value: float,
        before: float, words: str, change: str) -> None:
    result = ask(shop, db_url, question, as_of)
    assert previous_days(result) == previous
    assert (result.value, result.previous_value) == (value, before)
    assert result.comparison_text == words
    shown = present(result)
    assert shown.change_text == f"{change}"
    assert shown.change is not None and shown.change.verdict != "worse"
    out = result.to_json()
    assert out["partial"] is True and out["data_to"] == "2026-12-02T14:02:00"
    assert out["previous"] == {"period": {"start": previous[0].isoformat(), "end": previous[1].isoformat()},
                               "value": before}
    assert out["comparison_text"] == words


def test_month_to_date_json_keeps_the_asked_period(shop: Engine, db_url: str) -> None:
    out = ask(shop, db_url, "revenue this month", MON).to_json()
    assert out["period"] == {"start": "2026-12-01", "end": "2026-12-07"}
    assert out["previous"]["period"] == {"start": "2026-11-01", "end": "2026-11-02"}
    assert (out["value"], out["change"], out["partial"]) == (90, -60, True)
    assert "worse" not in str(out) and "drop" not in str(out)


def test_a_ratio_past_the_data_is_compared_over_the_days_with_data(shop: Engine, db_url: str) -> None:
    """Paying at Dec 1: a, b, c; c pays nothing at the end (ended Dec 2): 1/3. Nov 1–2: a, d paying at Nov 1,
    both still paying at the end of Nov 2: 0/2 (Nov 1–7 would be 1/2: d ended Nov 5)."""
    result = ask(shop, db_url, "customer churn rate this month", MON)
    assert previous_days(result) == (date(2026, 11, 1), date(2026, 11, 2))
    assert result.value == pytest.approx(1 / 3) and result.previous_value == 0
    assert result.comparison_text == "Dec 1–2 vs Nov 1–2 (data to Dec 2)"
    assert present(result).change_text == "33.3 pp higher so far vs 0.0%"  # churn up: not called worse


@pytest.mark.parametrize("question", ["mrr", "mrr this month"])
def test_a_stock_past_the_data_keeps_its_comparison(shop: Engine, db_url: str, question: str) -> None:
    """A stock is a state at an instant, never clipped: the end of Dec 7 (s1 + s2 = $150, c ended Dec 2) against
    the end of Nov 7 (s1 + s2 = $150: d ended Nov 5), not against the end of Nov 2 (s1 + s4 = $110)."""
    result = ask(shop, db_url, question, MON)
    assert previous_days(result)[1] == date(2026, 11, 7)
    assert (result.value, result.previous_value) == (150, 150)
    assert "data to" not in (result.comparison_text or "")


def test_a_period_wholly_after_the_data_still_has_no_data_yet(shop: Engine, db_url: str) -> None:
    result = ask(shop, db_url, "revenue today", MON)
    assert result.no_data_yet and previous_days(result) == (date(2026, 12, 6), date(2026, 12, 6))
    assert result.comparison_text == "Dec 7 vs Dec 6"
    assert result.to_json()["value"] is None and present(result).change_text is None


def test_data_covering_the_period_to_date_changes_nothing(shop: Engine, db_url: str) -> None:
    """As of the data's last day the period holds no day after it: the same days as always, no "data to"."""
    month = ask(shop, db_url, "revenue this month", date(2026, 12, 2))
    assert previous_days(month) == (date(2026, 11, 1), date(2026, 11, 2))
    assert (month.value, month.previous_value, month.comparison_text) == (90, 150, "Dec 1–2 vs Nov 1–2")
    week = ask(shop, db_url, "revenue this week", date(2026, 12, 2))
    assert previous_days(week) == (date(2026, 11, 23), date(2026, 11, 25))
    assert (week.value, week.previous_value, week.comparison_text) == (110, 307, "Nov 30 – Dec 2 vs Nov 23–25")
    mrr = ask(shop, db_url, "mrr", date(2026, 12, 2))
    assert previous_days(mrr) == (date(2026, 11, 2), date(2026, 11, 2))
    assert mrr.comparison_text == "end of today vs a month ago"
    complete = ask(shop, db_url, "revenue on 2026-11-02", date(2026, 12, 2))  # a whole day with data: judged
    assert present(complete).change_text == "down 50.0% (-$50) — worse vs $100"
