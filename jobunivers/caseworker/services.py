"""Writes of the staff workspace: notes and reminders, saved filters, summonses and their outcome,
agreed activities, jobs and content sent to one citizen or a group, bulk assignment.

Every function is atomic and validates first: a refused input raises ValidationFailed with
translated messages and writes nothing. The citizen hears about a summons or a push through the
notification outbox (idempotent per citizen, kind and subject; their channel choices respected).
Each permission is a `permissions.can_*` function; each change of a citizen's data writes its
access-log entry (with the purpose the caller passes) in the same transaction as the change.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.citizens import services as citizen_services
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.core.redirects import is_local_path
from jobunivers.tenancy.permissions import is_staff_member
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality, membership_for

from . import adapters, permissions
from .contracts import SummonsHeld
from .models import (
    CaseNote,
    CitizenOpened,
    CitizenResponse,
    Conversation,
    ConversationMode,
    ConversationStatus,
    NoteColour,
    Purpose,
    Push,
    PushKind,
    PushRecipient,
    SavedFilter,
)

MAX_PUSH_CAP = 2000
MEETING_ITEM_TYPE = "meeting"


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def _staff_membership(actor, municipality_id: int):
    membership = membership_for(actor, municipality_id)
    if not is_staff_member(membership):
        raise ValidationFailed(_("Only staff of the citizen's job centre can do this."))
    return membership


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise ValidationFailed(message)


def _log_change(actor, citizen, what: str, purpose: str) -> None:
    citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                          action="change", purpose=purpose, what=what)


def _staff_only() -> str:
    return _("Only staff of the citizen's job centre can do this.")


def _caseworkers_only() -> str:
    return _("Only the citizen's job adviser or personal job consultant can make agreements and summon the "
             "citizen.")


# --- Notes and reminders -----------------------------------------------------------------------


def _note_values(text: str, colour: str, due_on: datetime.date | None, errors: dict) -> dict:
    text = (text or "").strip()
    if not text:
        errors.setdefault("text", []).append(_("Write the note."))
    elif len(text) > 4000:
        errors.setdefault("text", []).append(_("Write at most 4,000 characters."))
    if colour not in NoteColour.values:
        errors.setdefault("colour", []).append(_("Choose one of the colours."))
    if due_on is not None and due_on < timezone.localdate() - datetime.timedelta(days=1):
        errors.setdefault("due_on", []).append(_("The reminder date cannot be in the past."))
    return {"text": text, "colour": colour or "", "due_on": due_on}


@transaction.atomic
def note_create(*, actor, citizen, text: str, colour: str = "", due_on: datetime.date | None = None,
                purpose: str = Purpose.HELP) -> CaseNote:
    _require(permissions.can_add_note(actor, citizen), _staff_only())
    errors: dict[str, list[str]] = {}
    values = _note_values(text, colour, due_on, errors)
    _refuse(errors)
    note = CaseNote.objects.create(municipality_id=citizen.municipality_id, citizen=citizen, author=actor, **values)
    _log_change(actor, citizen, "note", purpose)
    return note


@transaction.atomic
def notes_bulk_create(*, actor, citizens: list, text: str, colour: str = "",
                      due_on: datetime.date | None = None) -> list[CaseNote]:
    """The same note on several citizens: all of them, or (on any error) none."""
    if not citizens:
        raise ValidationFailed({"citizens": [_("Choose at least one citizen.")]})
    for citizen in citizens:
        _require(permissions.can_add_note(actor, citizen), _staff_only())
    errors: dict[str, list[str]] = {}
    values = _note_values(text, colour, due_on, errors)
    _refuse(errors)
    notes = CaseNote.objects.bulk_create([
        CaseNote(municipality_id=c.municipality_id, citizen=c, author=actor, **values) for c in citizens
    ])
    for citizen in citizens:
        _log_change(actor, citizen, "note (bulk)", Purpose.HELP)
    return notes


@transaction.atomic
def note_mark_done(*, actor, note: CaseNote, purpose: str = Purpose.HELP) -> CaseNote:
    _require(permissions.can_mark_done_note(actor, note), _staff_only())
    if note.done_at is None:
        note.done_at = timezone.now()
        note.save(update_fields=["done_at", "updated_at"])
        citizen_access_record(actor=actor, municipality_id=note.municipality_id, citizen_id=note.citizen_id,
                              action="change", purpose=purpose, what="reminder done")
    return note


# --- Saved filters -------------------------------------------------------------------------------


@transaction.atomic
def saved_filter_save(*, actor, municipality_id: int, name: str, query: str) -> SavedFilter:
    _staff_membership(actor, municipality_id)
    name = (name or "").strip()
    query = (query or "").strip().lstrip("?")
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the filter a name.")]
    elif len(name) > 80:
        errors["name"] = [_("Use at most 80 characters.")]
    if len(query) > 500:
        errors["query"] = [_("The filter is too long to save.")]
    _refuse(errors)
    saved, _created = SavedFilter.objects.update_or_create(
        owner=actor, municipality_id=municipality_id, name=name, defaults={"query": query}
    )
    return saved


@transaction.atomic
def saved_filter_delete(*, actor, saved_filter: SavedFilter) -> None:
    if not permissions.can_delete_saved_filter(actor, saved_filter):
        raise ValidationFailed(_("You can only delete your own filters."))
    saved_filter.delete()


# --- Opening a citizen ---------------------------------------------------------------------------


def citizen_opened(*, staff_user, citizen) -> None:
    """Remember that this staff member has opened the citizen (so it is no longer "new to me")."""
    CitizenOpened.objects.update_or_create(
        staff_user=staff_user, citizen=citizen,
        defaults={"municipality_id": citizen.municipality_id, "opened_at": timezone.now()},
    )


# --- Agreed activities ---------------------------------------------------------------------------


def activity_add(*, actor, citizen, item_type: str, title: str, description: str = "",
                 starts_on: datetime.date | None = None, due_on: datetime.date | None = None,
                 weekly_target: int | None = None, purpose: str = Purpose.HELP):
    """An activity agreed with the job centre, added to the citizen's plan (citizens owns the plan
    and logs the change)."""
    _require(permissions.can_add_agreed_activity(actor, citizen), _caseworkers_only())
    return citizen_services.plan_item_create(
        actor=actor, citizen=citizen, item_type=item_type, title=title, description=description,
        starts_on=starts_on, due_on=due_on, weekly_target=weekly_target, agreed_with_job_centre=True,
        created_by_kind="staff", purpose=purpose,
    )


# --- Summons and conversations ----------------------------------------------------------------


def _summons_texts(conversation: Conversation) -> tuple[str, str]:
    when = date_format(timezone.localtime(conversation.starts_at), "DATETIME_FORMAT")
    if conversation.purpose == Purpose.AVAILABILITY:
        title = _("Availability control: you are summoned to a conversation on %(when)s") % {"when": when}
    else:
        title = _("You are summoned to a conversation on %(when)s") % {"when": when}
    where = conversation.place if conversation.mode == ConversationMode.IN_PERSON else (
        _("Video meeting") if conversation.mode == ConversationMode.VIDEO else _("Phone"))
    body = _("Where: %(where)s. Agenda: %(agenda)s") % {"where": where, "agenda": conversation.agenda}
    return title, body


@transaction.atomic
def conversation_summon(*, actor, citizen, starts_at: datetime.datetime | None, mode: str, agenda: str,
                        place: str = "", video_link: str = "", duration_minutes: int = 30,
                        purpose: str = Purpose.HELP) -> Conversation:
    """Summon the citizen: the conversation, a meeting in their plan, and a notice (inbox and their channels)."""
    _require(permissions.can_summon_citizen(actor, citizen), _caseworkers_only())
    errors: dict[str, list[str]] = {}
    agenda = (agenda or "").strip()
    place = (place or "").strip()
    video_link = (video_link or "").strip()
    if starts_at is None:
        errors["starts_at"] = [_("Choose a date and a time.")]
    elif starts_at < timezone.now():
        errors["starts_at"] = [_("The conversation must be in the future.")]
    elif starts_at > timezone.now() + datetime.timedelta(days=366):
        errors["starts_at"] = [_("The conversation must be within a year.")]
    if mode not in ConversationMode.values:
        errors["mode"] = [_("Choose how the conversation takes place.")]
    elif mode == ConversationMode.IN_PERSON and not place:
        errors["place"] = [_("Write where the conversation takes place.")]
    elif mode == ConversationMode.VIDEO and not video_link.startswith("https://"):
        errors["video_link"] = [_("Give the video meeting link (it starts with https://).")]
    if not agenda:
        errors["agenda"] = [_("Write the agenda, so the citizen can prepare.")]
    if purpose not in Purpose.values:
        errors["purpose"] = [_("Choose the purpose.")]
    if not 10 <= int(duration_minutes or 0) <= 240:
        errors["duration_minutes"] = [_("A conversation lasts from 10 to 240 minutes.")]
    _refuse(errors)
    conversation = Conversation.objects.create(
        municipality_id=citizen.municipality_id, citizen=citizen, summoned_by=actor, purpose=purpose,
        starts_at=starts_at, duration_minutes=duration_minutes, mode=mode,
        place=place if mode == ConversationMode.IN_PERSON else "",
        video_link=video_link if mode == ConversationMode.VIDEO else "", agenda=agenda,
    )
    with override("da"):
        title, body = _summons_texts(conversation)
    local_start = timezone.localtime(starts_at)
    item = citizen_services.plan_item_create(
        actor=actor, citizen=citizen, item_type=MEETING_ITEM_TYPE, title=title[:200], description=agenda,
        starts_on=local_start.date(), due_on=local_start.date(), location=conversation.place,
        video_link=conversation.video_link, created_by_kind="staff", purpose=purpose,
    )
    _log_change(actor, citizen, "summons", purpose)
    conversation.plan_item_id = item.pk
    conversation.save(update_fields=["plan_item_id", "updated_at"])
    slug = get_municipality(municipality_id=citizen.municipality_id).slug
    kind = adapters.notification_kinds()
    adapters.notify_citizen(
        municipality_id=citizen.municipality_id, citizen_id=citizen.pk, kind=kind.SUMMONS,
        subject_key=f"summons:{conversation.pk}", title=title, body=body,
        link=municipal_reverse(slug, "caseworker:my_summons", kwargs={"conversation_id": conversation.pk}),
    )
    return conversation


OUTCOME_STATUSES = (ConversationStatus.HELD, ConversationStatus.NO_SHOW, ConversationStatus.CANCELLED)


@transaction.atomic
def conversation_record_outcome(*, actor, conversation: Conversation, status: str, outcome: str) -> Conversation:
    _require(permissions.can_record_outcome_conversation(actor, conversation), _caseworkers_only())
    outcome = (outcome or "").strip()
    errors: dict[str, list[str]] = {}
    if status not in OUTCOME_STATUSES:
        errors["status"] = [_("Choose what happened.")]
    if status == ConversationStatus.HELD and not outcome:
        errors["outcome"] = [_("Write what came out of the conversation.")]
    if len(outcome) > 4000:
        errors["outcome"] = [_("Write at most 4,000 characters.")]
    _refuse(errors)
    conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    newly_held = status == ConversationStatus.HELD and conversation.status != ConversationStatus.HELD
    conversation.status = status
    conversation.outcome = outcome
    conversation.outcome_recorded_at = timezone.now()
    conversation.outcome_recorded_by = actor
    conversation.save()
    citizen_access_record(actor=actor, municipality_id=conversation.municipality_id,
                          citizen_id=conversation.citizen_id, action="change", purpose=conversation.purpose,
                          what="conversation outcome")
    if newly_held:
        publish_on_commit(SummonsHeld(municipality_id=conversation.municipality_id, citizen_id=conversation.citizen_id,
                                      conversation_id=conversation.pk, mode=conversation.mode,
                                      held_at=conversation.outcome_recorded_at))
    if conversation.plan_item_id:
        try:
            item = citizen_selectors.access_plan_item(actor=actor, id=conversation.plan_item_id,
                                                      purpose=conversation.purpose)
        except NotFound:  # the citizen may have removed it; the outcome is still recorded
            item = None
        if item is not None and item.status in ("planned", "in_progress"):
            try:
                citizen_services.plan_item_update(
                    actor=actor, plan_item=item, expected_version=item.version, changed_by_kind="staff",
                    status="cancelled" if status == ConversationStatus.CANCELLED else "done",
                )
            except ConflictError:
                raise ValidationFailed(_("The plan changed at the same time. Please try again.")) from None
    return conversation


@transaction.atomic
def conversation_respond(*, actor, conversation: Conversation, response: str, message: str = "") -> Conversation:
    """The citizen answers a summons: will come, or asks for another time (then staff owe an answer)."""
    message = (message or "").strip()
    _require(permissions.can_respond_conversation(actor, conversation), _("Only the citizen can answer the summons."))
    errors: dict[str, list[str]] = {}
    if response not in (CitizenResponse.CONFIRMED, CitizenResponse.ASKED_TO_MOVE):
        errors["response"] = [_("Choose your answer.")]
    if response == CitizenResponse.ASKED_TO_MOVE and not message:
        errors["message"] = [_("Tell us why, and which times suit you.")]
    if len(message) > 2000:
        errors["message"] = [_("Write at most 2,000 characters.")]
    if conversation.status != ConversationStatus.PLANNED:
        errors["__all__"] = [_("This conversation is no longer planned.")]
    _refuse(errors)
    conversation.citizen_response = response
    conversation.citizen_message = message
    conversation.citizen_responded_at = timezone.now()
    conversation.save(update_fields=["citizen_response", "citizen_message", "citizen_responded_at", "updated_at"])
    return conversation


# --- Sending jobs and content ---------------------------------------------------------------------


@dataclass(frozen=True)
class PushContent:
    kind: str  # PushKind
    title: str
    message: str = ""
    link: str = ""
    posting_id: int | None = None
    subject: str = ""  # what the notice is about when not its text, e.g. "offer:12": one notice per citizen

    def subject_key(self) -> str:
        if self.subject:
            return self.subject
        if self.kind == PushKind.POSTING:
            return f"posting:{self.posting_id}"
        digest = hashlib.sha256(f"{self.title}\n{self.link}".encode()).hexdigest()[:24]
        return f"content:{digest}"


def validate_content(content: PushContent) -> None:
    errors: dict[str, list[str]] = {}
    if content.kind not in PushKind.values:
        errors["kind"] = [_("Choose a job posting or a service.")]
    if content.kind == PushKind.POSTING and not content.posting_id:
        errors["posting_id"] = [_("Choose a job posting.")]
    if not content.title.strip():
        errors["title"] = [_("Write a title.")]
    elif len(content.title) > 200:
        errors["title"] = [_("Use at most 200 characters.")]
    if len(content.message) > 2000:
        errors["message"] = [_("Write at most 2,000 characters.")]
    # The notice's link leads within the platform (notifications refuses others): a page on this site.
    if content.link and not is_local_path(content.link):
        errors["link"] = [_("The link must be a page on this site, starting with /.")]
    _refuse(errors)


def _notice_kind(content: PushContent) -> str:
    kind = adapters.notification_kinds()
    return kind.JOB_SUGGESTION if content.kind == PushKind.POSTING else kind.GENERAL


def push_send(*, actor, municipality_id: int, content: PushContent, citizens: list, cap: int,
              criteria: dict, idempotency_key: str, matched_count: int | None = None,
              reasons: dict[int, str] | None = None) -> Push:
    """Send a job or a piece of content to citizens (at most `cap`), through the outbox, and record it.

    Sending the same form twice (same idempotency key) returns the first record; a citizen who
    already has the notice is not notified again (the outbox key is citizen, kind and subject).
    """
    _staff_membership(actor, municipality_id)
    if len(citizens) > 1 and not permissions.can_send_to_group(actor, municipality_id):
        raise ValidationFailed(_("Only job-journey assistants and consultants send to groups."))
    return _send(actor=actor, municipality_id=municipality_id, content=content, citizens=citizens, cap=cap,
                 criteria=criteria, idempotency_key=idempotency_key, matched_count=matched_count, reasons=reasons)


def offer_content(offer, message: str = "") -> PushContent:
    """The notice an offer push sends. It is about the offer, not its wording: a citizen who has it is not
    told again after the municipality changes the offer's local title (the preview counts them the same way)."""
    return PushContent(kind=PushKind.CONTENT, title=offer.title[:200], message=(message or "").strip()
                       or offer.summary, link=offer.path, subject=f"offer:{offer.curated_id}")


