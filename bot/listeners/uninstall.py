"""`app_uninstalled` and `tokens_revoked`: the workspace's tokens are deleted (OAuth installs) or no longer used
(the one SLACK_BOT_TOKEN), and its digests, alerts and campaigns are paused, with a log line saying so."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.services import services_of
from bot.workspaces import pause_workspace

logger = logging.getLogger(__name__)


def register(app: App) -> None:
    def app_uninstalled(ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
        on_app_uninstalled(app, ack, body, context)

    def tokens_revoked(ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
        on_tokens_revoked(app, ack, body, event, context)

    app.event("app_uninstalled")(app_uninstalled)
    app.event("tokens_revoked")(tokens_revoked)


def _team_of(body: dict[str, Any], context: BoltContext) -> tuple[str | None, str | None]:
    enterprise = body.get("enterprise_id") or context.enterprise_id
    return enterprise, body.get("team_id") or context.team_id


def _forget_cached_authorizations(app: App) -> None:
    cache = getattr(app._authorize, "authorize_result_cache", None)  # noqa: SLF001 (Bolt keeps it there)
    if isinstance(cache, dict):
        cache.clear()


def on_app_uninstalled(app: App, ack: Ack, body: dict[str, Any], context: BoltContext) -> None:
    ack()
    enterprise_id, team_id = _team_of(body, context)
    store = app.installation_store
    if store is not None:
        store.delete_all(enterprise_id=enterprise_id, team_id=team_id)
    _forget_cached_authorizations(app)
    if team_id:
        pause_workspace(services_of(context).engine, team_id, "uninstalled", "app_uninstalled event")
    logger.warning("app uninstalled from workspace %s: tokens %s", team_id,
                   "deleted" if store is not None else "(SLACK_BOT_TOKEN) no longer valid; remove it from the env")


def on_tokens_revoked(app: App, ack: Ack, body: dict[str, Any], event: dict[str, Any], context: BoltContext) -> None:
    ack()
    enterprise_id, team_id = _team_of(body, context)
    store = app.installation_store
    tokens = event.get("tokens") or {}
    bots = tokens.get("bot") or []
    users = tokens.get("oauth") or []
    if store is not None:
        for user_id in users:
            store.delete_installation(enterprise_id=enterprise_id, team_id=team_id, user_id=user_id)
        if bots:
            store.delete_bot(enterprise_id=enterprise_id, team_id=team_id)
    _forget_cached_authorizations(app)
    if bots and team_id:
        pause_workspace(services_of(context).engine, team_id, "tokens_revoked", "tokens_revoked event")
    logger.warning("tokens revoked in workspace %s: %d bot token(s), %d user token(s)", team_id, len(bots),
                   len(users))
