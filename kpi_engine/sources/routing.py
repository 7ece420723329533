"""Which database answers a query once a source is configured.

A query reads the contract tables of its metric (the catalog's `tables`). Tables of the source are read
through the source engine (mapped, read-only); the survey tables the bot writes itself stay in
DATABASE_URL, so survey metrics run there as before (no query ever joins the two databases). The bot's own
state a result needs (targets) is always read on the state connection.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy import Connection
from sqlalchemy.exc import SQLAlchemyError

from kpi_engine.catalog import Catalog
from kpi_engine.query import FunnelQuery, MetricQuery, MovementsQuery, RetentionQuery
from kpi_engine.settings import Settings
from kpi_engine.sources.adapter import SourceWriteRefused
from kpi_engine.sources.routed import CrossDatabaseQuery, RoutedConnection
from kpi_engine.sources.source import Source, SourceUnavailable, current_source, describe_error

T = TypeVar("T")
AnyQuery = MetricQuery | MovementsQuery | FunnelQuery | RetentionQuery
USAGE_TABLES = ("events", "users")


def tables_of(query: AnyQuery, catalog: Catalog) -> tuple[str, ...]:
    if isinstance(query, MetricQuery):
        metric = catalog.find(query.metric)
        return metric.tables if metric is not None else ()
    if isinstance(query, MovementsQuery):
        return ("subscriptions",)
    return USAGE_TABLES


def listed_catalog(catalog: Catalog, settings: Settings) -> Catalog:
    """The catalog without listing the metrics a table of which the source does not have."""
    source = current_source(settings)
    return catalog.without_listing(m.id for m in catalog if any(t in source.absent for t in m.tables))


def run_routed(
    state: Connection, query: AnyQuery, catalog: Catalog, settings: Settings,
    run: Callable[[Connection, Connection], T],
) -> T:
    """`run(data_connection, state_connection)` on the database that holds the query's tables."""
    tables = tables_of(query, catalog)
    source = current_source(settings)
    on_source = [t for t in tables if source.on_source(t)]
    if not on_source:
        return run(state, state)
    for table in on_source:
        source.check_readable(table)
    if source.derived_in_state:  # each statement on the database holding its tables
        return run_on(source, on_source[0], lambda conn: run(RoutedConnection(conn, state), state))  # type: ignore[arg-type]
    return run_on(source, on_source[0], lambda conn: run(conn, state))


def run_on(source: Source, table: str, work: Callable[[Connection], T]) -> T:
    """Runs `work` on a source connection; a source failure becomes SourceUnavailable naming `table`."""
    try:
        with source.connect() as conn:
            return work(conn)
    except CrossDatabaseQuery:
        raise
    except SourceUnavailable as exc:
        raise SourceUnavailable(f"the source for {table} is not reachable: {str(exc).split(': ', 1)[-1]}") from exc
    except SourceWriteRefused as exc:
        raise SourceUnavailable(f"the source for {table} is read-only here ({exc})") from exc
    except SQLAlchemyError as exc:
        detail = describe_error(exc)
        if "read-only" in detail or "readonly" in detail:  # a query wanted to rebuild the derived tables
            raise SourceUnavailable(f"the usage tables are out of date: run `kpibot refresh` ({detail})") from exc
        raise SourceUnavailable(f"the source for {table} is not reachable: {detail}") from exc
