"""The municipality's own offers (local content): the administrator writes, publishes, versions and withdraws
them; only the municipality's citizens see them. Bad input gets Danish errors on its field and writes nothing."""

import pytest

from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.marketplace.models import MunicipalOffer, Offer, OfferVersion
from jobunivers.segmentation.tests.factories import tracks
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def track(municipality):
    return tracks(municipality)[1]


def _values(**changes):
    values = {"kind": "job_club", "title_da": "Jobklub i Borgerhuset", "summary_da": "Mød andre jobsøgende hver tirsdag.",
              "body_da": "Vi mødes kl. 10 i Borgerhuset.", "title_en": "Job club", "summary_en": "", "body_en": "",
              "format": "physical", "duration": "8 uger, 1 gang om ugen", "languages": "da, en",
              "accessibility": "Elevator og handicaptoilet.", "target_isco": "93, 5120",
              "target_situations": ["over_6_months"], "launch_method": "in_platform", "launch_url": "",
              "action": "save"}
    values.update(changes)
    return values


def test_the_administrator_writes_publishes_and_versions_an_own_offer(admin, municipality, citizen, track):
    client = client_for(admin)
    page = client.get(murl(municipality, "marketplace:own_offer_new")).content.decode()
    assert track.name_da in page and "Signeret start" not in page and "Pris" not in page
    response = client.post(murl(municipality, "marketplace:own_offer_new"), _values(target_tracks=[track.key]))
    offer = Offer.objects.get()
    assert response["Location"] == murl(municipality, "marketplace:own_offer", offer_id=offer.pk)
    version = offer.versions.get()
    assert (offer.provider_kind, offer.owner_municipality_id, offer.status, offer.kind) == (
        "municipality", municipality.pk, "draft", "job_club")
    assert (version.target_tracks, version.target_isco, version.target_situations, version.languages,
            version.format, version.title_en) == ([track.key], ["93", "5120"], ["over_6_months"], ["da", "en"],
                                                  "physical", "Job club")
    assert "Jobklub i Borgerhuset" in client.get(murl(municipality, "marketplace:curation")).content.decode()
    url = murl(municipality, "marketplace:own_offer", offer_id=offer.pk)
    published = client.post(url, {"action": "publish"})
    curated = MunicipalOffer.all_tenants.get()
    assert published["Location"] == murl(municipality, "marketplace:curate", curated_id=curated.pk)
    offer.refresh_from_db()
    assert (offer.status, offer.published_version_id, curated.municipality_id) == ("published", version.pk,
                                                                                   municipality.pk)
    catalogue = client_for(citizen.user).get(murl(municipality, "marketplace:catalogue")).content.decode()
    assert "Jobklub i Borgerhuset" in catalogue
    # A new version is a draft until published; citizens keep seeing the published one meanwhile.
    client.post(url, _values(title_da="Jobklub – nu også om torsdagen"))
    assert "Jobklub i Borgerhuset" in client_for(citizen.user).get(
        murl(municipality, "marketplace:catalogue")).content.decode()
    client.post(url, {"action": "publish"})
    assert list(offer.versions.order_by("number").values_list("number", "status")) == [(1, "superseded"),
                                                                                       (2, "published")]
    assert "Jobklub – nu også om torsdagen" in client_for(citizen.user).get(
        murl(municipality, "marketplace:catalogue")).content.decode()
    client.post(url, {"action": "withdraw", "reason": "Jobklubben holder sommerferie"})
    offer.refresh_from_db()
    assert (offer.status, offer.withdrawn_reason) == ("withdrawn", "Jobklubben holder sommerferie")
    assert client_for(citizen.user).get(murl(municipality, "marketplace:detail", entry_id=curated.pk)
                                        ).status_code == 404


