import datetime

import pytest
from django.utils import timezone

from jobunivers.citizens import selectors, services
from jobunivers.citizens.contracts import JobLogEntryAdded, OnboardingCompleted, PlanItemChanged
from jobunivers.citizens.models import (
    CreatedByKind,
    JobLogEntry,
    JobLogKind,
    OnboardingAnswers,
    PlanItem,
    PlanItemStatus,
    PlanItemType,
    PlanItemVersion,
)
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core import events
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ConflictError, ValidationFailed
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db

ANSWERS = {
    "self_assessed_chances": "4", "expected_weeks_to_job": "8", "job_search_confidence": "3",
    "barriers": ["transport"], "digital_skills": "confident", "wants_personal_contact": False,
    "preferred_contact": "virtual", "contact_channels": ["video", "email"], "education_level": "vocational",
    "work_history_summary": "Tømrer i 10 år",
}


@pytest.fixture
def published():
    seen = []
    for event_type in (OnboardingCompleted, JobLogEntryAdded, PlanItemChanged):
        events.subscribe(event_type, seen.append)
    yield seen
    for event_type in (OnboardingCompleted, JobLogEntryAdded, PlanItemChanged):
        if seen.append in events._handlers[event_type]:
            events._handlers[event_type].remove(seen.append)


def test_onboarding_saves_answers_adds_intro_meeting_and_publishes(municipality, django_capture_on_commit_callbacks,
                                                                  published):
    # given a citizen
    citizen = CitizenFactory(municipality=municipality)
    # when they submit the questionnaire
    with django_capture_on_commit_callbacks(execute=True):
        services.onboarding_answers_submit(actor=citizen.user, citizen=citizen, data=ANSWERS)
    # then the answers are there for screening, the intro meeting is planned, and the event went out
    with tenant_context(municipality):
        answers = selectors.screening_answers_for(citizen_id=citizen.pk)
        items = list(selectors.plan_items_for(citizen_id=citizen.pk))
    assert answers.self_assessed_chances == 4
    assert answers.barriers == ("transport",)
    assert answers.contact_channels == ("video", "email")
    assert answers.revision == 1
    assert [(i.item_type, i.created_by_kind) for i in items] == [(PlanItemType.MEETING, CreatedByKind.SYSTEM)]
    assert OnboardingCompleted(citizen_id=citizen.pk, municipality_id=municipality.pk, revision=1) in published


def test_revising_the_questionnaire_keeps_one_intro_meeting(municipality, django_capture_on_commit_callbacks):
    # given a citizen who answered once
    citizen = CitizenFactory(municipality=municipality)
    services.onboarding_answers_submit(actor=citizen.user, citizen=citizen, data=ANSWERS)
    # when they revise
    services.onboarding_answers_submit(actor=citizen.user, citizen=citizen, data={**ANSWERS, "digital_skills": "needs_help"})
    # then there is one answer set at revision 2 and still one intro meeting
    answers = OnboardingAnswers.all_tenants.get(citizen=citizen)
    assert (answers.revision, answers.digital_skills) == (2, "needs_help")
    assert PlanItem.all_tenants.filter(citizen=citizen).count() == 1
    with tenant_context(municipality):
        assert selectors.wants_more_support(citizen=citizen) is True


def test_bad_questionnaire_is_refused_and_nothing_is_saved(municipality):
    citizen = CitizenFactory(municipality=municipality)
    with pytest.raises(ValidationFailed) as error:
        services.onboarding_answers_submit(actor=citizen.user, citizen=citizen,
                                           data={**ANSWERS, "self_assessed_chances": "9", "barriers": ["nonsense"]})
    assert set(error.value.messages) == {"self_assessed_chances", "barriers"}
    assert OnboardingAnswers.all_tenants.count() == 0
    assert PlanItem.all_tenants.count() == 0


def test_another_user_cannot_answer_for_the_citizen(municipality, member):
    citizen = CitizenFactory(municipality=municipality)
    staff = member(Role.JOB_ADVISER, municipality)
    with pytest.raises(ValidationFailed):
        services.onboarding_answers_submit(actor=staff, citizen=citizen, data=ANSWERS)
    assert OnboardingAnswers.all_tenants.count() == 0


def test_plan_item_update_keeps_versions_and_refuses_stale_edits(municipality, member):
    # given a plan item made by staff
    citizen = CitizenFactory(municipality=municipality)
    staff = member(Role.PERSONAL_CONSULTANT, municipality)
    item = services.plan_item_create(actor=staff, citizen=citizen, item_type=PlanItemType.COURSE, title="Truckkursus")
    # when two tabs edit it from version 1
    services.plan_item_update(actor=staff, plan_item=item, expected_version=1, title="Truckkursus B")
    with pytest.raises(ConflictError):
        services.plan_item_update(actor=staff, plan_item=item, expected_version=1, title="Overwritten?")
    # then the first change stands, and both versions are recorded
    item.refresh_from_db()
    assert (item.title, item.version) == ("Truckkursus B", 2)
    versions = list(PlanItemVersion.all_tenants.filter(plan_item=item).order_by("version").values_list(
        "version", "changed_by_id", "changes"))
    assert versions == [(1, staff.pk, {}), (2, staff.pk, {"title": ["Truckkursus", "Truckkursus B"]})]


