"""The first day of the demo's new citizen, at phone width (390 × 844): MitID-like sign-in,
welcome, questionnaire, suggested track, profile and the first feed. axe-core on every page."""

from io import StringIO

import pytest
from django.core.management import call_command

from jobunivers.accounts.cpr import cpr_hash, encrypt_cpr
from jobunivers.accounts.models import CitizenIdentity, User
from jobunivers.citizens.models import Citizen, Profile
from jobunivers.segmentation.models import Suggestion
from jobunivers.taxonomy.models import Postcode
from tests.e2e.test_identity import local_idp  # noqa: F401  (the MitID-like identity provider)

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CPR = "0507924321"


@pytest.fixture
def phone(page):
    page.set_viewport_size({"width": 390, "height": 844})
    return page


def test_the_demo_citizen_walks_their_first_day_on_a_phone(phone, visit, axe, local_idp, municipality):  # noqa: F811
    from jobunivers.citizens.tests.helpers import make_occupation, make_posting

    page = phone
    # given the demo's first-day citizen, made afresh by `make demo`, known to MitID by a test CPR number
    municipality.is_demo = True
    municipality.save(update_fields=["is_demo"])
    Postcode.objects.create(code="8000", name="Aarhus C", latitude=56.15, longitude=10.21, municipality_code="0751")
    call_command("demo", only=["first_day_citizen"], stdout=StringIO())
    user = User.objects.get(username=f"demo-{municipality.slug}-borger-000")
    citizen = Citizen.all_tenants.get(user=user)
    CitizenIdentity.objects.create(user=user, provider="nemlogin", cpr_hash=cpr_hash(CPR),
                                   cpr_encrypted=encrypt_cpr(CPR), assurance_level="substantial")
    occupation = make_occupation("Lagerarbejder", "9333")
    make_posting(title="Lagermedarbejder til Skejby", employer_name="Salling Group", occupation=occupation)
    prefix = f"/{municipality.slug}"

    # when she signs in with MitID for the first time
    visit(page, f"{prefix}/log-ind/")
    page.get_by_role("link", name="Log ind med MitID").click()
    page.wait_for_url(f"{local_idp.base_url}/sso?**")
    page.get_by_label("CPR-nummer (test)").fill(CPR)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_load_state("domcontentloaded")

    # then she is welcomed with her rights and duties
    visit(page, f"{prefix}/min-side/", check=False)
    assert page.url.endswith("/min-side/velkommen/")
    assert page.get_by_role("heading", name="Dine rettigheder og pligter").count() == 1
    axe(page)
    page.get_by_role("button", name="Fortsæt til spørgsmålene").click()

    # and answers the start questionnaire
    assert page.url.endswith("/min-side/spoergeskema/")
    axe(page)
    page.locator("input[name='self_assessed_chances'][value='4']").check()
    page.get_by_label("Hvor mange uger tror du, der går, før du har et job?").fill("10")
    page.locator("input[name='job_search_confidence'][value='4']").check()
    page.get_by_label("Jeg bruger digitale løsninger uden hjælp").check()
    page.get_by_label("Virtuelt (video eller telefon)").check()
    page.get_by_role("button", name="Gem svar").click()
    assert page.get_by_text("Dine svar er gemt").count() == 1
    axe(page)

    # and sees the track suggested to her, with the reasons in plain Danish
    visit(page, f"{prefix}/min-indsats/")
    assert page.get_by_test_id("suggested-track").count() == 1
    assert "high_self_assessment" not in page.content()
    assert Suggestion.all_tenants.filter(citizen=citizen).count() == 1

    # and builds her profile with the occupation she seeks
    visit(page, f"{prefix}/min-side/profil/")
    page.get_by_label("Find en stilling").fill("lager")
    page.get_by_role("button", name="Søg", exact=True).click()
    page.get_by_role("button", name="Tilføj Lagerarbejder").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert [o.preferred_label for o in Profile.all_tenants.get(citizen=citizen).occupations.all()] == ["Lagerarbejder"]

    # and her first feed shows the job that fits
    visit(page, f"{prefix}/job-til-dig/")
    assert page.get_by_text("Lagermedarbejder til Skejby").count() >= 1
    # and nothing on the way was wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
