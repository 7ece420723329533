"""Scheduled digests on SQLite and PostgreSQL: exactly once per subscription and week, late catch-up, DST."""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine, select

from bot.digests import repository
from bot.digests.runner import DigestEnvironment, DigestOutcome, run_due
from bot.digests.schedule import Schedule
from kpi_engine.db.engine import make_engine
from kpi_engine.db.models.digests import DigestRun, DigestSend
from kpi_engine.settings import Settings
from tests.bot.digests.conftest import BERLIN, DUE, GROWTH, WEEK_START, digest_posts, make_env, subscribe
from tests.bot.support.fake_slack import FakeSlack


def runs(engine: Engine) -> list[dict[str, object]]:
    table = DigestRun.__table__
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


def deliveries(engine: Engine) -> list[dict[str, object]]:
    table = DigestSend.__table__
    with engine.connect() as conn:
        return [dict(r._mapping) for r in conn.execute(select(table).order_by(table.c.id))]


@pytest.mark.usefixtures("company")
def test_run_due_twice_posts_the_digest_once(engine: Engine, env: DigestEnvironment, fake: FakeSlack) -> None:
    sub = subscribe(engine)
    assert sub.next_run_at == DUE
    assert run_due(env, DUE - timedelta(minutes=1)) == []
    first = run_due(env, DUE)
    second = run_due(env, DUE + timedelta(seconds=30))
    assert [o.status for o in first] == ["sent"]
    assert second == []  # the next run moved on to Monday 2026-03-16 09:00 Berlin
    assert len(digest_posts(fake)) == 1
    assert [(r["period_start"], r["status"], r["trigger"]) for r in runs(engine)] == [(WEEK_START, "sent", "schedule")]
    assert repository.get_subscription(engine, sub.id).next_run_at == datetime(2026, 3, 16, 8, 0)  # type: ignore[union-attr]
    assert [(d["status"], d["trigger"], d["channel_id"]) for d in deliveries(engine)] == [("sent", "schedule", GROWTH)]


@pytest.mark.usefixtures("company")
def test_rerun_with_the_old_due_time_cannot_post_again(engine: Engine, env: DigestEnvironment,
                                                       fake: FakeSlack) -> None:
    """A replica that read the subscription before the other moved it on still loses the claim."""
    sub = subscribe(engine)
    run_due(env, DUE)
    stale = repository.get_subscription(engine, sub.id)
    assert stale is not None
    from bot.digests.runner import run_subscription

    outcome = run_subscription(env, stale, DUE + timedelta(seconds=5))
    assert outcome.status == "already_claimed"
    assert len(digest_posts(fake)) == 1


