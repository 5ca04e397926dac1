"""Cross-municipality cases of booking: B's bookings, minutes, hours and citizens are absent from
A's lists and 404 as objects; staff pages that show a citizen write an access-log entry."""

import datetime

from django.utils import timezone

from jobunivers.audit.testing import AccessLogCase
from jobunivers.core.testing import LeakCase, ListLeakCase
from jobunivers.tenancy.roles import Role


def _citizen(municipality, user):
    from jobunivers.citizens.models import Citizen

    return Citizen.all_tenants.get(user=user, municipality=municipality)


def _booking(municipality, citizen_user, adviser, *, text="", starts_at=None):
    from jobunivers.booking.models import Booking, Invitation

    # begun today, and never before local midnight, so the day list shows it at any hour
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    starts_at = starts_at or max(timezone.now() - datetime.timedelta(minutes=5), midnight)
    booking = Booking.all_tenants.create(
        municipality=municipality, citizen=_citizen(municipality, citizen_user), adviser=adviser,
        starts_at=starts_at, ends_at=starts_at + datetime.timedelta(minutes=15), channel="phone",
        purpose="other", text=text, booked_by_kind="citizen", idempotency_key=f"leak-{timezone.now().timestamp()}")
    Invitation.all_tenants.create(municipality=municipality, booking=booking, sequence=0, method="REQUEST",
                                  ics="BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n")
    return booking


def _minutes(municipality, citizen_user, text="Talte om CV", status="shared"):
    from jobunivers.booking.models import Minutes

    return Minutes.all_tenants.create(municipality=municipality, citizen=_citizen(municipality, citizen_user),
                                      talked_about=text, status=status, shared_at=timezone.now())


def _other_booking(world):
    return _booking(world.other, world.other_users["citizen"], world.other_users["job_adviser"])


def _other_booking_marker(world):
    _booking(world.other, world.other_users["citizen"], world.other_users["job_adviser"], text="MARKEROTHERBOOKING")
    return "MARKEROTHERBOOKING", {}


def _other_hours_marker(world):
    from jobunivers.booking.models import Location, WeeklyAvailability

    place = Location.all_tenants.create(municipality=world.other, name="MARKEROTHERPLACE", address="Vej 1")
    adviser = world.other_users["job_adviser"]
    adviser.first_name = "MARKEROTHERADVISER"
    adviser.save(update_fields=["first_name"])
    for weekday in range(7):
        WeeklyAvailability.all_tenants.create(municipality=world.other, adviser=adviser, weekday=weekday,
                                              starts=datetime.time(0, 0), ends=datetime.time(23, 45), location=place)
    return "MARKEROTHER", {}


def _today_marker(world):
    from jobunivers.booking.models import Booking

    booking = _other_booking(world)
    Booking.all_tenants.filter(pk=booking.pk).update(text="MARKEROTHERDAY")
    user = world.other_users["citizen"]
    user.last_name = "MARKEROTHERDAY"
    user.save(update_fields=["last_name"])
    return "MARKEROTHERDAY", {}


def _other_place_marker(world):
    from jobunivers.booking.models import Location

    Location.all_tenants.create(municipality=world.other, name="MARKEROTHERPLACE", address="Vej 1")
    return "MARKEROTHERPLACE", {}


def _other_rule(world):
    from jobunivers.booking.models import WeeklyAvailability

    rule = WeeklyAvailability.all_tenants.create(municipality=world.other, adviser=world.other_users["job_adviser"],
                                                 weekday=0, starts=datetime.time(9, 0), ends=datetime.time(10, 0),
                                                 physical=False)
    return {"rule_id": rule.pk}


def _other_absence(world):
    from jobunivers.booking.models import AvailabilityException

    absence = AvailabilityException.all_tenants.create(municipality=world.other,
                                                       adviser=world.other_users["job_adviser"],
                                                       day=timezone.localdate() + datetime.timedelta(days=3))
    return {"absence_id": absence.pk}


LIST_URLS = [
    ListLeakCase("booking:settings", _other_place_marker),
    ListLeakCase("booking:my_bookings", _other_booking_marker),
    ListLeakCase("booking:book", _other_hours_marker),
    ListLeakCase("booking:availability", _other_hours_marker),
    ListLeakCase("booking:day_list", _today_marker),
]

OBJECT_URLS = [
    LeakCase("booking:availability_remove", _other_rule, method="post"),
    LeakCase("booking:absence_remove", _other_absence, method="post"),
    LeakCase("booking:mine", lambda w: {"booking_id": _other_booking(w).pk}),
    LeakCase("booking:invitation", lambda w: {"booking_id": _other_booking(w).pk}),
    LeakCase("booking:my_minutes", lambda w: {"minutes_id": _minutes(w.other, w.other_users["citizen"]).pk}),
    LeakCase("booking:attendance", lambda w: {"booking_id": _other_booking(w).pk}, method="post",
             data={"status": "no_show"}),
    LeakCase("booking:staff_citizen", lambda w: {"citizen_id": _citizen(w.other, w.other_users["citizen"]).pk}),
    LeakCase("booking:minutes_new", lambda w: {"citizen_id": _citizen(w.other, w.other_users["citizen"]).pk}),
    LeakCase("booking:minutes_edit", lambda w: {"citizen_id": _citizen(w.other, w.other_users["citizen"]).pk,
                                                "minutes_id": _minutes(w.other, w.other_users["citizen"]).pk}),
    LeakCase("booking:minutes_correct", lambda w: {
        "citizen_id": _citizen(w.other, w.other_users["citizen"]).pk,
        "corrects_id": _minutes(w.other, w.other_users["citizen"]).pk}),
]

EXEMPT: dict[str, str] = {}


def _home_citizen(world):
    return {"citizen_id": _citizen(world.home, world.users["citizen"]).pk}


def _home_day(world):
    _booking(world.home, world.users["citizen"], world.users["job_adviser"],
             starts_at=timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0))
    return {}


ACCESS_LOG_CASES = [
    AccessLogCase("booking:day_list", _home_day, Role.JOB_ADVISER),
    AccessLogCase("booking:attendance", lambda w: {"booking_id": _booking(
        w.home, w.users["citizen"], w.users["job_adviser"]).pk}, Role.JOB_ADVISER, method="post"),
    AccessLogCase("booking:staff_citizen", _home_citizen, Role.JOB_ADVISER),
    AccessLogCase("booking:minutes_new", _home_citizen, Role.JOB_ADVISER),
    AccessLogCase("booking:minutes_edit", lambda w: {**_home_citizen(w), "minutes_id": _minutes(
        w.home, w.users["citizen"]).pk}, Role.JOB_ADVISER),
    AccessLogCase("booking:minutes_correct", lambda w: {**_home_citizen(w), "corrects_id": _minutes(
        w.home, w.users["citizen"]).pk}, Role.JOB_ADVISER),
]

NO_CITIZEN_DATA = {
    "booking:mine": "the citizen's own booking; anyone else, staff included, gets 404",
    "booking:invitation": "the citizen's own calendar file; anyone else, staff included, gets 404",
    "booking:my_minutes": "the citizen's own shared minutes; anyone else, staff included, gets 404",
    "booking:availability": "the adviser's own published hours",
    "booking:availability_remove": "the adviser's own published hours",
    "booking:absence_remove": "the adviser's own days away",
    "booking:settings": "the municipality's booking policy and meeting places",
}
