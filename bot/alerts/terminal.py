"""Alerts in the terminal (`kpibot alert check`)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from bot.alerts.checker import AlertOutcome

console = Console(soft_wrap=True, emoji=False)


def print_alert_outcomes(outcomes: list[AlertOutcome]) -> None:
    if not outcomes:
        console.print("No alert is due for a check.")
        return
    table = Table("alert", "result", "value", "detail")
    for o in outcomes:
        table.add_row(f"#{o.rule_id}", o.action, "—" if o.value is None else f"{o.value:g}", o.detail or "—")
    console.print(table)
