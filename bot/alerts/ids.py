"""Action ids of the alert messages' buttons (the listener matches `SNOOZE_PATTERN`)."""

from __future__ import annotations

import re
from enum import StrEnum


class AlertActionId(StrEnum):
    SNOOZE_DAY = "alert.snooze.1d"
    SNOOZE_WEEK = "alert.snooze.1w"


SNOOZE_PATTERN = re.compile(r"^alert\.snooze\.\w+$")
SNOOZE_MINUTES: dict[str, int] = {AlertActionId.SNOOZE_DAY: 24 * 60, AlertActionId.SNOOZE_WEEK: 7 * 24 * 60}
ALERT_ACTIONS_BLOCK = "alert.actions"
