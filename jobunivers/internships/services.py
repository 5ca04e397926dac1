"""Writes of internships (virksomhedspraktik, ADR 0125): the employer's place (publish, edit, withdraw), offering
it to the citizens who fit, the citizen's one application (with a snapshot of what they chose to share) and its
withdrawal, the job centre's decision (approval puts the agreement in the plan), the daily move of the plan item
(planned → in progress on the first day → done after the last, as the system) with the nudges towards the
employer's and similar jobs, and the outcome. Each step writes its funnel event in the same transaction; notices
go through the notifications outbox (citizens) and by e-mail after commit (employers)."""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from functools import partial
from typing import Any

from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from jobunivers.audit.services import access_log_record, citizen_access_record
from jobunivers.citizens import selectors as citizens
from jobunivers.citizens import services as citizen_services
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.jobs.permissions import employer_id_of
from jobunivers.matching import selectors as matching
from jobunivers.notifications import selectors as notices
from jobunivers.notifications.contracts import Kind
from jobunivers.notifications.services import notify
from jobunivers.taxonomy import selectors as taxonomy
from jobunivers.tenancy import selectors as tenancy
from jobunivers.tenancy.routing import municipal_reverse

from . import permissions
from .contracts import InternshipApproved, InternshipCompleted, InternshipJobRecorded, InternshipStarted
from .models import Application, ApplicationStatus, FunnelEvent, Outcome, Place, PlaceStatus, Step, Suggestion

logger = logging.getLogger(__name__)

FIT_THRESHOLD = 0.5  # matching's opening fit a citizen must reach to be shown a place (as coffee, ADR 0110)
MAX_SUGGESTIONS_PER_PLACE = 300  # the best fits only: bounds the fan-out
MIN_HOURS, MAX_HOURS = 1, 37
MAX_PLACES = 20
# A bound on input, not a rule of law: the job centre decides the length of each internship (ADR 0125).
MAX_PERIOD_DAYS = 26 * 7
MAX_DAYS_AHEAD = 365
MOTIVATION_MAX = 1000
REASON_MIN = 10
AFTER_NUDGE_DAYS = 14  # the "after" nudge is sent within two weeks of the last day, else never

SHARED_FIELDS = ("name", "occupations", "skills", "experience", "education", "summary", "area")


class EmployerReader:
    """An employer's person as the access log names them (kind and role "employer"), as coffee meetings do."""

    access_log_kind = "employer"

    def __init__(self, user):
        self.pk = user.pk


def log_employer_read(*, actor, municipality_id: int, citizen_id: int, what: str) -> None:
    access_log_record(actor=EmployerReader(actor), municipality_id=municipality_id, citizen_id=citizen_id,
                      action="read", purpose="help", what=what, role="employer")


def _int_or_zero(value) -> int:
    text = str(value if value is not None else "")
    return int(text) if text.isdigit() and len(text) < 12 else 0


# --- places ----------------------------------------------------------------------------------------------

