"""Reads of internships (ADR 0125). The employer's read of applicants shows only what each citizen chose to share
(the snapshot of the application) and writes one access-log entry per applicant shown, in the citizen's
municipality, in the same transaction: the citizen sees it in "Mine data". Staff reads of applications are
logged the same way, per citizen shown."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jobunivers.audit.services import citizen_access_record
from jobunivers.core.errors import NotFound
from jobunivers.jobs import selectors as jobs
from jobunivers.jobs.permissions import employer_id_of
from jobunivers.taxonomy import selectors as taxonomy

from . import permissions
from .contracts import STEPS, FunnelCounts
from .models import Application, ApplicationStatus, FunnelEvent, Place, PlaceStatus, Suggestion
from .services import SHARED_FIELDS, log_employer_read

JOBS_SHOWN = 5  # per list of the nudge page: the employer's open jobs, and similar jobs


def shared_field_labels() -> dict[str, str]:
    from django.utils.translation import gettext

    return {"name": gettext("My name"), "occupations": gettext("Occupations I seek"),
            "skills": gettext("My skills"), "experience": gettext("My work experience"),
            "education": gettext("My education"), "summary": gettext("My CV summary (the text about me)"),
            "area": gettext("Postcode and town (never my address)")}


def shared_fields(shared: dict) -> tuple[tuple[str, str], ...]:
    """(label, text) of a snapshot in the order of SHARED_FIELDS, empty values left out."""
    labels = shared_field_labels()
    return tuple((labels[name], "; ".join(map(str, shared[name])) if isinstance(shared[name], list)
                  else str(shared[name])) for name in SHARED_FIELDS
                 if name in (shared or {}) and shared[name] not in ("", [], None))


# --- the citizen's side ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Card:
    suggestion: Suggestion
    application: Application | None
    reasons: tuple[str, ...]
    today: datetime.date

    @property
    def place(self) -> Place:
        return self.suggestion.place

    @property
    def is_open(self) -> bool:
        return self.place.status == PlaceStatus.OPEN and self.place.starts_on >= self.today

    @property
    def shared_labels(self) -> str:
        labels = shared_field_labels()
        shared = self.application.shared if self.application is not None else {}
        return ", ".join(labels[name] for name in SHARED_FIELDS if name in (shared or {}))


def _reason_texts(suggestion: Suggestion, language: str) -> tuple[str, ...]:
    english = language.startswith("en")
    return tuple(str(r[1] if english else r[0]) for r in (suggestion.reasons or []) if len(r) >= 2)


def cards_for(*, citizen, language: str = "da", today: datetime.date | None = None) -> list[Card]:
    """The citizen's own cards, newest first (in the citizen's municipality; reads only)."""
    today = today or timezone.localdate()
    suggestions = list(Suggestion.objects.filter(citizen=citizen)
                       .select_related("place__employer", "place__occupation").order_by("-created_at", "-pk")[:100])
    applications = {a.suggestion_id: a for a in Application.objects.filter(suggestion__in=suggestions)}
    return [Card(suggestion=s, application=applications.get(s.pk), reasons=_reason_texts(s, language), today=today)
            for s in suggestions]


def has_open_suggestions(*, citizen, today: datetime.date | None = None) -> bool:
    """Whether an open place the citizen has not applied for waits: one EXISTS for the start page, where most
    citizens have none."""
    return Suggestion.objects.filter(citizen=citizen, application__isnull=True, place__status=PlaceStatus.OPEN,
                                     place__starts_on__gte=today or timezone.localdate()).exists()


def own_card(*, citizen, suggestion_id, language: str = "da", today: datetime.date | None = None) -> Card:
    text = str(suggestion_id)
    suggestion = (Suggestion.objects.filter(pk=int(text) if text.isdigit() and len(text) < 12 else 0, citizen=citizen)
                  .select_related("place__employer", "place__occupation").first())
    if suggestion is None:
        raise NotFound
    application = Application.objects.filter(suggestion=suggestion).first()
    return Card(suggestion=suggestion, application=application, reasons=_reason_texts(suggestion, language),
                today=today or timezone.localdate())


@dataclass(frozen=True)
class JobsAround:
    """The nudge page for one internship: the employer's open postings and similar jobs."""

    application: Application
    employer_jobs: list = field(default_factory=list)
    similar_jobs: list = field(default_factory=list)


def jobs_around(*, cards: list[Card], today: datetime.date | None = None) -> list[JobsAround]:
    """For each of the citizen's started internships: the employer's open jobs and jobs of the same occupation."""
    result = []
    for card in cards:
        application = card.application
        if application is None or application.status != ApplicationStatus.APPROVED or not application.started:
            continue
        place = card.place
        own = Q(owner_employer_id=place.employer_id) | Q(employer_name__iexact=place.employer.name)
        employer_jobs = list(jobs.active_postings().filter(own).order_by("-published_at", "-pk")[:JOBS_SHOWN])
        similar = list(jobs.active_postings().filter(occupation_id=place.occupation_id).exclude(own)
                       .order_by("-published_at", "-pk")[:JOBS_SHOWN])
        result.append(JobsAround(application=application, employer_jobs=employer_jobs, similar_jobs=similar))
    return result


