"""Small helpers for the sender tests: a recording/crashing Slack gateway and database counts."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, select

from bot.surveys.gateway import SurveySlack
from bot.surveys.runtime import SurveyRuntime
from bot.surveys.sender import CampaignSender
from kpi_engine.db.models import SurveyDelivery
from kpi_engine.db.models.survey_campaigns import SurveyDeliveryState
from surveys.commands import SendCommand, parse_survey_command

STATE = SurveyDeliveryState.__table__


class SimulatedCrash(BaseException):
    """Stands for the process dying (not an Exception, so nothing in the sender catches it)."""


class RecordingSlack(SurveySlack):
    """Notes the (fake) clock time of every post; can crash just before or just after the N-th post."""

    def __init__(self, runtime: SurveyRuntime, crash_on_post: int | None = None, crash_after_post: bool = True):
        assert runtime.pacer is not None
        super().__init__(runtime.client, runtime.pacer)
        self.clock = runtime.clock
        self.post_times: list[float] = []
        self.crash_on_post = crash_on_post
        self.crash_after_post = crash_after_post

    def post(self, channel: str, *, text: str, blocks: list[dict[str, Any]], metadata: dict[str, Any]) -> str:
        crash_now = self.crash_on_post is not None and len(self.post_times) + 1 == self.crash_on_post
        if crash_now and not self.crash_after_post:
            raise SimulatedCrash("died after claiming, before posting")
        ts = super().post(channel, text=text, blocks=blocks, metadata=metadata)
        self.post_times.append(self.clock.monotonic())
        if crash_now:
            raise SimulatedCrash("died after posting, before recording")
        return ts


def sender_with(runtime: SurveyRuntime, slack: SurveySlack) -> CampaignSender:
    return CampaignSender(runtime.engine, slack, runtime.rules, runtime.settings, runtime.clock)


def send_command(text: str) -> SendCommand:
    command = parse_survey_command(text)
    assert isinstance(command, SendCommand)
    return command


def statuses(engine: Engine, campaign_id: str) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(STATE.c.slack_user_id, STATE.c.status, STATE.c.error)
                            .where(STATE.c.campaign_id == campaign_id))
        return {r.slack_user_id: r.status + (f":{r.error}" if r.error else "") for r in rows}


def delivered(engine: Engine, campaign_id: str | None = None) -> int:
    table = SurveyDelivery.__table__
    stmt = select(func.count()).select_from(table)
    if campaign_id:
        stmt = stmt.where(table.c.campaign_id == campaign_id)
    with engine.connect() as conn:
        return int(conn.scalar(stmt) or 0)
