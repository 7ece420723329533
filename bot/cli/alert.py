"""`kpibot alert add|list|remove|log|check`: the operations of `/kpi alert`, plus one round of checks for
cron-style deployments (`*/5 * * * * kpibot alert check`)."""

from __future__ import annotations

import typer

from bot.cli.context import database, load_app_settings
from bot.cli.digest import NOW_HELP, command_context, parse_now, say, slack_client


def register(app: typer.Typer) -> None:
    alert_app = typer.Typer(help="KPI alerts (like /kpi alert).", no_args_is_help=True)

    @alert_app.command("add")
    def add(
        words: list[str] = typer.Argument(..., help="The rule: churn rate > 5%, signups drop 20% vs last week, ..."),
        channel: str = typer.Option(..., "--channel", "-c", help="Channel id (C…) to post in."),
        created_by: str = typer.Option("cli", "--created-by", help="Slack user id of the owner."),
        now: str | None = typer.Option(None, "--now", help=NOW_HELP),
    ) -> None:
        """Create an alert rule."""
        from bot.alerts.commands import add_alert

        say(add_alert(" ".join(words), command_context(created_by, channel, parse_now(now))).text)

    @alert_app.command("list")
    def list_() -> None:
        """List alert rules and whether they are firing."""
        from bot.alerts.commands import list_alerts

        say(list_alerts(command_context("cli", None, parse_now(None))).text)

    @alert_app.command("remove")
    def remove(rule: int = typer.Argument(..., help="Alert number.")) -> None:
        """Remove an alert rule."""
        from bot.alerts.commands import remove_alert

        say(remove_alert(str(rule), command_context("cli", None, parse_now(None))).text)

    @alert_app.command("log")
    def log(rule: int | None = typer.Argument(None, help="Alert number (all when left out).")) -> None:
        """The alert log: fired, still firing, resolved, snoozed, suppressed, failed."""
        from bot.alerts.commands import alert_log

        say(alert_log(str(rule or ""), command_context("cli", None, parse_now(None))).text)

    @alert_app.command("check")
    def check(now: str | None = typer.Option(None, "--now", help=NOW_HELP)) -> None:
        """Check every alert that is due (each state change is posted once, whatever runs at the same time)."""
        from bot.access_groups import configured_rules
        from bot.alerts.terminal import print_alert_outcomes
        from bot.scheduler import Scheduler

        settings = load_app_settings()
        engine = database(settings.data)
        scheduler = Scheduler(settings, engine, slack_client(settings.slack), rules=configured_rules())
        print_alert_outcomes(scheduler.run_alerts(parse_now(now)))

    app.add_typer(alert_app, name="alert")