def test_citizen_cannot_change_even_the_status_of_an_agreed_item(municipality, member):
    # given a search agreement the job adviser set
    citizen = CitizenFactory(municipality=municipality)
    staff = member(Role.JOB_ADVISER, municipality)
    item = services.plan_item_create(actor=staff, citizen=citizen, item_type=PlanItemType.SEARCH_AGREEMENT,
                                     title="Søg 2 job om ugen", weekly_target=2, agreed_with_job_centre=True)
    # when the citizen tries to lower the target or mark progress
    with pytest.raises(ValidationFailed):
        services.plan_item_update(actor=citizen.user, plan_item=item, expected_version=1, weekly_target=1)
    with pytest.raises(ValidationFailed):
        services.plan_item_update(actor=citizen.user, plan_item=item, expected_version=1,
                                  status=PlanItemStatus.IN_PROGRESS)
    # then nothing changed; the adviser may change it
    item.refresh_from_db()
    assert (item.status, item.weekly_target, item.version) == (PlanItemStatus.PLANNED, 2, 1)
    item = services.plan_item_update(actor=staff, plan_item=item, expected_version=1,
                                     status=PlanItemStatus.IN_PROGRESS)
    assert (item.status, item.version) == (PlanItemStatus.IN_PROGRESS, 2)


def test_citizen_cannot_mark_agreement_and_nonsense_dates_are_refused(municipality):
    citizen = CitizenFactory(municipality=municipality)
    today = timezone.localdate()
    with pytest.raises(ValidationFailed):
        services.plan_item_create(actor=citizen.user, citizen=citizen, item_type=PlanItemType.OWN_ACTIVITY,
                                  title="x", created_by_kind="citizen", agreed_with_job_centre=True)
    with pytest.raises(ValidationFailed) as error:
        services.plan_item_create(actor=citizen.user, citizen=citizen, item_type=PlanItemType.OWN_ACTIVITY,
                                  title="x", created_by_kind="citizen", starts_on=today,
                                  due_on=today - datetime.timedelta(days=1))
    assert list(error.value.messages) == ["due_on"]
    with pytest.raises(ValidationFailed):
        services.plan_item_create(actor=citizen.user, citizen=citizen, item_type=PlanItemType.OWN_ACTIVITY,
                                  title="x", created_by_kind="citizen", due_on=datetime.date(2999, 1, 1))
    assert PlanItem.all_tenants.count() == 0


def test_job_log_entry_publishes_and_counts_by_week_against_the_agreement(
        municipality, member, django_capture_on_commit_callbacks, published):
    # given a citizen with a search agreement of 2 a week
    citizen = CitizenFactory(municipality=municipality)
    staff = member(Role.JOB_ADVISER, municipality)
    services.plan_item_create(actor=staff, citizen=citizen, item_type=PlanItemType.SEARCH_AGREEMENT,
                              title="Søgeaftale", weekly_target=2, starts_on=timezone.localdate(),
                              agreed_with_job_centre=True)
    # when they log two applications this week and one network meeting
    with django_capture_on_commit_callbacks(execute=True):
        entry = services.job_log_entry_add(actor=citizen.user, citizen=citizen, employer="Arla", job_title="Chauffør",
                                           occurred_on=timezone.localdate())
    services.job_log_entry_add(actor=citizen.user, citizen=citizen, employer="Netto", job_title="Lagermedarbejder",
                               occurred_on=timezone.localdate())
    services.job_log_entry_add(actor=citizen.user, citizen=citizen, employer="Jobmesse", job_title="Jobmesse Aarhus",
                               occurred_on=timezone.localdate(), kind=JobLogKind.JOB_FAIR)
    # then the event went out and this week shows 2 of 2 with one other activity
    assert [e for e in published if isinstance(e, JobLogEntryAdded)] == [JobLogEntryAdded(
        citizen_id=citizen.pk, municipality_id=municipality.pk, entry_id=entry.pk, occurred_at=entry.created_at,
        activity_on=timezone.localdate())]
    with tenant_context(municipality):
        weeks = selectors.weekly_job_log_counts(citizen_id=citizen.pk, weeks=3)
        last = selectors.last_job_log_entry_at(citizen_id=citizen.pk)
    assert [(w.count, w.target, w.other_activities) for w in weeks][-1] == (2, 2, 1)
    assert weeks[-1].met is True
    assert weeks[0].count == 0
    assert last == JobLogEntry.all_tenants.latest("created_at").created_at


def test_job_log_refuses_future_dates(municipality):
    citizen = CitizenFactory(municipality=municipality)
    with pytest.raises(ValidationFailed) as error:
        services.job_log_entry_add(actor=citizen.user, citizen=citizen, employer="A", job_title="B",
                                   occurred_on=timezone.localdate() + datetime.timedelta(days=1))
    assert list(error.value.messages) == ["occurred_on"]
    assert JobLogEntry.all_tenants.count() == 0


