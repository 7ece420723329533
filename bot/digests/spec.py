"""Reading `digest add ...` into what to create: where, when, in which zone, which KPIs, which filters.

    /kpi digest add
    /kpi digest add in <#C0123|growth> fridays at 4:30pm tz America/New_York mrr, churn rate, nps plan=pro
    /kpi digest add to me cron "0 8 * * 1-5" signups, wau
Everything is optional: here (or this DM), Mondays 09:00, the creator's Slack time zone, the headline KPIs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from bot.digests.schedule import WEEKDAYS, ScheduleError, zone
from bot.shared.channels import CHANNEL, PLAIN_CHANNEL
from bot.shared.metric_names import read_metric_list, take_filters
from kpi_engine.catalog import Catalog

CRON = re.compile(r"\bcron\s+(?:\"([^\"]+)\"|'([^']+)'|((?:\S+\s+){4}\S+))", re.IGNORECASE)
ZONE = re.compile(r"\b(?:tz|timezone|time zone)\s+([A-Za-z_]+(?:/[A-Za-z0-9_+\-]+)*)", re.IGNORECASE)
BARE_ZONE = re.compile(r"\b((?:Africa|America|Antarctica|Asia|Atlantic|Australia|Europe|Indian|Pacific|Etc)"
                       r"/[A-Za-z0-9_+\-]+(?:/[A-Za-z0-9_+\-]+)?|UTC)\b")
TIME = re.compile(r"\b(?:at\s+)?(\d{1,2})(?::(\d{2}))?\s*(am|pm)\b|\b(?:at\s+)?(\d{1,2}):(\d{2})\b|\bat\s+(\d{1,2})\b",
                  re.IGNORECASE)
WEEKDAY = re.compile(r"\b(?:every\s+|on\s+)?(mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day)?s?\b", re.IGNORECASE)
DM = re.compile(r"\b(?:to\s+me|by\s+dm|in\s+(?:a\s+)?dm|dm|privately|to\s+myself)\b", re.IGNORECASE)
HERE = re.compile(r"\b(?:in\s+)?(?:here|this\s+channel)\b", re.IGNORECASE)


class SpecError(ValueError):
    pass


@dataclass(frozen=True)
class DigestSpec:
    channel_id: str | None = None  # None: the conversation the command came from
    channel_name: str | None = None  # `#growth` typed without Slack's escaping: resolved by name
    to_dm: bool = False
    weekday: int | None = None
    at_time: str | None = None
    cron: str | None = None
    timezone: str | None = None  # None: the creator's Slack time zone
    metrics: tuple[str, ...] = ()  # (): the default headline set
    filters: dict[str, list[str]] = field(default_factory=dict)
    unknown: tuple[str, ...] = ()


def parse_digest_spec(text: str, catalog: Catalog) -> DigestSpec:
    rest = f" {text} "
    cron, rest = _take_cron(rest)
    channel_id, channel_name, rest = _take_channel(rest)
    to_dm = bool(DM.search(rest))
    rest = HERE.sub(" ", DM.sub(" ", rest))
    timezone, rest = _take_zone(rest)
    filters, rest = take_filters(rest)
    weekday, rest = _take_weekday(rest)
    at_time, rest = _take_time(rest)
    if cron is not None and (weekday is not None or at_time is not None):
        raise SpecError("give either a cron expression or a weekday and time, not both")
    rest = " ".join(rest.split())
    listed = read_metric_list(rest, catalog) if rest else None
    return DigestSpec(
        channel_id=channel_id, channel_name=channel_name, to_dm=to_dm, weekday=weekday, at_time=at_time, cron=cron,
        timezone=timezone, metrics=listed.metric_ids if listed else (), filters=filters,
        unknown=listed.unknown if listed else (),
    )


def _take_cron(text: str) -> tuple[str | None, str]:
    match = CRON.search(text)
    if match is None:
        return None, text
    expression = " ".join((match.group(1) or match.group(2) or match.group(3)).split())
    return expression, text[: match.start()] + " " + text[match.end():]


def _take_channel(text: str) -> tuple[str | None, str | None, str]:
    match = CHANNEL.search(text)
    if match is not None:
        return match.group(1), None, text[: match.start()] + " " + text[match.end():]
    plain = PLAIN_CHANNEL.search(text)
    if plain is not None:
        return None, plain.group(1), text[: plain.start()] + " " + text[plain.end():]
    return None, None, text


def _take_zone(text: str) -> tuple[str | None, str]:
    match = ZONE.search(text) or BARE_ZONE.search(text)
    if match is None:
        return None, text
    name = match.group(1)
    try:
        zone(name)
    except ScheduleError as exc:
        raise SpecError(str(exc)) from exc
    return name, text[: match.start()] + " " + text[match.end():]


def _take_weekday(text: str) -> tuple[int | None, str]:
    match = WEEKDAY.search(text)
    if match is None:
        return None, text
    prefix = match.group(1).lower()[:3]
    weekday = next(i for i, name in enumerate(WEEKDAYS) if name.startswith(prefix))
    return weekday, text[: match.start()] + " " + text[match.end():]


def _take_time(text: str) -> tuple[str | None, str]:
    match = TIME.search(text)
    if match is None:
        return None, text
    if match.group(1) is not None:
        hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3).lower()
        if not 1 <= hour <= 12:
            raise SpecError(f"{match.group(0).strip()!r} is not a time of day")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    elif match.group(4) is not None:
        hour, minute = int(match.group(4)), int(match.group(5))
    else:
        hour, minute = int(match.group(6)), 0
    if hour > 23 or minute > 59:
        raise SpecError(f"{match.group(0).strip()!r} is not a time of day")
    return f"{hour:02d}:{minute:02d}", text[: match.start()] + " " + text[match.end():]
