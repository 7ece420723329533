"""Targets per metric: reading "150k" / "5%" / "2.5" into a value, and the targets repository."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from kpi_engine.catalog import MetricDefinition
from kpi_engine.db.models import Target

_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9}
_NUMBER = re.compile(r"^\s*([-+]?\d[\d,_]*(?:\.\d+)?|[-+]?\.\d+)\s*([kmb]?)\s*(%?)\s*$", re.IGNORECASE)


class TargetValueError(ValueError):
    pass


def parse_target_value(text: str, metric: MetricDefinition) -> float:
    """`150k` → 150000; for percent metrics `5%` and `5` both mean 0.05 (rates are stored as fractions)."""
    cleaned = text.strip().lstrip("$€£")
    match = _NUMBER.match(cleaned)
    if not match:
        raise TargetValueError(f"{text!r} is not a number (try 150k, 2.5M, 5% or 0.05)")
    number = float(match.group(1).replace(",", "").replace("_", "")) * _SUFFIX[match.group(2).lower()]
    if metric.unit == "percent" and (match.group(3) or number > 1):
        number /= 100
    elif match.group(3):
        raise TargetValueError(f"{metric.label} is not a percentage; give a plain number")
    return number


def set_target(session: Session, metric_id: str, value: float, due: date | None, created_by: str | None) -> Target:
    target = session.get(Target, metric_id) or Target(metric_id=metric_id)
    target.value = value
    target.due = due
    target.created_by = created_by
    target.created_at = datetime.now(UTC).replace(tzinfo=None)
    session.add(target)
    return target


def list_targets(session: Session) -> list[Target]:
    return list(session.scalars(select(Target).order_by(Target.metric_id)))


def remove_target(session: Session, metric_id: str) -> bool:
    return session.execute(delete(Target).where(Target.metric_id == metric_id)).rowcount > 0
