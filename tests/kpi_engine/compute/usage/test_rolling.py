"""dau, wau, mau, stickiness and active users, worked out by hand.

P = 2026-03-10 .. 03-16 (7 days). Activity (UTC = reporting zone):
  u1 (plan pro)   : 03-10, 03-11, 03-16
  u2 (plan basic) : 03-01, 03-14
  u3 (no account) : 02-12
Daily counts over P, days 10..16:
  dau  1 1 0 0 1 0 1  → 4/7
  wau  1 1 1 1 2 2 2  → 10/7   (u2 enters the 7-day window on 03-14)
  mau  3 3 3 3 2 2 2  → 18/7   (u3's 02-12 leaves the 30-day window after 03-13)
Previous period 03-03 .. 03-09: dau 0; wau 1 1 1 1 1 0 0 → 5/7 (u2's 03-01 until 03-07); mau 2 each → 2.
"""

from __future__ import annotations

import pytest

from tests.kpi_engine.compute.usage.helpers import approx, ask, days, ev, groups, load, series, user

P = days("2026-03-10", "2026-03-16")


@pytest.fixture
def loaded(engine, settings):
    load(
        engine,
        settings,
        plans={"A": "pro", "B": "basic"},
        users=[user("u1", "2026-01-01 00:00", "A"), user("u2", "2026-01-01 00:00", "B"),
               user("u3", "2026-01-01 00:00")],
        events=[
            ev("u1", "2026-03-10 09:00"), ev("u1", "2026-03-10 18:00"), ev("u1", "2026-03-11 12:00"),
            ev("u1", "2026-03-16 23:59"),
            ev("u2", "2026-03-01 08:00"), ev("u2", "2026-03-14 08:00"),
            ev("u3", "2026-02-12 00:00"),
        ],
    )
    return engine, settings


@pytest.mark.parametrize(("metric", "value", "previous", "daily"), [
    ("dau", 4 / 7, 0.0, [1, 1, 0, 0, 1, 0, 1]),
    ("wau", 10 / 7, 5 / 7, [1, 1, 1, 1, 2, 2, 2]),
    ("mau", 18 / 7, 2.0, [3, 3, 3, 3, 2, 2, 2]),
    ("stickiness", 4 / 18, 0.0, [1 / 3, 1 / 3, 0, 0, 1 / 2, 0, 1 / 2]),
    ("active_users", 2, 0, [1, 1, 0, 0, 1, 0, 1]),
])
def test_rolling_value_previous_and_daily_series(loaded, metric, value, previous, daily) -> None:
    result = ask(*loaded, metric, P, granularity="day")
    assert approx(result.value) == approx(float(value))
    assert approx(result.previous_value) == approx(float(previous))
    assert approx(series(result)) == approx([float(v) for v in daily])


@pytest.mark.parametrize(("metric", "by_plan"), [
    ("dau", {"pro": 3 / 7, "basic": 1 / 7}),
    ("wau", {"pro": 1.0, "basic": 3 / 7}),
    ("mau", {"pro": 1.0, "basic": 1.0, "(none)": 4 / 7}),
    ("stickiness", {"pro": 3 / 7, "basic": 1 / 7, "(none)": 0.0}),
    ("active_users", {"pro": 1.0, "basic": 1.0}),
])
def test_rolling_breakdown_by_plan(loaded, metric, by_plan) -> None:
    assert approx(groups(ask(*loaded, metric, P, breakdown="plan"))) == approx(by_plan)


@pytest.mark.parametrize("metric", ["dau", "wau", "mau", "stickiness", "active_users"])
def test_filter_matching_everyone_gives_the_daily_table_numbers(loaded, metric) -> None:
    """The per-user SQL (used with filters) and the daily totals agree, window by window."""
    everyone = {"plan": ["pro", "basic", "(none)"]}
    plain = ask(*loaded, metric, P, granularity="day")
    filtered = ask(*loaded, metric, P, granularity="day", filters=everyone)
    assert approx(filtered.value) == approx(plain.value)
    assert approx(filtered.previous_value) == approx(plain.previous_value)
    assert approx(series(filtered)) == approx(series(plain))


def test_filtered_series_and_previous(loaded) -> None:
    basic = ask(*loaded, "wau", P, granularity="day", filters={"plan": ["basic"]})
    assert approx(series(basic)) == approx([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0])
    assert approx(basic.value) == approx(3 / 7)
    assert approx(basic.previous_value) == approx(5 / 7)  # u2 alone is the previous period's wau
    none = ask(*loaded, "mau", P, filters={"plan": ["(none)"]})
    assert approx(none.value) == approx(4 / 7)
    assert approx(none.previous_value) == 1.0


def test_week_buckets_and_empty_period(loaded) -> None:
    march = days("2026-03-01", "2026-03-31")
    weekly = ask(*loaded, "dau", march, granularity="week")
    # ISO weeks clipped to March: 03-01 (Sun) | 03-02..08 | 09..15 | 16..22 | 23..29 | 30..31
    assert approx(series(weekly)) == approx([1.0, 0.0, 3 / 7, 1 / 7, 0.0, 0.0])
    nothing = ask(*loaded, "mau", days("2025-01-01", "2025-01-31"))
    assert nothing.value == 0.0
    assert ask(*loaded, "stickiness", days("2025-01-01", "2025-01-31")).value is None
