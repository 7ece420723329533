"""The public `small` scale on SQLite: about 100 thousand events, every table filled, the lifecycle events
frequent enough that every quarter has some."""

from __future__ import annotations

from sqlalchemy import Engine, text

from kpi_engine.demo import DEMO_TABLES, build_demo
from tests.conftest import make_settings
from tests.kpi_engine.demo.conftest import DEMO_END


def test_small_scale(sqlite_engine: Engine, sqlite_url: str) -> None:
    settings = make_settings(sqlite_url)
    counts = build_demo(sqlite_engine, settings, "small", DEMO_END, 42)
    assert 90_000 <= counts["events"] <= 110_000
    with sqlite_engine.connect() as conn:
        for table in DEMO_TABLES:
            rows = conn.execute(text(f'SELECT COUNT(*) FROM "{table.name}"')).scalar()
            assert rows == counts.get(table.name, rows) and rows > 0, table.name
        quarters_with_reactivation = conn.execute(text("""
            SELECT COUNT(DISTINCT strftime('%Y', s2.started_at)
                                  || ((CAST(strftime('%m', s2.started_at) AS INT) + 2) / 3))
            FROM subscriptions s1 JOIN subscriptions s2 ON s2.account_id = s1.account_id AND s2.started_at > s1.ended_at
            WHERE NOT EXISTS (SELECT 1 FROM subscriptions s3 WHERE s3.account_id = s1.account_id
                AND s3.started_at <= s1.ended_at AND (s3.ended_at IS NULL OR s3.ended_at > s1.ended_at))""")).scalar()
        paying = conn.execute(text("SELECT COUNT(DISTINCT account_id) FROM subscriptions")).scalar()
    assert quarters_with_reactivation >= 4
    assert 150 <= paying <= 400
