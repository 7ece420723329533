"""`kpibot source check`: the mapping against the live source, one report per contract table.

Per table read from the source: every mapped table and column exists (the probe), required columns are never
null, the key is unique, references resolve (where the referenced table is read too), a sample of values of
the typed columns parses (a value the source has but the contract type cannot hold), and the row count and
newest timestamp (freshness). An empty table is a problem too. Problems name the contract table and the
source column; a source that cannot be reached is named by its URL without the password.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, and_, func, select, text
from sqlalchemy.exc import SQLAlchemyError

from kpi_engine.sources.contract import MAPPABLE_TABLES, freshness_column, model_table, spec, time_columns
from kpi_engine.sources.render import base_from
from kpi_engine.sources.source import Source, describe_error

SAMPLE_ROWS = 1000


@dataclass
class TableReport:
    table: str
    origin: str = ""
    rows: int | None = None
    newest: date | None = None  # a datetime, or a date for a table of days
    problems: list[str] = field(default_factory=list)
    note: str | None = None  # absent, or kept in DATABASE_URL

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class CheckReport:
    source: str
    error: str | None = None
    tables: list[TableReport] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and all(t.ok for t in self.tables)

    def freshness(self) -> dict[str, Any]:
        """For /healthz: per table read from the source, its newest timestamp (ISO) and row count."""
        return {t.table: {"rows": t.rows, "newest": t.newest.isoformat() if t.newest else None, "ok": t.ok}
                for t in self.tables if t.note is None}


def check_source(source: Source) -> CheckReport:
    from kpi_engine.sources.source import safe_url

    report = CheckReport(safe_url(source.url), source.error)
    if source.error is not None or source.engine is None:
        return report
    try:
        with source.connect() as conn:
            for table in MAPPABLE_TABLES:
                report.tables.append(_check_table(conn, source, table))
    except (SQLAlchemyError, ValueError) as exc:
        report.error = f"{report.source}: {describe_error(exc)}"
    return report


def _check_table(conn: Connection, source: Source, name: str) -> TableReport:
    report = TableReport(name)
    if not source.on_source(name):
        report.note = "kept in DATABASE_URL (answers given in Slack)"
        return report
    if name in source.absent:
        report.note = "absent: not mapped and no such table (its metrics answer “no data source”)"
        return report
    report.origin = base_from(source.source_map, name, conn.dialect)[1]
    if name in source.problems:
        whole = f"{name} ({report.origin}): {source.problems[name]}"
        report.problems += _column_problems(conn, source, name) or [whole]
        return report
    for check in (_counts, _nulls, _key, _references, _sample):
        try:
            check(conn, source, name, report)
        except SQLAlchemyError as exc:
            conn.rollback()
            report.problems.append(f"{name} ({report.origin}): {describe_error(exc)}")
            break
    return report


def _column_problems(conn: Connection, source: Source, name: str) -> list[str]:
    """The failing mapped columns, each probed alone (a `table:` mapping only)."""
    mapping = source.source_map.tables.get(name)
    if mapping is None or mapping.table is None or mapping.columns is None:
        return []
    out = []
    for column, expr in mapping.columns.items():
        try:
            conn.execute(text(f"SELECT {expr} FROM {mapping.table} WHERE 1 = 0")).close()
        except SQLAlchemyError as exc:
            conn.rollback()
            out.append(f"{name}.{column} (source column {expr} of {mapping.table}): {describe_error(exc)}")
    return out


def _source_column(source: Source, name: str, column: str) -> str:
    expr = source.plans[name].columns.get(column)
    return f"{name}.{column} (source column {expr})" if expr else f"{name}.{column} (not mapped)"


def _counts(conn: Connection, source: Source, name: str, report: TableReport) -> None:
    table = model_table(name)
    newest = table.c[freshness_column(name)]
    report.rows, report.newest = conn.execute(select(func.count(), func.max(newest)).select_from(table)).one()
    if not report.rows:
        report.problems.append(f"{name} ({report.origin}): the table is empty")


def _nulls(conn: Connection, source: Source, name: str, report: TableReport) -> None:
    table = model_table(name)
    required = spec(name).required
    counts = conn.execute(select(*(func.count().filter(table.c[c].is_(None)) for c in required))).one()
    for column, nulls in zip(required, counts, strict=True):
        if nulls:
            report.problems.append(f"{_source_column(source, name, column)}: {nulls:,} rows are null (required)")


def _key(conn: Connection, source: Source, name: str, report: TableReport) -> None:
    table = model_table(name)
    key = [table.c[c] for c in spec(name).key]
    if spec(name).derived_key is not None and source.plans[name].columns.get(spec(name).key[0]) is None:
        return  # the key is derived from the row when absent
    doubles = select(*key).group_by(*key).having(func.count() > 1).subquery()
    repeated = conn.execute(select(func.count()).select_from(doubles)).scalar() or 0
    if repeated:
        columns = ", ".join(_source_column(source, name, c) for c in spec(name).key)
        report.problems.append(f"{columns}: {repeated:,} key values appear more than once (the key must be unique)")


def _references(conn: Connection, source: Source, name: str, report: TableReport) -> None:
    table = model_table(name)
    for ref in spec(name).references:
        if ref.table not in source.plans:
            continue
        target = model_table(ref.table).alias("referenced")
        column = table.c[ref.column]
        missing = conn.execute(
            select(func.count()).select_from(table.outerjoin(target, target.c[ref.target] == column))
            .where(and_(column.is_not(None), target.c[ref.target].is_(None)))
        ).scalar() or 0
        if missing:
            report.problems.append(f"{_source_column(source, name, ref.column)}: {missing:,} rows whose "
                                   f"{ref.column} is not in {ref.table}")


def _sample(conn: Connection, source: Source, name: str, report: TableReport) -> None:
    """Values the source has that the contract's type cannot hold: a timestamp that does not read as one (the
    converted value is null; on PostgreSQL and DuckDB the cast fails and says which value), and a sample of rows
    fetched through the contract types."""
    plan = source.plans[name]
    source_from, _ = base_from(source.source_map, name, conn.dialect)
    for column in time_columns(name):
        expr, converted = plan.columns.get(column), plan.converted.get(column)
        if expr is None or converted is None:
            continue
        bad = conn.execute(text(f"SELECT count(*) FROM {source_from} WHERE ({expr}) IS NOT NULL "
                                f"AND {converted} IS NULL")).scalar() or 0
        if bad:
            report.problems.append(f"{_source_column(source, name, column)}: {bad:,} values do not read as timestamps")
    try:
        conn.execute(select(model_table(name)).limit(SAMPLE_ROWS)).all()
    except (ValueError, TypeError) as exc:
        report.problems.append(f"{name} ({report.origin}): a value does not parse: {exc}")
