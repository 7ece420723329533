"""Digest fixtures: a small company whose weekly numbers are worked out by hand, a Slack client on the fake Slack,
and a digest environment with pacing turned off (tests of pacing set their own).

The reported week is Mon 2026-03-02 – Sun 2026-03-08 (ISO week 10); the digest is due Monday 2026-03-09 09:00
Europe/Berlin = 08:00 UTC. Reporting zone: UTC.

- signups per week, oldest first (12 weeks from 2025-12-15): 10 12 11 9 10 12 11 10 9 11 10 | 4
  → this week 4, the week before 10: ↓ 60.0% (-6) — worse; mean of the 11 earlier weeks 115/11 = 10.45,
  below their band 9–12 → unusual.
- tickets: 3 this week, none before → ↑ 3; the earlier weeks were 0 every week → unusual.
- mrr: account a 100 since 2025-11-01, account b 50 since 2026-03-04 → 150 at the end of the week, 100 the week
  before: ↑ 50.0% (+$50) — good; target 300 → 50% of the target.
- nps: no responses → "no data this week".
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, timedelta

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.digests.repository import Subscription, create_subscription
from bot.digests.runner import DigestEnvironment
from bot.digests.schedule import Schedule, next_slot
from bot.shared.pacing import ChannelPacer
from bot.shared.slack_clients import with_retries
from kpi_engine.catalog import load_catalog
from kpi_engine.db.models import Account, Target, Ticket, User
from kpi_engine.db.models import Subscription as MrrSubscription
from kpi_engine.settings import Settings
from tests.bot.support.fake_slack import FakeSlack
from tests.conftest import insert_rows

CREATOR = "U0ALICE"
GROWTH = "C0GROWTH"
BERLIN = "Europe/Berlin"
DUE = datetime(2026, 3, 9, 8, 0)  # Monday 09:00 in Berlin (CET, UTC+1)
WEEK_START = date(2026, 3, 2)
FIRST_WEEK = date(2025, 12, 15)
SIGNUPS_PER_WEEK = [10, 12, 11, 9, 10, 12, 11, 10, 9, 11, 10, 4]
KPIS = ["mrr", "signups", "tickets", "nps"]


@pytest.fixture
def slack_client(fake_slack: FakeSlack) -> WebClient:
    fake_slack.add_user(CREATOR, tz=BERLIN)
    fake_slack.add_channel(GROWTH)
    return with_retries(WebClient(token="xoxb-test-token", base_url=fake_slack.api_url))


def make_env(engine: Engine, settings: Settings, client: WebClient, **overrides: object) -> DigestEnvironment:
    values: dict[str, object] = {"pacer": ChannelPacer(0.0, 0.0), **overrides}
    return DigestEnvironment(engine, settings, lambda _team: client, load_catalog(), **values)  # type: ignore[arg-type]


@pytest.fixture
def env(engine: Engine, settings: Settings, slack_client: WebClient) -> DigestEnvironment:
    return make_env(engine, settings, slack_client)


def subscribe(engine: Engine, *, channel_id: str | None = GROWTH, metrics: list[str] | None = None,
              schedule: Schedule | None = None, filters: dict[str, list[str]] | None = None,
              created_at: datetime = DUE - timedelta(days=3), dm_user_id: str | None = None) -> Subscription:
    schedule = schedule or Schedule(timezone=BERLIN, weekday=0, at_time="09:00")
    return create_subscription(engine, team_id="T0TEAM", channel_id=channel_id, dm_user_id=dm_user_id,
                               created_by=CREATOR, schedule=schedule, metrics=metrics or list(KPIS),
                               filters=filters or {}, now=created_at, next_run_at=next_slot(schedule, created_at))


@pytest.fixture
def company(engine: Engine) -> None:
    users = []
    for week, count in enumerate(SIGNUPS_PER_WEEK):
        monday = datetime.combine(FIRST_WEEK + timedelta(weeks=week), datetime.min.time())
        users += [{"user_id": f"u{week}-{i}", "account_id": "a", "created_at": monday + timedelta(hours=10 + i)}
                  for i in range(count)]
    insert_rows(engine, User, users)
    insert_rows(engine, Account, [
        {"account_id": "a", "created_at": datetime(2025, 11, 1), "plan": "pro"},
        {"account_id": "b", "created_at": datetime(2026, 3, 4), "plan": "basic"},
    ])
    insert_rows(engine, MrrSubscription, [
        {"subscription_id": "s1", "account_id": "a", "mrr": 100.0, "started_at": datetime(2025, 11, 1)},
        {"subscription_id": "s2", "account_id": "b", "mrr": 50.0, "started_at": datetime(2026, 3, 4, 12)},
    ])
    insert_rows(engine, Ticket, [
        {"ticket_id": f"t{i}", "account_id": "a", "opened_at": datetime(2026, 3, 3 + i, 9)} for i in range(3)
    ])
    insert_rows(engine, Target, [{"metric_id": "mrr", "value": 300.0, "due": date(2026, 12, 31),
                                  "created_by": CREATOR, "created_at": datetime(2026, 1, 1)}])


@pytest.fixture
def fake(fake_slack: FakeSlack) -> Iterator[FakeSlack]:
    yield fake_slack


def digest_posts(fake: FakeSlack) -> list[dict[str, object]]:
    """The digest messages themselves (not thread replies, not DMs to the creator)."""
    return [c.params for c in fake.calls("chat.postMessage")
            if not c.params.get("thread_ts") and str(c.params.get("text", "")).startswith("Weekly KPIs")]
