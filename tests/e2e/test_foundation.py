"""Sign in as each demo role, switch language, and check every page with axe-core."""

import pytest

from jobunivers.tenancy.roles import ALL_ROLES, NATIONAL_ROLES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_public_pages_are_accessible(page, visit, municipality):
    # given a municipality; when a visitor opens the public pages; then axe finds nothing
    for path in ["/", f"/{municipality.slug}/", f"/{municipality.slug}/log-ind/", "/tilgaengelighed/",
                 "/privatliv/", "/findes-ikke/"]:
        visit(page, path)


@pytest.mark.parametrize("role", sorted(ALL_ROLES))
def test_each_role_signs_in_and_sees_its_start_page(role, page, visit, sign_in_as, municipality, member):
    # given a demo persona with the role
    user = member(role, municipality, first_name="Testa", last_name="Persona")
    # when they sign in through the persona list
    sign_in_as(page, user, None if role in NATIONAL_ROLES else municipality)
    # then their start page greets them and is accessible
    assert "Testa Persona" in page.content()
    visit(page, page.url)
    # and when they switch to English the page is in English
    page.locator(".portal-user button[name='language'][value='en']").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out").count() == 1
    visit(page, page.url)
    page.locator(".portal-user button[name='language'][value='da']").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "da"


def test_phone_layout_is_accessible_and_keyboard_reaches_the_content(browser, live_server, municipality, visit):
    # given a phone-sized screen
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 740}, locale="da-DK")
    page = context.new_page()
    # when the municipality's start page opens
    visit(page, f"/{municipality.slug}/")
    # then the first Tab reaches the skip link, which moves focus to the main content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skipnav"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    # and nothing is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    context.close()


def test_the_danish_label_check_catches_an_english_label_and_allows_one_without_danish(browser, live_server):
    from jobunivers.taxonomy.tests.factories import OccupationFactory
    from tests.e2e.conftest import check_danish_labels

    page = browser.new_page()  # not the `page` fixture: that one fails the test on any English label it loads
    # given one occupation with a Danish label and one with only ESCO's English label
    OccupationFactory(preferred_label="specialist nurse", preferred_label_da="sygeplejerske")
    OccupationFactory(preferred_label="membership manager")
    # when a Danish page shows the second in English (marked) and the first in Danish: then it passes
    page.set_content('<html lang="da"><body><p>sygeplejerske</p><span lang="en">membership manager</span></body></html>')
    check_danish_labels(page)
    # when a Danish page shows the first by its English label, marked or not: then it fails, naming it
    for html in ("<p>Fjern Specialist nurse</p>", '<p><span lang="en">specialist nurse</span></p>'):
        page.set_content(f'<html lang="da"><body>{html}</body></html>')
        with pytest.raises(AssertionError, match="'specialist nurse' \\(Danish: 'sygeplejerske'\\)"):
            check_danish_labels(page)
    # and an English page may show it
    page.set_content('<html lang="en"><body><p>specialist nurse</p></body></html>')
    check_danish_labels(page)
    page.close()
