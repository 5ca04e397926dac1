"""Services of the marketplace: who may write what, the review of versions, curation, enrolment and
launch with their use events, and bad input refused in Danish with nothing written."""

import time
from decimal import Decimal

import pytest

from jobunivers.audit.models import AccessLogEntry
from jobunivers.citizens.models import PlanItem
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ConflictError, NotFound, ValidationFailed
from jobunivers.marketplace import launch as launching
from jobunivers.marketplace import selectors, services
from jobunivers.marketplace.models import (
    Enrolment,
    MunicipalOffer,
    Offer,
    OfferShare,
    OfferVersion,
    UseEvent,
    Vendor,
)
from jobunivers.tenancy.roles import Role

from . import factories

pytestmark = pytest.mark.django_db

COURSE = {"title_da": "Truckcertifikat på 3 uger", "summary_da": "Bliv klar til lagerjob med truckkort.",
          "body_da": "Kurset giver dig certifikat B.", "format": "blended", "launch_method": "signed",
          "launch_url": "https://kursus.example.dk/start?ref=ju", "consent_fields": ["name", "email"],
          "target_isco": "93", "target_situations": ["over_3_months"], "price_dkk": "1250,50",
          "languages": ["da"]}


def _messages(error) -> dict:
    return error.value.messages


# --- Vendors ----------------------------------------------------------------------------------------

def test_the_operator_registers_a_vendor_with_a_valid_cvr(operator):
    vendor = services.vendor_register(actor=operator, name=" Kursushuset ApS ", cvr="30000005")
    assert (vendor.name, vendor.cvr, len(launching.launch_secret(vendor))) == ("Kursushuset ApS", "30000005", 64)


def test_a_wrong_cvr_is_refused_in_danish_and_nothing_is_stored(operator):
    with pytest.raises(ValidationFailed) as error:
        services.vendor_register(actor=operator, name="", cvr="30000006")
    assert _messages(error) == {
        "name": ["Angiv leverandørens navn (højst 200 tegn)."],
        "cvr": ["30000006 er ikke et gyldigt CVR-nummer (kontrolcifferet passer ikke)."]}
    assert Vendor.objects.count() == 0


def test_only_the_operator_registers_vendors(admin):
    with pytest.raises(ValidationFailed):
        services.vendor_register(actor=admin, name="X", cvr="30000005")


# --- Offers and their review ----------------------------------------------------------------------

def test_a_vendor_submits_and_the_operator_approves_into_the_library(vendor, vendor_actor, operator):
    # given a vendor's draft course
    offer = services.offer_create(actor=vendor_actor, provider_kind="vendor", kind="course", values=COURSE)
    assert (offer.vendor_id, offer.status) == (vendor.pk, "draft")
    # when the vendor submits it and the operator approves it
    services.offer_submit(actor=vendor_actor, offer=offer)
    services.offer_review(actor=operator, offer=offer, approve=True)
    # then version 1 is published with the cleaned content
    offer.refresh_from_db()
    version = offer.published_version
    assert (offer.status, version.number, version.status, version.price_dkk, version.target_isco,
            version.reviewed_by) == ("published", 1, "published", Decimal("1250.50"), ["93"], operator)


def test_a_published_version_stays_visible_while_a_new_one_is_reviewed(vendor, vendor_actor, operator):
    offer = factories.offer(provider_kind="vendor", vendor_=vendor, title="Version 1")
    # when the vendor writes and submits version 2
    services.offer_version_save(actor=vendor_actor, offer=offer, values={**COURSE, "title_da": "Version 2"})
    services.offer_submit(actor=vendor_actor, offer=offer)
    offer.refresh_from_db()
    # then citizens still see version 1
    assert (offer.status, offer.published_version.title_da) == ("published", "Version 1")
    # and once approved, version 2 replaces it
    services.offer_review(actor=operator, offer=offer, approve=True)
    offer.refresh_from_db()
    assert offer.published_version.title_da == "Version 2"
    assert sorted(offer.versions.values_list("number", "status")) == [(1, "superseded"), (2, "published")]


