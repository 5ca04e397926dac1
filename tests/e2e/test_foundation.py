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
    page.locator("button[name='language'][value='en']").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("button", name="Log out").count() == 1
    visit(page, page.url)
    page.locator("button[name='language'][value='da']").click()
    page.wait_for_load_state("domcontentloaded")
    assert page.locator("html").get_attribute("lang") == "da"
