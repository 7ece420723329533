"""What `kpibot survey …` needs besides typer: a runtime on the configured Slack, and the command texts."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.settings import AppSettings
from bot.surveys.campaign_service import StartedCampaign, start_campaign
from bot.surveys.runtime import SurveyRuntime
from surveys.commands import CommandError, ResultsCommand, SendCommand, parse_survey_command


class SlackNotConfigured(RuntimeError):
    pass


def cli_runtime(engine: Engine, settings: AppSettings) -> SurveyRuntime:
    if not settings.slack.bot_token:
        raise SlackNotConfigured("set SLACK_BOT_TOKEN (and SLACK_API_URL for a non-default Slack) to send surveys")
    client = WebClient(token=settings.slack.bot_token, base_url=settings.slack.api_url)
    return SurveyRuntime.build(engine, settings.data, client, now=settings.scheduling.now)


def bot_user_id(runtime: SurveyRuntime) -> str | None:
    try:
        return str(runtime.client.auth_test()["user_id"])
    except SlackApiError:
        return None


def _joined(words: list[str]) -> str:
    """The shell already split the words: quote again the ones that hold spaces (a question, a follow-up)."""
    return " ".join(f'"{w}"' if any(ch.isspace() for ch in w) else w for w in words)


def parse_send(words: list[str]) -> SendCommand:
    command = parse_survey_command("send " + _joined(words))
    if not isinstance(command, SendCommand):
        raise CommandError("Say which survey to send: `kpibot survey send nps to U123 C456 ann@example.com`.")
    return command


def parse_results(words: list[str]) -> ResultsCommand:
    command = parse_survey_command("results " + _joined(words))
    assert isinstance(command, ResultsCommand)
    return command


def send_from_cli(runtime: SurveyRuntime, words: list[str]) -> StartedCampaign:
    return start_campaign(runtime, parse_send(words), team_id=None, created_by="cli", bot_user_id=bot_user_id(runtime))