def test_staff_of_the_municipality_read_plan_and_job_log_and_staff_elsewhere_do_not(
        municipality, other_municipality, member):
    # given a citizen in Aarhus with a plan item and a job log entry
    citizen = CitizenFactory(municipality=municipality)
    services.plan_item_create(actor=citizen.user, citizen=citizen, item_type=PlanItemType.OWN_ACTIVITY,
                              title="Ring til tre virksomheder", created_by_kind="citizen")
    entry = services.job_log_entry_add(actor=citizen.user, citizen=citizen, employer="Arla", job_title="Chauffør",
                                       occurred_on=timezone.localdate())
    aarhus_staff = member(Role.JOB_ADVISER, municipality)
    copenhagen_staff = member(Role.JOB_ADVISER, other_municipality)
    # when staff in Aarhus read through the selectors
    with tenant_context(municipality):
        assert [i.title for i in selectors.plan_items_for(citizen_id=citizen.pk)] == ["Ring til tre virksomheder"]
        assert [e.pk for e in selectors.job_log_for(citizen_id=citizen.pk)] == [entry.pk]
        assert selectors.access_job_log_entry(actor=aarhus_staff, id=entry.pk, purpose="help") == entry
    # then staff in København, acting for their own municipality, see nothing
    with tenant_context(other_municipality):
        assert list(selectors.plan_items_for(citizen_id=citizen.pk)) == []
        assert list(selectors.job_log_for(citizen_id=citizen.pk)) == []
        assert selectors.last_job_log_entry_at(citizen_id=citizen.pk) is None
        assert selectors.screening_answers_for(citizen_id=citizen.pk) is None
        with pytest.raises(Exception) as error:
            selectors.access_job_log_entry(actor=copenhagen_staff, id=entry.pk, purpose="help")
        assert error.type.__name__ == "NotFound"
    # and a Copenhagen staff member cannot reach it even under Aarhus' context
    with tenant_context(municipality):
        with pytest.raises(Exception) as error:
            selectors.access_job_log_entry(actor=copenhagen_staff, id=entry.pk, purpose="help")
        assert error.type.__name__ == "NotFound"


def test_profiles_for_matching_carries_occupations_and_costs_four_queries(municipality, other_municipality,
                                                                         django_assert_num_queries):
    from jobunivers.citizens.tests.helpers import make_occupation
    from jobunivers.taxonomy.models import Postcode

    # given citizens in two municipalities with profiles and occupations
    truck = make_occupation("Truckfører", "8344")
    nurse = make_occupation("Sygeplejerske", "2221")
    postcode = Postcode.objects.create(code="8000", name="Aarhus C", latitude=56.15, longitude=10.2,
                                       municipality_code="0751")
    for index in range(6):
        citizen = CitizenFactory(municipality=municipality if index % 2 else other_municipality, postcode=postcode)
        profile = services.profile_get_or_create(citizen=citizen)
        services.profile_update(actor=citizen.user, citizen=citizen, data={"keywords": "lager, nat"},
                                expected_version=profile.version, occupation_ids=[truck.pk, nurse.pk])
    # when matching reads them nationally, and for one municipality
    with django_assert_num_queries(4):
        every = selectors.profiles_for_matching()
    aarhus = selectors.profiles_for_matching(municipality_id=municipality.pk)
    # then each contract has the occupations in order, coordinates and keywords
    assert len(every) == 6 and len(aarhus) == 3
    assert {p.municipality_id for p in aarhus} == {municipality.pk}
    first = every[0]
    assert (first.occupation_ids, first.isco_codes) == ((truck.pk, nurse.pk), ("8344", "2221"))
    assert (first.home_postcode, first.latitude, first.keywords) == ("8000", 56.15, ("lager", "nat"))


@pytest.mark.parametrize("order", [(0, 1, 2), (2, 0, 1), (1, 2, 0), (2, 1, 0)])
def test_occupations_sought_keep_the_citizens_order(municipality, order):
    from jobunivers.citizens.tests.helpers import make_occupation

    # given three occupations and a citizen who names them in some order
    occupations = [make_occupation(f"Fag {index}", f"{9000 + index}") for index in range(3)]
    wanted = [occupations[index].pk for index in order]
    citizen = CitizenFactory(municipality=municipality)
    profile = services.profile_get_or_create(citizen=citizen)
    # when the profile is saved with them, then again in reverse
    profile = services.profile_update(actor=citizen.user, citizen=citizen, data={}, expected_version=profile.version,
                                      occupation_ids=wanted)
    first = selectors.profiles_for_matching(municipality_id=municipality.pk)[0].occupation_ids
    services.profile_update(actor=citizen.user, citizen=citizen, data={}, expected_version=profile.version,
                            occupation_ids=list(reversed(wanted)))
    second = selectors.profiles_for_matching(municipality_id=municipality.pk)[0].occupation_ids
    # then matching sees them in the citizen's order both times
    assert (first, second) == (tuple(wanted), tuple(reversed(wanted)))
