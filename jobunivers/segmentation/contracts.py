"""What other apps receive from segmentation: frozen dataclasses and events. No Django imports.

Events are published on commit; handlers are wired in config/events.py:
- `CitizenNotices`: tell citizens something (the notifications app delivers it; segmentation
  cannot import notifications, which is in the same layer, so it asks through this event);
- `ConsultantAssigned`: a personal job consultant now follows a citizen (the staff workspace and
  notifications may tell the consultant);
- `TrackDecided`: staff decided a citizen's track (the decision, not the suggestion, counts);
- `InteractionTrackChanged`: re-segmentation moved a citizen to another interaction track.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

SUPPORT_SELF_SERVICE = 1
SUPPORT_ADVISER = 2
SUPPORT_PERSONAL_CONSULTANT = 3


@dataclass(frozen=True)
class CurrentTrack:
    citizen_id: int
    track_key: str
    support_level: int
    name: str
    decided_at: datetime.datetime


@dataclass(frozen=True)
class CitizenNotice:
    """A notice for the citizen; subject_key makes it idempotent (see notifications.contracts)."""

    municipality_id: int
    citizen_id: int
    citizen_user_id: int
    subject_key: str
    title: str
    body: str
    link: str


@dataclass(frozen=True)
class CitizenNotices:
    """Notices in one batch (re-segmentation tells thousands at once; notifications.notify_many)."""

    municipality_id: int
    notices: tuple[CitizenNotice, ...]


@dataclass(frozen=True)
class ConsultantAssigned:
    municipality_id: int
    citizen_id: int
    consultant_user_id: int
    assignment_id: int
    automatic: bool
    reason: str


@dataclass(frozen=True)
class TrackDecided:
    municipality_id: int
    citizen_id: int
    decision_id: int
    track_key: str
    support_level: int
    changed: bool


@dataclass(frozen=True)
class InteractionTrackChanged:
    municipality_id: int
    citizen_id: int
    transition_id: int
    from_state: str
    to_state: str
    reasons: tuple[str, ...] = field(default=())


# An activity source for re-segmentation: (municipality_id, citizen_ids) -> {citizen_id: last time}.
# Only explicit citizen actions may be sources (logins, job log entries, plan updates, replies,
# bookings); never click tracking. Register with segmentation.services.activity_source_register.
ActivitySource = Callable[[int, list[int]], "dict[int, datetime.datetime]"]
# Pushes without reaction: (municipality_id, citizen_ids) -> {citizen_id: count since last reaction}.
UnansweredPushSource = Callable[[int, list[int]], "dict[int, int]"]
