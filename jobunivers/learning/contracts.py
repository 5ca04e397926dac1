"""What the learning app tells other apps (events wired in config/events.py). No Django imports."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ModuleCompleted:
    """A citizen passed every lesson's quiz of a module (feedback and journeys may react)."""

    municipality_id: int
    citizen_id: int
    module_key: str
    enrolment_id: int
