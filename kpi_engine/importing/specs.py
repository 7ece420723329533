"""What each importable table looks like: columns, types, value rules, key, references (declarative data)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from sqlalchemy import Table

import kpi_engine.db.models  # noqa: F401  (registers every table on the metadata)
from kpi_engine.db.base import Base
from kpi_engine.importing.rules import Later, RowRule, ScoreScale


class Kind(StrEnum):
    ID = "id"
    TS = "timestamp"
    DATE = "date"
    NUM = "number"
    INT = "integer"
    BOOL = "boolean"
    TEXT = "text"


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    kind: Kind
    required: bool = False
    choices: tuple[str, ...] = ()  # allowed values, matched case-insensitively, stored lower case
    minimum: float | None = None  # inclusive lower bound for numbers
    default: str | None = None  # stored instead of NULL when missing or empty


@dataclass(frozen=True)
class Reference:
    """`column` must exist in `table.target` once `table` has rows."""

    column: str
    table: str
    target: str


@dataclass(frozen=True)
class DerivedKey:
    """The key column is filled, when empty, with a hash of `sources` (so re-imports find the same row)."""

    column: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[ColumnSpec, ...]
    key: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    rules: tuple[RowRule, ...] = ()
    derived_key: DerivedKey | None = None
    refreshes_derived: bool = False  # derived tables (usage_days, sessions; usage per account group) depend on it
    refresh_from: str | None = None  # the time column from whose earliest changed value derived tables are rebuilt

    @property
    def table(self) -> Table:
        return Base.metadata.tables[self.name]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> ColumnSpec:
        return next(c for c in self.columns if c.name == name)


ID, TS, DAY, NUM, INT, BOOL, TEXT = Kind.ID, Kind.TS, Kind.DATE, Kind.NUM, Kind.INT, Kind.BOOL, Kind.TEXT
Col = ColumnSpec
TO_ACCOUNTS = Reference("account_id", "accounts", "account_id")

SPECS: dict[str, TableSpec] = {spec.name: spec for spec in (
    TableSpec("accounts", (
        Col("account_id", ID, True), Col("name", TEXT), Col("created_at", TS, True), Col("plan", TEXT),
        Col("segment", TEXT), Col("channel", TEXT), Col("country", TEXT),
    ), key=("account_id",), refreshes_derived=True),
    TableSpec("subscriptions", (
        Col("subscription_id", ID, True), Col("account_id", ID, True), Col("plan", TEXT),
        Col("mrr", NUM, True, minimum=0), Col("started_at", TS, True), Col("ended_at", TS),
    ), key=("subscription_id",), references=(TO_ACCOUNTS,), rules=(Later("ended_at", "started_at"),)),
    TableSpec("users", (
        Col("user_id", ID, True), Col("account_id", ID), Col("created_at", TS, True), Col("email", TEXT),
        Col("slack_user_id", TEXT),
    ), key=("user_id",), references=(TO_ACCOUNTS,), refreshes_derived=True),
    TableSpec("events", (
        Col("event_id", ID), Col("user_id", ID, True), Col("occurred_at", TS, True), Col("name", TEXT, True),
        Col("feature", TEXT), Col("session_id", TEXT),
    ), key=("event_id",), references=(Reference("user_id", "users", "user_id"),),
        derived_key=DerivedKey("event_id", ("user_id", "occurred_at", "name", "feature", "session_id")),
        refreshes_derived=True, refresh_from="occurred_at"),
    TableSpec("orders", (
        Col("order_id", ID, True), Col("account_id", ID), Col("ordered_at", TS, True), Col("amount", NUM, True),
        Col("cost", NUM), Col("product", TEXT),
    ), key=("order_id",), references=(TO_ACCOUNTS,)),
    TableSpec("marketing_spend", (
        Col("day", DAY, True), Col("channel", TEXT, True), Col("campaign", TEXT, default=""),
        Col("spend", NUM, True, minimum=0), Col("impressions", INT), Col("clicks", INT), Col("revenue", NUM),
    ), key=("day", "channel", "campaign")),
    TableSpec("trials", (
        Col("trial_id", ID, True), Col("account_id", ID, True), Col("started_at", TS, True), Col("ended_at", TS),
        Col("converted_at", TS),
    ), key=("trial_id",), references=(TO_ACCOUNTS,)),
    TableSpec("tickets", (
        Col("ticket_id", ID, True), Col("account_id", ID), Col("opened_at", TS, True),
        Col("first_response_at", TS), Col("resolved_at", TS), Col("escalated", BOOL), Col("priority", TEXT),
        Col("category", TEXT),
    ), key=("ticket_id",), references=(TO_ACCOUNTS,)),
    TableSpec("work_items", (
        Col("item_id", ID, True), Col("kind", TEXT, True, choices=("feature", "story", "bug", "task")),
        Col("title", TEXT), Col("feature", TEXT), Col("created_at", TS, True), Col("started_at", TS),
        Col("done_at", TS), Col("points", NUM), Col("found_in", TEXT, choices=("testing", "production")),
    ), key=("item_id",)),
    TableSpec("releases", (
        Col("release_id", ID, True), Col("released_at", TS, True), Col("kloc", NUM),
    ), key=("release_id",)),
    TableSpec("features", (
        Col("feature", ID, True), Col("name", TEXT), Col("launched_at", TS),
    ), key=("feature",)),
    TableSpec("survey_responses", (
        Col("response_id", ID, True), Col("survey", TEXT, True, choices=("nps", "csat", "ces")),
        Col("score", INT, True), Col("comment", TEXT), Col("respondent_id", TEXT), Col("account_id", ID),
        Col("responded_at", TS, True), Col("campaign_id", TEXT), Col("topic", TEXT),
    ), key=("response_id",), references=(TO_ACCOUNTS,),
        rules=(ScoreScale("survey", "score", {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}),)),
)}


def table_names() -> list[str]:
    return list(SPECS)
