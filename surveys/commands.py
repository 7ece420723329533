"""`survey ...` as typed after `/kpi` (or `kpibot survey` in a chat): parsed into a command, no Slack, no database.

    survey send nps to @ann @bob #customers [anonymous] [in channel] [question "…"] [follow-up "…" | no follow-up]
                [expires in 7 days] [topic onboarding]
    survey status [CAMPAIGN] · survey results [CAMPAIGN | nps | csat | ces] [detractors|passives|promoters] [plan P]
    survey list · survey close CAMPAIGN · survey link @ann ACCOUNT_ID · survey help
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from surveys.kinds import DEFAULT_FOLLOW_UP, KINDS, Sentiment, kind_of
from surveys.targets import Target, parse_target, parse_targets

TOKEN = re.compile(r'<[^>]*>|"[^"]*"|\S+')
SMART_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'"})
SENTIMENTS: dict[str, Sentiment] = {
    "detractors": "detractor", "detractor": "detractor", "passives": "passive", "passive": "passive",
    "promoters": "promoter", "promoter": "promoter",
}


class CommandError(ValueError):
    """What the person typed cannot be understood; the message says how to say it."""


@dataclass(frozen=True)
class SendCommand:
    survey: str
    targets: tuple[Target, ...]
    anonymous: bool = False
    in_channel: bool = False
    question: str | None = None  # None: the standard wording
    follow_up: str | None = DEFAULT_FOLLOW_UP  # None: no "Tell us why"
    expire_days: int | None = None  # None: the configured default
    topic: str | None = None


@dataclass(frozen=True)
class StatusCommand:
    campaign_id: str | None = None


@dataclass(frozen=True)
class ResultsCommand:
    campaign_id: str | None = None
    survey: str | None = None  # the latest campaign of this kind when no campaign is named
    sentiment: Sentiment | None = None
    plan: str | None = None


@dataclass(frozen=True)
class ListCommand:
    pass


@dataclass(frozen=True)
class CloseCommand:
    campaign_id: str


@dataclass(frozen=True)
class LinkCommand:
    slack_user_id: str
    account_id: str


@dataclass(frozen=True)
class HelpCommand:
    pass


SurveyCommand = (SendCommand | StatusCommand | ResultsCommand | ListCommand | CloseCommand | LinkCommand
                 | HelpCommand)


def tokenize(text: str) -> list[str]:
    return [t[1:-1] if len(t) >= 2 and t[0] == t[-1] == '"' else t for t in TOKEN.findall(text.translate(SMART_QUOTES))]


def is_survey_command(text: str) -> bool:
    words = text.strip().split(maxsplit=1)
    return bool(words) and words[0].lower() in ("survey", "surveys")


def parse_survey_command(text: str) -> SurveyCommand:
    tokens = tokenize(text)
    if tokens and tokens[0].lower() in ("survey", "surveys"):
        tokens = tokens[1:]
    if not tokens or tokens[0].lower() in ("help", "?"):
        return HelpCommand()
    verb, rest = tokens[0].lower(), tokens[1:]
    if verb == "send":
        return _send(rest)
    if verb == "status":
        return StatusCommand(rest[0] if rest else None)
    if verb == "results":
        return _results(rest)
    if verb == "list":
        return ListCommand()
    if verb == "close":
        if len(rest) != 1:
            raise CommandError("Say which campaign to close: `survey close CAMPAIGN_ID` (see `survey list`).")
        return CloseCommand(rest[0])
    if verb == "link":
        user = parse_target(rest[0]) if len(rest) == 2 else None
        if user is None or user.kind != "user":
            raise CommandError("Link a person to an account with `survey link @person ACCOUNT_ID`.")
        return LinkCommand(user.value, rest[1])
    raise CommandError(f"I don't know `survey {tokens[0]}`. Try `survey help`.")


@dataclass
class _SendOptions:
    anonymous: bool = False
    in_channel: bool = False
    question: str | None = None
    follow_up: str | None = DEFAULT_FOLLOW_UP
    expire_days: int | None = None
    topic: str | None = None
    rest: list[str] = field(default_factory=list)


def _send(tokens: list[str]) -> SendCommand:
    if not tokens or tokens[0].lower() not in KINDS:
        raise CommandError("Say which survey to send: `survey send nps|csat|ces to @person @other #channel`.")
    survey = kind_of(tokens[0]).name
    words = tokens[1:]
    if words and words[0].lower() == "to":
        words = words[1:]
    options = _send_options(words)
    targets, unknown = parse_targets(options.rest)
    if unknown:
        raise CommandError(
            f"I can't tell who {', '.join(f'`{u}`' for u in unknown)} is. Mention people (@ann), user groups "
            "(@cx-team) or channels (#customers), or give email addresses.")
    if not targets:
        raise CommandError("Say whom to ask: `survey send nps to @person @other #channel someone@example.com`.")
    if options.in_channel and [t.kind for t in targets] != ["channel"]:
        raise CommandError("`in channel` posts the survey into one channel: name exactly one channel and no one else.")
    return SendCommand(survey, tuple(targets), options.anonymous, options.in_channel, options.question,
                       options.follow_up, options.expire_days, options.topic)


def _send_options(words: list[str]) -> _SendOptions:
    options = _SendOptions()
    i = 0
    while i < len(words):
        word = words[i].lower()
        following = words[i + 1].lower() if i + 1 < len(words) else ""
        if word in ("and", ",", "&"):
            i += 1
        elif word in ("anonymous", "anonymously", "--anonymous"):
            options.anonymous, i = True, i + 1
        elif word in ("in-channel", "--in-channel") or (word == "in" and following == "channel"):
            options.in_channel, i = True, i + (1 if word != "in" else 2)
        elif word in ("question", "asking", "--question"):
            options.question, i = _value(words, i, "question"), i + 2
        elif word in ("follow-up", "followup", "--follow-up"):
            options.follow_up, i = _value(words, i, "follow-up"), i + 2
        elif word == "no" and following in ("follow-up", "followup", "comment"):
            options.follow_up, i = None, i + 2
        elif word in ("expires", "expire", "--expires"):
            options.expire_days, i = _days(words, i + 1)
        elif word in ("topic", "--topic"):
            options.topic, i = _value(words, i, "topic"), i + 2
        else:
            options.rest.append(words[i])
            i += 1
    return options


def _value(words: list[str], i: int, name: str) -> str:
    if i + 1 >= len(words) or not words[i + 1].strip():
        raise CommandError(f'Give the {name} in quotes, e.g. {name} "…".')
    return words[i + 1].strip()


def _days(words: list[str], i: int) -> tuple[int, int]:
    if i < len(words) and words[i].lower() in ("in", "after"):
        i += 1
    if i >= len(words) or not words[i].isdigit() or not 1 <= int(words[i]) <= 365:
        raise CommandError("Say when the survey closes like `expires in 7 days` (1 to 365 days).")
    days = int(words[i])
    i += 1
    if i < len(words) and words[i].lower() in ("day", "days"):
        i += 1
    return days, i


def _results(tokens: list[str]) -> ResultsCommand:
    campaign_id = survey = plan = None
    sentiment: Sentiment | None = None
    i = 0
    while i < len(tokens):
        word = tokens[i].lower()
        if word in SENTIMENTS:
            sentiment = SENTIMENTS[word]
        elif word == "by" and i + 1 < len(tokens) and tokens[i + 1].lower() == "plan":
            i += 1  # the breakdown by plan is always shown
        elif word == "plan" and i + 1 < len(tokens):
            plan, i = tokens[i + 1], i + 1
        elif word in KINDS:
            survey = word
        elif campaign_id is None:
            campaign_id = tokens[i]
        else:
            raise CommandError("Ask like `survey results [CAMPAIGN] [detractors|passives|promoters] [plan PLAN]`.")
        i += 1
    return ResultsCommand(campaign_id, survey, sentiment, plan)
