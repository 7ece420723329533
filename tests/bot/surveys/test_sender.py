"""Sending campaigns against the fake Slack with an injected clock (SQLite and PostgreSQL): audiences, quiet
hours, pace, 429s, refused DMs, the 90-day rule, reminders and expiry."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.surveys.campaign_service import start_campaign
from surveys.answers import load_delivery, record_score
from surveys.campaigns import get_campaign
from surveys.ids import delivery_id
from surveys.presenting import status_lines
from surveys.status import campaign_status
from tests.bot.support.fake_slack import BOT_USER_ID
from tests.bot.surveys.fake_survey_slack import SurveyFakeSlack
from tests.bot.surveys.helpers import RecordingSlack, delivered, send_command, sender_with, statuses
from tests.surveys.support import FakeClock


def start(runtime, text: str) -> str:  # type: ignore[no-untyped-def]
    started = start_campaign(runtime, send_command(text), team_id="T0TEAM", created_by="U0ADMIN",
                             bot_user_id=BOT_USER_ID)
    return started.campaign.campaign_id


def test_people_emails_groups_and_channel_members_each_asked_once(fake: SurveyFakeSlack, make_runtime) -> None:
    fake.people("U0ANN", "U0BOB", "U0CAT", "U0DAN", "U0EVE")
    fake.add_user("U0HELPER", is_bot=True)
    fake.emails["eve@example.com"] = "U0EVE"
    fake.groups["S0CX"] = ["U0CAT", "U0DAN"]
    fake.members["C0CUST"] = ["U0DAN", "U0ANN", BOT_USER_ID, "U0HELPER"]  # 2 pages of 2
    runtime = make_runtime()
    campaign_id = start(runtime, "survey send nps to <@U0ANN> <@U0BOB> <!subteam^S0CX|@cx> <#C0CUST|cust> "
                                 "eve@example.com nobody@example.com <#C0GONE|gone>")
    report = runtime.run_once()
    assert (report["sent"], report["skipped"]) == (5, 1)
    assert fake.surveys_per_user() == {"D0ANN": 1, "D0BOB": 1, "D0CAT": 1, "D0DAN": 1, "D0EVE": 1}
    sent = {u: "sent" for u in ("U0ANN", "U0BOB", "U0CAT", "U0DAN", "U0EVE")}
    assert statuses(runtime.engine, campaign_id) == sent | {"U0HELPER": "skipped:not_a_person"}
    assert delivered(runtime.engine, campaign_id) == 5
    question = fake.surveys_posted("D0ANN")[0]
    assert question["text"] == "How likely are you to recommend us to a friend or colleague?"
    campaign = get_campaign(runtime.engine, campaign_id)
    lines = status_lines(campaign_status(runtime.engine, campaign, runtime.clock.now()))
    assert lines[1] == "6 people: 5 sent, 0 answered, 0 reminded"
    assert "1 skipped: bots or deactivated accounts" in lines
    assert lines[-1] == ("Could not reach: nobody@example.com — no Slack user has this email; "
                         "<#C0GONE> — I'm not a member: invite me with `/invite @KPI Bot`")


def test_quiet_hours_defer_to_the_respondents_morning(fake: SurveyFakeSlack, make_runtime, clock: FakeClock) -> None:
    fake.people("U0PARIS")
    fake.people("U0LA", tz="America/Los_Angeles")  # 10:00 UTC = 02:00 in Los Angeles
    fake.add_user("U0NOTZ")  # Slack gives no zone: the reporting zone (UTC) decides
    runtime = make_runtime()
    campaign_id = start(runtime, "survey send csat to <@U0PARIS> <@U0LA> <@U0NOTZ>")
    report = runtime.run_once()
    assert (report["sent"], report["deferred"]) == (2, 1)
    status = campaign_status(runtime.engine, get_campaign(runtime.engine, campaign_id), clock.now())
    assert (status.sent, status.deferred, status.next_due) == (2, 1, datetime(2026, 3, 2, 16, 0))  # 08:00 PST
    clock.advance(6 * 3600 - 1)
    assert runtime.run_once()["sent"] == 0
    clock.advance(1)
    assert runtime.run_once()["sent"] == 1
    assert fake.surveys_per_user() == {"D0PARIS": 1, "D0LA": 1, "D0NOTZ": 1}


def test_pace_overall_and_per_channel(fake: SurveyFakeSlack, make_runtime) -> None:
    users = [f"U0P{i}" for i in range(6)]
    fake.people(*users)
    runtime = make_runtime(KPIBOT_SURVEY_MESSAGES_PER_SECOND=2)
    start(runtime, "survey send nps to " + " ".join(f"<@{u}>" for u in users))
    slack = RecordingSlack(runtime)
    sender_with(runtime, slack).run_once()
    gaps = [b - a for a, b in zip(slack.post_times, slack.post_times[1:], strict=False)]
    assert len(slack.post_times) == 6 and min(gaps) >= 0.5 - 1e-9

    fake.members["C0SHARED"] = ["U0X1", "U0X2", "U0X3"]
    fake.people("U0X1", "U0X2", "U0X3")
    fast = make_runtime(KPIBOT_SURVEY_MESSAGES_PER_SECOND=100)
    start(fast, "survey send ces to <#C0SHARED|acme-shared> in channel")
    in_channel = RecordingSlack(fast)
    sender_with(fast, in_channel).run_once()
    gaps = [b - a for a, b in zip(in_channel.post_times, in_channel.post_times[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 1.0 - 1e-9  # one message per second in one channel
    posted = fake.surveys_posted("C0SHARED")
    assert sorted(m["blocks"][0]["text"]["text"].split(",")[0] for m in posted) == ["<@U0X1>", "<@U0X2>", "<@U0X3>"]


def test_429_waits_retry_after_and_continues(fake: SurveyFakeSlack, make_runtime, clock: FakeClock) -> None:
    users = [f"U0R{i}" for i in range(4)]
    fake.people(*users)
    fake.rate_limit("chat.postMessage", retry_after=3, times=1)
    fake.rate_limit("users.info", retry_after=2, times=1)
    runtime = make_runtime()
    campaign_id = start(runtime, "survey send nps to " + " ".join(f"<@{u}>" for u in users))
    report = runtime.run_once()
    assert (report["sent"], report["rate_limited"]) == (4, 1)
    assert 3 in clock.sleeps and 2 in clock.sleeps
    assert len(fake.calls("chat.postMessage")) == 5  # one refused with 429, then four posted
    assert fake.surveys_per_user() == {f"D0R{i}": 1 for i in range(4)}
    assert set(statuses(runtime.engine, campaign_id).values()) == {"sent"}


def test_external_user_without_a_shared_channel_is_reported(fake: SurveyFakeSlack, make_runtime) -> None:
    fake.people("U0ANN")
    fake.dm_refused["U0EXT"] = "invalid_user_combination"
    runtime = make_runtime()
    campaign_id = start(runtime, "survey send nps to <@U0ANN> <@U0EXT>")  # users.info fails too: no zone known
    report = runtime.run_once()
    assert (report["sent"], report["failed"]) == (1, 1)
    campaign = get_campaign(runtime.engine, campaign_id)
    status = campaign_status(runtime.engine, campaign, runtime.clock.now())
    assert status.failed == {"invalid_user_combination": 1} and status.failed_people == {
        "invalid_user_combination": ["U0EXT"]}
    assert "1 not delivered (invalid_user_combination): <@U0EXT>" in status_lines(status)
    fake.dm_refused.clear()  # the failed attempt did not count as asking them: a later campaign may
    start(runtime, "survey send csat to <@U0EXT>")
    assert runtime.run_once()["sent"] == 1


def test_nobody_is_asked_twice_within_ninety_days(fake: SurveyFakeSlack, make_runtime, clock: FakeClock) -> None:
    fake.people("U0ANN", "U0BOB", "U0CAT")
    runtime = make_runtime()
    start(runtime, "survey send nps to <@U0ANN> <@U0BOB>")
    runtime.run_once()
    second = start(runtime, "survey send csat to <@U0BOB> <@U0CAT>")
    runtime.run_once()
    assert statuses(runtime.engine, second) == {"U0BOB": "skipped:asked_recently", "U0CAT": "sent"}
    clock.advance(90 * 86400)
    third = start(runtime, "survey send ces to <@U0BOB>")
    runtime.run_once()
    assert statuses(runtime.engine, third) == {"U0BOB": "sent"}


def test_one_reminder_after_three_days_outside_quiet_hours(fake: SurveyFakeSlack, make_runtime,
                                                           clock: FakeClock) -> None:
    fake.people("U0ANN", "U0BOB")
    fake.people("U0LA", tz="America/Los_Angeles")
    runtime = make_runtime()
    campaign_id = start(runtime, "survey send nps to <@U0ANN> <@U0BOB>")
    runtime.run_once()
    clock.advance(6 * 3600)  # 16:00 UTC: morning in Los Angeles
    start(runtime, "survey send csat to <@U0LA>")
    runtime.run_once()
    record_score(runtime.engine, load_delivery(runtime.engine, delivery_id(campaign_id, "U0ANN")), 9, clock.now())
    clock.advance(66 * 3600 - 1)  # 72 h after the first campaign, less a second
    assert runtime.run_once()["reminded"] == 0
    clock.advance(1)  # Monday + 3 days, 10:00 UTC; 02:00 in Los Angeles (not due there yet anyway)
    assert runtime.run_once()["reminded"] == 1
    reminders = [m for m in fake.surveys_posted() if m["text"].startswith("Reminder")]
    assert [m["channel"] for m in reminders] == ["D0BOB"]
    clock.advance(6 * 3600)  # 16:00 UTC: 72 h for Los Angeles, 08:00 there
    assert runtime.run_once()["reminded"] == 1
    clock.advance(86400)
    assert runtime.run_once()["reminded"] == 0  # only one reminder each


def test_reminder_waits_for_the_morning(fake: SurveyFakeSlack, make_runtime, clock: FakeClock) -> None:
    fake.people("U0LA", tz="America/Los_Angeles")
    clock.advance(6 * 3600)  # 16:00 UTC = 08:00 in Los Angeles: sent now
    runtime = make_runtime()
    start(runtime, "survey send nps to <@U0LA>")
    assert runtime.run_once()["sent"] == 1
    clock.advance(72 * 3600 + 13 * 3600)  # 21:00 in Los Angeles: quiet
    assert runtime.run_once()["reminder_deferred"] == 1
    clock.advance(10 * 3600)  # 07:00
    assert runtime.run_once()["reminded"] == 0
    clock.advance(3600)  # 08:00
    assert runtime.run_once()["reminded"] == 1


def test_expired_campaigns_stop_sending(fake: SurveyFakeSlack, make_runtime, clock: FakeClock) -> None:
    fake.people("U0LA", tz="America/Los_Angeles")
    runtime = make_runtime()
    campaign_id = start(runtime, "survey send nps to <@U0LA> expires in 1 day")
    assert runtime.run_once()["deferred"] == 1
    clock.advance(timedelta(days=1).total_seconds())
    runtime.run_once()
    assert get_campaign(runtime.engine, campaign_id).status == "expired"
    assert statuses(runtime.engine, campaign_id) == {"U0LA": "skipped:expired"}
    assert fake.surveys_posted() == []
