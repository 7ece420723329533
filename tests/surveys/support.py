"""Test helpers for surveys: a fake clock that sleeps instantly, rules without the environment, campaigns."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from surveys.campaigns import Campaign, CampaignSpec, Recipient, create_campaign, plan_deliveries
from surveys.config import SurveySettings


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
