"""`kpibot`: the command line. Each command group lives in its own module with a `register(app)`.

`kpibot COMMAND ...` imports only that command's module (so `kpibot ask` does not pay for Slack, pandas or
the survey code); `kpibot --help` and the `app` attribute (for tests and completion) have every command.
"""

from __future__ import annotations

import importlib
import logging
import sys
from collections.abc import Sequence

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
    "rotate-tokens": "bot.cli.security",
}


def build_app(only: str | None = None) -> typer.Typer:
    """The CLI with every command, or with `only` that one when it names a command."""
    cli = typer.Typer(
        name="kpibot",
        help="KPI Bot: ask for product KPIs in plain words, run surveys, send digests.",
        no_args_is_help=True,
        pretty_exceptions_show_locals=False,
    )
    cli.callback()(lambda: None)  # a group even with one command: `kpibot ask Q`, not `kpibot Q`
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
    build_app(args[0] if args else None)(args=args, prog_name="kpibot")


if __name__ == "__main__":
    main()
