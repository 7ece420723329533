"""How numbers read: values by unit, periods, change against the previous period, targets, samples.

Every surface (terminal, Slack, digests, chart axes) formats through these functions so a number
reads the same everywhere. Rates are fractions in results (0.053) and read as percentages (5.3%).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kpi_engine.periods import Period, grain_start, grain_step
from kpi_engine.results import MetricResult

NO_DATA = "no data"
Movement = Literal["up", "down", "flat"]
Verdict = Literal["good", "worse"]


def _strip_zeros(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def _is_whole(value: float) -> bool:
    return abs(value - round(value)) < 1e-9


def format_number(value: float, *, compact: bool = False) -> str:
    """Thousands separators; fewer decimals as numbers grow; `12.3k`, `1.2M` when compact."""
    size = abs(value)
    if compact and size >= 1000:
        for limit, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
            if size >= limit:
                return f"{_strip_zeros(f'{value / limit:.1f}')}{suffix}"
    if _is_whole(value) or size >= 1000:
        return f"{round(value):,}"
    decimals = 1 if size >= 10 else 2
    return _strip_zeros(f"{value:,.{decimals}f}")


def _currency(value: float, symbol: str, compact: bool) -> str:
    sign = "-" if value < 0 else ""
    size = abs(value)
    if compact and size >= 1000:
        body = format_number(size, compact=True)
    elif compact and size >= 10:
        body = f"{round(size):,}"
    elif size < 100 and not _is_whole(size):
        body = f"{size:,.2f}"
    else:
        body = f"{round(size):,}"
    return f"{sign}{symbol}{body}"


def _percent(fraction: float) -> str:
    pct = fraction * 100
    decimals = 2 if 0 < abs(pct) < 0.1 else 1
    return f"{pct:.{decimals}f}%"


def _seconds(value: float, compact: bool) -> str:
    size, sign = abs(value), "-" if value < 0 else ""
    if size < 10 and not _is_whole(size):
        return f"{sign}{size:.1f} s"
    if size < 60:
        return f"{sign}{round(size)} s"
    if compact:
        return f"{sign}{_strip_zeros(f'{size / 60:.1f}')} min" if size < 3600 else f"{sign}{size / 3600:.1f} h"
    total = round(size)
    if total < 3600:
        minutes, secs = divmod(total, 60)
        return f"{sign}{minutes} min" + (f" {secs} s" if secs else "")
    if total < 86400:
        hours, rest = divmod(total, 3600)
        return f"{sign}{hours} h" + (f" {rest // 60} min" if rest // 60 else "")
    days, rest = divmod(total, 86400)
    return f"{sign}{days} d" + (f" {rest // 3600} h" if rest // 3600 else "")


def _hours(value: float, compact: bool) -> str:
    if compact:  # axis ticks stay in one unit
        return f"{_strip_zeros(f'{value:,.1f}')} h"
    if abs(value) < 1:
        return f"{round(value * 60)} min"
    return f"{value:,.1f} h"


def _plural(value: float, word: str) -> str:
    text = _strip_zeros(f"{value:,.1f}")
    return f"{text} {word}" if text in ("1", "-1") else f"{text} {word}s"


def format_value(value: float | None, unit: str, *, currency: str = "$", compact: bool = False) -> str:
    """One value in its unit: `$12,500` (`$12.5k` compact), `5.3%`, `3.2×`, `4.2 h`, `1 h 5 min`, `45`."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA
    if unit == "currency":
        return _currency(value, currency, compact)
    if unit == "percent":
        return _percent(value)
    if unit == "ratio":
        return f"{value:.2f}×" if abs(value) < 1 and value != 0 else f"{value:,.1f}×"
    if unit == "seconds":
        return _seconds(value, compact)
    if unit == "hours":
        return _hours(value, compact)
    if unit == "days":
        return _plural(value, "day")
    if unit == "months":
        return _plural(value, "month")
    if unit == "score":
        return _strip_zeros(f"{value:,.1f}")
    return format_number(value, compact=compact)


def format_signed(value: float, unit: str, *, currency: str = "$") -> str:
    """A difference with its sign: `+$500`, `-3 min 5 s`, `+12`."""
    body = format_value(abs(value), unit, currency=currency)
    return ("-" if value < 0 else "+") + body


# -- periods -------------------------------------------------------------------------------------

def _calendar_name(start: date, kind: str) -> str:
    if kind == "month":
        return start.strftime("%B %Y")
    if kind == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if kind == "year":
        return str(start.year)
    if kind == "week":
        return f"week of {start.isoformat()}"
    return start.isoformat()


def period_label(period: Period) -> str:
    """`April 2026`, `Q2 2026`, `June 2026 to 2026-06-10` (to date), `2026-04-01 – 2026-04-30`."""
    if period.kind == "day" or period.start == period.end:
        return period.start.isoformat()
    if period.kind != "custom" and grain_start(period.start, period.kind) == period.start:
        name = _calendar_name(period.start, period.kind)
        full_end = period.start + grain_step(period.kind) - timedelta(days=1)
        return name if period.end == full_end else f"{name} to {period.end.isoformat()}"
    return f"{period.start.isoformat()} – {period.end.isoformat()}"


