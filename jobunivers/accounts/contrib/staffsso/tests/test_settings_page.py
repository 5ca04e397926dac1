"""The administrator's staff sign-in page: configuration, role mappings, validation, break-glass list."""

from django.utils import translation

from jobunivers.accounts.contrib.nemlogin.testing import LocalIdP
from jobunivers.accounts.contrib.staffsso.services import break_glass_record
from jobunivers.accounts.models import BreakGlassSignIn, StaffIdentityProvider, StaffRoleMapping
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role


def _form(**overrides):
    data = {"kind": "oidc", "is_enabled": "on", "saml_metadata": "", "oidc_issuer": "https://login.microsoftonline.com/t/v2.0",
            "oidc_client_id": "jobunivers", "oidc_client_secret": "s3cret", "roles_claim": "", "assurance_claim": "",
            "mapping-TOTAL_FORMS": "2", "mapping-INITIAL_FORMS": "0", "mapping-MIN_NUM_FORMS": "0",
            "mapping-MAX_NUM_FORMS": "1000",
            "mapping-0-claim_value": "grp-vejledere", "mapping-0-role": Role.JOB_ADVISER,
            "mapping-1-claim_value": "", "mapping-1-role": ""}
    data.update(overrides)
    return data


def test_the_administrator_configures_oidc_and_mappings(municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    client = client_for(admin)
    url = murl(municipality, "accounts:staff_sso_settings")
    assert client.get(url).status_code == 200
    response = client.post(url, _form())
    assert response.status_code == 302
    idp = StaffIdentityProvider.objects.get(municipality=municipality)
    assert (idp.kind, idp.is_enabled, idp.oidc_client_secret) == ("oidc", True, "s3cret")
    assert list(StaffRoleMapping.objects.values_list("claim_value", "role")) == [("grp-vejledere", Role.JOB_ADVISER)]
    # saving again without a secret keeps the saved one; mappings are replaced
    response = client.post(url, _form(**{"oidc_client_secret": "", "mapping-0-role": Role.PERSONAL_CONSULTANT}))
    assert response.status_code == 302
    idp.refresh_from_db()
    assert idp.oidc_client_secret == "s3cret"
    assert list(StaffRoleMapping.objects.values_list("role", flat=True)) == [Role.PERSONAL_CONSULTANT]
    assert "s3cret" not in client.get(url).content.decode()


def test_bad_input_gets_danish_errors_and_nothing_is_saved(municipality, member):
    client = client_for(member(Role.MUNICIPALITY_ADMIN, municipality))
    url = murl(municipality, "accounts:staff_sso_settings")
    with translation.override("da"):
        response = client.post(url, _form(**{"oidc_issuer": "http://evil.example/", "mapping-0-role": "",
                                             "oidc_client_secret": ""}), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    body = response.content.decode()
    assert "Udstederen skal være en https-adresse" in body
    assert "Vælg den rolle, det giver i Jobunivers." in body
    assert "Indtast klienthemmeligheden." in body
    assert not StaffIdentityProvider.objects.exists() and not StaffRoleMapping.objects.exists()


def test_saml_metadata_must_describe_one_identity_provider_with_a_certificate(municipality, member, tmp_path):
    client = client_for(member(Role.MUNICIPALITY_ADMIN, municipality))
    url = murl(municipality, "accounts:staff_sso_settings")
    with translation.override("da"):
        response = client.post(url, _form(kind="kombit", saml_metadata="<not xml"), HTTP_ACCEPT_LANGUAGE="da")
    assert response.status_code == 400
    assert "Metadata er ikke gyldig XML." in response.content.decode()
    response = client.post(url, _form(kind="kombit", saml_metadata=LocalIdP(tmp_path).metadata()))
    assert response.status_code == 302
    assert StaffIdentityProvider.objects.get().kind == "kombit"


def test_other_roles_may_not_open_the_page(municipality, member):
    url = murl(municipality, "accounts:staff_sso_settings")
    assert client_for(member(Role.JOB_ADVISER, municipality)).get(url).status_code == 403


def test_break_glass_accounts_and_their_sign_ins_are_listed(municipality, member):
    admin = member(Role.MUNICIPALITY_ADMIN, municipality)
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Bodil", last_name="Breakglass")
    member(Role.JOB_ADVISER, municipality, first_name="Nina", last_name="Normal")
    adviser.is_break_glass = True
    adviser.save(update_fields=["is_break_glass"])
    assert break_glass_record(user=adviser) == 1
    body = client_for(admin).get(murl(municipality, "accounts:staff_sso_settings")).content.decode()
    assert body.count("Bodil Breakglass") == 2 and "Nina Normal" not in body
    assert BreakGlassSignIn.all_tenants.filter(municipality=municipality, user=adviser).count() == 1


def test_a_break_glass_sign_in_with_totp_is_recorded(municipality, member, settings):
    from django.test import Client
    from django_otp.oath import totp
    from django_otp.plugins.otp_totp.models import TOTPDevice
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    adviser.is_break_glass = True
    adviser.save(update_fields=["is_break_glass"])
    device = TOTPDevice.objects.create(user=adviser, name="x", confirmed=True)
    client = Client()
    client.post("/log-ind/medarbejder/", {"username": adviser.username, "password": "correct-horse-battery-staple"})
    response = client.post("/log-ind/medarbejder/kode/", {"token": f"{totp(device.bin_key):06d}"})
    assert response.status_code == 302
    assert BreakGlassSignIn.all_tenants.filter(user=adviser, municipality=municipality).count() == 1


def test_an_administrator_of_a_can_neither_see_nor_change_bs_provider(municipality, other_municipality, member):
    # given B's provider and mappings, and an administrator of A (who is nobody in B)
    StaffIdentityProvider.objects.create(municipality=other_municipality, kind="oidc", is_enabled=True,
                                         oidc_issuer="https://b.example", oidc_client_id="b-client",
                                         oidc_client_secret="b-secret")
    StaffRoleMapping.objects.create(municipality=other_municipality, claim_value="b-group", role=Role.JOB_ADVISER)
    client = client_for(member(Role.MUNICIPALITY_ADMIN, municipality))
    # when they open or post B's page
    b_url = murl(other_municipality, "accounts:staff_sso_settings")
    assert client.get(b_url).status_code in (403, 404)
    assert client.post(b_url, _form(oidc_client_id="a-took-over")).status_code in (403, 404)
    # then B is unchanged, and A's own page shows nothing of B
    b = StaffIdentityProvider.objects.get(municipality=other_municipality)
    assert (b.oidc_client_id, b.oidc_client_secret) == ("b-client", "b-secret")
    assert list(StaffRoleMapping.objects.filter(municipality=other_municipality).values_list("claim_value", flat=True)) \
        == ["b-group"]
    body = client.get(murl(municipality, "accounts:staff_sso_settings")).content.decode()
    assert "b-group" not in body and "b.example" not in body and "b-client" not in body
    # and saving A's page does not touch B's mappings
    assert client.post(murl(municipality, "accounts:staff_sso_settings"), _form()).status_code == 302
    assert StaffRoleMapping.objects.filter(municipality=other_municipality).count() == 1
