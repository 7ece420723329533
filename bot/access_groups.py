"""Metric groups limited to listed users or channels (configuration file, YAML).

    groups:
      finance:
        users: [U0123ABCD]
        channels: [C0456EFGH]

A group not listed is open to every member of the workspace; a listed group is open to its users
anywhere they may read KPIs, and to anyone in its channels.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, ValidationError

from bot.settings import ServerSettings


class AccessConfigError(ValueError):
    pass


class GroupRule(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    users: frozenset[str] = frozenset()
    channels: frozenset[str] = frozenset()

    def admits(self, user_id: str, channel_id: str | None, *, posted_in_channel: bool) -> bool:
        """Whether this person may see the metric here. A message everyone in the channel sees
        (a share or a thread reply) needs the channel itself to be listed."""
        in_listed_channel = channel_id is not None and channel_id in self.channels
        if posted_in_channel:
            return in_listed_channel
        return user_id in self.users or in_listed_channel


class GroupRules(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    groups: dict[str, GroupRule] = {}

    def admits(self, group: str | None, user_id: str, channel_id: str | None, *, posted_in_channel: bool) -> bool:
        rule = self.groups.get(group) if group else None
        return rule is None or rule.admits(user_id, channel_id, posted_in_channel=posted_in_channel)


def load_group_rules(path: Path | None) -> GroupRules:
    if path is None:
        return GroupRules()
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise AccessConfigError(f"cannot read access file {path}: {exc}") from exc
    try:
        return GroupRules.model_validate(raw)
    except ValidationError as exc:
        raise AccessConfigError(f"access file {path}: {exc}") from exc


def configured_rules() -> GroupRules:
    """The rules of KPIBOT_ACCESS_FILE (none set: no metric group is limited), for a process without the app."""
    return load_group_rules(ServerSettings().access_file)
