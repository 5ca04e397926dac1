"""Daily re-segmentation: explained transitions from explicit actions only, and automatic
assignment of a personal consultant after repeated inactivity (round-robin, capacity)."""

import datetime

import pytest
from django.utils import timezone

from jobunivers.accounts.models import User
from jobunivers.core.context import tenant_context
from jobunivers.segmentation import selectors, services
from jobunivers.segmentation.contracts import CitizenNotices, ConsultantAssigned
from jobunivers.segmentation.models import ConsultantAssignment, InteractionState, Transition
from jobunivers.segmentation.tests.factories import assignment, register_data
from jobunivers.tenancy.roles import Role
from jobunivers.tenancy.selectors import settings_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    from jobunivers.core.events import _handlers

    seen = []
    for event_type in (CitizenNotices, ConsultantAssigned):
        _handlers[event_type].append(seen.append)
    yield seen
    for event_type in (CitizenNotices, ConsultantAssigned):
        _handlers[event_type].remove(seen.append)


def _login(user, when):
    User.objects.filter(pk=user.pk).update(last_login=when)


def _thresholds(municipality, *, reminder=14, consultant=28, capacity=60):
    municipal = settings_for(municipality)
    municipal.inactivity_reminder_days, municipal.inactivity_consultant_days = reminder, consultant
    municipal.consultant_capacity = capacity
    municipal.save()


def test_inactivity_leads_to_reminders_then_an_automatic_consultant_and_both_are_told(
        municipality, member, django_capture_on_commit_callbacks, events):
    # given a citizen who last logged in 20 days ago, and one personal consultant
    _thresholds(municipality)
    citizen_user = member(Role.CITIZEN, municipality)
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    now = timezone.now()
    _login(citizen_user, now - datetime.timedelta(days=20))
    # when the daily run happens
    with django_capture_on_commit_callbacks(execute=True):
        first = services.resegment_municipality(municipality_id=municipality.pk, now=now)
    # then they move to reminders, with the reason logged
    with tenant_context(municipality):
        [transition] = selectors.transitions_for(citizen_id=citizen_user.citizen.pk)
    assert (transition.from_state, transition.to_state) == (InteractionState.STANDARD, InteractionState.REMINDERS)
    assert transition.reasons == [{"code": "inactive", "days": 20}]
    assert first.transitions == 1 and first.assigned == 0
    # when nothing happens for another 10 days (30 days inactive >= 28)
    with django_capture_on_commit_callbacks(execute=True):
        later = services.resegment_municipality(municipality_id=municipality.pk, now=now + datetime.timedelta(days=10))
    # then a personal consultant is assigned automatically, and both are told
    with tenant_context(municipality):
        current = selectors.current_consultant(citizen_id=citizen_user.citizen.pk)
        assert current.consultant_id == consultant.pk and current.automatic is True
        assert selectors.interaction_for(citizen_id=citizen_user.citizen.pk).state == InteractionState.CONSULTANT
        assert [a.citizen_id for a in selectors.caseload_of(consultant_user_id=consultant.pk)] == [
            citizen_user.citizen.pk]
    assert later.assigned == 1
    assert [e.consultant_user_id for e in events if isinstance(e, ConsultantAssigned)] == [consultant.pk]
    keys = [n.subject_key for e in events if isinstance(e, CitizenNotices) for n in e.notices]
    assert len([k for k in keys if k.startswith("segmentation-transition:")]) == 2
    assert len([k for k in keys if k.startswith("segmentation-consultant:")]) == 1


def test_running_twice_the_same_day_changes_nothing_more(municipality, member):
    _thresholds(municipality)
    citizen_user = member(Role.CITIZEN, municipality)
    now = timezone.now()
    _login(citizen_user, now - datetime.timedelta(days=20))
    services.resegment_municipality(municipality_id=municipality.pk, now=now)
    again = services.resegment_municipality(municipality_id=municipality.pk, now=now)
    assert again.transitions == 0
    assert Transition.all_tenants.count() == 1


