"""The one entry point from a query to a result, whatever the query type."""

from __future__ import annotations

from sqlalchemy import Connection

from kpi_engine.catalog import Catalog
from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery
from kpi_engine.results import MetricResult, TableResult
from kpi_engine.settings import Settings


def run_query(
    conn: Connection,
    query: MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery,
    catalog: Catalog,
    settings: Settings,
) -> MetricResult | TableResult:
    if isinstance(query, MetricQuery):
        from kpi_engine.compute.runner import run_metric

        return run_metric(conn, query, catalog, settings)
    if isinstance(query, MovementsQuery):
        from kpi_engine.compute.movements import run_movements

        return run_movements(conn, query, settings)
    if isinstance(query, FunnelQuery):
        from kpi_engine.compute.funnels import run_funnel

        return run_funnel(conn, query, settings)
    from kpi_engine.compute.retention import run_retention

    return run_retention(conn, query, settings)
