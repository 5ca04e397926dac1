"""The municipality's own offer from first draft to the citizen's phone: the administrator writes a job club,
publishes it for citizens seeking ISCO group 93, previews a push to them and sends it; a citizen in that
audience gets the notice, opens the offer from it, and sees it in the catalogue with its rating and count at
390 px; a citizen outside the audience gets nothing. axe-core runs on every page."""

import pytest

from jobunivers.caseworker.models import Push
from jobunivers.citizens.models import Profile
from jobunivers.marketplace.models import MunicipalOffer, Offer, Rating, RatingStatus
from jobunivers.marketplace.tests import factories
from jobunivers.notifications.models import Notification
from jobunivers.taxonomy.tests.factories import OccupationFactory
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
SCREENS = "/tmp/marketplace-curation-{}.png"


def _seeker(member, municipality, first_name, isco):
    user = member(Role.CITIZEN, municipality, first_name=first_name, last_name="Jensen")
    profile = Profile.all_tenants.create(municipality=municipality, citizen=user.citizen)
    profile.occupations.add(OccupationFactory(preferred_label_da=f"Job {isco}", isco_code=isco))
    return user


def test_a_local_offer_is_written_published_pushed_and_seen_with_its_rating(
        page, visit, axe, sign_in_as, municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    citizen_user = _seeker(member, municipality, "Mette", "9334")
    outsider = _seeker(member, municipality, "Ole", "7221")
    prefix = f"/{municipality.slug}"

    # when the administrator writes the municipality's own job club
    sign_in_as(page, admin, municipality)
    assert visit(page, f"{prefix}/medarbejder/tilbud/").status == 200
    page.get_by_role("link", name="Nyt tilbud fra kommunen").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    page.get_by_label("Type", exact=True).select_option("job_club")
    page.get_by_label("Titel (dansk)").fill("Jobklub for lager og logistik")
    page.get_by_label("Resumé (dansk)").fill("Mød andre jobsøgende hver tirsdag i Borgerhuset.")
    page.get_by_label("Tekst (dansk)").fill("Vi mødes kl. 10 og øver jobsamtaler.")
    page.get_by_label("Personligt fremmøde").check()
    page.get_by_label("Varighed").fill("8 uger")
    page.get_by_label("Læs her", exact=True).check()
    page.get_by_role("button", name="Gem kladden").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    offer = Offer.objects.get()
    assert (offer.provider_kind, offer.status) == ("municipality", "draft")

    # and publishes it for citizens seeking ISCO group 93
    page.get_by_role("button", name="Offentliggør for kommunens borgere").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    page.get_by_label("Borgere, der søger valgte stillinger").check()
    page.get_by_label("Faggrupper (ISCO-koder)").fill("93")
    page.get_by_role("button", name="Gem", exact=True).click()
    # The test writes to the database next: wait until the live server has finished the save and the page
    # after it (the in-memory SQLite shares table locks between threads: "database table is locked").
    page.wait_for_load_state("networkidle")
    curated = MunicipalOffer.all_tenants.get()
    assert (curated.audience, curated.audience_isco) == ("occupations", ["93"])
    for _n in range(3):
        person = member(Role.CITIZEN, municipality).citizen
        Rating.all_tenants.create(municipality=municipality, offer=offer, citizen=person, score=4,
                                  status=RatingStatus.APPROVED, enrolment=factories.enrolment(person, curated))

    # and previews a push to that audience, then sends it
    page.get_by_role("link", name="Send til borgere").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    page.get_by_label("Send til højst").fill("50")
    page.get_by_label("Besked", exact=True).fill("Kom og vær med på tirsdag – vi har kaffe på kanden.")
    page.get_by_role("button", name="Forhåndsvis", exact=True).click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert "1 borger matcher; 1 inden for loftet." in page.locator(".jobunivers-push-count").inner_text()
    assert "vi har kaffe på kanden" in page.locator(".jobunivers-push-sample").inner_text()
    page.screenshot(path=SCREENS.format("preview"), full_page=True)
    page.get_by_role("button", name="Send til 1 borger").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert "Sendt til 1 borger." in page.content()
    assert Push.all_tenants.get().recipient_count == 1
    assert not Notification.all_tenants.filter(recipient=outsider).exists()

    # then the citizen in the audience has the notice on their phone and opens the offer from it
    page.set_viewport_size(PHONE)
    sign_in_as(page, citizen_user, municipality)
    assert visit(page, f"{prefix}/beskeder/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=SCREENS.format("inbox-390"), full_page=True)
    assert page.get_by_role("heading", name="Jobklub for lager og logistik").is_visible()
    page.get_by_role("button", name="Åbn beskeden").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    assert page.url.endswith(f"{prefix}/tilbud/{curated.pk}/")
    assert page.get_by_role("heading", name="Jobklub for lager og logistik").is_visible()

    # and sees it in the catalogue with its rating and count
    assert visit(page, f"{prefix}/tilbud/").status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    card = page.locator(".card", has_text="Jobklub for lager og logistik").last
    assert card.locator(".jobunivers-rating-summary").inner_text() == "4,0 af 5 (3 bedømmelser)"
    card.scroll_into_view_if_needed()
    page.screenshot(path=SCREENS.format("catalogue-390"), full_page=True)