def test_a_submitted_version_cannot_be_changed_and_a_rejection_needs_a_reason(vendor_actor, operator):
    offer = services.offer_create(actor=vendor_actor, provider_kind="vendor", kind="course", values=COURSE)
    services.offer_submit(actor=vendor_actor, offer=offer)
    with pytest.raises(ValidationFailed) as error:
        services.offer_version_save(actor=vendor_actor, offer=offer, values=COURSE)
    assert _messages(error) == {"__all__": ["En version venter på godkendelse; ret tilbuddet efter behandlingen."]}
    with pytest.raises(ValidationFailed) as error:
        services.offer_review(actor=operator, offer=offer, approve=False, note=" ")
    assert _messages(error) == {"note": ["Skriv, hvorfor versionen afvises."]}
    services.offer_review(actor=operator, offer=offer, approve=False, note="Prisen mangler forklaring.")
    offer.refresh_from_db()
    assert (offer.status, offer.versions.get().status) == ("draft", "rejected")


def test_another_vendor_cannot_touch_the_offer(member, vendor, operator):
    offer = factories.offer(provider_kind="vendor", vendor_=vendor)
    stranger = factories.vendor_user(member, factories.vendor("Andet firma"))
    with pytest.raises(ValidationFailed):
        services.offer_version_save(actor=stranger, offer=offer, values=COURSE)
    with pytest.raises(ValidationFailed):
        services.offer_withdraw(actor=stranger, offer=offer, reason="Nej")
    with pytest.raises(NotFound):
        selectors.access_offer(actor=stranger, id=offer.pk)
    # nor can a vendor approve its own submission
    with pytest.raises(ValidationFailed):
        services.offer_review(actor=factories.vendor_user(member, vendor), offer=offer, approve=True)


def test_bad_offer_input_gets_danish_errors_and_nothing_is_written(vendor_actor):
    bad = {"title_da": "", "summary_da": "x" * 501, "launch_method": "signed", "launch_url": "http://usikker.dk",
           "consent_fields": ["cpr"], "target_isco": "93a", "price_dkk": "-1", "format": "fjernsyn"}
    with pytest.raises(ValidationFailed) as error:
        services.offer_create(actor=vendor_actor, provider_kind="vendor", kind="course", values=bad)
    assert _messages(error) == {
        "summary_da": ["Skriv højst 500 tegn."],
        "title_da": ["Giv tilbuddet en dansk titel."],
        "format": ["Vælg en af mulighederne."],
        "launch_url": ["Angiv en adresse, der begynder med https://."],
        "consent_fields": ["Vælg blandt de nævnte oplysninger."],
        "target_isco": ["Angiv ISCO-koder med 1 til 4 cifre, adskilt af kommaer."],
        "price_dkk": ["Angiv en pris i kroner fra 0 til 1.000.000 med højst to decimaler."]}
    assert (Offer.objects.count(), OfferVersion.objects.count()) == (0, 0)


def test_only_a_vendor_offer_has_a_signed_launch(operator):
    with pytest.raises(ValidationFailed) as error:
        services.offer_create(actor=operator, provider_kind="national", kind="article", values=COURSE)
    assert _messages(error)["launch_method"] == ["Kun en leverandørs tilbud startes med signeret start."]


def test_national_offers_are_the_operators_and_municipal_offers_their_administrators(
        admin, other_admin, operator, municipality):
    article = {"title_da": "Sådan skriver du en ansøgning", "summary_da": "Kort guide.", "body_da": "Tekst",
               "launch_method": "in_platform"}
    with pytest.raises(ValidationFailed):
        services.offer_create(actor=admin, provider_kind="national", kind="article", values=article)
    own = services.offer_create(actor=admin, provider_kind="municipality", kind="job_club", values=article,
                                municipality_id=municipality.pk)
    services.offer_submit(actor=admin, offer=own)
    with pytest.raises(ValidationFailed):
        services.offer_review(actor=other_admin, offer=own, approve=True)
    with pytest.raises(ValidationFailed):
        services.offer_review(actor=operator, offer=own, approve=True)
    services.offer_review(actor=admin, offer=own, approve=True)
    own.refresh_from_db()
    assert (own.status, own.owner_municipality_id) == ("published", municipality.pk)


# --- Curation -------------------------------------------------------------------------------------

def test_a_municipalitys_own_offer_is_enabled_only_there(admin, other_admin, municipality, other_municipality):
    own = factories.offer(provider_kind="municipality", municipality=municipality, kind="job_club")
    with pytest.raises(ValidationFailed) as error:
        services.municipal_offer_enable(actor=other_admin, municipality_id=other_municipality.pk, offer=own)
    assert _messages(error) == {"__all__": ["Tilbuddet tilhører en anden kommune."]}
    services.municipal_offer_enable(actor=admin, municipality_id=municipality.pk, offer=own)
    assert list(MunicipalOffer.all_tenants.values_list("municipality_id", flat=True)) == [municipality.pk]


