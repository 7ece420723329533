"""Stands in for Bolt's App to see what each `register(app)` listens to."""

from __future__ import annotations

from collections.abc import Callable
from re import Pattern
from typing import Any

from bot.listeners import actions, commands, events, uninstall, views

Decorator = Callable[[Callable[..., Any]], Callable[..., Any]]


def matches(constraint: str | Pattern[str], action_id: str) -> bool:
    if isinstance(constraint, str):
        return constraint == action_id
    return constraint.fullmatch(action_id) is not None


class RecordingApp:
    """Stands in for Bolt's App to see what each `register(app)` listens to."""

    def __init__(self) -> None:
        self.commands: list[str] = []
        self.events: list[str | dict[str, Any]] = []
        self.actions: list[str | Pattern[str]] = []
        self.views: list[str] = []

    def _record(self, into: list[Any], constraint: Any) -> Decorator:
        if constraint not in into:  # one entry per constraint, however many listeners `matchers=` splits it into
            into.append(constraint)
        return lambda func: func

    def command(self, constraint: str, matchers: Any = None) -> Decorator:
        return self._record(self.commands, constraint)

    def event(self, constraint: str | dict[str, Any], matchers: Any = None) -> Decorator:
        return self._record(self.events, constraint)

    def action(self, constraint: str | Pattern[str], matchers: Any = None) -> Decorator:
        return self._record(self.actions, constraint)

    def view(self, constraint: str, matchers: Any = None) -> Decorator:
        return self._record(self.views, constraint)

    def handles_action(self, action_id: str) -> bool:
        return any(matches(c, action_id) for c in self.actions)


def registered_listeners() -> RecordingApp:
    app = RecordingApp()
    for module in (commands, events, actions, views, uninstall):
        module.register(app)  # type: ignore[arg-type]
    return app
