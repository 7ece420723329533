"""The write-side dialect module: an engine without an upsert form says so instead of inserting blindly, and
bulk loads keep NULL apart from the empty string on every backend."""

from __future__ import annotations

from types import SimpleNamespace

import pyarrow as pa
import pytest
from sqlalchemy import select

from kpi_engine.db.dialect import UnsupportedOperation, bulk_insert, upsert_insert
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
