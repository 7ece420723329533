"""What the engine returns. One answer model serves the CLI, Slack, digests and App Home."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel

from kpi_engine.periods import GRAINS, Grain, Period


class SeriesPoint(BaseModel):
    start: date
    end: date
    value: float | None
    partial: bool = False  # the bucket holds the as-of day or reaches past the newest data (KPI_SPEC §1)
    n: int | None = None  # survey responses in the bucket
    ci95: tuple[float, float] | None = None


def like_for_like(bucket: SeriesPoint, before: SeriesPoint, granularity: str | None) -> bool:
    """A bucket and the previous period's bucket in its place compare like for like: both whole calendar units
    (months of 30 and 31 days), or both of the same length. A bucket cut short by the period (the week of Nov 1
    in "by week last month") beside a longer one would read as a change that did not happen."""
    grain = next((g for g in GRAINS if g == granularity), None)
    if grain is not None and all(_whole(p, grain) for p in (bucket, before)):
        return True
    return (bucket.end - bucket.start) == (before.end - before.start)


def _whole(bucket: SeriesPoint, grain: Grain) -> bool:
    unit = Period.calendar(bucket.start, grain)
    return (unit.start, unit.end) == (bucket.start, bucket.end)


class GroupValue(BaseModel):
    group: str
    value: float | None
    n: int | None = None
    previous: float | None = None
    subgroup: str | None = None  # the second dimension's value, for a two-dimension breakdown


class TargetStatus(BaseModel):
    value: float
    due: date | None = None
    attainment: float | None = None  # current value / target (for lower-is-better: target / value)
    met: bool | None = None


class MetricResult(BaseModel):
    metric: str
    label: str
    unit: str
    kind: str
    direction: str
    definition: str = ""
    formula: str = ""
    period: Period
    value: float | None
    n: int | None = None
    ci95: tuple[float, float] | None = None
    parts: dict[str, float | int | None] = {}  # e.g. promoters/passives/detractors shares for NPS
    previous_period: Period | None = None
    previous_value: float | None = None
    series: list[SeriesPoint] | None = None
    previous_series: list[SeriesPoint] | None = None
    granularity: str | None = None
    breakdown_dimension: str | None = None
    breakdown: list[GroupValue] | None = None
    hidden_groups: int = 0  # survey groups left out for having fewer than the minimum responses
    subgroup_dimension: str | None = None  # "mrr by plan and segment": segment
    group_series: dict[str, list[SeriesPoint]] | None = None  # a series per group ("mrr by plan by month")
    target: TargetStatus | None = None
    filters: dict[str, list[str]] = {}
    sql: list[str] = []
    partial: bool = False  # the period holds the as-of day or reaches past the newest data
    data_to: datetime | None = None  # the newest timestamp of the table the metric is computed from
    comparison_text: str | None = None  # what is compared, in words: "Dec 1–2 vs Nov 1–2"
    period_text: str | None = None  # the period in words: "last 30 days (Nov 1 – Nov 30)", "Dec 1–2"
    change_ci95: tuple[float, float] | None = None  # survey scores: 95% interval of value − previous_value
    data_from: date | None = None  # set when the comparison period starts before the table's first day
    notes: list[str] = []  # what the reader must know: "data up to Nov 30, 14:02", "by week: too few answers"
    data_table: str | None = None  # the table data_to was read from ("orders")
    data_last_day: date | None = None  # data_to's local day

    @property
    def no_data_yet(self) -> bool:
        """The whole period lies after the newest data: a flow has no value there yet (KPI_SPEC §1). A stock is
        the state at the end of the period, which past the data is the last known state: it keeps its value."""
        return self.kind != "stock" and self.data_last_day is not None and self.period.start > self.data_last_day

    @property
    def change(self) -> float | None:
        if self.value is None or self.previous_value is None:
            return None
        return self.value - self.previous_value

    @property
    def before_data(self) -> bool:
        """The comparison period starts before the metric's table has rows: no change can be told."""
        return self.data_from is not None

    @property
    def change_ratio(self) -> float | None:
        if self.change is None or not self.previous_value:
            return None
        return self.change / abs(self.previous_value)

    def to_json(self) -> dict[str, Any]:
        """The `kpibot ask --json` contract of DESIGN.md."""
        out: dict[str, Any] = {
            "metric": self.metric,
            "label": self.label,
            "unit": self.unit,
            "period": _period_json(self.period),
            "value": None if self.no_data_yet else self.value,
            "previous": {
                "period": _period_json(self.previous_period) if self.previous_period else None,
                "value": self.previous_value,
            },
            "change": None if self.before_data or self.no_data_yet else self.change,
            "partial": self.partial,
            "data_to": self.data_to.isoformat() if self.data_to is not None else None,
        }
        if self.no_data_yet:
            assert self.data_last_day is not None
            out["no_data_yet"] = f"no data yet: the {table_words(self.data_table)} data ends on {self.data_last_day}"
        if self.comparison_text is not None:
            out["comparison_text"] = self.comparison_text
        if self.data_from is not None:
            out["previous"]["no_data_before"] = self.data_from.isoformat()
        if self.change_ci95 is not None:
            out["change_ci95"] = [self.change_ci95[0], self.change_ci95[1]]
        if self.notes:
            out["notes"] = self.notes
        if self.breakdown is not None:
            out["breakdown_dimension"] = self.breakdown_dimension
            out["breakdown"] = [{"group": g.group, "value": g.value, **({"n": g.n} if g.n is not None else {})}
                                for g in self.breakdown]
        if self.hidden_groups:
            out["hidden_groups"] = self.hidden_groups
        if self.series is not None:
            out["granularity"] = self.granularity
            out["series"] = [_point_json(p) for p in self.series]
        if self.n is not None:
            out["n"] = self.n
        if self.ci95 is not None:
            out["ci95"] = [self.ci95[0], self.ci95[1]]
        if self.target is not None:
            out["target"] = self.target.model_dump(mode="json")
        if self.filters:
            out["filters"] = self.filters
        return out


class TableResult(BaseModel):
    """Funnels, retention cohorts and the MRR bridge: a small table plus context."""

    kind: str  # "funnel" | "retention" | "movements"
    title: str
    period: Period
    columns: list[str]
    rows: list[list[Any]]
    unit: str = "count"
    notes: list[str] = []
    sql: list[str] = []

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "period": _period_json(self.period),
            "columns": self.columns,
            "rows": self.rows,
            "unit": self.unit,
            "notes": self.notes,
        }


def table_words(table: str | None) -> str:
    """A contract table in words: `marketing spend`, `work items`; `data` when unknown."""
    return table.replace("_", " ") if table else "data"


def _point_json(point: SeriesPoint) -> dict[str, Any]:
    out: dict[str, Any] = {"start": point.start.isoformat(), "end": point.end.isoformat(), "value": point.value}
    if point.partial:
        out["partial"] = True
    if point.n is not None:
        out["n"] = point.n
    if point.ci95 is not None:
        out["ci95"] = [point.ci95[0], point.ci95[1]]
    return out


def _period_json(period: Period) -> dict[str, str]:
    return {"start": period.start.isoformat(), "end": period.end.isoformat()}
