"""Pure scoring functions: each named part maps facts about (citizen, posting) to [0, 1].

No database, no Django. Every function accepts Python scalars or numpy arrays of the same shape
(the feed scores one citizen's candidates, fan-out scores postings x citizens), so the per-pair
formula is written once. Properties tested with hypothesis (tests/test_scoring.py): closer never
scores lower, a missing must-have never raises the score, older never scores higher, ...

Weights are hand-set and documented in docs/matching.md; `HAND_SET` is model version "hand-1".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

PARTS = ("occupation", "skills", "semantic", "distance", "recency", "conditions", "signals")

# Occupation relation codes (ordered: a closer relation never scores lower).
SAME_OCCUPATION = 3
SAME_ISCO_GROUP = 2  # same 4-digit ISCO-08 unit group
NEIGHBOURING = 1  # same 3-digit ISCO-08 minor group: a related trade (deliberate widening)
UNRELATED = 0

OCCUPATION_VALUES = np.array([0.0, 0.45, 0.75, 1.0], dtype=np.float32)

NEUTRAL = 0.5  # a part we know nothing about neither helps nor hurts


@dataclass(frozen=True)
class Weights:
    occupation: float = 0.30
    skills: float = 0.15
    semantic: float = 0.20
    distance: float = 0.15
    recency: float = 0.08
    conditions: float = 0.07
    signals: float = 0.05
    version: str = "hand-1"

    def vector(self) -> np.ndarray:
        return np.array([getattr(self, part) for part in PARTS], dtype=np.float32)


HAND_SET = Weights()


def occupation_part(relation):
    """relation: SAME_OCCUPATION .. UNRELATED (scalar or integer array)."""
    relation = np.clip(np.asarray(relation, dtype=np.int64), 0, 3)
    return OCCUPATION_VALUES[relation]


def relation_between(*, citizen_occupations: set[int], citizen_isco: set[str], posting_occupation: int | None,
                     posting_isco: str) -> int:
    if posting_occupation is not None and posting_occupation in citizen_occupations:
        return SAME_OCCUPATION
    if posting_isco and len(posting_isco) == 4 and posting_isco in citizen_isco:
        return SAME_ISCO_GROUP
    if posting_isco and len(posting_isco) >= 3 and posting_isco[:3] in {code[:3] for code in citizen_isco if len(code) >= 3}:
        return NEIGHBOURING
    return UNRELATED


def skills_part(must_total, must_matched, nice_total, nice_matched):
    """Must-haves count twice. No requirements at all is neutral."""
    must_total, must_matched = np.asarray(must_total, dtype=np.float32), np.asarray(must_matched, dtype=np.float32)
    nice_total, nice_matched = np.asarray(nice_total, dtype=np.float32), np.asarray(nice_matched, dtype=np.float32)
    denominator = 2.0 * must_total + nice_total
    with np.errstate(divide="ignore", invalid="ignore"):
        value = (2.0 * np.minimum(must_matched, must_total) + np.minimum(nice_matched, nice_total)) / denominator
    return np.where(denominator > 0, value, NEUTRAL).astype(np.float32)


def semantic_part(cosine):
    """multilingual-e5 cosines of related job texts lie around 0.75-0.95; below 0.72 is unrelated."""
    cosine = np.asarray(cosine, dtype=np.float32)
    return np.clip((cosine - 0.72) / 0.20, 0.0, 1.0).astype(np.float32)


def distance_part(distance_km, radius_km):
    """1 at the door, falling linearly to 0.2 at the edge of the radius, 0 beyond it.
    Unknown distance (no coordinates on either side) is neutral. NaN means unknown."""
    distance = np.asarray(distance_km, dtype=np.float32)
    radius = np.maximum(np.asarray(radius_km, dtype=np.float32), 1.0)
    inside = 1.0 - 0.8 * np.clip(distance / radius, 0.0, 1.0)
    value = np.where(distance > radius, 0.0, inside)
    return np.where(np.isnan(distance), NEUTRAL, value).astype(np.float32)


def recency_part(age_days, days_to_deadline):
    """Fresh ads first (half-life two weeks); a passed deadline is 0; NaN deadline means none given."""
    age = np.maximum(np.asarray(age_days, dtype=np.float32), 0.0)
    deadline = np.asarray(days_to_deadline, dtype=np.float32)
    fresh = np.exp2(-age / 14.0)
    value = 0.3 + 0.7 * fresh
    return np.where(deadline < 0, 0.0, value).astype(np.float32)


def conditions_part(hours_match, type_match):
    """Each input: 1 matches the wish, 0.5 unknown or no wish, 0 does not match."""
    hours = np.asarray(hours_match, dtype=np.float32)
    kind = np.asarray(type_match, dtype=np.float32)
    return (0.2 + 0.4 * hours + 0.4 * kind).astype(np.float32)


def hours_match(*, wanted_hours_per_week: int | None, posting_hours: str) -> float:
    if wanted_hours_per_week is None or not posting_hours:
        return 0.5
    wants_full_time = wanted_hours_per_week >= 30
    return 1.0 if (posting_hours == "full_time") == wants_full_time else 0.0


# Citizen wishes (citizens.EmploymentType) that a posting's type (jobs.EmploymentType) satisfies.
TYPE_SATISFIES = {
    "permanent": {"permanent"},
    "temporary": {"temporary", "seasonal", "substitute"},
    "student": {"internship", "apprenticeship", "hourly"},
    "flex": set(),
}


def type_match(*, wanted: tuple[str, ...], posting_type: str) -> float:
    relevant = [w for w in wanted if w in TYPE_SATISFIES]
    if not relevant or not posting_type:
        return 0.5
    return 1.0 if any(posting_type in TYPE_SATISFIES[w] for w in relevant) else 0.0


def signals_part(positive, negative):
    """The citizen's own signals on similar jobs (same ISCO group): saves and applications up,
    "not relevant" down. Neutral without signals or without consent to personalisation."""
    net = np.asarray(positive, dtype=np.float32) - np.asarray(negative, dtype=np.float32)
    return (0.5 + 0.5 * np.tanh(net / 2.0)).astype(np.float32)


def combine(parts: np.ndarray, weights: Weights = HAND_SET) -> np.ndarray:
    """parts: (..., len(PARTS)) in PARTS order -> weighted score in [0, 1]."""
    vector = weights.vector()
    return (np.asarray(parts, dtype=np.float32) @ vector / vector.sum()).astype(np.float32)


def haversine_km(lat1, lon1, lat2, lon2):
    """Great-circle distance in km (arrays broadcast)."""
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=np.float64)) for v in (lat1, lon1, lat2, lon2))
    a = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return (2 * 6371.0 * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))).astype(np.float32)
