"""Bolt listeners by kind; each package has `register(app)` and one small callback per module."""
