"""The words of a digest: one line per KPI (value, change with arrow and verdict, target, anomaly in plain words).

Each line renders the reported week's Presentation (kpi_engine.answers.presentation), like every answer, so a
number and its change read the same in answers and digests.
"""

from __future__ import annotations

from bot.blocks.text import escape
from bot.digests.report import KpiLine
from bot.shared.anomaly_wording import describe_anomaly
from kpi_engine.answers.format import NO_DATA, Change
from kpi_engine.answers.presentation import Presentation

ARROWS = {"up": "↑", "down": "↓", "flat": "→"}


def line_change(line: KpiLine) -> Change | None:
    """The week's change in the shared wording (the line's Presentation): percentage points for rates, no
    percentage against 0, a survey score's 95% interval. A digest reports a week that is over (the report
    runs as of the day after it), so its change is worded as complete (kpi_engine.answers.presentation.
    last_bucket); a table whose newest row is older than the week's end is the digest's freshness to tell,
    not a reason to word every change "so far"."""
    return line.shown.change if line.shown is not None else None


def change_words(line: KpiLine) -> str:
    """`↑ 4.2% (+$500) vs the week before — good`; says so when the week before has no data."""
    change = line_change(line)
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


def target_words(shown: Presentation) -> str | None:
    """`🎯 84% of the $150k target (due 2026-12-31)`, `🎯 target $150k met`."""
    target = shown.result.target
    if target is None:
        return None
    goal = shown.format(target.value, compact=True)
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
    if line.shown is not None and line.shown.no_data_yet:  # the week lies after the KPI's newest data
        return f"{label}  {escape(line.shown.value_text)}"
    if not line.has_data or line.shown is None:
        return f"{label}  {NO_DATA} this week"
    parts = [f"{label}  {line.shown.value_text}", change_words(line)]
    target = target_words(line.shown)
    if target:
        parts.append(target)
    text = "  ·  ".join(parts)
    flag = anomaly_words(line, currency)
    return f"{text}\n{flag}" if flag else text


def plain_line(line: KpiLine, currency: str) -> str:
    """The same line without Slack markup (fallback text, terminal previews)."""
    return kpi_line_text(line, currency).replace("*", "").replace(":dart: ", "").replace(":warning: ", "! ")
