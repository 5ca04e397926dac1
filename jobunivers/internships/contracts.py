"""What other apps may read of internships, and the events they publish. No Django imports.

- `FunnelCounts`: cards per step, shown → applied → approved → started → completed → job.
- `InternshipApproved`, `InternshipStarted`, `InternshipCompleted`: published on commit for feedback and
  journeys (a pulse after the internship, a journey step).
- `InternshipJobRecorded`: the employer or the job centre recorded that the internship led to an ordinary
  job; analytics records it as an outcome with its own source (config/events.py, ADR 0125).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

STEPS = ("shown", "applied", "approved", "started", "completed", "job")


@dataclass(frozen=True)
class FunnelCounts:
    shown: int = 0
    applied: int = 0
    approved: int = 0
    started: int = 0
    completed: int = 0
    job: int = 0

    def rate(self, step: str, of: str) -> float | None:
        base = getattr(self, of)
        return getattr(self, step) / base if base else None


@dataclass(frozen=True)
class InternshipApproved:
    municipality_id: int
    citizen_id: int
    application_id: int
    starts_on: datetime.date
    ends_on: datetime.date


@dataclass(frozen=True)
class InternshipStarted:
    municipality_id: int
    citizen_id: int
    application_id: int


@dataclass(frozen=True)
class InternshipCompleted:
    municipality_id: int
    citizen_id: int
    application_id: int


@dataclass(frozen=True)
class InternshipJobRecorded:
    municipality_id: int
    citizen_id: int
    application_id: int
    recorded_by_kind: str  # employer | staff
    recorded_by_user_id: int | None
    job_from: datetime.date
