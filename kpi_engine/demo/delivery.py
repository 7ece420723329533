"""Features (some launched part-way through the history), engineering work items and releases.

Every feature launched during the history has a `feature` work item done at its launch; smaller
features, stories, tasks and bugs flow every week in proportion to the team. Bugs are found in
testing or in production. A release goes out every Tuesday, with a hotfix on some Thursdays.
"""

from __future__ import annotations

import numpy as np

from kpi_engine.demo.config import FEATURES, Scale
from kpi_engine.demo.names import titles
from kpi_engine.demo.timeline import DAY, NEVER, History, draw_days, office_hours, seconds

NO_VALUE = np.array(None, dtype=object)  # the "no value" branch of np.where, typed as an array

# kind -> (items per engineer per week, possible points)
FLOW: dict[str, tuple[float, tuple[float, ...]]] = {
    "feature": (0.05, (8.0, 13.0)),
    "story": (0.6, (1.0, 2.0, 3.0, 5.0, 8.0)),
    "task": (0.35, (1.0, 2.0, 3.0)),
    "bug": (0.3, (1.0, 2.0)),
}
PRODUCTION_BUG_SHARE = 0.22


def launches(history: History) -> np.ndarray:
    """Launch instant per feature of the config (NaT when unknown)."""
    out = []
    for spec in FEATURES:
        if spec.launch_day is None:
            out.append(NEVER)
        else:
            out.append(history.midnights[0] + spec.launch_day * DAY + np.timedelta64(10 * 3600, "s"))
    return np.asarray(out, dtype="datetime64[s]")


def feature_rows(history: History) -> dict[str, object]:
    return {
        "feature": [f.feature for f in FEATURES],
        "name": [f.name for f in FEATURES],
        "launched_at": launches(history),
    }


def work_item_rows(rng: np.random.Generator, history: History, scale: Scale) -> dict[str, object]:
    launch = launches(history)
    in_history = np.flatnonzero(~np.isnat(launch) & (launch >= history.begin))
    keys = np.asarray([f.feature for f in FEATURES], dtype=object)
    big_done = launch[in_history]
    big_created = big_done - seconds(rng.uniform(60, 150, len(in_history)) * 86_400)
    big_started = big_created + seconds(rng.uniform(5, 30, len(in_history)) * 86_400)

    kinds, created, started, done, points, feature, found = [], [], [], [], [], [], []
    kinds.append(np.full(len(in_history), "feature", dtype=object))
    created.append(big_created)
    started.append(big_started)
    done.append(big_done)
    points.append(np.full(len(in_history), 21.0))
    feature.append(keys[in_history])
    found.append(np.full(len(in_history), None, dtype=object))
    for kind, (per_week, sizes) in FLOW.items():
        total = int(per_week * scale.team * history.days / 7)
        days = draw_days(rng, np.where(history.weekdays < 5, 1.0, 0.05), total)
        n = len(days)
        opened = history.at(days, office_hours(rng, n))
        wait = rng.exponential(4 * 86_400, n) * (0.3 if kind == "bug" else 1.0)
        begin = opened + seconds(wait)
        work = rng.lognormal(np.log(3 * 86_400 if kind != "feature" else 20 * 86_400), 0.7, n)
        finish = begin + seconds(work)
        linked = _linked_feature(rng, launch, opened, keys)
        kinds.append(np.full(n, kind, dtype=object))
        created.append(opened)
        started.append(begin)
        done.append(finish)
        points.append(np.asarray(sizes)[rng.integers(0, len(sizes), n)])
        feature.append(np.where(rng.random(n) < 0.8, linked, NO_VALUE))
        where = np.where(rng.random(n) < PRODUCTION_BUG_SHARE, "production", "testing").astype(object)
        found.append(np.where(kind == "bug", where, NO_VALUE).astype(object))

    created_at = np.concatenate(created)
    order = np.argsort(created_at, kind="stable")
    n = len(order)
    started_at = np.concatenate(started)[order]
    done_at = np.concatenate(done)[order]
    return {
        "item_id": [f"WI-{i + 1:05d}" for i in range(n)],
        "kind": np.concatenate(kinds)[order],
        "title": titles(rng, n),
        "feature": np.concatenate(feature)[order],
        "created_at": created_at[order],
        "started_at": np.where(started_at < history.finish, started_at, NEVER),
        "done_at": np.where(done_at < history.finish, done_at, NEVER),
        "points": np.concatenate(points)[order],
        "found_in": np.concatenate(found)[order],
    }


def _linked_feature(rng: np.random.Generator, launch: np.ndarray, opened: np.ndarray, keys: np.ndarray) -> np.ndarray:
    """A feature already launched (or with no known launch) at the time the item is opened."""
    launched = np.isnat(launch)[None, :] | (launch[None, :] <= opened[:, None])
    weights = launched / launched.sum(axis=1, keepdims=True)
    pick = (rng.random(len(opened))[:, None] > np.cumsum(weights, axis=1)).sum(axis=1)
    return keys[np.minimum(pick, len(keys) - 1)]


def release_rows(rng: np.random.Generator, history: History, scale: Scale) -> dict[str, object]:
    tuesdays = np.flatnonzero(history.weekdays == 1)
    thursdays = np.flatnonzero(history.weekdays == 3)
    hotfix = thursdays[rng.random(len(thursdays)) < 0.3]
    days = np.sort(np.concatenate([tuesdays, hotfix]))
    is_hotfix = np.isin(days, hotfix)
    at = history.at(days, office_hours(rng, len(days), 15.0, 1.0))
    kloc = np.round(rng.lognormal(np.log(0.4 * scale.team), 0.5, len(days)) * np.where(is_hotfix, 0.1, 1.0), 2)
    keep = at < history.finish
    return {
        "release_id": [f"v{1 + i // 50}.{i % 50}.{int(h)}" for i, h in enumerate(is_hotfix[keep])],
        "released_at": at[keep],
        "kloc": kloc[keep],
    }
