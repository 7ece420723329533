"""`kpibot source check` (the mapping against the live source) and `kpibot source init LAYOUT…` (a starting
mapping to edit, from the ready-made layouts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from bot.cli.context import console, err_console, fail, load_settings

source_app = typer.Typer(help="The database the data contract's tables are read from (KPI_SOURCE_URL, KPI_SOURCE_MAP).",
                         no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(source_app, name="source")


@source_app.command("check")
def check() -> None:
    """Check the mapping against the live source: tables and columns exist, required columns are never null,
    keys are unique, references resolve, typed values parse; one line per table with its rows and newest
    timestamp. Exits non-zero on any problem."""
    from kpi_engine.sources.check import check_source
    from kpi_engine.sources.source import open_source

    settings = load_settings()
    source = open_source(settings)
    try:
        report = check_source(source)
    finally:
        if source.engine is not None:
            source.engine.dispose()
    if report.error is not None:
        raise fail(f"source {report.error}")
    for line in report_lines(report):
        out = err_console if line.startswith("FAIL") else console
        out.print(line, highlight=False, markup=False, soft_wrap=True)
    if not report.ok:
        raise typer.Exit(1)


def report_lines(report) -> list[str]:  # type: ignore[no-untyped-def]
    out = []
    width = max(len(t.table) for t in report.tables)
    for table in report.tables:
        if table.note is not None:
            out.append(f"--   {table.table:<{width}}  {table.note}")
            continue
        newest = str(table.newest)[:19] if table.newest is not None else "-"
        rows = f"{table.rows:,}" if table.rows is not None else "?"
        if table.ok:
            out.append(f"ok   {table.table:<{width}}  {rows} rows, newest {newest}  ({table.origin})")
        out += [f"FAIL {problem}" for problem in table.problems]
    return out


@source_app.command("init")
def init(
    layouts: Annotated[list[str], typer.Argument(help="Ready-made layouts to start from, e.g. stripe segment.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The mapping file to write.")] = Path("kpi_source_map.yaml"),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
) -> None:
    """Write a starting mapping (KPI_SOURCE_MAP) from ready-made layouts, to edit, then `kpibot source check`."""
    from kpi_engine.sources.starter import LayoutUnknown, starting_mapping

    if out.exists() and not force:
        raise fail(f"{out} exists: pass --force to overwrite it")
    try:
        text = starting_mapping(layouts)
    except LayoutUnknown as exc:
        raise fail(str(exc)) from exc
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}: edit it, set KPI_SOURCE_MAP={out} and run `kpibot source check`")
