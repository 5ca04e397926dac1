import datetime
import re

import pytest
from django.utils import timezone

from jobunivers.booking import services
from jobunivers.booking.models import Booking, Minutes
from jobunivers.citizens.models import PlanItem
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.notifications.models import Notification
from jobunivers.tenancy.roles import Role

from .factories import at, weekday_ahead

pytestmark = pytest.mark.django_db


def _slot_values(html: str) -> list[str]:
    return re.findall(r'name="slot" value="([^"]+)"', html)


def test_the_citizen_books_from_the_page_and_gets_the_invitation(citizen, adviser, municipality):
    # given the booking page lists free times for video
    client = client_for(citizen.user)
    page = client.get(murl(municipality, "booking:book") + "?kanal=video")
    assert page.status_code == 200
    slot = _slot_values(page.content.decode())[0]
    key = re.search(r'name="key" value="([^"]+)"', page.content.decode()).group(1)
    # when the citizen books the first one
    answer = client.post(murl(municipality, "booking:book"), {
        "purpose": "job_search", "text": "", "slot": slot, "channel": "video", "key": key})
    # then the conversation page opens and the invitation is in the inbox
    booking = Booking.all_tenants.get(citizen=citizen)
    assert answer.status_code == 302
    assert answer["Location"] == murl(municipality, "booking:mine", booking_id=booking.pk)
    assert Notification.all_tenants.filter(recipient=citizen.user, subject_key=f"booking:{booking.pk}:0").exists()
    ics = client.get(murl(municipality, "booking:invitation", booking_id=booking.pk))
    assert ics["Content-Type"].startswith("text/calendar")
    assert b"METHOD:REQUEST" in ics.content


def test_a_taken_slot_on_the_page_says_so_in_danish_and_offers_the_next_times(citizen, adviser, municipality):
    # given someone else took 10:00
    when = at(weekday_ahead(), 10)
    other = CitizenFactory(municipality=municipality)
    services.booking_create(actor=other.user, citizen=other, adviser_id=adviser.pk, starts_at=when, channel="video",
                            purpose="plan")
    # when the citizen posts that slot
    answer = client_for(citizen.user).post(murl(municipality, "booking:book"), {
        "purpose": "plan", "slot": f"{adviser.pk}|{when.isoformat()}", "channel": "video", "key": "abc"})
    # then the page says it was taken and lists other times; nothing was written for this citizen
    html = answer.content.decode()
    assert answer.status_code == 200
    assert "Tiden er lige blevet taget. Vælg en af de næste ledige tider." in html
    assert f"{adviser.pk}|{when.isoformat()}" not in _slot_values(html)[1:]
    assert len(_slot_values(html)) >= 5
    assert Booking.all_tenants.filter(citizen=citizen).count() == 0


def test_a_time_inside_the_notice_limit_is_refused_on_the_page(citizen, adviser, municipality):
    soon = timezone.now() + datetime.timedelta(hours=2)
    answer = client_for(citizen.user).post(murl(municipality, "booking:book"), {
        "purpose": "plan", "slot": f"{adviser.pk}|{soon.isoformat()}", "channel": "video", "key": "abc"})
    assert answer.status_code == 200
    assert "Tidspunktet er for tæt på: book mindst 1 arbejdsdag(e) frem." in answer.content.decode()
    assert Booking.all_tenants.count() == 0


def test_staff_record_a_no_show_from_the_day_list(citizen, adviser, municipality):
    # given a booking today that has begun (never before local midnight, or the test fails just after it)
    now = timezone.now()
    midnight = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time()))
    starts_at = max(now - datetime.timedelta(minutes=5), midnight)
    booking = Booking.all_tenants.create(
        municipality=municipality, citizen=citizen, adviser=adviser, starts_at=starts_at,
        ends_at=starts_at + datetime.timedelta(minutes=15), channel="phone", purpose="plan", booked_by_kind="citizen",
        idempotency_key="x")
    client = client_for(adviser)
    page = client.get(murl(municipality, "booking:day_list") + f"?dag={timezone.localdate().isoformat()}")
    assert citizen.user.get_full_name() in page.content.decode()
    # when the adviser marks a no-show
    client.post(murl(municipality, "booking:attendance", booking_id=booking.pk), {"status": "no_show"})
    # then it is recorded
    booking.refresh_from_db()
    assert booking.status == "no_show"


def test_staff_share_minutes_and_the_agreement_is_in_the_plan(citizen, member, municipality):
    # given an adviser writing minutes
    staff = member(Role.JOB_ADVISER, municipality)
    due = timezone.localdate() + datetime.timedelta(days=10)
    # when shared from the form
    answer = client_for(staff).post(murl(municipality, "booking:minutes_new", citizen_id=citizen.pk), {
        "talked_about": "CV og ansøgninger", "agreement_1": "Send 2 ansøgninger", "agreement_1_due": due.isoformat(),
        "share": "1"})
    # then the minutes are shared and the agreement is an agreed plan item
    minutes = Minutes.all_tenants.get(citizen=citizen)
    assert answer.status_code == 302
    assert minutes.status == "shared"
    item = PlanItem.all_tenants.get(citizen=citizen)
    assert (item.title, item.due_on, item.agreed_with_job_centre) == ("Send 2 ansøgninger", due, True)
    # and the citizen reads them
    page = client_for(citizen.user).get(murl(municipality, "booking:my_minutes", minutes_id=minutes.pk))
    assert "CV og ansøgninger" in page.content.decode()


def test_a_draft_is_not_shown_to_the_citizen(citizen, member, municipality):
    staff = member(Role.JOB_ADVISER, municipality)
    draft = services.minutes_write(actor=staff, citizen=citizen, talked_about="Kladde")
    page = client_for(citizen.user).get(murl(municipality, "booking:my_minutes", minutes_id=draft.pk))
    assert page.status_code == 404
