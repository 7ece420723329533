"""Targets per metric and filters: reading "150k" / "5%" / "2.5" into a value, and the targets repository.

A target applies only to answers with the same filters: the company-wide target of MRR is not the target of
"MRR for plan pro". Filters are compared in a canonical form (`scope_key`): dimensions and values sorted,
values lower-cased.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, select
from sqlalchemy.orm import Session

from kpi_engine.catalog import MetricDefinition
from kpi_engine.db.models import Target

_SUFFIX = {"": 1.0, "k": 1e3, "m": 1e6, "b": 1e9}
_NUMBER = re.compile(r"^\s*([-+]?\d[\d,_]*(?:\.\d+)?|[-+]?\.\d+)\s*([kmb]?)\s*(%?)\s*$", re.IGNORECASE)
Filters = Mapping[str, Sequence[str]]


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


def clean_filters(filters: Filters | None) -> dict[str, list[str]]:
    return {dim.strip().lower(): sorted({v.strip() for v in values if v.strip()})
            for dim, values in sorted((filters or {}).items()) if any(v.strip() for v in values)}


def scope_key(filters: Filters | None) -> str:
    """`""` (company-wide), `plan=pro`, `plan=basic,pro;segment=smb`."""
    cleaned = clean_filters(filters)
    return ";".join(f"{dim}={','.join(sorted(v.lower() for v in values))}" for dim, values in cleaned.items())


def describe_scope(filters: Filters | None) -> str:
    """`for plan pro`, `for plan basic or pro and segment smb`; "" company-wide."""
    cleaned = clean_filters(filters)
    if not cleaned:
        return ""
    return "for " + " and ".join(f"{dim} {' or '.join(values)}" for dim, values in cleaned.items())


_FOR = re.compile(r"\s+for\s+(.+)$", re.IGNORECASE)
_PAIR = re.compile(r"^\s*([a-z_][a-z0-9_]*)\s*(?:=|:|\s)\s*(.+?)\s*$", re.IGNORECASE)


def parse_filters(text: str) -> dict[str, list[str]]:
    """`plan pro`, `plan=pro`, `plan pro, basic and segment smb` → {"plan": ["basic", "pro"], "segment": ["smb"]}."""
    filters: dict[str, list[str]] = {}
    for part in re.split(r"\s+and\s+|;", text.strip(), flags=re.IGNORECASE):
        match = _PAIR.match(part)
        if match is None:
            raise TargetValueError(f"{part.strip()!r} is not a filter (write `plan pro` or `plan=pro`)")
        values = [v for v in re.split(r"\s*(?:,|\bor\b)\s*", match.group(2)) if v]
        filters.setdefault(match.group(1).lower(), []).extend(values)
    return clean_filters(filters)


def split_for(text: str) -> tuple[str, dict[str, list[str]]]:
    """`mrr 20k for plan pro` → (`mrr 20k`, {"plan": ["pro"]})."""
    match = _FOR.search(text)
    if match is None:
        return text, {}
    return text[: match.start()], parse_filters(match.group(1))


def set_target(session: Session, metric_id: str, value: float, due: date | None, created_by: str | None,
               filters: Filters | None = None) -> Target:
    scope = scope_key(filters)
    target = session.get(Target, (metric_id, scope)) or Target(metric_id=metric_id, scope=scope)
    target.filters = clean_filters(filters)
    target.value = value
    target.due = due
    target.created_by = created_by
    target.created_at = datetime.now(UTC).replace(tzinfo=None)
    session.add(target)
    return target


def list_targets(session: Session) -> list[Target]:
    return list(session.scalars(select(Target).order_by(Target.metric_id, Target.scope)))


def remove_target(session: Session, metric_id: str, filters: Filters | None = None) -> bool:
    statement = delete(Target).where(Target.metric_id == metric_id, Target.scope == scope_key(filters))
    return session.execute(statement).rowcount > 0  # type: ignore[attr-defined]


def find_target(conn: Connection, metric_id: str, filters: Filters | None = None) -> Any:
    """The (value, due) row of the target for exactly these filters, or None."""
    columns = Target.__table__.c  # Core columns: answering a question needs no ORM mapping
    return conn.execute(select(columns.value, columns.due)
                        .where(columns.metric_id == metric_id, columns.scope == scope_key(filters))).first()
