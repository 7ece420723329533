"""Day rows of rolling active-user counts (KPI_SPEC §5: dau, wau, mau) and day totals, from per-day sums
and the (active day, previous active day) pairs of users: a small fold done in Python at build time."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

ROLLING_WINDOWS = (7, 30)  # wau, mau (dau is the count of the day itself)
DAY_SUMS = ("page_views", "sessions", "session_events", "bounces", "session_seconds")


def daily_rows(
    active_pairs: Mapping[tuple[date, date], int], sums: Mapping[str, Mapping[date, float]]
) -> list[dict[str, Any]]:
    """One row per day from the first day with data to 29 days after the last active one.

    A user active on `day` (previous active day `prev`) is in the N-day count of the days
    `max(day, prev + N)` .. `day + N - 1`: it enters there and leaves N days after `day`.
    """
    dau: dict[date, int] = {}
    enters: dict[int, dict[date, int]] = {n: {} for n in ROLLING_WINDOWS}
    for (day, prev), users in active_pairs.items():
        dau[day] = dau.get(day, 0) + users
        for n in ROLLING_WINDOWS:
            start = max(day, prev + timedelta(days=n))
            enters[n][start] = enters[n].get(start, 0) + users
    if not dau:
        return []
    first = min(min(by_day) for by_day in [dau, *sums.values()] if by_day)
    last = max(dau) + timedelta(days=max(ROLLING_WINDOWS) - 1)
    rolling = dict.fromkeys(ROLLING_WINDOWS, 0)
    out: list[dict[str, Any]] = []
    day = first
    while day <= last:
        for n in ROLLING_WINDOWS:
            rolling[n] += enters[n].get(day, 0) - dau.get(day - timedelta(days=n), 0)
        totals = {key: sums.get(key, {}).get(day, 0) for key in DAY_SUMS}
        out.append({
            "day": day,
            "dau": dau.get(day, 0),
            "wau": rolling[7],
            "mau": rolling[30],
            **{key: int(value) for key, value in totals.items() if key != "session_seconds"},
            "session_seconds": float(totals["session_seconds"]),
        })
        day += timedelta(days=1)
    return out
