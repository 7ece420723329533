"""`kpibot serve`: the Slack app, over HTTP (Starlette + uvicorn) or Socket Mode."""

from __future__ import annotations

import logging
import time
from typing import Any

import typer

from bot.cli.context import fail, load_app_settings
from kpi_engine.settings import Settings

logger = logging.getLogger(__name__)


def warm_up(bolt_app: Any, settings: Settings) -> None:
    """Everything the first answer would otherwise pay for: the answer path imported, the worker processes
    started (and waited for), the chart process started with matplotlib loaded, the derived tables current."""
    started = time.perf_counter()
    import kpi_engine.answers.ask  # noqa: F401  (answers run in this process when there are no workers)
    from kpi_engine.derived import ensure_derived_current
    from kpi_engine.sources.routing import warm_source

    with bolt_app.services.engine.connect() as conn:
        ensure_derived_current(conn, settings)
    warm_source(bolt_app.services.engine, settings)
    bolt_app.services.catalog()
    bolt_app.services.jobs.warm_up()
    bolt_app.services.charts.sparkline([0.0, 1.0])
    logger.info("workers ready in %.1f s", time.perf_counter() - started)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    http: bool = typer.Option(False, "--http", help="Serve POST /slack/events and GET /healthz (the default)."),
    socket: bool = typer.Option(False, "--socket", help="Socket Mode over a websocket (needs SLACK_APP_TOKEN)."),
    port: int = typer.Option(3000, "--port", "-p", help="HTTP port."),
    host: str | None = typer.Option(None, "--host", help="HTTP interface (default KPIBOT_HTTP_HOST or 0.0.0.0)."),
) -> None:
    """Run the Slack app."""
    if http and socket:
        raise fail("choose one of --http and --socket", 2)
    logging.getLogger().setLevel(logging.INFO)
    settings = load_app_settings()
    from bot.app import ConfigurationError, create_app

    if socket and not settings.slack.app_token:
        raise fail("Socket Mode needs SLACK_APP_TOKEN (an xapp- token with connections:write)", 2)
    try:
        bolt_app = create_app(settings, socket_mode=socket)
    except ConfigurationError as exc:
        raise fail(str(exc), 2) from exc
    from bot.scheduler import start_scheduler
    from bot.surveys.listeners import start_survey_sender

    warm_up(bolt_app, settings.data)  # before the server listens: /healthz answers only once answers are fast
    start_survey_sender(bolt_app)  # deferred surveys, reminders and crash recovery resume at once
    stop_scheduler = start_scheduler(settings, bolt_app.services.engine, bolt_app.client,  # digests and alerts
                                     rules=bolt_app.services.access.rules)
    try:
        if socket:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            SocketModeHandler(bolt_app, settings.slack.app_token).start()
            return
        from bot.http_server import serve_http

        serve_http(bolt_app, host or settings.server.http_host, port)
    finally:
        stop_scheduler()
        if socket:
            bolt_app.close()
