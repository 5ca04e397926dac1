import datetime

import pytest
from django.utils import timezone

from jobunivers.caseworker.models import Push, PushRecipient
from jobunivers.citizens.models import Profile
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.jobs.models import JobPosting
from jobunivers.notifications.models import Notification
from jobunivers.taxonomy.models import Occupation, Postcode

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting(municipality):
    aarhus = Postcode.objects.create(code="8000", name="Aarhus C", latitude=56.15, longitude=10.21, municipality_code="0751")
    occupation = Occupation.objects.create(uri="http://data.europa.eu/esco/occupation/test-smed", preferred_label="Smed",
                                           isco_code="7221")
    posting = JobPosting.objects.create(source="test", external_id="1", title="Smed til værksted", employer_name="Værk A/S",
                                        occupation=occupation, isco_code="7221", postcode="8000", city="Aarhus C",
                                        municipality_code="0751", latitude=56.16, longitude=10.2,
                                        published_at=timezone.now(), changed_at=timezone.now())
    return aarhus, occupation, posting


def _seeker(municipality, postcode, occupation, name, radius=30):
    citizen = CitizenFactory(municipality=municipality, postcode=postcode, user__first_name=name,
                             registered_on=timezone.localdate() - datetime.timedelta(weeks=10))
    profile = Profile.all_tenants.create(municipality=municipality, citizen=citizen, radius_km=radius)
    if occupation is not None:
        profile.occupations.add(occupation)
    return citizen


def test_assistant_finds_citizens_for_a_posting_and_pushes_once(municipality, member, setting,
                                                                  django_capture_on_commit_callbacks):
    aarhus, occupation, posting = setting
    smith = _seeker(municipality, aarhus, occupation, "Smedeline")
    _seeker(municipality, aarhus, None, "Andenanden")
    assistant = member("job_journey_assistant", municipality)
    client = client_for(assistant)
    # when the assistant previews the best matches for the posting
    query = f"posting_id={posting.pk}&cap=10"
    page = client.get(murl(municipality, "caseworker:find") + "?" + query).content.decode()
    # then only the citizen seeking the occupation is in the preview, with the reason
    assert "Smedeline" in page and "Andenanden" not in page
    assert "Søger Smed" in page
    # when they push it, twice (a double click)
    for key in ("k1", "k2"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(murl(municipality, "caseworker:push_create"),
                        {"query": query, "idempotency_key": key, "kind": "posting", "message": "Se her"})
    # then the citizen has one notice, and both records say who was reached
    notices = Notification.all_tenants.filter(recipient=smith.user, kind="job_suggestion")
    assert notices.count() == 1
    assert [p.recipient_count for p in Push.all_tenants.order_by("id")] == [1, 0]
    assert set(PushRecipient.all_tenants.values_list("citizen_id", flat=True)) == {smith.pk}


def test_push_by_query_respects_the_cap_and_is_recorded(municipality, member, setting):
    aarhus, occupation, _posting = setting
    for index in range(5):
        _seeker(municipality, aarhus, occupation, f"Smed{index}")
    assistant = member("job_journey_assistant", municipality)
    query = f"occupation_id={occupation.pk}&cap=3"
    response = client_for(assistant).post(murl(municipality, "caseworker:push_create"), {
        "query": query, "idempotency_key": "abc", "kind": "content", "title": "Kursus i svejsning",
        "link": "/aarhus/kurser/svejsning/", "message": ""})
    push = Push.all_tenants.get()
    assert response.status_code == 302
    assert (push.matched_count, push.cap, push.recipient_count, push.kind) == (5, 3, 3, "content")
    assert PushRecipient.all_tenants.count() == 3
    assert Notification.all_tenants.filter(kind="general", title="Kursus i svejsning").count() == 3


def test_push_only_reaches_own_municipality(municipality, other_municipality, member, setting):
    aarhus, occupation, _posting = setting
    _seeker(other_municipality, aarhus, occupation, "Koebenhavner")
    assistant = member("job_journey_assistant", municipality)
    client_for(assistant).post(murl(municipality, "caseworker:push_create"), {
        "query": f"occupation_id={occupation.pk}&cap=3", "idempotency_key": "x", "kind": "content",
        "title": "Kursus", "link": "", "message": ""})
    assert Push.all_tenants.count() == 0 and Notification.all_tenants.count() == 0


def test_staff_send_one_job_to_one_citizen(municipality, member, setting):
    _aarhus, _occupation, posting = setting
    adviser = member("job_adviser", municipality)
    citizen = CitizenFactory(municipality=municipality)
    client_for(adviser).post(murl(municipality, "caseworker:send", citizen_id=citizen.pk),
                             {"kind": "posting", "posting_id": posting.pk, "idempotency_key": "one"})
    notice = Notification.all_tenants.get(recipient=citizen.user)
    assert (notice.kind, notice.subject_key, notice.title) == ("job_suggestion", f"posting:{posting.pk}",
                                                                "Smed til værksted, Værk A/S")


def test_population_overview_counts_and_charts(municipality, member, setting):
    aarhus, occupation, _posting = setting
    for index in range(3):
        _seeker(municipality, aarhus, occupation, f"P{index}")
    page = client_for(member("job_journey_assistant", municipality)).get(
        murl(municipality, "caseworker:population")).content.decode()
    assert "3 borgere i Aarhus." in page
    assert page.count('role="img"') == 4
    assert "<td>Smed</td><td>3</td><td>1</td><td>0,33</td>" in page
    assert "<td>8000 Aarhus C</td><td>3</td><td>1</td>" in page


def test_overview_names_one_recipient_in_the_singular(municipality, member, setting):
    aarhus, occupation, _posting = setting
    _seeker(municipality, aarhus, occupation, "Eneste")
    assistant = member("job_journey_assistant", municipality)
    client_for(assistant).post(murl(municipality, "caseworker:push_create"), {
        "query": f"occupation_id={occupation.pk}&cap=3", "idempotency_key": "one", "kind": "content",
        "title": "Kursus i svejsning", "link": "", "message": ""})
    page = client_for(assistant).get(murl(municipality, "caseworker:overview")).content.decode()
    assert "Kursus i svejsning, sendt af" in page
    assert "til 1 borger —" in page
