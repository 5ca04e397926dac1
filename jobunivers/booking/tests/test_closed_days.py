"""No bookings on Danish public holidays, nor on the customary closing days the municipality chose; the
notice limit counts working days past them (ADR 0089)."""

import datetime

import pytest

from jobunivers.booking import closed_days, services, slots
from jobunivers.booking.models import BookingSettings
from jobunivers.core.errors import ValidationFailed
from jobunivers.tenancy.roles import Role

from .factories import at, hours, policy

pytestmark = pytest.mark.django_db

D = datetime.date


def _days(municipality, now, days=12):
    free = slots.offers(municipality_id=municipality.pk, policy=slots.policy_for(municipality.pk), start=now,
                        days=days, now=now, limit=100)
    return sorted({s.starts_at.date() for s in free})


def test_christmas_and_new_year_have_no_free_times_and_the_chosen_closing_days_follow_the_setting(municipality,
                                                                                                  member):
    # given an adviser 9:00-9:30 every weekday, and it is Monday 21 December 2026 in the morning
    hours(municipality, member(Role.JOB_ADVISER, municipality), starts=datetime.time(9), ends=datetime.time(9, 30))
    now = at(D(2026, 12, 21), 8)
    # when the citizen lists free times with the default closing days (24 and 31 December, 5 June)
    listed = _days(municipality, now)
    # then Tuesday and Wednesday, not Christmas Eve (Thu), Christmas Day (Fri); then 28-30 December, not New
    # Year's Eve nor New Year's Day (public holiday)
    assert listed == [D(2026, 12, 22), D(2026, 12, 23), D(2026, 12, 28), D(2026, 12, 29), D(2026, 12, 30)]
    # when the municipality keeps open on Christmas Eve and New Year's Eve
    policy(municipality, closed_optional_days=[])
    # then those two have times; the public holidays still do not
    assert _days(municipality, now) == [D(2026, 12, 22), D(2026, 12, 23), D(2026, 12, 24), D(2026, 12, 28),
                                        D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)]


def test_easter_follows_the_moving_feasts(municipality, member):
    # Easter 2027 is 28 March: Maundy Thursday 25, Good Friday 26 and Easter Monday 29 March are closed
    hours(municipality, member(Role.JOB_ADVISER, municipality), starts=datetime.time(9), ends=datetime.time(9, 30))
    assert _days(municipality, at(D(2027, 3, 22), 8), days=10) == [
        D(2027, 3, 23), D(2027, 3, 24), D(2027, 3, 30), D(2027, 3, 31)]


def test_the_notice_limit_counts_working_days_past_holidays(municipality):
    # two working days' notice from Wednesday 23 December: Thursday 24 (closed), Friday 25 (holiday) and the
    # weekend do not count, so Monday 28 and Tuesday 29 are the two days
    closed = slots.Policy(notice_working_days=2)
    assert slots.notice_limit(closed, at(D(2026, 12, 23), 10)) == at(D(2026, 12, 29), 10)
    # open on Christmas Eve: Thursday 24 and Monday 28
    open_eve = slots.Policy(notice_working_days=2, closed_optional=())
    assert slots.notice_limit(open_eve, at(D(2026, 12, 23), 10)) == at(D(2026, 12, 28), 10)


def test_public_holidays_come_from_the_holidays_package_in_the_public_category():
    assert sorted(day for day in closed_days.public_holidays(2026) if day.month in (5, 6, 12)) == [
        D(2026, 5, 14), D(2026, 5, 24), D(2026, 5, 25), D(2026, 12, 25), D(2026, 12, 26)]
    assert not closed_days.is_closed(D(2026, 5, 1)) and closed_days.is_closed(D(2026, 5, 1), ["05-01"])


def test_an_unknown_closing_day_is_refused_and_nothing_is_stored(municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    with pytest.raises(ValidationFailed) as refused:
        services.booking_settings_save(actor=admin, municipality_id=municipality.pk,
                                       values={"closed_optional_days": ["12-24", "12-25"]})
    assert refused.value.messages == {"closed_optional_days": ["Vælg blandt de lukkedage, der tilbydes."]}
    assert BookingSettings.all_tenants.count() == 0
    saved = services.booking_settings_save(actor=admin, municipality_id=municipality.pk,
                                           values={"closed_optional_days": ["12-31", "12-24", "12-24"]})
    assert saved.closed_optional_days == ["12-24", "12-31"]
