"""The digest's thread: breakdowns of a few headline KPIs, the week's MRR movements, and the week's survey comments.

Everything is computed in SQL (the engine for breakdowns and movements, one small LIMITed select for comments;
filtered by an account attribute, the accounts' ids are read first where the accounts live).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, and_, bindparam, func, select

from bot.shared.metric_names import query_filters
from kpi_engine.answers.ask import answer_query
from kpi_engine.catalog import Catalog
from kpi_engine.db.models import Account, SurveyResponse
from kpi_engine.periods import Period
from kpi_engine.query import MetricQuery, MovementsQuery
from kpi_engine.results import GroupValue, MetricResult, TableResult
from kpi_engine.settings import Settings
from kpi_engine.sources.routing import contract_connection

if TYPE_CHECKING:
    from bot.digests.report import KpiLine

MAX_BREAKDOWNS = 3
MAX_GROUPS = 5
MAX_COMMENTS = 5
BREAKDOWN_DIMENSIONS = ("plan", "segment", "channel", "priority", "topic")
MRR_FAMILY = frozenset({"mrr", "arr", "net_new_mrr", "new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr",
                        "reactivation_mrr"})  # finance metrics only: the bridge is finance data too
ACCOUNT_DIMENSIONS = ("plan", "segment", "channel", "country")


@dataclass(frozen=True)
class Breakdown:
    metric_id: str
    label: str
    unit: str
    direction: str
    dimension: str
    groups: list[GroupValue]
    more: int  # groups not shown


@dataclass(frozen=True)
class Comment:
    survey: str
    score: int
    text: str
    topic: str | None


@dataclass(frozen=True)
class DigestDetails:
    breakdowns: list[Breakdown] = field(default_factory=list)
    movements: TableResult | None = None
    comments: list[Comment] = field(default_factory=list)
    comment_count: int = 0

    @property
    def empty(self) -> bool:
        return not self.breakdowns and self.movements is None and not self.comments


def breakdowns(engine: Engine, settings: Settings, catalog: Catalog, lines: Sequence[KpiLine], week: Period,
               filters: dict[str, list[str]]) -> list[Breakdown]:
    out: list[Breakdown] = []
    for line in lines:
        if len(out) >= MAX_BREAKDOWNS:
            break
        dimension = next((d for d in BREAKDOWN_DIMENSIONS if d in line.metric.dimensions and d not in filters), None)
        if not line.has_data or dimension is None:
            continue
        query = MetricQuery(metric=line.metric.id, as_of=week.end, period=week, breakdown=dimension,
                            filters=query_filters(filters))
        answer = answer_query(query, engine=engine, settings=settings, catalog=catalog)
        result = answer.result
        if answer.error is not None or not isinstance(result, MetricResult) or not result.breakdown:
            continue
        groups = [g for g in result.breakdown if g.value is not None]
        out.append(Breakdown(line.metric.id, line.metric.label, line.metric.unit, line.metric.direction, dimension,
                             groups[:MAX_GROUPS], max(0, len(groups) - MAX_GROUPS)))
    return out


def movements(engine: Engine, settings: Settings, catalog: Catalog, lines: Sequence[KpiLine], week: Period,
              filters: dict[str, list[str]]) -> TableResult | None:
    if not any(line.metric.id in MRR_FAMILY and line.has_history for line in lines):
        return None
    query = MovementsQuery(as_of=week.end, period=week, filters=query_filters(filters))
    answer = answer_query(query, engine=engine, settings=settings, catalog=catalog)
    result = answer.result
    if answer.error is not None or not isinstance(result, TableResult):
        return None
    moved = any(isinstance(row[1], int | float) and row[1] for row in result.rows if len(row) > 1)
    return result if moved else None  # an all-zero bridge says nothing


def comments(engine: Engine, settings: Settings, week: Period, filters: dict[str, list[str]]) -> tuple[list[Comment],
                                                                                                      int]:
    """The latest comments of the week (and how many there were in all)."""
    responses = SurveyResponse.__table__
    start, end = week.instants(settings.tz)
    conditions: list[Any] = [responses.c.responded_at >= start, responses.c.responded_at < end,
                             responses.c.comment.is_not(None), func.length(func.trim(responses.c.comment)) > 0]
    account_filters = {dim: values for dim, values in filters.items() if dim in ACCOUNT_DIMENSIONS}
    if account_filters:  # the accounts live where the contract tables do (maybe a source): their ids, read there
        accounts = Account.__table__
        matching = select(accounts.c.account_id).where(*(accounts.c[d].in_(v) for d, v in account_filters.items()))
        with contract_connection(engine, settings) as conn:
            ids = sorted(str(a) for a in conn.scalars(matching))
        conditions.append(responses.c.account_id.in_(bindparam("ids", ids, expanding=True, literal_execute=True)))
    for dim in ("survey", "topic"):
        if dim in filters:
            conditions.append(responses.c[dim].in_(filters[dim]))
    where = and_(*conditions)
    with engine.connect() as conn:
        count = conn.execute(select(func.count()).select_from(responses).where(where)).scalar_one()
        rows = conn.execute(
            select(responses.c.survey, responses.c.score, responses.c.comment, responses.c.topic)
            .where(where)
            .order_by(responses.c.responded_at.desc(), responses.c.response_id).limit(MAX_COMMENTS)
        ).all()
    return [Comment(r.survey, int(r.score), " ".join(str(r.comment).split()), r.topic) for r in rows], int(count)


def collect_details(engine: Engine, settings: Settings, catalog: Catalog, lines: Sequence[KpiLine], week: Period,
                    filters: dict[str, list[str]]) -> DigestDetails:
    found, count = comments(engine, settings, week, filters)
    return DigestDetails(
        breakdowns=breakdowns(engine, settings, catalog, lines, week, filters),
        movements=movements(engine, settings, catalog, lines, week, filters),
        comments=found,
        comment_count=count,
    )
