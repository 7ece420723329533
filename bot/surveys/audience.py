"""From what the sender typed (people, emails, user groups, channels) to the Slack users to ask."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from slack_sdk.errors import SlackApiError

from bot.posting import ADVICE
from bot.surveys.gateway import SurveySlack, error_code
from surveys.campaigns import Recipient
from surveys.targets import Target

logger = logging.getLogger(__name__)

CHANNEL_ADVICE = {
    "not_in_channel": "I'm not a member: invite me with `/invite @KPI Bot`",
    "channel_not_found": "I can't see it: invite me with `/invite @KPI Bot`",
    "missing_scope": "the app lacks a permission to list its members (reinstall the app)",
}


@dataclass
class Audience:
    recipients: list[Recipient] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)  # "what — why", for the sender and the campaign status

    def add(self, user_ids: list[str], source: str, exclude: set[str]) -> None:
        self.recipients += [Recipient(user_id, source) for user_id in user_ids if user_id not in exclude]


def resolve_audience(slack: SurveySlack, targets: list[Target], exclude: set[str]) -> Audience:
    """`exclude`: ids never to ask (the bot itself). Bots and deactivated people are dropped when sending."""
    audience = Audience()
    for target in targets:
        try:
            if target.kind == "user":
                audience.add([target.value], target.source, exclude)
            elif target.kind == "email":
                user_id = slack.user_by_email(target.value)
                if user_id is None:
                    audience.unresolved.append(f"{target.value} — no Slack user has this email")
                else:
                    audience.add([user_id], target.source, exclude)
            elif target.kind == "group":
                audience.add(slack.group_members(target.value), target.source, exclude)
            else:
                audience.add(slack.channel_members(target.value), target.source, exclude)
        except SlackApiError as exc:
            code = error_code(exc)
            why = CHANNEL_ADVICE.get(code) or ADVICE.get(code) or f"Slack said `{code}`"
            logger.info("could not resolve %s: %s", target.source, code)
            audience.unresolved.append(f"{target.describe()} — {why}")
    return audience
