"""Unusual weeks, worked out by hand."""

from __future__ import annotations

import pytest

from bot.shared.anomaly import detect, measured

HISTORY = [10.0, 12.0, 11.0, 9.0, 10.0, 12.0, 11.0, 10.0, 9.0, 11.0, 10.0]  # mean 115/11, stdev 1.0357


def test_far_below_history_is_flagged() -> None:
    found = detect([*HISTORY, 4.0], "flow")
    assert found is not None
    assert (found.measure, found.side, found.low, found.high, found.weeks) == ("value", "low", 9.0, 12.0, 11)
    assert found.mean == pytest.approx(115 / 11)
    assert found.z == pytest.approx((4 - 115 / 11) / 1.0357, rel=1e-3)  # ≈ -6.2


def test_inside_the_band_is_not_flagged() -> None:
    assert detect([*HISTORY, 12.0], "flow") is None  # z = 1.49


def test_beyond_the_band_but_within_two_sigma_is_not_flagged() -> None:
    wide = [0.0, 20.0, 0.0, 20.0, 0.0, 20.0, 0.0, 20.0]  # mean 10, stdev 10.69: 25 is new but z = 1.4
    assert detect([*wide, 25.0], "flow") is None


def test_stocks_are_judged_on_their_weekly_change() -> None:
    growing = [100.0 + 10 * i for i in range(12)]  # +10 every week: a steady climb is not unusual
    assert detect(growing, "stock") is None
    jump = [*growing[:-1], growing[-2] + 60]
    found = detect(jump, "stock")
    assert found is not None
    assert (found.measure, found.current, found.side, found.z) == ("change", 60.0, "high", None)
    assert measured([1.0, None, 3.0, 4.0], "stock") == ("change", [None, None, None, 1.0])


def test_too_little_history_or_no_value() -> None:
    assert detect([10.0, 11.0, 10.0, 12.0, 10.0, 50.0], "flow") is None  # 5 earlier weeks
    assert detect([*HISTORY, None], "flow") is None
    assert detect([None] * 3 + HISTORY[:5] + [40.0], "ratio") is None