def test_another_municipalitys_citizens_never_see_the_own_offer(admin, municipality, other_municipality):
    client = client_for(admin)
    client.post(murl(municipality, "marketplace:own_offer_new"), _values())
    client.post(murl(municipality, "marketplace:own_offer", offer_id=Offer.objects.get().pk), {"action": "publish"})
    other = CitizenFactory(municipality=other_municipality)
    page = client_for(other.user).get(murl(other_municipality, "marketplace:catalogue")).content.decode()
    assert "Jobklub i Borgerhuset" not in page
    curated = MunicipalOffer.all_tenants.get()
    assert client_for(other.user).get(murl(other_municipality, "marketplace:detail", entry_id=curated.pk)
                                      ).status_code == 404


@pytest.mark.parametrize(("changes", "field_error"), [
    ({"title_da": ""}, "Dette felt skal udfyldes."),
    ({"summary_da": "x" * 501}, "Denne værdi må højst have 500 tegn (den har 501)."),
    ({"launch_method": "signed"}, "Marker en gyldig valgmulighed. signed er ikke en af de tilgængelige valgmuligheder."),
    ({"launch_method": "link", "launch_url": "http://example.dk"}, "Angiv en adresse, der begynder med https://."),
    ({"launch_method": "in_platform", "body_da": ""}, "Indhold, der læses her, skal have en dansk tekst."),
    ({"target_isco": "lager"}, "Angiv ISCO-koder med 1 til 4 cifre, adskilt af kommaer."),
    ({"languages": "dansk"}, "Angiv sprogkoder på to bogstaver, fx da, en."),
    ({"target_tracks": ["unknown"]}, "Marker en gyldig valgmulighed. unknown er ikke en af de tilgængelige "
                                     "valgmuligheder."),
    ({"kind": "casino"}, "Marker en gyldig valgmulighed. casino er ikke en af de tilgængelige valgmuligheder."),
    ({"body_da": "nul\x00tegn"}, "Null-tegn er ikke tilladte."),
])
def test_bad_input_is_refused_on_its_field_in_danish_and_nothing_is_written(admin, municipality, track, changes,
                                                                           field_error):
    response = client_for(admin).post(murl(municipality, "marketplace:own_offer_new"), _values(**changes))
    assert response.status_code == 200
    assert field_error in response.content.decode()
    assert (Offer.objects.count(), OfferVersion.objects.count()) == (0, 0)


def test_a_bad_edit_keeps_the_draft_as_it_was(admin, municipality):
    client = client_for(admin)
    client.post(murl(municipality, "marketplace:own_offer_new"), _values())
    offer = Offer.objects.get()
    url = murl(municipality, "marketplace:own_offer", offer_id=offer.pk)
    page = client.post(url, _values(title_da="Ny titel", launch_method="link", launch_url="ftp://x")).content.decode()
    assert "Angiv en adresse, der begynder med https://." in page
    assert offer.versions.get().title_da == "Jobklub i Borgerhuset"
    empty = client.post(url, {"action": "withdraw", "reason": ""}).content.decode()
    assert "Dette felt skal udfyldes." in empty
    offer.refresh_from_db()
    assert offer.status == "draft"


def test_publishing_without_a_draft_says_so_and_changes_nothing(admin, municipality):
    client = client_for(admin)
    client.post(murl(municipality, "marketplace:own_offer_new"), _values())
    offer = Offer.objects.get()
    url = murl(municipality, "marketplace:own_offer", offer_id=offer.pk)
    client.post(url, {"action": "publish"})
    again = client.post(url, {"action": "publish"}, follow=True).content.decode()
    assert "Der er ingen kladde at offentliggøre." in again
    assert MunicipalOffer.all_tenants.count() == 1 and offer.versions.count() == 1


@pytest.mark.parametrize("role", [Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT, Role.CITIZEN])
def test_only_the_administrators_write_own_offers(member, municipality, admin, role):
    client_for(admin).post(murl(municipality, "marketplace:own_offer_new"), _values())
    offer = Offer.objects.get()
    client = client_for(member(role, municipality))
    assert client.get(murl(municipality, "marketplace:own_offer_new")).status_code in (403, 404)
    assert client.post(murl(municipality, "marketplace:own_offer", offer_id=offer.pk),
                       {"action": "publish"}).status_code == 404
    offer.refresh_from_db()
    assert offer.status == "draft"
