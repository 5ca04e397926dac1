"""Staff sign-in through a local SAML IdP playing KOMBIT's Context Handler and Entra ID."""

import logging

import pytest
from django.test import Client

from jobunivers.accounts.contrib.staffsso.testing import entra_answer, kombit_answer
from jobunivers.accounts.models import SamlRequest, StaffIdentity, User
from jobunivers.core.testing import murl
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role

from .conftest import ADMIN_ROLE, ADVISER_GROUP, CASEWORKER_ROLE


def _start(client, municipality):
    response = client.get(f"/{municipality.slug}/log-ind/medarbejder/kommune/")
    assert response.status_code == 302, response.content
    return response["Location"]


def _post(client, municipality, answer):
    return client.post(f"/{municipality.slug}/saml2/medarbejder/acs/",
                       {"SAMLResponse": answer.saml_response, "RelayState": answer.relay_state})


def _roles(user, municipality):
    return sorted(Membership.objects.filter(user=user, municipality=municipality, is_active=True)
                  .values_list("role", flat=True))


def test_a_caseworker_is_created_from_kombit_user_system_roles(kombit, municipality, caplog):
    client = Client()
    redirect = _start(client, municipality)
    assert redirect.startswith("http://idp.local.test/sso?") and "Signature=" in redirect
    with caplog.at_level(logging.INFO):
        response = _post(client, municipality, kombit_answer(
            kombit, redirect, roles=[CASEWORKER_ROLE, "http://other.system/role/1"],
            constraints={CASEWORKER_ROLE: [("http://sts.kombit.dk/constraints/KLE/1", "17.*")]}))
    assert response.status_code == 302
    assert response["Location"] == f"/{municipality.slug}/hjem/"
    identity = StaffIdentity.all_tenants.get()
    user = identity.user
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Sara", "Sagsbehandler", False)
    assert _roles(user, municipality) == [Role.JOB_ADVISER]
    assert identity.constraints == {CASEWORKER_ROLE: [{"name": "http://sts.kombit.dk/constraints/KLE/1",
                                                       "value": "17.*"}]}
    assert "kombit-user-1" not in identity.subject_hash
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.session["jobunivers_auth_provider"] == "staff_saml"
    # the second factor was the IdP's: the worklist opens even where TOTP is required
    assert client.get(f"/{municipality.slug}/hjem/").status_code == 302


