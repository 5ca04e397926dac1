import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.services import personal_data_erase, personal_data_export
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.feedback.models import PulseAnswer, PulseRequest
from jobunivers.feedback.tasks import purge_feedback
from jobunivers.tenancy.models import MunicipalitySettings

from .helpers import answered, sent

pytestmark = pytest.mark.django_db


def test_questions_and_answers_older_than_the_municipalitys_period_go(municipality, other_municipality):
    # given Aarhus keeps feedback 30 days, København the default 730; answers 40 and 10 days old in both
    MunicipalitySettings.objects.update_or_create(municipality=municipality, defaults={"feedback_retention_days": 30})
    kept = {}
    for place in (municipality, other_municipality):
        for age in (40, 10):
            answer = answered(CitizenFactory(municipality=place), score=3)
            PulseRequest.all_tenants.filter(pk=answer.request_id).update(
                created_at=timezone.now() - datetime.timedelta(days=age))
            kept[(place.pk, age)] = answer.request_id
    # when the purge runs twice
    first, second = purge_feedback.apply().get(), purge_feedback.apply().get()
    # then only Aarhus's 40-day-old question and its answer are gone; the second run deletes nothing
    assert first == {municipality.pk: 1, other_municipality.pk: 0}
    assert second == {municipality.pk: 0, other_municipality.pk: 0}
    assert set(PulseRequest.all_tenants.values_list("pk", flat=True)) == {
        kept[(municipality.pk, 10)], kept[(other_municipality.pk, 40)], kept[(other_municipality.pk, 10)]}
    assert PulseAnswer.all_tenants.count() == 3


def test_the_citizen_gets_their_answers_in_the_export_and_erasure_removes_them(citizen):
    # given an answered question and a skipped one
    answered(citizen, score=2, text="For lang ventetid, Karen")
    from jobunivers.feedback import services
    from jobunivers.feedback.tests.helpers import interaction

    services.pulse_request(interaction=interaction(citizen))
    # when the citizen exports their data
    exported = personal_data_export(user=citizen.user)
    # then both registrations are there, the answer with its redacted comment
    sections = {section["source"]: section["records"] for section in exported["sections"]}
    assert [(r["kind"], r["score"], r["text"]) for r in sections["feedback.pulseanswer"]] == [
        ("booking", 2, "For lang ventetid, [NAVN]")]
    assert [r["status"] for r in sections["feedback.pulserequest"]] == ["sent", "skipped"]
    # when they ask for erasure
    personal_data_erase(user=citizen.user)
    # then nothing of feedback is left
    assert (PulseRequest.all_tenants.count(), PulseAnswer.all_tenants.count()) == (0, 0)


def test_a_sent_question_has_its_expiry_14_days_after(citizen):
    request = sent(citizen)
    assert request.expires_at - request.created_at < datetime.timedelta(days=14, seconds=5)
