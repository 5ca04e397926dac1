"""What the learning app tells other apps (events wired in config/events.py). No Django imports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class ModuleCompleted:
    """A citizen passed every lesson's quiz of a module. Feedback asks about it (config/events.py; its
    handler reads item_kind, item_id, title and completed_at, see feedback.contracts)."""

    municipality_id: int
    citizen_id: int
    module_key: str
    enrolment_id: int
    item_id: int  # the module's id
    title: str  # the module's Danish title, as citizens see it
    completed_at: datetime.datetime
    item_kind: str = "module"
