"""Events: product usage generated a week at a time (bounded memory), calibrated to the scale's size.

A user may be active on a day after it signed up while its account is in use (free users: for a few
weeks). The chance of being active falls with tenure (retention) and follows the week and the season.
An active day has one to three sessions; a session is a page view followed by page views and feature
events a minute or so apart; sessions are more than 30 minutes apart. 85% of sessions carry a
`session_id`; the rest must be split by the gap. Sign-ups, activations and purchases come on top.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from kpi_engine.demo.company import Company
from kpi_engine.demo.config import FEATURES, SEASON, WEEKDAY
from kpi_engine.demo.people import People, accounts_active_on, alive_on
from kpi_engine.demo.textcols import numbered
from kpi_engine.demo.timeline import History, seconds

NO_VALUE = np.array(None, dtype=object)  # the "no value" branch of np.where, typed as an array

SESSIONS_EXTRA = (2, 0.2)  # binomial: extra sessions on an active day
BOUNCE = 0.3
EVENTS_EXTRA = 4.5  # poisson: events beyond the first two of a non-bounced session
EVENTS_PER_ACTIVE_DAY = (1 + SESSIONS_EXTRA[0] * SESSIONS_EXTRA[1]) * (BOUNCE + (1 - BOUNCE) * (2 + EVENTS_EXTRA))
SESSION_ID_SHARE = 0.85
FEATURE_SHARE = 0.45
MAX_P = 0.95
CHUNK_DAYS = 7
FEATURE_ACTIONS = np.asarray([f.action for f in FEATURES], dtype=object)
FEATURE_KEYS = np.asarray([f.feature for f in FEATURES], dtype=object)


@dataclass(frozen=True)
class SpecialEvents:
    """Sign-ups, activations and purchases, sorted by time."""

    user: np.ndarray
    at: np.ndarray
    name: np.ndarray

    @classmethod
    def build(cls, rng: np.random.Generator, history: History, people: People,
              purchase_user: np.ndarray, purchase_at: np.ndarray) -> SpecialEvents:
        n = len(people)
        activates = rng.random(n) < np.where(people.owner, 0.9, 0.6)
        act_at = people.created + seconds(600 + rng.exponential(2 * 86_400, n))
        keep = activates & (act_at < history.finish)
        user = np.concatenate([np.arange(n), np.flatnonzero(keep), purchase_user])
        at = np.concatenate([people.created, act_at[keep], purchase_at])
        name = np.concatenate([np.full(n, "signup", dtype=object), np.full(int(keep.sum()), "activated", dtype=object),
                               np.full(len(purchase_user), "purchase", dtype=object)])
        order = np.argsort(at, kind="stable")
        return cls(user[order], at[order], name[order])


class Usage:
    def __init__(self, history: History, company: Company, people: People, specials: SpecialEvents,
                 target_events: int, seed: int) -> None:
        self.history, self.company, self.people, self.specials, self.seed = history, company, people, specials, seed
        self.user_ids = np.asarray(people.ids, dtype=object)
        self.launch_day = np.asarray([-10**6 if f.launch_day is None else f.launch_day for f in FEATURES])
        self.popularity = np.asarray([f.popularity for f in FEATURES])
        wanted = max(target_events - len(specials.at), 0) / EVENTS_PER_ACTIVE_DAY
        self.scale_p = self._calibrate(wanted)
        self.expected_events = int(wanted * EVENTS_PER_ACTIVE_DAY) + len(specials.at)

    def _base_p(self, day: int) -> np.ndarray:
        people = self.people
        alive = alive_on(people, accounts_active_on(self.company, self.history, day), day)
        tenure = np.maximum(day - people.created_day, 0)
        retention = 0.45 + 0.55 * np.exp(-tenure / 75.0)
        calendar = WEEKDAY[self.history.weekdays[day]] * (1 + 0.5 * (SEASON[self.history.months[day] - 1] - 1))
        return np.where(alive, people.engagement * retention * calendar, 0.0)

    def _calibrate(self, wanted_active_days: float) -> float:
        """The factor on the base chances that gives about `wanted_active_days` (the cap at MAX_P included)."""
        base = np.concatenate([p[p > 0].astype(np.float32) for p in map(self._base_p, range(self.history.days))])
        factor = 1.0
        for _ in range(4):
            expected = float(np.minimum(base * factor, MAX_P).sum())
            if expected <= 0:
                return 0.0
            factor *= wanted_active_days / expected
        return factor

    def chunks(self) -> Iterator[dict[str, Any]]:
        """Event rows a week at a time, in time order within each week, with sequential ids."""
        next_event, next_session = 1, 1
        for d0 in range(0, self.history.days, CHUNK_DAYS):
            d1 = min(d0 + CHUNK_DAYS, self.history.days)
            rng = np.random.default_rng([self.seed, 17, d0])
            user, at, name, feature, session_of = self._activity(rng, d0, d1)
            lo, hi = np.searchsorted(self.specials.at, self.history.midnights[[d0, d1]])
            s_user, s_at, s_name = (x[lo:hi] for x in (self.specials.user, self.specials.at, self.specials.name))
            n_sessions = int(session_of.max()) + 1 if len(session_of) else 0
            s_session = n_sessions + np.arange(hi - lo)
            user, at, name = np.concatenate([user, s_user]), np.concatenate([at, s_at]), np.concatenate([name, s_name])
            feature = np.concatenate([feature, np.full(hi - lo, None, dtype=object)])
            session_of = np.concatenate([session_of, s_session])
            has_id = rng.random(n_sessions + hi - lo) < SESSION_ID_SHARE
            session_ids = np.full(len(has_id), None, dtype=object)
            session_ids[has_id] = numbered("s", next_session, int(has_id.sum()), 9)
            next_session += int(has_id.sum())
            order = np.argsort(at, kind="stable")
            n = len(order)
            yield {
                "event_id": numbered("ev", next_event, n, 10),
                "user_id": self.user_ids[user[order]],
                "occurred_at": at[order],
                "name": name[order],
                "feature": feature[order],
                "session_id": session_ids[session_of[order]] if n else np.empty(0, dtype=object),
            }
            next_event += n

    def _activity(self, rng: np.random.Generator, d0: int, d1: int) -> tuple[np.ndarray, ...]:
        users, days = [], []
        for d in range(d0, d1):
            p = np.minimum(self._base_p(d) * self.scale_p, MAX_P)
            active = np.flatnonzero(rng.random(len(p)) < p)
            users.append(active)
            days.append(np.full(len(active), d))
        pair_user, pair_day = np.concatenate(users), np.concatenate(days)
        n_sess = 1 + rng.binomial(SESSIONS_EXTRA[0], SESSIONS_EXTRA[1], len(pair_user))
        sess_pair = np.repeat(np.arange(len(pair_user)), n_sess)
        n_ev = np.where(rng.random(len(sess_pair)) < BOUNCE, 1, 2 + rng.poisson(EVENTS_EXTRA, len(sess_pair)))
        ev_sess = np.repeat(np.arange(len(sess_pair)), n_ev)
        sess_first_ev = np.cumsum(n_ev) - n_ev
        gaps = np.minimum(rng.exponential(75.0, len(ev_sess)), 1200.0)
        gaps[sess_first_ev] = 0.0
        within = _grouped_cumsum(gaps, sess_first_ev, ev_sess)
        duration = within[sess_first_ev + n_ev - 1]
        advance = duration + 2400.0 + rng.exponential(9000.0, len(sess_pair))
        pair_first_sess = np.cumsum(n_sess) - n_sess
        before = _grouped_cumsum(advance, pair_first_sess, sess_pair) - advance
        first_start = np.clip(rng.normal(10.5, 2.5, len(pair_user)), 6.0, 21.0) * 3600.0
        sess_second = first_start[sess_pair] + before
        at = self.history.at(pair_day[sess_pair][ev_sess], sess_second[ev_sess] + within)
        position = np.arange(len(ev_sess)) - sess_first_ev[ev_sess]
        is_feature = (position > 0) & (rng.random(len(ev_sess)) < FEATURE_SHARE)
        chosen = rng.choice(len(FEATURES), len(ev_sess), p=self._feature_weights(d0))
        name = np.where(is_feature, FEATURE_ACTIONS[chosen], "page_view").astype(object)
        feature = np.where(is_feature, FEATURE_KEYS[chosen], NO_VALUE).astype(object)
        keep = at < self.history.finish
        return pair_user[sess_pair][ev_sess][keep], at[keep], name[keep], feature[keep], ev_sess[keep]

    def _feature_weights(self, day: int) -> np.ndarray:
        age = day - self.launch_day
        weights = np.where(age > 0, self.popularity * np.minimum(1.0, 0.3 + age / 90.0), 0.0)
        return weights / weights.sum()


def _grouped_cumsum(values: np.ndarray, group_first: np.ndarray, group_of: np.ndarray) -> np.ndarray:
    """Running sum of `values` restarting at each group (groups are contiguous runs)."""
    total = np.cumsum(values)
    return total - (total[group_first] - values[group_first])[group_of]
