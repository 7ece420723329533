"""The data side's configuration, read from the environment (and a `.env` file). The Slack app holds it as the
`data` section of its settings (bot.settings.AppSettings); nothing here knows Slack."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


def default_database_url() -> str:
    path = Path(user_data_dir("kpibot", appauthor=False)) / "kpibot.sqlite3"
    return f"sqlite:///{path}"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", populate_by_name=True)

    # data side
    database_url: str = Field(default_factory=default_database_url, alias="DATABASE_URL")
    kpi_timezone: str = Field(default="UTC", alias="KPI_TIMEZONE")
    kpi_gross_margin: float = Field(default=1.0, gt=0, le=1, alias="KPI_GROSS_MARGIN")
    kpi_session_gap_minutes: int = Field(default=30, gt=0, alias="KPI_SESSION_GAP_MINUTES")
    kpi_conversion_from: str = Field(default="signup", alias="KPI_CONVERSION_FROM")
    kpi_conversion_to: str = Field(default="purchase", alias="KPI_CONVERSION_TO")
    kpi_conversion_window_days: int = Field(default=30, gt=0, alias="KPI_CONVERSION_WINDOW_DAYS")
    kpi_custom_metrics_file: Path | None = Field(default=None, alias="KPI_CUSTOM_METRICS_FILE")
    kpi_currency_symbol: str = Field(default="$", alias="KPI_CURRENCY_SYMBOL")
    survey_min_group_size: int = Field(default=5, ge=1, alias="KPIBOT_SURVEY_MIN_GROUP_SIZE")
    import_batch_size: int = Field(default=50_000, gt=0, alias="KPIBOT_IMPORT_BATCH_SIZE")

    # source (issue 13): the data contract's tables read from another database through a mapping
    kpi_source_url: str | None = Field(default=None, alias="KPI_SOURCE_URL", repr=False)
    kpi_source_map: Path | None = Field(default=None, alias="KPI_SOURCE_MAP")
    kpi_source_scratch_schema: str | None = Field(default=None, alias="KPI_SOURCE_SCRATCH_SCHEMA")
    kpi_refresh_minutes: int = Field(default=60, ge=0, alias="KPI_REFRESH_MINUTES")  # 0: no scheduled refresh
    # an incremental refresh re-reads the events of this many hours before its watermark (late-arriving events)
    kpi_refresh_lookback_hours: float = Field(default=72, ge=0, alias="KPI_REFRESH_LOOKBACK_HOURS")

    # charts/messages (issue 14): survey questions name the product; empty = wording without a name ("us")
    product_name: str = Field(default="", alias="KPIBOT_PRODUCT_NAME")

    @field_validator("kpi_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r} (use an IANA name such as Europe/Berlin)") from exc
        return value

    @property
    def uses_source(self) -> bool:
        """A source other than the embedded database is configured (a URL or a mapping)."""
        return bool(self.kpi_source_url) or self.kpi_source_map is not None

    @property
    def usage_apart_from_source(self) -> bool:
        """The derived usage tables live in DATABASE_URL, apart from a separate source (no scratch schema): per-user
        rows then read their user's account and attributes from `user_profiles` beside them."""
        separate = bool(self.kpi_source_url) and self.kpi_source_url != self.database_url
        return separate and not self.kpi_source_scratch_schema

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.kpi_timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
