"""`kpibot target set|list|remove`: targets that answers, digests and charts report against."""

from __future__ import annotations

from datetime import date

import typer
from rich.table import Table

from bot.cli.context import console, database, fail, load_settings
from kpi_engine.catalog import load_catalog
from kpi_engine.db import session_scope
from kpi_engine.targets import (
    TargetValueError,
    describe_scope,
    list_targets,
    parse_filters,
    parse_target_value,
    remove_target,
    set_target,
)

FOR_HELP = "Only for answers with these filters: --for plan=pro (repeat for more dimensions)."


def _filters(pairs: list[str]) -> dict[str, list[str]]:
    try:
        return parse_filters(" and ".join(pairs)) if pairs else {}
    except TargetValueError as exc:
        raise fail(str(exc)) from exc


def register(app: typer.Typer) -> None:
    target_app = typer.Typer(help="Targets per metric (shown as attainment in answers).", no_args_is_help=True)

    @target_app.command("set")
    def set_(
        metric: str = typer.Argument(..., help="Metric id, label or alias."),
        value: str = typer.Argument(..., help="Target value: 150k, 2.5M, 5% ..."),
        due: str | None = typer.Option(None, "--due", "--by", help="Due date, YYYY-MM-DD."),
        for_: list[str] = typer.Option([], "--for", help=FOR_HELP),
    ) -> None:
        """Set (or replace) the target of METRIC (company-wide, or for the filters given with --for)."""
        filters = _filters(for_)
        settings = load_settings()
        engine = database(settings)
        definition = load_catalog(settings, engine).find(metric)
        if definition is None:
            raise fail(f"Unknown metric {metric!r}. See `kpibot metrics`.")
        try:
            number = parse_target_value(value, definition)
            due_day = date.fromisoformat(due) if due else None
        except (TargetValueError, ValueError) as exc:
            raise fail(str(exc)) from exc
        with session_scope(engine) as session:
            set_target(session, definition.id, number, due_day, created_by="cli", filters=filters)
        scope = describe_scope(filters)
        console.print(f"Target for {definition.label}{' ' + scope if scope else ''}: {value}"
                      + (f" by {due_day}" if due_day else ""))

    @target_app.command("list")
    def list_() -> None:
        """List every target."""
        settings = load_settings()
        with session_scope(database(settings)) as session:
            targets = list_targets(session)
        if not targets:
            console.print("No targets yet. Set one: kpibot target set mrr 150k --due 2026-12-31")
            return
        table = Table("metric", "for", "target", "due", "set by")
        for t in targets:
            table.add_row(t.metric_id, t.scope or "everything", f"{t.value:g}", str(t.due or "—"), t.created_by or "—")
        console.print(table)

    @target_app.command("remove")
    def remove(metric: str = typer.Argument(..., help="Metric id."),
               for_: list[str] = typer.Option([], "--for", help=FOR_HELP)) -> None:
        """Remove the target of METRIC (the company-wide one, or the one for the filters given with --for)."""
        settings = load_settings()
        with session_scope(database(settings)) as session:
            removed = remove_target(session, metric, _filters(for_))
        if not removed:
            raise fail(f"No target for {metric!r}.")
        console.print(f"Target for {metric} removed.")

    app.add_typer(target_app, name="target")
