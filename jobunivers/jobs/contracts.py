"""What other apps receive from the jobs app: posting summaries and typed events.

No Django imports here. Matching, citizens and notifications read postings
as `PostingSummary` (through jobs.selectors) and subscribe to the events in
config/events.py. Events are published on commit by jobs.services.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(frozen=True)
class SkillRequirement:
    skill_id: int
    skill_uri: str
    label: str
    importance: str  # "must" or "nice"
    weight: float


@dataclass(frozen=True)
class PostingSummary:
    id: int
    title: str
    employer_name: str
    status: str  # "active", "expired", "withdrawn"
    occupation_id: int | None
    occupation_uri: str | None
    occupation_label: str | None
    isco_code: str
    postcode: str
    city: str
    municipality_code: str
    latitude: float | None
    longitude: float | None
    hours: str
    employment_type: str
    application_deadline: date | None
    published_at: datetime
    changed_at: datetime
    is_synthetic: bool
    skills: tuple[SkillRequirement, ...] = field(default=())
    # Filled by searches with a centre point; None otherwise.
    distance_km: float | None = None

    @property
    def is_active(self) -> bool:
        return self.status == "active"


@dataclass(frozen=True)
class PostingCreated:
    posting_id: int
    source: str
    occupation_id: int | None
    municipality_code: str


@dataclass(frozen=True)
class PostingChanged:
    posting_id: int
    source: str
    occupation_id: int | None
    municipality_code: str
    changed_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class PostingsPublished:
    """New or changed postings that became visible in one write (one import run, one employer's save).

    Published once per write, after the per-posting events, so a subscriber that works on many
    postings at once (matching's fan-out: the per-citizen cap applies across a whole run) sees the
    run as a whole. `changed_ids` are postings that existed before and changed in a way that matters
    for matching."""

    source: str
    created_ids: tuple[int, ...] = ()
    changed_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class PostingWithdrawn:
    """The posting left the active set: withdrawn by its employer or feed, or expired."""

    posting_id: int
    source: str
    status: str  # "withdrawn" or "expired"


@dataclass(frozen=True)
class PostingEmbeddingsWanted:
    """Postings whose text changed and whose embeddings should be (re)computed, published on commit
    by jobs.services; jobs.tasks queues the work (so services never import tasks)."""

    posting_ids: tuple[int, ...]


@dataclass(frozen=True)
class ImportRunFigures:
    """One feed's import runs for the operators' metrics: how many ran and failed, and when the last
    run and the last successful run started (None: never)."""

    source: str
    runs: int
    failed: int
    last_started_at: datetime | None
    last_succeeded_at: datetime | None
