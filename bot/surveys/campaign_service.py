"""Starting a campaign (shared by `/kpi survey send` and `kpibot survey send`): resolve who to ask, record the
campaign and one planned delivery per person, and wake the sender."""

from __future__ import annotations

from dataclasses import dataclass

from bot.surveys.audience import resolve_audience
from bot.surveys.runtime import SurveyRuntime
from surveys.campaigns import Campaign, CampaignSpec, create_campaign, plan_deliveries
from surveys.commands import CommandError, SendCommand


@dataclass(frozen=True)
class StartedCampaign:
    campaign: Campaign
    planned: int
    unresolved: list[str]


def start_campaign(runtime: SurveyRuntime, command: SendCommand, *, team_id: str | None, created_by: str | None,
                   bot_user_id: str | None) -> StartedCampaign:
    audience = resolve_audience(runtime.slack, list(command.targets), {bot_user_id} if bot_user_id else set())
    if not audience.recipients:
        reasons = "; ".join(audience.unresolved) or "the channels and groups named have no members"
        raise CommandError(f"Nobody to ask: {reasons}.")
    now = runtime.clock.now()
    spec = CampaignSpec(
        survey=command.survey, audience=" ".join(t.describe() for t in command.targets), question=command.question,
        follow_up=command.follow_up, anonymous=command.anonymous, topic=command.topic,
        expire_days=command.expire_days, post_in_channel=command.targets[0].value if command.in_channel else None,
        team_id=team_id, created_by=created_by, unresolved="; ".join(audience.unresolved) or None,
    )
    campaign = create_campaign(runtime.engine, spec, product=runtime.settings.product_name, rules=runtime.rules,
                               now=now)
    planned = plan_deliveries(runtime.engine, campaign.campaign_id, audience.recipients, now)
    runtime.wake()
    return StartedCampaign(campaign, planned, audience.unresolved)
