"""Puts the digest/alert listeners in front of the app's own (Bolt runs the first listener that matches), the way
the lead wires them into create_app; the app itself is built by the Slack-app engineer's factory."""

from __future__ import annotations

from bot.alerts import listeners as alert_listeners
from bot.app import KpiBotApp
from bot.digests import listeners as digest_listeners


def wire(app: KpiBotApp) -> KpiBotApp:
    before = len(app._listeners)
    digest_listeners.register(app)
    alert_listeners.register(app)
    added = app._listeners[before:]
    del app._listeners[before:]
    app._listeners[0:0] = added
    return app
