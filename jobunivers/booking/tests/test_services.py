import datetime

import pytest
from django.utils import timezone

from jobunivers.booking import ical, services, slots
from jobunivers.booking.models import Booking, BookingStatus, Invitation, Minutes
from jobunivers.citizens.models import PlanItem
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.errors import ValidationFailed
from jobunivers.notifications.models import Notification
from jobunivers.tenancy.roles import Role

from .factories import at, hours, policy, weekday_ahead

pytestmark = pytest.mark.django_db


def _book(citizen, adviser, when, **kwargs):
    values = {"actor": citizen.user, "citizen": citizen, "adviser_id": adviser.pk, "starts_at": when,
              "channel": "video", "purpose": "job_search"}
    values.update(kwargs)
    return services.booking_create(**values)


def test_a_citizen_books_a_free_15_minute_video_slot_with_plan_item_and_invitation(citizen, adviser):
    # given an adviser with hours 9–12 on weekdays
    when = at(weekday_ahead(), 10, 15)
    # when the citizen books 10:15 by video
    booking = _book(citizen, adviser, when, idempotency_key="k1")
    # then the booking lasts 15 minutes, has a video room, a plan item, and invitation sequence 0 in the outbox
    assert (booking.starts_at, booking.ends_at - booking.starts_at) == (when, datetime.timedelta(minutes=15))
    assert booking.video_link == f"https://meet.jit.si/jobunivers-{booking.uid.hex}"
    item = PlanItem.all_tenants.get(pk=booking.plan_item_id)
    assert (item.item_type, item.starts_on, item.created_by_kind) == ("meeting", when.date(), "system")
    invitation = Invitation.all_tenants.get(booking=booking)
    assert (invitation.sequence, invitation.method) == (0, "REQUEST")
    assert f"UID:{booking.uid}@jobunivers" in invitation.ics
    assert "METHOD:REQUEST" in invitation.ics and "SEQUENCE:0" in invitation.ics
    assert f"URL:{booking.video_link}" in invitation.ics
    notice = Notification.all_tenants.get(recipient=citizen.user)
    assert notice.subject_key == f"booking:{booking.pk}:0"
    assert notice.link == f"/aarhus/samtaler/{booking.pk}/"


def test_the_same_idempotency_key_returns_the_same_booking(citizen, adviser):
    # given a booking made with key "k"
    when = at(weekday_ahead(), 9, 0)
    first = _book(citizen, adviser, when, idempotency_key="k")
    # when the request is repeated (double click), even for another time
    again = _book(citizen, adviser, when + datetime.timedelta(minutes=15), idempotency_key="k")
    # then it is the same booking and nothing new was written
    assert again.pk == first.pk
    assert Booking.all_tenants.count() == 1
    assert Invitation.all_tenants.count() == 1


@pytest.mark.parametrize("case, expected", [
    ("past", "The time has passed. Choose a time in the future."),
    ("notice", "The time is too soon: book at least 1 working day(s) ahead."),
])
def test_booking_in_the_past_or_inside_the_notice_limit_is_refused_in_danish(citizen, adviser, case, expected,
                                                                             settings):
    # given a time in the past, or one inside the notice limit (in an hour)
    settings.LANGUAGE_CODE = "en"
    when = timezone.now() - datetime.timedelta(hours=1) if case == "past" else timezone.now() + datetime.timedelta(hours=1)
    # when the citizen books it
    with pytest.raises(ValidationFailed) as refused:
        _book(citizen, adviser, when)
    # then a clear message, and nothing written
    assert refused.value.messages == {"starts_at": [expected]}
    assert (Booking.all_tenants.count(), PlanItem.all_tenants.count(), Notification.all_tenants.count()) == (0, 0, 0)


def test_danish_message_for_a_taken_slot_lists_the_next_free_times(citizen, adviser, municipality):
    # given someone else booked 10:00
    when = at(weekday_ahead(), 10, 0)
    _book(CitizenFactory(municipality=municipality), adviser, when)
    # when the citizen tries the same slot
    with pytest.raises(services.SlotTaken) as taken:
        _book(citizen, adviser, when)
    # then the message says it was taken (in Danish) and offers the next free times, none of them 10:00
    assert taken.value.messages == {"starts_at": ["Tiden er lige blevet taget. Vælg en af de næste ledige tider."]}
    assert len(taken.value.alternatives) == 5
    assert when not in [s.starts_at for s in taken.value.alternatives]
    assert Booking.all_tenants.filter(citizen=citizen).count() == 0


