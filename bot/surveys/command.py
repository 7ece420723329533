"""`/kpi survey …`: the /kpi router hands over texts starting with "survey" (see `survey_command`).

Only full members of the workspace may run surveys or read their results (same policy as KPIs); answers
are ephemeral.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond
from slack_sdk import WebClient

from bot.access import Asker
from bot.conversation.asker import asker_from
from bot.conversation.reply import Chart, EphemeralReply
from bot.errors import friendly_error_text, log_failure
from bot.posting import respond_with
from bot.services import Services, services_of
from bot.surveys.campaign_service import start_campaign
from bot.surveys.runtime import SurveyRuntime, runtime_of
from surveys.campaigns import CampaignNotFound, close_campaign, get_campaign, latest_campaign, list_campaigns
from surveys.charts import distribution_chart
from surveys.commands import (
    CloseCommand,
    CommandError,
    HelpCommand,
    LinkCommand,
    ListCommand,
    ResultsCommand,
    SendCommand,
    StatusCommand,
    is_survey_command,
    parse_survey_command,
)
from surveys.kinds import kind_of
from surveys.links import link_account
from surveys.presenting import campaign_line, headline, started_lines, status_lines
from surveys.result_blocks import HELP, lines_blocks, results_blocks
from surveys.results import CommentFilter, campaign_results
from surveys.status import campaign_status

__all__ = ["handle_survey_command", "is_survey_command", "survey_command"]


def survey_command(ack: Ack, command: dict[str, Any], context: BoltContext) -> None:
    """Bolt-style entry for the /kpi router: acks, then answers from the worker pool (through the response_url)."""
    ack()
    services, runtime = services_of(context), runtime_of(context)
    client, respond = context.client, context.respond
    assert client is not None and respond is not None
    asker = asker_from(context, command["user_id"], command.get("channel_id"))
    text = str(command.get("text") or "")
    services.pool.submit(lambda: handle_survey_command(text, services=services, runtime=runtime, client=client,
                                                       asker=asker, respond=respond, bot_user_id=context.bot_user_id))


def handle_survey_command(text: str, *, services: Services, runtime: SurveyRuntime, client: WebClient, asker: Asker,
                          respond: Respond, bot_user_id: str | None = None) -> None:
    try:
        verdict = services.access.may_read_kpis(client, asker)
        if not verdict.allowed:
            respond_with(respond, text=verdict.message)
            return
        try:
            command = parse_survey_command(text)
            _run(command, runtime, client, asker, respond, bot_user_id)
        except CommandError as exc:
            respond_with(respond, text=str(exc))
        except CampaignNotFound as exc:
            respond_with(respond, text=f"I don't know the campaign `{exc.args[0]}`. See `/kpi survey list`.")
    except Exception as exc:
        respond_with(respond, text=friendly_error_text(log_failure(exc, f"running /kpi {text[:100]}")))


def _run(command: Any, runtime: SurveyRuntime, client: WebClient, asker: Asker, respond: Respond,
         bot_user_id: str | None) -> None:
    engine, rules, now = runtime.engine, runtime.rules, runtime.clock.now()
    if isinstance(command, HelpCommand):
        respond_with(respond, text="Surveys in Slack", blocks=[{"type": "section", "text": {"type": "mrkdwn",
                                                                                             "text": HELP}}])
    elif isinstance(command, SendCommand):
        started = start_campaign(runtime, command, team_id=asker.installing_team_id, created_by=asker.user_id,
                                 bot_user_id=bot_user_id)
        lines = started_lines(started.campaign, started.planned, started.unresolved, rules.messages_per_second, now)
        respond_with(respond, text=lines[0], blocks=lines_blocks("Survey started", lines))
    elif isinstance(command, StatusCommand):
        campaign = _campaign(runtime, command.campaign_id, None)
        lines = status_lines(campaign_status(engine, campaign, now))
        respond_with(respond, text=lines[0], blocks=lines_blocks("Survey status", lines))
    elif isinstance(command, ResultsCommand):
        _results(runtime, client, respond, command)
    elif isinstance(command, ListCommand):
        campaigns = list_campaigns(engine)
        lines = [campaign_line(c) for c in campaigns] or ["No survey campaigns yet."]
        respond_with(respond, text="Survey campaigns", blocks=lines_blocks("Survey campaigns", lines))
    elif isinstance(command, CloseCommand):
        get_campaign(engine, command.campaign_id)
        closed = close_campaign(engine, command.campaign_id, now)
        respond_with(respond, text=f"Campaign `{command.campaign_id}` closed." if closed
                     else f"Campaign `{command.campaign_id}` was not open.")
    elif isinstance(command, LinkCommand):
        moved = link_account(engine, command.slack_user_id, command.account_id, now)
        respond_with(respond, text=f"<@{command.slack_user_id}> now counts for account `{command.account_id}` "
                                   f"({moved} earlier answer(s) moved).")


def _campaign(runtime: SurveyRuntime, campaign_id: str | None, survey: str | None) -> Any:
    if campaign_id is not None:
        return get_campaign(runtime.engine, campaign_id)
    campaign = latest_campaign(runtime.engine, survey)
    if campaign is None:
        raise CommandError("No survey campaign yet. Start one with `/kpi survey send nps to @person`.")
    return campaign


def _results(runtime: SurveyRuntime, client: WebClient, respond: Respond, command: ResultsCommand) -> None:
    campaign = _campaign(runtime, command.campaign_id, command.survey)
    results = campaign_results(runtime.engine, campaign, min_group_size=runtime.rules.min_group_size,
                               filters=CommentFilter(command.sentiment, command.plan))
    title = headline(campaign, results.summary)
    chart = None
    if results.summary.n:
        chart = Chart(distribution_chart(results, kind_of(campaign.survey)), title=title,
                      alt_text=f"Distribution of scores: {title}")
    EphemeralReply(client, respond).send(
        lambda file_id: results_blocks(results, min_group_size=runtime.rules.min_group_size, file_id=file_id),
        title, chart)
