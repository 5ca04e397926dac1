"""The marketplace at phone width (390 px): an administrator shows a vendor's course (with an agreement) to
citizens seeking warehouse work and promotes it; such a citizen finds it under "Til dig" with its reason,
enrols sharing only their name, and starts it through a signed launch. axe-core runs on every page."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.citizens.models import Profile
from jobunivers.marketplace.contracts import register_agreement_check, unregister_agreement_check
from jobunivers.marketplace.models import Enrolment, MunicipalOffer, UseEvent
from jobunivers.marketplace.tests import factories
from jobunivers.taxonomy.tests.factories import OccupationFactory
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENSHOT = "/tmp/marketplace-til-dig-390.png"


def _agreed(*, municipality_id, offer_id):
    return True


def test_a_promoted_course_reaches_the_citizen_with_its_reason_and_starts_pseudonymously(
        page, visit, axe, sign_in_as, municipality, member):
    page.set_viewport_size(PHONE)
    register_agreement_check(_agreed)
    try:
        vendor = factories.vendor("Kompetencehuset A/S")
        factories.offer(provider_kind="vendor", vendor_=vendor, kind="course", title="Truckcertifikat på 3 uger",
                        summary_da="Bliv klar til lagerjob.", launch_method="signed", format="blended",
                        launch_url="https://kursus.example.dk/start", consent_fields=["name", "email"],
                        target_situations=["over_3_months"])
        admin = member(Role.MUNICIPALITY_ADMIN, municipality)
        citizen_user = member(Role.CITIZEN, municipality, first_name="Mette", last_name="Hansen")
        citizen = citizen_user.citizen
        today = timezone.localdate()
        citizen.registered_on = (today.replace(day=1) - datetime.timedelta(days=80)).replace(day=min(today.day, 28))
        citizen.save(update_fields=["registered_on"])
        profile = Profile.all_tenants.create(municipality=municipality, citizen=citizen)
        profile.occupations.add(OccupationFactory(preferred_label_da="Lagermedarbejder", isco_code="9334"))
        prefix = f"/{municipality.slug}"

        # when the administrator shows the course to citizens seeking ISCO group 93 and promotes it
        sign_in_as(page, admin, municipality)
        assert visit(page, f"{prefix}/medarbejder/tilbud/").status == 200
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        page.get_by_role("button", name="Vis for borgerne").click()
        page.wait_for_load_state("domcontentloaded")
        axe(page)
        page.get_by_label("Borgere, der søger valgte stillinger").check()
        page.get_by_label("Faggrupper (ISCO-koder)").fill("93")
        page.get_by_label("Fremhævningsprioritet (0–100)").fill("80")
        page.get_by_role("button", name="Gem").click()
        page.wait_for_load_state("domcontentloaded")
        curated = MunicipalOffer.all_tenants.get()
        assert (curated.audience, curated.audience_isco, curated.promotion_priority) == ("occupations", ["93"], 80)

        # then the citizen finds it under "Til dig" with the reason
        sign_in_as(page, citizen_user, municipality)
        assert visit(page, f"{prefix}/tilbud/").status == 200
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        reason = page.locator(".jobunivers-reasons li").first.inner_text()
        assert reason == ("Fordi du søger job som lagermedarbejder, har været ledig i 3 måneder og jobcentret "
                          "anbefaler det")
        page.screenshot(path=SCREENSHOT, full_page=True)

        # when they enrol sharing only their name, and start the course
        page.get_by_role("link", name="Truckcertifikat på 3 uger").first.click()
        page.wait_for_load_state("domcontentloaded")
        axe(page)
        page.get_by_label("dit navn").check()
        page.get_by_role("button", name="Tilmeld dig").click()
        page.wait_for_load_state("domcontentloaded")
        axe(page)
        page.route("https://kursus.example.dk/**", lambda route: route.fulfill(
            status=200, content_type="text/html", body="<!doctype html><html lang='da'><title>Kursus</title>"
                                                       "<main><h1>Velkommen</h1></main></html>"))
        page.get_by_role("button", name="Start").click()
        page.wait_for_url("https://kursus.example.dk/**")

        # then the vendor got a signed launch, and the enrolment and launch are on record
        assert "ju_launch=" in page.url and "Hansen" not in page.url
        assert Enrolment.all_tenants.get().consented_fields == ["name"]
        assert list(UseEvent.all_tenants.order_by("id").values_list("kind", flat=True)) == ["enrolled", "launched"]
    finally:
        unregister_agreement_check(_agreed)
