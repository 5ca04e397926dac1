"""What other apps receive from employers: likely employers (the hidden job market) and what a citizen
follows. No Django imports at module level.

    likely_employers(citizen, occupation=None, place=None, limit=10) -> list[LikelyEmployer]
    follows_of(citizen) -> list[FollowedItem]

`citizen` is the citizens app's Citizen (or its id); `occupation` a taxonomy occupation id (default: the
citizen's first occupation sought); `place` a `Place` (default: the citizen's home and radius). Both
functions read under the citizen's municipality (tenant context) and return plain data; they are thin
entries to `jobunivers.employers.selectors`, where the work and the rules live.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Place:
    latitude: float
    longitude: float
    radius_km: int
    label: str = ""  # e.g. "8000 Aarhus C", shown in the reason


@dataclass(frozen=True)
class Criterion:
    """One criterion of the hiring-potential score, as the "hvorfor ser jeg dette?" page explains it."""

    name: str  # "volume", "recency", "trend", "size"
    label: str  # Danish heading
    points: float  # what it added to the score (0..max_points)
    max_points: float
    explanation: str  # Danish sentence with the employer's own figures


@dataclass(frozen=True)
class LikelyEmployer:
    organisation_id: int
    name: str
    score: float  # 0..1
    reason: str  # Danish: "har slået 6 stillinger som lagermedarbejder op det seneste år"
    url: str  # the employer's page in the citizen's municipality
    postings_24_months: int  # in this occupation and place
    postings_12_months: int
    open_now: int
    few_postings: bool  # built on fewer than 3 postings: shown with a caution
    criteria: tuple[Criterion, ...] = field(default=())
    occupation_id: int | None = None  # the occupation the employer was ranked for


@dataclass(frozen=True)
class FollowedItem:
    id: int
    kind: str  # "employer" or "occupation_field"
    label: str
    url: str  # the employer's page, or the feed for an occupation field
    notify: bool
    created_at: datetime.datetime
    organisation_id: int | None = None
    isco_code: str = ""


@dataclass(frozen=True)
class FollowedPosting:
    """A new posting from something the citizen follows: first in the feed, with its reason."""

    posting_id: int
    reason_da: str
    reason_en: str


def likely_employers(citizen, occupation: int | None = None, place: Place | None = None,
                     limit: int = 10) -> list[LikelyEmployer]:
    from .selectors import likely_employers as read

    return read(citizen=citizen, occupation_id=occupation, place=place, limit=limit)


def follows_of(citizen) -> list[FollowedItem]:
    from .selectors import follows_of as read

    return read(citizen=citizen)
