"""The write-side dialect module: an engine without an upsert form says so instead of inserting blindly, and
bulk loads keep NULL apart from the empty string on every backend."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pyarrow as pa
import pytest
from sqlalchemy import select

from kpi_engine.db.dialect import UnsupportedOperation, upsert_insert
from kpi_engine.db.dialect_bulk import (
    SQLITE_ROWS_PER_INSERT,
    bulk_insert,
    bulk_insert_batches,
    load_lists,
    load_tuples,
    prefetched,
)
from kpi_engine.db.models import Event


def test_an_engine_without_an_upsert_raises_a_clear_error() -> None:
    oracle = SimpleNamespace(dialect=SimpleNamespace(name="oracle"))
    with pytest.raises(UnsupportedOperation, match="upsert .* not implemented for the 'oracle' database engine"):
        upsert_insert(oracle, Event.__table__)  # type: ignore[arg-type]


def test_bulk_insert_keeps_empty_text_apart_from_null(engine) -> None:
    rows = pa.table({"event_id": ["e1", "e2"], "user_id": ["u1", "u1"],
                     "occurred_at": pa.array([1_700_000_000_000_000, 1_700_000_000_123_456], pa.timestamp("us")),
                     "name": ["click", "click"], "feature": ["", None], "session_id": [None, "s1"]})
    with engine.begin() as conn:
        assert bulk_insert(conn, Event.__table__, rows) == 2
    with engine.connect() as conn:
        stored = conn.execute(select(Event.event_id, Event.occurred_at, Event.feature, Event.session_id)
                              .order_by(Event.event_id)).all()
    assert [(r.feature, r.session_id) for r in stored] == [("", None), (None, "s1")]
    assert stored[1].occurred_at.microsecond == 123_456


@pytest.mark.parametrize("count", [1, SQLITE_ROWS_PER_INSERT, 2 * SQLITE_ROWS_PER_INSERT + 3])
def test_load_tuples_writes_every_row_once_around_whole_groups(engine, count: int) -> None:
    """SQLite loads whole groups of rows per statement and the rest one by one: 1 row (no group), exactly one
    group, two groups and 3 left over all arrive complete, NULLs and the SQL around a value included."""
    rows = [(f"e{i:04d}", "u1", 1_700_000_000 + i, "click", None if i % 2 else "search") for i in range(count)]
    columns = ["event_id", "user_id", "occurred_at", "name", "feature"]
    stamp = "strftime('%Y-%m-%d %H:%M:%S.000000', ?, 'unixepoch')" if engine.dialect.name == "sqlite" \
        else "to_timestamp(%s) AT TIME ZONE 'UTC'"
    marks = ["?", "?", stamp, "?", "?"] if engine.dialect.name == "sqlite" else None
    values = rows if marks else [(*r[:2], datetime.fromtimestamp(r[2], UTC).replace(tzinfo=None), *r[3:]) for r in rows]
    with engine.begin() as conn:
        load_tuples(conn, Event.__table__, columns, values, marks)
    with engine.connect() as conn:
        stored = conn.execute(select(Event.event_id, Event.occurred_at, Event.feature).order_by(Event.event_id)).all()
    assert len(stored) == count
    assert stored[-1] == (f"e{count - 1:04d}", datetime(2023, 11, 14, 22, 13, 20) + timedelta(seconds=count - 1),
                          None if (count - 1) % 2 else "search")
    assert stored[0].feature == "search"


@pytest.mark.parametrize("count", [1, SQLITE_ROWS_PER_INSERT, 2 * SQLITE_ROWS_PER_INSERT + 3])
def test_load_lists_writes_the_rows_its_columns_make(engine, count: int) -> None:
    """Column lists are laid out row after row: the i-th value of every column lands in the same row."""
    ids = [f"e{i:04d}" for i in range(count)]
    users = [f"u{i % 7}" for i in range(count)]
    stamps = [f"2024-03-{1 + i % 28:02d} 10:00:00.000000" for i in range(count)] if engine.dialect.name == "sqlite" \
        else [datetime(2024, 3, 1 + i % 28, 10) for i in range(count)]
    features = [None if i % 3 == 0 else f"f{i}" for i in range(count)]
    with engine.begin() as conn:
        load_lists(conn, Event.__table__, ["event_id", "user_id", "occurred_at", "name", "feature"],
                   [ids, users, stamps, ["click"] * count, features])
    with engine.connect() as conn:
        stored = conn.execute(select(Event.event_id, Event.user_id, Event.occurred_at, Event.feature)
                              .order_by(Event.event_id)).all()
    assert len(stored) == count
    last = count - 1
    assert stored[last] == (f"e{last:04d}", f"u{last % 7}", datetime(2024, 3, 1 + last % 28, 10),
                            None if last % 3 == 0 else f"f{last}")


def test_bulk_insert_batches_writes_every_batch_and_counts_the_rows(engine) -> None:
    def batch(first: int, rows: int) -> pa.Table:
        return pa.table({"event_id": [f"e{i:03d}" for i in range(first, first + rows)], "user_id": ["u1"] * rows,
                         "occurred_at": pa.array([1_700_000_000_000_000 + i for i in range(first, first + rows)],
                                                 pa.timestamp("us")),
                         "name": ["click"] * rows})

    with engine.begin() as conn:
        written = bulk_insert_batches(conn, Event.__table__, [batch(0, 250), batch(250, 0), batch(250, 3)])
    with engine.connect() as conn:
        stored = conn.execute(select(Event.event_id, Event.occurred_at).order_by(Event.event_id)).all()
    assert written == 253
    assert [r.event_id for r in stored] == [f"e{i:03d}" for i in range(253)]
    assert stored[252].occurred_at.microsecond == 252


def test_prefetched_keeps_order_runs_one_item_ahead_and_passes_errors_on() -> None:
    made: list[int] = []

    def items() -> Iterator[int]:
        for i in range(4):
            made.append(i)
            yield i
        raise ValueError("the source broke")

    seen = []
    with pytest.raises(ValueError, match="the source broke"):
        for item in prefetched(items()):
            assert len(made) <= item + 2  # the current item and at most the next one are made
            seen.append(item)
    assert seen == [0, 1, 2, 3]
