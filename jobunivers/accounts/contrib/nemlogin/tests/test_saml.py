import logging

import pytest
from django.test import Client

from jobunivers.accounts.cpr import cpr_hash
from jobunivers.accounts.models import CitizenIdentity, SamlRequest, SamlSession, User
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.selectors import settings_for

CPR = "0101901234"


def _start(client, municipality):
    response = client.get(f"/{municipality.slug}/log-ind/mitid/")
    assert response.status_code == 302, response.content
    return response["Location"]


def _post(client, answer):
    return client.post("/saml2/acs/", {"SAMLResponse": answer.saml_response, "RelayState": answer.relay_state})


def test_happy_path_creates_the_citizen_with_a_protected_cpr(idp, municipality, caplog):
    # given a browser that starts a MitID login in Aarhus
    client = Client()
    redirect = _start(client, municipality)
    # then the AuthnRequest is signed (the IdP verifies it) and goes to the IdP
    assert redirect.startswith("http://idp.local.test/sso?")
    assert "Signature=" in redirect and CPR not in redirect
    # when the IdP answers with a signed assertion at level Substantial
    with caplog.at_level(logging.INFO):
        response = _post(client, idp.answer(redirect, cpr=CPR, first_name="Karen", last_name="Jensen"))
    # then the citizen is signed in, in Aarhus, and sent to their start page
    assert response.status_code == 302
    assert response["Location"] == f"/{municipality.slug}/hjem/"
    identity = CitizenIdentity.objects.get()
    assert identity.cpr_hash == cpr_hash(CPR)
    assert CPR.encode() not in bytes(identity.cpr_encrypted)
    assert identity.cpr_masked() == "010190-xxxx"
    user = identity.user
    assert (user.first_name, user.last_name, user.has_usable_password()) == ("Karen", "Jensen", False)
    assert Membership.objects.filter(user=user, municipality=municipality, role="citizen").exists()
    assert SamlSession.objects.filter(user=user).count() == 1
    assert client.session["_auth_user_id"] == str(user.pk)
    assert CPR not in caplog.text and "010190" not in caplog.text


def test_a_returning_citizen_is_found_by_the_keyed_hash(idp, municipality):
    for _ in range(2):
        client = Client()
        _post(client, idp.answer(_start(client, municipality), cpr=CPR))
    assert User.objects.count() == 1 and CitizenIdentity.objects.count() == 1


def _refused(response, caplog, reason):
    assert response.status_code == 403
    assert "_auth_user_id" not in response.wsgi_request.session
    assert f"reason={reason}" in caplog.text
    assert CPR not in caplog.text and CPR not in response.content.decode()
    assert CitizenIdentity.objects.count() == 0
    assert response.content.decode().count("<h1") == 1


def test_unsigned_assertion_is_refused(idp, municipality, caplog):
    client = Client()
    response = _post(client, idp.answer(_start(client, municipality), sign=False))
    _refused(response, caplog, "signature")


def test_assertion_signed_with_another_key_is_refused(idp, municipality, caplog):
    client = Client()
    response = _post(client, idp.answer(_start(client, municipality), rogue_key=True))
    _refused(response, caplog, "signature")


def test_wrong_audience_is_refused(idp, municipality, caplog):
    client = Client()
    response = _post(client, idp.answer(_start(client, municipality), audience="https://another-sp.example/"))
    _refused(response, caplog, "audience")


def test_expired_answer_is_refused(idp, municipality, caplog, monkeypatch):
    client = Client()
    answer = idp.answer(_start(client, municipality))
    import saml2.time_util
    real_now = saml2.time_util.utc_now
    monkeypatch.setattr(saml2.time_util, "utc_now", lambda: real_now() + 2 * 3600)
    response = _post(client, answer)
    _refused(response, caplog, "expired")


def test_replayed_answer_is_refused(idp, municipality, caplog):
    # given an answer that was accepted once
    client = Client()
    answer = idp.answer(_start(client, municipality))
    assert _post(client, answer).status_code == 302
    client.logout()
    CitizenIdentity.objects.all().delete()
    # when the same answer is posted again, even from a browser that has started a new login
    _start(client, municipality)
    response = _post(client, answer)
    # then it is refused
    _refused(response, caplog, "replayed")


def test_replayed_assertion_is_refused_even_for_an_open_request(idp, municipality, caplog):
    # given an assertion id that was already used (recorded), and a request still open for it
    from jobunivers.accounts.models import SeenAssertion
    client = Client()
    answer = idp.answer(_start(client, municipality))
    import base64
    import re
    assertion_id = re.search(r'<ns\d:Assertion[^>]* ID="([^"]+)"', base64.b64decode(answer.saml_response).decode())
    SeenAssertion.objects.create(assertion_id=assertion_id.group(1), not_on_or_after="2999-01-01T00:00:00Z")
    # when it arrives
    response = _post(client, answer)
    # then it is refused as a replay, and the request stays unanswered
    _refused(response, caplog, "replayed")


