"""Reads of the segmentation app, scoped to the municipality in context (tenant-owned models).

Public for other apps (the staff workspace reads these):
- `current_track(*, citizen_id)`: the DECIDED track (a suggestion alone changes nothing);
- `current_consultant(*, citizen_id)`, `caseload_of(*, consultant_user_id)`,
  `unassigned_citizens(*, municipality_id)`;
- `override_statistics(*, municipality_id)`.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from jobunivers.citizens.models import Citizen
from jobunivers.core.errors import NotFound
from jobunivers.tenancy.selectors import settings_for

from .contracts import SUPPORT_PERSONAL_CONSULTANT, CurrentTrack
from .features import SKILLED_EDUCATION
from .models import (
    CitizenInteraction,
    ConsultantAssignment,
    Decision,
    Disagreement,
    InteractionState,
    RegisterData,
    RiskModelVersion,
    Suggestion,
    Track,
    Transition,
)

OVERRIDE_WINDOW_DAYS = 91  # "over 3 months"
OVERRIDE_MINIMUM_DECISIONS = 20  # fewer decisions than this say too little to warn about


def tracks_for(*, active_only: bool = True) -> QuerySet[Track]:
    queryset = Track.objects.all()
    return queryset.filter(is_active=True) if active_only else queryset


def register_data_for(*, citizen_id: int) -> RegisterData | None:
    return RegisterData.objects.filter(citizen_id=citizen_id).first()


def latest_suggestion(*, citizen_id: int) -> Suggestion | None:
    return (Suggestion.objects.filter(citizen_id=citizen_id).exclude(status=Suggestion.Status.SUPERSEDED)
            .select_related("track", "model_version").first())


def suggestions_for(*, citizen_id: int) -> QuerySet[Suggestion]:
    return Suggestion.objects.filter(citizen_id=citizen_id).select_related("track", "model_version")


def access_suggestion(*, actor, suggestion_id: int) -> Suggestion:
    """A suggestion of the municipality in context. Missing and forbidden look the same."""
    suggestion = Suggestion.objects.select_related("track", "model_version", "citizen__user").filter(
        pk=suggestion_id).first()
    if suggestion is None:
        raise NotFound
    return suggestion


def latest_decision(*, citizen_id: int) -> Decision | None:
    return Decision.objects.filter(citizen_id=citizen_id).select_related("track", "decided_by").first()


def decisions_for(*, citizen_id: int) -> QuerySet[Decision]:
    return Decision.objects.filter(citizen_id=citizen_id).select_related("track", "decided_by")


def current_track(*, citizen_id: int) -> CurrentTrack | None:
    decision = latest_decision(citizen_id=citizen_id)
    if decision is None:
        return None
    return CurrentTrack(citizen_id=citizen_id, track_key=decision.track.key,
                        support_level=decision.track.support_level, name=decision.track.name_da,
                        decided_at=decision.created_at)


def pending_suggestions() -> QuerySet[Suggestion]:
    """Suggestions awaiting a person's decision, oldest first."""
    return (Suggestion.objects.filter(status=Suggestion.Status.PENDING)
            .select_related("track", "citizen__user").order_by("created_at", "id"))


def explanation_texts(*, tags: list[str]) -> list[str]:
    """A suggestion's explanation tags as sentences in the current language (for staff pages too)."""
    from .explanations import tag_text

    return [tag_text(code) for code in tags]


def open_disagreements() -> QuerySet[Disagreement]:
    return (Disagreement.objects.filter(status=Disagreement.Status.OPEN)
            .select_related("suggestion__track", "citizen__user").order_by("created_at", "id"))


def disagreements_for(*, citizen_id: int) -> QuerySet[Disagreement]:
    return Disagreement.objects.filter(citizen_id=citizen_id)


@dataclass(frozen=True)
class OverrideStatistics:
    decisions: int
    changed: int
    percent_changed: float | None
    warning_percent: float
    window_days: int
    too_few: bool

    @property
    def warn(self) -> bool:
        """Staff accept almost everything: the score may decide in practice (issue 7)."""
        return not self.too_few and self.percent_changed is not None and self.percent_changed < self.warning_percent


