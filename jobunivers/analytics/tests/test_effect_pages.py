"""The effect pages: the evidence label decides the words, small groups show nothing, and the data
comes from spells, register data and the registered exposure sources."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from jobunivers.analytics.estimates import compare, spells_at_landmark
from jobunivers.analytics.exposures import ServiceUses, services_for
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl

from .factories import SpellFactory
from .helpers import cohort, exposure_source, service

pytestmark = pytest.mark.django_db


def test_a_matched_comparison_shows_the_estimated_effect_with_its_interval(world):
    # given 30 users who found jobs after 40 days and 45 alike non-users who found them after 120
    today = timezone.localdate()
    uses = cohort(world.home, users=30, non_users=45, today=today)
    with exposure_source("test", service("Jobsøgningskursus", uses)):
        # when an adviser opens the service's page
        page = client_for(world.users["job_adviser"]).get(murl(world.home, "analytics:effect", service_key="test-service"))
    text = page.content.decode()
    # then it is a matched comparison: an estimated effect, with the table, the curve and its data
    assert page.status_code == 200
    assert 'data-evidence="matched"' in text
    assert "Matchet sammenligning" in text and "Estimeret effekt på andelen i job" in text
    assert '<tr data-week="13"><th scope="row">13</th><td>66,7 %</td><td>0,0 %</td><td>66,7</td>' in text
    assert 'role="img" aria-labelledby="chart-time-to-job-title chart-time-to-job-desc"' in text
    assert "30 brugere sammenlignes med 30 ikke-brugere" in text


def test_too_few_users_are_descriptive_and_never_called_an_effect(world):
    today = timezone.localdate()
    uses = cohort(world.home, users=8, non_users=30, today=today)
    with exposure_source("test", service("Jobsøgningskursus", uses)):
        text = client_for(world.users["municipality_admin"]).get(
            murl(world.home, "analytics:effect", service_key="test-service")).content.decode()
    assert 'data-evidence="descriptive"' in text
    assert "Kun beskrivende – ikke en effekt" in text
    assert "Forskel i andelen i job (beskrivende, ikke en effekt)" in text
    assert "Estimeret effekt" not in text


def test_fewer_than_five_users_show_nothing(world):
    today = timezone.localdate()
    uses = cohort(world.home, users=4, non_users=30, today=today)
    with exposure_source("test", service("Jobsøgningskursus", uses)):
        staff = client_for(world.users["job_adviser"])
        detail = staff.get(murl(world.home, "analytics:effect", service_key="test-service")).content.decode()
        listing = staff.get(murl(world.home, "analytics:effects")).content.decode()
    assert 'data-evidence="none"' in detail and 'data-testid="differences"' not in detail
    assert '<tr data-service="test-service">' in listing and "&lt; 5</abbr>" in listing


def test_citizens_and_vendors_get_404_and_an_unknown_service_too(world):
    for role in ("citizen", "vendor", "employer"):
        assert client_for(world.users[role]).get(murl(world.home, "analytics:effects")).status_code == 404
    assert client_for(world.users["job_adviser"]).get(
        murl(world.home, "analytics:effect", service_key="nothing-here")).status_code == 404


def test_the_register_spell_wins_and_spells_ended_before_the_landmark_are_left_out(municipality):
    # given one citizen with a register and a citizen-reported spell, one whose spell ended on day 10
    today = datetime.date(2026, 12, 1)
    both = CitizenFactory(municipality=municipality)
    SpellFactory(citizen=both, started_on=datetime.date(2026, 3, 1), ended_on=datetime.date(2026, 6, 1),
                 exit_reason="other")
    SpellFactory(citizen=both, source="citizen", reference="", started_on=datetime.date(2026, 3, 1),
                 ended_on=datetime.date(2026, 5, 1), exit_reason="job")
    early = CitizenFactory(municipality=municipality)
    SpellFactory(citizen=early, started_on=datetime.date(2026, 3, 1), ended_on=datetime.date(2026, 3, 11),
                 exit_reason="job")
    only_own = CitizenFactory(municipality=municipality)
    SpellFactory(citizen=only_own, source="staff", reference="", started_on=datetime.date(2026, 4, 1))
    # when the spells at day 28 are chosen
    found = spells_at_landmark(municipality_id=municipality.pk, landmark_days=28, today=today)
    # then the register's spell is used, the early leaver is out, and the staff row stands in where there is no register row
    assert {c: (s.ended_on, s.exit_reason) for c, s in found.items()} == {
        both.pk: (datetime.date(2026, 6, 1), "other"), only_own.pk: (None, "")}


def test_someone_who_used_the_service_before_the_spell_is_neither_user_nor_non_user(municipality):
    today = timezone.localdate()
    uses = cohort(municipality, users=25, non_users=25, today=today)
    first = next(iter(uses))
    uses[first] = today - datetime.timedelta(days=400)
    result = compare(municipality_id=municipality.pk, service=ServiceUses("s", "S", uses), today=today)
    assert (result.estimate.users, result.estimate.non_users) == (24, 24)


def test_marketplace_enrolments_and_held_bookings_are_exposures(municipality):
    from jobunivers.marketplace.tests.factories import enabled, enrolment, offer

    citizen = CitizenFactory(municipality=municipality)
    course = enabled(municipality, offer(title="Kursus i CV"))
    enrolment(citizen, course, enrolled_at=timezone.make_aware(datetime.datetime(2026, 2, 3, 10)))
    enrolment(citizen, course, enrolled_at=timezone.make_aware(datetime.datetime(2026, 4, 3, 10)), status="completed")
    found = {s.key: (s.label, s.first_use) for s in services_for(municipality.pk)}
    assert found == {"booking": ("Booket samtale (holdt)", {}),
                     f"marketplace-{course.offer_id}": ("Kursus i CV", {citizen.pk: datetime.date(2026, 2, 3)})}
