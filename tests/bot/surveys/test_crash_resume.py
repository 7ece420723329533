"""A campaign interrupted half-way and restarted: nobody gets two surveys, everybody gets one
(SQLite and PostgreSQL). The crash is a BaseException raised inside the gateway, like a process dying."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from bot.surveys.campaign_service import start_campaign
from surveys.campaigns import get_campaign
from surveys.status import campaign_status
from tests.bot.surveys.fake_survey_slack import SurveyFakeSlack
from tests.bot.surveys.helpers import (
    RecordingSlack,
    SimulatedCrash,
    delivered,
    send_command,
    sender_with,
    statuses,
)
from tests.surveys.support import FakeClock

PEOPLE = [f"U0C{i:02d}" for i in range(10)]


def start_ten(fake: SurveyFakeSlack, make_runtime):  # type: ignore[no-untyped-def]
    fake.people(*PEOPLE)
    runtime = make_runtime()
    command = send_command("survey send nps to " + " ".join(f"<@{u}>" for u in PEOPLE))
    campaign = start_campaign(runtime, command, team_id="T0TEAM", created_by="U0ADMIN", bot_user_id=None).campaign
    return runtime, campaign.campaign_id


@pytest.mark.parametrize("after_post", [True, False], ids=["slack-got-it", "slack-never-got-it"])
def test_interrupted_campaign_resumes_without_duplicates(fake: SurveyFakeSlack, make_runtime, clock: FakeClock,
                                                         after_post: bool) -> None:
    runtime, campaign_id = start_ten(fake, make_runtime)
    with pytest.raises(SimulatedCrash):
        sender_with(runtime, RecordingSlack(runtime, crash_on_post=5, crash_after_post=after_post)).run_once()
    assert len(fake.surveys_posted()) == (5 if after_post else 4)

    restarted = sender_with(runtime, RecordingSlack(runtime))
    report = restarted.run_once()  # the crashed claim is not stale yet: left alone
    assert report["sent"] == 5
    assert list(statuses(runtime.engine, campaign_id).values()).count("claimed") == 1

    clock.advance(runtime.rules.claim_lease_seconds)
    report = restarted.run_once()
    if after_post:
        assert (report["recovered_sent"], report["sent"]) == (1, 0)  # found in the DM: recorded, not re-posted
    else:
        assert (report["recovered_unsent"], report["sent"]) == (1, 1)  # not in the DM: posted now, once
    assert fake.surveys_per_user() == {"D" + u[1:]: 1 for u in PEOPLE}
    assert set(statuses(runtime.engine, campaign_id).values()) == {"sent"}
    assert delivered(runtime.engine, campaign_id) == 10


def test_unverifiable_claims_are_never_resent(fake: SurveyFakeSlack, make_runtime, clock: FakeClock) -> None:
    runtime, campaign_id = start_ten(fake, make_runtime)
    with pytest.raises(SimulatedCrash):
        sender_with(runtime, RecordingSlack(runtime, crash_on_post=3, crash_after_post=False)).run_once()
    fake.fail("conversations.history", "missing_scope")
    clock.advance(runtime.rules.claim_lease_seconds)
    report = runtime.run_once()
    assert (report["uncertain"], report["sent"]) == (1, 7)
    status = campaign_status(runtime.engine, get_campaign(runtime.engine, campaign_id), clock.now())
    assert (status.sent, status.uncertain) == (9, 1)
    assert max(fake.surveys_per_user().values()) == 1 and len(fake.surveys_posted()) == 9


def test_two_senders_at_once_send_each_survey_once(fake: SurveyFakeSlack, make_runtime) -> None:
    runtime, campaign_id = start_ten(fake, make_runtime)
    senders = [sender_with(runtime, RecordingSlack(runtime)) for _ in range(3)]
    with ThreadPoolExecutor(3) as pool:
        reports = list(pool.map(lambda s: s.run_once(), senders))
    assert sum(r["sent"] for r in reports) == 10
    assert fake.surveys_per_user() == {"D" + u[1:]: 1 for u in PEOPLE}
    assert delivered(runtime.engine, campaign_id) == 10


def test_parallel_sender_threads_send_each_survey_once(fake: SurveyFakeSlack, make_runtime) -> None:
    people = [f"U0T{i:03d}" for i in range(40)]
    fake.people(*people)
    runtime = make_runtime(KPIBOT_SURVEY_SENDER_THREADS=4, KPIBOT_SURVEY_MESSAGES_PER_SECOND=1000)
    command = send_command("survey send nps to " + " ".join(f"<@{u}>" for u in people))
    started = start_campaign(runtime, command, team_id=None, created_by="U0ADMIN", bot_user_id=None)
    campaign_id = started.campaign.campaign_id
    assert runtime.run_once()["sent"] == 40
    assert fake.surveys_per_user() == {"D" + u[1:]: 1 for u in people}
    assert delivered(runtime.engine, campaign_id) == 40
