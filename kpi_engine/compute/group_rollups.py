"""`group_daily_usage` and `group_daily_returns`: the usage rollups per value of each account dimension,
and (`group_daily_returns` only) the returns of users to each feature (built by `kpi_engine.derive`).

A user belongs to at most one account (`users.account_id`), so to one value of each dimension ('' when the
user, its account or the attribute is missing: the "(none)" group). The distinct users of a value are then
counted per value exactly as `daily_usage` and `daily_returns` count them over everyone, from the same
per-user (day, previous active day) pairs of `usage_days`.

The account rollups depend on users and accounts as well as events: rebuilt wholly when the row counts of
users or accounts differ from those they were built with. The feature rows depend on events only.
"""

from __future__ import annotations

FEATURE = "feature"  # the dimension of the feature rows
