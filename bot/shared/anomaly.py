"""Is this week's value unusual for the KPI's own recent history? Pure arithmetic on weekly values.

Flows, ratios, scores and medians compare the value itself with the previous weeks; stocks (MRR, paying
customers) compare the week's change, since a growing stock sets a new high every week without anything unusual
happening. A move is unusual when it is more than `Z_LIMIT` standard deviations from the mean of the history AND
outside everything seen in it (the min–max band); with a perfectly flat history any different value is unusual.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

HISTORY_WEEKS = 12  # the weeks a digest's trend and an anomaly check look at, the reported one included
Z_LIMIT = 2.0
MIN_HISTORY = 6  # fewer known weeks than this: too little to call anything unusual

Measure = Literal["value", "change"]


@dataclass(frozen=True)
class Anomaly:
    measure: Measure  # what was compared: the weekly value, or the weekly change (stocks)
    current: float
    side: Literal["high", "low"]
    low: float  # the band of the history
    high: float
    mean: float
    z: float | None  # None when the history is perfectly flat
    weeks: int  # how many weeks of history were compared


def measured(values: Sequence[float | None], kind: str) -> tuple[Measure, list[float | None]]:
    """Stocks are judged on their week-over-week change, everything else on the value."""
    if kind != "stock":
        return "value", list(values)
    changes: list[float | None] = [None]
    for before, after in zip(values, values[1:], strict=False):
        changes.append(None if before is None or after is None else after - before)
    return "change", changes


def detect(values: Sequence[float | None], kind: str) -> Anomaly | None:
    """`values`: oldest first, the last one is this week's. None when nothing is unusual (or too little history)."""
    measure, series = measured(values, kind)
    if not series or series[-1] is None or not math.isfinite(series[-1]):
        return None
    current = float(series[-1])
    history = [float(v) for v in series[:-1] if v is not None and math.isfinite(v)]
    if len(history) < MIN_HISTORY:
        return None
    low, high = min(history), max(history)
    mean = statistics.fmean(history)
    spread = statistics.stdev(history)
    tolerance = 1e-9 * max(1.0, abs(mean))
    if spread <= tolerance:
        if abs(current - mean) <= tolerance:
            return None
        z = None
    else:
        z = (current - mean) / spread
        if abs(z) <= Z_LIMIT or low - tolerance <= current <= high + tolerance:
            return None
    side: Literal["high", "low"] = "high" if current > mean else "low"
    return Anomaly(measure, current, side, low, high, mean, z, len(history))
