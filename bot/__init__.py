"""The Slack side: Bolt app, listeners, Block Kit builders, digests, alerts, scheduler and the CLI.

The only package that imports slack_bolt / slack_sdk.
"""
