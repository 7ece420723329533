"""The slow work the listeners hand to the job runner after their ack, as plain data: it can cross into a worker
process (a command's domain function travels as a reference to a module-level function, which pickles by name).

A job says what to do (a work), which bot token to use, and, for Slack deliveries that may be retried, the key
that makes it run once. Where the reply goes travels in the work (a route or a response_url).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # annotations only: the data module imports nothing of the bot at run time
    from bot.access import Asker
    from bot.audit import Source
    from bot.conversation.memory import ConversationKey
    from bot.shared.command import CommandContext, CommandReply
    from bot.surveys.answering import Click
    from kpi_engine.answers.ask import AnyQuery

    CommandHandler = Callable[[str, CommandContext], CommandReply]


@dataclass(frozen=True)
class Ask:
    question: str
    source: Source
    asker: Asker
    posted_in_channel: bool = False  # everyone in the conversation will see the reply
    ext_shared_hint: bool | None = None  # Slack's own flag on events, when it came with the request
    query: AnyQuery | None = None  # follow-ups run this query rather than parse the question
    include_actions: bool = True
    show_how_computed: bool = False
    conversation: ConversationKey | None = None  # a DM or thread: a follow-up changes its last query
    only_if_understood: bool = False  # a plain reply in a thread: silent unless it reads as a KPI question


# --- where answers go ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class EphemeralRoute:
    """Through a response_url: only the person sees it."""

    response_url: str


@dataclass(frozen=True)
class ConversationRoute:
    channel_id: str
    thread_ts: str | None = None
    chart_under_answer: bool = False
    notice_user: str | None = None  # refusals and errors go only to this person


@dataclass(frozen=True)
class SplitRoute:
    """Answers into the conversation, notices (refusals, instructions) only to the person."""

    answers: ConversationRoute
    notices: EphemeralRoute


Route = EphemeralRoute | ConversationRoute | SplitRoute


# --- works ----------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class AnswerWork:
    ask: Ask
    route: Route


@dataclass(frozen=True)
class HomeWork:
    asker: Asker
    note: str | None = None


@dataclass(frozen=True)
class PinWork:
    asker: Asker
    name: str  # a metric id, label or alias (or the question it came from)
    question: str
    response_url: str | None = None  # where to say "Pinned"; else it shows on the App Home


@dataclass(frozen=True)
class UnpinWork:
    asker: Asker
    metric_id: str


@dataclass(frozen=True)
class PinModalWork:
    """Opens the "Pin a KPI" modal: views.open must happen within 3 s of the click (the trigger_id)."""

    trigger_id: str


@dataclass(frozen=True)
class CommandWork:
    """`/kpi digest|alert|target …`: the domain function answers the text after the subcommand word."""

    run: CommandHandler
    text: str
    asker: Asker
    response_url: str


@dataclass(frozen=True)
class SurveyCommandWork:
    text: str  # the whole text, "survey …" included
    asker: Asker
    response_url: str
    bot_user_id: str | None = None


@dataclass(frozen=True)
class SnoozeWork:
    asker: Asker
    value: str  # "<rule id>:<minutes>" from the button
    message_ts: str | None
    response_url: str | None


@dataclass(frozen=True)
class SurveyScoreWork:
    click: Click
    score: int


@dataclass(frozen=True)
class SurveyCommentButtonWork:
    """Opens the comment modal (views.open within 3 s of the click)."""

    click: Click


@dataclass(frozen=True)
class SurveyChangeWork:
    click: Click


@dataclass(frozen=True)
class SurveyCommentWork:
    user_id: str
    delivery_id: str
    text: str


Work = (AnswerWork | HomeWork | PinWork | UnpinWork | PinModalWork | CommandWork | SurveyCommandWork | SnoozeWork
        | SurveyScoreWork | SurveyCommentButtonWork | SurveyChangeWork | SurveyCommentWork)


@dataclass(frozen=True)
class Job:
    work: Work
    token: str | None
    once_key: str | None = None  # e.g. "event:Ev123": only the first delivery runs (any replica)
    team_id: str | None = None
