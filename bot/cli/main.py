"""`kpibot`: the command line. Each command group lives in its own module with a `register(app)`."""

from __future__ import annotations

import logging

import typer

from bot.cli import alert, ask, database, demo, digest, importer, metrics, serve, survey, target

app = typer.Typer(
    name="kpibot",
    help="KPI Bot: ask for product KPIs in plain words, run surveys, send digests.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
)

for module in (demo, importer, ask, metrics, database, target, serve, survey, digest, alert):
    module.register(app)


def main() -> None:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    app()


if __name__ == "__main__":
    main()
