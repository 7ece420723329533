"""Parsing `survey …` texts and targets (no Slack, no database)."""

from __future__ import annotations

import pytest

from surveys.commands import (
    CloseCommand,
    CommandError,
    HelpCommand,
    LinkCommand,
    ListCommand,
    ResultsCommand,
    SendCommand,
    StatusCommand,
    is_survey_command,
    parse_survey_command,
)
from surveys.kinds import CES, CSAT, DEFAULT_FOLLOW_UP, NPS, alerts_on, kind_of
from surveys.targets import Target, parse_target


def test_escaped_slack_mentions_emails_groups_and_channels() -> None:
    command = parse_survey_command(
        "survey send nps to <@U0ANN|ann> <@U0BOB> <#C0CUST|customers> <!subteam^S0CX|@cx> "
        "<mailto:Eve@Example.com|Eve@Example.com> dan@example.com")
    assert isinstance(command, SendCommand)
    assert command.survey == "nps"
    assert command.targets == (Target("user", "U0ANN"), Target("user", "U0BOB"), Target("channel", "C0CUST"),
                               Target("group", "S0CX"), Target("email", "eve@example.com"),
                               Target("email", "dan@example.com"))
    assert (command.anonymous, command.in_channel, command.question, command.follow_up, command.expire_days) == (
        False, False, None, DEFAULT_FOLLOW_UP, None)


def test_send_options_with_smart_quotes_and_raw_ids() -> None:
    command = parse_survey_command(
        'send csat U0ANN W0GRIDUSER anonymous question “How was onboarding?” no follow-up expires in 7 days '
        "topic onboarding")
    assert isinstance(command, SendCommand)
    assert command.targets == (Target("user", "U0ANN"), Target("user", "W0GRIDUSER"))
    assert command.anonymous is True
    assert command.question == "How was onboarding?"
    assert command.follow_up is None
    assert command.expire_days == 7
    assert command.topic == "onboarding"


def test_in_channel_needs_exactly_one_channel() -> None:
    command = parse_survey_command("survey send ces to <#C0SHARED|acme-shared> in channel")
    assert isinstance(command, SendCommand) and command.in_channel
    with pytest.raises(CommandError, match="exactly one channel"):
        parse_survey_command("survey send ces to <#C0SHARED> <@U0ANN> in channel")


@pytest.mark.parametrize("text, message", [
    ("survey send", "Say which survey"),
    ("survey send nps", "Say whom to ask"),
    ("survey send nps to @ann", "can't tell who `@ann`"),
    ("survey send nps to <@U0ANN> expires in 0 days", "1 to 365"),
    ("survey frobnicate", "don't know"),
    ("survey close", "which campaign"),
    ("survey link ann acc-1", "survey link @person"),
])
def test_mistakes_get_a_helpful_message(text: str, message: str) -> None:
    with pytest.raises(CommandError, match=message):
        parse_survey_command(text)


def test_other_commands() -> None:
    assert parse_survey_command("survey") == HelpCommand()
    assert parse_survey_command("survey status") == StatusCommand(None)
    assert parse_survey_command("survey status nps-20260301-abc123") == StatusCommand("nps-20260301-abc123")
    assert parse_survey_command("survey list") == ListCommand()
    assert parse_survey_command("survey close c1") == CloseCommand("c1")
    assert parse_survey_command("survey link <@U0ANN|ann> acc-1") == LinkCommand("U0ANN", "acc-1")
    assert parse_survey_command("survey results") == ResultsCommand()
    assert parse_survey_command("survey results nps detractors plan pro") == ResultsCommand(
        None, "nps", "detractor", "pro")
    assert parse_survey_command("survey results c1 promoters by plan") == ResultsCommand("c1", None, "promoter", None)
    assert is_survey_command("survey send nps to <@U1>") and is_survey_command("Surveys")
    assert not is_survey_command("nps by plan this quarter")


def test_target_tokens() -> None:
    assert parse_target("<@U0ANN|ann>,") == Target("user", "U0ANN")
    assert parse_target("#general") is None  # a plain channel name needs escaping on (manifest should_escape)
    assert parse_target("@ann") is None
    assert Target("group", "S1").describe() == "<!subteam^S1>"


def test_kinds_wording_and_sentiment() -> None:
    assert NPS.question("Acme") == "How likely are you to recommend Acme to a friend or colleague?"
    assert CES.question("Acme") == "Acme made it easy to handle my issue."
    assert list(NPS.scores) == list(range(0, 11)) and list(CSAT.scores) == [1, 2, 3, 4, 5]
    assert list(CES.scores) == [1, 2, 3, 4, 5, 6, 7]
    assert [NPS.sentiment(s) for s in (0, 6, 7, 8, 9, 10)] == [
        "detractor", "detractor", "passive", "passive", "promoter", "promoter"]
    assert [CSAT.sentiment(s) for s in (1, 2, 3, 4, 5)] == ["detractor", "detractor", "passive", "promoter", "promoter"]
    assert [alerts_on(NPS, 6), alerts_on(NPS, 7), alerts_on(CSAT, 2), alerts_on(CSAT, 3), alerts_on(CES, 1)] == [
        True, False, True, False, False]
    assert kind_of(" NPS ") is NPS
    with pytest.raises(ValueError, match="nps, csat or ces"):
        kind_of("ltv")
