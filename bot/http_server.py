"""HTTP mode: Starlette + uvicorn in front of the Bolt app.

`POST /slack/events` takes commands, events and interactivity; bot.http_guard checks the size, the signature and
the shape first (413 / 401 / 400), so nothing unverified reaches Bolt, a listener or the error handler;
`GET /healthz` checks the database; the OAuth install pages are served when OAuth is configured.
Bolt's dispatch is synchronous, so it runs in the thread pool and never blocks the event loop.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator

import uvicorn
from slack_bolt.adapter.starlette.handler import SlackRequestHandler, to_bolt_request, to_starlette_response
from sqlalchemy import text
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import KpiBotApp
from bot.http_guard import Refusal, check_shape, read_limited_body, refusal_log, verify_signature
from kpi_engine.sources.health import health_payload

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"


def build_asgi_app(app: KpiBotApp) -> Starlette:
    oauth_handler = SlackRequestHandler(app)

    secret = app.services.slack.signing_secret or ""
    max_bytes = app.services.config.max_request_bytes

    async def slack_events(request: Request) -> Response:
        body: bytes | None = None
        try:
            body = await read_limited_body(request, max_bytes)
            verify_signature(secret, request.headers, body)
            check_shape(body, request.headers.get("content-type", ""))
            bolt_request = to_bolt_request(request, body)
        except Refusal as refusal:
            refusal_log(refusal, request, None if body is None else len(body))
            return refusal.response()
        except Exception as exc:  # a signed body Bolt cannot read: the sender's fault, never a 5xx
            unreadable = Refusal(400, f"unreadable:{type(exc).__name__}")
            refusal_log(unreadable, request, len(body or b""))
            return unreadable.response()
        try:
            bolt_response = await run_in_threadpool(app.dispatch, bolt_request)
        except Exception as exc:  # Bolt runs the error handler for listener errors; this is what is left
            logger.warning("a signed request could not be dispatched: %s", type(exc).__name__)
            return Refusal(400, "undispatchable").response()
        return to_starlette_response(bolt_response)

    async def oauth_pages(request: Request) -> Response:
        return await oauth_handler.handle(request)

    async def healthz(_: Request) -> Response:
        try:
            await run_in_threadpool(_ping_database, app)
        except Exception as exc:  # any database failure makes the replica unhealthy
            logger.warning("health check failed: %s", exc)
            return JSONResponse({"ok": False, "database": "unreachable"}, status_code=503)
        body: dict[str, object] = {"ok": True, "workers": app.services.pool.size, "queued": app.services.pool.pending}
        source = health_payload(app.services.settings)  # freshness of the source (a warning, never a 503)
        if source is not None:
            body["source"] = source
        return JSONResponse(body)

    routes = [
        Route(EVENTS_PATH, slack_events, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET"]),
    ]
    if app.oauth_flow is not None:
        routes += [
            Route(app.oauth_flow.install_path, oauth_pages, methods=["GET"]),
            Route(app.oauth_flow.redirect_uri_path, oauth_pages, methods=["GET"]),
        ]

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        yield
        await run_in_threadpool(app.close)

    return Starlette(routes=routes, lifespan=lifespan)


def _ping_database(app: KpiBotApp) -> None:
    with app.services.engine.connect() as conn:
        conn.execute(text("SELECT 1"))


def uvicorn_config(app: KpiBotApp, host: str, port: int, log_level: str = "info") -> uvicorn.Config:
    return uvicorn.Config(build_asgi_app(app), host=host, port=port, log_level=log_level,
                          access_log=False, lifespan="on", timeout_graceful_shutdown=10)


def serve_http(app: KpiBotApp, host: str, port: int) -> None:
    import os
    import sys
    if os.environ.get("KPIBOT_SWITCH"):
        sys.setswitchinterval(float(os.environ["KPIBOT_SWITCH"]))
    uvicorn.Server(uvicorn_config(app, host, port)).run()
