"""Deterministic keys: one delivery per person and campaign, one response per delivery.

A delivery id names neither the person nor the Slack user (a hash), so anonymous answers keep no identity
in `survey_responses`/`survey_deliveries`; only the bot's own `survey_delivery_state` knows whom to message.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime


def _digest(*parts: str, length: int = 16) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:length]


def new_campaign_id(survey: str, at: datetime) -> str:
    return f"{survey}-{at:%Y%m%d}-{secrets.token_hex(3)}"


def delivery_id(campaign_id: str, slack_user_id: str) -> str:
    return f"{campaign_id}.{_digest(campaign_id, slack_user_id)}"


def response_id(delivery: str) -> str:
    """Every click on the same delivery upserts this one row: double clicks and retries give one response."""
    return f"{delivery}.r"


def pseudonym(campaign_id: str, slack_user_id: str) -> str:
    """What `survey_deliveries.respondent_id` (not null) holds for an anonymous campaign."""
    return f"anon-{_digest('anonymous', campaign_id, slack_user_id, length=20)}"
