"""What other apps receive from availability checks. Frozen dataclasses; no Django imports.

States, in order: "active" → "deadline_near" → "deadline_passed" → "grace_over". Only explicit
citizen actions (a job log entry, a confirmation) bring a citizen back to "active".
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

ACTIVE = "active"
DEADLINE_NEAR = "deadline_near"
DEADLINE_PASSED = "deadline_passed"
GRACE_OVER = "grace_over"
STATES = (ACTIVE, DEADLINE_NEAR, DEADLINE_PASSED, GRACE_OVER)
PAST_DEADLINE = (DEADLINE_PASSED, GRACE_OVER)


@dataclass(frozen=True)
class AvailabilityStateChanged:
    """A citizen's availability state changed (published on commit; wired in config/events.py)."""

    citizen_id: int
    municipality_id: int
    state: str
    previous_state: str
    deadline_on: datetime.date
    changed_at: datetime.datetime
