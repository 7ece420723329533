"""DuckDB (duckdb-engine): the default (PostgreSQL) SQL forms fit; only reading a table's columns needs help.

duckdb-engine reflects columns with SQLAlchemy's PostgreSQL catalog query, which since SQLAlchemy 2.0.45 reads
`pg_catalog.pg_collation` in a form DuckDB cannot bind (Mause/duckdb_engine#1379, #1391). A prepared engine
reads columns from `information_schema.columns` instead, so `inspect(engine).get_columns` and
`Table(..., autoload_with=engine)` work (custom metrics and `source check` use them).
"""

from __future__ import annotations

import re
from types import MethodType
from typing import Any

from sqlalchemy import Engine, bindparam, text
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.types import NullType, TypeEngine

from kpi_engine.compute.dialect.functions import distinct_values, distinct_values_by_scan

DIALECT = "duckdb"

compiles(distinct_values, DIALECT)(distinct_values_by_scan)  # a column store: one scan of the column

_COLUMNS = """
select table_schema, table_name, column_name, data_type, is_nullable
from information_schema.columns
where table_schema = :schema{names}
order by table_name, ordinal_position
"""


SOURCE_FAMILIES = (("TIMESTAMP WITH TIME ZONE", "tstz"), ("TIMESTAMP_TZ", "tstz"), ("TIMESTAMP", "ts"),
                   ("DATE", "date"), ("VARCHAR", "text"), ("BOOLEAN", "bool"), ("DOUBLE", "num"), ("FLOAT", "num"),
                   ("DECIMAL", "num"), ("BIGINT", "int"), ("INTEGER", "int"), ("SMALLINT", "int"),
                   ("HUGEINT", "int"), ("UBIGINT", "int"))


def source_type_family(type_name: str) -> str | None:
    """The family (ts | tstz | date | text | int | num | bool) of a DuckDB result type name, as duckdb's DB-API
    describes result columns (kpi_engine.compute.dialect.source_columns)."""
    name = type_name.upper()
    return next((family for prefix, family in SOURCE_FAMILIES if name.startswith(prefix)), None)


def column_type(dialect: Any, data_type: str) -> TypeEngine[Any]:
    """The SQLAlchemy type of a DuckDB type name ('VARCHAR', 'DECIMAL(10,2)', 'TIMESTAMP WITH TIME ZONE')."""
    match = re.fullmatch(r"\s*([A-Za-z ]+?)\s*(?:\(([\d, ]+)\))?\s*", data_type)
    if match is None:
        return NullType()
    name, args = match.group(1).lower(), match.group(2)
    if name == "timestamp with time zone":
        from sqlalchemy import DateTime

        return DateTime(timezone=True)
    kind = dialect.ischema_names.get(name)
    if kind is None:
        return NullType()
    if args and name in ("decimal", "numeric"):
        precision, scale = (int(a) for a in args.split(","))
        return kind(precision, scale)
    return kind()


def _get_multi_columns(dialect: Any, connection: Any, schema: str | None = None, filter_names: Any = None,
                       scope: Any = None, kind: Any = None, **kw: Any) -> list[tuple[tuple[str | None, str],
                                                                                   list[dict[str, Any]]]]:
    names = " and table_name in :names" if filter_names else ""
    stmt = text(_COLUMNS.format(names=names))
    params: dict[str, Any] = {"schema": schema or dialect.default_schema_name or "main"}
    if filter_names:
        stmt = stmt.bindparams(bindparam("names", expanding=True))
        params["names"] = list(filter_names)
    out: dict[tuple[str | None, str], list[dict[str, Any]]] = {}
    for row in connection.execute(stmt, params):
        out.setdefault((schema, row.table_name), []).append({
            "name": row.column_name,
            "type": column_type(dialect, row.data_type),
            "nullable": row.is_nullable == "YES",
            "default": None,
            "autoincrement": False,
            "comment": None,
        })
    return list(out.items())


def prepare_duckdb(engine: Engine) -> None:
    """Column reflection from information_schema on this engine's dialect (not on duckdb-engine at large)."""
    engine.dialect.get_multi_columns = MethodType(_get_multi_columns, engine.dialect)  # type: ignore[method-assign]
