"""The words of a digest: one line per KPI (value, change with arrow and verdict, target, anomaly in plain words).

Values and changes go through kpi_engine.answers.format, so a number reads the same in answers and digests.
"""

from __future__ import annotations

from bot.blocks.text import escape
from bot.digests.report import KpiLine
from bot.shared.anomaly_wording import describe_anomaly
from kpi_engine.answers.format import NO_DATA, Change, describe_change, format_value
from kpi_engine.comparisons import change_interval

ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def line_change(line: KpiLine, currency: str) -> Change | None:
    """The week's change in the shared wording (kpi_engine.answers.format): percentage points for rates, no
    percentage against 0, a survey score's 95% interval. A digest reports a week that is over (the report
    runs as of the day after it), so its change is worded as complete; a table whose newest row is older
    than the week's end is the digest's freshness to tell, not a reason to word every change "so far"."""
    unit, direction = line.metric.unit, line.metric.direction
    week = line.series[-1] if line.series else None
    before = line.series[-2] if len(line.series) > 1 else None
    interval = None
    if week is not None and before is not None:
        interval = change_interval(week.value, week.ci95, before.value, before.ci95)
    return describe_change(line.value, line.previous, unit, direction, currency=currency, interval=interval)


def change_words(line: KpiLine, currency: str) -> str:
    """`↑ 4.2% (+$500) vs the week before — good`; says so when the week before has no data."""
    change = line_change(line, currency)
    if change is None:
        return "no data for the week before"
    if change.movement == "flat":
        return f"→ {change.words} vs the week before"
    words = change.words
    if not change.partial:  # the arrow says up or down
        words = words.removeprefix(f"{change.movement} ")
    text = f"{ARROWS[change.movement]} {words} vs the week before"
    if change.judgement is not None:
        text += f" — {change.judgement}"
    return text


def target_words(line: KpiLine, currency: str) -> str | None:
    """`🎯 84% of the $150k target (due 2026-12-31)`, `🎯 target $150k met`."""
    target = line.target
    if target is None:
        return None
    goal = format_value(target.value, line.metric.unit, currency=currency, compact=True)
    due = f" (due {target.due.isoformat()})" if target.due else ""
    if target.met:
        return f":dart: target {goal} met{due}"
    if target.attainment is None:
        return f":dart: target {goal}{due}"
    return f":dart: {target.attainment * 100:.0f}% of the {goal} target{due}"


def anomaly_words(line: KpiLine, currency: str) -> str | None:
    """`Unusual: 4 is far below the last 11 weeks (usually 9 to 12) — worth a look`."""
    if line.anomaly is None:
        return None
    return describe_anomaly(line.anomaly, line.metric.unit, line.metric.direction, currency)


def kpi_line_text(line: KpiLine, currency: str) -> str:
    label = f"*{escape(line.metric.label)}*"
    if line.error is not None:
        return f"{label}  {escape(line.error)}"
    if not line.has_data:
        return f"{label}  {NO_DATA} this week"
    value = format_value(line.value, line.metric.unit, currency=currency)
    parts = [f"{label}  {value}", change_words(line, currency)]
    target = target_words(line, currency)
    if target:
        parts.append(target)
    text = "  ·  ".join(parts)
    flag = anomaly_words(line, currency)
    return f"{text}\n{flag}" if flag else text


def plain_line(line: KpiLine, currency: str) -> str:
    """The same line without Slack markup (fallback text, terminal previews)."""
    return kpi_line_text(line, currency).replace("*", "").replace(":dart: ", "").replace(":warning: ", "! ")
