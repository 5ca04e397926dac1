"""Writes of coffee meetings (ADR 0110): publishing and closing an invitation, offering it to the citizens who
fit and allow it, the citizen's one answer (or staff's on their behalf, with a reason), the employer's
acceptance with a booked time, attendance and outcome. Each step writes its funnel event in the same
transaction; notices go through the notifications outbox (citizens) and by e-mail after commit (employers).
"""

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
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.matching import selectors as matching
from jobunivers.notifications.contracts import Kind
from jobunivers.notifications.services import notify
from jobunivers.taxonomy import selectors as taxonomy
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality

from . import permissions
from .models import (
    Answer,
    AnswerChoice,
    FunnelEvent,
    Invitation,
    InvitationStatus,
    JobKind,
    Offer,
    SharedField,
    Step,
    Visibility,
)
from .slots import all_slots, free_slots

logger = logging.getLogger(__name__)

FIT_THRESHOLD = 0.5  # matching's opening fit a citizen must reach to be shown an invitation (ADR 0110)
MAX_OFFERS_PER_INVITATION = 300  # the best fits only: bounds the fan-out and the employer's list
MEETING_LENGTHS = (15, 20, 30, 45, 60)
MAX_WINDOW_DAYS = 90
MAX_MEETINGS = 50
ON_BEHALF_REASON_MIN = 10


class EmployerReader:
    """An employer's person as the access log names them: their user, kind "employer", role "employer"
    (the citizen's "Mine data" reads "Arbejdsgiver Bente Byggesen så ...")."""

    access_log_kind = "employer"

    def __init__(self, user):
        self.pk = user.pk


def log_employer_read(*, actor, municipality_id: int, citizen_id: int, what: str) -> None:
    """One access-log entry in the citizen's municipality for an employer's look at what the citizen shared.
    Call inside the transaction of the read."""
    access_log_record(actor=EmployerReader(actor), municipality_id=municipality_id, citizen_id=citizen_id,
                      action="read", purpose="help", what=what, role="employer")


# --- invitations ----------------------------------------------------------------------------------------

def _clean_invitation(data: dict, *, today: datetime.date, now: datetime.datetime) -> tuple[dict, dict]:
    errors: dict[str, list[str]] = defaultdict(list)
    clean: dict = {}
    title = str(data.get("title") or "").strip()
    if not title or len(title) > 200:
        errors["title"].append(_("Give the role the meetings are about (at most 200 characters)."))
    clean["title"] = title
    occupation_id = str(data.get("occupation") or "")
    occupation = taxonomy.get_occupation(occupation_id=int(occupation_id)) if occupation_id.isdigit() else None
    if occupation is None:
        errors["occupation"].append(_("Choose the occupation from the list."))
    clean["occupation"] = occupation
    needs = str(data.get("needs") or "").strip()
    if not needs or len(needs) > 2000:
        errors["needs"].append(_("Say what you are looking for (at most 2,000 characters)."))
    clean["needs"] = needs
    place, video = str(data.get("place") or "").strip(), str(data.get("video_link") or "").strip()
    if not place and not video:
        errors["place"].append(_("Give a meeting place or a video meeting link."))
    if len(place) > 300:
        errors["place"].append(_("The meeting place can be at most 300 characters."))
    if video and (not video.startswith("https://") or len(video) > 500 or any(c.isspace() for c in video)):
        errors["video_link"].append(_("The video meeting link must be a web address that starts with https://."))
    clean["place"], clean["video_link"] = place, video
    postcode = str(data.get("postcode") or "").strip()
    if postcode and taxonomy.get_postcode(code=postcode) is None:
        errors["postcode"].append(_("We do not know the postcode %(code)s.") % {"code": postcode[:10]})
    clean["postcode"] = postcode
    first: Any = data.get("first_day")
    last: Any = data.get("last_day")
    starts: Any = data.get("day_starts")
    ends: Any = data.get("day_ends")
    if not isinstance(first, datetime.date) or not isinstance(last, datetime.date):
        errors["first_day"].append(_("Give the first and the last day of the meetings."))
    elif last < first:
        errors["last_day"].append(_("The last day cannot be before the first day."))
    elif last < today or first < today:
        errors["first_day"].append(_("The time window is in the past. Choose days from today on."))
    elif (last - first).days > MAX_WINDOW_DAYS:
        errors["last_day"].append(_("The time window can be at most %(days)d days.") % {"days": MAX_WINDOW_DAYS})
    if not isinstance(starts, datetime.time) or not isinstance(ends, datetime.time):
        errors["day_starts"].append(_("Give the times of day the meetings can be held."))
    elif ends <= starts:
        errors["day_ends"].append(_("The meetings must end after they start."))
    minutes: Any = data.get("meeting_minutes")
    if minutes not in MEETING_LENGTHS:
        errors["meeting_minutes"].append(_("Choose how long each meeting is."))
    meetings: Any = data.get("meetings")
    if not isinstance(meetings, int) or meetings < 1:
        errors["meetings"].append(_("The number of meetings must be at least 1."))
    elif meetings > MAX_MEETINGS:
        errors["meetings"].append(_("The number of meetings can be at most %(count)d.") % {"count": MAX_MEETINGS})
    clean.update(first_day=first, last_day=last, day_starts=starts, day_ends=ends, meeting_minutes=minutes,
                 meetings=meetings)
    if not errors:
        slots = [s for s in all_slots(first_day=first, last_day=last, day_starts=starts, day_ends=ends,
                                      minutes=minutes) if s > now]
        if not slots:
            errors["first_day"].append(_("No meeting time in the window is still to come. Choose later days or "
                                         "times."))
        elif len(slots) < meetings:
            errors["meetings"].append(_("The window has room for %(count)d meetings only (weekdays).") % {
                "count": len(slots)})
    return clean, dict(errors)


