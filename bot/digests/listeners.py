"""Bolt registration for digests: `/kpi digest|alert|target ...` as its own listener (see bot.digests.slash).

Bolt runs the first listener that matches, so this must be registered BEFORE the general /kpi listener;
alternatively that listener calls `handle_kpi_subcommand` first (the recommended wiring).
"""

from __future__ import annotations

from slack_bolt import App

from bot.digests.slash import is_kpi_subcommand, kpi_subcommand_listener

KPI_COMMAND = "/kpi"


def register(app: App) -> None:
    app.command(KPI_COMMAND, matchers=[is_kpi_subcommand])(kpi_subcommand_listener)