def result_period_label(result: MetricResult) -> str:
    """Stock metrics are states at the end of the period; say so."""
    label = period_label(result.period)
    return f"end of {label}" if result.kind == "stock" else label


def bucket_label(start: date, grain: str | None) -> str:
    """Short labels for series buckets and chart ticks: `Apr 6`, `Apr 2026`, `Q2 2026`, `2026`."""
    if grain == "month":
        return start.strftime("%b %Y")
    if grain == "quarter":
        return f"Q{(start.month - 1) // 3 + 1} {start.year}"
    if grain == "year":
        return str(start.year)
    return f"{start.strftime('%b')} {start.day}"


# -- change, target, sample ----------------------------------------------------------------------

@dataclass(frozen=True)
class Change:
    movement: Movement
    amount: str  # "4.2%" (relative), "0.8 pp" (percent metrics), "3 pts" (scores)
    detail: str | None  # the absolute difference when `amount` is relative, e.g. "+$500"
    verdict: Verdict | None  # None for neutral metrics or no movement

    @property
    def text(self) -> str:
        if self.movement == "flat":
            return "no change"
        out = f"{self.movement} {self.amount}"
        if self.detail:
            out += f" ({self.detail})"
        return f"{out} — {self.verdict}" if self.verdict else out


def describe_change(
    value: float | None, previous: float | None, unit: str, direction: str, *, currency: str = "$"
) -> Change | None:
    """Absolute and relative change, in percentage points for percent metrics, judged by direction."""
    if value is None or previous is None:
        return None
    delta = value - previous
    if abs(delta) < 1e-12:
        return Change("flat", "", None, None)
    movement: Movement = "up" if delta > 0 else "down"
    detail: str | None = None
    if unit == "percent":
        amount = f"{abs(delta) * 100:.1f} pp"
    elif unit == "score":
        amount = f"{format_value(abs(delta), 'score')} pts"
    elif previous != 0:
        amount = f"{abs(delta) / abs(previous) * 100:.1f}%"
        detail = format_signed(delta, unit, currency=currency)
    else:
        amount = format_value(abs(delta), unit, currency=currency)
    verdict: Verdict | None = None
    if direction == "higher":
        verdict = "good" if delta > 0 else "worse"
    elif direction == "lower":
        verdict = "good" if delta < 0 else "worse"
    return Change(movement, amount, detail, verdict)


def change_line(result: MetricResult, *, currency: str = "$") -> str | None:
    """`up 4.2% (+$500) — good vs $11,900 in March 2026`; None when there is no comparison."""
    if result.previous_period is None:
        return None
    before = period_label(result.previous_period)
    previous = format_value(result.previous_value, result.unit, currency=currency)
    change = describe_change(result.value, result.previous_value, result.unit, result.direction, currency=currency)
    if change is None:
        return f"{previous} in {before}" if result.previous_value is not None else f"no data to compare in {before}"
    return f"{change.text} vs {previous} in {before}"


def target_line(result: MetricResult, *, currency: str = "$") -> str | None:
    """`Target $15,000 by 2026-12-31: 83% of target, not met yet`."""
    target = result.target
    if target is None:
        return None
    text = f"Target {format_value(target.value, result.unit, currency=currency)}"
    if target.due is not None:
        text += f" by {target.due.isoformat()}"
    if target.attainment is None:
        return f"{text}: no data yet"
    status = "met" if target.met else "not met yet"
    return f"{text}: {target.attainment * 100:.0f}% of target, {status}"


def sample_line(result: MetricResult) -> str | None:
    """`n = 100 · 95% interval ± 14.5 (30.5 to 59.5)` for survey scores; None without a sample size."""
    if result.n is None:
        return None
    text = f"n = {result.n:,}"
    if result.ci95 is not None:
        low, high = result.ci95
        half = (high - low) / 2
        spread = f"{half * 100:.1f} pp" if result.unit == "percent" else format_value(half, result.unit)
        text += (f" · 95% interval ± {spread} ({format_value(low, result.unit)} to "
                 f"{format_value(high, result.unit)})")
    return text


# -- definitions -----------------------------------------------------------------------------------

def definition_line(label: str, description: str) -> str:
    """`MRR: Monthly recurring revenue at the end of the period, ...` on one line."""
    return f"{label}: {' '.join(description.split())}"


def how_computed(formula: str, sql: list[str]) -> str:
    """The formula in words, then every SQL statement the engine ran (the plan)."""
    parts: list[str] = []
    if formula:
        parts.append(f"Formula: {formula}")
    if sql:
        parts.append("SQL:\n" + ";\n\n".join(s.strip() for s in sql) + ";")
    return "\n\n".join(parts) if parts else "No computation details are available."
