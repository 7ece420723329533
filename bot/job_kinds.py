"""What each kind of work runs, on which lane, whether the runner checks KPI access first, and where its notices
(a refusal, the friendly error with an error id) go. A new kind of work is one line here and its domain function.

Lanes: "worker" work needs only the Services, so it may run in a worker process; "server" work needs the server's
own objects (the survey runtime) and runs on its threads; "now" work must reach Slack within 3 s of the click
(views.open with a trigger_id) and runs on the server's urgent threads, never queued behind answers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.access import Asker
from bot.alerts.snooze import snooze
from bot.conversation.flow import handle_ask, record_failure
from bot.conversation.reply import ConversationReply, EphemeralReply, Reply, SplitReply
from bot.home.pinning import pin_and_refresh, unpin_metric
from bot.home.refresh import home_notice, refresh_home
from bot.home.view import pin_modal
from bot.jobs import (
    AnswerWork,
    CommandWork,
    ConversationRoute,
    EphemeralRoute,
    HomeWork,
    PinModalWork,
    PinWork,
    Route,
    SnoozeWork,
    SurveyChangeWork,
    SurveyCommandWork,
    SurveyCommentButtonWork,
    SurveyCommentWork,
    SurveyScoreWork,
    UnpinWork,
    Work,
)
from bot.posting import respond_with
from bot.services import Services
from bot.subcommands import answer_subcommand
from bot.surveys.answering import answer_score, change_answer, open_comment, save_comment
from bot.surveys.command import run_survey_command
from bot.surveys.runtime import SurveyRuntime

W = TypeVar("W")
Lane = Literal["worker", "server", "now"]
Notify = Callable[[str], object]


@dataclass(frozen=True)
class JobKind(Generic[W]):
    run: Callable[[Services, WebClient, W], object]
    lane: Lane = "worker"
    reader: Callable[[W], Asker] | None = None  # set: this person must be allowed to read KPIs (checked first)
    notices: Callable[[WebClient, W], Notify | None] = lambda _client, _work: None  # None: the log only
    failed: Callable[[Services, W, str], None] | None = None  # besides the log and the notice (the audit line)


def reply_for(route: Route, client: WebClient) -> Reply:
    if isinstance(route, EphemeralRoute):
        return EphemeralReply(client, Respond(response_url=route.response_url))
    if isinstance(route, ConversationRoute):
        return ConversationReply(client, route.channel_id, route.thread_ts,
                                 chart_under_answer=route.chart_under_answer, notice_user=route.notice_user)
    return SplitReply(reply_for(route.answers, client), reply_for(route.notices, client))


def privately(response_url: str | None) -> Notify | None:
    return (lambda text: respond_with(Respond(response_url=response_url), text=text)) if response_url else None


def surveys_of(services: Services) -> SurveyRuntime:
    if services.surveys is None:
        raise RuntimeError("no survey runtime: register bot.surveys.listeners on the app")
    return services.surveys


def _answer(services: Services, client: WebClient, work: AnswerWork) -> None:
    handle_ask(services, client, work.ask, reply_for(work.route, client))


def _pin(services: Services, client: WebClient, work: PinWork) -> None:
    pin_and_refresh(services, client, work.asker, work.name, work.question, tell=privately(work.response_url))


def _open_pin_modal(services: Services, client: WebClient, work: PinModalWork) -> None:
    client.views_open(trigger_id=work.trigger_id, view=pin_modal(services.catalog()))


KINDS: dict[type[Any], JobKind[Any]] = {
    AnswerWork: JobKind[AnswerWork](
        _answer, notices=lambda client, work: reply_for(work.route, client).notice,
        failed=lambda services, work, error_id: record_failure(services, work.ask, error_id)),
    HomeWork: JobKind[HomeWork](
        lambda services, client, work: refresh_home(services, client, work.asker, note=work.note),
        notices=lambda client, work: home_notice(client, work.asker.user_id)),
    PinWork: JobKind[PinWork](
        _pin, notices=lambda client, work: privately(work.response_url) or home_notice(client, work.asker.user_id)),
    UnpinWork: JobKind[UnpinWork](
        lambda services, client, work: unpin_metric(services, client, work.asker, work.metric_id),
        notices=lambda client, work: home_notice(client, work.asker.user_id)),
    PinModalWork: JobKind[PinModalWork](_open_pin_modal, lane="now"),
    CommandWork: JobKind[CommandWork](
        answer_subcommand, reader=lambda work: work.asker, notices=lambda _client, work: privately(work.response_url)),
    SurveyCommandWork: JobKind[SurveyCommandWork](
        run_survey_command, lane="server", reader=lambda work: work.asker,
        notices=lambda _client, work: privately(work.response_url)),
    SnoozeWork: JobKind[SnoozeWork](
        snooze, reader=lambda work: work.asker, notices=lambda _client, work: privately(work.response_url)),
    SurveyScoreWork: JobKind[SurveyScoreWork](
        lambda services, client, work: answer_score(surveys_of(services), client, work.click, work.score),
        lane="server"),
    SurveyCommentButtonWork: JobKind[SurveyCommentButtonWork](
        lambda services, client, work: open_comment(surveys_of(services), client, work.click), lane="now"),
    SurveyChangeWork: JobKind[SurveyChangeWork](
        lambda services, client, work: change_answer(surveys_of(services), client, work.click), lane="server"),
    SurveyCommentWork: JobKind[SurveyCommentWork](
        lambda services, client, work: save_comment(surveys_of(services), client, work.user_id, work.delivery_id,
                                                    work.text),
        lane="server"),
}


def kind_of(work: Work) -> JobKind[Any]:
    return KINDS[type(work)]
