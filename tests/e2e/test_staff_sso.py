"""A caseworker signs in through the municipality's identity provider: a local SAML IdP playing
KOMBIT's Context Handler, and a local OpenID Connect provider with group claims (ADR 0080)."""

import pytest
from django.core.cache import cache
from saml2.metadata import create_metadata_string

from jobunivers.accounts.contrib.nemlogin.testing import LocalIdP, make_keypair, serve
from jobunivers.accounts.contrib.oidc.testing import LocalOidcProvider
from jobunivers.accounts.contrib.staffsso import saml
from jobunivers.accounts.contrib.staffsso.testing import kombit_answer
from jobunivers.accounts.models import StaffIdentityProvider, StaffRoleMapping
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CONSULTANT_ROLE = "http://jobunivers.dk/roles/usersystemrole/personlig-jobkonsulent/1"
ASK = ('<label for="person">Medarbejder-id (test)</label> <input id="person" name="person" autocomplete="off"> '
       '<label for="role">Brugersystemrolle</label> <input id="role" name="role" autocomplete="off">')


@pytest.fixture
def kombit_idp(tmp_path, settings, live_server, municipality):
    idp = LocalIdP(tmp_path, entity_id="https://kombit.local.test/")
    server = serve(idp, title="Test-KOMBIT", ask=ASK, answer_for=lambda url, fields: kombit_answer(
        idp, url, roles=[fields.get("role", "")], person=fields.get("person", ""),
        first_name="Karen", last_name="Kombit"))
    idp.base_url = f"http://localhost:{server.server_address[1]}"
    sp_key, sp_cert = make_keypair(tmp_path, "sp")
    settings.SITE_URL = live_server.url
    settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE = sp_key, sp_cert
    StaffIdentityProvider.objects.create(municipality=municipality, kind="kombit", is_enabled=True,
                                         saml_metadata=idp.metadata())
    StaffRoleMapping.objects.create(municipality=municipality, claim_value=CONSULTANT_ROLE,
                                    role=Role.PERSONAL_CONSULTANT)
    idp.trust_sp(create_metadata_string(None, config=saml.sp_config(municipality.slug), sign=False).decode())
    yield idp
    server.shutdown()


@pytest.fixture
def oidc_idp(settings, live_server, municipality):
    provider = LocalOidcProvider()
    settings.SITE_URL = live_server.url
    StaffIdentityProvider.objects.create(municipality=municipality, kind="oidc", is_enabled=True,
                                         oidc_issuer=provider.issuer, oidc_client_id=provider.client_id,
                                         oidc_client_secret=provider.client_secret)
    StaffRoleMapping.objects.create(municipality=municipality, claim_value="grp-konsulenter",
                                    role=Role.PERSONAL_CONSULTANT)
    cache.clear()
    yield provider
    provider.shutdown()
    cache.clear()


def _lands_on_the_worklist(page, visit, municipality, name):
    page.wait_for_url(f"**/{municipality.slug}/medarbejder/")
    visit(page, page.url)
    assert name in page.content()
    visit(page, f"/{municipality.slug}/medarbejder/mine-borgere/")
    assert page.get_by_role("heading", level=1).inner_text() == "Mine borgere"


def test_caseworker_signs_in_through_kombit_and_lands_on_the_worklist(page, visit, settings, kombit_idp,
                                                                      municipality):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True  # the IdP's second factor counts; TOTP is not asked
    visit(page, f"/{municipality.slug}/log-ind/")
    page.get_by_role("link", name="Log ind som medarbejder via kommunens login").click()
    page.wait_for_url(f"{kombit_idp.base_url}/sso?**")
    page.get_by_label("Medarbejder-id (test)").fill("karen-1")
    page.get_by_label("Brugersystemrolle").fill(CONSULTANT_ROLE)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("button", name="Fortsæt").click()
    _lands_on_the_worklist(page, visit, municipality, "Karen Kombit")


def test_caseworker_signs_in_through_openid_connect_and_lands_on_the_worklist(page, visit, settings, oidc_idp,
                                                                              municipality):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    oidc_idp.next_identity = {"sub": "olga-1", "groups": ["grp-konsulenter"], "given_name": "Olga",
                              "family_name": "Oidc", "loa": "https://data.gov.dk/concept/core/nsis/loa/Substantial"}
    visit(page, f"/{municipality.slug}/log-ind/")
    page.get_by_role("link", name="Log ind som medarbejder via kommunens login").click()
    _lands_on_the_worklist(page, visit, municipality, "Olga Oidc")


def test_administrator_sets_up_the_provider_and_sees_danish_errors(page, visit, axe, sign_in_as, settings,
                                                                   municipality, member):
    settings.DEMO = True
    admin = member(Role.MUNICIPALITY_ADMIN, municipality, first_name="Anne", last_name="Admin")
    sign_in_as(page, admin, municipality)
    visit(page, f"/{municipality.slug}/administration/medarbejder-log-ind/")
    page.get_by_label("Identitetsudbyder", exact=True).select_option("oidc")
    page.get_by_label("OpenID Connect-udsteder", exact=True).fill("http://login.example/")
    page.get_by_role("button", name="Gem").click()
    page.wait_for_load_state("domcontentloaded")
    axe(page)
    content = page.content()
    assert "Indstillingerne blev ikke gemt." in content
    assert "Udstederen skal være en https-adresse" in content and "Indtast klienthemmeligheden." in content
    assert not StaffIdentityProvider.objects.exists()