def test_second_factor_is_not_asked_again_after_an_idp_sign_in(kombit, municipality, settings):
    settings.STAFF_REQUIRE_SECOND_FACTOR = True
    client = Client()
    _post(client, municipality, kombit_answer(kombit, _start(client, municipality), roles=[CASEWORKER_ROLE]))
    response = client.get(f"/{municipality.slug}/hjem/", follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == murl(municipality, "caseworker:home")
    assert "_auth_user_id" in client.session


def test_roles_change_and_are_withdrawn_at_the_next_sign_in(kombit, municipality, caplog):
    # given a caseworker who signed in once with the caseworker role
    client = Client()
    _post(client, municipality, kombit_answer(kombit, _start(client, municipality), roles=[CASEWORKER_ROLE]))
    user = User.objects.get(username__startswith="sso-")
    # when they sign in with the administrator role instead
    client = Client()
    response = _post(client, municipality, kombit_answer(kombit, _start(client, municipality), roles=[ADMIN_ROLE]))
    # then the caseworker role is withdrawn and the administrator role given, on the same account
    assert response.status_code == 302
    assert _roles(user, municipality) == [Role.MUNICIPALITY_ADMIN]
    # when every role is withdrawn at the IdP
    client = Client()
    response = _post(client, municipality, kombit_answer(
        kombit, _start(client, municipality), roles=["http://other.system/role/1"]))
    # then the sign-in is refused and the membership is gone
    assert response.status_code == 403 and "reason=roles" in caplog.text
    assert "_auth_user_id" not in client.session
    assert _roles(user, municipality) == []
    assert User.objects.count() == 1


def _refused(response, client, caplog, reason):
    assert response.status_code == 403, response.content
    assert "_auth_user_id" not in client.session
    assert f"reason={reason}" in caplog.text
    assert not Membership.objects.filter(role__in=[Role.JOB_ADVISER, Role.MUNICIPALITY_ADMIN],
                                         is_active=True).exists()
    assert response.content.decode().count("<h1") == 1


def test_missing_role_claim_is_refused_and_creates_nobody(kombit, municipality, caplog):
    client = Client()
    response = _post(client, municipality, kombit_answer(kombit, _start(client, municipality), roles=()))
    _refused(response, client, caplog, "roles")
    assert StaffIdentity.all_tenants.count() == 0 and not User.objects.filter(username__startswith="sso-").exists()


@pytest.mark.parametrize("level", ["Low", "Medium"])
def test_assurance_below_substantial_is_refused(kombit, municipality, caplog, level):
    client = Client()
    response = _post(client, municipality, kombit_answer(kombit, _start(client, municipality),
                                                         roles=[CASEWORKER_ROLE], loa=level))
    _refused(response, client, caplog, "assurance")


def test_the_assurance_level_may_come_as_the_authentication_context(kombit, municipality):
    from jobunivers.accounts.contrib.staffsso.claims import NSIS_LOA
    client = Client()
    response = _post(client, municipality, kombit_answer(kombit, _start(client, municipality),
                                                         roles=[CASEWORKER_ROLE], omit=(NSIS_LOA,)))
    # the local IdP states the level as its NSIS authentication context too: the SP reads it from there
    # (a sign-in with no level at all is refused: see test_oidc.py, which can leave it out entirely)
    assert response.status_code == 302


def test_wrong_audience_is_refused(kombit, municipality, caplog):
    client = Client()
    response = _post(client, municipality, kombit_answer(kombit, _start(client, municipality), roles=[CASEWORKER_ROLE],
                                                         audience="https://another-sp.example/"))
    _refused(response, client, caplog, "audience")


def test_expired_assertion_is_refused(kombit, municipality, caplog, monkeypatch):
    client = Client()
    answer = kombit_answer(kombit, _start(client, municipality), roles=[CASEWORKER_ROLE])
    import saml2.time_util
    real_now = saml2.time_util.utc_now
    monkeypatch.setattr(saml2.time_util, "utc_now", lambda: real_now() + 2 * 3600)
    _refused(_post(client, municipality, answer), client, caplog, "expired")


def test_replayed_assertion_is_refused(kombit, municipality, caplog):
    client = Client()
    answer = kombit_answer(kombit, _start(client, municipality), roles=[CASEWORKER_ROLE])
    assert _post(client, municipality, answer).status_code == 302
    Membership.objects.all().update(is_active=False)
    client = Client()
    _start(client, municipality)
    _refused(_post(client, municipality, answer), client, caplog, "replayed")


def test_unsigned_assertion_is_refused(kombit, municipality, caplog):
    client = Client()
    response = _post(client, municipality, kombit_answer(kombit, _start(client, municipality),
                                                         roles=[CASEWORKER_ROLE], sign=False))
    _refused(response, client, caplog, "signature")


def test_an_answer_for_one_municipality_is_refused_in_another(staff_idp_factory, municipality, other_municipality,
                                                              caplog):
    # given both municipalities use the Context Handler (the same IdP, the same key)
    idp_a = staff_idp_factory(municipality, "kombit")
    staff_idp_factory(other_municipality, "kombit")
    client = Client()
    answer = kombit_answer(idp_a, _start(client, municipality), roles=[CASEWORKER_ROLE])
    # when A's answer is posted to B's assertion consumer
    response = _post(client, other_municipality, answer)
    # then it is refused: it names A's assertion consumer, not B's
    _refused(response, client, caplog, "audience")
    assert SamlRequest.objects.get().consumed_at is None


def test_entra_id_groups_map_to_roles(staff_idp_factory, municipality):
    idp = staff_idp_factory(municipality, "saml", entity_id="https://sts.windows.net/tenant/")
    client = Client()
    response = _post(client, municipality, entra_answer(idp, _start(client, municipality),
                                                        groups=[ADVISER_GROUP, "unrelated-group"]))
    assert response.status_code == 302
    user = StaffIdentity.all_tenants.get().user
    assert (user.first_name, _roles(user, municipality)) == ("Erik", [Role.PERSONAL_CONSULTANT])


def test_password_sign_in_is_refused_where_the_idp_is_on_except_break_glass(kombit, municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality, is_demo=False)
    response = Client().post("/log-ind/medarbejder/", {"username": adviser.username,
                                                       "password": "correct-horse-battery-staple"})
    assert response.status_code == 400
    assert "Din kommune logger medarbejdere ind gennem sit eget login." in response.content.decode()
    adviser.is_break_glass = True
    adviser.save(update_fields=["is_break_glass"])
    response = Client().post("/log-ind/medarbejder/", {"username": adviser.username,
                                                       "password": "correct-horse-battery-staple"})
    assert response.status_code == 302


def test_metadata_names_the_municipalitys_assertion_consumer(kombit, municipality):
    response = Client().get(f"/{municipality.slug}/saml2/medarbejder/metadata/")
    assert response.status_code == 200
    body = response.content.decode()
    assert f"http://testserver/{municipality.slug}/saml2/medarbejder/acs/" in body
    assert 'AuthnRequestsSigned="true"' in body


def test_a_privilege_list_that_is_not_xml_is_refused(kombit, municipality, caplog):
    from jobunivers.accounts.contrib.staffsso.claims import KOMBIT_PRIVILEGES
    client = Client()
    response = _post(client, municipality, kombit_answer(kombit, _start(client, municipality),
                                                         extra={KOMBIT_PRIVILEGES: ["PHByaXZpbGVnZQ=="]}))
    _refused(response, client, caplog, "attributes")
