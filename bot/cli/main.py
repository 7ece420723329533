"""`kpibot`: the command line. Each command group lives in its own module with a `register(app)`.

`kpibot COMMAND ...` imports only that command's module (so `kpibot ask` does not pay for Slack, pandas or
the survey code); `kpibot --help` imports none (it lists the one-line helps of `COMMAND_HELP`, importing
only the modules of commands missing there); the `app` attribute (for tests and completion) has every command.
"""

from __future__ import annotations

import gc
import importlib
import logging
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import typer

COMMAND_MODULES: dict[str, str] = {  # command name → module
    "demo": "bot.cli.demo",
    "import": "bot.cli.importer",
    "ask": "bot.cli.ask",
    "metrics": "bot.cli.metrics",
    "db": "bot.cli.database",
    "target": "bot.cli.target",
    "serve": "bot.cli.serve",
    "survey": "bot.cli.survey",
    "digest": "bot.cli.digest",
    "alert": "bot.cli.alert",
    "source": "bot.cli.source",
    "refresh": "bot.cli.refresh",
    "gallery": "bot.cli.gallery",
    "rotate-tokens": "bot.cli.security",
}


COMMAND_HELP: dict[str, str] = {  # command name → its one-line help, for `kpibot --help` (checked by a test)
    "demo": "Create the database (DATABASE_URL, or the embedded one) and fill it with a demo company.",
    "import": "Import FILE into TABLE: all rows or none; re-importing the same file changes nothing.",
    "ask": "Answer a question about a KPI, like the bot does.",
    "metrics": "The metric catalog (data dictionary).",
    "db": "Database schema management.",
    "target": "Targets per metric (shown as attainment in answers).",
    "serve": "Run the Slack app.",
    "survey": "NPS, CSAT and CES surveys in Slack.",
    "digest": "Weekly KPI digests (like /kpi digest).",
    "alert": "KPI alerts (like /kpi alert).",
    "source": "The database the data contract's tables are read from (KPI_SOURCE_URL, KPI_SOURCE_MAP).",
    "refresh": "Build the derived usage tables (user-days, sessions, rollups) from the source's events: into "
               "KPI_SOURCE_SCRATCH_SCHEMA when set, else into DATABASE_URL.",
    "gallery": "Draw every chart type on the current database into DIR (line.png, bars.png, retention.png, ...).",
    "rotate-tokens": 'Re-encrypt every stored Slack token with the first key (KPIBOT_ENCRYPTION_KEY="new,old").',
}
HELP_ARGS: tuple[list[str], ...] = ([], ["--help"], ["-h"])


def build_help_app() -> typer.Typer:
    """The CLI as `kpibot --help` shows it: a placeholder per command with its one-line help."""
    cli = _group()
    for name, module in COMMAND_MODULES.items():
        if name in COMMAND_HELP:
            cli.command(name, help=COMMAND_HELP[name], add_help_option=False)(lambda: None)
        else:
            importlib.import_module(module).register(cli)
    return cli


def _group() -> typer.Typer:
    import typer

    cli = typer.Typer(
        name="kpibot",
        help="KPI Bot: ask for product KPIs in plain words, run surveys, send digests.",
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
    )
    cli.callback()(lambda: None)  # a group even with one command: `kpibot ask Q`, not `kpibot Q`
    return cli


def build_app(only: str | None = None) -> typer.Typer:
    """The CLI with every command, or with `only` that one when it names a command."""
    cli = _group()
    names = [only] if only in COMMAND_MODULES else list(COMMAND_MODULES)
    for name in names:
        importlib.import_module(COMMAND_MODULES[name]).register(cli)
    return cli


def __getattr__(name: str) -> typer.Typer:
    if name == "app":
        return build_app()
    raise AttributeError(name)


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    gc.disable()  # importing the command allocates much and frees little: collections meanwhile are wasted work
    try:
        cli = build_help_app() if args in HELP_ARGS else build_app(args[0] if args else None)
    finally:
        if argv is None:  # the process's own command line: what it imported lives as long as the process,
            gc.freeze()  # so frozen: the collections Python runs at exit skip it (a third of `kpibot ask`'s CPU)
        gc.enable()
    cli(args=args, prog_name="kpibot")


if __name__ == "__main__":
    main()
