"""Campaign storage and the delivery state machine on SQLite and PostgreSQL: planning, exclusive claims,
the 90-day rule, recording a sent survey, stale claims and expiry."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from kpi_engine.db.models import SurveyDelivery
from kpi_engine.db.models.survey_campaigns import SurveyContact, SurveyDeliveryState
from surveys.campaigns import Recipient, expire_campaigns, get_campaign, plan_deliveries
from surveys.deliveries import (
    SentDelivery,
    claim_delivery,
    due_deliveries,
    finish_unsent,
    mark_sent,
    release_claim,
    release_contact,
    reserve_contact,
    stale_claims,
    take_over_claim,
)
from surveys.ids import delivery_id
from tests.surveys.support import new_campaign

T0 = datetime(2026, 3, 2, 10, 0)
STATE = SurveyDeliveryState.__table__


def states(engine: Engine, campaign_id: str) -> dict[str, str]:
    with engine.connect() as conn:
        rows = conn.execute(select(STATE.c.slack_user_id, STATE.c.status).where(STATE.c.campaign_id == campaign_id))
        return {r.slack_user_id: r.status for r in rows}


def test_one_delivery_per_person_even_when_planned_twice(engine: Engine) -> None:
    campaign = new_campaign(engine, ["U1", "U2", "U1"], T0)
    assert states(engine, campaign.campaign_id) == {"U1": "planned", "U2": "planned"}
    total = plan_deliveries(engine, campaign.campaign_id, [Recipient("U2", "channel:C1"), Recipient("U3", "user:U3")],
                            T0)
    assert total == 3
    assert get_campaign(engine, campaign.campaign_id).expires_at == T0 + timedelta(days=14)
    due = due_deliveries(engine, T0)
    assert sorted(d.slack_user_id for d in due) == ["U1", "U2", "U3"]
    assert delivery_id(campaign.campaign_id, "U1") == delivery_id(campaign.campaign_id, "U1") != delivery_id(
        campaign.campaign_id, "U2")


def test_exactly_one_of_many_concurrent_claims_wins(engine: Engine) -> None:
    campaign = new_campaign(engine, ["U1"], T0)
    did = delivery_id(campaign.campaign_id, "U1")
    with ThreadPoolExecutor(8) as pool:
        tokens = list(pool.map(lambda _: claim_delivery(engine, did, T0), range(16)))
    assert len([t for t in tokens if t]) == 1
    assert due_deliveries(engine, T0) == []
    assert states(engine, campaign.campaign_id) == {"U1": "claimed"}


def test_release_defers_and_only_the_owner_can(engine: Engine) -> None:
    campaign = new_campaign(engine, ["U1"], T0)
    did = delivery_id(campaign.campaign_id, "U1")
    token = claim_delivery(engine, did, T0)
    assert token is not None
    assert not release_claim(engine, did, "someone-else", not_before=T0)
    assert release_claim(engine, did, token, not_before=T0 + timedelta(hours=9), tz="Asia/Tokyo")
    assert due_deliveries(engine, T0 + timedelta(hours=8)) == []
    assert [d.delivery_id for d in due_deliveries(engine, T0 + timedelta(hours=9))] == [did]


def test_ninety_day_rule_across_campaigns(engine: Engine) -> None:
    first, second = "c1.x", "c2.y"
    assert reserve_contact(engine, first, "U1", T0, 90)
    assert reserve_contact(engine, first, "U1", T0 + timedelta(minutes=5), 90)  # its own reservation again
    assert not reserve_contact(engine, second, "U1", T0 + timedelta(days=89, hours=23), 90)
    assert reserve_contact(engine, second, "U1", T0 + timedelta(minutes=5) + timedelta(days=90), 90)
    release_contact(engine, "U1", first)  # not the latest: nothing happens
    with engine.connect() as conn:
        assert conn.scalar(select(SurveyContact.__table__.c.last_delivery_id)) == second
    release_contact(engine, "U1", second)
    assert reserve_contact(engine, "c3.z", "U1", T0 + timedelta(days=91), 90)


def test_concurrent_reservations_for_one_person_let_one_through(engine: Engine) -> None:
    with ThreadPoolExecutor(6) as pool:
        granted = list(pool.map(lambda i: reserve_contact(engine, f"c{i}.d", "U9", T0, 90), range(12)))
    assert granted.count(True) == 1


def test_mark_sent_records_the_delivery_the_engine_counts(engine: Engine) -> None:
    campaign = new_campaign(engine, ["U1"], T0)
    did = delivery_id(campaign.campaign_id, "U1")
    token = claim_delivery(engine, did, T0)
    assert mark_sent(engine, SentDelivery(did, campaign.campaign_id, "nps", "U1", "acc-1", "D1", "1.000100",
                                          T0 + timedelta(seconds=2), "Europe/Paris"), token)
    assert not mark_sent(engine, SentDelivery(did, campaign.campaign_id, "nps", "U1", "acc-1", "D1", "1.000100",
                                              T0, None), token)  # already recorded
    with engine.connect() as conn:
        row = conn.execute(select(SurveyDelivery.__table__)).one()
        state = conn.execute(select(STATE)).one()
    assert (row.delivery_id, row.campaign_id, row.survey, row.respondent_id, row.account_id, row.sent_at,
            row.response_id) == (did, campaign.campaign_id, "nps", "U1", "acc-1", T0 + timedelta(seconds=2), None)
    assert (state.status, state.channel_id, state.message_ts, state.tz) == ("sent", "D1", "1.000100", "Europe/Paris")


def test_stale_claims_can_be_taken_over_once(engine: Engine) -> None:
    campaign = new_campaign(engine, ["U1", "U2"], T0)
    d1, d2 = (delivery_id(campaign.campaign_id, u) for u in ("U1", "U2"))
    claim_delivery(engine, d1, T0)
    claim_delivery(engine, d2, T0 + timedelta(minutes=9))
    stale = stale_claims(engine, T0 + timedelta(minutes=10), 600)
    assert [s.delivery_id for s in stale] == [d1]
    assert take_over_claim(engine, stale[0], T0 + timedelta(minutes=10)) is not None
    assert take_over_claim(engine, stale[0], T0 + timedelta(minutes=10)) is None  # old token no longer valid
    assert stale_claims(engine, T0 + timedelta(minutes=10), 600) == []


def test_expiry_skips_what_was_not_sent(engine: Engine) -> None:
    campaign = new_campaign(engine, ["U1", "U2"], T0, expire_days=3)
    finish_unsent(engine, delivery_id(campaign.campaign_id, "U2"), None, "failed", "invalid_user_combination")
    assert expire_campaigns(engine, T0 + timedelta(days=2)) == []
    assert expire_campaigns(engine, T0 + timedelta(days=3)) == [campaign.campaign_id]
    assert get_campaign(engine, campaign.campaign_id).status == "expired"
    assert states(engine, campaign.campaign_id) == {"U1": "skipped", "U2": "failed"}
    assert due_deliveries(engine, T0 + timedelta(days=3)) == []
