"""Following for real (issue 20): new postings from a followed employer or occupation field come first in
the feed with the reason, and as a job notice within the daily cap (ADR 0045), only when notices are on."""

import pytest
from django.utils import translation

from jobunivers.core.context import tenant_context
from jobunivers.employers.models import Follow, Organisation
from jobunivers.employers.services import organisations_index
from jobunivers.matching import fanout, selectors
from jobunivers.matching.models import Interaction
from jobunivers.notifications.models import Notification

from .helpers import citizen_seeking, occupation, posting

pytestmark = pytest.mark.django_db
DEFAULT_DAILY_CAP = 3


@pytest.fixture
def carpenter():
    return occupation("tømrer", "7115")


@pytest.fixture
def nurse():
    return occupation("sygeplejerske", "2221")


def _follow(citizen, organisation_name: str, *, notify=True) -> Follow:
    return Follow.all_tenants.create(municipality_id=citizen.municipality_id, citizen=citizen, kind="employer",
                                     organisation=Organisation.objects.get(name=organisation_name), notify=notify)


def test_a_followed_employers_new_posting_goes_first_in_the_feed_with_the_reason(municipality, carpenter, nurse):
    # given a carpenter who follows a hospital (not their trade), and carpenter jobs that rank well
    citizen = citizen_seeking(municipality, [carpenter])
    jobs = [posting(f"Tømrer {n}", carpenter, employer="Byg A/S") for n in range(3)]
    hospital_job = posting("Portør", nurse, employer="Aarhus Universitetshospital", days_old=2)
    organisations_index(posting_ids=[j.pk for j in [*jobs, hospital_job]])
    _follow(citizen, "Aarhus Universitetshospital")
    # when the citizen's feed is read
    with tenant_context(municipality), translation.override("da"):
        feed = selectors.feed_for(citizen_id=citizen.pk, limit=20)
    # then the followed posting is first, marked, with "Du følger …" as its first reason; the rest follow
    first = feed.items[0]
    assert (first.posting_id, first.followed, first.reasons[0].text_da) == (
        hospital_job.pk, True, "Du følger Aarhus Universitetshospital")
    assert {i.posting_id for i in feed.items[1:]} == {j.pk for j in jobs}
    assert not any(i.followed for i in feed.items[1:])


def test_a_followed_posting_the_citizen_dismissed_is_not_put_first(municipality, carpenter):
    citizen = citizen_seeking(municipality, [carpenter])
    job = posting("Tømrer", carpenter, employer="Byg A/S")
    organisations_index(posting_ids=[job.pk])
    _follow(citizen, "Byg A/S")
    Interaction.all_tenants.create(municipality=municipality, citizen=citizen, posting=job, kind="dismiss")
    with tenant_context(municipality):
        feed = selectors.feed_for(citizen_id=citizen.pk)
    assert [i.posting_id for i in feed.items] == []


def test_a_followed_employers_posting_is_a_notice_even_below_the_threshold(municipality, carpenter, nurse):
    # given a carpenter following a hospital, whose porter job would never match them by score
    citizen = citizen_seeking(municipality, [carpenter])
    hospital_job = posting("Portør", nurse, employer="Aarhus Universitetshospital")
    organisations_index(posting_ids=[hospital_job.pk])
    _follow(citizen, "Aarhus Universitetshospital")
    # when it is fanned out
    report = fanout.fanout_postings(posting_ids=[hospital_job.pk], index=fanout.build_index())
    # then the citizen gets one job notice that says why
    notice = Notification.all_tenants.get()
    assert (notice.recipient_id, notice.kind, notice.subject_key) == (citizen.user_id, "job_match",
                                                                      f"posting:{hospital_job.pk}")
    assert notice.body.startswith("Du følger Aarhus Universitetshospital · ")
    assert report.notices_created == 1


def test_no_notice_when_the_citizen_turned_notices_off(municipality, carpenter, nurse):
    citizen = citizen_seeking(municipality, [carpenter])
    hospital_job = posting("Portør", nurse, employer="Aarhus Universitetshospital")
    organisations_index(posting_ids=[hospital_job.pk])
    _follow(citizen, "Aarhus Universitetshospital", notify=False)
    report = fanout.fanout_postings(posting_ids=[hospital_job.pk], index=fanout.build_index())
    assert (report.notices_created, Notification.all_tenants.count()) == (0, 0)


def test_followed_postings_come_first_within_the_daily_cap(municipality, carpenter, nurse):
    # given a carpenter matched by six carpenter jobs, who follows an occupation field with two new jobs
    citizen = citizen_seeking(municipality, [carpenter])
    carpentry = [posting(f"Tømrer {n}", carpenter) for n in range(6)]
    nursing = [posting(f"Sygeplejerske {n}", nurse, employer="Hospital") for n in range(2)]
    Follow.all_tenants.create(municipality=municipality, citizen=citizen, kind="occupation_field", isco_code="222")
    # when the whole import is fanned out
    report = fanout.fanout_postings(posting_ids=[j.pk for j in [*carpentry, *nursing]], index=fanout.build_index())
    # then the cap holds, and both followed jobs are among the notices
    subjects = set(Notification.all_tenants.filter(recipient_id=citizen.user_id).values_list("subject_key", flat=True))
    assert report.notices_created == DEFAULT_DAILY_CAP == len(subjects)
    assert {f"posting:{j.pk}" for j in nursing} <= subjects
    # and a later run the same day gives them nothing more
    later = posting("Sygeplejerske 3", nurse, employer="Hospital")
    again = fanout.fanout_postings(posting_ids=[later.pk], index=fanout.build_index())
    assert (again.notices_created, again.capped) == (0, 1)
