"""The slow work the listeners hand off after their ack, as plain data (so it can cross into a worker process).

A job says what to do (answer a question, refresh a Home, pin, unpin), where the reply goes (a route), which
bot token to use, and, for Slack deliveries that may be retried, the key that makes it run once.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.access import Asker
from bot.conversation.flow import Ask


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
class Job:
    work: AnswerWork | HomeWork | PinWork | UnpinWork
    token: str | None
    once_key: str | None = None  # e.g. "event:Ev123": only the first delivery runs (any replica)
    team_id: str | None = None