def override_statistics(*, municipality_id: int, now: datetime.datetime | None = None) -> OverrideStatistics:
    now = now or timezone.now()
    since = now - datetime.timedelta(days=OVERRIDE_WINDOW_DAYS)
    # Explicit municipality filter: also used by tasks and reports outside a request.
    counts = Decision.all_tenants.filter(municipality_id=municipality_id, created_at__gte=since).aggregate(
        total=Count("id"), changed=Count("id", filter=Q(changed=True)))
    total, changed = counts["total"] or 0, counts["changed"] or 0
    return OverrideStatistics(
        decisions=total, changed=changed,
        percent_changed=round(100.0 * changed / total, 1) if total else None,
        warning_percent=settings_for(municipality_id).override_warning_percent,
        window_days=OVERRIDE_WINDOW_DAYS, too_few=total < OVERRIDE_MINIMUM_DECISIONS,
    )


def current_consultant(*, citizen_id: int) -> ConsultantAssignment | None:
    return (ConsultantAssignment.objects.filter(citizen_id=citizen_id, ended_at__isnull=True)
            .select_related("consultant").first())


def consultant_history(*, citizen_id: int) -> QuerySet[ConsultantAssignment]:
    return ConsultantAssignment.objects.filter(citizen_id=citizen_id).select_related("consultant", "assigned_by")


def caseload_of(*, consultant_user_id: int) -> QuerySet[ConsultantAssignment]:
    """The consultant's current citizens in the municipality in context, newest first."""
    return (ConsultantAssignment.objects.filter(consultant_id=consultant_user_id, ended_at__isnull=True)
            .select_related("citizen__user"))


def caseload_sizes(*, municipality_id: int) -> dict[int, int]:
    rows = (ConsultantAssignment.all_tenants.filter(municipality_id=municipality_id, ended_at__isnull=True)
            .values("consultant_id").annotate(n=Count("id")))
    return {row["consultant_id"]: row["n"] for row in rows}


def unassigned_citizens(*, municipality_id: int) -> QuerySet[Citizen]:
    """Citizens who should have a personal consultant (decided personal-consultant track, or moved
    to consultant follow-up by re-segmentation) but have none."""
    latest_level = Decision.objects.filter(citizen_id=OuterRef("pk")).order_by("-created_at", "-id")
    has_consultant = ConsultantAssignment.objects.filter(citizen_id=OuterRef("pk"), ended_at__isnull=True)
    needs_by_decision = Citizen.objects.filter(municipality_id=municipality_id).annotate(
        level=latest_level.values("track__support_level")[:1]).filter(level=SUPPORT_PERSONAL_CONSULTANT)
    needs_by_state = CitizenInteraction.objects.filter(
        municipality_id=municipality_id, state=InteractionState.CONSULTANT).values("citizen_id")
    return (Citizen.objects.filter(municipality_id=municipality_id)
            .filter(Q(pk__in=needs_by_decision.values("pk")) | Q(pk__in=needs_by_state))
            .exclude(Exists(has_consultant)).select_related("user").order_by("id"))


def interaction_for(*, citizen_id: int) -> CitizenInteraction | None:
    return CitizenInteraction.objects.filter(citizen_id=citizen_id).first()


def transitions_for(*, citizen_id: int) -> QuerySet[Transition]:
    return Transition.objects.filter(citizen_id=citizen_id)


def active_model() -> RiskModelVersion | None:
    return (RiskModelVersion.objects.filter(status=RiskModelVersion.Status.ACTIVE).defer("artifact")
            .select_related("promoted_by").first())


def model_versions() -> QuerySet[RiskModelVersion]:
    return RiskModelVersion.objects.defer("artifact").select_related("promoted_by")


def access_model_version(*, version_id: int) -> RiskModelVersion:
    version = RiskModelVersion.objects.defer("artifact").filter(pk=version_id).first()
    if version is None:
        raise NotFound
    return version


def is_skilled(education_level: str) -> bool:
    return education_level in SKILLED_EDUCATION


def first_period_weeks(*, municipality_id: int, education_level: str) -> int:
    """The first period's length by education (MunicipalitySettings)."""
    municipal = settings_for(municipality_id)
    return municipal.first_period_weeks_skilled if is_skilled(education_level) else \
        municipal.first_period_weeks_unskilled