def offer_push(*, actor, municipality_id: int, offer, message: str, citizens: list, cap: int, criteria: dict,
               idempotency_key: str, matched_count: int | None = None) -> Push:
    """A municipality administrator pushes one of the municipality's offers (marketplace.contracts.
    PushableOffer) to a segment of its citizens: the notice is the offer's title, the message (or the offer's
    summary) and a link to the offer's page. `citizens` come from `selectors.access_offer_segment`; whoever
    is not in the offer's audience (as the marketplace says now) is left out here all the same."""
    from jobunivers.marketplace import permissions as marketplace_permissions
    from jobunivers.marketplace import selectors as marketplace_selectors

    if not marketplace_permissions.can_curate(actor, municipality_id) or offer.municipality_id != municipality_id:
        raise ValidationFailed(_("Only the municipality's administrators send its offers to citizens."))
    within = marketplace_selectors.audience_citizen_ids(municipality_id=municipality_id, curated_id=offer.curated_id)
    if within is not None:
        allowed = set(within.filter(citizen_id__in=[c.pk for c in citizens]).values_list("citizen_id", flat=True))
        citizens = [c for c in citizens if c.pk in allowed]
    content = offer_content(offer, message)
    return _send(actor=actor, municipality_id=municipality_id, content=content, citizens=citizens, cap=cap,
                 criteria={**criteria, "offer": offer.curated_id}, idempotency_key=idempotency_key,
                 matched_count=matched_count)