def invitation_publish(*, actor, membership, data: dict) -> Invitation:
    """Publish an employer's invitation; it is offered to the citizens who fit after commit (tasks)."""
    if not permissions.can_publish_invitation(membership):
        raise ValidationFailed(_("Your account does not act for an employer yet. Contact the platform operator."))
    from jobunivers.jobs.permissions import employer_id_of

    now = timezone.now()
    clean, errors = _clean_invitation(data, today=timezone.localdate(), now=now)
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic():
        employer_id: Any = employer_id_of(membership)
        invitation = Invitation.objects.create(employer_id=employer_id, created_by=actor,
                                               published_at=now, **clean)
        transaction.on_commit(partial(_enqueue_offers, invitation.pk))
    return invitation


def _enqueue_offers(invitation_id: int) -> None:
    from .tasks import offer_invitation

    offer_invitation.delay(invitation_id)


def invitation_close(*, actor, membership, invitation: Invitation) -> None:
    if not permissions.can_manage_invitation(membership, invitation):
        raise NotFound
    Invitation.objects.filter(pk=invitation.pk, status=InvitationStatus.OPEN).update(
        status=InvitationStatus.CLOSED, closed_at=timezone.now())


def _is_open(invitation: Invitation, *, today: datetime.date | None = None) -> bool:
    return invitation.status == InvitationStatus.OPEN and invitation.last_day >= (today or timezone.localdate())


def _place_point(invitation: Invitation):
    if not invitation.postcode:
        return None, None
    point = taxonomy.point_of_postcode(code=invitation.postcode)
    return (point.latitude, point.longitude) if point is not None else (None, None)


def _job_kind(invitation: Invitation) -> str:
    code = (invitation.occupation.isco_code or "")[:1]
    return code if code in JobKind.values else ""


def _offer_to(invitation: Invitation, citizen_ids: set[int]) -> int:
    """Cards for those of these citizens whose profile fits (matching's opening fit ≥ FIT_THRESHOLD), best first,
    up to the invitation's cap; each with its "shown" event and a notice. Idempotent."""
    already = set(Offer.all_tenants.filter(invitation=invitation).values_list("citizen_id", flat=True))
    room = MAX_OFFERS_PER_INVITATION - len(already)
    candidates = citizen_ids - already
    if room <= 0 or not candidates:
        return 0
    latitude, longitude = _place_point(invitation)
    profiles = citizens.profiles_of(citizen_ids=candidates)
    fits = matching.opening_fits(profiles=list(profiles.values()), occupation_id=invitation.occupation_id,
                                 isco_code=invitation.occupation.isco_code or "", latitude=latitude,
                                 longitude=longitude)
    chosen = sorted((f for f in fits.values() if f.score >= FIT_THRESHOLD), key=lambda f: (-f.score, f.citizen_id))
    chosen = chosen[:room]
    by_municipality: dict[int, list] = defaultdict(list)
    for found in chosen:
        by_municipality[profiles[found.citizen_id].municipality_id].append(found)
    made = 0
    now = timezone.now()
    for municipality_id, fits_here in sorted(by_municipality.items()):
        slug = get_municipality(municipality_id=municipality_id).slug
        with transaction.atomic(), tenant_context(municipality_id):
            for found in fits_here:
                try:
                    with transaction.atomic():
                        offer = Offer.objects.create(
                            municipality_id=municipality_id, invitation=invitation, citizen_id=found.citizen_id,
                            score=found.score, reasons=[[r.text_da, r.text_en, r.positive] for r in found.reasons])
                except IntegrityError:
                    continue  # offered meanwhile by another run
                FunnelEvent.objects.create(municipality_id=municipality_id, invitation=invitation, offer=offer,
                                           step=Step.SHOWN, at=now)
                notify(municipality_id=municipality_id, citizen_id=found.citizen_id, kind=Kind.COFFEE,
                       subject_key=f"coffee:{offer.pk}", title=_("A coffee meeting with %(employer)s?") % {
                           "employer": invitation.employer.name},
                       body=_("%(employer)s would like to meet people who seek work as %(role)s. Answer yes or no.")
                       % {"employer": invitation.employer.name, "role": invitation.title},
                       link=municipal_reverse(slug, "coffee:cards"))
                made += 1
    return made


