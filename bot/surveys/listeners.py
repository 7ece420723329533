"""Survey buttons and the "Tell us why" modal. Each listener acks at once and hands a job to the job runner (in
this process: the work needs the survey runtime; views.open, which must happen within 3 s of the click, on the
runner's "now" lane). The work itself is in bot.surveys.answering.

`register(app)` also attaches the survey runtime (context["kpibot_surveys"], and the app's services). Its background
sender starts with the first campaign sent from this process, or at once with `start_survey_sender(app)` (`kpibot
serve`: resumes deferred deliveries and reminders after a restart).
"""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

from slack_bolt import Ack, App, BoltContext

from bot.handoff import hand_off
from bot.jobs import SurveyChangeWork, SurveyCommentButtonWork, SurveyCommentWork, SurveyScoreWork
from bot.services import Services
from bot.surveys.answering import Click
from bot.surveys.runtime import SurveyRuntime, runtime_middleware
from surveys.block_ids import SCORE_ACTION, SurveyActionId, SurveyCallbackId, score_of
from surveys.blocks import comment_from_view

_RUNTIMES: WeakKeyDictionary[App, SurveyRuntime] = WeakKeyDictionary()


def click_of(body: dict[str, Any], action: dict[str, Any]) -> Click:
    container = body.get("container") or {}
    channel = (body.get("channel") or {}).get("id") or container.get("channel_id")
    return Click(user_id=body["user"]["id"], delivery_id=str(action.get("value") or ""), channel_id=channel,
                 message_ts=container.get("message_ts"), action_ts=action.get("action_ts"),
                 trigger_id=body.get("trigger_id"))


def on_score(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    hand_off(context, SurveyScoreWork(click_of(body, action), score_of(action["action_id"])))


def on_comment_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    hand_off(context, SurveyCommentButtonWork(click_of(body, action)))


def on_change(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext) -> None:
    ack()
    hand_off(context, SurveyChangeWork(click_of(body, action)))


def on_comment_submitted(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext) -> None:
    ack()
    hand_off(context, SurveyCommentWork(body["user"]["id"], str(view.get("private_metadata") or ""),
                                        comment_from_view(view)))


def register(app: App, *, runtime: SurveyRuntime | None = None, start: bool = False) -> SurveyRuntime:
    """Listeners for survey clicks and comments; returns the runtime (tests pass their own, with a fake clock)."""
    services = services_of_app(app)
    runtime = runtime or SurveyRuntime.build(services.engine, services.settings, app.client,
                                             now=services.scheduling.now, autostart=True)
    _RUNTIMES[app] = runtime
    services.surveys = runtime
    app.use(runtime_middleware(runtime))
    app.action(SCORE_ACTION)(on_score)
    app.action(SurveyActionId.COMMENT.value)(on_comment_button)
    app.action(SurveyActionId.CHANGE.value)(on_change)
    app.view(SurveyCallbackId.COMMENT_MODAL.value)(on_comment_submitted)
    if start:
        runtime.start()
    return runtime


def survey_runtime(app: App) -> SurveyRuntime | None:
    return _RUNTIMES.get(app)


def start_survey_sender(app: App) -> None:
    """For `kpibot serve`: send what is due (deferred surveys, reminders, crash recovery) from now on."""
    runtime = _RUNTIMES.get(app)
    if runtime is not None:
        runtime.start()


def stop_survey_sender(app: App) -> None:
    runtime = _RUNTIMES.get(app)
    if runtime is not None:
        runtime.stop()


def services_of_app(app: App) -> Services:
    services = getattr(app, "services", None)
    if not isinstance(services, Services):
        raise TypeError("register the survey listeners on the app built by bot.app.create_app")
    return services
