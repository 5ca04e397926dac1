"""Deterministic, sticky assignment to an experiment's arms (docs/adr/0100).

The citizen's pseudonym is an HMAC-SHA256 of their database id with settings.JOURNEY_ASSIGNMENT_KEY (never the
CPR number, which never reaches this app). The bucket is SHA-256 of the experiment's key and the pseudonym,
read as a number in 0..9999: the holdout takes the lowest `holdout_percent` hundredths, the arms the rest in
proportion to their weights, in the order of their keys. The same citizen and key always give the same arm;
two experiments with different keys split independently. The first assignment is stored (services), so
changing weights later never moves a citizen to another arm.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from django.conf import settings

from .models import HOLDOUT

BUCKETS = 10_000


def _key() -> bytes:
    configured = getattr(settings, "JOURNEY_ASSIGNMENT_KEY", "")
    if configured:
        return configured.encode()
    return hashlib.sha256(b"journeys-assignment:" + settings.SECRET_KEY.encode()).digest()


def pseudonym(citizen_id: int) -> str:
    return hmac.new(_key(), str(int(citizen_id)).encode(), hashlib.sha256).hexdigest()


def bucket(*, experiment_key: str, citizen_id: int) -> int:
    digest = hashlib.sha256(f"{experiment_key}:{pseudonym(citizen_id)}".encode()).hexdigest()
    return int(digest[:15], 16) % BUCKETS


def arm_for(*, experiment_key: str, citizen_id: int, holdout_percent: int,
            weights: Sequence[tuple[str, int]]) -> str:
    """The arm of this citizen: HOLDOUT or one of the `weights` keys (weights in any positive scale)."""
    point = bucket(experiment_key=experiment_key, citizen_id=citizen_id)
    holdout_buckets = BUCKETS * holdout_percent // 100
    if point < holdout_buckets:
        return HOLDOUT
    ordered = sorted(weights)
    total = sum(weight for _key, weight in ordered)
    position = (point - holdout_buckets) * total / (BUCKETS - holdout_buckets)
    running = 0
    for key, weight in ordered:
        running += weight
        if position < running:
            return key
    return ordered[-1][0]
