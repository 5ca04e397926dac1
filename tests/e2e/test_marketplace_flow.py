"""The marketplace from end to end (issue 17): a vendor writes and submits a course, the platform operator
approves it into the library, a municipality's administrator (with an agreement) shows it to one track and
promotes it; a citizen on that track finds it under "Til dig" with its reason at 390 px, enrols, starts it
and rates it; the administrator approves the rating; the vendor sees the rating and the use in aggregate.
axe-core runs on every page."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.agreements import services as agreements
from jobunivers.core.context import tenant_context
from jobunivers.marketplace.models import Enrolment, MunicipalOffer, Offer, Rating, UseEvent
from jobunivers.marketplace.tests import factories
from jobunivers.segmentation.tests import factories as segmentation
from jobunivers.tenancy.roles import Role

from .screens import DESKTOP, PHONE, horizontal_overflow, screenshot

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

TITLE = "Truckcertifikat med praktik"


def _click(page, role: str, name: str) -> None:
    page.get_by_role(role, name=name).first.click()
    page.wait_for_load_state("domcontentloaded")


def test_a_vendors_course_goes_from_submission_to_a_rated_offer_on_a_citizens_track(
        page, visit, axe, sign_in_as, municipality, member):
    vendor = factories.vendor("Kompetencehuset A/S")
    vendor_user = factories.vendor_user(member, vendor)
    operator = member(Role.PLATFORM_OPERATOR)
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    citizen_user = member(Role.CITIZEN, municipality, first_name="Mette", last_name="Hansen")
    citizen = citizen_user.citizen
    segmentation.decision(segmentation.suggestion(citizen, level=3), by=admin)  # "Personlig jobkonsulent fra start"
    prefix = f"/{municipality.slug}"

    # the vendor writes the course and submits it
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, vendor_user)
    assert visit(page, "/leverandoer/tilbud/nyt/").status == 200
    page.get_by_label("Type").select_option("course")
    page.get_by_label("Titel (dansk)").fill(TITLE)
    page.get_by_label("Resumé (dansk)").fill("Tre uger med certifikat og to ugers praktik på et lager.")
    page.get_by_label("Online og fremmøde").check()
    page.get_by_label("Spor (nøgler)").fill("personlig-jobkonsulent")
    page.get_by_label("Link", exact=True).check()
    page.get_by_label("Adresse (https://)").fill("https://kursus.example.dk/truck")
    _click(page, "button", "Gem kladden")
    axe(page)
    _click(page, "button", "Send til godkendelse")
    axe(page)
    offer = Offer.objects.get(vendor=vendor)
    assert (offer.status, offer.versions.get().status) == ("submitted", "submitted")

    # the platform operator approves it into the library
    sign_in_as(page, operator)
    assert visit(page, "/leverandoer/tilbud/").status == 200
    _click(page, "link", TITLE)
    axe(page)
    page.get_by_label("Godkend og udgiv").check()
    _click(page, "button", "Gem behandlingen")
    offer.refresh_from_db()
    assert offer.status == "published"

    # the municipality has an agreement; its administrator shows the course to one track and promotes it
    with tenant_context(municipality):
        agreement = agreements.agreement_create(actor=admin, municipality_id=municipality.pk, offer_id=offer.pk,
                                                payment_model="per_use", billed_use="launched", outcome_weeks=None,
                                                reference="")
        agreements.rate_add(actor=admin, municipality_id=municipality.pk, agreement_id=agreement.pk,
                            valid_from=timezone.localdate().replace(day=1), valid_to=None, amount_ore=2_500,
                            result_fee_ore=0)
    sign_in_as(page, admin, municipality)
    assert visit(page, f"{prefix}/medarbejder/tilbud/").status == 200
    _click(page, "button", "Vis for borgerne")
    axe(page)
    page.get_by_label("Borgere i valgte spor").check()
    page.get_by_label("Personlig jobkonsulent fra start").check()
    page.get_by_label("Fremhævningsprioritet (0–100)").fill("50")
    page.get_by_label("Fremhævet til").fill((timezone.localdate() + datetime.timedelta(days=30)).isoformat())
    _click(page, "button", "Gem")
    axe(page)
    curated = MunicipalOffer.all_tenants.get()
    assert (curated.audience, curated.audience_tracks, curated.promotion_priority) == (
        "tracks", ["personlig-jobkonsulent"], 50)

    # the citizen on that track finds it under "Til dig" with its reason, enrols, starts and rates it
    page.set_viewport_size(PHONE)
    sign_in_as(page, citizen_user, municipality)
    assert visit(page, f"{prefix}/tilbud/").status == 200
    assert horizontal_overflow(page) == 0
    assert page.locator(".jobunivers-reasons li").first.inner_text() == (
        "Fordi du er i sporet “Personlig jobkonsulent fra start” og jobcentret anbefaler det")
    screenshot(page, "marketplace-flow-til-dig")
    _click(page, "link", TITLE)
    axe(page)
    _click(page, "button", "Tilmeld dig")
    axe(page)
    assert horizontal_overflow(page) == 0
    page.route("https://kursus.example.dk/**", lambda route: route.fulfill(
        status=200, content_type="text/html", body="<!doctype html><html lang='da'><title>Kursus</title>"
                                                   "<main><h1>Velkommen</h1></main></html>"))
    page.get_by_role("button", name="Start").click()
    page.wait_for_url("https://kursus.example.dk/**")
    assert visit(page, f"{prefix}/tilbud/{curated.pk}/").status == 200
    page.locator("input[name=score][value='5']").check()
    page.get_by_label("Din anmeldelse").fill("God underviser og en praktikplads bagefter.")
    _click(page, "button", "Send bedømmelse")
    axe(page)
    assert horizontal_overflow(page) == 0
    screenshot(page, "marketplace-flow-offer-rated")
    assert list(UseEvent.all_tenants.order_by("id").values_list("kind", flat=True)) == ["enrolled", "launched"]
    assert Enrolment.all_tenants.get().status == "enrolled"

    # the administrator approves the rating
    page.set_viewport_size(DESKTOP)
    sign_in_as(page, admin, municipality)
    assert visit(page, f"{prefix}/medarbejder/tilbud/bedoemmelser/").status == 200
    _click(page, "button", "Godkend")
    axe(page)
    assert Rating.all_tenants.get().status == "approved"

    # the vendor sees the approved rating (never who wrote it) and the use in aggregate, small numbers hidden
    sign_in_as(page, vendor_user)
    assert visit(page, "/leverandoer/tilbud/bedoemmelser/").status == 200
    ratings = page.locator("main").inner_text()
    assert "Karakter: 5 af 5" in ratings and "God underviser" in ratings and "Hansen" not in ratings
    assert visit(page, "/leverandoer/forbrug/").status == 200
    row = page.locator("tbody tr").first.locator("td").all_inner_texts()
    assert row[1:6] == [municipality.name, TITLE, "< 5", "< 5", "< 5"]  # new enrolments, citizens, launches
    screenshot(page, "marketplace-flow-vendor-usage")
