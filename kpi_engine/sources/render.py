"""Each mapped contract table as a SELECT over the source, with the contract's column names and types.

`read_plan` probes the source once (a `WHERE 1 = 0` query: no rows read) for the columns a `sql:` mapping
or an unmapped table has and for the type of every time column, then writes the subquery text:
ids and text as the engine's string type, numbers as its float, timestamps as naive UTC, unmapped optional columns
as typed nulls. Each engine's SQL for these is in kpi_engine.compute.dialect.source_columns.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Double, String, text
from sqlalchemy.engine import Dialect

from kpi_engine.compute.dialect.source_columns import as_date, as_family, naive_utc, result_type_family
from kpi_engine.importing.specs import Kind
from kpi_engine.sources.contract import model_table, spec
from kpi_engine.sources.mapping import SourceMap

KIND_FAMILY = {Kind.ID: "text", Kind.TEXT: "text", Kind.NUM: "num", Kind.INT: "int", Kind.BOOL: "bool"}


@dataclass(frozen=True)
class ReadPlan:
    """How one contract table is read: `body` is "(SELECT ...)"; `columns` maps contract column → source text
    (None: not mapped, read as null) for messages and checks; `origin` names the source table or "sql"."""

    name: str
    body: str
    columns: dict[str, str | None]
    origin: str
    converted: dict[str, str]  # contract column → its SQL in the contract's type (mapped columns only)


class SourceTableMissing(LookupError):
    pass


def base_from(source_map: SourceMap, name: str, dialect: Dialect) -> tuple[str, str]:
    """(FROM text, origin) of a contract table: its mapped table, its SELECT, or its own name."""
    mapping = source_map.tables.get(name)
    if mapping is None:
        return dialect.identifier_preparer.quote(name), name
    if mapping.sql is not None:
        return f"({mapping.sql.strip().rstrip(';')}) AS kpi_source", "sql"
    assert mapping.table is not None
    return mapping.table, mapping.table


def probe(conn: Connection, sql: str) -> list[tuple[str, Any]]:
    """(name, type code) of the result columns of a SELECT, reading no row."""
    result = conn.execute(text(f"SELECT * FROM ({sql}) AS kpi_probe WHERE 1 = 0"))
    try:
        return [(str(d[0]), d[1]) for d in result.cursor.description]
    finally:
        result.close()


def read_plan(conn: Connection, source_map: SourceMap, name: str) -> ReadPlan:
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    source, origin = base_from(source_map, name, dialect)
    mapping = source_map.tables.get(name)
    wanted = source_map.expressions(name)
    if mapping is None or mapping.columns is None:  # own names: only the columns the source has, typed as they are
        present = {column.lower(): code for column, code in probe(conn, f"SELECT * FROM {source}")}
        wanted = {c: (quote(c) if c.lower() in present else None) for c in wanted}
        families = {c: result_type_family(dialect.name, present[c.lower()]) for c, e in wanted.items() if e is not None}
    else:  # mapped expressions: typed by what they give
        mapped = {c: e for c, e in wanted.items() if e is not None}
        select_list = ", ".join(f"{expr} AS {quote(column)}" for column, expr in mapped.items())
        families = {column: result_type_family(dialect.name, code)
                    for column, code in probe(conn, f"SELECT {select_list} FROM {source}")} if mapped else {}
    zone = mapping.timezone if mapping is not None else "UTC"
    converted = {column: _column_sql(dialect, name, column, wanted[column], families.get(column), zone)
                 for column in wanted}
    parts = [f"{sql} AS {quote(column)}" for column, sql in converted.items()]
    return ReadPlan(name, f"(SELECT {', '.join(parts)} FROM {source})", wanted, origin,
                    {c: sql for c, sql in converted.items() if wanted[c] is not None})


def _column_sql(dialect: Dialect, table: str, column: str, expr: str | None, family: str | None, zone: str) -> str:
    kind = spec(table).column(column).kind
    contract_type = model_table(table).c[column].type
    if expr is None:
        return f"CAST(NULL AS {contract_type.compile(dialect)})"
    if kind == Kind.DATE:
        return as_date(dialect.name, expr, family)
    if kind == Kind.TS:
        return naive_utc(dialect.name, expr, family, zone)
    wanted = KIND_FAMILY[kind]
    target = String() if wanted == "text" else Double() if wanted == "num" else contract_type
    return as_family(dialect, expr, family, wanted, target)