def invitation_offer(*, invitation_id: int) -> int:
    """Offer an open invitation to every citizen who is visible for its kind of job and fits. Idempotent."""
    invitation = Invitation.objects.select_related("occupation", "employer").filter(pk=invitation_id).first()
    if invitation is None or not _is_open(invitation):
        return 0
    kind = _job_kind(invitation)
    if not kind:
        return 0
    visible = {citizen_id for citizen_id, kinds in Visibility.all_tenants.filter(is_open=True).values_list(
        "citizen_id", "job_kinds") if kind in (kinds or [])}
    return _offer_to(invitation, visible)


def offers_for_citizen(*, citizen) -> int:
    """The open invitations of the kinds the citizen just chose, offered to them if they fit."""
    visibility = Visibility.all_tenants.filter(citizen_id=citizen.pk, is_open=True).first()
    if visibility is None:
        return 0
    made = 0
    for invitation in Invitation.objects.select_related("occupation", "employer").filter(
            status=InvitationStatus.OPEN, last_day__gte=timezone.localdate()).order_by("pk"):
        if _job_kind(invitation) in (visibility.job_kinds or []):
            made += _offer_to(invitation, {citizen.pk})
    return made


# --- the citizen's choice -------------------------------------------------------------------------------

def visibility_set(*, actor, citizen, is_open: bool, job_kinds, fields) -> Visibility:
    if not permissions.is_the_citizen(actor, citizen):
        raise NotFound
    job_kinds, fields = list(job_kinds or []), list(fields or [])
    errors: dict[str, list[str]] = {}
    if set(job_kinds) - set(JobKind.values):
        errors["job_kinds"] = [_("Choose kinds of job from the list.")]
    if set(fields) - set(SharedField.values):
        errors["fields"] = [_("Choose what employers may see from the list.")]
    if is_open and not job_kinds:
        errors["job_kinds"] = [_("Choose at least one kind of job, or say no to being seen by employers.")]
    if errors:
        raise ValidationFailed(errors)
    job_kinds = [k for k in JobKind.values if k in job_kinds]
    fields = [f for f in SharedField.values if f in fields]
    with transaction.atomic(), tenant_context(citizen.municipality_id):
        visibility, _created = Visibility.objects.update_or_create(
            citizen=citizen, defaults={"municipality_id": citizen.municipality_id, "is_open": bool(is_open),
                                       "job_kinds": job_kinds, "fields": fields})
    if visibility.is_open:
        offers_for_citizen(citizen=citizen)
    return visibility


def shared_snapshot(*, citizen, fields: list[str]) -> dict:
    """Exactly the chosen fields of what the citizen could show, as they are now (the snapshot of a yes)."""
    facts = citizens.employer_facts(citizen_ids=[citizen.pk]).get(citizen.pk)
    if facts is None:
        return {}
    shared: dict = {}
    for name in SharedField.values:
        if name in fields:
            value = getattr(facts, name)
            shared[name] = list(value) if isinstance(value, tuple) else value
    return shared


