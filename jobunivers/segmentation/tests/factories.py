"""Factories for segmentation; they create through all_tenants (no tenant context needed)."""

import datetime

from django.utils import timezone

from jobunivers.segmentation.models import (
    ConsultantAssignment,
    Decision,
    RegisterData,
    Suggestion,
    Track,
)
from jobunivers.segmentation.services import tracks_ensure_defaults


def tracks(municipality) -> dict[int, Track]:
    """The municipality's default tracks by support level."""
    return {t.support_level: t for t in tracks_ensure_defaults(municipality_id=municipality.pk)}


def register_data(citizen, **overrides) -> RegisterData:
    values = {
        "age_band": "30-39", "education_level": "vocational", "unemployment_weeks_last_3_years": 4,
        "unemployment_spells_last_3_years": 1, "benefit_type": "dagpenge", "weeks_since_last_job": 2,
        "previous_isco": "7115", "origin": "danish", "registered_on": datetime.date(2026, 9, 1),
        "source": RegisterData.Source.DEMO,
    }
    values.update(overrides)
    return RegisterData.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen, **values)


def suggestion(citizen, *, level: int = 1, tags=("recent_job",), **overrides) -> Suggestion:
    track = tracks(citizen.municipality)[level]
    values = {"tags": list(tags), "inputs": {"register": None, "answers": None, "first_period_weeks": 13}}
    values.update(overrides)
    return Suggestion.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen, track=track,
                                         **values)


def decision(suggestion_obj, *, by, level: int | None = None, reason: str = "", at=None) -> Decision:
    track = tracks(suggestion_obj.citizen.municipality)[level] if level else suggestion_obj.track
    made = Decision.all_tenants.create(
        municipality_id=suggestion_obj.municipality_id, suggestion=suggestion_obj, citizen=suggestion_obj.citizen,
        track=track, changed=track.pk != suggestion_obj.track_id, reason=reason, decided_by=by)
    if at is not None:
        Decision.all_tenants.filter(pk=made.pk).update(created_at=at)
    Suggestion.all_tenants.filter(pk=suggestion_obj.pk).update(status=Suggestion.Status.DECIDED)
    return made


def assignment(citizen, consultant, **overrides) -> ConsultantAssignment:
    values = {"started_at": timezone.now(), "reason": "test", "automatic": False}
    values.update(overrides)
    return ConsultantAssignment.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen,
                                                   consultant=consultant, **values)