def test_outside_the_deadline_window_is_refused(citizen, adviser, member, municipality):
    # given staff require a booking in a window that ends before the chosen day
    staff = member(Role.JOB_ADVISER, municipality)
    day = weekday_ahead(8)
    window = services.window_open(actor=staff, citizen=citizen, opens_on=day - datetime.timedelta(days=6),
                                  closes_on=day - datetime.timedelta(days=1))
    # when the citizen books a time after the window
    with pytest.raises(ValidationFailed) as refused:
        _book(citizen, adviser, at(day, 10), window_id=window.pk)
    # then refused, nothing booked, the window is still open
    assert list(refused.value.messages) == ["starts_at"]
    assert Booking.all_tenants.count() == 0
    window.refresh_from_db()
    assert window.fulfilled_at is None


def test_booking_inside_the_window_fulfils_it_and_closes_its_plan_item(citizen, adviser, member, municipality):
    # given a window with its plan item (due on the last day; overdue raises the worklist alert)
    staff = member(Role.JOB_ADVISER, municipality)
    day = weekday_ahead(4)
    window = services.window_open(actor=staff, citizen=citizen, opens_on=day, closes_on=day + datetime.timedelta(days=8))
    item = PlanItem.all_tenants.get(pk=window.plan_item_id)
    assert (item.due_on, item.status) == (day + datetime.timedelta(days=8), "planned")
    # when the citizen books inside it
    _book(citizen, adviser, at(day, 11), window_id=window.pk)
    # then the window is fulfilled and its plan item done
    window.refresh_from_db()
    item.refresh_from_db()
    assert window.fulfilled_at is not None
    assert item.status == "done"


def test_an_exempted_citizen_cannot_self_book_but_staff_can_book_for_them(citizen, adviser, member, municipality):
    # given the citizen is exempted from self-booking
    staff = member(Role.PERSONAL_CONSULTANT, municipality)
    services.exemption_set(actor=staff, citizen=citizen, exempt=True, reason="Har brug for tolk")
    when = at(weekday_ahead(), 9, 30)
    # when the citizen books, then refused
    with pytest.raises(ValidationFailed):
        _book(citizen, adviser, when)
    assert Booking.all_tenants.count() == 0
    # when staff book for them, then it is booked by staff
    booking = _book(citizen, adviser, when, actor=staff)
    assert booking.booked_by_kind == "staff"


def test_reschedule_keeps_the_uid_and_raises_the_sequence_and_cancel_sends_method_cancel(citizen, adviser):
    # given a booking
    day = weekday_ahead()
    booking = _book(citizen, adviser, at(day, 9))
    # when moved, then cancelled
    moved = services.booking_reschedule(actor=citizen.user, booking=booking, adviser_id=adviser.pk,
                                        starts_at=at(day, 11), reason="Tandlæge")
    cancelled = services.booking_cancel(actor=citizen.user, booking=moved, reason="Har fået job")
    # then one UID with sequences 0, 1, 2: REQUEST, REQUEST, CANCEL
    rows = list(Invitation.all_tenants.filter(booking=booking).values_list("sequence", "method"))
    assert rows == [(0, "REQUEST"), (1, "REQUEST"), (2, "CANCEL")]
    last = Invitation.all_tenants.get(booking=booking, sequence=2).ics
    assert f"UID:{booking.uid}@jobunivers" in last and "STATUS:CANCELLED" in last and "METHOD:CANCEL" in last
    assert cancelled.status == "cancelled"
    assert PlanItem.all_tenants.get(pk=booking.plan_item_id).status == "cancelled"


def test_cancel_needs_a_reason_and_is_refused_after_the_notice_limit(citizen, adviser):
    # given a booking
    booking = _book(citizen, adviser, at(weekday_ahead(), 9))
    # when cancelled without a reason, then refused and still booked
    with pytest.raises(ValidationFailed):
        services.booking_cancel(actor=citizen.user, booking=booking, reason=" ")
    # when cancelled "now" being an hour before, then too late: write to the job centre
    with pytest.raises(ValidationFailed) as late:
        services.booking_cancel(actor=citizen.user, booking=booking, reason="Syg",
                                now=booking.starts_at - datetime.timedelta(hours=1))
    assert "Skriv til jobcentret" in late.value.messages["__all__"][0]
    booking.refresh_from_db()
    assert (booking.status, booking.sequence) == ("booked", 0)


