"""A connection that runs each statement on the database holding its tables, for a separate source whose
derived tables live in DATABASE_URL (no scratch schema): statements over derived tables run on the state
database, statements over contract tables on the source; one naming both would join across databases and is
refused with a clear message (no silent fallback).

The computations use `execute`, `scalar`, `scalars`, `dialect`, and (ensure_derived_current) `in_transaction`
and `begin`: those are forwarded; anything else is the source connection's.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.sql import visitors

from kpi_engine.sources.contract import DERIVED_TABLES, PROFILE_TABLES
from kpi_engine.sources.source import SourceUnavailable


class CrossDatabaseQuery(SourceUnavailable):
    pass


def table_names(statement: Any) -> set[str]:
    if not hasattr(statement, "get_children"):
        return set()
    return {element.name for element in visitors.iterate(statement) if isinstance(element, Table)}


class RoutedConnection:
    def __init__(self, source: Connection, state: Connection) -> None:
        self.source = source
        self.state = state

    def target(self, statement: Any) -> Connection:
        names = table_names(statement)
        derived = names & {*DERIVED_TABLES, *PROFILE_TABLES}
        if not derived:
            return self.source
        raw = {n for n in names - derived if n not in ("windows",)}
        contract = {n for n in raw if n in _contract_names()}
        if contract:
            raise CrossDatabaseQuery(
                f"this needs {', '.join(sorted(contract))} of the source together with the usage tables kept in "
                "DATABASE_URL: set KPI_SOURCE_SCRATCH_SCHEMA so the usage tables live beside the source's tables")
        return self.state

    def execute(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return self.target(statement).execute(statement, *args, **kwargs)

    def scalar(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return self.target(statement).scalar(statement, *args, **kwargs)

    def scalars(self, statement: Any, *args: Any, **kwargs: Any) -> Any:
        return self.target(statement).scalars(statement, *args, **kwargs)

    def in_transaction(self) -> bool:
        return self.state.in_transaction()

    def begin(self) -> Any:
        return self.state.begin()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.source, name)


def _contract_names() -> set[str]:
    from kpi_engine.sources.contract import MAPPABLE_TABLES

    return set(MAPPABLE_TABLES)
