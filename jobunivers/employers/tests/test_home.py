"""The "Employers likely to hire" slot on the citizen's start page (issue 20): the best three for the
citizen's first occupation and home radius, each with its reason, "hvorfor ser jeg dette?" and the one-step
unsolicited application; hidden without an occupation; a fixed number of queries however many employers."""

import re

import pytest

from jobunivers.citizens.models import JobLogEntry, Profile
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl

from . import factories

pytestmark = pytest.mark.django_db


def _slot(page: str) -> str:
    found = re.search(r'<section aria-labelledby="slot-likely_employers">(.*?)</section>', page, re.S)
    return found.group(1) if found else ""


def _seen(citizen):
    from jobunivers.citizens.models import Citizen

    Citizen.all_tenants.filter(pk=citizen.pk).update(welcome_seen_at="2026-01-01T00:00Z",
                                                      onboarding_completed_at="2026-01-01T00:00Z")
    return citizen


def _home(citizen) -> str:
    _seen(citizen)
    return client_for(citizen.user).get(murl(citizen.municipality, "citizens:home")).content.decode()


def test_the_start_page_lists_the_three_best_with_reason_why_and_one_step_application(citizen, warehouse):
    netto = factories.organisation("Netto", occupation=warehouse, days_ago=(5, 20, 40, 80))
    salling = factories.organisation("Salling", occupation=warehouse, days_ago=(10, 50, 90))
    coop = factories.organisation("Coop", occupation=warehouse, days_ago=(30, 200))
    factories.organisation("Lidl", occupation=warehouse, days_ago=(300,))
    slot = _slot(_home(citizen))
    assert '<h2 id="slot-likely_employers">Virksomheder der kan ansætte</h2>' in _home(citizen)
    assert re.findall(r'<h3 class="h5"><a href="[^"]+">([^<]+)</a></h3>', slot) == ["Netto", "Salling", "Coop"]
    assert "Netto har slået 4 stillinger som lagermedarbejder op det seneste år." in slot
    assert "Coop har slået 2 stillinger som lagermedarbejder op det seneste år." in slot
    slug = citizen.municipality.slug
    for organisation in (netto, salling, coop):
        assert f'href="/{slug}/virksomheder/kan-ansaette/{organisation.pk}/hvorfor/?occupation={warehouse.pk}"' in slot
        assert f'action="/{slug}/virksomheder/{organisation.pk}/uopfordret/"' in slot
    assert slot.count("Hvorfor ser jeg dette?") == 3
    assert slot.count("Jeg har sendt en uopfordret ansøgning") == 3
    assert f'href="/{slug}/virksomheder/kan-ansaette/?occupation={warehouse.pk}">Se alle virksomheder der kan ansætte' in slot


def test_the_unsolicited_application_from_the_start_page_is_logged_and_returns_there(citizen, warehouse):
    netto = factories.organisation("Netto", occupation=warehouse, days_ago=(5, 20))
    client = client_for(citizen.user)
    home = murl(citizen.municipality, "citizens:home")
    response = client.post(murl(citizen.municipality, "employers:unsolicited", organisation_id=netto.pk),
                           {"occupation": warehouse.pk, "next": home})
    assert response.status_code == 302 and response["Location"] == home
    assert list(JobLogEntry.all_tenants.filter(citizen=citizen).values_list("employer", "job_title", "kind")) == [
        ("Netto", "Uopfordret ansøgning som lagermedarbejder", "application")]


def test_no_employers_near_gives_a_plain_sentence_and_the_link(citizen, warehouse):
    slot = _slot(_home(citizen))
    assert "Ingen virksomhed har slået stillinger op i dit fag nær dig de seneste to år." in slot
    assert "Se alle virksomheder der kan ansætte" in slot
    assert "/uopfordret/" not in slot and "Hvorfor ser jeg dette?" not in slot


