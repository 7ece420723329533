"""`/kpi survey …` once the job runner checked access (the listener: bot.listeners.commands.survey).

Only full members of the workspace may run surveys or read their results (same policy as KPIs); answers
are ephemeral.
"""

from __future__ import annotations

from typing import Any

from slack_bolt.context.respond import Respond
from slack_sdk import WebClient

from bot.access import Asker
from bot.conversation.reply import Chart, EphemeralReply
from bot.jobs import SurveyCommandWork
from bot.posting import respond_with
from bot.services import Services
from bot.surveys.campaign_service import start_campaign
from bot.surveys.runtime import SurveyRuntime
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
    parse_survey_command,
)
from surveys.kinds import kind_of
from surveys.links import link_account
from surveys.presenting import campaign_line, headline, started_lines, status_lines
from surveys.result_blocks import HELP, lines_blocks, results_blocks
from surveys.results import CommentFilter, campaign_results
from surveys.status import campaign_status


def run_survey_command(services: Services, client: WebClient, work: SurveyCommandWork) -> None:
    """A mistake in the command or an unknown campaign is answered; anything else is raised to the runner."""
    runtime = services.surveys
    if runtime is None:
        raise RuntimeError("no survey runtime: register bot.surveys.listeners on the app")
    respond = Respond(response_url=work.response_url)
    try:
        command = parse_survey_command(work.text)
        _run(command, runtime, client, work.asker, respond, work.bot_user_id)
    except CommandError as exc:
        respond_with(respond, text=str(exc))
    except CampaignNotFound as exc:
        respond_with(respond, text=f"I don't know the campaign `{exc.args[0]}`. See `/kpi survey list`.")


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
                               filters=CommentFilter(command.sentiment, command.plan), settings=runtime.settings)
    title = headline(campaign, results.summary)
    chart = None
    if results.summary.n:
        chart = Chart(distribution_chart(results, kind_of(campaign.survey)), title=title,
                      alt_text=f"Distribution of scores: {title}")
    EphemeralReply(client, respond).send(
        lambda file_id: results_blocks(results, min_group_size=runtime.rules.min_group_size, file_id=file_id),
        title, chart)