def answer_give(*, actor, citizen, offer_id, choice: str, reason: str = "") -> Answer:
    """The citizen's answer to a card, once. Staff of the citizen's municipality may answer on their behalf
    with a reason (logged). A yes copies the fields the citizen chose to share, as they are now."""
    mine = permissions.is_the_citizen(actor, citizen)
    on_behalf = not mine and permissions.can_answer_on_behalf(actor, citizen)
    if not mine and not on_behalf:
        raise NotFound
    reason = (reason or "").strip()
    errors: dict[str, list[str]] = {}
    if choice not in AnswerChoice.values:
        errors["choice"] = [_("Answer yes or no.")]
    if on_behalf and len(reason) < ON_BEHALF_REASON_MIN:
        errors["reason"] = [_("Write why you answer on the citizen's behalf (at least %(count)d characters).") % {
            "count": ON_BEHALF_REASON_MIN}]
    if len(reason) > 500:
        errors["reason"] = [_("The reason can be at most 500 characters.")]
    if errors:
        raise ValidationFailed(errors)
    with transaction.atomic(), tenant_context(citizen.municipality_id):
        offer = (Offer.objects.select_for_update().select_related("invitation")
                 .filter(pk=int(offer_id) if str(offer_id).isdigit() else 0, citizen=citizen).first())
        if offer is None:
            raise NotFound
        if Answer.objects.filter(offer=offer).exists():
            raise ConflictError(_("You have already answered this invitation."))
        if not _is_open(offer.invitation):
            raise ValidationFailed(_("The invitation is closed. It can no longer be answered."))
        visibility = Visibility.objects.filter(citizen=citizen).first()
        # A citizen who has since said no to being seen shares nothing with a yes, whatever fields they ticked.
        fields = list(visibility.fields) if visibility is not None and visibility.is_open else []
        shared = shared_snapshot(citizen=citizen, fields=fields) if choice == AnswerChoice.YES else {}
        now = timezone.now()
        try:
            with transaction.atomic():
                answer = Answer.objects.create(
                    municipality_id=citizen.municipality_id, offer=offer, choice=choice, answered_at=now,
                    answered_by=actor, on_behalf=on_behalf, on_behalf_reason=reason if on_behalf else "",
                    shared=shared)
        except IntegrityError:
            raise ConflictError(_("You have already answered this invitation.")) from None
        FunnelEvent.objects.create(municipality_id=citizen.municipality_id, invitation=offer.invitation, offer=offer,
                                   step=Step.YES if choice == AnswerChoice.YES else Step.NO, at=now)
        if on_behalf:
            citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                                  what="coffee.answer", purpose="help", action="change")
    return answer


# --- the employer's acceptance and the booked time ------------------------------------------------------

def _parse_slot(value) -> datetime.datetime | None:
    if isinstance(value, datetime.datetime):
        return value
    try:
        parsed = datetime.datetime.fromisoformat(str(value or ""))
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def offer_accept(*, actor, membership, offer_id, slot, invitation_id=None) -> Offer:
    """Accept a candidate who said yes and book the chosen free time; the citizen is told (outbox), and so is
    the employer (e-mail after commit)."""
    with transaction.atomic():
        offer = (Offer.all_tenants.select_for_update().select_related("invitation__employer")
                 .filter(pk=int(offer_id) if str(offer_id).isdigit() else 0).first())
        if (offer is None or not permissions.can_manage_invitation(membership, offer.invitation)
                or (invitation_id is not None and offer.invitation_id != int(invitation_id))):
            raise NotFound
        invitation = offer.invitation
        answer = Answer.all_tenants.filter(offer=offer).first()
        if answer is None or answer.choice != AnswerChoice.YES:
            raise NotFound  # the employer only ever sees candidates who said yes
        if offer.accepted_at is not None:
            raise ConflictError(_("This candidate is already accepted."))
        if not _is_open(invitation):
            raise ValidationFailed(_("The invitation is closed."))
        accepted = Offer.all_tenants.filter(invitation=invitation, accepted_at__isnull=False).count()
        if accepted >= invitation.meetings:
            raise ValidationFailed(_("All %(count)d meetings are booked.") % {"count": invitation.meetings})
        when = _parse_slot(slot)
        taken: set[Any] = set(Offer.all_tenants.filter(invitation=invitation, meeting_at__isnull=False)
                              .values_list("meeting_at", flat=True))
        if when is None or when not in free_slots(invitation, taken=taken):
            raise ValidationFailed({"slot": [_("Choose one of the free times.")]})
        now = timezone.now()
        offer.accepted_at, offer.meeting_at = now, when
        try:
            with transaction.atomic():
                offer.save(update_fields=["accepted_at", "meeting_at", "updated_at"])
        except IntegrityError:
            raise ConflictError(_("The time was booked a moment ago. Choose another.")) from None
        FunnelEvent.all_tenants.create(municipality_id=offer.municipality_id, invitation=invitation, offer=offer,
                                       step=Step.ACCEPTED, at=now)
        _tell_both(offer, actor)
    return offer


def _when_text(when: Any) -> str:
    from django.utils.formats import date_format

    local = timezone.localtime(when)
    return f"{date_format(local, 'DATE_FORMAT')} {date_format(local, 'TIME_FORMAT')}"