def test_a_vendor_offer_needs_an_agreement(admin, municipality, vendor, agreements):
    offer = factories.offer(provider_kind="vendor", vendor_=vendor, kind="course")
    with pytest.raises(ValidationFailed) as error:
        services.municipal_offer_enable(actor=admin, municipality_id=municipality.pk, offer=offer)
    assert _messages(error) == {"__all__": ["En leverandørs tilbud kan vises, når kommunen har en aftale med "
                                            "leverandøren om det."]}
    agreements.add((municipality.pk, offer.pk))
    curated = services.municipal_offer_enable(actor=admin, municipality_id=municipality.pk, offer=offer)
    assert curated.enabled_by == admin


def test_without_the_agreements_app_no_vendor_offer_can_be_enabled(admin, municipality, vendor):
    offer = factories.offer(provider_kind="vendor", vendor_=vendor, kind="course")
    with pytest.raises(ValidationFailed):
        services.municipal_offer_enable(actor=admin, municipality_id=municipality.pk, offer=offer)
    assert MunicipalOffer.all_tenants.count() == 0


def test_curation_bad_input_is_refused_and_nothing_changes(admin, municipality):
    curated = factories.enabled(municipality, factories.offer())
    bad = {"audience": "tracks", "audience_tracks": "", "promotion_priority": "101", "promoted_from": "2026-12-10",
           "promoted_until": "2026-12-01", "local_title": "x" * 201}
    with pytest.raises(ValidationFailed) as error:
        services.municipal_offer_update(actor=admin, municipal_offer=curated, expected_version=1, values=bad)
    assert _messages(error) == {"local_title": ["Skriv højst 200 tegn."],
                                "audience_tracks": ["Vælg mindst ét spor."],
                                "promotion_priority": ["Skriv et tal fra 0 til 100."],
                                "promoted_until": ["Slutdatoen kan ikke ligge før startdatoen."]}
    curated.refresh_from_db()
    assert (curated.version, curated.audience, curated.local_title) == (1, "everyone", "")


def test_a_stale_curation_edit_is_refused(admin, municipality):
    curated = factories.enabled(municipality, factories.offer())
    services.municipal_offer_update(actor=admin, municipal_offer=curated, expected_version=1,
                                    values={"promotion_priority": 50})
    with pytest.raises(ConflictError):
        services.municipal_offer_update(actor=admin, municipal_offer=curated, expected_version=1,
                                        values={"promotion_priority": 10})


def test_another_municipalitys_admin_cannot_curate(other_admin, municipality):
    curated = factories.enabled(municipality, factories.offer())
    with pytest.raises(ValidationFailed):
        services.municipal_offer_withdraw(actor=other_admin, municipal_offer=curated, reason="Nej")
    with pytest.raises(NotFound):
        selectors.access_curated(actor=other_admin, municipality_id=municipality.pk, id=curated.pk)


# --- Citizens -------------------------------------------------------------------------------------

def test_enrolling_writes_the_enrolment_a_plan_activity_and_one_use_event(citizen, municipality):
    curated = factories.enabled(municipality, factories.offer(kind="course", title="Jobsøgning på 4 uger"))
    enrolment = services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=curated)
    item = PlanItem.all_tenants.get()
    event = UseEvent.all_tenants.get()
    assert (enrolment.status, item.title, item.item_type, item.created_by_kind, item.link.endswith(
        f"/aarhus/tilbud/{curated.pk}/")) == ("enrolled", "Jobsøgning på 4 uger", "course", "citizen", True)
    assert (event.kind, event.quantity, event.enrolment_id, event.citizen_id, event.vendor_id) == (
        "enrolled", Decimal("1"), enrolment.pk, citizen.pk, None)


def test_enrolling_twice_is_refused_and_writes_nothing_more(citizen, municipality):
    curated = factories.enabled(municipality, factories.offer())
    services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=curated)
    with pytest.raises(ValidationFailed) as error:
        services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=curated)
    assert _messages(error) == {"__all__": ["Du er allerede tilmeldt dette tilbud."]}
    assert (Enrolment.all_tenants.count(), PlanItem.all_tenants.count(), UseEvent.all_tenants.count()) == (1, 1, 1)


