"""The availability state machine as a pure function of dates and the municipality's thresholds."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from .contracts import ACTIVE, DEADLINE_NEAR, DEADLINE_PASSED, GRACE_OVER


@dataclass(frozen=True)
class Thresholds:
    deadline_days: int = 30  # days after the last explicit action that are allowed
    warning_days: int = 7  # the citizen is warned this many days before the deadline
    grace_days: int = 7  # days after the deadline before the grace period is over


@dataclass(frozen=True)
class Evaluation:
    state: str
    deadline_on: datetime.date  # the last day on which an action keeps the citizen active
    warn_from: datetime.date
    grace_until: datetime.date


def evaluate(*, last_action_on: datetime.date, today: datetime.date, thresholds: Thresholds) -> Evaluation:
    """Where a citizen stands today when their last explicit action was on `last_action_on`."""
    deadline_on = last_action_on + datetime.timedelta(days=thresholds.deadline_days)
    warn_from = deadline_on - datetime.timedelta(days=max(thresholds.warning_days - 1, 0))
    grace_until = deadline_on + datetime.timedelta(days=thresholds.grace_days)
    if today > grace_until:
        state = GRACE_OVER
    elif today > deadline_on:
        state = DEADLINE_PASSED
    elif thresholds.warning_days > 0 and today >= warn_from:
        state = DEADLINE_NEAR
    else:
        state = ACTIVE
    return Evaluation(state=state, deadline_on=deadline_on, warn_from=warn_from, grace_until=grace_until)
