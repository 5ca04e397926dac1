import pytest
from django.test import override_settings
from django.utils import timezone

from jobunivers.audit.privacy import registration_for, uncovered_models
from jobunivers.citizens import services
from jobunivers.citizens.models import (
    CvDocument,
    JobLogEntry,
    OnboardingAnswers,
    PlanItem,
    PlanItemType,
    Profile,
    WorkExperience,
)
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.testing import client_for, murl
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

ANSWERS = {"self_assessed_chances": 2, "expected_weeks_to_job": 20, "job_search_confidence": 2,
           "digital_skills": "basic", "preferred_contact": "physical"}


def test_every_citizens_model_with_personal_data_is_registered():
    assert [label for label in uncovered_models() if label.startswith("citizens.")] == []
    assert registration_for(JobLogEntry).purpose == "availability"
    assert registration_for(JobLogEntry).erase is None


def test_erasure_removes_help_data_and_keeps_availability_documentation(municipality, member, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    # given a citizen with answers, profile, experience, a CV, their own and an agreed activity, and a job log
    citizen = CitizenFactory(municipality=municipality)
    user = citizen.user
    staff = member(Role.JOB_ADVISER, municipality)
    services.onboarding_answers_submit(actor=user, citizen=citizen, data=ANSWERS)
    profile = services.profile_get_or_create(citizen=citizen)
    services.profile_update(actor=user, citizen=citizen, data={"summary": "Om mig"}, expected_version=profile.version)
    services.work_experience_add(actor=user, citizen=citizen, employer="Arla", title="Chauffør",
                                 started_on=timezone.localdate())
    services.plan_item_create(actor=user, citizen=citizen, item_type=PlanItemType.OWN_ACTIVITY, title="Egen",
                              created_by_kind="citizen")
    services.plan_item_create(actor=staff, citizen=citizen, item_type=PlanItemType.SEARCH_AGREEMENT, title="Aftale",
                              weekly_target=2, agreed_with_job_centre=True)
    services.job_log_entry_add(actor=user, citizen=citizen, employer="Arla", job_title="Chauffør",
                               occurred_on=timezone.localdate())
    with override_settings(PRIVATE_MEDIA_ROOT=tmp_path):
        services.cv_upload(actor=user, citizen=citizen, uploaded_file=SimpleUploadedFile("cv.pdf", b"%PDF-1.4 test"))
        export = registration_for(PlanItem).export(user)
        assert sorted(item["title"] for item in export) == ["Aftale", "Egen", "Intromøde med en jobrådgiver"]
        # when every citizens eraser runs, as "erase my data" does
        from django.db import transaction

        with transaction.atomic():
            for model in (OnboardingAnswers, Profile, WorkExperience, CvDocument, PlanItem):
                registration_for(model).erase(user)
    # then help data is gone, and what documents availability and agreements is kept
    assert OnboardingAnswers.all_tenants.count() == Profile.all_tenants.count() == 0
    assert WorkExperience.all_tenants.count() == CvDocument.all_tenants.count() == 0
    assert sorted(PlanItem.all_tenants.values_list("title", flat=True)) == ["Aftale", "Intromøde med en jobrådgiver"]
    assert JobLogEntry.all_tenants.count() == 1
    assert registration_for(JobLogEntry).export(user)[0]["employer"] == "Arla"


def test_job_log_and_plan_pages_have_a_bounded_number_of_queries(municipality, django_assert_max_num_queries):
    # given a citizen with many entries and activities
    citizen = CitizenFactory(municipality=municipality)
    today = timezone.localdate()
    JobLogEntry.all_tenants.bulk_create([
        JobLogEntry(municipality=municipality, citizen=citizen, employer=f"E{n}", job_title="T",
                    occurred_on=today - timezone.timedelta(days=n % 50)) for n in range(120)])
    for n in range(30):
        services.plan_item_create(actor=citizen.user, citizen=citizen, item_type=PlanItemType.OWN_ACTIVITY,
                                  title=f"A{n}", created_by_kind="citizen")
    client = client_for(citizen.user)
    services.welcome_mark_seen(actor=citizen.user, citizen=citizen)
    # then each page costs the same few queries however much there is
    # the start page also gathers the personal diagnosis (its facts, when none is stored yet) and the
    # postings of what the citizen follows (issue 20): a fixed number more, whatever the citizen's data;
    # "employers likely to hire" adds one more here (the profile read: this citizen seeks no occupation;
    # eleven for one who does, employers/tests/test_home.py)
    for name, most in (("citizens:job_log", 25), ("citizens:plan", 25), ("citizens:home", 46),
                       ("citizens:profile", 25)):
        with django_assert_max_num_queries(most):
            assert client.get(murl(municipality, name)).status_code == 200


def test_my_data_shows_plan_item_versions_as_sentences(municipality, member):
    # given a plan item with one recorded change
    from jobunivers.audit.presentation import present_record
    from jobunivers.audit.privacy import registration_for

    registration = registration_for("citizens.PlanItem")
    record = {"type": "own_activity", "created_by": "staff",
              "versions": [{"version": 2, "when": "2026-12-04T09:12:00+00:00", "by": "citizen",
                            "changes": {"title": ["Gammel", "Ny"]}}]}
    # when it is shown on Mine data
    shown = present_record(record, registration)
    # then labels, choices and the version are in plain Danish
    assert [(f.label, f.text, f.items) for f in shown] == [
        ("Type", "Egen aktivitet", []),
        ("Oprettet af", "Jobcenteret", []),
        ("Ændringer", "", ["Version 2, 4. december 2026 kl. 10.12, af dig: titel"]),
    ]