def test_leaving_an_offer_writes_a_withdrawn_event(citizen, municipality):
    curated = factories.enabled(municipality, factories.offer())
    enrolment = services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=curated, add_to_plan=False)
    services.enrolment_withdraw(actor=citizen.user, enrolment=enrolment)
    assert list(UseEvent.all_tenants.values_list("kind", flat=True)) == ["enrolled", "withdrawn"]


def test_a_withdrawn_offer_cannot_be_enrolled_in(citizen, admin, municipality):
    curated = factories.enabled(municipality, factories.offer())
    services.municipal_offer_withdraw(actor=admin, municipal_offer=curated, reason="Udløbet")
    curated.refresh_from_db()
    with pytest.raises(ValidationFailed) as error:
        services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=curated)
    assert _messages(error) == {"__all__": ["Tilbuddet er ikke længere tilgængeligt."]}
    assert Enrolment.all_tenants.count() == 0


def test_a_signed_launch_carries_a_pseudonym_and_only_consented_data(citizen, municipality, vendor):
    offer = factories.offer(provider_kind="vendor", vendor_=vendor, kind="course", launch_method="signed",
                            launch_url="https://kursus.example.dk/start?ref=ju", consent_fields=["name", "email"])
    curated = factories.enabled(municipality, offer)
    # a signed launch needs an enrolment first
    with pytest.raises(ValidationFailed) as error:
        services.launch(actor=citizen.user, citizen=citizen, municipal_offer=curated)
    assert _messages(error) == {"__all__": ["Tilmeld dig tilbuddet, før du starter det."]}
    assert UseEvent.all_tenants.count() == 0
    services.enrol(actor=citizen.user, citizen=citizen, municipal_offer=curated, consented_fields=["email"])
    started = services.launch(actor=citizen.user, citizen=citizen, municipal_offer=curated)
    token = started.url.split("ju_launch=")[1]
    payload = launching.verify_token(token, secret=launching.launch_secret(vendor), now=int(time.time()))
    assert started.url.startswith("https://kursus.example.dk/start?ref=ju&ju_launch=")
    assert payload["fields"] == {"email": "mette@example.dk"}
    assert "Mette" not in started.url and "Hansen" not in started.url
    assert (payload["aud"], payload["offer"], payload["municipality"], payload["exp"] - payload["iat"]) == (
        vendor.pk, offer.pk, "0751", 300)
    assert payload["sub"] == launching.pseudonym(provider=f"vendor:{vendor.pk}", citizen_id=citizen.pk)
    assert payload["sub"] != launching.pseudonym(provider="vendor:999999", citizen_id=citizen.pk)
    assert list(UseEvent.all_tenants.values_list("kind", "subject")) == [("enrolled", payload["sub"]),
                                                                         ("launched", payload["sub"])]


def test_a_vendor_refuses_a_forged_expired_or_replayed_launch(vendor):
    token = launching.sign_token({"sub": "abc", "exp": 1000, "nonce": "n1"}, secret=launching.launch_secret(vendor))
    with pytest.raises(launching.TokenInvalid, match="signature"):
        launching.verify_token(token, secret="0" * 64, now=900)
    with pytest.raises(launching.TokenInvalid, match="signature"):
        launching.verify_token(token[:-2] + "xx", secret=launching.launch_secret(vendor), now=900)
    with pytest.raises(launching.TokenInvalid, match="expired"):
        launching.verify_token(token, secret=launching.launch_secret(vendor), now=1001)
    seen: set[str] = set()
    assert launching.verify_token(token, secret=launching.launch_secret(vendor), now=900, seen_nonces=seen)["sub"] == "abc"
    with pytest.raises(launching.TokenInvalid, match="replay"):
        launching.verify_token(token, secret=launching.launch_secret(vendor), now=900, seen_nonces=seen)


def test_a_plain_link_launch_is_recorded_without_an_enrolment(citizen, municipality):
    curated = factories.enabled(municipality, factories.offer(launch_method="link",
                                                              launch_url="https://www.borger.dk/cv"))
    started = services.launch(actor=citizen.user, citizen=citizen, municipal_offer=curated)
    assert (started.url, list(UseEvent.all_tenants.values_list("kind", "enrolment_id"))) == (
        "https://www.borger.dk/cv", [("launched", None)])


