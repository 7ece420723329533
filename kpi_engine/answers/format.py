"""How numbers read: values by unit, periods, change against the previous period, targets, samples.

Every surface (terminal, Slack, digests, chart axes) formats through these functions so a number
reads the same everywhere. Rates are fractions in results (0.053) and read as percentages (5.3%).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from kpi_engine.comparisons import day_words, period_words
from kpi_engine.periods import Period, grain_start, grain_step
from kpi_engine.results import MetricResult, SeriesPoint

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
    """The period as the engine named it (`last 30 days (Nov 2 – Dec 1)`, `Dec 1–2`), `so far` when it is
    partial; stock metrics are states at the end of the period (their change line says `so far`)."""
    if result.period_text:
        if not result.partial or "to date" in result.period_text or result.kind == "stock":
            return result.period_text
        return f"{result.period_text} so far"
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
    verdict: Verdict | None  # None for neutral metrics, no movement, or a partial period moving the wrong way
    partial: bool = False  # the period is not over: "higher/lower so far", never "down"
    interval: str | None = None  # survey scores: "95% interval -3.1 to +13.1"
    noise: bool = False  # the interval contains 0

    @property
    def words(self) -> str:
        """The movement without the verdict: `up 4.2% (+$500)`, `4.2% lower so far (-$500)`."""
        if self.movement == "flat":
            return "no change so far" if self.partial else "no change"
        if self.partial:
            out = f"{self.amount} {'higher' if self.movement == 'up' else 'lower'} so far"
        else:
            out = f"{self.movement} {self.amount}"
        if self.detail:
            out += f" ({self.detail})"
        if self.interval:
            out += f" ({self.interval})"
        return out

    @property
    def judgement(self) -> str | None:
        return "within noise" if self.noise else self.verdict

    @property
    def text(self) -> str:
        judgement = self.judgement if self.movement != "flat" or self.noise else None
        return f"{self.words} — {judgement}" if judgement else self.words


def _signed_amount(value: float, unit: str) -> str:
    size = abs(value) * 100 if unit == "percent" else abs(value)
    body = f"{size:.1f}" if size >= 1 or unit != "score" else f"{size:.2f}"
    sign = "" if float(body) == 0 else "-" if value < 0 else "+"
    return f"{sign}{body} pp" if unit == "percent" else sign + (body if unit == "score" else format_value(size, unit))


def describe_change(
    value: float | None, previous: float | None, unit: str, direction: str, *, currency: str = "$",
    partial: bool = False, interval: tuple[float, float] | None = None,
) -> Change | None:
    """Absolute and relative change, in percentage points for percent metrics (never a percentage against 0),
    judged by direction; `partial` words it for a period that is not over, and a partial change is never called
    worse (KPI_SPEC §1: never a drop); a survey score's `interval` (of the change) is shown and reads "within
    noise" when it contains 0."""
    if value is None or previous is None:
        return None
    delta = value - previous
    interval_text = None
    noise = False
    if interval is not None:
        low, high = interval
        interval_text = f"95% interval {_signed_amount(low, unit)} to {_signed_amount(high, unit)}"
        noise = low <= 0 <= high
    if abs(delta) < 1e-12:
        return Change("flat", "", None, None, partial, interval_text, noise)
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
    if partial and verdict == "worse":
        verdict = None
    return Change(movement, amount, detail, verdict, partial, interval_text, noise)


def result_change(result: MetricResult, *, currency: str = "$") -> Change | None:
    """The change of an answer against its comparison period, None when there is none to tell."""
    if result.previous_period is None or result.before_data:
        return None
    return describe_change(result.value, result.previous_value, result.unit, result.direction, currency=currency,
                           partial=result.partial, interval=result.change_ci95)


def change_line(result: MetricResult, *, currency: str = "$") -> str | None:
    """`up 4.2% (+$500) — good vs $11,900`; `no data before Mar 3, 2025 to compare with`; None without a
    comparison. Without the engine's comparison words, the comparison period is named (`in March 2026`)."""
    if result.previous_period is None:
        return None
    ref = result.period.end.year
    if result.data_from is not None:
        return f"no data before {day_words(result.data_from, ref)} to compare with"
    before = "" if result.comparison_text else f" in {period_label(result.previous_period)}"
    previous = format_value(result.previous_value, result.unit, currency=currency)
    change = result_change(result, currency=currency)
    if change is None:
        if result.previous_value is None:
            return f"no data to compare{before or ' with ' + period_words(result.previous_period, ref)}"
        return f"{previous}{before}" if before else f"no value now; {previous} before"
    return f"{change.text} vs {previous}{before}"


def comparison_line(result: MetricResult) -> str | None:
    """What the answer compares, in words: `Dec 1–2 vs Nov 1–2` (None without a comparison)."""
    return result.comparison_text if result.previous_period is not None else None


def bucket_value(point: SeriesPoint, unit: str, *, currency: str = "$", min_answers: int | None = None) -> str:
    """A series bucket's value; `too few answers` for a survey bucket left out; `so far` when partial."""
    if point.value is None and point.n is not None and (min_answers is None or point.n < min_answers):
        text = "too few answers"
    else:
        text = format_value(point.value, unit, currency=currency)
    return f"{text} so far" if point.partial and point.value is not None else text


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
