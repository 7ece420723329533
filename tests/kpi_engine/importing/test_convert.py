"""Vectorised value conversion (no database): timestamps, dates, numbers, booleans, text."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import pandas as pd

from kpi_engine.importing import convert

BERLIN = ZoneInfo("Europe/Berlin")


def texts(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def test_timestamps_with_and_without_offsets() -> None:
    values, bad = convert.to_utc(texts(
        "2026-01-15T12:00:00Z", "2026-01-15T12:00:00+0530", "2026-01-15 12:00", "2026-07-15", "2026-01-15T12:00",
        "", None, "15/01/2026", "9999-12-31",
    ), BERLIN)

    assert values.tolist()[:5] == [
        pd.Timestamp("2026-01-15 12:00"), pd.Timestamp("2026-01-15 06:30"), pd.Timestamp("2026-01-15 11:00"),
        pd.Timestamp("2026-07-14 22:00"), pd.Timestamp("2026-01-15 11:00"),
    ]
    assert values[5:8].isna().all()
    assert bad.tolist() == [False, False, False, False, False, False, False, True, False]
    assert values[8] == pd.Timestamp("9999-12-30 23:00")


def test_local_times_that_overflow_the_calendar_are_refused() -> None:
    values, bad = convert.to_utc(texts("9999-12-31 23:00"), ZoneInfo("America/Los_Angeles"))

    assert bad.tolist() == [True]


def test_dates_are_local_days() -> None:
    values, bad = convert.to_local_date(texts("2026-03-05", "2026-03-05T23:30:00Z", "2026-03-05 08:00", "x"), BERLIN)

    assert values.tolist()[:3] == [pd.Timestamp("2026-03-05"), pd.Timestamp("2026-03-06"), pd.Timestamp("2026-03-05")]
    assert bad.tolist() == [False, False, False, True]


def test_numbers_and_integers() -> None:
    numbers, bad_numbers = convert.to_number(texts("1.5", " 2 ", "1e3", "inf", "nan", "1,5", ""))
    integers, bad_integers = convert.to_integer(texts("3", "3.0", "3.5", "99999999999", ""))

    assert numbers.tolist()[:3] == [1.5, 2.0, 1000.0]
    assert bad_numbers.tolist() == [False, False, False, True, True, True, False]
    assert integers.tolist()[:2] == [3, 3]
    assert bad_integers.tolist() == [False, False, True, True, False]


def test_booleans_in_every_spelling() -> None:
    values, bad = convert.to_boolean(texts("true", "FALSE", "1", "0", "Yes", "no", "", "y"))

    assert values.tolist()[:6] == [True, False, True, False, True, False]
    assert values[6:].isna().all()
    assert bad.tolist() == [False] * 7 + [True]


def test_text_is_trimmed_and_empty_is_missing() -> None:
    values, too_long = convert.to_text(texts("  hello ", "", "   ", "abcdef"), max_length=5)

    assert values[0] == "hello"
    assert values[1:3].isna().all()
    assert too_long.tolist() == [False, False, False, True]