def test_someone_else_cannot_enrol_or_launch_for_the_citizen(citizen, municipality, member):
    curated = factories.enabled(municipality, factories.offer())
    adviser = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(ValidationFailed):
        services.enrol(actor=adviser, citizen=citizen, municipal_offer=curated)
    with pytest.raises(ValidationFailed):
        services.launch(actor=adviser, citizen=citizen, municipal_offer=curated)
    assert UseEvent.all_tenants.count() == 0


# --- Til dig ----------------------------------------------------------------------------------------

def test_til_dig_explains_its_reasons_in_danish(citizen, municipality):
    matching = factories.enabled(municipality, factories.offer(title="Truckkursus", target_isco=["93"],
                                                               target_situations=["over_3_months"]))
    promoted = factories.enabled(municipality, factories.offer(title="Jobklub"), promotion_priority=50)
    factories.enabled(municipality, factories.offer(title="Noget helt andet", target_isco=["2511"]))
    with tenant_context(municipality):
        found = selectors.for_you(citizen=citizen)
    assert [(r.entry.id, r.reason) for r in found] == [
        (matching.pk, "fordi du søger job som lagermedarbejder og har været ledig i 3 måneder"),
        (promoted.pk, "fordi jobcentret anbefaler det")]


def test_an_offer_for_one_track_is_hidden_from_citizens_on_other_tracks(citizen, municipality, admin):
    curated = factories.enabled(municipality, factories.offer(), audience="tracks", audience_tracks=["ressource"])
    with tenant_context(municipality):
        assert selectors.catalogue(citizen=citizen) == []
        with pytest.raises(NotFound):
            selectors.access_entry(actor=citizen.user, citizen=citizen, id=curated.pk)


def test_search_and_filters(citizen, municipality):
    cv = factories.enabled(municipality, factories.offer(title="Skriv dit CV", kind="article"))
    factories.enabled(municipality, factories.offer(title="Jobklub om tirsdagen", kind="job_club"))
    with tenant_context(municipality):
        assert [e.id for e in selectors.catalogue(citizen=citizen, query="cv")] == [cv.pk]
        assert [e.id for e in selectors.catalogue(citizen=citizen, kind="article")] == [cv.pk]


# --- Staff --------------------------------------------------------------------------------------------

def test_a_caseworker_shares_an_offer_into_the_citizens_plan(citizen, municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    curated = factories.enabled(municipality, factories.offer(title="Skriv dit CV"))
    share = services.offer_share(actor=adviser, citizen=citizen, municipal_offer=curated, note="Prøv den her")
    item = PlanItem.all_tenants.get()
    assert (item.title, item.created_by_kind, item.agreed_with_job_centre, item.status, share.plan_item_id) == (
        "Skriv dit CV", "staff", False, "suggested", item.pk)
    assert item.description.startswith("Foreslået af jobcentret.\n\nPrøv den her")
    assert AccessLogEntry.all_tenants.filter(what="marketplace share", citizen_id=citizen.pk).count() == 1


def test_an_assistant_or_another_municipality_cannot_share(citizen, municipality, other_municipality, member):
    curated = factories.enabled(municipality, factories.offer())
    for actor in (member(Role.JOB_JOURNEY_ASSISTANT, municipality), member(Role.JOB_ADVISER, other_municipality)):
        with pytest.raises(ValidationFailed):
            services.offer_share(actor=actor, citizen=citizen, municipal_offer=curated)
    assert (OfferShare.all_tenants.count(), PlanItem.all_tenants.count()) == (0, 0)


def test_staff_read_of_enrolments_is_logged_and_other_municipalities_see_nothing(
        citizen, municipality, other_municipality, member):
    curated = factories.enabled(municipality, factories.offer(title="Skriv dit CV"))
    factories.enrolment(citizen, curated)
    adviser = member(Role.JOB_ADVISER, municipality)
    lines = selectors.enrolments_for_staff(actor=adviser, citizen=citizen)
    assert [(line.offer_title, line.status_label) for line in lines] == [("Skriv dit CV", "Tilmeldt")]
    assert AccessLogEntry.all_tenants.filter(what="marketplace enrolments", citizen_id=citizen.pk).count() == 1
    with pytest.raises(NotFound):
        selectors.enrolments_for_staff(actor=member(Role.JOB_ADVISER, other_municipality), citizen=citizen)
