"""`kpibot survey send|dispatch|status|results|list|close|link|unlink|forget|export`: the same operations as
`/kpi survey …`, plus the privacy ones (forget, export)."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

import typer
from slack_sdk.errors import SlackApiError

from bot.cli.context import console, database, fail, load_app_settings, load_settings
from bot.cli.digest import NOW_HELP
from bot.settings import AppSettings
from bot.surveys.cli_support import SlackNotConfigured, cli_runtime, parse_results, send_from_cli
from kpi_engine.limits import as_of_problem
from surveys.campaigns import CampaignNotFound, close_campaign, get_campaign, latest_campaign, list_campaigns
from surveys.charts import distribution_chart
from surveys.clock import SystemClock, parse_moment, public_clock
from surveys.commands import CommandError
from surveys.config import SurveySettings
from surveys.kinds import kind_of
from surveys.links import link_account, unlink_account
from surveys.presenting import (
    campaign_line,
    comment_lines,
    headline,
    plan_lines,
    response_rate_line,
    started_lines,
    status_lines,
)
from surveys.privacy import export_responses, forget_respondent
from surveys.results import CommentFilter, campaign_results
from surveys.status import campaign_status
from surveys.targets import parse_target


def say(*lines: str) -> None:
    for line in lines:
        console.print(line, markup=False, highlight=False)


def register(app: typer.Typer) -> None:
    survey_app = typer.Typer(help="NPS, CSAT and CES surveys in Slack.", no_args_is_help=True)

    @survey_app.command("send", context_settings={"ignore_unknown_options": True})
    def send(words: list[str] = typer.Argument(..., help=(
            'KIND to TARGETS [options], as in Slack: nps to U123 C456 S789 ann@example.com anonymous '
            'question "…" no follow-up expires in 7 days topic onboarding (in channel: one channel)')),
             send_now: bool = typer.Option(True, "--send-now/--plan-only", help="Send what is due now."),
             now: str | None = typer.Option(None, "--now", help=NOW_HELP)) -> None:
        """Start a campaign and send the surveys that are due now (the rest: `kpibot serve` or `dispatch`)."""
        settings = _at(now)
        runtime = _runtime(settings)
        try:
            started = send_from_cli(runtime, words)
        except (CommandError, SlackApiError) as exc:
            raise fail(str(exc)) from exc
        say(*started_lines(started.campaign, started.planned, started.unresolved,
                           runtime.rules.messages_per_second, runtime.clock.now()))
        if send_now:
            _report(runtime.run_once().outcomes)

    @survey_app.command("dispatch")
    def dispatch(loop: bool = typer.Option(False, "--loop", help="Keep sending every poll interval."),
                 now: str | None = typer.Option(None, "--now", help=NOW_HELP)) -> None:
        """Send due surveys and reminders of every open campaign (what `kpibot serve` does in the background)."""
        runtime = _runtime(_at(now))
        while True:
            _report(runtime.run_once().outcomes)
            if not loop:
                return
            time.sleep(runtime.rules.poll_seconds)

    @survey_app.command("status")
    def status(campaign_id: str | None = typer.Argument(None),
               now: str | None = typer.Option(None, "--now", help=NOW_HELP)) -> None:
        """Sent, waiting for morning, answered, and who could not be reached."""
        settings = _at(now)
        engine = database(settings.data)
        say(*status_lines(campaign_status(engine, _campaign(engine, campaign_id), _now(settings))))

    @survey_app.command("results", context_settings={"ignore_unknown_options": True})
    def results(words: list[str] = typer.Argument(None, help="[CAMPAIGN|nps|csat|ces] [detractors|passives|"
                                                          "promoters] [plan PLAN]"),
                chart: Path | None = typer.Option(None, "--chart", help="Write the distribution chart (PNG).")) -> None:
        """Score, n, 95% interval, response rate, by plan (groups under 5 hidden) and recent comments."""
        settings = load_settings()
        engine = database(settings)
        rules = SurveySettings()
        try:
            command = parse_results(words or [])
        except CommandError as exc:
            raise fail(str(exc)) from exc
        campaign = _campaign(engine, command.campaign_id, command.survey)
        found = campaign_results(engine, campaign, min_group_size=rules.min_group_size,
                                 filters=CommentFilter(command.sentiment, command.plan), settings=settings)
        say(campaign_line(campaign), headline(campaign, found.summary), response_rate_line(found))
        say(*["By plan:"] + [f"  {line}" for line in plan_lines(found, rules.min_group_size)])
        say(*["Recent comments:"] + [f"  {line}" for line in comment_lines(found, rules.min_group_size)])
        if chart is not None:
            chart.write_bytes(distribution_chart(found, kind_of(campaign.survey)))
            say(f"Chart written to {chart}")

    @survey_app.command("list")
    def list_() -> None:
        """The latest campaigns."""
        campaigns = list_campaigns(database(load_settings()))
        say(*[campaign_line(c) for c in campaigns] or ["No survey campaigns yet."])

    @survey_app.command("close")
    def close(campaign_id: str, now: str | None = typer.Option(None, "--now", help=NOW_HELP)) -> None:
        """Stop a campaign: nothing more is sent; clicks are answered politely."""
        settings = _at(now)
        engine = database(settings.data)
        _campaign(engine, campaign_id)
        closed = close_campaign(engine, campaign_id, _now(settings))
        say(f"Campaign {campaign_id} closed." if closed else f"Campaign {campaign_id} was not open.")

    @survey_app.command("link")
    def link(slack_user: str, account_id: str) -> None:
        """Count SLACK_USER's answers for ACCOUNT_ID (earlier answers move too), so NPS by plan works."""
        user = _slack_user(slack_user)
        moved = link_account(database(load_settings()), user, account_id, SystemClock().now())
        say(f"{user} now counts for account {account_id} ({moved} earlier answer(s) moved).")

    @survey_app.command("unlink")
    def unlink(slack_user: str) -> None:
        """Remove a link made with `link` (the users table decides again)."""
        user = _slack_user(slack_user)
        settings = load_settings()
        removed = unlink_account(database(settings), user, settings)
        say(f"{user} unlinked." if removed else f"{user} had no link.")

    @survey_app.command("forget")
    def forget(user: str = typer.Argument(..., help="Slack user id or mention, email, or product user id.")) -> None:
        """Remove a respondent's survey data everywhere (answers, deliveries, contact history, account link)."""
        gone = forget_respondent(database(load_settings()), user)
        say(f"Forgot {', '.join(gone.slack_user_ids) or user}: {gone.responses} answer(s), {gone.deliveries} "
            f"delivery(ies), {gone.delivery_states} sending record(s), {gone.contacts} contact record(s), "
            f"{gone.links} account link(s), {gone.audience_texts} campaign audience text(s).")

    @survey_app.command("export")
    def export(path: Path, campaign_id: str | None = typer.Option(None, "--campaign")) -> None:
        """Write survey responses to a CSV file (data-contract columns; re-importable)."""
        written = export_responses(database(load_settings()), path, campaign_id)
        say(f"{written} response(s) written to {path}")

    app.add_typer(survey_app, name="survey")


