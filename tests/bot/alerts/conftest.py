"""Alert fixtures: the digest fixture company (signups 10 in the week of 2026-02-23, 4 in the week of 2026-03-02,
all on Mondays; MRR 100 → 150 on 2026-03-04) and an alert environment on the fake Slack. Reporting zone UTC."""

from __future__ import annotations

from datetime import datetime

import pytest
from slack_sdk import WebClient
from sqlalchemy import Engine

from bot.alerts.checker import AlertEnvironment
from bot.alerts.repository import Rule, create_rule
from bot.alerts.rules import parse_alert_rule
from bot.shared.pacing import ChannelPacer
from kpi_engine.catalog import load_catalog
from kpi_engine.settings import Settings
from tests.bot.digests.conftest import CREATOR, GROWTH, company, slack_client  # noqa: F401  (fixtures)

T0 = datetime(2026, 3, 9, 10, 0)  # Monday: the last 7 complete days are 2026-03-02 .. 03-08
CATALOG = load_catalog()


@pytest.fixture
def alert_env(engine: Engine, settings: Settings, slack_client: WebClient) -> AlertEnvironment:  # noqa: F811
    return AlertEnvironment(engine, settings, lambda _team: slack_client, CATALOG, ChannelPacer(0.0, 0.0))


def add_rule(engine: Engine, text: str, *, now: datetime = T0, cooldown_minutes: int = 24 * 60) -> Rule:
    spec = parse_alert_rule(text, CATALOG)
    return create_rule(engine, spec, text=text, team_id="T0TEAM", channel_id=spec.channel_id or GROWTH,
                       created_by=CREATOR, now=now, cooldown_minutes=cooldown_minutes)
