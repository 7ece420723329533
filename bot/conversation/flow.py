"""One question, start to finish, on a worker thread: the conversation it follows up (DMs and threads), access,
the answer, its chart, delivery, audit.

Every outcome is written to the audit log, and the asker always hears back: an answer, a polite refusal,
an instruction (invite me to the channel), or (from the job runner, which calls `record_failure` for the audit
line) a friendly error with an error id.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date

from slack_sdk import WebClient

from bot.access import Verdict
from bot.audit import AuditRecord, Outcome, record_question
from bot.blocks import answer_blocks, how_computed_blocks
from bot.blocks.text import MESSAGE_BLOCK_LIMIT, Block, context, escape
from bot.conversation.answering import (
    answer_follow_up,
    answer_read,
    chart_of,
    group_of_query,
    groups_of_read,
    metric_id_of,
    read_words,
    reads_as_query,
    summary_text,
    with_values,
)
from bot.conversation.following import Following, follow, remember_answer
from bot.conversation.reply import Reply
from bot.errors import log_failure
from bot.jobs import Ask
from bot.posting import PostRefused
from bot.services import Services
from kpi_engine.answers.ask import Answer, answer_query
from kpi_engine.catalog import Catalog

logger = logging.getLogger(__name__)


def handle_ask(services: Services, client: WebClient, ask: Ask, reply: Reply) -> None:
    """A delivery Slack refused becomes its advice (invite me, ...); any other failure is raised to the runner."""
    try:
        _answer(services, client, ask, reply)
    except PostRefused as exc:
        _audit(services, ask, "error", detail=exc.code)
        _notice_quietly(reply, exc.advice)


def record_failure(services: Services, ask: Ask, error_id: str) -> None:
    """The audit line of a question whose job failed (the asker was given `error_id`)."""
    _audit(services, ask, "error", detail=f"error_id={error_id}")


def _answer(services: Services, client: WebClient, ask: Ask, reply: Reply) -> None:
    """The question is read once: its data-free parse decides access (before any data is read), the same parse
    with the data's values is answered (and access checked again if the values changed which metrics it asks)."""
    catalog = services.catalog()
    day = services.today()
    engine, settings = services.engine, services.settings
    following = _following(services, ask, catalog, day)
    followup = following.followup
    if ask.only_if_understood and not following.previous:
        return  # a reply in a thread the bot has not answered (within a day): not for the bot
    query = followup.query if followup is not None else ask.query
    read = None if query is not None else read_words(ask.question, engine=engine, settings=settings,
                                                     catalog=catalog, day=day)
    valued = False
    if read is not None and ask.only_if_understood:  # the follow-up's state already read the data's values
        read = with_values(ask.question, read, engine=engine, settings=settings, catalog=catalog, day=day)
        valued = True
        if not reads_as_query(read):
            return  # people talk in threads too: only KPI questions and follow-ups get an answer
    access = services.access
    verdict = access.may_read_kpis(client, ask.asker)
    if verdict.allowed and ask.posted_in_channel:
        verdict = access.may_post_in_channel(client, ask.asker, ask.ext_shared_hint)
    if not verdict.allowed:
        _refuse(services, ask, reply, verdict)
        return
    groups = [group_of_query(query, catalog)] if read is None else groups_of_read(read, catalog)
    if not _may_see(services, ask, reply, groups):
        return
    if read is not None and not valued:
        read = with_values(ask.question, read, engine=engine, settings=settings, catalog=catalog, day=day)
        regrouped = groups_of_read(read, catalog)
        if regrouped != groups and not _may_see(services, ask, reply, regrouped):
            return
    if followup is not None:
        answer = answer_follow_up(ask.question, followup, engine=engine, settings=settings, catalog=catalog, day=day)
    elif ask.query is not None:
        answer = answer_query(ask.query, engine=engine, settings=settings, catalog=catalog, as_of=day,
                              question=ask.question)
    else:
        assert read is not None
        answer = answer_read(ask.question, read, engine=engine, settings=settings, catalog=catalog, day=day)
    if ask.conversation is not None:  # before the answer goes out: a quick follow-up finds it
        remember_answer(services.engine, ask.conversation, answer)
    _deliver(answer, ask, reply, services, reading_first=followup is not None)
    outcome: Outcome = "answered" if answer.error is None else "unknown"
    _audit(services, ask, outcome, metric_id=metric_id_of(answer), detail=answer.error)


def _may_see(services: Services, ask: Ask, reply: Reply, groups: list[str | None]) -> bool:
    """Every metric group the question touches must be open to the asker here; else the first refusal is told."""
    for group in groups:
        verdict = services.access.may_see_metric(group, ask.asker, posted_in_channel=ask.posted_in_channel)
        if not verdict.allowed:
            _refuse(services, ask, reply, verdict)
            return False
    return True


def _following(services: Services, ask: Ask, catalog: Catalog, day: date) -> Following:
    if ask.conversation is None or ask.query is not None:
        return Following((), None, None)
    return follow(services.engine, ask.conversation, ask.question, in_dm=ask.source == "dm", catalog=catalog,
                  day=day, settings=services.settings)


def _deliver(answer: Answer, ask: Ask, reply: Reply, services: Services, *, reading_first: bool = False) -> None:
    """`reading_first`: a follow-up's first note (how it was read) goes on top rather than with the others."""
    text = summary_text(answer)
    if ask.show_how_computed:
        blocks = how_computed_blocks(answer)
        reply.send(lambda _file_id: blocks, text)
        return
    lead: list[Block] = []
    if reading_first and answer.parse is not None and answer.parse.notes:
        lead = [context(escape(answer.parse.notes[0]))]
        answer = replace(answer, parse=replace(answer.parse, notes=answer.parse.notes[1:]))
    chart = chart_of(answer, services.charts) if len(answer.answers) == 1 else None  # one chart is one metric
    shown = answer
    reply.send(lambda file_id: (lead + answer_blocks(shown, chart_file_id=file_id,
                                                     include_actions=ask.include_actions))[:MESSAGE_BLOCK_LIMIT],
               text, chart)


def _refuse(services: Services, ask: Ask, reply: Reply, verdict: Verdict) -> None:
    _audit(services, ask, "refused", detail=verdict.reason)
    reply.notice(verdict.message)


def _audit(services: Services, ask: Ask, outcome: Outcome, *, metric_id: str | None = None,
           detail: str | None = None) -> None:
    try:
        record_question(services.engine, AuditRecord(
            team_id=ask.asker.installing_team_id, user_id=ask.asker.user_id, channel_id=ask.asker.channel_id,
            source=ask.source, question=ask.question, outcome=outcome, metric_id=metric_id, detail=detail,
        ))
    except Exception as exc:  # the answer matters more than its audit line; the log keeps it
        log_failure(exc, f"writing the audit log ({ask.source} by {ask.asker.user_id}: {outcome})")


def _notice_quietly(reply: Reply, text: str) -> None:
    try:
        reply.notice(text)
    except Exception as exc:  # nowhere left to tell the asker: the log line is all there is
        logger.warning("could not tell the asker (%s): %s", text[:80], exc)
