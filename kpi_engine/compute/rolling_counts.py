"""Day rows of rolling active-user counts (KPI_SPEC §5: dau, wau, mau) and day totals, from per-day sums
and the (active day, previous active day) pairs of users: a small vectorised fold done at build time.

A user active on `day` (previous active day `prev`) is in the N-day count of the days
`max(day, prev + N)` .. `day + N - 1`: it enters there and leaves N days after `day`.
Rows run from the first day with data (or `from_day`) to 29 days after the last active one. From `from_day`
on, only the pairs with a day from `from_day - 31` on are needed: earlier ones only seed the counts (the
users active in the N days before `from_day`, each on its first day there).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

import numpy as np

ROLLING_WINDOWS = (7, 30)  # wau, mau (dau is the count of the day itself)
DAY_SUMS = ("page_views", "sessions", "session_events", "bounces", "session_seconds")
EPOCH = date(1970, 1, 1)
SEED_DAYS = max(ROLLING_WINDOWS) + 1  # pairs needed before `from_day`


def fold_days(day: np.ndarray, prev: np.ndarray, users: np.ndarray, sum_day: np.ndarray,
              sums: Mapping[str, np.ndarray], from_day: int | None = None) -> dict[str, np.ndarray]:
    """Columns of the day rows; days are integers (days since 1970-01-01). `sums[key]` aligns with `sum_day`."""
    if len(day) == 0:
        return {}
    first = int(from_day) if from_day is not None else int(min(day.min(), sum_day.min() if len(sum_day) else day.min()))
    last = int(day.max()) + max(ROLLING_WINDOWS) - 1
    if last < first:
        return {}
    size = last - first + 1

    def per_day(at: np.ndarray, weights: np.ndarray) -> np.ndarray:
        inside = (at >= first) & (at <= last)
        return np.bincount(at[inside] - first, weights=weights[inside], minlength=size)

    out: dict[str, np.ndarray] = {"day": np.arange(first, last + 1), "dau": per_day(day, users).astype(np.int64)}
    for n, name in zip(ROLLING_WINDOWS, ("wau", "mau"), strict=True):
        enters = per_day(np.maximum(day, prev + n), users)
        leaves = per_day(day + n, users)
        seed = users[(day >= first - n) & (day < first) & (prev < first - n)].sum()
        out[name] = (seed + np.cumsum(enters - leaves)).astype(np.int64)
    for key in DAY_SUMS:
        values = per_day(sum_day, np.asarray(sums[key], dtype=np.float64)) if len(sum_day) else np.zeros(size)
        out[key] = values if key == "session_seconds" else np.rint(values).astype(np.int64)
    return out


def daily_rows(
    active_pairs: Mapping[tuple[date, date], int], sums: Mapping[str, Mapping[date, float]],
    from_day: date | None = None,
) -> list[dict[str, Any]]:
    """`fold_days` over dictionaries: one dict per day row."""
    def number(day: date) -> int:
        return (day - EPOCH).days

    pairs = list(active_pairs.items())
    day = np.array([number(d) for (d, _), _ in pairs], dtype=np.int64)
    prev = np.array([number(p) for (_, p), _ in pairs], dtype=np.int64)
    users = np.array([n for _, n in pairs], dtype=np.int64)
    sum_days = sorted({d for by_day in sums.values() for d in by_day})
    columns = {key: np.array([sums.get(key, {}).get(d, 0) for d in sum_days], dtype=np.float64) for key in DAY_SUMS}
    folded = fold_days(day, prev, users, np.array([number(d) for d in sum_days], dtype=np.int64), columns,
                       None if from_day is None else number(from_day))
    if not folded:
        return []
    names = [name for name in folded if name != "day"]
    return [{"day": EPOCH + timedelta(days=int(d)), **{name: folded[name][i].item() for name in names}}
            for i, d in enumerate(folded["day"])]