def test_no_show_is_recorded_by_staff_and_tells_the_citizen(citizen, adviser, member, municipality):
    # given a conversation that has begun
    booking = _book(citizen, adviser, at(weekday_ahead(), 9))
    # when the adviser records a no-show
    services.booking_record_attendance(actor=adviser, booking=booking, status="no_show",
                                       now=booking.starts_at + datetime.timedelta(minutes=5))
    # then recorded, and the citizen is told to contact the job centre
    booking.refresh_from_db()
    assert booking.status == BookingStatus.NO_SHOW
    assert Notification.all_tenants.filter(recipient=citizen.user, subject_key=f"booking:{booking.pk}:no-show").exists()
    # and a citizen cannot record attendance
    with pytest.raises(ValidationFailed):
        services.booking_record_attendance(actor=citizen.user, booking=booking, status="held")


def test_reminders_go_24_hours_and_1_hour_before_once(citizen, adviser):
    # given a booking
    booking = _book(citizen, adviser, at(weekday_ahead(), 9))
    # when the reminder task runs 23 hours before, twice, and then 50 minutes before
    first = services.reminders_send(now=booking.starts_at - datetime.timedelta(hours=23))
    again = services.reminders_send(now=booking.starts_at - datetime.timedelta(hours=23))
    last = services.reminders_send(now=booking.starts_at - datetime.timedelta(minutes=50))
    # then one reminder a day before and one an hour before
    assert (first, again, last) == (1, 0, 1)
    keys = set(Notification.all_tenants.filter(recipient=citizen.user).values_list("subject_key", flat=True))
    assert keys == {f"booking:{booking.pk}:0", f"booking:{booking.pk}:0:reminder-24h",
                    f"booking:{booking.pk}:0:reminder-1h"}


def test_free_slots_respect_absence_buffer_and_daily_cap(municipality, member):
    # given an adviser 9–10 with a 5-minute pause, a cap of 2 a day, away on the first day
    adviser = member(Role.JOB_ADVISER, municipality)
    hours(municipality, adviser, ends=datetime.time(10, 0))
    policy(municipality, buffer_minutes=5, daily_cap_per_adviser=2)
    day = weekday_ahead()
    from jobunivers.booking.models import AvailabilityException

    AvailabilityException.all_tenants.create(municipality=municipality, adviser=adviser, day=day)
    citizen = CitizenFactory(municipality=municipality)
    # when listing the next free times
    free = slots.offers(municipality_id=municipality.pk, policy=slots.policy_for(municipality.pk),
                        start=at(day, 0), days=2)
    # then nothing on the day away; the next day 9:00, 9:20, 9:40 (15 minutes + 5 pause)
    assert [s.starts_at for s in free] == [at(day + datetime.timedelta(days=1), 9, m) for m in (0, 20, 40)]
    # and after two bookings that day, the cap closes it
    for minute in (0, 20):
        _book(CitizenFactory(municipality=municipality), adviser, at(day + datetime.timedelta(days=1), 9, minute))
    assert slots.offers(municipality_id=municipality.pk, policy=slots.policy_for(municipality.pk),
                        start=at(day, 0), days=2) == []
    assert citizen.pk


def test_the_citizens_own_consultant_is_offered_first_else_the_adviser_with_most_capacity(municipality, member,
                                                                                          citizen):
    # given two advisers with the same hours, one of them the citizen's consultant, and one with fewer hours
    from jobunivers.segmentation.models import ConsultantAssignment

    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    busy = member(Role.JOB_ADVISER, municipality)
    roomy = member(Role.JOB_ADVISER, municipality)
    hours(municipality, consultant, starts=datetime.time(9, 0), ends=datetime.time(9, 30))
    hours(municipality, busy, starts=datetime.time(9, 0), ends=datetime.time(9, 30))
    hours(municipality, roomy, starts=datetime.time(9, 0), ends=datetime.time(11, 0))
    ConsultantAssignment.all_tenants.create(municipality=municipality, citizen=citizen, consultant=consultant,
                                            started_at=timezone.now(), reason="test")
    day = weekday_ahead()
    policy_ = slots.policy_for(municipality.pk)
    # when listing for the citizen, and for a citizen without a consultant
    own = slots.offers(municipality_id=municipality.pk, policy=policy_, start=at(day, 0), days=1,
                       consultant_id=consultant.pk, limit=2)
    other = slots.offers(municipality_id=municipality.pk, policy=policy_, start=at(day, 0), days=1, limit=2)
    # then the consultant gets 9:00 and 9:15; otherwise the adviser with most free capacity
    assert [(s.adviser_id, s.own_consultant) for s in own] == [(consultant.pk, True), (consultant.pk, True)]
    assert [s.adviser_id for s in other] == [roomy.pk, roomy.pk]