def test_an_active_citizen_stays_standard_and_returns_from_reminders(municipality, member):
    _thresholds(municipality)
    citizen_user = member(Role.CITIZEN, municipality)
    now = timezone.now()
    _login(citizen_user, now - datetime.timedelta(days=2))
    services.resegment_municipality(municipality_id=municipality.pk, now=now)
    with tenant_context(municipality):
        assert selectors.interaction_for(citizen_id=citizen_user.citizen.pk).state == InteractionState.STANDARD
    assert Transition.all_tenants.count() == 0
    # given they went quiet and got reminders, then logged in again
    services.resegment_municipality(municipality_id=municipality.pk, now=now + datetime.timedelta(days=15))
    _login(citizen_user, now + datetime.timedelta(days=16))
    services.resegment_municipality(municipality_id=municipality.pk, now=now + datetime.timedelta(days=17))
    with tenant_context(municipality):
        states = [(t.from_state, t.to_state, t.reasons[0]["code"])
                  for t in selectors.transitions_for(citizen_id=citizen_user.citizen.pk)]
    assert states == [("reminders", "standard", "active_again"), ("standard", "reminders", "inactive")]


def test_unanswered_pushes_come_from_a_pluggable_source(municipality, member):
    _thresholds(municipality)
    settings = settings_for(municipality)
    settings.unanswered_pushes_threshold = 3
    settings.save()
    citizen_user = member(Role.CITIZEN, municipality)
    now = timezone.now()
    _login(citizen_user, now)
    services.unanswered_push_source_register("test", lambda m, ids: {citizen_user.citizen.pk: 3})
    try:
        services.resegment_municipality(municipality_id=municipality.pk, now=now)
    finally:
        services._push_sources.pop("test")
    with tenant_context(municipality):
        [transition] = selectors.transitions_for(citizen_id=citizen_user.citizen.pk)
    assert transition.reasons == [{"code": "unanswered_pushes", "count": 3}]


def test_round_robin_respects_capacity_and_leaves_the_rest_for_staff(municipality, member):
    # given two consultants with capacity 1 each, one already full, and three citizens long inactive
    _thresholds(municipality, reminder=14, consultant=28, capacity=1)
    full, free = member(Role.PERSONAL_CONSULTANT, municipality), member(Role.PERSONAL_CONSULTANT, municipality)
    assignment(member(Role.CITIZEN, municipality).citizen, full)
    citizens = [member(Role.CITIZEN, municipality) for _ in range(3)]
    now = timezone.now()
    for user in User.objects.filter(memberships__role=Role.CITIZEN):
        _login(user, now - datetime.timedelta(days=40))
    # when two daily runs pass (reminders first, then consultant)
    services.resegment_municipality(municipality_id=municipality.pk, now=now)
    result = services.resegment_municipality(municipality_id=municipality.pk, now=now + datetime.timedelta(days=1))
    # then only the free consultant gets one citizen; the others wait for staff
    assert (result.assigned, result.without_capacity) == (1, 2)
    automatic = ConsultantAssignment.all_tenants.filter(automatic=True)
    assert [a.consultant_id for a in automatic] == [free.pk]
    with tenant_context(municipality):
        waiting = set(selectors.unassigned_citizens(municipality_id=municipality.pk).values_list("id", flat=True))
    assert len(waiting) == 2 and waiting <= {u.citizen.pk for u in citizens}


def test_round_robin_rotates_between_consultants(municipality, member):
    first, second = member(Role.PERSONAL_CONSULTANT, municipality), member(Role.PERSONAL_CONSULTANT, municipality)
    chosen = services.next_consultant(municipality_id=municipality.pk, sizes={}, after_user_id=first.pk)
    assert chosen == second.pk
    assert services.next_consultant(municipality_id=municipality.pk, sizes={}, after_user_id=second.pk) == first.pk


def test_deregistered_citizens_are_not_reviewed(municipality, member):
    _thresholds(municipality)
    citizen = member(Role.CITIZEN, municipality).citizen
    register_data(citizen, outcome="job", outcome_on=datetime.date(2026, 10, 1))
    result = services.resegment_municipality(municipality_id=municipality.pk,
                                             now=timezone.now() + datetime.timedelta(days=60))
    assert (result.reviewed, result.transitions) == (0, 0)


def test_the_daily_task_reviews_every_active_municipality(municipality, other_municipality, member):
    from jobunivers.segmentation.tasks import resegment_municipality
    from jobunivers.tenancy.services import municipality_activate

    municipality_activate(municipality=municipality)
    member(Role.CITIZEN, municipality)
    assert resegment_municipality(municipality.pk)["reviewed"] == 1
