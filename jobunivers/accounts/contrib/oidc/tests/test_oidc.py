import logging

import pytest
import requests
from django.core.cache import cache
from django.test import Client

from jobunivers.accounts.contrib.oidc.testing import LocalOidcProvider
from jobunivers.accounts.cpr import cpr_hash
from jobunivers.accounts.models import CitizenIdentity
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.selectors import settings_for


@pytest.fixture
def provider(settings):
    local = LocalOidcProvider()
    settings.SITE_URL = "http://testserver"
    settings.OIDC_ISSUER, settings.OIDC_CLIENT_ID = local.issuer, local.client_id
    settings.OIDC_CLIENT_SECRET, settings.OIDC_CPR_CLAIM, settings.OIDC_LOA_CLAIM = local.client_secret, "cpr", "loa"
    cache.clear()
    yield local
    local.shutdown()
    cache.clear()


def _login(client, municipality):
    start = client.get(f"/{municipality.slug}/log-ind/mitid-broker/")
    assert start.status_code == 302
    # the browser follows to the provider, which sends it back with a code
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    assert answer.status_code == 302
    callback = answer.headers["Location"]
    assert callback.startswith("http://testserver/oidc/callback/?")
    return callback.removeprefix("http://testserver"), client.get(callback.removeprefix("http://testserver"))


def test_happy_path_signs_in_the_citizen(provider, municipality):
    client = Client()
    _, response = _login(client, municipality)
    assert response.status_code == 302 and response["Location"] == f"/{municipality.slug}/hjem/"
    identity = CitizenIdentity.objects.get()
    assert identity.cpr_hash == cpr_hash("0101901234") and identity.provider == "oidc"
    assert (identity.user.first_name, identity.user.last_name) == ("Olga", "Oidc")
    assert Membership.objects.filter(user=identity.user, municipality=municipality, role="citizen").exists()
    assert client.session["_auth_user_id"] == str(identity.user.pk)


def _refused(response, caplog, reason):
    assert response.status_code == 403
    assert "_auth_user_id" not in response.wsgi_request.session
    assert f"reason={reason}" in caplog.text and "0101901234" not in caplog.text
    assert CitizenIdentity.objects.count() == 0


@pytest.mark.parametrize(("fault", "reason"), [
    ({"rogue_key": True}, "signature"),
    ({"audience": True}, "audience"),
    ({"expired": True}, "expired"),
    ({"nonce": True}, "replayed"),
    ({"omit": ("cpr",)}, "attributes"),
])
def test_faulty_id_tokens_are_refused(provider, municipality, caplog, fault, reason):
    provider.faults = fault
    with caplog.at_level(logging.WARNING):
        _, response = _login(Client(), municipality)
    _refused(response, caplog, reason)


def test_assurance_level_below_the_municipalitys_is_refused(provider, municipality, caplog):
    provider.next_identity = {"loa": "https://data.gov.dk/concept/core/nsis/loa/Low"}
    _, response = _login(Client(), municipality)
    _refused(response, caplog, "assurance")
    policy = settings_for(municipality)
    policy.required_assurance_level = "low"
    policy.save()
    _, response = _login(Client(), municipality)
    assert response.status_code == 302


def test_replayed_callback_is_refused(provider, municipality, caplog):
    client = Client()
    callback, first = _login(client, municipality)
    assert first.status_code == 302
    client.logout()
    CitizenIdentity.objects.all().delete()
    _refused(client.get(callback), caplog, "replayed")


def test_callback_from_another_browser_is_refused(provider, municipality, caplog):
    start = Client().get(f"/{municipality.slug}/log-ind/mitid-broker/")
    answer = requests.get(start["Location"], allow_redirects=False, timeout=5)
    _refused(Client().get(answer.headers["Location"].removeprefix("http://testserver")), caplog, "replayed")
