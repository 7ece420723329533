"""What the alerts, digests and targets packages share, so that none of them imports another: the command
context, reply and parsing helpers, who may see and remove what (command_access), metric and filter words,
local days and weeks, anomaly checks and their wording, channel checks, pacing and the Web API clients.
Nothing here imports bot.alerts, bot.digests or bot.targets (import-linter checks it)."""