def _at(now: str | None) -> AppSettings:
    """The settings with the public clock moved to `--now` (else KPIBOT_NOW, else real time)."""
    settings = load_app_settings()
    if now is None:
        return settings
    try:
        moment = parse_moment(now)
    except ValueError as exc:
        raise fail(f"--now must be an ISO date-time like 2026-03-09T08:00, not {now!r}", 2) from exc
    if as_of_problem(moment.date()):
        raise fail(f"--now: {as_of_problem(moment.date())}", 2)
    return settings.with_now(now)


def _now(settings: AppSettings) -> datetime:
    return public_clock(settings.scheduling.now).now()


def _runtime(settings):
    try:
        return cli_runtime(database(settings.data), settings)
    except SlackNotConfigured as exc:
        raise fail(str(exc)) from exc


def _campaign(engine, campaign_id: str | None, survey: str | None = None):
    if campaign_id is None:
        campaign = latest_campaign(engine, survey)
        if campaign is None:
            raise fail("No survey campaign yet. Start one with `kpibot survey send nps to U123`.")
        return campaign
    try:
        return get_campaign(engine, campaign_id)
    except CampaignNotFound as exc:
        raise fail(f"Unknown campaign {campaign_id!r}. See `kpibot survey list`.") from exc


def _slack_user(text: str) -> str:
    target = parse_target(text)
    if target is None or target.kind != "user":
        raise fail(f"{text!r} is not a Slack user id (like U0123ABCD) or mention.")
    return target.value


def _report(outcomes: dict[str, int]) -> None:
    say("Sending: " + (", ".join(f"{n} {what.replace('_', ' ')}" for what, n in sorted(outcomes.items()))
                       or "nothing due now"))
