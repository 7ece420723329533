"""The app's one settings object, in sections: `.data` (the engine's Settings), `.slack` (Slack secrets and API,
the token encryption key), `.server` (workers, HTTP, the access file) and `.scheduling` (the jobs' clock).

Each section reads its own environment variables (and `.env`), named as before; the edges (`kpibot` commands,
`kpibot serve`, `create_app`) build it once and hand each part only the section it needs.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from kpi_engine.settings import Settings


class SlackSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    bot_token: str | None = Field(default=None, alias="SLACK_BOT_TOKEN", repr=False)
    signing_secret: str | None = Field(default=None, alias="SLACK_SIGNING_SECRET", repr=False)
    app_token: str | None = Field(default=None, alias="SLACK_APP_TOKEN", repr=False)
    api_url: str = Field(default="https://slack.com/api/", alias="SLACK_API_URL")
    client_id: str | None = Field(default=None, alias="SLACK_CLIENT_ID")
    client_secret: str | None = Field(default=None, alias="SLACK_CLIENT_SECRET", repr=False)
    # security (issue 15): Fernet key(s) encrypting OAuth tokens at rest (comma-separated while rotating: the
    # first encrypts, all decrypt).
    encryption_key: str | None = Field(default=None, alias="KPIBOT_ENCRYPTION_KEY", repr=False)

    @property
    def oauth(self) -> bool:
        """Several workspaces through the OAuth install flow (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set)."""
        return bool(self.client_id and self.client_secret)


class ServerSettings(BaseSettings):
    """How `kpibot serve` runs: workers, HTTP, the access file."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Worker processes answering questions (queries, charts, uploads) away from the server's GIL, so acks
    # stay fast under load. About one per CPU core; 0 runs answers on the server's own threads.
    worker_processes: int = Field(default=2, ge=0, le=32, alias="KPIBOT_WORKER_PROCESSES")
    # Threads per worker process (or in the server when there are none). An answer mostly waits on the
    # database and on Slack; each thread holds at most one DB connection, so keep processes x workers at or
    # below what the database allows (SQLAlchemy's default pool: 5 + 10 overflow per process).
    workers: int = Field(default=4, ge=1, le=64, alias="KPIBOT_WORKERS")
    # With no worker processes: processes drawing charts (matplotlib holds the GIL). 0 = in the thread.
    chart_processes: int = Field(default=1, ge=0, le=16, alias="KPIBOT_CHART_PROCESSES")
    # YAML file limiting metric groups (e.g. finance) to listed users or channels; see docs/slack-install.md.
    access_file: Path | None = Field(default=None, alias="KPIBOT_ACCESS_FILE")
    # How long users.info / conversations.info answers are trusted.
    directory_cache_seconds: int = Field(default=600, ge=0, alias="KPIBOT_DIRECTORY_CACHE_SECONDS")
    # A Slack event id is remembered this long (Slack retries within minutes).
    processed_event_days: int = Field(default=7, ge=1, alias="KPIBOT_PROCESSED_EVENT_DAYS")
    http_host: str = Field(default="0.0.0.0", alias="KPIBOT_HTTP_HOST")
    oauth_install_path: str = Field(default="/slack/install", alias="KPIBOT_OAUTH_INSTALL_PATH")
    oauth_redirect_path: str = Field(default="/slack/oauth_redirect", alias="KPIBOT_OAUTH_REDIRECT_PATH")
    # security (issue 15): requests to /slack/events larger than this get 413 before the body is read whole.
    max_request_bytes: int = Field(default=1024 * 1024, ge=1024, alias="KPIBOT_MAX_REQUEST_BYTES")
    rate_limit_retries: int = Field(default=3, ge=0, le=10, alias="KPIBOT_RATE_LIMIT_RETRIES")


class SchedulingSettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # a fixed "now" (ISO, UTC) for every scheduled job of `kpibot serve` and the survey sender, in tests.
    now: str | None = Field(default=None, alias="KPIBOT_NOW")


@dataclass(frozen=True)
class AppSettings:
    data: Settings
    slack: SlackSettings
    server: ServerSettings
    scheduling: SchedulingSettings

    @classmethod
    def load(cls, _env_file: str | None = ".env", **values: Any) -> AppSettings:
        """Every section from the environment (and `_env_file`); `values` (by variable name) take precedence."""
        return cls(data=Settings(_env_file=_env_file, **values),  # type: ignore[call-arg]
                   slack=SlackSettings(_env_file=_env_file, **values),  # type: ignore[call-arg]
                   server=ServerSettings(_env_file=_env_file, **values),  # type: ignore[call-arg]
                   scheduling=SchedulingSettings(_env_file=_env_file, **values))  # type: ignore[call-arg]

    def with_now(self, now: str | None) -> AppSettings:
        return replace(self, scheduling=self.scheduling.model_copy(update={"now": now}))

    def with_server(self, server: ServerSettings | None) -> AppSettings:
        return self if server is None else replace(self, server=server)
