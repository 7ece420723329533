"""Same end day, scale and seed give the same rows (on every backend); another seed or end day does not."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Date, DateTime, Double, Engine, Integer, String, func, select

from kpi_engine.demo import DEMO_TABLES, build_demo
from tests.conftest import make_settings
from tests.kpi_engine.demo.conftest import DEMO_END

DATA_TABLES = [t for t in DEMO_TABLES if t.name not in {"sessions", "derived_state"}]
seen_on_backends: dict[str, dict[str, Any]] = {}


def fingerprint(engine: Engine, portable: bool = False) -> dict[str, Any]:
    """Per column: count; sums of numbers, first and last instants and days; distinct texts and (unless
    `portable`, as collations differ between backends) the first and last text."""
    out: dict[str, Any] = {}
    with engine.connect() as conn:
        for table in DATA_TABLES:
            out[table.name] = conn.execute(select(func.count()).select_from(table)).scalar()
            for column in table.columns:
                aggregates: list[Any] = [func.count(column)]
                if isinstance(column.type, Double | Integer):
                    aggregates.append(func.sum(column))
                elif isinstance(column.type, DateTime | Date):
                    aggregates += [func.min(column), func.max(column)]
                elif isinstance(column.type, String):
                    aggregates.append(func.count(column.distinct()))
                    if not portable:
                        aggregates += [func.min(column), func.max(column)]
                row = conn.execute(select(*aggregates)).one()
                out[f"{table.name}.{column.name}"] = tuple(round(float(v), 2) if isinstance(v, float) else v
                                                           for v in row)
    return out


def test_a_second_build_gives_the_same_rows(tiny_demo) -> None:
    engine, settings = tiny_demo
    first = fingerprint(engine)
    counts = build_demo(engine, settings, "tiny", DEMO_END, 42)
    assert fingerprint(engine) == first
    assert counts == {name: first[name] for name in counts}


def test_same_rows_on_sqlite_and_postgresql(tiny_demo) -> None:
    engine, _ = tiny_demo
    seen_on_backends[engine.dialect.name] = fingerprint(engine, portable=True)
    assert len({repr(f) for f in seen_on_backends.values()}) == 1


def test_another_seed_or_end_day_gives_other_rows(sqlite_engine: Engine, sqlite_url: str) -> None:
    settings = make_settings(sqlite_url)
    build_demo(sqlite_engine, settings, "tiny", DEMO_END, 42)
    reference = fingerprint(sqlite_engine)
    build_demo(sqlite_engine, settings, "tiny", DEMO_END, 7)
    reseeded = fingerprint(sqlite_engine)
    build_demo(sqlite_engine, settings, "tiny", DEMO_END + timedelta(days=1), 42)
    shifted = fingerprint(sqlite_engine)
    assert reseeded["subscriptions.mrr"] != reference["subscriptions.mrr"]
    assert reseeded["events.occurred_at"] != reference["events.occurred_at"]
    assert shifted["marketing_spend.day"][1:] == (DEMO_END.replace(year=DEMO_END.year - 2) + timedelta(days=2),
                                                  DEMO_END + timedelta(days=1))
    assert shifted["events.occurred_at"][2] < datetime.combine(DEMO_END + timedelta(days=2), datetime.min.time())
