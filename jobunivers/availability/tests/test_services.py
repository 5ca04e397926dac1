import datetime

import pytest
from django.utils import timezone

from jobunivers.availability import services
from jobunivers.availability.models import AvailabilityConfirmation, AvailabilityNotice, AvailabilityStatus
from jobunivers.caseworker.models import AvailabilityMirror
from jobunivers.citizens.tests.factories import CitizenFactory
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import ValidationFailed
from jobunivers.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _citizen(municipality, registered_days_ago: int):
    return CitizenFactory(municipality=municipality,
                          registered_on=timezone.localdate() - datetime.timedelta(days=registered_days_ago))


def test_daily_refresh_gives_each_citizen_a_state_and_tells_them_once(municipality, django_capture_on_commit_callbacks):
    # given citizens registered 5, 26, 33 and 50 days ago with no job log
    fresh, near, passed, over = (_citizen(municipality, d) for d in (5, 26, 33, 50))
    # when the daily step runs twice
    with django_capture_on_commit_callbacks(execute=True):
        report = services.statuses_refresh(municipality_id=municipality.pk)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.statuses_refresh(municipality_id=municipality.pk)
    # then each has the right state
    states = dict(AvailabilityStatus.all_tenants.values_list("citizen_id", "state"))
    assert states == {fresh.pk: "active", near.pk: "deadline_near", passed.pk: "deadline_passed",
                      over.pk: "grace_over"}
    assert report.created == 4
    # and the three who moved on were told once each, in the inbox, labelled availability control
    assert report.notices == 3 and second.notices == 0 and second.created == 0
    assert AvailabilityNotice.all_tenants.count() == 3
    titles = sorted(Notification.all_tenants.filter(kind="availability").values_list("title", flat=True))
    assert len(titles) == 3 and all(t.startswith("Rådighed") or "ådighed" in t for t in titles)
    # and the staff workspace's copy knows who is past the deadline
    assert dict(AvailabilityMirror.all_tenants.values_list("citizen_id", "state")) == {
        near.pk: "deadline_near", passed.pk: "deadline_passed", over.pk: "grace_over"}


def test_a_job_log_entry_makes_the_citizen_active_again(municipality, django_capture_on_commit_callbacks):
    # given a citizen past the deadline
    citizen = _citizen(municipality, 33)
    with django_capture_on_commit_callbacks(execute=True):
        services.statuses_refresh(municipality_id=municipality.pk)
    # when the citizen registers a job log entry (through the citizen journey's service and event)
    from jobunivers.citizens.services import job_log_entry_add

    with django_capture_on_commit_callbacks(execute=True), tenant_context(municipality):
        job_log_entry_add(actor=citizen.user, citizen=citizen, employer="Arla", job_title="Mejerist",
                          occurred_on=timezone.localdate())
    # then the state is active and counted from the entry
    status = AvailabilityStatus.all_tenants.get(citizen=citizen)
    assert status.state == "active"
    assert status.last_action_kind == "job_log_entry"
    assert status.deadline_on == timezone.localdate() + datetime.timedelta(days=30)
    assert AvailabilityMirror.all_tenants.get(citizen=citizen).state == "active"


def test_confirmation_by_the_citizen_counts_as_an_explicit_action(municipality, django_capture_on_commit_callbacks):
    citizen = _citizen(municipality, 40)
    with django_capture_on_commit_callbacks(execute=True):
        services.statuses_refresh(municipality_id=municipality.pk)
        # when the citizen confirms
        services.confirmation_create(actor=citizen.user, citizen=citizen, comment="Jeg søger stadig")
    # then
    status = AvailabilityStatus.all_tenants.get(citizen=citizen)
    assert (status.state, status.last_action_kind) == ("active", "confirmation")
    assert AvailabilityConfirmation.all_tenants.get(citizen=citizen).comment == "Jeg søger stadig"


def test_only_the_citizen_can_confirm_and_nothing_is_written_otherwise(municipality, member):
    citizen = _citizen(municipality, 40)
    staff = member("personal_consultant", municipality)
    with pytest.raises(ValidationFailed):
        services.confirmation_create(actor=staff, citizen=citizen)
    with pytest.raises(ValidationFailed):
        services.confirmation_create(actor=citizen.user, citizen=citizen, comment="x" * 1001)
    assert AvailabilityConfirmation.all_tenants.count() == 0
    assert AvailabilityStatus.all_tenants.count() == 0


def test_older_actions_never_move_the_counting_period_back(municipality):
    citizen = _citizen(municipality, 1)
    now = timezone.now()
    services.action_record(municipality_id=municipality.pk, citizen_id=citizen.pk, kind="job_log_entry", occurred_at=now)
    services.action_record(municipality_id=municipality.pk, citizen_id=citizen.pk, kind="job_log_entry",
                           occurred_at=now - datetime.timedelta(days=10))
    assert AvailabilityStatus.all_tenants.get(citizen=citizen).last_action_at == now
