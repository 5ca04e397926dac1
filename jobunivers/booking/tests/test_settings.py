"""The municipality's booking policy and meeting places (its administrators), and the adviser's own
hours and days away: bounds are checked with Danish messages and a refusal writes nothing."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.booking import services
from jobunivers.booking.models import AvailabilityException, BookingSettings, Location, WeeklyAvailability
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

GOOD = {"slot_minutes": 20, "notice_working_days": 2, "buffer_minutes": 5, "daily_cap_per_adviser": 10,
        "video_provider": "pasted", "retention_days": 1825}


def _form(**changes):
    return {"form": "settings", **GOOD, **changes}


def test_an_administrator_sets_the_policy_and_slots_follow_it(municipality, member):
    # given an administrator
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    # when they save 20-minute slots with two working days' notice and pasted video links
    response = client_for(admin).post(murl(municipality, "booking:settings"), _form())
    # then the policy is stored and the booking rules read it
    assert response.status_code == 302
    row = BookingSettings.all_tenants.get(municipality=municipality)
    assert (row.slot_minutes, row.notice_working_days, row.buffer_minutes, row.daily_cap_per_adviser,
            row.video_provider, row.retention_days) == (20, 2, 5, 10, "pasted", 1825)
    from jobunivers.booking.slots import policy_for

    policy = policy_for(municipality.pk)
    assert (policy.slot_minutes, policy.notice_working_days) == (20, 2)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("slot_minutes", 5, "Denne værdi skal være større end eller lig 10."),
    ("slot_minutes", 90, "Denne værdi skal være mindre end eller lig 60."),
    ("daily_cap_per_adviser", 0, "Denne værdi skal være større end eller lig 1."),
    ("retention_days", 7, "Denne værdi skal være større end eller lig 30."),
    ("notice_working_days", -1, "Denne værdi skal være større end eller lig 0."),
    ("video_provider", "skype", "Marker en gyldig valgmulighed. skype er ikke en af de tilgængelige valgmuligheder."),
    ("closed_optional_days", "12-25", "Marker en gyldig valgmulighed. 12-25 er ikke en af de tilgængelige valgmuligheder."),
])
def test_values_out_of_bounds_get_a_danish_message_and_nothing_changes(municipality, member, field, value, message):
    # given a stored policy
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    services.booking_settings_save(actor=admin, municipality_id=municipality.pk, values=GOOD)
    # when an administrator sends a value out of bounds
    response = client_for(admin).post(murl(municipality, "booking:settings"), _form(**{field: value}))
    # then the page says why, in Danish, and the stored policy is unchanged
    assert response.status_code == 200
    assert message in response.content.decode()
    assert BookingSettings.all_tenants.get(municipality=municipality).slot_minutes == 20


def test_the_service_refuses_what_the_form_would_and_writes_nothing(municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    # when the service gets a too-short slot and an unknown provider
    with pytest.raises(ValidationFailed) as refused:
        services.booking_settings_save(actor=admin, municipality_id=municipality.pk,
                                       values={"slot_minutes": 3, "video_provider": "skype"})
    # then both are named and no policy row exists
    assert sorted(refused.value.messages) == ["slot_minutes", "video_provider"]
    assert BookingSettings.all_tenants.count() == 0


@pytest.mark.parametrize("role", [Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT, Role.CITIZEN])
def test_only_administrators_change_the_policy(municipality, member, role):
    user = member(role, municipality)
    assert client_for(user).post(murl(municipality, "booking:settings"), _form()).status_code == 403
    with pytest.raises(ValidationFailed):
        services.booking_settings_save(actor=user, municipality_id=municipality.pk, values=GOOD)
    with pytest.raises(ValidationFailed):
        services.location_add(actor=user, municipality_id=municipality.pk, name="Jobcenter", address="Vej 1")
    assert (BookingSettings.all_tenants.count(), Location.all_tenants.count()) == (0, 0)


def test_an_administrator_adds_a_meeting_place_that_advisers_can_choose(municipality, member):
    admin, adviser = member(Role.MUNICIPALITY_ADMIN, municipality), member(Role.JOB_ADVISER, municipality)
    # when the administrator adds a meeting place, and one without an address
    client = client_for(admin)
    added = client.post(murl(municipality, "booking:settings"), {
        "form": "location", "name": "Jobcenter Aarhus", "address": "Fredensgade 40, 8000 Aarhus C", "room": "Lokale 2"})
    refused = client.post(murl(municipality, "booking:settings"), {"form": "location", "name": "Uden adresse",
                                                                   "address": "  "})
    # then the first is stored and offered on the adviser's hours page; the second is refused in Danish
    assert added.status_code == 302
    assert refused.status_code == 200 and "Dette felt skal udfyldes." in refused.content.decode()
    assert list(Location.all_tenants.values_list("name", "room")) == [("Jobcenter Aarhus", "Lokale 2")]
    assert "Jobcenter Aarhus, Lokale 2, Fredensgade 40, 8000 Aarhus C" in client_for(adviser).get(
        murl(municipality, "booking:availability")).content.decode()


def test_the_adviser_withdraws_hours_and_registers_and_removes_a_day_away(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    rule = WeeklyAvailability.all_tenants.create(municipality=municipality, adviser=adviser, weekday=0,
                                                 starts=datetime.time(9), ends=datetime.time(10), physical=False)
    client = client_for(adviser)
    day = timezone.localdate() + datetime.timedelta(days=7)
    # when the adviser registers a day away, a half day with the end before the start, and withdraws the hours
    whole = client.post(murl(municipality, "booking:availability"), {"form": "absence", "day": day.isoformat(),
                                                                     "reason": "Kursus"})
    wrong = client.post(murl(municipality, "booking:availability"), {
        "form": "absence", "day": day.isoformat(), "starts": "12:00", "ends": "10:00"})
    withdrawn = client.post(murl(municipality, "booking:availability_remove", rule_id=rule.pk))
    # then the whole day is stored, the wrong one refused in Danish, and the hours are gone
    assert (whole.status_code, wrong.status_code, withdrawn.status_code) == (302, 200, 302)
    assert "Angiv begge tidspunkter med slut efter start, eller ingen for hele dagen." in wrong.content.decode()
    absence = AvailabilityException.all_tenants.get()
    assert (absence.day, absence.starts, absence.reason) == (day, None, "Kursus")
    assert WeeklyAvailability.all_tenants.count() == 0
    # and removing the day away leaves no absence
    assert client.post(murl(municipality, "booking:absence_remove", absence_id=absence.pk)).status_code == 302
    assert AvailabilityException.all_tenants.count() == 0


def test_an_adviser_cannot_withdraw_a_colleagues_hours(municipality, member):
    adviser, colleague = member(Role.JOB_ADVISER, municipality), member(Role.JOB_ADVISER, municipality)
    rule = WeeklyAvailability.all_tenants.create(municipality=municipality, adviser=colleague, weekday=0,
                                                 starts=datetime.time(9), ends=datetime.time(10), physical=False)
    response = client_for(adviser).post(murl(municipality, "booking:availability_remove", rule_id=rule.pk))
    assert response.status_code == 404
    assert WeeklyAvailability.all_tenants.filter(pk=rule.pk).exists()
