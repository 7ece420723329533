"""Slack-side settings that the data side does not need (read from the environment and `.env`)."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class BotConfig(BaseSettings):
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
