"""Who is asking, as seen from the workspace that installed the app."""

from __future__ import annotations

from slack_bolt import BoltContext

from bot.access import Asker


def asker_from(context: BoltContext, user_id: str, channel_id: str | None) -> Asker:
    """The installing team comes from the token's own auth.test (authorize result), not from the payload,
    whose team may be the asker's organisation in a Slack Connect channel."""
    result = context.authorize_result
    team_id = (result.team_id if result is not None else None) or context.team_id
    enterprise_id = (result.enterprise_id if result is not None else None) or context.enterprise_id
    return Asker(user_id=user_id, channel_id=channel_id, installing_team_id=team_id,
                 installing_enterprise_id=enterprise_id)