# --- the employer's side ---------------------------------------------------------------------------------

def own_places(*, membership) -> QuerySet[Place]:
    employer_id = employer_id_of(membership)
    if employer_id is None:
        return Place.objects.none()
    return (Place.objects.filter(employer_id=employer_id).select_related("occupation")
            .annotate(applied=Count("applications", filter=Q(applications__status=ApplicationStatus.APPLIED)),
                      approved=Count("applications", filter=Q(applications__status=ApplicationStatus.APPROVED))))


def access_own_place(*, membership, place_id) -> Place:
    text = str(place_id)
    place = (Place.objects.select_related("occupation", "employer")
             .filter(pk=int(text) if text.isdigit() and len(text) < 12 else 0).first())
    if place is None or not permissions.can_manage_place(membership, place):
        raise NotFound
    return place


@dataclass(frozen=True)
class Applicant:
    """One applicant as the employer sees them: the motivation and only what they chose to share."""

    application_id: int
    number: int
    status: str
    status_label: str
    motivation: str
    fields: tuple[tuple[str, str], ...]
    name: str
    outcome: str
    outcome_label: str
    started: bool


def place_applicants(*, actor, place: Place) -> list[Applicant]:
    """The applications to the employer's own place (applied or approved; withdrawn and declined ones are not
    shown), each with its snapshot. One access-log entry per applicant shown, in the citizen's municipality."""
    with transaction.atomic():
        rows = list(Application.all_tenants.filter(place=place, status__in=[ApplicationStatus.APPLIED,
                                                                             ApplicationStatus.APPROVED])
                    .order_by("applied_at", "pk"))
        result = []
        for number, application in enumerate(rows, start=1):
            log_employer_read(actor=actor, municipality_id=application.municipality_id,
                              citizen_id=application.citizen_id, what=f"internships.applicant ({place.employer.name})")
            shared = dict(application.shared or {})
            result.append(Applicant(
                application_id=application.pk, number=number, status=application.status,
                status_label=str(application.get_status_display()), motivation=application.motivation,
                fields=shared_fields(shared), name=str(shared.get("name") or ""), outcome=application.outcome,
                outcome_label=str(application.get_outcome_display()) if application.outcome else "",
                started=application.started))
    return result


# --- the job centre's side -------------------------------------------------------------------------------

def _staff_applications(municipality_id: int):
    return (Application.all_tenants.filter(municipality_id=municipality_id)
            .select_related("place__employer", "citizen__user"))


def worklist(*, actor, municipality_id: int) -> tuple[list[Application], list[Application]]:
    """Applications waiting for a decision (oldest first) and approved internships (newest first) in the
    actor's municipality; one access-log entry per citizen shown."""
    if not permissions.can_see_applications(actor, municipality_id):
        raise NotFound
    with transaction.atomic():
        waiting = list(_staff_applications(municipality_id).filter(status=ApplicationStatus.APPLIED)
                       .order_by("applied_at", "pk")[:200])
        approved = list(_staff_applications(municipality_id).filter(status=ApplicationStatus.APPROVED)
                        .order_by("-decided_at", "-pk")[:200])
        # The list itself is a search of the municipality's applications (logged even when it finds none),
        # and each citizen it shows is a read of their application.
        citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None,
                              what="internships.applications", purpose="help", action="search",
                              criterion="internship applications: waiting and approved")
        for citizen_id in sorted({a.citizen_id for a in waiting + approved}):
            citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=citizen_id,
                                  what="internships.applications", purpose="help")
    return waiting, approved


def access_application(*, actor, municipality_id: int, application_id) -> Application:
    if not permissions.can_see_applications(actor, municipality_id):
        raise NotFound
    text = str(application_id)
    with transaction.atomic():
        application = (_staff_applications(municipality_id).select_related("place__occupation")
                       .filter(pk=int(text) if text.isdigit() and len(text) < 12 else 0).first())
        if application is None:
            raise NotFound
        citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=application.citizen_id,
                              what="internships.application", purpose="help")
    return application


# --- the funnel ------------------------------------------------------------------------------------------

def _counts(queryset) -> FunnelCounts:
    counted = Counter(dict(queryset.order_by().values("step").annotate(n=Count("pk")).values_list("step", "n")))
    return FunnelCounts(**{step: int(counted.get(step, 0)) for step in STEPS})


def place_funnel(*, place: Place) -> FunnelCounts:
    """Counts only, across municipalities: no citizen's identity."""
    return _counts(FunnelEvent.all_tenants.filter(place=place))


def municipality_funnel(*, actor, municipality_id: int) -> FunnelCounts:
    if not permissions.can_see_funnel(actor, municipality_id):
        raise NotFound
    return _counts(FunnelEvent.all_tenants.filter(municipality_id=municipality_id))


def occupation_label(occupation) -> str:
    return taxonomy.label_of(occupation).text if occupation is not None else ""
