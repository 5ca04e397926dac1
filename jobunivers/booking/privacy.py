"""Personal data held by the booking app: the citizen's booked conversations (with their calendar
invitations), deadlines for self-booking, an exemption from self-booking, minutes with agreements
and comments; for staff, the hours they publish. Kept BookingSettings.retention_days after the
conversation (default five years, the period the job centre keeps its case records)."""

from django.utils.translation import gettext_lazy as _

from jobunivers.audit.privacy import (
    exempt_from_personal_data,
    register_access_subject,
    register_personal_data,
    shown_as,
)

from .models import (
    Agreement,
    AvailabilityException,
    Booking,
    BookingSettings,
    BookingWindow,
    Invitation,
    Location,
    Minutes,
    MinutesComment,
    SelfBookingExemption,
    WeeklyAvailability,
)


def _bookings(user):
    return Booking.all_tenants.filter(citizen__user=user).order_by("starts_at")


def _export_bookings(user):
    return [{"time": b.starts_at.isoformat(), "form": b.channel, "about": b.purpose, "job": b.posting_title,
             "text": b.text, "status": b.status, "cancel_reason": b.cancel_reason,
             "invitations": list(Invitation.all_tenants.filter(booking=b).values_list("ics", flat=True))} for b in _bookings(user)]


def _erase_bookings(user):
    Minutes.all_tenants.filter(citizen__user=user, corrects__isnull=False).delete()
    Minutes.all_tenants.filter(citizen__user=user).delete()
    _bookings(user).delete()


def _export_windows(user):
    return [{"from": w.opens_on.isoformat(), "until": w.closes_on.isoformat(), "note": w.note,
             "booked": w.fulfilled_at.isoformat() if w.fulfilled_at else None}
            for w in BookingWindow.all_tenants.filter(citizen__user=user).order_by("opens_on")]


def _erase_windows(user):
    BookingWindow.all_tenants.filter(citizen__user=user).delete()
    SelfBookingExemption.all_tenants.filter(citizen__user=user).delete()


def _export_minutes(user):
    return [{"written": m.created_at.isoformat(), "status": m.status, "talked_about": m.talked_about,
             "agreements": [{"activity": a.title, "deadline": a.due_on.isoformat()} for a in Agreement.all_tenants.filter(minutes=m)],
             "jobs_to_apply_for": m.jobs_to_apply_for, "next_conversation": m.next_conversation,
             "corrects": m.corrects_id, "comments": list(MinutesComment.all_tenants.filter(minutes=m).values_list("text", flat=True))}
            for m in Minutes.all_tenants.filter(citizen__user=user, status="shared").order_by("created_at")]


def _export_hours(user):
    return [{"weekday": r.weekday, "from": r.starts.isoformat(), "until": r.ends.isoformat()}
            for r in WeeklyAvailability.all_tenants.filter(adviser=user)]


def _erase_hours(user):
    WeeklyAvailability.all_tenants.filter(adviser=user).delete()
    AvailabilityException.all_tenants.filter(adviser=user).delete()


register_personal_data(Booking, category=_("Conversations you booked with the job centre"), purpose="help",
                       export=_export_bookings, erase=_erase_bookings,
                       fields={"time": shown_as(Booking, "starts_at"), "form": shown_as(Booking, "channel"),
                               "about": shown_as(Booking, "purpose"), "job": shown_as(Booking, "posting_title"),
                               "text": shown_as(Booking, "text"), "status": shown_as(Booking, "status"),
                               "cancel_reason": shown_as(Booking, "cancel_reason"),
                               "invitations": shown_as(Booking, "uid", label=_("calendar invitations"))})
register_personal_data(BookingWindow, category=_("Deadlines for booking a conversation"), purpose="help",
                       export=_export_windows, erase=_erase_windows,
                       fields={"from": shown_as(BookingWindow, "opens_on"),
                               "until": shown_as(BookingWindow, "closes_on"),
                               "note": shown_as(BookingWindow, "note"),
                               "booked": shown_as(BookingWindow, "fulfilled_at")})
register_personal_data(Minutes, category=_("Minutes of your conversations"), purpose="help",
                       export=_export_minutes, erase=lambda user: None,
                       fields={"written": shown_as(Minutes, "created_at", label=_("written")),
                               "status": shown_as(Minutes, "status"),
                               "talked_about": shown_as(Minutes, "talked_about"),
                               "agreements": _("agreements"), "activity": shown_as(Agreement, "title"),
                               "deadline": shown_as(Agreement, "due_on"),
                               "jobs_to_apply_for": shown_as(Minutes, "jobs_to_apply_for"),
                               "next_conversation": shown_as(Minutes, "next_conversation"),
                               "corrects": shown_as(Minutes, "corrects"),
                               "comments": shown_as(MinutesComment, "text", label=_("comments"))},
                       keep_reason=_("Minutes are erased together with your booked conversations."))
register_personal_data(WeeklyAvailability, category=_("Hours you offer for conversations"), purpose="help",
                       export=_export_hours, erase=_erase_hours,
                       fields={"weekday": shown_as(WeeklyAvailability, "weekday"),
                               "from": shown_as(WeeklyAvailability, "starts"),
                               "until": shown_as(WeeklyAvailability, "ends")})
register_access_subject("booking", _("a conversation the citizen booked"))
register_access_subject("booking day list", _("the conversations of a day"))
register_access_subject("booking timeline", _("the citizen's booked conversations and minutes"))
register_access_subject("booking attendance", _("whether the citizen came to a conversation"))
register_access_subject("self-booking exemption", _("exemption from self-booking"))
register_access_subject("minutes", _("minutes of a conversation"))

exempt_from_personal_data(Invitation, reason="calendar files are exported and erased with their booking")
exempt_from_personal_data(Agreement, reason="agreements are exported with their minutes and erased with them")
exempt_from_personal_data(MinutesComment, reason="comments are exported with their minutes and erased with them")
exempt_from_personal_data(AvailabilityException, reason="an adviser's absences; erased with their weekly hours")
exempt_from_personal_data(SelfBookingExemption, reason="exported with booking deadlines and erased with them")
exempt_from_personal_data(Location, reason="the municipality's meeting places, no personal data")
exempt_from_personal_data(BookingSettings, reason="the municipality's booking policy, no personal data")
