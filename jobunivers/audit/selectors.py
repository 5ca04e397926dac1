"""Reads of the audit app: consents and the objection to profiling (used by matching and
segmentation), and the access log as the citizen and the municipality see it."""

from __future__ import annotations

from django.db.models import QuerySet

from .models import AccessLogEntry, Consent, ConsentPurpose, ProfilingObjection


def consent_given(*, user_id: int, purpose: str) -> bool:
    """True only if the citizen turned this purpose on; everything is off until they do."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}; known: {ConsentPurpose.values}")
    return Consent.objects.filter(user_id=user_id, purpose=purpose, given=True).exists()


def profiling_objected(*, user_id: int) -> bool:
    """True if the citizen objects to profiling: do not compute or use a profile for them."""
    return ProfilingObjection.objects.filter(user_id=user_id, objected=True).exists()


def profiling_objected_users(*, user_ids: list[int]) -> set[int]:
    """Of these users, those who object to profiling (batch form of profiling_objected)."""
    return set(ProfilingObjection.objects.filter(user_id__in=user_ids, objected=True).values_list("user_id", flat=True))


def consent_answer(*, user_id: int, purpose: str) -> bool | None:
    """True (turned on), False (turned off or said no) or None (never answered): lets a page offer a consent
    once without asking again after a no."""
    if purpose not in ConsentPurpose.values:
        raise ValueError(f"unknown consent purpose {purpose!r}; known: {ConsentPurpose.values}")
    return Consent.objects.filter(user_id=user_id, purpose=purpose).values_list("given", flat=True).first()


def consents_of(*, user_id: int) -> dict[str, bool]:
    given = dict(Consent.objects.filter(user_id=user_id).values_list("purpose", "given"))
    return {purpose: bool(given.get(purpose, False)) for purpose in ConsentPurpose.values}


def access_log_for_citizens(*, citizen_ids: list[int]) -> QuerySet[AccessLogEntry]:
    """Staff and API look-ups of these citizens (the citizen's own view, all municipalities)."""
    return (
        AccessLogEntry.all_tenants.filter(citizen_id__in=citizen_ids)
        .exclude(actor_kind="system")
        .order_by("-created_at", "-sequence")
    )
