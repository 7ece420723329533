"""The limits, each refused with one line naming it; database errors reach the user as an error id only."""

from __future__ import annotations

import logging
from datetime import date

import pytest
from sqlalchemy.exc import OperationalError

from kpi_engine import limits
from kpi_engine.answers.ask import answer_question
from kpi_engine.periods import Period
from kpi_engine.query import FunnelQuery, MetricQuery, RetentionQuery
from tests.conftest import insert_small_mrr_company

DAY = date(2026, 6, 10)


@pytest.mark.parametrize(("query", "words"), [
    (MetricQuery(metric="mrr", as_of=date(9999, 12, 31)), "9999-12-31 is outside"),
    (MetricQuery(metric="mrr", as_of=DAY, period=Period(date(1899, 12, 1), date(1899, 12, 31))), "1899-12-01"),
    (MetricQuery(metric="signups", as_of=DAY, granularity="day", period=Period(date(2010, 1, 1), DAY)),
     "at most 10 years"),
    (FunnelQuery(as_of=DAY, steps=tuple(f"step{i}" for i in range(11))), "at most 10 steps; this one has 11"),
    (RetentionQuery(as_of=DAY, cohort_grain="week", period=Period(date(2024, 1, 1), DAY)), "at most 104 cohorts"),
])
def test_each_limit_is_one_line_that_names_it(query, words) -> None:
    with pytest.raises(limits.LimitExceeded) as refused:
        limits.check_query(query)
    assert words in str(refused.value) and "\n" not in str(refused.value)


def test_queries_within_the_limits_pass() -> None:
    limits.check_query(FunnelQuery(as_of=DAY, steps=tuple(f"step{i}" for i in range(10))))
    limits.check_query(RetentionQuery(as_of=DAY, cohort_grain="week", period=Period(date(2024, 6, 17), DAY)))
    limits.check_query(MetricQuery(metric="mrr", as_of=date(2199, 12, 31)))


@pytest.mark.parametrize("as_of", [date(9999, 12, 31), date(1, 1, 1)])
def test_extreme_as_of_days_are_refused_in_words(engine, settings, as_of) -> None:
    answer = answer_question("mrr", engine=engine, settings=settings, as_of=as_of)
    assert answer.error == f"The date {as_of.isoformat()} is outside what I answer for (1900-01-01 to 2199-12-31)."


def test_a_database_error_is_told_by_its_id_and_logged_short(caplog) -> None:
    huge = "SELECT " + ", ".join(f"x{i}" for i in range(20_000))
    error = OperationalError(huge, {}, Exception("too many terms in compound SELECT\n" + huge))
    with caplog.at_level(logging.ERROR):
        text = limits.database_failure(error, "Customer retention rate")
    [line] = [r.getMessage() for r in caplog.records]
    error_id = text.split("`")[1]
    assert error_id in line and "too many terms" in line and len(line) < 400
    assert "SELECT" not in text and "too many terms" not in text


def test_a_period_under_the_limit_still_answers(engine, settings) -> None:
    insert_small_mrr_company(engine)
    answer = answer_question("mrr last month", engine=engine, settings=settings, as_of=DAY)
    assert answer.error is None


def test_a_database_error_reaching_the_bot_is_logged_without_its_sql(caplog) -> None:
    from bot.errors import log_failure

    huge = "SELECT " + ", ".join(f"x{i}" for i in range(20_000))
    try:
        raise OperationalError(huge, {"p": "x" * 10_000}, Exception("no such table: subscriptions"))
    except OperationalError as exc:
        with caplog.at_level(logging.ERROR):
            error_id = log_failure(exc, "running digest #3")
    [record] = caplog.records
    assert error_id in record.getMessage() and "no such table: subscriptions" in record.getMessage()
    assert len(record.getMessage()) < 500 and record.exc_info is None
