"""Sends the due surveys of every open campaign, one claimed delivery at a time, and the reminders.

Per delivery: claim it in the database → users.info (bot? time zone) → quiet hours: give it back for later →
the 90-day rule (atomic reservation) → conversations.open → chat.postMessage → record it as sent.
A crash between the claim and the record leaves the delivery claimed; once its lease runs out, `recover`
looks for the message in the conversation (message metadata carries the delivery id): found → recorded as
sent; absent → sent again; Slack cannot be asked → `uncertain`, never retried. Nobody gets two surveys.
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta

from slack_sdk.errors import SlackApiError
from sqlalchemy import Engine

from bot.surveys.gateway import RateLimited, SurveySlack, error_code
from kpi_engine.settings import Settings
from surveys.blocks import message_metadata, survey_blocks, survey_text
from surveys.campaigns import Campaign, expire_campaigns, get_campaign
from surveys.clock import Clock, epoch_of
from surveys.config import SurveySettings
from surveys.deliveries import (
    DueDelivery,
    SentDelivery,
    claim_for_sending,
    defer_planned,
    due_deliveries,
    finish_unsent,
    mark_sent,
    release_claim,
    release_contact,
    stale_claims,
    take_over_claim,
)
from surveys.ids import pseudonym
from surveys.links import account_for
from surveys.quiet import quiet_until, zone_of
from surveys.reminders import claim_reminder, defer_reminder, due_reminders, finish_reminder

logger = logging.getLogger(__name__)
RETRY_LATER = timedelta(minutes=1)
HISTORY_MARGIN_SECONDS = 120.0


@dataclass
class SendReport:
    outcomes: Counter[str] = field(default_factory=Counter)

    def __getitem__(self, outcome: str) -> int:
        return self.outcomes[outcome]


class CampaignSender:
    def __init__(self, engine: Engine, slack: SurveySlack, rules: SurveySettings, settings: Settings,
                 clock: Clock, should_stop: Callable[[], bool] = lambda: False) -> None:
        self.engine = engine
        self.slack = slack
        self.rules = rules
        self.default_zone = rules.default_timezone or settings.kpi_timezone
        self.settings = settings  # where the contract's users are read (the respondent's account)
        self.clock = clock
        self.should_stop = should_stop
        self._campaigns: dict[str, Campaign] = {}
        self._lock = threading.Lock()

    def run_once(self, batch: int = 200) -> SendReport:
        """Everything due now: expiry, stale claims, surveys, reminders. Returns what happened."""
        report = SendReport()
        self._campaigns.clear()
        expire_campaigns(self.engine, self.clock.now())
        for stale in stale_claims(self.engine, self.clock.now(), self.rules.claim_lease_seconds):
            report.outcomes[self.recover(stale)] += 1
        threads = self.rules.sender_threads
        pool = ThreadPoolExecutor(threads, thread_name_prefix="kpibot-survey-send") if threads > 1 else None
        try:
            while not self.should_stop():
                due = due_deliveries(self.engine, self.clock.now(), batch)
                if not due:
                    break
                outcomes = pool.map(self._send_unless_stopping, due) if pool else map(self._send_unless_stopping, due)
                report.outcomes.update(outcome for outcome in outcomes if outcome)
        finally:
            if pool is not None:
                pool.shutdown(wait=True)
        for reminder_outcome in self.send_reminders():
            report.outcomes[reminder_outcome] += 1
        return report

    def campaign(self, campaign_id: str) -> Campaign:
        with self._lock:
            if campaign_id not in self._campaigns:
                self._campaigns[campaign_id] = get_campaign(self.engine, campaign_id)
            return self._campaigns[campaign_id]

    def _send_unless_stopping(self, due: DueDelivery) -> str | None:
        return None if self.should_stop() else self.send(due)

    # one delivery -------------------------------------------------------------------------------------
    def send(self, due: DueDelivery) -> str:
        engine = self.engine
        facts = self.slack.person(due.slack_user_id)  # before claiming: no claim is held while Slack is slow
        if facts is not None and (facts.is_bot or facts.deleted):
            finish_unsent(engine, due.delivery_id, None, "skipped", "not_a_person")
            return "skipped"
        tz = facts.tz if facts is not None else None
        zone = zone_of(tz, self.default_zone)
        until = quiet_until(self.clock.now(), zone, self.rules.quiet_start, self.rules.quiet_end)
        if until is not None:
            defer_planned(engine, due.delivery_id, until, tz)
            return "deferred"
        claim = claim_for_sending(engine, due, self.clock.now(), self.rules.cooldown_days, self.settings)
        if claim.token is None:
            return "skipped" if claim.outcome == "asked_recently" else claim.outcome
        return self._post(due, claim.token, tz, claim.account_id)

    def _post(self, due: DueDelivery, token: str, tz: str | None, account_id: str | None) -> str:
        engine, user = self.engine, due.slack_user_id
        campaign = self.campaign(due.campaign_id)
        try:
            channel = campaign.post_in_channel or self.slack.open_dm(user)
        except SlackApiError as exc:
            return self._refused(due, token, exc)
        except Exception as exc:  # nothing was posted yet: try again later
            logger.warning("conversations.open for %s failed: %s", user, exc)
            release_claim(engine, due.delivery_id, token, not_before=self.clock.now() + RETRY_LATER, tz=tz)
            return "retry_later"
        addressee = user if campaign.post_in_channel else None
        try:
            ts = self.slack.post(channel, text=survey_text(campaign),
                                 blocks=survey_blocks(campaign, due.delivery_id, addressee=addressee),
                                 metadata=message_metadata(campaign, due.delivery_id))
        except RateLimited:
            release_claim(engine, due.delivery_id, token, not_before=self.clock.now(), tz=tz)
            return "rate_limited"
        except SlackApiError as exc:
            if exc.response is not None and exc.response.status_code == 200:
                return self._refused(due, token, exc)
            logger.warning("chat.postMessage for %s: %s; left claimed, checked after the lease", user, exc)
            return "unconfirmed"
        except Exception as exc:  # the connection broke: Slack may or may not have the message
            logger.warning("chat.postMessage for %s: %s; left claimed, checked after the lease", user, exc)
            return "unconfirmed"
        respondent = pseudonym(campaign.campaign_id, user) if campaign.anonymous else user
        mark_sent(engine, SentDelivery(due.delivery_id, campaign.campaign_id, campaign.survey, respondent, account_id,
                                       channel, ts, self.clock.now(), tz), token)
        return "sent"

    def _refused(self, due: DueDelivery, token: str, exc: SlackApiError) -> str:
        """Slack said no for good (invalid_user_combination, user_not_found, …): reported in the status."""
        code = error_code(exc)
        logger.info("survey %s to %s refused: %s", due.delivery_id, due.slack_user_id, code)
        finish_unsent(self.engine, due.delivery_id, token, "failed", code)
        release_contact(self.engine, due.slack_user_id, due.delivery_id)
        return "failed"

    # crash recovery -----------------------------------------------------------------------------------
    def recover(self, stale: DueDelivery) -> str:
        token = take_over_claim(self.engine, stale, self.clock.now())
        if token is None:
            return "taken_by_another_sender"
        campaign = self.campaign(stale.campaign_id)
        claimed_at = stale.claimed_at or self.clock.now()
        try:
            channel = campaign.post_in_channel or self.slack.open_dm(stale.slack_user_id)
            ts = self.slack.find_posted(channel, stale.delivery_id, epoch_of(claimed_at) - HISTORY_MARGIN_SECONDS)
        except Exception as exc:  # cannot tell whether Slack has it: never risk a second survey
            reason = error_code(exc) if isinstance(exc, SlackApiError) else type(exc).__name__
            finish_unsent(self.engine, stale.delivery_id, token, "uncertain", f"unverifiable:{reason}")
            return "uncertain"
        if ts is None:
            release_claim(self.engine, stale.delivery_id, token, not_before=self.clock.now())
            return "recovered_unsent"
        with self.engine.connect() as conn:
            account_id = account_for(conn, stale.slack_user_id, self.settings)
        respondent = pseudonym(campaign.campaign_id, stale.slack_user_id) if campaign.anonymous else stale.slack_user_id
        mark_sent(self.engine, SentDelivery(stale.delivery_id, campaign.campaign_id, campaign.survey, respondent,
                                            account_id, channel, ts, claimed_at), token)
        return "recovered_sent"

    # reminders ----------------------------------------------------------------------------------------
    def send_reminders(self) -> list[str]:
        outcomes: list[str] = []
        for due in due_reminders(self.engine, self.clock.now(), self.rules.reminder_after_hours):
            if self.should_stop():
                break
            zone = zone_of(due.tz, self.default_zone)
            until = quiet_until(self.clock.now(), zone, self.rules.quiet_start, self.rules.quiet_end)
            if until is not None:
                defer_reminder(self.engine, due.delivery_id, until)
                outcomes.append("reminder_deferred")
                continue
            if not claim_reminder(self.engine, due.delivery_id):
                continue
            campaign = self.campaign(due.campaign_id)
            addressee = due.slack_user_id if campaign.post_in_channel else None
            try:
                blocks = survey_blocks(campaign, due.delivery_id, addressee=addressee, reminder=True)
                ts = self.slack.post(due.channel_id, text=survey_text(campaign, reminder=True), blocks=blocks,
                                     metadata=message_metadata(campaign, due.delivery_id))
            except RateLimited:
                finish_reminder(self.engine, due.delivery_id, None, None)
                outcomes.append("rate_limited")
                continue
            except Exception as exc:  # a reminder is never worth a risk of a duplicate: given up
                logger.info("reminder %s failed: %s", due.delivery_id, exc)
                finish_reminder(self.engine, due.delivery_id, "failed", None)
                outcomes.append("reminder_failed")
                continue
            finish_reminder(self.engine, due.delivery_id, "sent", ts)
            outcomes.append("reminded")
        return outcomes
