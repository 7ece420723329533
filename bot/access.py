"""Who may read KPIs, where, and which metrics (deny by default).

1. The asker must be a full member of the installing workspace: same team (or same Enterprise Grid org),
   not a guest, not a stranger from a Slack Connect organisation, not a bot.
2. KPI data is never posted where people from other organisations can read it (externally shared channels,
   or channels the bot cannot look up).
3. Metric groups can be limited to listed users or channels (bot.access_groups).
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk import WebClient

from bot.access_groups import GroupRules
from bot.directory import SlackDirectory, UserFacts

NOT_A_MEMBER = (
    "Sorry, KPIs are only available to full members of this workspace. "
    "If you think you should have access, ask a workspace admin."
)
EXTERNAL_CHANNEL = (
    "I don't share KPIs in channels shared with other organisations. "
    "Ask me with `/kpi` (only you will see the answer) or in a direct message."
)
UNKNOWN_CHANNEL = (
    "I can't check who can read this channel, so I won't post KPIs here. "
    "Invite me with `/invite @KPI Bot`, or ask me with `/kpi` or in a direct message."
)


def restricted_group_message(group: str, posted_in_channel: bool) -> str:
    if posted_in_channel:
        return (f"*{group}* metrics can't be posted in this channel. "
                "Ask with `/kpi` (only you will see the answer) or in a channel allowed for them.")
    return f"Sorry, *{group}* metrics are limited to certain people and channels. Ask a workspace admin for access."


@dataclass(frozen=True)
class Asker:
    user_id: str
    channel_id: str | None
    installing_team_id: str | None
    installing_enterprise_id: str | None = None


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    reason: str = ""  # short, for the audit log
    message: str = ""  # polite, for the user

    @classmethod
    def allow(cls) -> Verdict:
        return cls(True)


def is_direct_message(channel_id: str | None) -> bool:
    return channel_id is not None and channel_id.startswith("D")


class AccessPolicy:
    def __init__(self, directory: SlackDirectory, rules: GroupRules) -> None:
        self.directory = directory
        self.rules = rules

    def may_read_kpis(self, client: WebClient, asker: Asker) -> Verdict:
        facts = self.directory.user(client, asker.installing_team_id, asker.user_id)
        reason = _membership_problem(facts, asker)
        if reason:
            return Verdict(False, reason, NOT_A_MEMBER)
        return Verdict.allow()

    def may_post_in_channel(self, client: WebClient, asker: Asker, ext_shared_hint: bool | None = None) -> Verdict:
        """For messages every member of the conversation sees (shares, thread replies)."""
        if is_direct_message(asker.channel_id):
            return Verdict.allow()
        if ext_shared_hint is True:
            return Verdict(False, "externally_shared_channel", EXTERNAL_CHANNEL)
        if asker.channel_id is None:
            return Verdict(False, "unknown_channel", UNKNOWN_CHANNEL)
        facts = self.directory.channel(client, asker.installing_team_id, asker.channel_id)
        if facts is None:
            return Verdict(False, "unknown_channel", UNKNOWN_CHANNEL)
        if facts.externally_shared:
            return Verdict(False, "externally_shared_channel", EXTERNAL_CHANNEL)
        return Verdict.allow()

    def may_see_metric(self, group: str | None, asker: Asker, *, posted_in_channel: bool) -> Verdict:
        in_channel = posted_in_channel and not is_direct_message(asker.channel_id)
        if self.rules.admits(group, asker.user_id, asker.channel_id, posted_in_channel=in_channel):
            return Verdict.allow()
        return Verdict(False, f"group:{group}", restricted_group_message(group or "", in_channel))


def _membership_problem(facts: UserFacts | None, asker: Asker) -> str:
    if facts is None:
        return "unknown_user"
    if facts.deleted:
        return "deactivated"
    if facts.is_bot:
        return "bot"
    if facts.is_stranger:
        return "external"
    if facts.is_guest:
        return "guest"
    same_team = asker.installing_team_id is not None and facts.team_id == asker.installing_team_id
    same_org = asker.installing_enterprise_id is not None and facts.enterprise_id == asker.installing_enterprise_id
    if not (same_team or same_org):
        return "external"
    return ""
