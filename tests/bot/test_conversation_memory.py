"""The conversation state in the database: per team, channel and thread, upserted, forgotten after a day."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, func, select, update

from bot.conversation.memory import ConversationKey, recall, remember
from kpi_engine.db.models.conversations import SlackConversation
from kpi_engine.periods import Period
from kpi_engine.query import Filter, MetricQuery, MovementsQuery

TABLE = SlackConversation.__table__
NOW = datetime(2026, 6, 10, 12, 0)
MRR_MAY = MetricQuery(metric="mrr", as_of=date(2026, 6, 10), period=Period.calendar(date(2026, 5, 1), "month"),
                      breakdown="plan", filters=(Filter(dimension="country", values=("DE", "FR")),))
DM = ConversationKey("T0TEAM", "D0ALICE")
THREAD = ConversationKey("T0TEAM", "C0GENERAL", "1780000001.000100")


def at(moment: datetime):
    return lambda: moment


def test_a_query_is_recalled_as_it_was_written(engine: Engine) -> None:
    remember(engine, THREAD, "mrr by plan last month in DE or FR", (MRR_MAY,), now=at(NOW))
    found = recall(engine, THREAD, now=at(NOW + timedelta(hours=23)))
    assert found is not None and found.queries == (MRR_MAY,) and found.question == "mrr by plan last month in DE or FR"


def test_each_dm_and_thread_has_its_own_state(engine: Engine) -> None:
    remember(engine, THREAD, "mrr by plan", (MRR_MAY,), now=at(NOW))
    assert recall(engine, DM, now=at(NOW)) is None
    assert recall(engine, ConversationKey("T0OTHER", THREAD.channel_id, THREAD.thread_ts), now=at(NOW)) is None
    assert recall(engine, ConversationKey("T0TEAM", "C0GENERAL", "1780000001.000999"), now=at(NOW)) is None


def test_a_newer_answer_replaces_the_state_in_place(engine: Engine) -> None:
    remember(engine, DM, "mrr by plan", (MRR_MAY,), now=at(NOW))
    bridge = MovementsQuery(as_of=date(2026, 6, 10))
    remember(engine, DM, "why?", (bridge,), now=at(NOW + timedelta(minutes=1)))
    found = recall(engine, DM, now=at(NOW + timedelta(minutes=2)))
    assert found is not None and found.queries == (bridge,)
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(TABLE)).scalar_one() == 1


def test_a_state_older_than_a_day_is_not_recalled_and_is_deleted_by_the_next_write(engine: Engine) -> None:
    remember(engine, DM, "mrr by plan", (MRR_MAY,), now=at(NOW))
    assert recall(engine, DM, now=at(NOW + timedelta(hours=24, seconds=1))) is None
    remember(engine, THREAD, "mrr by plan", (MRR_MAY,), now=at(NOW + timedelta(hours=25)))
    with engine.connect() as conn:
        assert [row.channel_id for row in conn.execute(select(TABLE.c.channel_id))] == ["C0GENERAL"]


def test_an_unreadable_state_is_ignored(engine: Engine) -> None:
    remember(engine, DM, "mrr", (MRR_MAY,), now=at(NOW))
    with engine.begin() as conn:
        conn.execute(update(TABLE).values(query_json='{"kind": "metric", "metric": 3}'))
    assert recall(engine, DM, now=at(NOW)) is None


KEYS = st.builds(ConversationKey, st.text(max_size=64), st.text(max_size=64), st.text(max_size=40))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@given(key=KEYS, question=st.text(max_size=300), hours=st.floats(0, 72))
def test_any_key_round_trips_or_has_expired(engine: Engine, key: ConversationKey, question: str,
                                             hours: float) -> None:
    text = question.replace("\x00", "")  # PostgreSQL text holds no NUL; Slack sends none
    key = ConversationKey(*(part.replace("\x00", "") for part in (key.team_id, key.channel_id, key.thread_ts)))
    remember(engine, key, text, (MRR_MAY,), now=at(NOW))
    found = recall(engine, key, now=at(NOW + timedelta(hours=hours)))
    if hours > 24:
        assert found is None
    else:
        assert found is not None and found.queries == (MRR_MAY,) and found.question == text[:4000]
