"""What a digest says, as data: per KPI the week's value, the week before, the trend, the target and any anomaly.

Each KPI is one engine query over the last `HISTORY_WEEKS` ISO weeks by week (the last bucket is the reported
week), so value, previous week, trend and anomaly history come from the same SQL. Reports are pure data; the
Block Kit and the chart are built from them elsewhere. Identical reports (same KPIs, filters and week) are
computed once per run and shared between subscriptions (`ReportCache`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from bot.digests.details import DigestDetails, collect_details
from bot.shared.anomaly import HISTORY_WEEKS, Anomaly, detect
from bot.shared.local_time import history_weeks
from bot.shared.metric_names import query_filters
from kpi_engine.answers.ask import answer_query
from kpi_engine.answers.presentation import Presentation, last_bucket, present
from kpi_engine.catalog import Catalog, MetricDefinition
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery
from kpi_engine.results import MetricResult, SeriesPoint, TargetStatus
from kpi_engine.settings import Settings

NO_DATA_DETAIL = "no data: no KPI has data for this week, so nothing was posted"
NO_DATA_YET_DETAIL = "no data yet: the KPIs' data ends before this week, so nothing was posted"


@dataclass(frozen=True)
class KpiLine:
    metric: MetricDefinition
    value: float | None = None
    previous: float | None = None
    series: list[SeriesPoint] = field(default_factory=list)  # oldest first; the last point is the reported week
    target: TargetStatus | None = None
    anomaly: Anomaly | None = None
    error: str | None = None  # why this KPI could not be computed (e.g. a filter it does not support)
    data_to: datetime | None = None  # the newest row of the KPI's table, when the engine knows it
    shown: Presentation | None = None  # the reported week as it reads (value, change, target): the words render it

    @property
    def has_data(self) -> bool:
        return self.value is not None

    @property
    def has_history(self) -> bool:
        """Data behind the value: the engine saw rows (data_to), or some week is not 0. An empty database gives
        MRR $0 and Signups 0 for every week; that is no data, not a week to report."""
        if self.value is None:
            return False
        if self.data_to is not None:
            return True
        return any(point.value not in (None, 0) for point in self.series)


@dataclass(frozen=True)
class DigestReport:
    week: Period
    lines: list[KpiLine]
    filters: dict[str, list[str]]
    currency: str
    details: DigestDetails = field(default_factory=DigestDetails)
    left_out: list[str] = field(default_factory=list)  # labels of KPIs not shown here (access rules)

    @property
    def has_data(self) -> bool:
        """Whether the digest has anything to say: a digest is never posted (nor previewed) without it."""
        return has_data(self.lines)

    @property
    def skip_detail(self) -> str:
        """Why a digest without data is not posted: no data yet when some KPI's data ends before the week."""
        yet = any(line.shown is not None and line.shown.no_data_yet for line in self.lines)
        return NO_DATA_YET_DETAIL if yet else NO_DATA_DETAIL


def has_data(lines: Sequence[KpiLine]) -> bool:
    """At least one KPI with data behind its value (runs log "skipped: no data" otherwise)."""
    return any(line.has_history for line in lines)


def kpi_line(engine: Engine, settings: Settings, catalog: Catalog, metric: MetricDefinition, week: Period,
             filters: dict[str, list[str]]) -> KpiLine:
    # as of the day after the reported week: the week is over, so it is partial only where the data stops short
    query = MetricQuery(metric=metric.id, as_of=week.end + timedelta(days=1), period=history_weeks(week, HISTORY_WEEKS),
                        granularity="week", comparison="none", filters=query_filters(filters))
    answer = answer_query(query, engine=engine, settings=settings, catalog=catalog)
    result = answer.result
    if not isinstance(result, MetricResult) or answer.error is not None:
        return KpiLine(metric, error=answer.error or "could not be computed")
    series = list(result.series or [])
    last = last_bucket(result)  # the target is the result's (set for the same filters), attained by the week
    anomaly = detect([p.value for p in series], metric.kind)
    shown = present(last, currency=settings.kpi_currency_symbol)
    return KpiLine(metric, shown.value, last.previous_value, series, last.target, anomaly, data_to=result.data_to,
                   shown=shown)


def build_report(engine: Engine, settings: Settings, catalog: Catalog, metric_ids: Sequence[str], week: Period,
                 filters: dict[str, list[str]], *, with_details: bool = True) -> DigestReport:
    metrics = [m for m in (catalog.find(metric_id) for metric_id in metric_ids) if m is not None]
    lines = [kpi_line(engine, settings, catalog, metric, week, filters) for metric in metrics]
    details = collect_details(engine, settings, catalog, lines, week, filters) if with_details else DigestDetails()
    return DigestReport(week, lines, dict(filters), settings.kpi_currency_symbol, details)


Key = tuple[Any, ...]


class ReportCache:
    """Reports (and charts) by (KPIs, filters, week): a hundred channels with the default digest cost one query set.

    Concurrent callers asking for the same key wait for the first one instead of computing it again."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._values: dict[Key, Any] = {}
        self._pending: dict[Key, threading.Event] = {}

    def get(self, key: Key, compute: Callable[[], Any]) -> Any:
        while True:
            with self._lock:
                if key in self._values:
                    return self._values[key]
                waiting = self._pending.get(key)
                if waiting is None:
                    self._pending[key] = threading.Event()
                    break
            waiting.wait()
        try:
            value = compute()
            with self._lock:
                self._values[key] = value
            return value
        finally:
            with self._lock:
                self._pending.pop(key).set()


def report_key(kind: str, metric_ids: Sequence[str], week: Period, filters: dict[str, list[str]]) -> Key:
    return (kind, tuple(metric_ids), week.start, week.end, tuple((k, tuple(v)) for k, v in sorted(filters.items())))
