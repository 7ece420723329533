"""The app factory: a Bolt app with its services, listeners and global error handler.

Single-workspace token mode by default (SLACK_BOT_TOKEN); an OAuth install flow for several workspaces,
storing installations with slack_sdk's SQLAlchemy stores, when SLACK_CLIENT_ID and SLACK_CLIENT_SECRET are set.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from slack_bolt import App
from slack_bolt.authorization.authorize import InstallationStoreAuthorize
from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.oauth.installation_store import InstallationStore
from slack_sdk.oauth.installation_store.cacheable_installation_store import CacheableInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import Engine

from bot.alerts import listeners as alert_listeners
from bot.errors import handle_listener_error
from bot.installations import EncryptionKeyError, encrypted_store
from bot.job_runner import runner_for
from bot.listeners import actions, commands, events, uninstall, views
from bot.scopes import BOT_SCOPES
from bot.services import Services, ServicesSpec
from bot.settings import AppSettings, ServerSettings, SlackSettings
from bot.surveys import listeners as survey_listeners
from kpi_engine.db import open_database

logger = logging.getLogger(__name__)


class ConfigurationError(ValueError):
    pass


class KpiBotApp(App):
    """A Bolt App that also owns the services its listeners use (database, worker pool, access policy)."""

    services: Services

    def close(self) -> None:
        from bot.surveys.listeners import stop_survey_sender

        stop_survey_sender(self)
        self.services.shutdown()


def oauth_enabled(slack: SlackSettings) -> bool:
    return slack.oauth


def build_web_client(slack: SlackSettings, token: str | None) -> WebClient:
    return WebClient(token=token, base_url=slack.api_url)


def with_rate_limit_retries(client: WebClient, retries: int) -> WebClient:
    """429 answers are retried after their Retry-After (Bolt copies these handlers to each request's client)."""
    if not any(isinstance(handler, RateLimitErrorRetryHandler) for handler in client.retry_handlers):
        client.retry_handlers.append(RateLimitErrorRetryHandler(max_retry_count=retries))
    return client


def create_app(
    settings: AppSettings,
    client: WebClient | None = None,
    *,
    config: ServerSettings | None = None,
    engine: Engine | None = None,
    socket_mode: bool = False,
    as_of: date | None = None,
) -> KpiBotApp:
    """`config`: the server section to use instead of `settings.server` (tests, benchmarks)."""
    settings = settings.with_server(config)
    config, slack = settings.server, settings.slack
    signing_secret = slack.signing_secret
    if not signing_secret and not socket_mode:
        raise ConfigurationError("SLACK_SIGNING_SECRET is required in HTTP mode (Basic Information → App Credentials)")
    oauth = oauth_enabled(slack)
    if not oauth and client is None and not slack.bot_token:
        raise ConfigurationError(
            "set SLACK_BOT_TOKEN (one workspace) or SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (OAuth install)")
    if oauth and not slack.encryption_key:
        raise ConfigurationError("OAuth mode stores tokens encrypted: set KPIBOT_ENCRYPTION_KEY "
                                 "(a Fernet key; see docs/slack-install.md, 'Tokens at rest')")
    engine = engine or open_database(settings.data)
    web_client = client or build_web_client(slack, None if oauth else slack.bot_token)
    with_rate_limit_retries(web_client, config.rate_limit_retries)

    oauth_pieces = _oauth_pieces(slack, config, engine, web_client) if oauth else None
    bolt_app = KpiBotApp(
        name="kpibot",
        signing_secret=signing_secret or "",
        client=web_client,
        # Listeners only ack and hand work to the job runner, so acking inline is fastest (no 10 ms ack polling).
        process_before_response=True,
        # None (token mode) is Bolt's own default for each of these.
        oauth_settings=oauth_pieces.oauth_settings if oauth_pieces else None,
        installation_store=oauth_pieces.installation_store if oauth_pieces else None,
        # Bolt types this Callable[..., AuthorizeResult] but takes an Authorize as is (its __call__ may return None).
        authorize=oauth_pieces.authorize if oauth_pieces else None,  # type: ignore[arg-type]
    )

    spec = ServicesSpec(settings=settings.data, config=config, api_base_url=web_client.base_url, as_of=as_of,
                        slack=slack, scheduling=settings.scheduling)
    services = spec.build(engine, chart_processes=config.chart_processes)
    services.jobs = runner_for(services)
    bolt_app.services = services
    bolt_app.use(services.middleware)
    bolt_app.error(handle_listener_error)
    for listeners in (commands, events, actions, views, survey_listeners, alert_listeners, uninstall):
        listeners.register(bolt_app)
    return bolt_app


@dataclass(frozen=True)
class OAuthPieces:
    """What the App needs for the OAuth install flow over several workspaces."""

    oauth_settings: OAuthSettings
    installation_store: InstallationStore
    authorize: InstallationStoreAuthorize


def _oauth_pieces(slack: SlackSettings, config: ServerSettings, engine: Engine, client: WebClient) -> OAuthPieces:
    client_id = slack.client_id or ""
    try:  # slack_sdk's SQLAlchemy store with tokens encrypted at rest (KPIBOT_ENCRYPTION_KEY)
        encrypted = encrypted_store(client_id, slack.encryption_key, engine)
    except EncryptionKeyError as exc:
        raise ConfigurationError(str(exc)) from exc
    cached_store = CacheableInstallationStore(encrypted)
    oauth_settings = OAuthSettings(
        client_id=client_id,
        client_secret=slack.client_secret,
        scopes=list(BOT_SCOPES),
        installation_store=cached_store,
        state_store=SQLAlchemyOAuthStateStore(expiration_seconds=600, engine=engine),
        install_path=config.oauth_install_path,
        redirect_uri_path=config.oauth_redirect_path,
        authorization_url=_authorization_url(slack.api_url),
    )
    # Cached per replica so the ack path does not hit the database or auth.test on every request.
    authorize = InstallationStoreAuthorize(
        logger=logger, installation_store=cached_store, client_id=client_id,
        client_secret=slack.client_secret, cache_enabled=True, client=client,
    )
    return OAuthPieces(oauth_settings=oauth_settings, installation_store=cached_store, authorize=authorize)


def _authorization_url(api_url: str) -> str:
    """https://slack.com/api/ → https://slack.com/oauth/v2/authorize (GovSlack: slack-gov.com)."""
    base = api_url.rstrip("/")
    if base.endswith("/api"):
        base = base[: -len("/api")]
    return f"{base}/oauth/v2/authorize"
