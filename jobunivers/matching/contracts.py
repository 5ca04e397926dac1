"""What other apps receive from matching: a feed of postings with a score and reasons per part.

The staff workspace calls `jobunivers.matching.selectors.feed_for(*, citizen_id, limit=20)` and gets
a `FeedResult` (decision support: staff see what the citizen sees and why).
No Django imports here.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Reason:
    """Why a posting was recommended (or what speaks against it), per scoring part."""

    part: str  # one of scoring.PARTS
    text_da: str
    text_en: str
    positive: bool = True

    def text(self, language: str) -> str:
        return self.text_en if language.startswith("en") else self.text_da


@dataclass(frozen=True)
class FeedItem:
    posting_id: int
    title: str
    employer_name: str
    city: str
    score: float  # 0..1
    parts: dict[str, float]
    reasons: tuple[Reason, ...]
    widened: bool = False  # a neighbouring occupation, shown on purpose to widen the search
    saved: bool = False
    distance_km: float | None = None
    application_deadline: datetime.date | None = None
    published_at: datetime.datetime | None = None
    followed: bool = False  # from an employer or occupation field the citizen follows: shown first


@dataclass(frozen=True)
class FeedResult:
    citizen_id: int
    model_version: str
    items: tuple[FeedItem, ...] = field(default=())
    feed_id: int | None = None  # set when the feed was recorded (shown to the citizen)
    has_profile: bool = True
    personalised: bool = False  # the citizen's own behaviour was used (consent given)


@dataclass(frozen=True)
class FanoutLag:
    """Active postings of the sweep's horizon not yet fanned out, and how long the oldest has waited
    since it was created (None: none waiting). For the operators' metrics."""

    pending_postings: int
    oldest_pending_seconds: float | None


@dataclass(frozen=True)
class OpeningFit:
    """How well one citizen fits an opening that is not a posting (an employer's coffee-meeting invitation):
    a score in [0, 1] from matching's own parts (occupation and distance) and the reasons, in the
    employer's words ("Søger job som tømrer", "12 km fra mødestedet")."""

    citizen_id: int
    score: float
    reasons: tuple[Reason, ...]
