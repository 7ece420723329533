"""An anomaly in plain words, for digest lines and alert messages alike."""

from __future__ import annotations

from bot.shared.anomaly import Anomaly
from kpi_engine.answers.format import format_signed, format_value


def describe_anomaly(found: Anomaly, unit: str, direction: str, currency: str) -> str:
    """`Unusual: 4 is far below the last 11 weeks (usually 9 to 12) — worth a look`."""
    verdict = _verdict(found.side, direction)
    text = _anomaly_sentence(found, unit, currency)
    return f":warning: *Unusual:* {text}" + (f" — {verdict}" if verdict else "")


def _anomaly_sentence(found: Anomaly, unit: str, currency: str) -> str:
    def fmt(value: float) -> str:
        if found.measure == "change":
            return format_signed(value, unit, currency=currency)
        return format_value(value, unit, currency=currency)

    weeks = f"the last {found.weeks} weeks"
    subject = f"this week's change of {fmt(found.current)}" if found.measure == "change" else fmt(found.current)
    if found.measure == "change" and found.low == found.high == 0:
        return f"{subject} is unusual: it did not move at all in {weeks}"
    where = "above" if found.side == "high" else "below"
    usual = (f"it was {fmt(found.low)} every week" if found.low == found.high
             else f"usually {fmt(found.low)} to {fmt(found.high)}")
    return f"{subject} is far {where} {weeks} ({usual})"


def _verdict(side: str, direction: str) -> str | None:
    if direction == "neutral":
        return None
    good = (side == "high") == (direction == "higher")
    return "good news" if good else "worth a look"
