"""Second review (issue 21): a monthly sample of decisions, reviewed by another staff member."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.errors import ValidationFailed
from jobunivers.core.testing import client_for, murl
from jobunivers.segmentation import services
from jobunivers.segmentation.models import Decision, SecondReview
from jobunivers.segmentation.tests.factories import decision, suggestion
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def _decisions(municipality, member, adviser, count, at):
    for _number in range(count):
        decision(suggestion(member(Role.CITIZEN, municipality).citizen), by=adviser, at=at)


def test_sample_draws_last_months_decisions_once(municipality, member):
    # given 30 decisions in October and 3 in November
    adviser = member(Role.JOB_ADVISER, municipality)
    _decisions(municipality, member, adviser, 30, timezone.make_aware(datetime.datetime(2026, 10, 15, 10)))
    _decisions(municipality, member, adviser, 3, timezone.make_aware(datetime.datetime(2026, 11, 2, 10)))
    # when the sample is drawn on 1 November
    drawn = services.second_review_sample(municipality_id=municipality.pk, today=datetime.date(2026, 11, 1))
    # then 5 October decisions (the minimum) are drawn, and a second run draws nothing
    assert len(drawn) == 5
    october = set(Decision.all_tenants.filter(created_at__month=10).values_list("id", flat=True))
    assert set(SecondReview.all_tenants.values_list("decision_id", flat=True)) <= october
    assert services.second_review_sample(municipality_id=municipality.pk, today=datetime.date(2026, 11, 1)) == []
    assert SecondReview.all_tenants.count() == 5


def test_review_is_recorded_by_another_staff_member_only(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    second = member(Role.JOB_ADVISER, municipality)
    made = decision(suggestion(member(Role.CITIZEN, municipality).citizen), by=adviser)
    review = SecondReview.all_tenants.create(municipality=municipality, decision=made, citizen=made.citizen,
                                             month=datetime.date(2026, 10, 1))
    # the one who decided cannot review, and disagreeing needs a comment: nothing is written
    with pytest.raises(ValidationFailed):
        services.second_review_record(actor=adviser, review_id=review.pk, agrees=True)
    with pytest.raises(ValidationFailed):
        services.second_review_record(actor=second, review_id=review.pk, agrees=False, comment="  ")
    review.refresh_from_db()
    assert (review.reviewed_at, review.agrees, review.reviewer_id) == (None, None, None)
    # another staff member records a disagreement with a reason
    done = services.second_review_record(actor=second, review_id=review.pk, agrees=False,
                                         comment="Helbred taler for en fast kontakt.")
    assert (done.agrees, done.comment, done.reviewer_id) == (False, "Helbred taler for en fast kontakt.", second.pk)
    with pytest.raises(ValidationFailed):
        services.second_review_record(actor=second, review_id=review.pk, agrees=True)


def test_review_page_records_and_logs_access(municipality, member):
    adviser = member(Role.JOB_ADVISER, municipality)
    second = member(Role.JOB_ADVISER, municipality)
    citizen_user = member(Role.CITIZEN, municipality, first_name="Rie", last_name="Revision")
    made = decision(suggestion(citizen_user.citizen), by=adviser)
    review = SecondReview.all_tenants.create(municipality=municipality, decision=made, citizen=made.citizen,
                                             month=datetime.date(2026, 10, 1))
    client = client_for(second)
    page = client.get(murl(municipality, "segmentation:second_review")).content.decode()
    assert "Rie Revision" in page
    response = client.post(murl(municipality, "segmentation:second_review"), {"review_id": review.pk, "agrees": "yes"})
    assert response.status_code == 302
    review.refresh_from_db()
    assert review.agrees is True and review.reviewer_id == second.pk
    assert AccessLogEntry.all_tenants.filter(citizen_id=made.citizen_id, what="segmentation: second review").exists()
    bad = client.post(murl(municipality, "segmentation:second_review"), {"review_id": review.pk})
    assert bad.status_code == 400
