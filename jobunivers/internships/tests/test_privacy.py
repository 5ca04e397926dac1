"""GDPR export and erasure of internship data, retention of cards after the place ended, and the demo step."""

import datetime
import io
import random

import pytest
from django.utils import timezone

from jobunivers.audit.privacy import registration_for
from jobunivers.internships import services
from jobunivers.internships.models import Application, FunnelEvent, Place, Suggestion
from jobunivers.internships.retention import internships_purge
from jobunivers.internships.tasks import purge_internships

from .helpers import seeker

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_card_the_application_and_what_it_shared(applied, sara, boss, adviser, municipality,
                                                                     today):
    place, application = applied
    services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=application.pk,
                                decision="decline", reason="Passer ikke til planen lige nu.", today=today)
    cards = registration_for(Suggestion).export(sara.user)
    assert [(c["employer"], c["role"], c["reasons"][0]) for c in cards] == [
        ("Byggesen Tømrer ApS", "Tømrerhjælper", "Søger job inden for netop denne stilling")]
    applications = registration_for(Application).export(sara.user)
    assert [(a["motivation"], a["shared"], a["status"], a["decision_reason"]) for a in applications] == [
        ("Jeg vil gerne lære faget.", {"name": "Sara Jensen", "occupations": ["tømrer"]}, "declined",
         "Passer ikke til planen lige nu.")]
    assert [p["role"] for p in registration_for(Place).export(boss[0])] == ["Tømrerhjælper"]


def test_erasure_removes_the_citizens_data_keeps_the_funnel_counts_and_no_one_elses(
        applied, sara, municipality, occupation, boss, adviser, today):
    place, application = applied
    other = seeker(municipality, occupation, first_name="Per")
    services.place_offer(place_id=place.pk, today=today)
    services.application_decide(actor=adviser, municipality_id=municipality.pk, application_id=application.pk,
                                decision="approve", today=today)
    for model in (Application, Suggestion):
        registration_for(model).erase(sara.user)
    registration_for(Application).erase(adviser)
    registration_for(Place).erase(boss[0])
    assert Suggestion.all_tenants.filter(citizen=sara).count() == 0 and Application.all_tenants.count() == 0
    assert list(Suggestion.all_tenants.values_list("citizen_id", flat=True)) == [other.pk]
    assert sorted(FunnelEvent.all_tenants.filter(place=place, suggestion__isnull=True).values_list(
        "step", flat=True)) == ["applied", "approved", "shown"]
    assert Place.objects.get(pk=place.pk).created_by_id is None


def test_cards_go_after_the_period_counted_from_the_places_last_day(applied, municipality, other_municipality,
                                                                   occupation):
    from jobunivers.tenancy.models import MunicipalitySettings

    place, _application = applied
    elsewhere = seeker(other_municipality, occupation, first_name="Ole", postcode="1050")
    services.place_offer(place_id=place.pk, today=place.starts_on - datetime.timedelta(days=1))
    MunicipalitySettings.objects.update_or_create(municipality=municipality,
                                                  defaults={"marketplace_retention_days": 30})
    long_ago = timezone.localdate() - datetime.timedelta(days=40)
    Place.objects.filter(pk=place.pk).update(starts_on=long_ago - datetime.timedelta(days=10), ends_on=long_ago)
    result = purge_internships.apply().get()
    assert result[municipality.pk] == {"cards": 1} and result[other_municipality.pk] == {"cards": 0}
    assert list(Suggestion.all_tenants.values_list("citizen_id", flat=True)) == [elsewhere.pk]
    assert Application.all_tenants.count() == 0
    assert internships_purge(municipality_id=municipality.pk, retention_days=30) == {"cards": 0}


def test_the_demo_employer_offers_a_place_to_the_demo_carpenters(municipality, occupation):
    from jobunivers.accounts.models import User
    from jobunivers.citizens.models import Citizen
    from jobunivers.internships.demo import load

    from .helpers import employer, place

    place("8000")
    user, _membership = employer("Byggesen Tømrer & Snedker ApS")
    User.objects.filter(pk=user.pk).update(username="demo-arbejdsgiver")
    carpenter = seeker(municipality, occupation)
    Citizen.all_tenants.filter(pk=carpenter.pk).update(is_demo=True)
    for _ in range(2):
        load(rng=random.Random(1), stdout=io.StringIO())
    assert list(Place.objects.values_list("title", "hours_per_week", "places")) == [
        ("Tømrerhjælper i virksomhedspraktik", 25, 2)]
    assert list(Suggestion.all_tenants.values_list("citizen_id", flat=True)) == [carpenter.pk]
