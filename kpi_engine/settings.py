"""The data side's configuration, read from the environment (and a `.env` file). The Slack app holds it as the
`data` section of its settings (bot.settings.AppSettings); nothing here knows Slack."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from platformdirs import user_data_dir
from pydantic import Field, field_validator, model_validator
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
    # the embedded columnar store (issue 16): `kpibot import` and `kpibot demo` keep the contract's tables and the
    # derived tables in this DuckDB file instead of DATABASE_URL; the bot reads it as its source
    kpi_data_url: str | None = Field(default=None, alias="KPI_DATA_URL", repr=False)
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

    @field_validator("kpi_data_url")
    @classmethod
    def _columnar_store(cls, value: str | None) -> str | None:
        if value and not value.startswith("duckdb:"):
            raise ValueError(f"KPI_DATA_URL is a DuckDB file (duckdb:///path/data.duckdb), not {value.split(':')[0]}")
        return value or None

    @model_validator(mode="after")
    def _one_place_for_the_data(self) -> Settings:
        if self.kpi_data_url and (self.kpi_source_url or self.kpi_source_map is not None):
            raise ValueError("KPI_DATA_URL (the bot's own store, filled by `kpibot import`) and KPI_SOURCE_URL / "
                             "KPI_SOURCE_MAP (a database of yours, read as it is) are two places for the same "
                             "tables: set one")
        return self

    @property
    def uses_source(self) -> bool:
        """The data is read from a database other than DATABASE_URL: a source (a URL or a mapping) or the store."""
        return bool(self.kpi_source_url) or self.kpi_source_map is not None or self.kpi_data_url is not None

    @property
    def source_url(self) -> str:
        """Where the contract's tables are read: the source, else the store, else DATABASE_URL."""
        return self.kpi_source_url or self.kpi_data_url or self.database_url

    @property
    def scratch_schema(self) -> str | None:
        """The schema of the source holding the derived tables (the store keeps them in its `main` schema)."""
        return self.kpi_source_scratch_schema or ("main" if self.kpi_data_url else None)

    @property
    def usage_apart_from_source(self) -> bool:
        """The derived usage tables live in DATABASE_URL, apart from a separate source (no scratch schema): per-user
        rows then read their user's account and attributes from `user_profiles` beside them."""
        separate = bool(self.kpi_source_url) and self.kpi_source_url != self.database_url
        return separate and not self.scratch_schema

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.kpi_timezone)


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
