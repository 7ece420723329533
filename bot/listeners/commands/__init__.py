"""Slash commands."""

from __future__ import annotations

from slack_bolt import App

from bot.listeners.commands.kpi_command import KPI_COMMAND, kpi_command


def register(app: App) -> None:
    app.command(KPI_COMMAND)(kpi_command)
