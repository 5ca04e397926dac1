"""The marketplace pages: a citizen finds an offer with its reason, enrols and starts it; an administrator
enables, aims, promotes and withdraws; a caseworker shares an offer. Bad input gets Danish errors."""

import pytest

from jobunivers.citizens.models import PlanItem
from jobunivers.core.testing import client_for, murl
from jobunivers.marketplace.models import Enrolment, MunicipalOffer, UseEvent
from jobunivers.tenancy.roles import Role

from . import factories

pytestmark = pytest.mark.django_db


def test_the_citizen_sees_til_dig_with_its_reason_and_can_search(citizen, municipality):
    factories.enabled(municipality, factories.offer(title="Truckkursus", target_isco=["93"]))
    factories.enabled(municipality, factories.offer(title="Skriv dit CV"))
    client = client_for(citizen.user)
    page = client.get(murl(municipality, "marketplace:catalogue")).content.decode()
    assert "Til dig" in page and "Fordi du søger job som lagermedarbejder" in page
    found = client.get(murl(municipality, "marketplace:catalogue"), {"q": "cv"}).content.decode()
    assert "1 tilbud fundet" in found and "Skriv dit CV" in found and "Truckkursus" not in found


def test_the_catalogue_is_paged_and_its_queries_do_not_grow_with_the_offers(citizen, municipality):
    for number in range(45):
        factories.enabled(municipality, factories.offer(title=f"Guide {number:02d}"),
                          promotion_priority=50 if number == 44 else 0)
    client = client_for(citizen.user)
    url = murl(municipality, "marketplace:catalogue")
    first = client.get(url).content.decode()
    assert "Side 1 af 3" in first and "Guide 44" in first and "Guide 19" not in first and "side=2" in first
    before = _queries(client, url)
    for number in range(45, 90):
        factories.enabled(municipality, factories.offer(title=f"Guide {number:02d}"))
    # The first visit after a change reads the municipality's snapshot again (its offers, and their order by
    # title in the page's language): two queries more, once.
    assert (_queries(client, url), _queries(client, url)) == (before + 2, before)
    last = client.get(url, {"side": "9", "q": "guide"}).content.decode()
    assert "90 tilbud fundet" in last and "Side 5 af 5" in last and "Guide 89" in last and "Til dig" not in last
    assert "Side 1 af 5" in client.get(url, {"side": "x", "q": "guide"}).content.decode()


def _queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured)


def test_the_citizen_enrols_and_starts_a_vendor_course(citizen, municipality, vendor):
    offer = factories.offer(provider_kind="vendor", vendor_=vendor, kind="course", title="Truckkursus",
                            launch_method="signed", launch_url="https://kursus.example.dk/start",
                            consent_fields=["name"])
    curated = factories.enabled(municipality, offer)
    client = client_for(citizen.user)
    url = murl(municipality, "marketplace:detail", entry_id=curated.pk)
    page = client.get(url).content.decode()
    assert "Del med udbyderen" in page and "dit navn" in page
    response = client.post(url, {"add_to_plan": "on"})
    assert response.status_code == 302
    assert (Enrolment.all_tenants.get().consented_fields, PlanItem.all_tenants.get().title) == ([], "Truckkursus")
    started = client.post(murl(municipality, "marketplace:start", entry_id=curated.pk))
    assert started.status_code == 302 and started["Location"].startswith("https://kursus.example.dk/start?ju_launch=")
    assert list(UseEvent.all_tenants.values_list("kind", flat=True)) == ["enrolled", "launched"]


def test_a_forged_consent_choice_is_refused_and_nothing_is_written(citizen, municipality):
    curated = factories.enabled(municipality, factories.offer(
        provider_kind="vendor", launch_method="signed", launch_url="https://kursus.example.dk/", consent_fields=["name"]))
    response = client_for(citizen.user).post(murl(municipality, "marketplace:detail", entry_id=curated.pk),
                                             {"consented_fields": ["cpr"], "add_to_plan": "on"})
    assert response.status_code == 200
    assert (Enrolment.all_tenants.count(), UseEvent.all_tenants.count(), PlanItem.all_tenants.count()) == (0, 0, 0)


