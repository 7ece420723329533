"""Re-imports change nothing, changed rows are updated, --replace swaps the table, Parquet works, batches stream."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import Engine, inspect

from kpi_engine.importing import ImportFailed, import_file, target
from kpi_engine.settings import Settings
from tests.conftest import make_settings
from tests.kpi_engine.importing.helpers import table_rows, write_csv, write_parquet

SUBSCRIPTIONS = (
    "subscription_id,account_id,plan,mrr,started_at,ended_at\n"
    "s1,a1,basic,49.5,2026-01-01,2026-02-01\n"
    "s2,a2,pro,99,2026-01-15,\n"
)


def test_importing_the_same_file_again_changes_nothing(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    path = write_csv(tmp_path, "subs.csv", SUBSCRIPTIONS)
    import_file(engine, settings, "subscriptions", path)
    before = table_rows(engine, "subscriptions")

    report = import_file(engine, settings, "subscriptions", path)

    assert table_rows(engine, "subscriptions") == before
    assert (report.rows_read, report.inserted, report.updated, report.unchanged) == (2, 0, 0, 2)


def test_changed_rows_are_updated_and_new_rows_inserted(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    import_file(engine, settings, "subscriptions", write_csv(tmp_path, "a.csv", SUBSCRIPTIONS))
    changed = write_csv(tmp_path, "b.csv", (
        "subscription_id,account_id,plan,mrr,started_at,ended_at\n"
        "s1,a1,basic,49.5,2026-01-01,2026-02-01\n"
        "s2,a2,pro,120,2026-01-15,2026-03-01\n"
        "s3,a3,,10,2026-02-01,\n"
    ))

    report = import_file(engine, settings, "subscriptions", changed)

    assert (report.inserted, report.updated, report.unchanged) == (1, 1, 1)
    assert table_rows(engine, "subscriptions") == [
        ("s1", "a1", "basic", 49.5, datetime(2026, 1, 1), datetime(2026, 2, 1)),
        ("s2", "a2", "pro", 120.0, datetime(2026, 1, 15), datetime(2026, 3, 1)),
        ("s3", "a3", None, 10.0, datetime(2026, 2, 1), None),
    ]


def test_columns_missing_from_the_file_keep_their_stored_values(engine: Engine, settings: Settings,
                                                                 tmp_path: Path) -> None:
    import_file(engine, settings, "subscriptions", write_csv(tmp_path, "a.csv", SUBSCRIPTIONS))
    only_mrr = write_csv(tmp_path, "b.csv", "subscription_id,account_id,mrr,started_at\ns1,a1,60,2026-01-01\n")

    report = import_file(engine, settings, "subscriptions", only_mrr)

    assert report.updated == 1
    assert table_rows(engine, "subscriptions")[0] == ("s1", "a1", "basic", 60.0, datetime(2026, 1, 1),
                                                      datetime(2026, 2, 1))


def test_replace_swaps_the_whole_table(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    import_file(engine, settings, "subscriptions", write_csv(tmp_path, "a.csv", SUBSCRIPTIONS))
    replacement = write_csv(tmp_path, "b.csv", "subscription_id,account_id,mrr,started_at\ns9,a9,5,2026-03-01\n")

    report = import_file(engine, settings, "subscriptions", replacement, replace=True)

    assert table_rows(engine, "subscriptions") == [("s9", "a9", None, 5.0, datetime(2026, 3, 1), None)]
    assert (report.deleted, report.inserted, report.updated, report.unchanged) == (2, 1, 0, 0)


def test_parquet_with_native_and_text_types(db_url: str, engine: Engine, tmp_path: Path) -> None:
    settings = make_settings(db_url, KPI_TIMEZONE="Europe/Berlin")
    path = write_parquet(tmp_path, "tickets.parquet", {
        "ticket_id": ["k1", "k2"],
        "opened_at": pa.array([datetime(2026, 1, 1, 10), datetime(2026, 7, 1, 10)], pa.timestamp("us")),
        "resolved_at": pa.array([datetime(2026, 1, 1, 12), None], pa.timestamp("ms", tz="UTC")),
        "first_response_at": ["2026-01-01T11:00:00+01:00", None],
        "escalated": [True, None],
        "priority": ["high", ""],
    })

    report = import_file(engine, settings, "tickets", path)

    assert report.rows_read == 2
    assert table_rows(engine, "tickets") == [
        # naive Parquet timestamps are wall-clock time in Berlin (UTC+1 in winter, UTC+2 in summer)
        ("k1", None, datetime(2026, 1, 1, 9), datetime(2026, 1, 1, 10), datetime(2026, 1, 1, 12), True, "high", None),
        ("k2", None, datetime(2026, 7, 1, 8), None, None, None, None, None),
    ]


def test_parquet_dates_numbers_and_integer_ids(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    path = write_parquet(tmp_path, "spend.parquet", {
        "day": pa.array([date(2026, 3, 1), date(2026, 3, 2)], pa.date32()),
        "channel": ["ads", "ads"],
        "spend": pa.array([10.5, 0.0]),
        "impressions": pa.array([100, None], pa.int64()),
        "clicks": pa.array([3.0, None]),
    })
    import_file(engine, settings, "marketing_spend", path)
    ids = write_parquet(tmp_path, "releases.parquet", {"release_id": [7, 8], "released_at": ["2026-01-01", None]})

    with pytest.raises(ImportFailed) as failure:
        import_file(engine, settings, "releases", ids)

    assert table_rows(engine, "marketing_spend") == [
        (date(2026, 3, 1), "ads", "", 10.5, 100, 3, None),
        (date(2026, 3, 2), "ads", "", 0.0, None, None, None),
    ]
    assert "row 2, column released_at: '' is required but empty" in str(failure.value)


def test_many_small_batches_keep_line_numbers_and_find_duplicates_across_batches(
        db_url: str, engine: Engine, tmp_path: Path) -> None:
    settings = make_settings(db_url, KPIBOT_IMPORT_BATCH_SIZE=2)
    rows = "".join(f"f{n},Feature {n},2026-01-01\n" for n in range(7))
    path = write_csv(tmp_path, "features.csv", f"feature,name,launched_at\n{rows}\"f3\",\"two\nlines\",\nf9,x,bad\n")

    with pytest.raises(ImportFailed) as failure:
        import_file(engine, settings, "features", path)

    message = str(failure.value)
    assert "line 9, column feature: 'f3' is a duplicate key: feature must be unique within the file (first on line 5)" \
        in message
    assert "line 11, column launched_at: 'bad' is not a timestamp" in message
    assert table_rows(engine, "features") == []


def test_a_big_load_rebuilds_the_secondary_indexes(engine: Engine, settings: Settings, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(target, "BIG_LOAD", 3)
    rows = "".join(f"e{n},u{n % 2},2026-01-0{n + 1}T00:00:00Z,click\n" for n in range(5))
    path = write_csv(tmp_path, "events.csv", f"event_id,user_id,occurred_at,name\n{rows}")

    report = import_file(engine, settings, "events", path)

    assert report.inserted == 5 and len(table_rows(engine, "events")) == 5
    names = {index["name"] for index in inspect(engine).get_indexes("events")}
    assert {"ix_events_occurred_at", "ix_events_user_id_occurred_at", "ix_events_name_occurred_at"} <= names


def test_importing_events_brings_the_derived_tables_up_to_date(engine: Engine, settings: Settings,
                                                               tmp_path: Path) -> None:
    path = write_csv(tmp_path, "events.csv", (
        "event_id,user_id,occurred_at,name\n"
        "e1,u1,2026-01-05T10:00:00Z,click\n"
        "e2,u1,2026-01-05T11:00:00Z,click\n"
        "e3,u1,2026-01-06T09:00:00Z,click\n"
    ))

    import_file(engine, settings, "events", path)

    per_day = [(row[1], row[0], row[3]) for row in table_rows(engine, "usage_days")]  # (user, day, events)
    assert per_day == [("u1", date(2026, 1, 5), 2), ("u1", date(2026, 1, 6), 1)]
