"""Survey rules, read from the environment (and `.env`) like the other settings: KPIBOT_SURVEY_*."""

from __future__ import annotations

from datetime import time

from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class SurveySettings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # Nobody is asked more than once in this many days, across all campaigns.
    cooldown_days: int = Field(default=90, ge=0, alias="KPIBOT_SURVEY_COOLDOWN_DAYS")
    # The respondent's night (their Slack time zone): surveys and reminders wait until it ends.
    quiet_start: time = Field(default=time(21, 0), alias="KPIBOT_SURVEY_QUIET_START")
    quiet_end: time = Field(default=time(8, 0), alias="KPIBOT_SURVEY_QUIET_END")
    # Used when Slack does not tell us a person's time zone (e.g. some Slack Connect users); default KPI_TIMEZONE.
    default_timezone: str | None = Field(default=None, alias="KPIBOT_SURVEY_DEFAULT_TIMEZONE")
    reminder_after_hours: float = Field(default=72.0, gt=0, alias="KPIBOT_SURVEY_REMINDER_AFTER_HOURS")
    expire_days: int = Field(default=14, ge=1, le=365, alias="KPIBOT_SURVEY_EXPIRE_DAYS")
    # Where detractors (NPS 0–6) and unhappy customers (CSAT 1–2) are posted, with the account's context.
    cx_channel: str | None = Field(default=None, alias="KPIBOT_SURVEY_CX_CHANNEL")
    # Sending pace: Slack allows about 1 message per second per channel; the overall pace is ours to set.
    per_channel_interval_seconds: float = Field(default=1.0, ge=0, alias="KPIBOT_SURVEY_PER_CHANNEL_INTERVAL")
    messages_per_second: float = Field(default=1.0, gt=0, alias="KPIBOT_SURVEY_MESSAGES_PER_SECOND")
    # Deliveries prepared in parallel (Slack lookups, database claims); the pace above is shared by all of them.
    sender_threads: int = Field(default=4, ge=1, le=32, alias="KPIBOT_SURVEY_SENDER_THREADS")
    # A claimed delivery older than this whose sender vanished is checked against Slack and then retried or closed.
    claim_lease_seconds: float = Field(default=600.0, gt=0, alias="KPIBOT_SURVEY_CLAIM_LEASE_SECONDS")
    # Breakdowns (by plan, …) hide groups with fewer responses than this.
    min_group_size: int = Field(default=5, ge=1, alias="KPIBOT_SURVEY_MIN_GROUP_SIZE")
    poll_seconds: float = Field(default=30.0, gt=0, alias="KPIBOT_SURVEY_POLL_SECONDS")

    @field_validator("quiet_start", "quiet_end", mode="before")
    @classmethod
    def _clock_time(cls, value: object) -> object:
        if isinstance(value, str) and value.isdigit():
            return time(int(value), 0)
        return value
