import datetime
import json
import re
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


def test_my_data_shows_each_staff_look_up_as_a_sentence_with_role_name_what_when_and_purpose(
        member, municipality, monkeypatch):
    # given a citizen whose plan a job adviser looked at on 4 December 2026 at 10.12 Danish time
    user, citizen = _citizen(member, municipality, first_name="Kirsten", last_name="Kodeord")
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")
    monkeypatch.setattr("django.utils.timezone.now",
                        lambda: datetime.datetime(2026, 12, 4, 9, 12, tzinfo=datetime.UTC))
    access_log_record(actor=adviser, municipality_id=municipality.pk, citizen_id=citizen.pk, action="read",
                      purpose="help", what="plan: agreed activity", role=Role.JOB_ADVISER)
    access_log_record(actor=adviser, municipality_id=municipality.pk, citizen_id=citizen.pk, action="read",
                      purpose="availability", what="send form", role=Role.JOB_ADVISER)
    monkeypatch.undo()
    # when the citizen opens My data
    response = client_for(user).get(murl(municipality, "audit:my_data"))
    # then each look-up reads as a sentence, newest first, and no log code is shown
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    assert re.findall(r"<li>(Jobrådgiver [^<]*)</li>", page) == [
        "Jobrådgiver Aisha Johansen så din sag for at sende dig et job eller et tilbud, 4. december 2026 kl. 10.12, "
        "formål: kontrol af rådighed",
        "Jobrådgiver Aisha Johansen så din plan, 4. december 2026 kl. 10.12, formål: hjælp",
    ]
    assert "send form" not in page and "agreed activity" not in page
    assert "Bruges til at hjælpe dig" in page


def test_my_data_shows_danish_labels_formatted_dates_and_lists(member, municipality):
    # given a citizen with a job profile that lists employment types
    from jobunivers.citizens.models import Profile

    user, citizen = _citizen(member, municipality, first_name="Kirsten", email="kirsten@example.org")
    from jobunivers.accounts.cpr import cpr_hash, encrypt_cpr
    from jobunivers.accounts.models import CitizenIdentity
    from jobunivers.taxonomy.models import Skill

    Skill.objects.create(uri="http://data.europa.eu/esco/skill/test-truck", preferred_label="føre gaffeltruck")
    Profile.all_tenants.create(municipality=municipality, citizen=citizen, employment_types=["full_time", "part_time"],
                               remote_ok=True, skill_uris=["http://data.europa.eu/esco/skill/test-truck"])
    CitizenIdentity.objects.create(user=user, provider="nemlogin", cpr_hash=cpr_hash("0507924321"),
                                   cpr_encrypted=encrypt_cpr("0507924321"), assurance_level="substantial")
    user.date_joined = datetime.datetime(2026, 3, 2, 8, 5, tzinfo=datetime.UTC)
    user.save(update_fields=["date_joined"])
    # when the citizen opens My data
    page = client_for(user).get(murl(municipality, "audit:my_data")).content.decode()
    # then fields carry their Danish labels, times are Danish, lists are lists, yes is "Ja"
    assert "<dt>Fornavn</dt><dd>Kirsten</dd>" in page
    assert "<dd>2. marts 2026 kl. 09.05</dd>" in page
    assert "<li>Fuldtid</li><li>Deltid</li>" in page
    assert "<dt>Åben for fjernarbejde</dt><dd>Ja</dd>" in page
    assert "<dt>Sprog</dt><dd>–</dd>" in page
    assert "<dd><ul><li>føre gaffeltruck</li></ul></dd>" in page
    assert "<dt>Logget ind med</dt><dd>MitID (NemLog-in)</dd>" in page
    assert "<dt>Sikringsniveau</dt><dd>betydelig</dd>" in page
    assert "esco/skill" not in page and "substantial" not in page
    assert "first_name" not in page and "date_joined" not in page and "full_time" not in page
    assert re.search(r"\d{4}-\d{2}-\d{2}T", page) is None
    assert "[&#x27;" not in page and "['" not in page


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
    assert set(sources["accounts.user"]["records"][0]) == {
        "username", "first_name", "last_name", "email", "phone", "date_joined", "last_login"}


def test_json_export_keeps_machine_keys_and_codes_for_staff_look_ups(member, municipality):
    # given a look-up of the citizen's case
    user, citizen = _citizen(member, municipality)
    adviser = member(Role.JOB_ADVISER, municipality, first_name="Aisha", last_name="Johansen")
    entry = access_log_record(actor=adviser, municipality_id=municipality.pk, citizen_id=citizen.pk, action="read",
                              purpose="help", what="citizen overview", role=Role.JOB_ADVISER)
    # when the citizen downloads the JSON export
    data = json.loads(client_for(user).get(murl(municipality, "audit:my_data_json")).content)
    # then the look-up keeps its stable keys and codes (the page is what translates them)
    assert data["staff_lookups"] == [{"when": entry.created_at.isoformat(), "action": "read", "purpose": "help",
                                      "role": "job_adviser", "what": "citizen overview"}]


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
