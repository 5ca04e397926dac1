import json
import time

from jobunivers.audit.models import AccessLogEntry, ErasureRequest
from jobunivers.audit.selectors import consent_given, profiling_objected
from jobunivers.audit.services import access_log_record
from jobunivers.citizens.models import Citizen
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.models import Membership
from jobunivers.tenancy.roles import Role


def _citizen(member, municipality, **kwargs):
    user = member(Role.CITIZEN, municipality, **kwargs)
    return user, Citizen.all_tenants.get(user=user)


def test_my_data_shows_data_by_purpose_and_staff_lookups_without_names(member, municipality):
    # given a citizen whose case a consultant opened
    user, citizen = _citizen(member, municipality, first_name="Kirsten", last_name="Kodeord")
    consultant = member(Role.PERSONAL_CONSULTANT, municipality, first_name="Sagsbehandler", last_name="Navnesen")
    access_log_record(actor=consultant, municipality_id=municipality.pk, citizen_id=citizen.pk, action="read",
                      purpose="availability", what="job log", role=Role.PERSONAL_CONSULTANT)
    # when the citizen opens My data
    response = client_for(user).get(murl(municipality, "audit:my_data"))
    # then the data, the purposes, and the look-up (role, not name) are shown
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert "Kirsten" in page
    assert "Bruges til at hjælpe dig" in page
    assert "Personlig jobkonsulent" in page or "Personal job consultant" in page
    assert "job log" in page
    assert "Navnesen" not in page


def test_staff_cannot_open_my_data(member, municipality):
    adviser = member(Role.JOB_ADVISER, municipality)
    assert client_for(adviser).get(murl(municipality, "audit:my_data")).status_code == 403


def test_json_export_follows_the_schema(member, municipality):
    user, citizen = _citizen(member, municipality, first_name="Jens")
    response = client_for(user).get(murl(municipality, "audit:my_data_json"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="mine-data-')
    data = json.loads(response.content)
    assert data["schema_version"] == "1.0"
    sources = {s["source"]: s for s in data["sections"]}
    assert sources["accounts.user"]["records"][0]["first_name"] == "Jens"
    assert sources["citizens.citizen"]["records"][0]["birth_year"] == 1990
    assert sources["tenancy.membership"]["purpose"] == "help"
    assert data["staff_lookups"] == []


def test_consents_are_saved_and_take_effect(member, municipality):
    user, _ = _citizen(member, municipality)
    client = client_for(user)
    response = client.post(murl(municipality, "audit:my_consents"), {"personalisation": "on",
                                                                       "object_to_profiling": "on"})
    assert response.status_code == 302
    assert consent_given(user_id=user.pk, purpose="personalisation") is True
    assert profiling_objected(user_id=user.pk) is True
    client.post(murl(municipality, "audit:my_consents"), {})
    assert consent_given(user_id=user.pk, purpose="personalisation") is False
    assert profiling_objected(user_id=user.pk) is False


def test_erasure_needs_a_recent_login_and_confirmation(member, municipality):
    user, citizen = _citizen(member, municipality, first_name="Slet")
    client = client_for(user)
    url = murl(municipality, "audit:my_erasure")
    session = client.session
    session["jobunivers_auth_at"] = time.time() - 3600
    session.save()
    # an old login is refused and nothing is erased
    assert client.post(url, {"confirm": "on"}).status_code == 403
    user.refresh_from_db()
    assert user.first_name == "Slet" and ErasureRequest.objects.count() == 0
    session = client.session
    session["jobunivers_auth_at"] = time.time()
    session.save()
    # without the tick nothing happens either
    response = client.post(url, {})
    assert response.status_code == 400
    assert "Sæt kryds" in response.content.decode()
    user.refresh_from_db()
    assert user.first_name == "Slet"


def test_erasure_removes_or_anonymises_and_lists_what_is_kept(member, municipality):
    # given a citizen with consents and a staff look-up
    user, citizen = _citizen(member, municipality, first_name="Slet", email="slet@example.org")
    adviser = member(Role.JOB_ADVISER, municipality)
    access_log_record(actor=adviser, municipality_id=municipality.pk, citizen_id=citizen.pk, action="read",
                      purpose="help", what="overview", role=Role.JOB_ADVISER)
    client = client_for(user)  # force_login sets a fresh login time
    client.post(murl(municipality, "audit:my_consents"), {"personalisation": "on"})
    # when they erase
    response = client.post(murl(municipality, "audit:my_erasure"), {"confirm": "on"})
    # then the account is anonymised and closed, the citizen record emptied, the log kept
    assert response.status_code == 200
    page = response.content.decode()
    assert "Opbevares efter loven" in page or "Kept by law" in page
    user.refresh_from_db()
    citizen = Citizen.all_tenants.get(pk=citizen.pk)
    assert (user.first_name, user.email, user.is_active, user.has_usable_password()) == ("", "", False, False)
    assert citizen.birth_year is None
    assert consent_given(user_id=user.pk, purpose="personalisation") is False
    assert Membership.objects.filter(user=user, is_active=True).count() == 0
    assert AccessLogEntry.all_tenants.filter(citizen_id=citizen.pk).count() == 1
    receipt = ErasureRequest.objects.get()
    assert receipt.status == "done" and {"source": "accounts.user", "category": "Din konto"} in receipt.erased
    # and the session has ended
    assert client.get(murl(municipality, "audit:my_data")).status_code == 302
