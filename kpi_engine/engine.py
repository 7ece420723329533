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
    """`conn` is a connection to DATABASE_URL. With a source configured (KPI_SOURCE_URL / KPI_SOURCE_MAP) the
    query runs on the database holding its tables (kpi_engine.sources.routing); else on `conn`, as always."""
    if not settings.uses_source:
        return run_on(conn, conn, query, catalog, settings)
    from kpi_engine.sources.routing import run_routed

    return run_routed(conn, query, catalog, settings, lambda data, state: run_on(data, state, query, catalog, settings))


def run_on(
    conn: Connection,
    state: Connection,
    query: MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery,
    catalog: Catalog,
    settings: Settings,
) -> MetricResult | TableResult:
    """Runs the query's computation on `conn`; the bot's own state (targets) is read on `state`."""
    if isinstance(query, MetricQuery):
        from kpi_engine.compute.runner import run_metric

        return run_metric(conn, query, catalog, settings, state=state)
    if isinstance(query, MovementsQuery):
        from kpi_engine.compute.movements import run_movements

        return run_movements(conn, query, settings)
    if isinstance(query, FunnelQuery):
        from kpi_engine.compute.funnels import run_funnel

        return run_funnel(conn, query, settings)
    from kpi_engine.compute.retention import run_retention

    return run_retention(conn, query, settings)
