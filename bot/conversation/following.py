"""What a DM or thread already asked, for its next message: the state read before an answer, written after.

Nothing here raises: a state that cannot be read or written only makes the next message a new question.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Engine

from bot.conversation.memory import ConversationKey, recall, remember
from bot.errors import log_failure
from kpi_engine.answers.ask import Answer, AnyQuery, data_values
from kpi_engine.catalog import Catalog
from kpi_engine.parser.followups import FollowUp, read_followup
from kpi_engine.parser.value_index import Vocabulary
from kpi_engine.settings import Settings


@dataclass(frozen=True)
class Following:
    """The conversation's previous queries (empty: nothing to follow) and the follow-up read from the message."""

    previous: tuple[AnyQuery, ...]
    followup: FollowUp | None
    values: Vocabulary | None


def follow(engine: Engine, key: ConversationKey, text: str, *, in_dm: bool, catalog: Catalog,
           day: date, settings: Settings) -> Following:
    previous = previous_queries(engine, key, in_dm=in_dm)
    if not previous:
        return Following((), None, None)
    values = _values(engine, settings)
    return Following(previous, read_followup(text, previous, as_of=day, catalog=catalog, values=values), values)


def previous_queries(engine: Engine, key: ConversationKey, *, in_dm: bool) -> tuple[AnyQuery, ...]:
    """The conversation's last answered queries (younger than a day); a thread in a DM starts from the DM's."""
    keys = [key, replace(key, thread_ts="")] if in_dm and key.thread_ts else [key]
    try:
        for one in keys:
            remembered = recall(engine, one)
            if remembered is not None:
                return remembered.queries
    except Exception as exc:
        log_failure(exc, "reading the conversation state")
    return ()


def remember_answer(engine: Engine, key: ConversationKey, answer: Answer) -> None:
    """The answer's queries (one per metric) become the state; a message not answered leaves the state alone."""
    queries: Sequence[AnyQuery] = [one.query for one in answer.answers if one.ok and one.query is not None]
    if not queries:
        return
    try:
        remember(engine, key, answer.question, queries)
    except Exception as exc:
        log_failure(exc, "writing the conversation state")


def _values(engine: Engine, settings: Settings) -> Vocabulary | None:
    """The data's values, read only when there is something to follow up; explicit filters work without."""
    try:
        return data_values(engine, settings)
    except Exception as exc:
        log_failure(exc, "reading the data's values for a follow-up")
        return None
