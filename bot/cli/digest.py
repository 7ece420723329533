"""`kpibot digest add|list|remove|preview|send-now|log|run-due`: the digest operations of `/kpi digest`, plus one
scheduler round for cron-style deployments (`* * * * * kpibot digest run-due`)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from bot.cli.context import console, database, fail, load_app_settings, load_settings

if TYPE_CHECKING:
    from slack_sdk import WebClient

    from bot.settings import SlackSettings
    from bot.shared.command import CommandContext

NOW_HELP = "The moment to act as if it were now: ISO date-time, UTC unless it has an offset."


def parse_now(value: str | None) -> datetime:
    from bot.shared.command import utc_now

    if value is None:
        return utc_now()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError as exc:
        raise fail(f"--now must be an ISO date-time like 2026-03-09T08:00, not {value!r}", 2) from exc
    moment = moment.astimezone(UTC).replace(tzinfo=None) if moment.tzinfo else moment
    from kpi_engine.limits import as_of_problem

    problem = as_of_problem(moment.date())
    if problem:
        raise fail(f"--now: {problem}", 2)
    return moment


def command_context(user_id: str, channel_id: str | None, now: datetime, *,
                    with_slack: bool = False) -> CommandContext:
    """A CommandContext for the shared handlers; with a Slack client only when asked (and a token is set)."""
    from bot.access_groups import configured_rules
    from bot.shared.command import CommandContext
    from kpi_engine.answers.ask import resolve_catalog

    settings = load_app_settings() if with_slack else None
    data = settings.data if settings is not None else load_settings()
    engine = database(data)
    client = slack_client(settings.slack) if settings is not None else None
    return CommandContext(engine=engine, settings=data, catalog=resolve_catalog(engine, data),
                          user_id=user_id, channel_id=channel_id, team_id=None, now=now, client=client,
                          rules=configured_rules())


def slack_client(slack: SlackSettings) -> WebClient:
    from slack_sdk import WebClient

    from bot.shared.slack_clients import with_retries

    if not slack.bot_token:
        raise fail("This needs Slack: set SLACK_BOT_TOKEN (and SLACK_API_URL for GovSlack or a test server).", 2)
    return with_retries(WebClient(token=slack.bot_token, base_url=slack.api_url))


def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, emoji=False, soft_wrap=True)


def register(app: typer.Typer) -> None:
    digest_app = typer.Typer(help="Weekly KPI digests (like /kpi digest).", no_args_is_help=True)

    @digest_app.command("add")
    def add(
        words: list[str] = typer.Argument(None, help='Like the slash command: fridays at 4pm mrr, nps plan=pro'),
        channel: str | None = typer.Option(None, "--channel", "-c", help="Channel id (C…) to post in."),
        dm: str | None = typer.Option(None, "--dm", help="Send as a DM to this user id (U…) instead."),
        created_by: str = typer.Option("cli", "--created-by", help="Slack user id of the owner (told on errors)."),
        now: str | None = typer.Option(None, "--now", help=NOW_HELP),
    ) -> None:
        """Create a digest subscription."""
        from bot.digests.commands import add_digest

        if (channel is None) == (dm is None):
            raise fail("give exactly one of --channel C… and --dm U…", 2)
        text = " ".join(words or []) + (" to me" if dm else "")
        reply = add_digest(text, command_context(dm or created_by, channel, parse_now(now)))
        say(reply.text)

    @digest_app.command("list")
    def list_() -> None:
        """List digest subscriptions."""
        from bot.digests.commands import list_digests

        say(list_digests(command_context("cli", None, parse_now(None))).text)

    @digest_app.command("remove")
    def remove(subscription: int = typer.Argument(..., help="Digest number.")) -> None:
        """Stop a digest."""
        from bot.digests.commands import remove_digest

        say(remove_digest(str(subscription), command_context("cli", None, parse_now(None))).text)

    @digest_app.command("log")
    def log(subscription: int | None = typer.Argument(None, help="Digest number (all when left out).")) -> None:
        """The delivery log: sent, skipped, failed (with Slack's error)."""
        from bot.digests.commands import send_log

        say(send_log(str(subscription or ""), command_context("cli", None, parse_now(None))).text)

    @digest_app.command("preview")
    def preview(
        subscription: int | None = typer.Argument(None, help="Digest number (default: the headline KPIs)."),
        now: str | None = typer.Option(None, "--now", help=NOW_HELP),
        chart: Path | None = typer.Option(None, "--chart", help="Also write the composite chart (PNG) here."),
    ) -> None:
        """Print the digest of the last complete week (nothing is posted)."""
        from bot.digests.terminal import print_preview

        print_preview(command_context("cli", None, parse_now(now)), subscription, chart)

    @digest_app.command("send-now")
    def send_now_(subscription: int = typer.Argument(..., help="Digest number.")) -> None:
        """Post a digest now (the last complete week), outside its schedule."""
        from bot.digests.commands import send_digest_now

        say(send_digest_now(str(subscription), command_context("cli", None, parse_now(None), with_slack=True)).text)

    @digest_app.command("run-due")
    def run_due_(now: str | None = typer.Option(None, "--now", help=NOW_HELP)) -> None:
        """Send every digest that is due (once per subscription and week, whatever runs at the same time)."""
        from bot.access_groups import configured_rules
        from bot.digests.terminal import print_digest_outcomes
        from bot.scheduler import Scheduler

        settings = load_app_settings()
        engine = database(settings.data)
        moment = parse_now(now)
        scheduler = Scheduler(settings, engine, slack_client(settings.slack), rules=configured_rules())
        print_digest_outcomes(scheduler.run_digests(moment))

    app.add_typer(digest_app, name="digest")
