"""Test helpers for surveys: a fake clock that sleeps instantly, rules without the environment, campaigns, and
accounts that live in a source apart from the state database."""

from __future__ import annotations

import shutil
import threading
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine

from kpi_engine.db.base import Base
from kpi_engine.db.engine import make_engine
from kpi_engine.db.models import Account, User
from surveys.campaigns import Campaign, CampaignSpec, Recipient, create_campaign, plan_deliveries
from surveys.config import SurveySettings
from tests.conftest import insert_rows


class FakeClock:
    """`sleep` moves time forward at once; every sleep is recorded."""

    def __init__(self, start: datetime) -> None:
        self._now = start
        self._mono = 1000.0
        self.sleeps: list[float] = []
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def monotonic(self) -> float:
        with self._lock:
            return self._mono

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            self.sleeps.append(seconds)
            self.advance(seconds)

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)
            self._mono += seconds


def make_rules(**overrides: Any) -> SurveySettings:
    values = {"KPIBOT_SURVEY_CX_CHANNEL": None, **{k.upper(): v for k, v in overrides.items()}}
    return SurveySettings(_env_file=None, **values)  # type: ignore[call-arg]


def new_campaign(engine: Engine, users: list[str], now: datetime, *, survey: str = "nps",
                 rules: SurveySettings | None = None, **spec: Any) -> Campaign:
    campaign = create_campaign(engine, CampaignSpec(survey=survey, audience="test", **spec), product="Acme",
                               rules=rules or make_rules(), now=now)
    plan_deliveries(engine, campaign.campaign_id, [Recipient(u, f"user:{u}") for u in users], now)
    return campaign


def state_apart_from_source(folder: Path, template: Path, slack_user_id: str, at: datetime) -> tuple[Engine, str]:
    """`folder`/source.sqlite3 holds accounts a-pro (plan pro) and a-basic (plan basic) and user u1 of
    `slack_user_id` in a-pro; `folder`/state.sqlite3, a copy of the migrated `template`, holds neither.
    Returns the state database's engine and the source's URL (for KPI_SOURCE_URL)."""
    source_url = f"sqlite:///{folder / 'source.sqlite3'}"
    source = create_engine(source_url)
    Base.metadata.create_all(source, tables=[Account.__table__, User.__table__])
    insert_rows(source, Account, [{"account_id": "a-pro", "created_at": at, "plan": "pro"},
                                  {"account_id": "a-basic", "created_at": at, "plan": "basic"}])
    insert_rows(source, User, [{"user_id": "u1", "account_id": "a-pro", "created_at": at,
                                "slack_user_id": slack_user_id}])
    source.dispose()
    shutil.copy(template, folder / "state.sqlite3")
    return make_engine(f"sqlite:///{folder / 'state.sqlite3'}"), source_url
