"""A good file for every table of the data contract lands exactly as expected (values worked out by hand)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from kpi_engine.importing import import_file
from kpi_engine.settings import Settings
from tests.conftest import make_settings
from tests.kpi_engine.importing.helpers import table_rows, write_csv

# (table, CSV text, rows expected in the table ordered by key) -- reporting zone UTC
CASES = [
    ("accounts",
     "account_id,name,created_at,plan,segment,channel,country\n"
     "a2,Beta,2026-01-02T10:00:00+02:00,pro,,ads,DE\n"
     "a1,Acme,2026-01-01,basic,smb,organic,US\n",
     [("a1", "Acme", datetime(2026, 1, 1), "basic", "smb", "organic", "US"),
      ("a2", "Beta", datetime(2026, 1, 2, 8), "pro", None, "ads", "DE")]),
    ("subscriptions",
     "subscription_id,account_id,plan,mrr,started_at,ended_at\n"
     "s1,a1,basic,49.5,2026-01-01,2026-02-01\n"
     "s2,a2,,0,2026-01-15 12:30,\n",
     [("s1", "a1", "basic", 49.5, datetime(2026, 1, 1), datetime(2026, 2, 1)),
      ("s2", "a2", None, 0.0, datetime(2026, 1, 15, 12, 30), None)]),
    ("users",
     "user_id,account_id,created_at,email,slack_user_id\n"
     "u1,a1,2026-01-01T09:00:00Z,ann@example.com,U01\n"
     "u2,,2026-01-03T23:30:00-01:00,,\n",
     [("u1", "a1", datetime(2026, 1, 1, 9), "ann@example.com", "U01"),
      ("u2", None, datetime(2026, 1, 4, 0, 30), None, None)]),
    ("events",
     "event_id,user_id,occurred_at,name,feature,session_id\n"
     "e1,u1,2026-01-05T10:00:00Z,page_view,,s1\n"
     "e2,u1,2026-01-05T10:05:00.250Z,click,reports,s1\n",
     [("e1", "u1", datetime(2026, 1, 5, 10), "page_view", None, "s1"),
      ("e2", "u1", datetime(2026, 1, 5, 10, 5, 0, 250_000), "click", "reports", "s1")]),
    ("orders",
     "order_id,account_id,ordered_at,amount,cost,product\n"
     "o1,a1,2026-02-01,120.25,80,widget\n"
     "o2,,2026-02-02T08:00:00Z,-10,,\n",
     [("o1", "a1", datetime(2026, 2, 1), 120.25, 80.0, "widget"),
      ("o2", None, datetime(2026, 2, 2, 8), -10.0, None, None)]),
    ("marketing_spend",
     "day,channel,campaign,spend,impressions,clicks,revenue\n"
     "2026-03-01,ads,spring,100.5,1000,25,300\n"
     "2026-03-01,ads,,50,,,\n",
     [(date(2026, 3, 1), "ads", "", 50.0, None, None, None),
      (date(2026, 3, 1), "ads", "spring", 100.5, 1000, 25, 300.0)]),
    ("trials",
     "trial_id,account_id,started_at,ended_at,converted_at\n"
     "t1,a1,2026-01-01,2026-01-15,2026-01-10\n"
     "t2,a2,2026-01-02,,\n",
     [("t1", "a1", datetime(2026, 1, 1), datetime(2026, 1, 15), datetime(2026, 1, 10)),
      ("t2", "a2", datetime(2026, 1, 2), None, None)]),
    ("tickets",
     "ticket_id,account_id,opened_at,first_response_at,resolved_at,escalated,priority,category\n"
     "k1,a1,2026-01-01T10:00:00Z,2026-01-01T10:30:00Z,2026-01-02T10:00:00Z,YES,high,billing\n"
     "k2,,2026-01-03T10:00:00Z,,,0,,\n"
     "k3,a1,2026-01-04T10:00:00Z,,,,,\n",
     [("k1", "a1", datetime(2026, 1, 1, 10), datetime(2026, 1, 1, 10, 30), datetime(2026, 1, 2, 10), True, "high",
       "billing"),
      ("k2", None, datetime(2026, 1, 3, 10), None, None, False, None, None),
      ("k3", "a1", datetime(2026, 1, 4, 10), None, None, None, None, None)]),
    ("work_items",
     "item_id,kind,title,feature,created_at,started_at,done_at,points,found_in\n"
     "w1,Bug,Crash on save,editor,2026-01-01,2026-01-02,2026-01-03,2,production\n"
     "w2,story,Export,,2026-01-05,,,,\n",
     [("w1", "bug", "Crash on save", "editor", datetime(2026, 1, 1), datetime(2026, 1, 2), datetime(2026, 1, 3), 2.0,
       "production"),
      ("w2", "story", "Export", None, datetime(2026, 1, 5), None, None, None, None)]),
    ("releases",
     "release_id,released_at,kloc\n"
     "r1,2026-01-10T16:00:00Z,12.5\n"
     "r2,2026-01-20,\n",
     [("r1", datetime(2026, 1, 10, 16), 12.5), ("r2", datetime(2026, 1, 20), None)]),
    ("features",
     "feature,name,launched_at\n"
     "reports,Reports,2026-01-01\n"
     "alerts,,\n",
     [("alerts", None, None), ("reports", "Reports", datetime(2026, 1, 1))]),
    ("survey_responses",
     "response_id,survey,score,comment,respondent_id,account_id,responded_at,campaign_id,topic\n"
     "q1,nps,10,Great,U01,a1,2026-01-05T12:00:00Z,c1,\n"
     "q2,CSAT,1,,,,2026-01-06,,support\n"
     "q3,ces,7,,,,2026-01-07,,\n",
     [("q1", "nps", 10, "Great", "U01", "a1", datetime(2026, 1, 5, 12), "c1", None),
      ("q2", "csat", 1, None, None, None, datetime(2026, 1, 6), None, "support"),
      ("q3", "ces", 7, None, None, None, datetime(2026, 1, 7), None, None)]),
]


@pytest.mark.parametrize(("table", "text", "expected"), CASES, ids=[case[0] for case in CASES])
def test_good_file_is_stored_exactly(engine: Engine, settings: Settings, tmp_path: Path, table: str, text: str,
                                     expected: list[tuple[object, ...]]) -> None:
    path = write_csv(tmp_path, f"{table}.csv", text)

    report = import_file(engine, settings, table, path)

    assert table_rows(engine, table) == expected
    assert (report.rows_read, report.inserted, report.updated, report.unchanged) == (len(expected), len(expected), 0, 0)


def test_timestamps_without_offset_are_read_in_the_reporting_zone(db_url: str, engine: Engine, tmp_path: Path) -> None:
    settings = make_settings(db_url, KPI_TIMEZONE="America/New_York")
    path = write_csv(tmp_path, "releases.csv", (
        "release_id,released_at\n"
        "winter,2026-01-15 09:30\n"          # EST (UTC-5)
        "summer,2026-07-01\n"                # midnight EDT (UTC-4)
        "offset,2026-07-01T12:00:00+02:00\n"  # offset given: taken as is
        "zulu,2026-07-01T12:00:00Z\n"
        "gap,2026-03-08 02:30\n"             # skipped by DST: moved forward to 03:00 EDT
        "twice,2026-11-01 01:30\n"           # happens twice: the first one (EDT) is taken
    ))

    import_file(engine, settings, "releases", path)

    assert table_rows(engine, "releases") == [
        ("gap", datetime(2026, 3, 8, 7, 0), None),
        ("offset", datetime(2026, 7, 1, 10, 0), None),
        ("summer", datetime(2026, 7, 1, 4, 0), None),
        ("twice", datetime(2026, 11, 1, 5, 30), None),
        ("winter", datetime(2026, 1, 15, 14, 30), None),
        ("zulu", datetime(2026, 7, 1, 12, 0), None),
    ]


def test_marketing_day_is_a_local_date(db_url: str, engine: Engine, tmp_path: Path) -> None:
    settings = make_settings(db_url, KPI_TIMEZONE="America/New_York")
    path = write_csv(tmp_path, "spend.csv", (
        "day,channel,spend\n"
        "2026-03-05,ads,10\n"
        "2026-03-05T02:00:00Z,social,20\n"  # 21:00 on March 4th in New York
    ))

    import_file(engine, settings, "marketing_spend", path)

    assert table_rows(engine, "marketing_spend") == [
        (date(2026, 3, 4), "social", "", 20.0, None, None, None),
        (date(2026, 3, 5), "ads", "", 10.0, None, None, None),
    ]


def test_events_without_event_id_get_a_stable_derived_id(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    first = write_csv(tmp_path, "a.csv", "user_id,occurred_at,name\nu1,2026-01-05T10:00:00Z,click\n")
    same_instant = write_csv(tmp_path, "b.csv", "user_id,occurred_at,name\nu1,2026-01-05T11:00:00+01:00,click\n")

    import_file(engine, settings, "events", first)
    report = import_file(engine, settings, "events", same_instant)

    rows = table_rows(engine, "events")
    assert len(rows) == 1 and len(rows[0][0]) == 32
    assert rows[0][1:] == ("u1", datetime(2026, 1, 5, 10), "click", None, None)
    assert (report.inserted, report.unchanged) == (0, 1)


def test_header_names_may_come_in_any_order_with_a_byte_order_mark(engine: Engine, settings: Settings,
                                                                     tmp_path: Path) -> None:
    path = tmp_path / "features.csv"
    path.write_bytes("\ufefflaunched_at;feature\r\n2026-01-01;reports\r\n".encode())

    import_file(engine, settings, "features", path)

    assert table_rows(engine, "features") == [("reports", None, datetime(2026, 1, 1))]
