"""Who a campaign goes to, as typed: user mentions or ids, emails, user groups, channels.

Slack sends escaped mentions in slash commands (`<@U123|ann>`, `<#C123|general>`, `<!subteam^S123|@cx>`,
`<mailto:a@b.co|a@b.co>`) when the command has "Escape channels, users, and links" on; raw ids work too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

TargetKind = Literal["user", "email", "group", "channel"]

_PATTERNS: tuple[tuple[TargetKind, re.Pattern[str]], ...] = (
    ("user", re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")),
    ("channel", re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$")),
    ("group", re.compile(r"^<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>$")),
    ("email", re.compile(r"^<mailto:([^|>]+)(?:\|[^>]*)?>$")),
    # raw ids (upper case with a digit, so words like CHURN are not taken for a channel)
    ("user", re.compile(r"^([UW](?=[A-Z0-9]*\d)[A-Z0-9]{4,})$")),
    ("channel", re.compile(r"^([CG](?=[A-Z0-9]*\d)[A-Z0-9]{4,})$")),
    ("group", re.compile(r"^(S(?=[A-Z0-9]*\d)[A-Z0-9]{4,})$")),
    ("email", re.compile(r"^([^@\s<>]+@[^@\s<>]+\.[^@\s<>]+)$")),
)


@dataclass(frozen=True)
class Target:
    kind: TargetKind
    value: str  # a Slack id, or an email address

    def describe(self) -> str:
        if self.kind == "user":
            return f"<@{self.value}>"
        if self.kind == "channel":
            return f"<#{self.value}>"
        if self.kind == "group":
            return f"<!subteam^{self.value}>"
        return self.value

    @property
    def source(self) -> str:
        """Stored with each delivery: how this person came to be asked."""
        return f"{self.kind}:{self.value}"


def parse_target(token: str) -> Target | None:
    token = token.strip().rstrip(",")
    for kind, pattern in _PATTERNS:
        match = pattern.match(token)
        if match:
            value = match.group(1)
            return Target(kind, value.lower() if kind == "email" else value)
    return None


def parse_targets(tokens: list[str]) -> tuple[list[Target], list[str]]:
    """(targets in order without repeats, tokens that are not targets)."""
    targets: list[Target] = []
    unknown: list[str] = []
    for token in tokens:
        target = parse_target(token)
        if target is None:
            unknown.append(token)
        elif target not in targets:
            targets.append(target)
    return targets, unknown
