"""Staff sign-in through a local OpenID Connect provider with group claims (as Entra ID sends them)."""

import logging

import pytest
import requests
from django.test import Client

from jobunivers.accounts.models import StaffIdentity
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role

from .conftest import ADVISER_GROUP

SUBSTANTIAL = "https://data.gov.dk/concept/core/nsis/loa/Substantial"


def _login(client, municipality):
    start = client.get(f"/{municipality.slug}/log-ind/medarbejder/kommune/")
    assert start.status_code == 302
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    callback = answer.headers["Location"].removeprefix("http://testserver")
    assert callback.startswith(f"/{municipality.slug}/oidc/medarbejder/callback/?")
    return callback, client.get(callback)


def _roles(user, municipality):
    return sorted(Membership.objects.filter(user=user, municipality=municipality, is_active=True)
                  .values_list("role", flat=True))


def test_groups_give_roles_and_sign_the_caseworker_in(oidc_provider, municipality):
    oidc_provider.next_identity = {"sub": "entra-oid-1", "groups": [ADVISER_GROUP, "other"], "loa": SUBSTANTIAL,
                                   "given_name": "Olga", "family_name": "Oidc", "email": "olga@aarhus.dk"}
    client = Client()
    _, response = _login(client, municipality)
    assert response.status_code == 302 and response["Location"] == f"/{municipality.slug}/hjem/"
    user = StaffIdentity.all_tenants.get().user
    assert (user.first_name, user.email) == ("Olga", "olga@aarhus.dk")
    assert _roles(user, municipality) == [Role.PERSONAL_CONSULTANT]
    assert client.session["jobunivers_auth_provider"] == "staff_oidc"


def test_a_withdrawn_group_removes_the_membership_at_the_next_sign_in(oidc_provider, municipality, caplog):
    oidc_provider.next_identity = {"sub": "entra-oid-1", "groups": [ADVISER_GROUP, "jobcenter-vejledere"],
                                   "loa": SUBSTANTIAL}
    _login(Client(), municipality)
    user = StaffIdentity.all_tenants.get().user
    assert _roles(user, municipality) == [Role.JOB_ADVISER, Role.PERSONAL_CONSULTANT]
    oidc_provider.next_identity["groups"] = ["jobcenter-vejledere"]
    _login(Client(), municipality)
    assert _roles(user, municipality) == [Role.JOB_ADVISER]
    oidc_provider.next_identity["groups"] = []
    client = Client()
    _, response = _login(client, municipality)
    assert response.status_code == 403 and "reason=roles" in caplog.text
    assert _roles(user, municipality) == [] and "_auth_user_id" not in client.session


def _refused(response, caplog, reason):
    assert response.status_code == 403
    assert "_auth_user_id" not in response.wsgi_request.session
    assert f"reason={reason}" in caplog.text
    assert StaffIdentity.all_tenants.count() == 0


@pytest.mark.parametrize(("identity", "fault", "reason"), [
    ({"groups": [ADVISER_GROUP], "loa": SUBSTANTIAL}, {"audience": True}, "audience"),
    ({"groups": [ADVISER_GROUP], "loa": SUBSTANTIAL}, {"expired": True}, "expired"),
    ({"groups": [ADVISER_GROUP], "loa": SUBSTANTIAL}, {"rogue_key": True}, "signature"),
    ({"groups": [ADVISER_GROUP], "loa": SUBSTANTIAL}, {"nonce": True}, "replayed"),
    ({"loa": SUBSTANTIAL}, {}, "roles"),
    ({"groups": [ADVISER_GROUP], "loa": "https://data.gov.dk/concept/core/nsis/loa/Low"}, {}, "assurance"),
    ({"groups": [ADVISER_GROUP]}, {"omit": ("loa",)}, "assurance"),
])
def test_faulty_sign_ins_are_refused(oidc_provider, municipality, caplog, identity, fault, reason):
    oidc_provider.next_identity, oidc_provider.faults = identity, fault
    with caplog.at_level(logging.WARNING):
        _, response = _login(Client(), municipality)
    _refused(response, caplog, reason)


def test_a_replayed_callback_is_refused(oidc_provider, municipality, caplog):
    oidc_provider.next_identity = {"groups": [ADVISER_GROUP], "loa": SUBSTANTIAL}
    client = Client()
    callback, first = _login(client, municipality)
    assert first.status_code == 302
    client.logout()
    StaffIdentity.all_tenants.all().delete()
    _refused(client.get(callback), caplog, "replayed")
