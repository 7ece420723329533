"""Hands a listener's slow work to the job runner right after the ack: the one way work leaves a listener."""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.jobs import Job, Work
from bot.services import services_of


def bot_token(context: BoltContext) -> str | None:
    """The token of the workspace the request came from (the single token, or the installation's in OAuth)."""
    return context.bot_token or (context.client.token if context.client is not None else None)


def hand_off(context: BoltContext, work: Work, *, once_key: str | None = None) -> None:
    services_of(context).jobs.submit(Job(work=work, token=bot_token(context), once_key=once_key,
                                         team_id=context.team_id))
