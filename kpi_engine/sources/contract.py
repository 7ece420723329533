"""Which tables belong where once a source is configured.

- contract tables: the data contract's (DATA_CONTRACT.md), read from KPI_SOURCE_URL through KPI_SOURCE_MAP;
- derived tables: the usage rollups `kpibot refresh` builds (in DATABASE_URL or KPI_SOURCE_SCRATCH_SCHEMA);
- everything else is the bot's own state in DATABASE_URL (targets, campaigns, digests, alerts, audit, ...).

`survey_responses` and `survey_deliveries` are written by the bot's in-Slack surveys: they stay in
DATABASE_URL (state) unless the mapping maps `survey_responses` onto a table of the source.
"""

from __future__ import annotations

from sqlalchemy import Table

from kpi_engine.db.base import Base
from kpi_engine.importing.specs import SPECS, Kind, TableSpec

SURVEY_TABLES = ("survey_responses", "survey_deliveries")  # written by the bot: state unless mapped
CONTRACT_TABLES: tuple[str, ...] = tuple(name for name in SPECS if name not in SURVEY_TABLES)
MAPPABLE_TABLES: tuple[str, ...] = tuple(SPECS)
DERIVED_TABLES: tuple[str, ...] = (
    "sessions", "feature_days", "usage_days", "daily_usage", "daily_returns", "conversion_events",
    "group_daily_usage", "group_daily_returns", "derived_state",
)
# kept by `kpibot refresh` in DATABASE_URL beside the derived tables when those live apart from the source
PROFILE_TABLES: tuple[str, ...] = ("user_profiles", "account_profiles")
# copied by `kpibot refresh` into the scratch schema, so survey metrics broken down by an account attribute run
# in the source beside `accounts` (no join across databases); unbroken survey metrics read DATABASE_URL live
SCRATCH_COPIES: tuple[str, ...] = SURVEY_TABLES
TIME_KINDS = (Kind.TS, Kind.DATE)


def spec(name: str) -> TableSpec:
    return SPECS[name]


def model_table(name: str) -> Table:
    return Base.metadata.tables[name]


def time_columns(name: str) -> list[str]:
    return [c.name for c in SPECS[name].columns if c.kind in TIME_KINDS]


def freshness_column(name: str) -> str:
    """The column whose newest value says how fresh a table is: its first required time column."""
    table = SPECS[name]
    required = [c.name for c in table.columns if c.kind in TIME_KINDS and c.required]
    return (required or time_columns(name))[0]
