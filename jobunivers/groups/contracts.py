"""What the groups app (courses and job clubs, ADR 0120) tells other apps; events wired in config/events.py.
No Django imports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass


@dataclass(frozen=True)
class GroupJoined:
    """A citizen got a place in a group (on joining, or moved up from the waiting list)."""

    municipality_id: int  # the citizen's
    citizen_id: int
    group_id: int
    kind: str  # "course" or "job_club"
    from_waiting_list: bool


@dataclass(frozen=True)
class AttendanceRecorded:
    """The teacher recorded whether a citizen came to a meeting."""

    municipality_id: int  # the citizen's
    citizen_id: int
    group_id: int
    session_id: int
    status: str  # "attended", "absent" or "excused"


@dataclass(frozen=True)
class CourseCompleted:
    """The teacher marked a citizen's blended course as completed. Feedback asks about it with the same
    handler as a learning module (it reads item_kind, item_id, title and completed_at)."""

    municipality_id: int  # the citizen's
    citizen_id: int
    enrolment_id: int
    item_id: int  # the group's id
    title: str
    completed_at: datetime.datetime
    item_kind: str = "course"
