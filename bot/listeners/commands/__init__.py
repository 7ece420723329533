"""`/kpi`, routed by its first word with Bolt matchers (Bolt runs the first listener that matches); any other text
is a question. A new subcommand is one listener file here (its WORDS and listener) plus its domain function."""

from __future__ import annotations

from collections.abc import Callable

from slack_bolt import App

from bot.listeners.commands import alert, digest, survey, target
from bot.listeners.commands.common import KPI_COMMAND, Matcher, first_word_in
from bot.listeners.commands.help import is_help, kpi_help
from bot.listeners.commands.kpi_command import kpi_command

SUBCOMMANDS: tuple[tuple[Matcher, Callable[..., None]], ...] = (
    (is_help, kpi_help),
    (first_word_in(*survey.WORDS), survey.survey_command),
    (first_word_in(*digest.WORDS), digest.kpi_digest),
    (first_word_in(*alert.WORDS), alert.kpi_alert),
    (first_word_in(*target.WORDS), target.kpi_target),
)


def register(app: App) -> None:
    for matches, listener in SUBCOMMANDS:
        app.command(KPI_COMMAND, matchers=[matches])(listener)
    app.command(KPI_COMMAND)(kpi_command)  # the rest: a question