def _send(*, actor, municipality_id: int, content: PushContent, citizens: list, cap: int, criteria: dict,
          idempotency_key: str, matched_count: int | None = None, reasons: dict[int, str] | None = None) -> Push:
    validate_content(content)
    errors: dict[str, list[str]] = {}
    if not 1 <= cap <= MAX_PUSH_CAP:
        errors["cap"] = [_("The cap must be between 1 and %(max)s.") % {"max": MAX_PUSH_CAP}]
    if not citizens:
        errors["__all__"] = [_("No citizens match.")]
    if any(c.municipality_id != municipality_id for c in citizens):
        errors["__all__"] = [_("All citizens must belong to this municipality.")]
    _refuse(errors)
    existing = Push.objects.filter(municipality_id=municipality_id, idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    chosen = citizens[:cap]
    reasons = reasons or {}
    kind = _notice_kind(content)
    subject = content.subject_key()
    try:
        with transaction.atomic():
            push = Push.objects.create(
                municipality_id=municipality_id, sent_by=actor, kind=content.kind, posting_id=content.posting_id,
                title=content.title.strip(), message=content.message.strip(), link=content.link.strip(),
                criteria=criteria, cap=cap, matched_count=len(citizens) if matched_count is None else matched_count,
                idempotency_key=idempotency_key,
            )
            PushRecipient.objects.bulk_create([
                PushRecipient(municipality_id=municipality_id, push=push, citizen=c, reason=reasons.get(c.pk, "")[:300])
                for c in chosen
            ])
            reached = 0
            for citizen in chosen:
                created = adapters.notify_citizen(
                    municipality_id=municipality_id, citizen_id=citizen.pk, kind=kind, subject_key=subject,
                    title=push.title, body=push.message, link=push.link,
                )
                reached += int(created)
            push.recipient_count = reached
            push.save(update_fields=["recipient_count", "updated_at"])
            if len(citizens) == 1:
                _log_change(actor, citizens[0], "job or service sent", Purpose.HELP)
            else:
                citizen_access_record(actor=actor, municipality_id=municipality_id, citizen_id=None, action="search",
                                      purpose=Purpose.HELP, what="push to citizens",
                                      criterion=urlencode(sorted(criteria.items())))
    except IntegrityError:
        # A double submit raced us to the same idempotency key: the first one stands.
        return Push.objects.get(municipality_id=municipality_id, idempotency_key=idempotency_key)
    return push


# --- Assignment ------------------------------------------------------------------------------------


def bulk_assign(*, actor, municipality_id: int, citizens: Iterable, consultant, reason: str) -> int:
    """Team leads assign citizens to a consultant of the municipality (segmentation owns assignments)."""
    membership = _staff_membership(actor, municipality_id)
    citizens = list(citizens)
    errors: dict[str, list[str]] = {}
    if membership.role != Role.PERSONAL_CONSULTANT or not membership.is_team_lead:
        errors["__all__"] = [_("Only team leads can assign citizens.")]
    target = membership_for(consultant, municipality_id) if consultant is not None else None
    if target is None or target.role != Role.PERSONAL_CONSULTANT:
        errors["consultant"] = [_("Choose a personal job consultant of this job centre.")]
    if not citizens:
        errors["citizens"] = [_("Choose at least one citizen.")]
    if not (reason or "").strip():
        errors["reason"] = [_("Give a reason for the assignment.")]
    _refuse(errors)
    with transaction.atomic():
        for citizen in citizens:
            adapters.assign_consultant(actor=actor, citizen=citizen, consultant=consultant, reason=reason.strip())
            _log_change(actor, citizen, "consultant assignment", Purpose.HELP)
    return len(citizens)


# --- Retention (caseworker.tasks.purge_opened_marks) ----------------------------------------------


def opened_marks_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Delete "last opened by" marks older than the municipality's access-log period: they say which
    staff member looked at which citizen, like the access log, and are kept no longer. A citizen
    whose mark went is "new to me" again, which is true enough after that long."""
    from jobunivers.core.services import cutoff, delete_in_chunks

    from .models import CitizenOpened

    return delete_in_chunks(CitizenOpened.all_tenants.filter(municipality_id=municipality_id,
                                                             opened_at__lt=cutoff(retention_days, now)))
