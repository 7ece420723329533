"""`daily_usage` and `group_daily_usage` rows: the (day, previous day) pairs and day sums folded per group
(the whole population, or one value of an account dimension), from the first rebuilt day on."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from kpi_engine.compute.rolling_counts import DAY_SUMS, EPOCH, SEED_DAYS, fold_days

Group = tuple[str, str]  # (dimension, value); ("", "") is the whole population
LastRows = dict[Group, tuple[date | None, date | None]]  # last stored row before the first rebuilt day, last of all


def day_numbers(column: pa.ChunkedArray | pa.Array) -> np.ndarray:
    return pc.cast(column, pa.int32()).to_numpy(zero_copy_only=False).astype(np.int64)


def fold_start(group: Group, last_rows: LastRows, first_day: date | None) -> date | None:
    """The first day row a rebuild from `first_day` writes for `group` (None: from its first pair)."""
    if first_day is None:
        return None
    before = last_rows.get(group, (None, None))[0]
    if before is None:
        return None
    return first_day if before >= first_day - timedelta(days=1) else before + timedelta(days=1)


def group_rows(pairs: pa.Table, sums: pa.Table, from_day: date | None) -> pa.Table | None:
    """Day rows of one group: `pairs` (day, prev_day, users), `sums` (day and the DAY_SUMS)."""
    start = None if from_day is None else (from_day - EPOCH).days
    folded = fold_days(day_numbers(pairs.column("day")), day_numbers(pairs.column("prev_day")),
                       pairs.column("users").to_numpy().astype(np.int64), day_numbers(sums.column("day")),
                       {key: sums.column(key).to_numpy(zero_copy_only=False) for key in DAY_SUMS}, start)
    if not folded:
        return None
    days = pa.array(folded.pop("day").astype(np.int32), pa.int32()).cast(pa.date32())
    return pa.table({"day": days, **folded})


def windowed(pairs: pa.Table, from_day: date | None) -> pa.Table:
    """The pairs a fold from `from_day` needs."""
    if from_day is None:
        return pairs
    return pairs.filter(pc.greater_equal(pairs.column("day"), pa.scalar(from_day - timedelta(days=SEED_DAYS))))


def seed_start(starts: list[date | None]) -> date | None:
    """The first day of stored pairs to read for folds starting at `starts`."""
    known = [start for start in starts if start is not None]
    return min(known) - timedelta(days=SEED_DAYS) if known else None
