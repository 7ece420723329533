"""Block Kit for alerts (pure functions → dicts): the alert with its Snooze buttons, and the thread notes."""

from __future__ import annotations

import re
from datetime import datetime

from bot.alerts.evaluate import Evaluation
from bot.alerts.ids import ALERT_ACTIONS_BLOCK, SNOOZE_MINUTES, AlertActionId
from bot.blocks.text import Block, button, context, escape, section

# Slack's own markup that a user typed or Slack inserted: channel and user mentions, special mentions, links
_SLACK_TOKEN = re.compile(r"<(?:#[CG][A-Z0-9]+(?:\|[^<>]*)?|@[UW][A-Z0-9]+(?:\|[^<>]*)?|![a-z^]+(?:\|[^<>]*)?"
                          r"|(?:https?://|mailto:)[^<>|\s]+(?:\|[^<>]*)?)>")


def slack_text(text: str) -> str:
    """User text for mrkdwn: &, <, > escaped, but channel links, mentions and URLs kept, so `mrr > 10k in
    <#C0ALERT|alerts>` shows `mrr > 10k in #alerts` (a channel link), not `&lt;#C0ALERT|alerts&gt;`."""
    out, last = [], 0
    for match in _SLACK_TOKEN.finditer(text):
        out.append(escape(text[last:match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _when(instant: datetime) -> str:
    return f"{instant:%a %d %b %H:%M} UTC"


def _cooldown_words(minutes: int) -> str:
    if minutes % (24 * 60) == 0:
        days = minutes // (24 * 60)
        return "a day" if days == 1 else f"{days} days"
    if minutes % 60 == 0:
        hours = minutes // 60
        return "an hour" if hours == 1 else f"{hours} hours"
    return f"{minutes} minutes"


def alert_text(evaluation: Evaluation) -> str:
    return f"Alert: {evaluation.summary} — {evaluation.condition}"


def alert_blocks(rule_id: int, rule_text: str, created_by: str, evaluation: Evaluation, cooldown_minutes: int,
                 anomaly_line: str | None = None) -> list[Block]:
    headline = f":rotating_light: *{escape(evaluation.summary)}* — {escape(evaluation.condition)}."
    if anomaly_line:
        headline += f"\n{anomaly_line}"
    value = str(rule_id)
    return [
        section(headline),
        context(f"Alert #{rule_id} · {slack_text(rule_text)} · set by <@{created_by}> · I'll note here if it is still "
                f"firing after {_cooldown_words(cooldown_minutes)}, and when it is back to normal."),
        {"type": "actions", "block_id": ALERT_ACTIONS_BLOCK, "elements": [
            button("Snooze 1 day", AlertActionId.SNOOZE_DAY, f"{value}:{SNOOZE_MINUTES[AlertActionId.SNOOZE_DAY]}"),
            button("Snooze 1 week", AlertActionId.SNOOZE_WEEK,
                   f"{value}:{SNOOZE_MINUTES[AlertActionId.SNOOZE_WEEK]}"),
        ]},
    ]


def still_firing_text(evaluation: Evaluation, fired_at: datetime | None) -> str:
    since = f" Firing since {_when(fired_at)}." if fired_at else ""
    return f":repeat: Still firing: {escape(evaluation.summary)} — {escape(evaluation.condition)}.{since}"


def resolved_text(evaluation: Evaluation) -> str:
    return f":white_check_mark: Back to normal: {escape(evaluation.summary)}."


def snoozed_text(user_id: str, until: datetime) -> str:
    return f":zzz: <@{user_id}> snoozed this alert until {_when(until)}."
