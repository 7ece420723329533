"""What the `/kpi` subcommand listeners share: the matcher on the first word, and handing a subcommand to the runner."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from slack_bolt import Ack, BoltContext

from bot.conversation.asker import asker_from
from bot.handoff import hand_off
from bot.jobs import CommandWork

if TYPE_CHECKING:
    from bot.jobs import CommandHandler

KPI_COMMAND = "/kpi"
Matcher = Callable[[dict[str, Any]], bool]


def words_of(command: dict[str, Any]) -> tuple[str, str]:
    """`digest add in #growth mrr` → ("digest", "add in #growth mrr"): the subcommand word, lowercased, and the rest."""
    parts = str(command.get("text") or "").strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0].lower(), parts[1] if len(parts) > 1 else ""


def first_word_in(*words: str) -> Matcher:
    """A Bolt matcher (it is given the `command` payload): the text starts with one of `words`."""
    def matches(command: dict[str, Any]) -> bool:
        return words_of(command)[0] in words

    return matches


def hand_off_subcommand(ack: Ack, command: dict[str, Any], context: BoltContext, run: CommandHandler) -> None:
    """Acks, then the runner checks access and `run` answers the text after the word, privately."""
    ack()
    asker = asker_from(context, command["user_id"], command.get("channel_id"))
    hand_off(context, CommandWork(run, words_of(command)[1], asker, command["response_url"]))