def test_answer_in_another_browser_is_refused(idp, municipality, caplog):
    answer = idp.answer(_start(Client(), municipality))
    response = _post(Client(), answer)
    _refused(response, caplog, "replayed")
    assert SamlRequest.objects.get().consumed_at is None


@pytest.mark.parametrize("level", ["Low"])
def test_assurance_level_below_the_municipalitys_is_refused(idp, municipality, caplog, level):
    client = Client()
    response = _post(client, idp.answer(_start(client, municipality), loa=level))
    _refused(response, caplog, "assurance")


def test_assurance_level_high_is_required_when_the_municipality_says_so(idp, municipality, caplog):
    policy = settings_for(municipality)
    policy.required_assurance_level = "high"
    policy.save()
    client = Client()
    response = _post(client, idp.answer(_start(client, municipality), loa="Substantial"))
    _refused(response, caplog, "assurance")


@pytest.mark.parametrize("fault", [{"spec_version": "OIO-SAML-2.0"}, {"omit": ("https://data.gov.dk/model/core/eid/cprNumber",)},
                                   {"cpr": "not-a-cpr"}, {"loa": "Medium"}])
def test_unknown_attribute_set_is_refused(idp, municipality, caplog, fault):
    client = Client()
    response = _post(client, idp.answer(_start(client, municipality), **fault))
    _refused(response, caplog, "attributes")


def test_metadata_is_published(idp):
    response = Client().get("/saml2/metadata/")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'AuthnRequestsSigned="true"' in body and "http://testserver/saml2/acs/" in body


def test_single_logout_ends_our_session_and_sends_a_signed_logout_request(idp, municipality):
    # given a citizen signed in through the IdP
    client = Client()
    _post(client, idp.answer(_start(client, municipality)))
    assert SamlSession.objects.count() == 1
    # when they log out
    response = client.post("/saml2/log-ud/")
    # then our session is gone and the IdP gets a LogoutRequest it can verify (signed, for that person)
    assert response.status_code == 302 and response["Location"].startswith("http://idp.local.test/slo?")
    assert "_auth_user_id" not in client.session
    from urllib.parse import parse_qs, urlparse
    query = {k: v[0] for k, v in parse_qs(urlparse(response["Location"]).query).items()}
    request = idp.server.parse_logout_request(query["SAMLRequest"], "urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect",
                                              relay_state=query.get("RelayState"), sigalg=query["SigAlg"],
                                              signature=query["Signature"])
    assert request.message.name_id.text.startswith("https://data.gov.dk/model/core/eid/person/uuid/")
    assert SamlSession.objects.count() == 0


def test_logout_started_by_the_idp_ends_our_sessions_for_that_person(idp, municipality):
    # given a citizen signed in through the IdP
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.saml import name_id_from_string
    from saml2.xmldsig import SIG_RSA_SHA256
    client = Client()
    _post(client, idp.answer(_start(client, municipality)))
    record = SamlSession.objects.get()
    # when the IdP sends a signed LogoutRequest for that person
    _id, request = idp.server.create_logout_request(
        "http://testserver/saml2/ls/", idp.entity_id, name_id=name_id_from_string(record.name_id), sign=False)
    info = idp.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), "http://testserver/saml2/ls/",
                                    relay_state="", sign=True, sigalg=SIG_RSA_SHA256)
    location = dict(info["headers"])["Location"].removeprefix("http://testserver")
    response = Client().get(location)
    # then our session for them is gone and the IdP gets a LogoutResponse
    assert response.status_code == 302 and response["Location"].startswith("http://idp.local.test/slo?")
    assert SamlSession.objects.count() == 0
    assert client.get(f"/{municipality.slug}/mine-data/").status_code == 302


def test_an_unsigned_logout_request_is_refused(idp, municipality):
    from saml2 import BINDING_HTTP_REDIRECT
    from saml2.saml import NAMEID_FORMAT_PERSISTENT, NameID
    _id, request = idp.server.create_logout_request(
        "http://testserver/saml2/ls/", idp.entity_id,
        name_id=NameID(format=NAMEID_FORMAT_PERSISTENT, text="someone"), sign=False)
    info = idp.server.apply_binding(BINDING_HTTP_REDIRECT, str(request), "http://testserver/saml2/ls/",
                                    relay_state="", sign=False)
    response = Client().get(dict(info["headers"])["Location"].removeprefix("http://testserver"))
    assert response.status_code == 400