def test_hidden_for_a_citizen_who_seeks_no_occupation(municipality, warehouse):
    from jobunivers.taxonomy.tests.factories import PostcodeFactory

    factories.organisation("Netto", occupation=warehouse, days_ago=(5,))
    person = CitizenFactory(municipality=municipality, postcode=PostcodeFactory())
    Profile.all_tenants.create(municipality=municipality, citizen=person, radius_km=25)
    page = _home(person)
    assert page.count('id="slot-likely_employers"') == 0 and "Netto har slået" not in page


def test_another_municipalitys_citizen_sees_the_national_employer_under_their_own_municipality(
        citizen, other_citizen, warehouse):
    netto = factories.organisation("Netto", occupation=warehouse, days_ago=(5, 20))
    client_for(citizen.user).post(murl(citizen.municipality, "employers:unsolicited", organisation_id=netto.pk),
                                  {"occupation": warehouse.pk})
    theirs = _slot(_home(other_citizen))
    assert "Netto har slået 2 stillinger som lagermedarbejder op det seneste år." in theirs
    assert f"/{citizen.municipality.slug}/" not in theirs
    assert f'action="/{other_citizen.municipality.slug}/virksomheder/{netto.pk}/uopfordret/"' in theirs
    assert JobLogEntry.all_tenants.filter(citizen=other_citizen).count() == 0


def test_the_slot_costs_the_same_queries_for_four_or_forty_employers(citizen, warehouse,
                                                                     django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for n in range(4):
        factories.organisation(f"Firma {n}", occupation=warehouse, days_ago=(5, 40))
    client = client_for(_seen(citizen).user)
    home = murl(citizen.municipality, "citizens:home")
    client.get(home)
    with CaptureQueriesContext(connection) as few:
        client.get(home)
    counted = len(few.captured_queries)
    for n in range(4, 40):
        factories.organisation(f"Firma {n}", occupation=warehouse, days_ago=(5, 40))
    client.get(home)  # the feed's and the market's in-process indexes see the new postings once
    with django_assert_max_num_queries(counted):
        assert "Firma" in _slot(client.get(home).content.decode())


def test_the_slot_adds_three_queries_for_a_seeker_and_none_for_anyone_else(citizen, warehouse, municipality):
    # the histories' version, the names and the open jobs of those shown; the profile is read once per start
    # page for all slots (citizens.selectors.profiles_read_once), and the occupation's label once per reading
    # request (taxonomy.selectors._labels_by: the diagnosis has asked for it), so they cost nothing
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jobunivers.citizens.registry import unregister_home_slot
    from jobunivers.employers.home import register

    for n in range(4):
        factories.organisation(f"Firma {n}", occupation=warehouse, days_ago=(5, 40))
    without_profile = CitizenFactory(municipality=municipality)

    def queries(person) -> int:
        client = client_for(_seen(person).user)
        home = murl(municipality, "citizens:home")
        client.get(home)
        with CaptureQueriesContext(connection) as captured:
            client.get(home)
        return len(captured.captured_queries)

    with_slot = [queries(citizen), queries(without_profile)]
    unregister_home_slot("likely_employers")
    try:
        without_slot = [queries(citizen), queries(without_profile)]
    finally:
        register()
    assert [a - b for a, b in zip(with_slot, without_slot, strict=True)] == [3, 0]


def test_an_employer_linked_after_a_visit_is_ranked_on_the_next(citizen, warehouse):
    factories.organisation("Netto", occupation=warehouse, days_ago=(40,))
    assert re.findall(r'<h3 class="h5"><a href="[^"]+">([^<]+)</a></h3>', _slot(_home(citizen))) == ["Netto"]
    # the occupation's history is kept in memory per version of the index; linking a posting moves it
    factories.organisation("Salling", occupation=warehouse, days_ago=(2, 9, 20))
    assert re.findall(r'<h3 class="h5"><a href="[^"]+">([^<]+)</a></h3>', _slot(_home(citizen))) == [
        "Salling", "Netto"]