def test_minutes_shared_make_agreed_plan_items_and_cannot_change_only_be_corrected(citizen, member, municipality):
    # given a draft with one agreed activity
    staff = member(Role.JOB_ADVISER, municipality)
    due = timezone.localdate() + datetime.timedelta(days=14)
    draft = services.minutes_write(actor=staff, citizen=citizen, talked_about="Ansøgning til Byg A/S",
                                   agreements=[("Send ansøgning til Byg A/S", due)], next_conversation="Om 3 uger")
    # when shared
    shared = services.minutes_share(actor=staff, minutes=draft)
    # then the activity is in the plan, agreed with the job centre, with its deadline
    item = PlanItem.all_tenants.get(citizen=citizen, title="Send ansøgning til Byg A/S")
    assert (item.agreed_with_job_centre, item.due_on, item.created_by_kind) == (True, due, "staff")
    assert shared.status == "shared"
    # and it cannot be edited
    with pytest.raises(ValidationFailed):
        services.minutes_write(actor=staff, citizen=citizen, talked_about="Ændret", minutes=shared)
    assert Minutes.all_tenants.get(pk=shared.pk).talked_about == "Ansøgning til Byg A/S"
    # but a correction follows it, and the original stays
    correction = services.minutes_write(actor=staff, citizen=citizen, talked_about="Rettelse: Byg B/S",
                                        corrects=shared)
    services.minutes_share(actor=staff, minutes=correction)
    assert Minutes.all_tenants.get(pk=shared.pk).correction.pk == correction.pk
    # and the citizen can comment on shared minutes
    comment = services.minutes_comment_add(actor=citizen.user, minutes=shared, text="Jeg er enig")
    assert comment.text == "Jeg er enig"


def test_an_agreement_without_a_deadline_writes_nothing(citizen, member, municipality):
    staff = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(ValidationFailed) as refused:
        services.minutes_write(actor=staff, citizen=citizen, talked_about="x", agreements=[("Søg job", None)])
    assert refused.value.messages == {"agreements": ["Every agreed activity needs a deadline."]} or \
        refused.value.messages == {"agreements": ["Alle aftalte aktiviteter skal have en frist."]}
    assert Minutes.all_tenants.count() == 0


def test_ical_sequence_and_method_are_in_the_file(citizen, adviser):
    booking = _book(citizen, adviser, at(weekday_ahead(), 9), channel="phone")
    text = ical.invitation_ics(booking=booking, method="CANCEL", summary="s", description="d")
    assert "METHOD:CANCEL" in text and "SEQUENCE:0" in text and "URL" not in text


def test_after_the_notice_limit_the_citizen_writes_to_the_job_centre_about_the_booking(citizen, adviser):
    # given a booking the citizen can no longer move
    from jobunivers.dialogue.models import Thread

    booking = _book(citizen, adviser, at(weekday_ahead(), 9))
    # when the citizen writes to the job centre instead
    thread = services.booking_message_job_centre(actor=citizen.user, booking=booking, text="Jeg er syg i dag")
    # then a thread about this booking waits for the job centre
    stored = Thread.all_tenants.get(pk=thread.pk)
    assert (stored.about_kind, stored.about_id, stored.waiting_for) == ("booking", booking.pk, "job_centre")


@pytest.mark.parametrize("day", [datetime.date(2027, 3, 26), datetime.date(2027, 3, 29),  # around summer time
                                 datetime.date(2027, 10, 29), datetime.date(2027, 11, 1)])  # and back
def test_busy_times_are_the_bookings_own_instants_on_their_local_day(municipality, member, day):
    # given bookings at the start and the end of a local day, and one at 10:15
    adviser = member(Role.JOB_ADVISER, municipality)
    moments = [at(day, 0, 0), at(day, 10, 15), at(day, 23, 45)]
    for n, starts_at in enumerate(moments):
        Booking.all_tenants.create(municipality=municipality, citizen=CitizenFactory(municipality=municipality),
                                   adviser=adviser, starts_at=starts_at,
                                   ends_at=starts_at + datetime.timedelta(minutes=15), channel="video",
                                   purpose="plan", booked_by_kind="citizen", idempotency_key=f"dst-{n}")
    # when the listing reads the busy times of that day
    busy = slots._busy(municipality.pk, at(day, 0) - datetime.timedelta(hours=2), at(day, 0) + datetime.timedelta(days=1),
                       None)
    # then each is the booking's own instant in seconds, filed under its local day, and nothing else
    assert {key: sorted(value) for key, value in busy.items()} == {
        (adviser.pk, day): [(m.timestamp(), m.timestamp() + 900) for m in moments]}
