"""MitID through a local SAML IdP as a citizen, My data and its export; staff sign-in with TOTP."""

import base64
import json

import pytest
from django_otp.oath import totp
from saml2.metadata import create_metadata_string

from jobunivers.accounts.contrib.nemlogin import config
from jobunivers.accounts.contrib.nemlogin.testing import LocalIdP, make_keypair, serve
from jobunivers.accounts.cpr import cpr_hash, encrypt_cpr
from jobunivers.accounts.models import CitizenIdentity
from jobunivers.audit.models import AccessLogEntry
from jobunivers.audit.services import access_log_record
from jobunivers.citizens.models import Citizen
from jobunivers.tenancy.roles import Role

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CPR = "1203874321"


@pytest.fixture
def local_idp(tmp_path, settings, live_server):
    idp = LocalIdP(tmp_path)
    server = serve(idp)
    # Same site as the live server (localhost): the SameSite=Lax binding cookie must come along over http.
    idp.base_url = f"http://localhost:{server.server_address[1]}"
    sp_key, sp_cert = make_keypair(tmp_path, "sp")
    settings.SITE_URL = live_server.url
    settings.SAML_SP_KEY_FILE, settings.SAML_SP_CERT_FILE = sp_key, sp_cert
    settings.SAML_IDP_METADATA_FILE = ""
    settings.SAML_IDP_METADATA = idp.metadata()
    idp.trust_sp(create_metadata_string(None, config=config.sp_config(), sign=False).decode())
    yield idp
    server.shutdown()


def test_citizen_logs_in_with_mitid_sees_my_data_and_downloads_it(page, visit, local_idp, municipality, member):
    # given a citizen the job centre knows, whose case a consultant has opened
    user = member(Role.CITIZEN, municipality, first_name="Mette", last_name="Mitid", is_demo=False)
    CitizenIdentity.objects.create(user=user, provider="nemlogin", cpr_hash=cpr_hash(CPR),
                                   cpr_encrypted=encrypt_cpr(CPR), assurance_level="substantial")
    citizen = Citizen.all_tenants.get(user=user)
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    access_log_record(actor=consultant, municipality_id=municipality.pk, citizen_id=citizen.pk, action="read",
                      purpose="availability", what="job log", role=Role.PERSONAL_CONSULTANT)
    # when they choose MitID on the municipality's login page
    visit(page, f"/{municipality.slug}/log-ind/")
    page.get_by_role("link", name="Log ind med MitID").click()
    # then the local IdP (which verified our signed request) asks who they are
    page.wait_for_url(f"{local_idp.base_url}/sso?**")
    page.get_by_label("CPR-nummer (test)").fill(CPR)
    page.get_by_role("button", name="Log ind").click()
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_load_state("domcontentloaded")
    # and they are signed in, in Aarhus, without the CPR number in any address
    assert page.url.startswith(f"{page.url.split('/' + municipality.slug)[0]}/{municipality.slug}/")
    assert CPR not in page.url and CPR not in page.content()
    # when they open My data from the menu
    # (with this many items the design system's header puts the last ones under "Mere")
    mine_data = page.get_by_role("link", name="Mine data").first
    if not mine_data.is_visible():
        page.get_by_role("button", name="Mere").click()
    mine_data.click()
    page.wait_for_load_state("domcontentloaded")
    visit(page, page.url)
    # then they see their data (name as MitID gave it) and the consultant's look-up as one sentence
    content = page.content()
    assert "Borger" in content
    assert f"Personlig jobkonsulent {consultant.get_full_name()} så dine oplysninger, " in content
    assert "formål: kontrol af rådighed" in content
    assert "1203" in content and CPR not in content  # only the masked number: 120387-xxxx
    # and the export downloads as JSON in the documented schema
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Hent mine data (JSON)").click()
    data = json.loads(open(download_info.value.path(), encoding="utf-8").read())  # noqa: SIM115
    assert data["schema_version"] == "1.0"
    assert data["staff_lookups"][0]["role"] == Role.PERSONAL_CONSULTANT
    assert CPR not in json.dumps(data)
    # and the printable page is accessible too
    page.get_by_role("link", name="Vis mine data som en side til udskrift").click()
    page.wait_for_load_state("domcontentloaded")
    visit(page, page.url)
    assert AccessLogEntry.all_tenants.count() == 1


def test_staff_sign_in_with_password_and_totp(page, visit, settings, municipality, member):
    # given a job adviser with a password and no authenticator yet
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Tove", last_name="Totp", is_demo=False)
    # when they sign in with user name and password
    visit(page, "/log-ind/medarbejder/")
    page.get_by_label("Brugernavn").fill(adviser.username)
    page.get_by_label("Adgangskode").fill("correct-horse-battery-staple")
    page.get_by_role("button", name="Fortsæt").click()
    page.wait_for_load_state("domcontentloaded")
    # then they are asked to enrol an authenticator (QR code and key), accessibly
    visit(page, page.url)
    secret = page.locator("#totp-secret").inner_text()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    # when they enter the code the app would show
    page.get_by_label("6-cifret kode fra din autentificeringsapp").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Log ind").click()
    page.wait_for_load_state("domcontentloaded")
    # then they are signed in on their start page
    assert f"/{municipality.slug}/" in page.url
    assert "Tove Totp" in page.content()
    visit(page, page.url)
