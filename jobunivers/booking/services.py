"""Writes of the booking app: availability, booking, moving and cancelling a conversation, deadline
windows for self-booking, attendance (no-show), invitations and reminders, minutes and agreements.

Every write is atomic and checks `permissions` first; a refusal is a Danish ValidationFailed and
writes nothing. Exactly one live booking per adviser and start time is kept by the database
(`booking_one_per_slot`); a lost race answers `SlotTaken` with the next free times. A retried
request with the same idempotency key gets the booking it already made.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from jobunivers.audit.services import citizen_access_record
from jobunivers.citizens import selectors as citizen_selectors
from jobunivers.citizens import services as citizen_services
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.core.events import publish_on_commit
from jobunivers.notifications.contracts import Kind
from jobunivers.notifications.services import notify
from jobunivers.segmentation import selectors as segmentation_selectors
from jobunivers.tenancy.routing import municipal_reverse
from jobunivers.tenancy.selectors import get_municipality

from . import ical, permissions, slots
from .closed_days import OPTIONAL_KEYS
from .contracts import BookingHeld, BookingNoShow, MinutesShared
from .models import (
    Agreement,
    AvailabilityException,
    BookedBy,
    Booking,
    BookingSettings,
    BookingStatus,
    BookingWindow,
    Channel,
    Invitation,
    InvitationMethod,
    Location,
    Minutes,
    MinutesComment,
    MinutesStatus,
    Purpose,
    SelfBookingExemption,
    WeeklyAvailability,
)
from .video import provider as video_provider

TEXT_MAX = 1000
REASON_MAX = 500
MAX_AHEAD_DAYS = 366


class SlotTaken(ValidationFailed):
    """Someone else got the slot first (or it is no longer offered); `alternatives` are the next free times."""

    def __init__(self, alternatives: list[slots.Slot]):
        self.alternatives = alternatives
        super().__init__({"starts_at": [_("The time has just been taken. Choose one of the next free times.")]})


def _refuse(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationFailed(errors)


def is_exempt(*, citizen_id: int) -> bool:
    return SelfBookingExemption.all_tenants.filter(citizen_id=citizen_id).exists()


def consultant_id_for(*, citizen_id: int, municipality_id: int) -> int | None:
    with tenant_context(municipality_id):
        assignment = segmentation_selectors.current_consultant(citizen_id=citizen_id)
    return assignment.consultant_id if assignment else None


# --- Availability --------------------------------------------------------------------------------

def availability_add(*, actor, municipality_id: int, adviser_id: int, weekday: int, starts: datetime.time,
                     ends: datetime.time, physical: bool = True, video: bool = True, phone: bool = True,
                     location: Location | None = None, valid_from: datetime.date | None = None,
                     valid_until: datetime.date | None = None) -> WeeklyAvailability:
    if not permissions.can_manage_availability(actor, municipality_id, adviser_id):
        raise ValidationFailed(_("Only the adviser or an administrator can publish these hours."))
    errors: dict[str, list[str]] = {}
    if weekday not in range(7):
        errors["weekday"] = [_("Choose a weekday.")]
    if starts is None or ends is None or ends <= starts:
        errors["ends"] = [_("The end must be after the start.")]
    if not (physical or video or phone):
        errors["physical"] = [_("Choose at least one way to meet.")]
    if physical and location is None:
        errors["location"] = [_("Choose the meeting place for conversations at the job centre.")]
    if location is not None and location.municipality_id != municipality_id:
        errors["location"] = [_("Choose one of the municipality's meeting places.")]
    _refuse(errors)
    return WeeklyAvailability.all_tenants.create(
        municipality_id=municipality_id, adviser_id=adviser_id, weekday=weekday, starts=starts, ends=ends,
        physical=physical, video=video, phone=phone, location=location if physical else None,
        valid_from=valid_from, valid_until=valid_until)


def absence_add(*, actor, municipality_id: int, adviser_id: int, day: datetime.date,
                starts: datetime.time | None = None, ends: datetime.time | None = None,
                reason: str = "") -> AvailabilityException:
    if not permissions.can_manage_availability(actor, municipality_id, adviser_id):
        raise ValidationFailed(_("Only the adviser or an administrator can publish these hours."))
    if (starts is None) != (ends is None) or (starts and ends and ends <= starts):
        raise ValidationFailed({"ends": [_("Give both times with the end after the start, or neither for the "
                                           "whole day.")]})
    return AvailabilityException.all_tenants.create(municipality_id=municipality_id, adviser_id=adviser_id,
                                                    day=day, starts=starts, ends=ends, reason=(reason or "")[:200])


def availability_remove(*, actor, rule: WeeklyAvailability) -> None:
    """Withdraw published hours. Conversations already booked in them stay booked."""
    if not permissions.can_manage_availability(actor, rule.municipality_id, rule.adviser_id):
        raise ValidationFailed(_("Only the adviser or an administrator can change these hours."))
    WeeklyAvailability.all_tenants.filter(pk=rule.pk).delete()


def absence_remove(*, actor, absence: AvailabilityException) -> None:
    if not permissions.can_manage_availability(actor, absence.municipality_id, absence.adviser_id):
        raise ValidationFailed(_("Only the adviser or an administrator can change these hours."))
    AvailabilityException.all_tenants.filter(pk=absence.pk).delete()


# --- The municipality's policy and meeting places (its administrators) -----------------------------

SETTINGS_FIELDS = ("slot_minutes", "notice_working_days", "buffer_minutes", "daily_cap_per_adviser",
                   "video_provider", "closed_optional_days", "retention_days")


def booking_settings_save(*, actor, municipality_id: int, values: dict[str, Any]) -> BookingSettings:
    """Create or change the municipality's booking policy; every value is checked against the
    model's bounds, and the video provider must be one that is installed."""
    from django.core.exceptions import ValidationError

    from .video import providers

    if not permissions.can_manage_booking_settings(actor, municipality_id):
        raise ValidationFailed(_("Only the municipality's administrators can change the booking settings."))
    unknown = set(values) - set(SETTINGS_FIELDS)
    if unknown:
        raise ValidationFailed({name: [_("This setting cannot be changed here.")] for name in sorted(unknown)})
    with transaction.atomic():
        row = (BookingSettings.all_tenants.select_for_update().filter(municipality_id=municipality_id).first()
               or BookingSettings(municipality_id=municipality_id))
        for name, value in values.items():
            setattr(row, name, value)
        errors: dict[str, list[str]] = {}
        try:
            row.full_clean(exclude=["municipality"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            errors = {name: [str(m) for m in messages] for name, messages in error.message_dict.items()}
        if row.video_provider not in providers:
            errors.setdefault("video_provider", []).append(_("Choose one of the video meeting providers offered."))
        closed = row.closed_optional_days
        if not isinstance(closed, list) or not all(isinstance(key, str) and key in OPTIONAL_KEYS for key in closed):
            errors.setdefault("closed_optional_days", []).append(_("Choose among the closing days offered."))
        else:
            row.closed_optional_days = sorted(set(closed))
        _refuse(errors)
        row.save()
    return row


def location_add(*, actor, municipality_id: int, name: str, address: str, room: str = "") -> Location:
    if not permissions.can_manage_booking_settings(actor, municipality_id):
        raise ValidationFailed(_("Only the municipality's administrators can change the meeting places."))
    name, address, room = (name or "").strip(), (address or "").strip(), (room or "").strip()
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Give the meeting place a name.")]
    if not address:
        errors["address"] = [_("Give the address citizens come to.")]
    for field_name, value, limit in (("name", name, 200), ("address", address, 300), ("room", room, 100)):
        if len(value) > limit or "\x00" in value:
            errors[field_name] = [_("Use at most %(limit)s characters.") % {"limit": limit}]
    _refuse(errors)
    return Location.all_tenants.create(municipality_id=municipality_id, name=name, address=address, room=room)


# --- Invitations and notices ------------------------------------------------------------------------

def _summary(booking: Booking) -> str:
    return _("Conversation with the job centre (%(minutes)s min.)") % {
        "minutes": int((booking.ends_at - booking.starts_at).total_seconds() // 60)}


def _description(booking: Booking) -> str:
    parts = [str(Purpose(booking.purpose).label)]
    if booking.posting_title:
        parts.append(booking.posting_title)
    if booking.text:
        parts.append(booking.text)
    return "\n".join(parts)


def _link(booking: Booking) -> str:
    slug = get_municipality(municipality_id=booking.municipality_id).slug
    return municipal_reverse(slug, "booking:mine", kwargs={"booking_id": booking.pk})


def _send_invitation(booking: Booking, method: str) -> Invitation:
    """Store the iCalendar message for this sequence and queue the notice through the outbox.

    The outbox carries only a neutral text and a link (notifications' guarantee): the calendar file
    itself is fetched from the booking page by the signed-in citizen, so no time, place or video
    link leaves the platform in an e-mail or SMS."""
    with override("da"):
        ics = ical.invitation_ics(booking=booking, method=method, summary=_summary(booking),
                                  description=_description(booking))
        local = timezone.localtime(booking.starts_at)
        from django.utils.formats import date_format

        when = date_format(local, "DATETIME_FORMAT")
        if method == InvitationMethod.CANCEL:
            title = _("Your conversation %(when)s is cancelled") % {"when": when}
        elif booking.sequence == 0:
            title = _("Your conversation is booked: %(when)s") % {"when": when}
        else:
            title = _("Your conversation is moved to %(when)s") % {"when": when}
        body = _("Open the conversation to add it to your calendar.")
    invitation = Invitation.all_tenants.create(municipality_id=booking.municipality_id, booking=booking,
                                               sequence=booking.sequence, method=method, ics=ics)
    notify(municipality_id=booking.municipality_id, citizen_id=booking.citizen_id, kind=Kind.SUMMONS,
           subject_key=f"booking:{booking.pk}:{booking.sequence}", title=title[:200], body=body,
           link=_link(booking))
    return invitation


# --- Booking -------------------------------------------------------------------------------------

def _validate_request(*, citizen, purpose: str, channel: str, text: str, posting_id: int | None) -> tuple[str, str]:
    errors: dict[str, list[str]] = {}
    if purpose not in Purpose.values:
        errors["purpose"] = [_("Choose what you would like to talk about.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose how you would like to meet.")]
    if len(text) > TEXT_MAX:
        errors["text"] = [_("Write at most %(limit)s characters.") % {"limit": TEXT_MAX}]
    if purpose == Purpose.OTHER and not text:
        errors["text"] = [_("Write a few words about what you would like to talk about.")]
    posting_title = ""
    if purpose == Purpose.JOB:
        saved = {s.posting_id: s.posting.title for s in citizen_selectors.saved_jobs_for(citizen_id=citizen.pk)}
        if posting_id not in saved:
            errors["posting_id"] = [_("Choose one of the jobs you have saved.")]
        else:
            posting_title = saved[posting_id]
    _refuse(errors)
    return text, posting_title


def _validate_time(*, starts_at, policy, staff: bool, window: BookingWindow | None, now) -> None:
    if starts_at is None:
        raise ValidationFailed({"starts_at": [_("Choose a time.")]})
    if starts_at <= now:
        raise ValidationFailed({"starts_at": [_("The time has passed. Choose a time in the future.")]})
    if starts_at > now + datetime.timedelta(days=MAX_AHEAD_DAYS):
        raise ValidationFailed({"starts_at": [_("Choose a time within a year.")]})
    if not staff and starts_at < slots.notice_limit(policy, now):
        raise ValidationFailed({"starts_at": [_("The time is too soon: book at least %(days)s working day(s) "
                                                "ahead.") % {"days": policy.notice_working_days}]})
    if window is not None:
        day = timezone.localtime(starts_at).date()
        if not window.opens_on <= day <= window.closes_on:
            from django.utils.formats import date_format

            raise ValidationFailed({"starts_at": [_("Choose a time between %(first)s and %(last)s, as the job "
                                                    "centre asked.") % {
                "first": date_format(window.opens_on, "DATE_FORMAT"),
                "last": date_format(window.closes_on, "DATE_FORMAT")}]})


def alternatives_for(*, citizen, policy, channel: str | None, now=None, limit: int = 5) -> list[slots.Slot]:
    return slots.offers(municipality_id=citizen.municipality_id, policy=policy, channel=channel,
                        consultant_id=consultant_id_for(citizen_id=citizen.pk, municipality_id=citizen.municipality_id), limit=limit, now=now)


def _open_window(citizen, window_id: int | None) -> BookingWindow | None:
    if window_id is None:
        return None
    window = BookingWindow.all_tenants.filter(pk=window_id, citizen_id=citizen.pk, fulfilled_at__isnull=True).first()
    if window is None:
        raise ValidationFailed({"window": [_("This booking deadline is no longer open.")]})
    return window


def booking_create(*, actor, citizen, adviser_id: int, starts_at: datetime.datetime, channel: str, purpose: str,
                   text: str = "", posting_id: int | None = None, idempotency_key: str = "",
                   window_id: int | None = None, video_link: str = "", now=None) -> Booking:
    """Book a conversation in an adviser's free slot, for oneself (citizen) or for a citizen (caseworker)."""
    now = now or timezone.now()
    staff = not permissions.is_owner(actor, citizen)
    if staff:
        if not permissions.can_book_for(actor, citizen):
            raise ValidationFailed(_("Only the citizen's job adviser or personal job consultant can book for them."))
    elif not permissions.can_self_book(actor, citizen, exempt=is_exempt(citizen_id=citizen.pk)):
        raise ValidationFailed(_("The job centre books your conversations with you. Contact the job centre."))
    key = (idempotency_key or "").strip()[:64] or uuid.uuid4().hex
    existing = Booking.all_tenants.filter(citizen_id=citizen.pk, idempotency_key=key).first()
    if existing is not None:
        return existing
    text, posting_title = _validate_request(citizen=citizen, purpose=purpose, channel=channel,
                                            text=(text or "").strip(), posting_id=posting_id)
    policy = slots.policy_for(citizen.municipality_id)
    window = _open_window(citizen, window_id)
    _validate_time(starts_at=starts_at, policy=policy, staff=staff, window=window, now=now)
    slot = slots.slot_offered(municipality_id=citizen.municipality_id, policy=policy, adviser_id=adviser_id,
                              starts_at=starts_at, channel=channel, honour_notice=not staff, now=now)
    if slot is None:
        raise SlotTaken(alternatives_for(citizen=citizen, policy=policy, channel=channel, now=now))
    try:
        with transaction.atomic():
            booking = Booking.all_tenants.create(
                municipality_id=citizen.municipality_id, citizen=citizen, adviser_id=adviser_id,
                starts_at=slot.starts_at, ends_at=slot.ends_at, channel=channel,
                location_id=slot.location_id if channel == Channel.PHYSICAL else None, purpose=purpose,
                posting_id=posting_id if purpose == Purpose.JOB else None, posting_title=posting_title[:300],
                text=text, booked_by_kind=BookedBy.STAFF if staff else BookedBy.CITIZEN, booked_by=actor,
                idempotency_key=key, window=window)
            _after_booking(booking, actor=actor, staff=staff, policy=policy, window=window, video_link=video_link)
    except IntegrityError:
        existing = Booking.all_tenants.filter(citizen_id=citizen.pk, idempotency_key=key).first()
        if existing is not None:
            return existing
        raise SlotTaken(alternatives_for(citizen=citizen, policy=policy, channel=channel, now=now)) from None
    return booking


def _after_booking(booking: Booking, *, actor, staff: bool, policy, window, video_link: str) -> None:
    if booking.channel == Channel.VIDEO:
        booking.video_link = video_provider(policy.video_provider).link_for(
            booking_uid=str(booking.uid), pasted_link=(video_link or "").strip())
    local = timezone.localtime(booking.starts_at)
    with override("da"):
        title = _summary(booking)
    item = citizen_services.plan_item_create(
        actor=None, citizen=booking.citizen, item_type="meeting", title=title[:200],
        description=_description(booking), starts_on=local.date(), due_on=local.date(),
        location=str(booking.location) if booking.location_id else "", video_link=booking.video_link,
        created_by_kind="system")
    booking.plan_item_id = item.pk
    booking.save(update_fields=["video_link", "plan_item_id", "updated_at"])
    if window is not None:
        window.fulfilled_at = timezone.now()
        window.save(update_fields=["fulfilled_at", "updated_at"])
        _close_plan_item(booking.citizen_id, window.plan_item_id, municipality_id=booking.municipality_id,
                         status="done")
    if staff:
        citizen_access_record(actor=actor, municipality_id=booking.municipality_id, citizen_id=booking.citizen_id,
                              action="change", what="booking", purpose="help")
    _send_invitation(booking, InvitationMethod.REQUEST)


def _close_plan_item(citizen_id: int, plan_item_id: int | None, *, municipality_id: int, **changes: Any) -> None:
    """Follow a booking's change in the plan (done, cancelled, moved) as Jobunivers, not as a person."""
    if not plan_item_id:
        return
    with tenant_context(municipality_id):
        item = citizen_selectors.plan_items_for(citizen_id=citizen_id).filter(pk=plan_item_id).first()
    if item is None or item.status not in ("planned", "in_progress"):
        return
    try:
        citizen_services.plan_item_update(actor=None, plan_item=item, expected_version=item.version,
                                          changed_by_kind="system", **changes)
    except (ConflictError, ValidationFailed):  # the plan keeps its own history; the booking is recorded
        pass


def _citizen_may_still_change(booking: Booking, now) -> bool:
    return booking.starts_at >= slots.notice_limit(slots.policy_for(booking.municipality_id), now)


def _too_late_message() -> str:
    return _("It is too late to move or cancel the conversation here. Write to the job centre instead.")


def _lock_live(booking: Booking, actor) -> tuple[Booking, bool]:
    if not permissions.can_change_booking(actor, booking):
        raise ValidationFailed(_("You may not change this conversation."))
    current = Booking.all_tenants.select_for_update().select_related("citizen").get(pk=booking.pk)
    if current.status != BookingStatus.BOOKED:
        raise ValidationFailed(_("This conversation is no longer booked."))
    return current, not permissions.is_owner(actor, current.citizen)


def booking_reschedule(*, actor, booking: Booking, adviser_id: int, starts_at: datetime.datetime,
                       channel: str | None = None, reason: str = "", now=None) -> Booking:
    """Move the conversation to another free slot: same calendar UID, SEQUENCE + 1, a new REQUEST."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        current, staff = _lock_live(booking, actor)
        channel = channel or current.channel
        if not staff and not _citizen_may_still_change(current, now):
            raise ValidationFailed(_too_late_message())
        if not reason:
            raise ValidationFailed({"reason": [_("Tell the job centre why you move the conversation.")]})
        if len(reason) > REASON_MAX:
            raise ValidationFailed({"reason": [_("Write at most %(limit)s characters.") % {"limit": REASON_MAX}]})
        if channel not in Channel.values:
            raise ValidationFailed({"channel": [_("Choose how you would like to meet.")]})
        policy = slots.policy_for(current.municipality_id)
        _validate_time(starts_at=starts_at, policy=policy, staff=staff, window=current.window, now=now)
        slot = slots.slot_offered(municipality_id=current.municipality_id, policy=policy, adviser_id=adviser_id,
                                  starts_at=starts_at, channel=channel, honour_notice=not staff, now=now)
        if slot is None:
            raise SlotTaken(alternatives_for(citizen=current.citizen, policy=policy, channel=channel, now=now))
        try:
            with transaction.atomic():
                moved_adviser = current.adviser_id != adviser_id
                current.adviser_id, current.starts_at, current.ends_at = adviser_id, slot.starts_at, slot.ends_at
                current.channel = channel
                current.location_id = slot.location_id if channel == Channel.PHYSICAL else None
                if channel == Channel.VIDEO and (not current.video_link or moved_adviser):
                    current.video_link = video_provider(policy.video_provider).link_for(booking_uid=str(current.uid))
                elif channel != Channel.VIDEO:
                    current.video_link = ""
                current.sequence += 1
                current.cancel_reason = reason
                current.reminded_day_before_at = current.reminded_hour_before_at = None
                current.save()
        except IntegrityError:
            raise SlotTaken(alternatives_for(citizen=current.citizen, policy=policy, channel=channel,
                                             now=now)) from None
        local = timezone.localtime(current.starts_at)
        _close_plan_item(current.citizen_id, current.plan_item_id, municipality_id=current.municipality_id,
                         starts_on=local.date(), due_on=local.date(), video_link=current.video_link,
                         location=str(current.location) if current.location_id else "")
        if staff:
            citizen_access_record(actor=actor, municipality_id=current.municipality_id,
                                  citizen_id=current.citizen_id, action="change", what="booking", purpose="help")
        _send_invitation(current, InvitationMethod.REQUEST)
    return current


def booking_cancel(*, actor, booking: Booking, reason: str, now=None) -> Booking:
    """Cancel with a reason (the citizen until the notice limit): SEQUENCE + 1 and METHOD:CANCEL."""
    now = now or timezone.now()
    reason = (reason or "").strip()
    with transaction.atomic():
        current, staff = _lock_live(booking, actor)
        if not staff and not _citizen_may_still_change(current, now):
            raise ValidationFailed(_too_late_message())
        if not reason:
            raise ValidationFailed({"reason": [_("Tell the job centre why you cancel the conversation.")]})
        if len(reason) > REASON_MAX:
            raise ValidationFailed({"reason": [_("Write at most %(limit)s characters.") % {"limit": REASON_MAX}]})
        current.status = BookingStatus.CANCELLED
        current.cancel_reason = reason
        current.cancelled_at = now
        current.sequence += 1
        current.save()
        _close_plan_item(current.citizen_id, current.plan_item_id, municipality_id=current.municipality_id,
                         status="cancelled")
        if current.window_id:  # the deadline is open again: the citizen books another time
            BookingWindow.all_tenants.filter(pk=current.window_id).update(fulfilled_at=None)
        if staff:
            citizen_access_record(actor=actor, municipality_id=current.municipality_id,
                                  citizen_id=current.citizen_id, action="change", what="booking", purpose="help")
        _send_invitation(current, InvitationMethod.CANCEL)
    return current


def booking_message_job_centre(*, actor, booking: Booking, text: str):
    """After the notice limit the citizen cannot move or cancel here: they write to the job centre,
    in a dialogue thread about this booking that waits for the job centre's answer."""
    from jobunivers.dialogue.contracts import About
    from jobunivers.dialogue.services import thread_open

    if not permissions.is_owner(actor, booking.citizen):
        raise ValidationFailed(_("You may not change this conversation."))
    with override("da"):
        from django.utils.formats import date_format

        subject = _("About my conversation %(when)s") % {
            "when": date_format(timezone.localtime(booking.starts_at), "DATETIME_FORMAT")}
    return thread_open(actor=actor, citizen=booking.citizen, subject=subject[:200], text=text,
                       about=About(kind="booking", id=booking.pk), wants_answer=True)


def booking_record_attendance(*, actor, booking: Booking, status: str, now=None) -> Booking:
    """Staff record whether the citizen came. A no-show is published for the availability rules
    (docs/booking-no-show.md): the platform records it, it does not itself stop benefits."""
    now = now or timezone.now()
    if not permissions.can_record_attendance(actor, booking):
        raise ValidationFailed(_("Only job advisers and personal job consultants record attendance."))
    if status not in (BookingStatus.HELD, BookingStatus.NO_SHOW):
        raise ValidationFailed({"status": [_("Choose whether the citizen came.")]})
    with transaction.atomic():
        current = Booking.all_tenants.select_for_update().get(pk=booking.pk)
        if current.status == BookingStatus.CANCELLED:
            raise ValidationFailed(_("This conversation was cancelled."))
        if current.starts_at > now:
            raise ValidationFailed(_("Attendance can be recorded once the conversation has begun."))
        newly_held = status == BookingStatus.HELD and current.status != BookingStatus.HELD
        current.status = status
        current.outcome_recorded_at, current.outcome_recorded_by = now, actor
        current.save(update_fields=["status", "outcome_recorded_at", "outcome_recorded_by", "updated_at"])
        _close_plan_item(current.citizen_id, current.plan_item_id, municipality_id=current.municipality_id,
                         status="done")
        citizen_access_record(actor=actor, municipality_id=current.municipality_id, citizen_id=current.citizen_id,
                              action="change", what="booking attendance", purpose="availability"
                              if status == BookingStatus.NO_SHOW else "help")
        if newly_held:
            publish_on_commit(BookingHeld(municipality_id=current.municipality_id, citizen_id=current.citizen_id,
                                          booking_id=current.pk, channel=current.channel, held_at=now))
        if status == BookingStatus.NO_SHOW:
            publish_on_commit(BookingNoShow(municipality_id=current.municipality_id, citizen_id=current.citizen_id,
                                            booking_id=current.pk, starts_at=current.starts_at.isoformat()))
            with override("da"):
                notify(municipality_id=current.municipality_id, citizen_id=current.citizen_id, kind=Kind.SUMMONS,
                       subject_key=f"booking:{current.pk}:no-show",
                       title=_("You did not come to your conversation. Contact the job centre today."),
                       body=_("If you receive unemployment benefit, contact the job centre as soon as possible: "
                              "until you do, you may not be entitled to benefit."),
                       link=_link(current))
    return current


# --- Deadlines and exemptions (Selvbook) ---------------------------------------------------------------

def window_open(*, actor, citizen, opens_on: datetime.date, closes_on: datetime.date, note: str = "",
                today: datetime.date | None = None) -> BookingWindow:
    """Staff require a conversation inside a window; an open plan item due on the last day makes an
    overdue window raise the worklist's existing "plan item overdue" alert."""
    today = today or timezone.localdate()
    if not permissions.can_set_deadline(actor, citizen):
        raise ValidationFailed(_("Only the citizen's job adviser or personal job consultant can set a deadline."))
    errors: dict[str, list[str]] = {}
    if opens_on is None or closes_on is None:
        errors["closes_on"] = [_("Give the first and the last day.")]
    elif closes_on < opens_on:
        errors["closes_on"] = [_("The last day cannot be before the first.")]
    elif opens_on < today:
        errors["opens_on"] = [_("The first day cannot be in the past.")]
    elif (closes_on - opens_on).days > 92:
        errors["closes_on"] = [_("A deadline window is at most three months.")]
    note = (note or "").strip()
    if len(note) > 300:
        errors["note"] = [_("Write at most %(limit)s characters.") % {"limit": 300}]
    _refuse(errors)
    from django.utils.formats import date_format

    with transaction.atomic(), override("da"):
        item = citizen_services.plan_item_create(
            actor=actor, citizen=citizen, item_type="meeting",
            title=(_("Book a conversation between %(first)s and %(last)s") % {
                "first": date_format(opens_on, "DATE_FORMAT"), "last": date_format(closes_on, "DATE_FORMAT")})[:200],
            description=note, starts_on=opens_on, due_on=closes_on, created_by_kind="staff")
        window = BookingWindow.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen,
                                                  requested_by=actor, opens_on=opens_on, closes_on=closes_on,
                                                  note=note, plan_item_id=item.pk)
        slug = get_municipality(municipality_id=citizen.municipality_id).slug
        notify(municipality_id=citizen.municipality_id, citizen_id=citizen.pk, kind=Kind.SUMMONS,
               subject_key=f"booking-window:{window.pk}", title=item.title,
               body=_("Choose a time that suits you. A conversation you book counts as a summons."),
               link=municipal_reverse(slug, "booking:book") + f"?window={window.pk}")
    return window


def exemption_set(*, actor, citizen, exempt: bool, reason: str = "") -> None:
    if not permissions.can_book_for(actor, citizen):
        raise ValidationFailed(_("Only the citizen's job adviser or personal job consultant can decide this."))
    reason = (reason or "").strip()
    if exempt and not reason:
        raise ValidationFailed({"reason": [_("Write why the citizen cannot book themselves.")]})
    with transaction.atomic():
        if exempt:
            SelfBookingExemption.all_tenants.update_or_create(
                citizen=citizen, defaults={"municipality_id": citizen.municipality_id, "reason": reason[:300],
                                           "decided_by": actor})
        else:
            SelfBookingExemption.all_tenants.filter(citizen=citizen).delete()
        citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                              action="change", what="self-booking exemption", purpose="help")


# --- Reminders ----------------------------------------------------------------------------------

REMINDERS = (("reminded_day_before_at", datetime.timedelta(hours=24), "24h"),
             ("reminded_hour_before_at", datetime.timedelta(hours=1), "1h"))


def reminders_send(*, now=None) -> int:
    """Queue the 24-hour and 1-hour reminders that are due. Idempotent: the notice key carries the
    booking's sequence, so a moved conversation is reminded again and a retry sends nothing twice."""
    now = now or timezone.now()
    sent = 0
    for field, ahead, label in REMINDERS:
        due = Booking.all_tenants.filter(status=BookingStatus.BOOKED, starts_at__gt=now, starts_at__lte=now + ahead,
                                         **{f"{field}__isnull": True}).select_related("location")
        for booking in due[:2000]:
            with transaction.atomic(), override("da"):
                from django.utils.formats import date_format

                when = date_format(timezone.localtime(booking.starts_at), "DATETIME_FORMAT")
                notify(municipality_id=booking.municipality_id, citizen_id=booking.citizen_id, kind=Kind.SUMMONS,
                       subject_key=f"booking:{booking.pk}:{booking.sequence}:reminder-{label}",
                       title=(_("Reminder: your conversation %(when)s") % {"when": when})[:200],
                       body=ical.where(booking), link=_link(booking))
                Booking.all_tenants.filter(pk=booking.pk).update(**{field: now})
            sent += 1
    return sent


# --- Minutes and agreements ------------------------------------------------------------------------

def _clean_agreements(agreements, today: datetime.date) -> list[tuple[str, datetime.date]]:
    cleaned, errors = [], []
    for title, due_on in agreements or []:
        title = (title or "").strip()
        if not title and due_on is None:
            continue
        if not title:
            errors.append(_("Every agreed activity needs a description."))
        elif due_on is None:
            errors.append(_("Every agreed activity needs a deadline."))
        elif due_on < today:
            errors.append(_("The deadline of an agreed activity cannot be in the past."))
        elif len(title) > 200:
            errors.append(_("Describe each activity in at most 200 characters."))
        else:
            cleaned.append((title, due_on))
    if errors:
        raise ValidationFailed({"agreements": errors})
    return cleaned


def _validate_minutes(talked_about: str, jobs: str, next_conversation: str) -> None:
    errors: dict[str, list[str]] = {}
    if not talked_about:
        errors["talked_about"] = [_("Write what you talked about.")]
    elif len(talked_about) > 4000:
        errors["talked_about"] = [_("Write at most %(limit)s characters.") % {"limit": 4000}]
    if len(jobs) > 2000:
        errors["jobs_to_apply_for"] = [_("Write at most %(limit)s characters.") % {"limit": 2000}]
    if len(next_conversation) > 300:
        errors["next_conversation"] = [_("Write at most %(limit)s characters.") % {"limit": 300}]
    _refuse(errors)


def minutes_write(*, actor, citizen, talked_about: str, agreements=(), jobs_to_apply_for: str = "",
                  next_conversation: str = "", booking: Booking | None = None, minutes: Minutes | None = None,
                  corrects: Minutes | None = None, today: datetime.date | None = None) -> Minutes:
    """Save a draft (new, edited, or a correction of shared minutes). Shared minutes never change."""
    today = today or timezone.localdate()
    if not permissions.can_write_minutes(actor, citizen):
        raise ValidationFailed(_("Only job advisers and personal job consultants write minutes."))
    talked_about, jobs = (talked_about or "").strip(), (jobs_to_apply_for or "").strip()
    next_conversation = (next_conversation or "").strip()
    _validate_minutes(talked_about, jobs, next_conversation)
    cleaned = _clean_agreements(agreements, today)
    if booking is not None and booking.citizen_id != citizen.pk:
        raise ValidationFailed(_("The conversation belongs to another citizen."))
    with transaction.atomic():
        if minutes is not None:
            minutes = Minutes.all_tenants.select_for_update().get(pk=minutes.pk, citizen_id=citizen.pk)
            if minutes.status != MinutesStatus.DRAFT:
                raise ValidationFailed(_("Shared minutes cannot be changed. Write a correction instead."))
            minutes.talked_about, minutes.jobs_to_apply_for = talked_about, jobs
            minutes.next_conversation = next_conversation
            minutes.save()
            Agreement.all_tenants.filter(minutes=minutes).delete()
        else:
            if corrects is not None:
                corrects = Minutes.all_tenants.select_for_update().get(pk=corrects.pk, citizen_id=citizen.pk)
                if corrects.status != MinutesStatus.SHARED:
                    raise ValidationFailed(_("Only shared minutes are corrected; edit the draft instead."))
                if Minutes.all_tenants.filter(corrects=corrects).exists():
                    raise ValidationFailed(_("These minutes already have a correction. Correct the correction."))
            minutes = Minutes.all_tenants.create(
                municipality_id=citizen.municipality_id, citizen=citizen, written_by=actor,
                booking=booking if booking is not None else (corrects.booking if corrects else None),
                talked_about=talked_about, jobs_to_apply_for=jobs, next_conversation=next_conversation,
                corrects=corrects)
        Agreement.all_tenants.bulk_create([
            Agreement(municipality_id=citizen.municipality_id, minutes=minutes, title=title, due_on=due_on)
            for title, due_on in cleaned])
        citizen_access_record(actor=actor, municipality_id=citizen.municipality_id, citizen_id=citizen.pk,
                              action="change", what="minutes", purpose="help")
    return minutes


def minutes_share(*, actor, minutes: Minutes) -> Minutes:
    """Share with the citizen: each agreed activity becomes an "agreed with the job centre" plan item."""
    with transaction.atomic():
        current = Minutes.all_tenants.select_for_update().select_related("citizen").get(pk=minutes.pk)
        if not permissions.can_write_minutes(actor, current.citizen):
            raise ValidationFailed(_("Only job advisers and personal job consultants write minutes."))
        if current.status != MinutesStatus.DRAFT:
            raise ValidationFailed(_("These minutes are already shared."))
        item_ids = []
        for agreement in Agreement.all_tenants.filter(minutes=current).order_by("due_on", "id"):
            item = citizen_services.plan_item_create(
                actor=actor, citizen=current.citizen, item_type="own_activity", title=agreement.title,
                due_on=agreement.due_on, agreed_with_job_centre=True, created_by_kind="staff",
                description=_("Agreed in the conversation on %(day)s.") % {
                    "day": timezone.localdate(current.created_at).isoformat()})
            agreement.plan_item_id = item.pk
            agreement.save(update_fields=["plan_item_id", "updated_at"])
            item_ids.append(item.pk)
        current.status, current.shared_at = MinutesStatus.SHARED, timezone.now()
        current.save(update_fields=["status", "shared_at", "updated_at"])
        slug = get_municipality(municipality_id=current.municipality_id).slug
        with override("da"):
            notify(municipality_id=current.municipality_id, citizen_id=current.citizen_id, kind=Kind.SUMMONS,
                   subject_key=f"minutes:{current.pk}",
                   title=_("Minutes of your conversation") if current.corrects_id is None
                   else _("Correction to the minutes of your conversation"),
                   body=_("Read what you talked about and agreed with the job centre."),
                   link=municipal_reverse(slug, "booking:my_minutes", kwargs={"minutes_id": current.pk}))
        publish_on_commit(MinutesShared(municipality_id=current.municipality_id, citizen_id=current.citizen_id,
                                        minutes_id=current.pk, agreement_plan_item_ids=tuple(item_ids)))
    return current


def minutes_comment_add(*, actor, minutes: Minutes, text: str) -> MinutesComment:
    text = (text or "").strip()
    if not permissions.can_comment_minutes(actor, minutes):
        raise ValidationFailed(_("You can comment on your own shared minutes."))
    if not text:
        raise ValidationFailed({"text": [_("Write your comment.")]})
    if len(text) > 2000:
        raise ValidationFailed({"text": [_("Write at most %(limit)s characters.") % {"limit": 2000}]})
    return MinutesComment.all_tenants.create(municipality_id=minutes.municipality_id, minutes=minutes,
                                             author=actor, text=text)


# --- Retention -----------------------------------------------------------------------------------

def bookings_purge(*, municipality_id: int, retention_days: int, now=None) -> int:
    """Bookings (with invitations) and minutes (with agreements and comments) whose conversation was
    more than retention_days ago. Corrections go before what they correct."""
    from jobunivers.core.services import delete_in_chunks

    cutoff = (now or timezone.now()) - datetime.timedelta(days=retention_days)
    old_minutes = Minutes.all_tenants.filter(municipality_id=municipality_id, created_at__lt=cutoff)
    deleted = delete_in_chunks(old_minutes.filter(corrects__isnull=False))
    deleted += delete_in_chunks(old_minutes)
    deleted += delete_in_chunks(Booking.all_tenants.filter(municipality_id=municipality_id, ends_at__lt=cutoff))
    deleted += delete_in_chunks(BookingWindow.all_tenants.filter(municipality_id=municipality_id,
                                                                 closes_on__lt=cutoff.date()))
    return deleted
