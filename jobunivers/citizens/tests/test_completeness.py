"""How complete the profile is (the start page's percentage and next step), read from the matching
profile, must say the same as when it is read from the profile record (the profile page)."""

import datetime

import pytest
from django.utils import translation

from jobunivers.citizens import selectors
from jobunivers.citizens.models import CvDocument, Education, Profile, WorkExperience
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context
from jobunivers.taxonomy.tests.factories import OccupationFactory, PostcodeFactory

pytestmark = pytest.mark.django_db


def _both(citizen):
    with tenant_context(citizen.municipality), translation.override("en"):
        from_profile = selectors.profile_completeness(citizen=citizen)
        record = Profile.objects.filter(citizen=citizen).first()
        from_record = selectors.profile_completeness(citizen=citizen, profile=record) if record else None
    return from_profile, from_record


def test_a_citizen_without_a_profile_is_told_to_start_with_occupations():
    # given a citizen who has only a postcode
    citizen = CitizenFactory(postcode=PostcodeFactory())
    # when the completeness is read
    percent, missing = _both(citizen)[0]
    # then one check of ten is met (the postcode) and occupations come first
    assert percent == 20  # the postcode, and "a second occupation" which needs a first
    assert missing[0] == "Add the occupations you are looking for; it is what matching relies on most."
    assert "Add your home postcode so we can find jobs within your radius." not in missing


def test_the_matching_profile_and_the_record_agree_check_by_check():
    # given a citizen with one occupation, skills as text, work experience without a title, an education
    citizen = CitizenFactory(postcode=None)
    profile = Profile.all_tenants.create(municipality=citizen.municipality, citizen=citizen, skills_text="truck",
                                         hours_per_week=37, languages=["Dansk"])
    profile.occupations.add(OccupationFactory())
    WorkExperience.all_tenants.create(municipality=citizen.municipality, citizen=citizen, employer="Netto", title="",
                                      started_on=datetime.date(2020, 1, 1))
    # when it is read both ways, before and after an education and a CV are added
    before = _both(citizen)
    Education.all_tenants.create(municipality=citizen.municipality, citizen=citizen, title="Lagerlogistik")
    CvDocument.all_tenants.create(municipality=citizen.municipality, citizen=citizen, storage_name="cv-1",
                                  original_name="cv.pdf", content_type="application/pdf", size_bytes=10)
    after = _both(citizen)
    # then both ways give the same percentage and the same missing steps, in order
    assert before[0] == before[1] == (50, [
        "Add a second occupation to see more relevant jobs.",
        "Add your home postcode so we can find jobs within your radius.",
        "Add your education.",
        "Choose the types of employment you want.",
        "Upload your CV.",
    ])
    assert after[0] == after[1] == (70, [
        "Add a second occupation to see more relevant jobs.",
        "Add your home postcode so we can find jobs within your radius.",
        "Choose the types of employment you want.",
    ])