@pytest.mark.usefixtures("company")
def test_two_schedulers_at_the_same_moment_post_once(engine: Engine, settings: Settings, db_url: str,
                                                     slack_client: WebClient, fake: FakeSlack) -> None:
    """Two 'processes': threads with their own engines (connection pools), released together by a barrier."""
    subscribe(engine)
    subscribe(engine, channel_id="C0OTHER")
    fake.add_channel("C0OTHER")
    engines = [make_engine(db_url), make_engine(db_url)]
    barrier = threading.Barrier(2)
    outcomes: list[list[DigestOutcome]] = [[], []]

    def scheduler(index: int) -> None:
        own_env = make_env(engines[index], settings, slack_client)
        barrier.wait()
        outcomes[index] = run_due(own_env, DUE)

    threads = [threading.Thread(target=scheduler, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    for own in engines:
        own.dispose()
    statuses = sorted(o.status for both in outcomes for o in both)
    assert statuses.count("sent") == 2  # one per subscription
    assert set(statuses) <= {"sent", "already_claimed"}
    assert sorted(str(p["channel"]) for p in digest_posts(fake)) == ["C0GROWTH", "C0OTHER"]
    assert len(runs(engine)) == 2


@pytest.mark.usefixtures("company")
def test_dst_week_keeps_the_local_hour(engine: Engine, env: DigestEnvironment, fake: FakeSlack) -> None:
    """Berlin moves to summer time on Sunday 2026-03-29: 09:00 is 08:00 UTC before and 07:00 UTC after."""
    before = datetime(2026, 3, 23, 8, 0)
    sub = subscribe(engine, created_at=before - timedelta(hours=1))
    assert sub.next_run_at == before
    assert [o.status for o in run_due(env, before)] == ["sent"]
    after = datetime(2026, 3, 30, 7, 0)
    assert repository.get_subscription(engine, sub.id).next_run_at == after  # type: ignore[union-attr]
    assert run_due(env, after - timedelta(minutes=1)) == []
    outcome = run_due(env, after)
    assert [(o.status, o.period_start, o.trigger) for o in outcome] == [("sent", date(2026, 3, 23), "schedule")]
    assert len(digest_posts(fake)) == 2


@pytest.mark.usefixtures("company")
def test_missed_digests_go_out_once_late_saying_so(engine: Engine, env: DigestEnvironment, fake: FakeSlack) -> None:
    """Down from before Monday 03-02 09:00 until Wednesday 03-11: the 03-02 and 03-09 digests were missed."""
    sub = subscribe(engine, created_at=datetime(2026, 2, 27))
    assert sub.next_run_at == datetime(2026, 3, 2, 8, 0)
    back = datetime(2026, 3, 11, 14, 0)
    first = run_due(env, back)
    again = run_due(env, back + timedelta(minutes=1))
    assert [(o.status, o.trigger, o.period_start) for o in first] == [("sent", "catch_up", WEEK_START)]
    assert again == []
    posts = digest_posts(fake)
    assert len(posts) == 1
    assert "(late)" in str(posts[0]["text"])
    blocks_text = str(posts[0]["blocks"])
    assert "this digest was due Mon 09 Mar 09:00 (Europe/Berlin); I was offline then." in blocks_text
    assert "1 earlier digest was not sent" in blocks_text
    assert repository.get_subscription(engine, sub.id).next_run_at == datetime(2026, 3, 16, 8, 0)  # type: ignore[union-attr]


@pytest.mark.usefixtures("company")
def test_cron_schedule_sends_once_per_week(engine: Engine, env: DigestEnvironment, fake: FakeSlack) -> None:
    """Weekdays at 08:30 Berlin: Monday sends the week; Tuesday's slot finds it sent and logs a skip."""
    sub = subscribe(engine, schedule=Schedule(timezone=BERLIN, weekday=None, at_time=None, cron="30 8 * * 1-5"))
    assert sub.next_run_at == datetime(2026, 3, 9, 7, 30)
    assert [o.status for o in run_due(env, datetime(2026, 3, 9, 7, 30))] == ["sent"]
    assert [o.status for o in run_due(env, datetime(2026, 3, 10, 7, 30))] == ["skipped"]
    assert len(digest_posts(fake)) == 1
    assert [d["status"] for d in deliveries(engine)] == ["sent", "skipped"]


def test_digest_without_any_data_is_not_posted(engine: Engine, env: DigestEnvironment, fake: FakeSlack) -> None:
    subscribe(engine, metrics=["nps"])
    outcome = run_due(env, DUE)
    assert [(o.status, o.detail) for o in outcome] == [
        ("skipped", "no data: no KPI has data for this week, so nothing was posted")]
    assert fake.calls("chat.postMessage") == []
    assert [d["status"] for d in deliveries(engine)] == ["skipped"]
    assert [r["status"] for r in runs(engine)] == ["skipped"]


@pytest.mark.usefixtures("company")
def test_not_in_channel_is_logged_and_the_creator_is_told(engine: Engine, env: DigestEnvironment,
                                                          fake: FakeSlack) -> None:
    subscribe(engine)
    fake.fail("chat.postMessage", "not_in_channel")
    outcome = run_due(env, DUE)
    assert [(o.status, o.error) for o in outcome] == [("failed", "not_in_channel")]
    dm = fake.calls("conversations.open")
    assert [c.params["users"] for c in dm] == ["U0ALICE"]
    notes = [c.params for c in fake.calls("chat.postMessage") if c.params.get("channel") == "D0ALICE"]
    assert len(notes) == 1
    assert "I couldn't post your KPI digest" in str(notes[0]["text"])
    assert "/invite @KPI Bot" in str(notes[0]["text"])
    assert [(d["status"], d["error"], d["detail"]) for d in deliveries(engine)] == [
        ("failed", "not_in_channel", "the creator was told by DM")]
    assert [(r["status"], r["error"]) for r in runs(engine)] == [("failed", "not_in_channel")]


@pytest.mark.usefixtures("company")
def test_digest_by_dm(engine: Engine, env: DigestEnvironment, fake: FakeSlack) -> None:
    subscribe(engine, channel_id=None, dm_user_id="U0ALICE", metrics=["signups"])
    assert [(o.status, o.channel_id) for o in run_due(env, DUE)] == [("sent", "D0ALICE")]
    assert [c.params["users"] for c in fake.calls("conversations.open")] == ["U0ALICE"]
    assert fake.calls("conversations.info") == []  # a DM is never shared with another organisation
    assert [p["channel"] for p in digest_posts(fake)] == ["D0ALICE"]