def _tell_both(offer: Offer, actor) -> None:
    invitation = offer.invitation
    slug = get_municipality(municipality_id=offer.municipality_id).slug
    where = invitation.place or _("video meeting")
    notify(municipality_id=offer.municipality_id, citizen_id=offer.citizen_id, kind=Kind.COFFEE,
           subject_key=f"coffee:{offer.pk}:booked",
           title=_("Coffee meeting with %(employer)s is booked") % {"employer": invitation.employer.name},
           body=_("%(when)s, %(where)s.") % {"when": _when_text(offer.meeting_at), "where": where},
           link=municipal_reverse(slug, "coffee:cards"))
    email = (getattr(actor, "email", "") or "").strip()
    if email:
        body = _("A coffee meeting about %(role)s is booked %(when)s. See the candidate under Coffee meetings on "
                 "Jobunivers.") % {"role": invitation.title, "when": _when_text(offer.meeting_at)}
        message = EmailMessage(subject=_("A coffee meeting is booked"), body=body, to=[email])
        transaction.on_commit(partial(message.send, fail_silently=True))


# --- afterwards: attendance and outcome ----------------------------------------------------------------

ATTENDANCE = ("met", "no_show")
OUTCOMES = ("interview", "job")


def _event_once(offer: Offer, step: str) -> None:
    if not FunnelEvent.all_tenants.filter(offer=offer, step=step).exists():
        FunnelEvent.all_tenants.create(municipality_id=offer.municipality_id, invitation_id=offer.invitation_id,
                                       offer=offer, step=step, at=timezone.now())


def _check_attendance(offer: Offer, value: str, recorded: str) -> None:
    if value not in ATTENDANCE:
        raise ValidationFailed({"attendance": [_("Say whether you met.")]})
    if offer.meeting_at is None:
        raise NotFound
    if offer.meeting_at > timezone.now():
        raise ValidationFailed(_("You can record whether you met once the meeting has begun."))
    if recorded:
        raise ConflictError(_("You have already recorded whether you met."))


def attendance_by_citizen(*, actor, citizen, offer_id, value: str) -> Offer:
    if not permissions.is_the_citizen(actor, citizen):
        raise NotFound
    with transaction.atomic(), tenant_context(citizen.municipality_id):
        offer = Offer.objects.select_for_update().filter(
            pk=int(offer_id) if str(offer_id).isdigit() else 0, citizen=citizen).first()
        if offer is None:
            raise NotFound
        _check_attendance(offer, value, offer.citizen_attendance)
        offer.citizen_attendance = value
        offer.save(update_fields=["citizen_attendance", "updated_at"])
        _event_once(offer, value)
    return offer


def _employer_offer(membership, offer_id, invitation_id=None) -> Offer:
    offer = (Offer.all_tenants.select_for_update().select_related("invitation")
             .filter(pk=int(offer_id) if str(offer_id).isdigit() else 0, accepted_at__isnull=False).first())
    if (offer is None or not permissions.can_manage_invitation(membership, offer.invitation)
            or (invitation_id is not None and offer.invitation_id != int(invitation_id))):
        raise NotFound
    return offer


def attendance_by_employer(*, actor, membership, offer_id, value: str, invitation_id=None) -> Offer:
    with transaction.atomic():
        offer = _employer_offer(membership, offer_id, invitation_id)
        _check_attendance(offer, value, offer.employer_attendance)
        offer.employer_attendance = value
        offer.save(update_fields=["employer_attendance", "updated_at"])
        _event_once(offer, value)
    return offer


def outcome_record(*, actor, membership, offer_id, outcome: str, invitation_id=None) -> Offer:
    """The employer records a job interview or a job after a meeting that took place. A job implies the
    interview step in the funnel; an outcome is only ever raised (interview → job), never lowered."""
    if outcome not in OUTCOMES:
        raise ValidationFailed({"outcome": [_("Choose job interview or job.")]})
    with transaction.atomic():
        offer = _employer_offer(membership, offer_id, invitation_id)
        if "met" not in (offer.employer_attendance, offer.citizen_attendance):
            raise ValidationFailed(_("Record first that you met."))
        if offer.outcome == "job" or offer.outcome == outcome:
            raise ConflictError(_("This outcome is already recorded."))
        offer.outcome = outcome
        offer.save(update_fields=["outcome", "updated_at"])
        _event_once(offer, Step.INTERVIEW)
        if outcome == "job":
            _event_once(offer, Step.JOB)
    return offer