def _clean_place(data: dict, *, today: datetime.date) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = defaultdict(list)
    clean: dict = {}
    title = str(data.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"].append(_("Give the role of the intern (at most 200 characters)."))
    clean["title"] = title
    occupation_id = str(data.get("occupation") or "")
    occupation = taxonomy.get_occupation(occupation_id=int(occupation_id)) if occupation_id.isdigit() else None
    if occupation is None:
        errors["occupation"].append(_("Choose the occupation from the list."))
    clean["occupation"] = occupation
    starts: Any = data.get("starts_on")
    ends: Any = data.get("ends_on")
    if not isinstance(starts, datetime.date) or not isinstance(ends, datetime.date):
        errors["starts_on"].append(_("Give the first and the last day of the internship."))
    elif ends < starts:
        errors["ends_on"].append(_("The last day cannot be before the first day."))
    elif starts < today:
        errors["starts_on"].append(_("The first day is in the past. Choose a day from today on."))
    elif (starts - today).days > MAX_DAYS_AHEAD:
        errors["starts_on"].append(_("The first day can be at most a year ahead."))
    elif (ends - starts).days + 1 > MAX_PERIOD_DAYS:
        errors["ends_on"].append(_("An internship place on Jobunivers can be at most %(weeks)d weeks. The job "
                                   "centre decides the length of each internship.") % {"weeks": MAX_PERIOD_DAYS // 7})
    clean["starts_on"], clean["ends_on"] = starts, ends
    hours: Any = data.get("hours_per_week")
    if not isinstance(hours, int) or isinstance(hours, bool) or not MIN_HOURS <= hours <= MAX_HOURS:
        errors["hours_per_week"].append(_("Hours a week must be a whole number from %(low)d to %(high)d.") % {
            "low": MIN_HOURS, "high": MAX_HOURS})
    clean["hours_per_week"] = hours
    address = str(data.get("address") or "").strip()
    if not address or len(address) > 300:
        errors["address"].append(_("Give the address of the workplace (at most 300 characters)."))
    clean["address"] = address
    postcode = str(data.get("postcode") or "").strip()
    if not postcode:
        errors["postcode"].append(_("Give the postcode of the workplace."))
    elif taxonomy.get_postcode(code=postcode) is None:
        errors["postcode"].append(_("We do not know the postcode %(code)s.") % {"code": postcode[:10]})
    clean["postcode"] = postcode
    description = str(data.get("description") or "").strip()
    if not description or len(description) > 3000:
        errors["description"].append(_("Describe the tasks and what the intern learns (at most 3,000 characters)."))
    clean["description"] = description
    places: Any = data.get("places")
    if not isinstance(places, int) or isinstance(places, bool) or not 1 <= places <= MAX_PLACES:
        errors["places"].append(_("The number of interns must be from 1 to %(count)d.") % {"count": MAX_PLACES})
    clean["places"] = places
    return clean, dict(errors)


def place_publish(*, actor, membership, data: dict, today: datetime.date | None = None) -> Place:
    """Publish an employer's internship place; it is offered to the citizens who fit after commit (tasks)."""
    if not permissions.can_publish_place(membership):
        raise ValidationFailed(_("Your account does not act for an employer yet. Contact the platform operator."))
    clean, errors = _clean_place(data, today=today or timezone.localdate())
    if errors:
        raise ValidationFailed(errors)
    employer_id: Any = employer_id_of(membership)
    with transaction.atomic():
        place = Place.objects.create(employer_id=employer_id, created_by=actor,
                                     published_at=timezone.now(), **clean)
        transaction.on_commit(partial(_enqueue_offers, place.pk))
    return place


def _enqueue_offers(place_id: int) -> None:
    from .tasks import offer_place

    offer_place.delay(place_id)


def _own_place_for_update(membership, place_id) -> Place:
    place = Place.objects.select_for_update().filter(pk=_int_or_zero(place_id)).first()
    if place is None or not permissions.can_manage_place(membership, place):
        raise NotFound
    return place


def place_update(*, actor, membership, place_id, data: dict, today: datetime.date | None = None) -> Place:
    """Edit an open place. Agreements already approved keep their own period and hours (they are in the plan)."""
    clean, errors = _clean_place(data, today=today or timezone.localdate())
    with transaction.atomic():
        place = _own_place_for_update(membership, place_id)
        if place.status != PlaceStatus.OPEN:
            raise ValidationFailed(_("The place is withdrawn and can no longer be changed."))
        if errors:
            raise ValidationFailed(errors)
        for key, value in clean.items():
            setattr(place, key, value)
        place.save()
    return place


def place_withdraw(*, actor, membership, place_id) -> Place:
    """Withdraw a place: no one new can apply and the job centre can approve no more applications to it."""
    with transaction.atomic():
        place = _own_place_for_update(membership, place_id)
        if place.status != PlaceStatus.OPEN:
            raise ConflictError(_("The place is already withdrawn."))
        place.status, place.withdrawn_at = PlaceStatus.WITHDRAWN, timezone.now()
        place.save(update_fields=["status", "withdrawn_at", "updated_at"])
    return place


def _is_open(place: Place, today: datetime.date) -> bool:
    return place.status == PlaceStatus.OPEN and place.starts_on >= today


def _place_point(place: Place):
    point = taxonomy.point_of_postcode(code=place.postcode) if place.postcode else None
    return (point.latitude, point.longitude) if point is not None else (None, None)


def place_offer(*, place_id: int, today: datetime.date | None = None) -> int:
    """Cards for the citizens whose profile fits an open place (matching's opening fit ≥ FIT_THRESHOLD), best
    first, up to the cap; each with its "shown" event and a notice. Idempotent: a second run makes nothing new."""
    today = today or timezone.localdate()
    place = Place.objects.select_related("occupation", "employer").filter(pk=place_id).first()
    if place is None or not _is_open(place, today):
        return 0
    kind = (place.occupation.isco_code or "")[:1]
    if not kind:
        return 0
    already = set(Suggestion.all_tenants.filter(place=place).values_list("citizen_id", flat=True))
    room = MAX_SUGGESTIONS_PER_PLACE - len(already)
    if room <= 0:
        return 0
    # Only profiles that seek something of the same ISCO major group can reach the threshold (an unrelated trade
    # is capped below it by matching), so the others are not scored at all.
    profiles = [p for p in citizens.profiles_for_matching() if p.citizen_id not in already
                and any((o.isco_code or "").startswith(kind) for o in p.occupations)]
    latitude, longitude = _place_point(place)
    fits = matching.opening_fits(profiles=profiles, occupation_id=place.occupation_id,
                                 isco_code=place.occupation.isco_code or "", latitude=latitude, longitude=longitude)
    municipality_of = {p.citizen_id: p.municipality_id for p in profiles}
    chosen = sorted((f for f in fits.values() if f.score >= FIT_THRESHOLD),
                    key=lambda f: (-f.score, f.citizen_id))[:room]
    by_municipality: dict[int, list] = defaultdict(list)
    for found in chosen:
        by_municipality[municipality_of[found.citizen_id]].append(found)
    made = 0
    now = timezone.now()
    for municipality_id, fits_here in sorted(by_municipality.items()):
        slug = tenancy.get_municipality(municipality_id=municipality_id).slug
        with transaction.atomic(), tenant_context(municipality_id):
            for found in fits_here:
                try:
                    with transaction.atomic():
                        suggestion = Suggestion.objects.create(
                            municipality_id=municipality_id, place=place, citizen_id=found.citizen_id,
                            score=found.score, reasons=[[r.text_da, r.text_en, r.positive] for r in found.reasons])
                except IntegrityError:
                    continue  # offered meanwhile by another run
                FunnelEvent.objects.create(municipality_id=municipality_id, place=place, suggestion=suggestion,
                                           step=Step.SHOWN, at=now)
                notify(municipality_id=municipality_id, citizen_id=found.citizen_id, kind=Kind.INTERNSHIP,
                       subject_key=f"internship:{suggestion.pk}",
                       title=_("An internship with %(employer)s?") % {"employer": place.employer.name},
                       body=_("%(employer)s offers an internship as %(role)s. Read more and apply.")
                       % {"employer": place.employer.name, "role": place.title},
                       link=municipal_reverse(slug, "internships:list"))
                made += 1
    return made


# --- the citizen's application ----------------------------------------------------------------------------

def shared_snapshot(*, citizen, fields: list[str]) -> dict:
    """Exactly the chosen fields of what the citizen could show an employer, as they are now."""
    facts = citizens.employer_facts(citizen_ids=[citizen.pk]).get(citizen.pk)
    if facts is None:
        return {}
    shared: dict = {}
    for name in SHARED_FIELDS:
        if name in fields:
            value = getattr(facts, name)
            shared[name] = list(value) if isinstance(value, tuple) else value
    return shared


def application_submit(*, actor, citizen, suggestion_id, motivation: str, fields, today: datetime.date | None = None
                       ) -> Application:
    """The citizen applies to a place they were shown, once, with a short motivation; the employer sees the
    motivation and exactly the chosen fields as they are now (a snapshot)."""
    if not permissions.is_the_citizen(actor, citizen):
        raise NotFound
    today = today or timezone.localdate()
    motivation = (motivation or "").strip()
    fields = list(fields or [])
    errors: dict[str, list[str]] = {}
    if not motivation or len(motivation) > MOTIVATION_MAX:
        errors["motivation"] = [_("Write a short motivation (at most %(count)d characters).") % {
            "count": MOTIVATION_MAX}]
    if set(fields) - set(SHARED_FIELDS):
        errors["fields"] = [_("Choose what the employer may see from the list.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(), tenant_context(citizen.municipality_id):
        suggestion = (Suggestion.objects.select_for_update().select_related("place")
                      .filter(pk=_int_or_zero(suggestion_id), citizen=citizen).first())
        if suggestion is None:
            raise NotFound
        if Application.objects.filter(suggestion=suggestion).exists():
            raise ConflictError(_("You have already applied for this internship."))
        if not _is_open(suggestion.place, today):
            raise ValidationFailed(_("The internship place is no longer open for applications."))
        shared = shared_snapshot(citizen=citizen, fields=fields)
        now = timezone.now()
        try:
            with transaction.atomic():
                application = Application.objects.create(
                    municipality_id=citizen.municipality_id, suggestion=suggestion, place=suggestion.place,
                    citizen=citizen, motivation=motivation, shared=shared, applied_at=now)
        except IntegrityError:
            raise ConflictError(_("You have already applied for this internship.")) from None
        FunnelEvent.objects.create(municipality_id=citizen.municipality_id, place=suggestion.place,
                                   suggestion=suggestion, step=Step.APPLIED, at=now)
    return application


def application_withdraw(*, actor, citizen, application_id) -> Application:
    """The citizen takes back an application the job centre has not decided yet."""
    if not permissions.is_the_citizen(actor, citizen):
        raise NotFound
    with transaction.atomic(), tenant_context(citizen.municipality_id):
        application = Application.objects.select_for_update().filter(
            pk=_int_or_zero(application_id), citizen=citizen).first()
        if application is None:
            raise NotFound
        if application.status != ApplicationStatus.APPLIED:
            raise ConflictError(_("Only an application the job centre has not decided yet can be withdrawn. "
                                  "Talk to your job centre."))
        application.status = ApplicationStatus.WITHDRAWN
        application.save(update_fields=["status", "updated_at"])
    return application


# --- the job centre's decision ---------------------------------------------------------------------------

APPROVE, DECLINE = "approve", "decline"


def _agreement_text(place: Place) -> str:
    return _("Internship (virksomhedspraktik) with %(employer)s as %(role)s, %(hours)d hours a week, %(address)s, "
             "%(postcode)s. Agreed with the job centre.") % {
        "employer": place.employer.name, "role": place.title, "hours": place.hours_per_week,
        "address": place.address, "postcode": place.postcode}


def application_decide(*, actor, municipality_id: int, application_id, decision: str, reason: str = "",
                       today: datetime.date | None = None) -> Application:
    """A caseworker of the citizen's municipality approves or declines an application. Approval puts the
    internship agreement in the citizen's plan (planned, agreed with the job centre) and tells the citizen
    (outbox) and the employer (e-mail after commit); a decline needs a reason the citizen reads."""
    if not permissions.can_decide(actor, municipality_id):
        raise NotFound
    today = today or timezone.localdate()
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if decision not in (APPROVE, DECLINE):
        errors["decision"] = [_("Choose approve or decline.")]
    if decision == DECLINE and len(reason) < REASON_MIN:
        errors["reason"] = [_("Write why the application is declined (at least %(count)d characters).") % {
            "count": REASON_MIN}]
    if len(reason) > 500:
        errors["reason"] = [_("The reason can be at most 500 characters.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(), tenant_context(municipality_id):
        application = (Application.objects.select_for_update().select_related("place__employer", "citizen")
                       .filter(pk=_int_or_zero(application_id)).first())
        if application is None:
            raise NotFound
        if application.status != ApplicationStatus.APPLIED:
            raise ConflictError(_("The application is already decided or withdrawn."))
        place = Place.objects.select_for_update().select_related("employer").get(pk=application.place_id)
        citizen = application.citizen
        now = timezone.now()
        if decision == APPROVE:
            if not _is_open(place, today):
                raise ValidationFailed(_("The internship place is withdrawn or has already started; it cannot be "
                                         "approved."))
            taken = Application.objects.filter(place=place, status=ApplicationStatus.APPROVED).count()
            if taken >= place.places:
                raise ValidationFailed(_("All %(count)d places of this internship are taken.") % {"count": place.places})
            item = citizen_services.plan_item_create(
                actor=actor, citizen=citizen, item_type="internship",
                title=(_("Internship: %(role)s at %(employer)s") % {"role": place.title,
                                                                    "employer": place.employer.name})[:200],
                description=_agreement_text(place), starts_on=place.starts_on, due_on=place.ends_on,
                location=f"{place.address}, {place.postcode}"[:300], agreed_with_job_centre=True,
                created_by_kind="staff", status="planned")
            application.plan_item_id = item.pk
            application.status = ApplicationStatus.APPROVED
        else:
            application.status = ApplicationStatus.DECLINED
        application.decided_at, application.decided_by, application.decision_reason = now, actor, reason
        application.save(update_fields=["status", "decided_at", "decided_by", "decision_reason", "plan_item_id",
                                        "updated_at"])
        citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=citizen.pk,
                              what="internships.application", purpose="help", action="change")
        slug = tenancy.get_municipality(municipality_id=municipality_id).slug
        if decision == APPROVE:
            FunnelEvent.objects.create(municipality_id=municipality_id, place=place,
                                       suggestion_id=application.suggestion_id, step=Step.APPROVED, at=now)
            notify(municipality_id=municipality_id, citizen_id=citizen.pk, kind=Kind.INTERNSHIP,
                   subject_key=f"internship-application:{application.pk}:approved",
                   title=_("Your internship with %(employer)s is approved") % {"employer": place.employer.name},
                   body=_("It is in your plan: %(first)s to %(last)s, %(hours)d hours a week.") % {
                       "first": place.starts_on.strftime("%d.%m.%Y"), "last": place.ends_on.strftime("%d.%m.%Y"),
                       "hours": place.hours_per_week},
                   link=municipal_reverse(slug, "internships:list"))
            _tell_employer(place, _("An intern is approved for %(role)s, from %(first)s. See the intern under "
                                    "Internships on Jobunivers.") % {
                "role": place.title, "first": place.starts_on.strftime("%d.%m.%Y")})
            publish_on_commit(InternshipApproved(municipality_id=municipality_id, citizen_id=citizen.pk,
                                                 application_id=application.pk, starts_on=place.starts_on,
                                                 ends_on=place.ends_on))
        else:
            notify(municipality_id=municipality_id, citizen_id=citizen.pk, kind=Kind.INTERNSHIP,
                   subject_key=f"internship-application:{application.pk}:declined",
                   title=_("Your internship application to %(employer)s is declined") % {
                       "employer": place.employer.name},
                   body=reason, link=municipal_reverse(slug, "internships:list"))
    return application


def _tell_employer(place: Place, body: str) -> None:
    email = (getattr(place.created_by, "email", "") or "").strip() if place.created_by_id else ""
    if email:
        message = EmailMessage(subject=_("News about your internship place"), body=body, to=[email])
        transaction.on_commit(partial(message.send, fail_silently=True))


# --- during and after: the plan item as the system, and the nudges ------------------------------------------

def _plan_status(application: Application, status: str) -> None:
    """Move the agreement's plan item as the system; an item the citizen or the job centre already closed is
    left as they left it, and a conflict leaves it for them (as learning does, ADR 0093)."""
    if application.plan_item_id is None:
        return
    item = (citizens.plan_items_for(citizen_id=application.citizen_id).select_related("citizen")
            .filter(pk=application.plan_item_id).first())
    if item is None or item.status == status or item.status in ("done", "cancelled"):
        return
    try:
        with transaction.atomic():
            citizen_services.plan_item_update(actor=None, plan_item=item, expected_version=item.version,
                                              changed_by_kind="system", status=status)
    except (ValidationFailed, ConflictError):
        logger.warning("plan item %s not moved to %s by internships", item.pk, status)


def _event_once(application: Application, step: str, now: datetime.datetime) -> None:
    if not FunnelEvent.all_tenants.filter(suggestion_id=application.suggestion_id, step=step).exists():
        FunnelEvent.all_tenants.create(municipality_id=application.municipality_id, place_id=application.place_id,
                                       suggestion_id=application.suggestion_id, step=step, at=now)


def _nudge(application: Application, phase: str, *, caps, sent_today: dict[int, int], user_id: int) -> bool:
    """One notice per internship and phase ("during", "after") pointing to the employer's open postings and
    similar jobs. It counts as a job notice: sent only while the citizen's job notices of the last 24 hours (matching's
    fan-out, plus the nudges of this run) are under the municipality's daily cap, the cap fan-out keeps; a capped
    nudge is tried again the next day."""
    if sent_today.get(user_id, 0) >= caps.cap_of(application.municipality_id):
        return False
    place = application.place
    slug = tenancy.get_municipality(municipality_id=application.municipality_id).slug
    title = (_("Jobs at %(employer)s and similar jobs") % {"employer": place.employer.name} if phase == "during"
             else _("Your internship has ended: jobs at %(employer)s and similar jobs") % {
                 "employer": place.employer.name})
    result = notify(municipality_id=application.municipality_id, citizen_id=application.citizen_id,
                    kind=Kind.INTERNSHIP, subject_key=f"internship-application:{application.pk}:{phase}",
                    title=title, body=_("See the employer's open jobs and jobs like %(role)s.") % {"role": place.title},
                    link=municipal_reverse(slug, "internships:list"))
    if result.created:
        sent_today[user_id] = sent_today.get(user_id, 0) + 1
    return result.created


def internships_advance(*, today: datetime.date | None = None) -> dict[str, int]:
    """The daily run: on the first day the agreement's plan item goes to in progress and the "started" step is
    counted; after the last day it goes to done and "completed" is counted; the nudges go out in both phases
    (within the cap); open places are offered to citizens who fit them now. Idempotent."""
    today = today or timezone.localdate()
    figures = {"started": 0, "completed": 0, "nudged": 0, "offered": 0}
    now = timezone.now()
    caps = tenancy.notice_settings()
    since = now - datetime.timedelta(hours=24)
    sent_today: dict[int, int] = defaultdict(int)
    for user_id, count in notices.notice_counts_since(kind=Kind.JOB_MATCH, since=since).items():
        sent_today[user_id] += count
    approved = (Application.all_tenants.filter(status=ApplicationStatus.APPROVED, place__starts_on__lte=today)
                .select_related("place__employer", "citizen").order_by("pk"))
    for application in approved:
        place = application.place
        with transaction.atomic(), tenant_context(application.municipality_id):
            if not application.started:
                Application.all_tenants.filter(pk=application.pk).update(started=True, updated_at=now)
                application.started = True
                _plan_status(application, "in_progress")
                _event_once(application, Step.STARTED, now)
                publish_on_commit(InternshipStarted(municipality_id=application.municipality_id,
                                                    citizen_id=application.citizen_id, application_id=application.pk))
                figures["started"] += 1
            if place.ends_on < today and not application.completed:
                Application.all_tenants.filter(pk=application.pk).update(completed=True, updated_at=now)
                application.completed = True
                _plan_status(application, "done")
                _event_once(application, Step.COMPLETED, now)
                publish_on_commit(InternshipCompleted(municipality_id=application.municipality_id,
                                                      citizen_id=application.citizen_id,
                                                      application_id=application.pk))
                figures["completed"] += 1
            if application.outcome == Outcome.JOB:
                continue  # hired: no nudge towards other jobs
            phase = "during" if place.ends_on >= today else "after"
            if phase == "after" and (today - place.ends_on).days > AFTER_NUDGE_DAYS:
                continue
            if _nudge(application, phase, caps=caps, sent_today=sent_today, user_id=application.citizen.user_id):
                figures["nudged"] += 1
    for place_id in Place.objects.filter(status=PlaceStatus.OPEN, starts_on__gte=today).values_list("pk", flat=True):
        figures["offered"] += place_offer(place_id=place_id, today=today)
    return figures


# --- the outcome -------------------------------------------------------------------------------------------

def _record_outcome(application: Application, *, outcome: str, by_kind: str, actor, today: datetime.date) -> None:
    if outcome not in Outcome.values:
        raise ValidationFailed({"outcome": [_("Choose completed, got the job or no job.")]})
    if application.status != ApplicationStatus.APPROVED or application.place.starts_on > today:
        raise ValidationFailed(_("The outcome can be recorded once the internship has started."))
    if application.outcome == Outcome.JOB:
        raise ConflictError(_("This outcome is already recorded."))
    if application.outcome == outcome:
        raise ConflictError(_("This outcome is already recorded."))
    now = timezone.now()
    application.outcome, application.outcome_by_kind, application.outcome_at = outcome, by_kind, now
    application.save(update_fields=["outcome", "outcome_by_kind", "outcome_at", "updated_at"])
    if outcome in (Outcome.COMPLETED, Outcome.JOB):
        _event_once(application, Step.STARTED, now)
        _event_once(application, Step.COMPLETED, now)
    if outcome == Outcome.JOB:
        _event_once(application, Step.JOB, now)
        publish_on_commit(InternshipJobRecorded(
            municipality_id=application.municipality_id, citizen_id=application.citizen_id,
            application_id=application.pk, recorded_by_kind=by_kind, recorded_by_user_id=getattr(actor, "pk", None),
            job_from=min(today, application.place.ends_on + datetime.timedelta(days=1))))


def outcome_by_employer(*, actor, membership, place_id, application_id, outcome: str,
                        today: datetime.date | None = None) -> Application:
    with transaction.atomic():
        application = (Application.all_tenants.select_for_update().select_related("place")
                       .filter(pk=_int_or_zero(application_id), place_id=_int_or_zero(place_id)).first())
        if (application is None or not permissions.can_manage_place(membership, application.place)
                or application.status != ApplicationStatus.APPROVED):
            raise NotFound  # the employer sees approved interns only through their own places
        with tenant_context(application.municipality_id):
            _record_outcome(application, outcome=outcome, by_kind="employer", actor=actor,
                            today=today or timezone.localdate())
    return application


def outcome_by_staff(*, actor, municipality_id: int, application_id, outcome: str,
                     today: datetime.date | None = None) -> Application:
    if not permissions.can_decide(actor, municipality_id):
        raise NotFound
    with transaction.atomic(), tenant_context(municipality_id):
        application = (Application.objects.select_for_update().select_related("place")
                       .filter(pk=_int_or_zero(application_id)).first())
        if application is None:
            raise NotFound
        _record_outcome(application, outcome=outcome, by_kind="staff", actor=actor,
                        today=today or timezone.localdate())
        citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=application.citizen_id,
                              what="internships.application", purpose="help", action="change")
    return application
