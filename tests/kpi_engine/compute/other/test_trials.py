"""Trial metrics (KPI_SPEC §4): a trial resolves at converted_at when set, else at ended_at."""

from __future__ import annotations

from datetime import date

import pytest

from kpi_engine.db.models import Account, Trial
from kpi_engine.periods import Period
from tests.conftest import insert_rows
from tests.kpi_engine.compute.other.helpers import FEBRUARY, ask, groups, series, ts

TRIALS = [
    # resolves in April (converted 04-05)
    {"trial_id": "t1", "account_id": "a", "started_at": ts("2026-03-20 00:00"), "converted_at": ts("2026-04-05 00:00")},
    # resolves in April (ended without converting)
    {"trial_id": "t2", "account_id": "b", "started_at": ts("2026-04-02 00:00"), "ended_at": ts("2026-04-16 00:00")},
    # ended in April but converted in May: resolves in May
    {"trial_id": "t3", "account_id": "a", "started_at": ts("2026-04-10 00:00"), "ended_at": ts("2026-04-24 00:00"),
     "converted_at": ts("2026-05-02 00:00")},
    # still running
    {"trial_id": "t4", "account_id": "b", "started_at": ts("2026-04-20 00:00")},
    # unknown account, ended in April
    {"trial_id": "t5", "account_id": "zzz", "started_at": ts("2026-03-01 00:00"), "ended_at": ts("2026-04-30 23:00")},
    # March conversion
    {"trial_id": "t6", "account_id": "a", "started_at": ts("2026-03-05 00:00"), "ended_at": ts("2026-03-19 00:00"),
     "converted_at": ts("2026-03-18 00:00")},
]


@pytest.fixture
def trials(engine):
    insert_rows(engine, Account, [
        {"account_id": "a", "created_at": ts("2025-01-01 00:00"), "plan": "pro"},
        {"account_id": "b", "created_at": ts("2025-01-01 00:00"), "plan": "basic"},
    ])
    insert_rows(engine, Trial, TRIALS)
    return engine


def test_trial_starts(trials, settings) -> None:
    starts = ask(trials, settings, "trials started", granularity="week")
    assert (starts.value, starts.previous_value) == (3, 3)
    assert series(starts) == [1, 1, 0, 1, 0]  # 04-02, 04-10, 04-20
    assert sum(series(starts)) == starts.value


def test_conversion_and_dropoff_over_trials_resolving_in_the_period(trials, settings) -> None:
    conversion = ask(trials, settings, "trial conversion")
    assert conversion.value == pytest.approx(1 / 3)  # t1 of t1, t2, t5
    assert conversion.n == 3
    assert conversion.previous_value == pytest.approx(1.0)  # t6
    dropoff = ask(trials, settings, "trial_dropoff_rate")
    assert dropoff.value == pytest.approx(2 / 3)
    assert dropoff.value + conversion.value == pytest.approx(1.0)
    may = ask(trials, settings, "trial_conversion_rate", period=Period.calendar(date(2026, 5, 1), "month"))
    assert may.value == pytest.approx(1.0)  # t3 resolves at converted_at, not ended_at


def test_breakdown_by_plan(trials, settings) -> None:
    assert groups(ask(trials, settings, "trial_conversion_rate", breakdown="plan")) == [
        ("pro", 1.0), ("(none)", 0.0), ("basic", 0.0)]
    assert groups(ask(trials, settings, "trial_starts", breakdown="plan")) == [("basic", 2), ("pro", 1)]


def test_no_resolved_trials_has_no_rate(trials, settings) -> None:
    assert ask(trials, settings, "trial_starts", period=FEBRUARY).value == 0
    assert ask(trials, settings, "trial_conversion_rate", period=FEBRUARY).value is None
    assert ask(trials, settings, "trial_dropoff_rate", period=FEBRUARY).value is None


def test_trial_conversions_count_trials_by_the_day_they_converted(trials, settings) -> None:
    conversions = ask(trials, settings, "trial_conversions", granularity="week")
    assert (conversions.value, conversions.previous_value) == (1, 1)  # t1 on 04-05; t6 on 03-18
    assert sum(series(conversions)) == 1
    may = ask(trials, settings, "trial_conversions", period=Period.calendar(date(2026, 5, 1), "month"))
    assert may.value == 1  # t3 converted on 05-02, after its trial ended in April
    assert groups(ask(trials, settings, "trial_conversions", breakdown="plan")) == [("pro", 1)]