def test_the_administrator_enables_aims_promotes_and_withdraws(admin, municipality, citizen):
    offer = factories.offer(title="Jobsamtalen – sådan forbereder du dig")
    client = client_for(admin)
    page = client.get(murl(municipality, "marketplace:curation")).content.decode()
    assert "Jobsamtalen – sådan forbereder du dig" in page
    response = client.post(murl(municipality, "marketplace:enable", offer_id=offer.pk))
    curated = MunicipalOffer.all_tenants.get()
    assert response["Location"] == murl(municipality, "marketplace:curate", curated_id=curated.pk)
    url = murl(municipality, "marketplace:curate", curated_id=curated.pk)
    bad = client.post(url, {"form": "curation", "audience": "occupations", "audience_isco": "lager",
                            "promotion_priority": "5", "version": "1"}).content.decode()
    assert "Angiv ISCO-koder med 1 til 4 cifre, adskilt af kommaer." in bad
    client.post(url, {"form": "curation", "audience": "occupations", "audience_isco": "9334, 93",
                      "promotion_priority": "80", "local_title": "Øv jobsamtalen", "version": "1"})
    curated.refresh_from_db()
    assert (curated.audience_isco, curated.promotion_priority, curated.local_title) == (["9334", "93"], 80,
                                                                                        "Øv jobsamtalen")
    empty = client.post(url, {"form": "withdraw", "reason": ""}).content.decode()
    assert "Dette felt skal udfyldes." in empty
    client.post(url, {"form": "withdraw", "reason": "Erstattet af et nyt kursus"})
    curated.refresh_from_db()
    assert curated.withdrawn_reason == "Erstattet af et nyt kursus"
    assert client_for(citizen.user).get(murl(municipality, "marketplace:detail", entry_id=curated.pk)
                                        ).status_code == 404


def test_a_caseworker_shares_an_offer_from_the_citizen_page(citizen, municipality, member):
    curated = factories.enabled(municipality, factories.offer(title="Skriv dit CV"))
    adviser = member(Role.JOB_ADVISER, municipality)
    url = murl(municipality, "marketplace:staff_citizen", citizen_id=citizen.pk)
    client = client_for(adviser)
    assert "Borgeren er ikke tilmeldt nogen tilbud." in client.get(url).content.decode()
    bad = client.post(url, {"offer": "999999"}).content.decode()
    assert "Marker en gyldig valgmulighed. 999999 er ikke en af de tilgængelige valgmuligheder." in bad
    client.post(url, {"offer": str(curated.pk), "note": "Se den inden mødet"})
    assert PlanItem.all_tenants.get().title == "Skriv dit CV"


def test_the_citizen_page_is_staffs_only(citizen, municipality, admin):
    url = murl(municipality, "marketplace:staff_citizen", citizen_id=citizen.pk)
    assert client_for(admin).get(url).status_code == 404
    assert client_for(citizen.user).get(url).status_code == 404


def test_the_caseworkers_citizen_page_links_the_citizens_offers(citizen, municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    page = client_for(adviser).get(murl(municipality, "caseworker:citizen", citizen_id=citizen.pk)).content.decode()
    link = murl(municipality, "marketplace:staff_citizen", citizen_id=citizen.pk)
    assert f'<a href="{link}">Tilbud: tilmeldinger og deling</a>' in page


def test_the_offer_page_names_its_languages_in_danish(citizen, municipality):
    curated = factories.enabled(municipality, factories.offer(title="Dansk på jobbet", languages=["da", "uk", "xx"]))
    page = client_for(citizen.user).get(murl(municipality, "marketplace:detail", entry_id=curated.pk)).content.decode()
    assert "<dt>Sprog</dt><dd>Dansk, ukrainsk, xx</dd>" in page


def test_language_names_follow_the_page_language():
    from django.utils import translation

    from jobunivers.marketplace.templatetags.languages import language_names

    with translation.override("en"):
        assert language_names(["da", "EN", "ar"]) == "Danish, English, Arabic"
    with translation.override("da"):
        assert language_names(["ar", "en"]) == "Arabisk, engelsk"
        assert language_names([]) == ""
        # languages Django has no name for, and a code nobody named
        assert language_names(["so", "TI", "prs", "xx"]) == "Somali, tigrinya, dari, xx"
    with translation.override("en"):
        assert language_names(["so", "ti", "ps"]) == "Somali, Tigrinya, Pashto"
