"""Test doubles that speak real HTTP: a fake Slack Web API, a signed-request sender, a served app."""
