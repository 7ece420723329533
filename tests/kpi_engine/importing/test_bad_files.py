"""Every bad input is refused with a message naming the problem, and the database is left exactly as it was."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest
from sqlalchemy import Engine

from kpi_engine.db.models import Account, Event, Subscription, SurveyResponse, User
from kpi_engine.importing import ImportFailed, import_file
from kpi_engine.importing.specs import SPECS
from kpi_engine.settings import Settings
from tests.conftest import insert_rows, make_settings
from tests.kpi_engine.importing.helpers import table_rows, write_parquet

EVENTS_HEADER = "event_id,user_id,occurred_at,name\n"
SUBS_HEADER = "subscription_id,account_id,mrr,started_at,ended_at\n"
SURVEY_HEADER = "response_id,survey,score,responded_at\n"

# (id, table, file name, file bytes, phrases the message must contain)
CASES = [
    ("wrong timestamp", "events", "e.csv", EVENTS_HEADER + "e1,u1,2026-01-05,click\ne2,u1,yesterday,click\n",
     ["1 problem", "line 3, column occurred_at: 'yesterday' is not a timestamp"]),
    ("wrong number", "subscriptions", "s.csv", SUBS_HEADER + "s1,a1,12.5 EUR,2026-01-01,\n",
     ["line 2, column mrr: '12.5 EUR' is not a number"]),
    ("wrong boolean", "tickets", "t.csv", "ticket_id,opened_at,escalated\nk1,2026-01-01,maybe\n",
     ["line 2, column escalated: 'maybe' is not a boolean"]),
    ("wrong integer", "marketing_spend", "m.csv", "day,channel,spend,clicks\n2026-03-01,ads,1,2.5\n",
     ["line 2, column clicks: '2.5' is not a whole number"]),
    ("wrong date", "marketing_spend", "m.csv", "day,channel,spend\n03/01/2026,ads,1\n",
     ["line 2, column day: '03/01/2026' is not a date"]),
    ("required value empty", "events", "e.csv", EVENTS_HEADER + "e1,,2026-01-05,click\n",
     ["line 2, column user_id: '' is required but empty"]),
    ("missing required column", "events", "e.csv", "event_id,user_id,occurred_at\ne1,u1,2026-01-05\n",
     ["missing required column 'name'"]),
    ("unknown column", "events", "e.csv", "event_id,user_id,occurred_at,name,colour\ne1,u1,2026-01-05,click,red\n",
     ["unknown column 'colour'", "Columns of events: event_id, user_id"]),
    ("empty file", "events", "e.csv", "", ["the file is empty"]),
    ("blank first line", "events", "e.csv", "\n\n", ["the file is empty"]),
    ("header only", "events", "e.csv", EVENTS_HEADER, ["no rows"]),
    ("not utf-8", "events", "e.csv",
     (EVENTS_HEADER + "e1,u1,2026-01-05,click\n").encode() + b"e2,u1,2026-01-05,caf\xe9\n",
     ["not UTF-8", "line 3", "0xe9"]),
    ("too many fields", "events", "e.csv", EVENTS_HEADER + "e1,u1,2026-01-05,click\ne2,u1,2026-01-05,click,extra\n",
     ["line 3 has 5 fields but the header has 4"]),
    ("ended before started", "subscriptions", "s.csv", SUBS_HEADER + "s1,a1,10,2026-02-01,2026-01-01\n",
     ["line 2, column ended_at: '2026-01-01' must be after started_at"]),
    ("ended when started", "subscriptions", "s.csv", SUBS_HEADER + "s1,a1,10,2026-02-01,2026-02-01T00:00:00Z\n",
     ["must be after started_at"]),
    ("negative mrr", "subscriptions", "s.csv", SUBS_HEADER + "s1,a1,-10,2026-02-01,\n",
     ["line 2, column mrr: '-10' must not be negative"]),
    ("negative spend", "marketing_spend", "m.csv", "day,channel,spend\n2026-03-01,ads,-0.5\n",
     ["column spend: '-0.5' must not be negative"]),
    ("nps score outside scale", "survey_responses", "q.csv", SURVEY_HEADER + "q1,nps,11,2026-01-01\n",
     ["line 2, column score: '11' is outside the nps scale 0-10"]),
    ("csat score outside scale", "survey_responses", "q.csv", SURVEY_HEADER + "q1,csat,0,2026-01-01\n",
     ["'0' is outside the csat scale 1-5"]),
    ("ces score outside scale", "survey_responses", "q.csv", SURVEY_HEADER + "q1,ces,8,2026-01-01\n",
     ["'8' is outside the ces scale 1-7"]),
    ("unknown survey", "survey_responses", "q.csv", SURVEY_HEADER + "q1,happiness,3,2026-01-01\n",
     ["line 2, column survey: 'happiness' is not one of nps, csat, ces"]),
    ("unknown work item kind", "work_items", "w.csv", "item_id,kind,created_at\nw1,epic,2026-01-01\n",
     ["'epic' is not one of feature, story, bug, task"]),
    ("unknown found_in", "work_items", "w.csv", "item_id,kind,created_at,found_in\nw1,bug,2026-01-01,staging\n",
     ["'staging' is not one of testing, production"]),
    ("duplicate key", "events", "e.csv",
     EVENTS_HEADER + "e1,u1,2026-01-05,click\ne2,u1,2026-01-05,a\ne1,u1,2026-01-06,b\n",
     ["line 4, column event_id: 'e1' is a duplicate key", "(first on line 2)"]),
    ("duplicate composite key", "marketing_spend", "m.csv", "day,channel,spend\n2026-03-01,ads,1\n2026-03-01,ads,2\n",
     ["line 3, column day, channel, campaign: '2026-03-01, ads, ' is a duplicate key", "(first on line 2)"]),
    ("same event twice without id", "events", "e.csv", "user_id,occurred_at,name\nu1,2026-01-05,a\nu1,2026-01-05,a\n",
     ["line 3, column event_id", "is the same row twice", "(first on line 2)"]),
    ("event of unknown user", "events", "e.csv", EVENTS_HEADER + "e1,u1,2026-01-05,a\ne2,u9,2026-01-05,a\n",
     ["line 3, column user_id: 'u9' is not in table users"]),
    ("subscription of unknown account", "subscriptions", "s.csv", SUBS_HEADER + "s1,a7,10,2026-01-01,\n",
     ["line 2, column account_id: 'a7' is not in table accounts"]),
    ("file that does not exist", "events", None, b"", ["File not found", "missing.csv"]),
    ("unknown table", "evnts", "e.csv", EVENTS_HEADER + "e1,u1,2026-01-05,a\n",
     ["Unknown table 'evnts'", "accounts, subscriptions, users, events"]),
    ("broken parquet", "events", "e.parquet", b"PAR1 this is not parquet", ["not a valid Parquet file"]),
]


@pytest.fixture
def existing_rows(engine: Engine) -> None:
    """Rows already in the database: each failed import must leave them exactly as they are."""
    insert_rows(engine, Account, [{"account_id": "a1", "created_at": datetime(2025, 1, 1)}])
    insert_rows(engine, User, [{"user_id": "u1", "account_id": "a1", "created_at": datetime(2025, 1, 1)}])
    insert_rows(engine, Event, [{"event_id": "e1", "user_id": "u1", "occurred_at": datetime(2025, 6, 1),
                                 "name": "old"}])
    insert_rows(engine, Subscription, [{"subscription_id": "s1", "account_id": "a1", "mrr": 5.0,
                                        "started_at": datetime(2025, 1, 1)}])
    insert_rows(engine, SurveyResponse, [{"response_id": "q1", "survey": "nps", "score": 9,
                                          "responded_at": datetime(2025, 1, 1)}])


def database_contents(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    return {name: table_rows(engine, name) for name in SPECS}


@pytest.mark.usefixtures("existing_rows")
@pytest.mark.parametrize(("table", "name", "content", "phrases"), [case[1:] for case in CASES],
                         ids=[case[0] for case in CASES])
def test_bad_input_is_refused_and_changes_nothing(db_url: str, engine: Engine, tmp_path: Path, table: str,
                                                  name: str | None, content: str | bytes, phrases: list[str]) -> None:
    settings = make_settings(db_url, KPIBOT_IMPORT_BATCH_SIZE=1)  # every row in its own batch
    path = tmp_path / (name or "missing.csv")
    if name is not None:
        path.write_bytes(content.encode() if isinstance(content, str) else content)
    before = database_contents(engine)

    with pytest.raises(ImportFailed) as failure:
        import_file(engine, settings, table, path)

    message = str(failure.value)
    for phrase in phrases:
        assert phrase in message
    assert database_contents(engine) == before
    assert before["events"] == [("e1", "u1", datetime(2025, 6, 1), "old", None, None)]


def test_the_error_list_is_capped_but_counts_everything(engine: Engine, tmp_path: Path, db_url: str) -> None:
    rows = "".join(f"s{n},a1,-{n + 1},2026-01-01,\n" for n in range(120))
    path = tmp_path / "s.csv"
    path.write_text(SUBS_HEADER + rows)

    with pytest.raises(ImportFailed) as failure:
        import_file(engine, make_settings(db_url, KPIBOT_IMPORT_BATCH_SIZE=50), "subscriptions", path)

    lines = failure.value.lines(limit=50)
    assert "120 problems in 120 rows" in lines[0]
    assert len(lines) == 52 and lines[-1] == "  ... and 70 more"
    assert lines[1] == "  line 2, column mrr: '-1' must not be negative"
    assert table_rows(engine, "subscriptions") == []


def test_a_reference_is_not_checked_while_the_referenced_table_is_empty(engine: Engine, tmp_path: Path,
                                                                        db_url: str) -> None:
    path = tmp_path / "e.csv"
    path.write_text(EVENTS_HEADER + "e1,u9,2026-01-05,a\n")

    report = import_file(engine, make_settings(db_url), "events", path)

    assert report.inserted == 1


@pytest.mark.usefixtures("existing_rows")
def test_parquet_without_rows_or_with_unknown_columns(engine: Engine, settings: Settings, tmp_path: Path) -> None:
    no_rows = write_parquet(tmp_path, "empty.parquet", {"user_id": pa.array([], pa.string()),
                                                        "created_at": pa.array([], pa.string())})
    extra = write_parquet(tmp_path, "extra.parquet", {"user_id": ["u2"], "created_at": ["2026-01-01"], "age": [3]})
    before = database_contents(engine)

    with pytest.raises(ImportFailed, match="no rows"):
        import_file(engine, settings, "users", no_rows)
    with pytest.raises(ImportFailed, match="unknown column 'age'"):
        import_file(engine, settings, "users", extra)

    assert database_contents(engine) == before
