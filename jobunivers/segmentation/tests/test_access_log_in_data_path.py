"""The segmentation services and list selectors write their access-log entry in the transaction of
the write or read they record (docs/adr/0064): entry and change exist together or not at all."""

import pytest

from jobunivers.audit.models import AccessLogEntry
from jobunivers.core.context import tenant_context
from jobunivers.core.errors import NotFound
from jobunivers.segmentation import selectors, services
from jobunivers.segmentation.models import ConsultantAssignment, Decision, Suggestion
from jobunivers.segmentation.services import consultants as consultant_services
from jobunivers.segmentation.services import decisions as decision_services
from jobunivers.segmentation.tests.factories import assignment, suggestion
from jobunivers.tenancy.roles import Role

pytestmark = pytest.mark.django_db


def _entries():
    return list(AccessLogEntry.all_tenants.order_by("sequence").values_list(
        "actor_user_id", "citizen_id", "action", "what", "role"))


def test_decision_make_logs_the_change_with_the_decision(municipality, member):
    citizen = member(Role.CITIZEN, municipality).citizen
    adviser = member(Role.JOB_ADVISER, municipality)
    made = suggestion(citizen, level=1)
    with tenant_context(municipality):
        decision = services.decision_make(actor=adviser, suggestion_id=made.pk, track_id=made.track_id)
    assert _entries() == [(adviser.pk, citizen.pk, "change", "segmentation: decided the track", "job_adviser")]
    assert AccessLogEntry.all_tenants.get().criterion == f"decision {decision.pk}"


def test_a_failing_decision_leaves_no_entry_and_a_failing_entry_leaves_no_decision(municipality, member,
                                                                                   monkeypatch):
    citizen = member(Role.CITIZEN, municipality).citizen
    adviser = member(Role.JOB_ADVISER, municipality)
    made = suggestion(citizen, level=1)

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    with tenant_context(municipality):
        # when the write fails after the entry was written (telling the citizen fails)
        monkeypatch.setattr(decision_services, "_notice", fail)
        with pytest.raises(RuntimeError):
            services.decision_make(actor=adviser, suggestion_id=made.pk, track_id=made.track_id)
        assert _entries() == [] and Decision.objects.count() == 0
        monkeypatch.undo()
        # when writing the entry fails
        monkeypatch.setattr(decision_services, "citizen_access_record", fail)
        with pytest.raises(RuntimeError):
            services.decision_make(actor=adviser, suggestion_id=made.pk, track_id=made.track_id)
        assert Decision.objects.count() == 0
        assert Suggestion.objects.get(pk=made.pk).status == Suggestion.Status.PENDING


def test_consultant_assign_logs_a_staff_assignment_and_not_the_platforms(municipality, member, monkeypatch):
    citizen = member(Role.CITIZEN, municipality).citizen
    adviser = member(Role.JOB_ADVISER, municipality)
    first = member(Role.PERSONAL_CONSULTANT, municipality)
    second = member(Role.PERSONAL_CONSULTANT, municipality)
    with tenant_context(municipality):
        services.consultant_assign(actor=None, citizen_id=citizen.pk, consultant_user_id=first.pk,
                                   reason="round-robin", automatic=True)
        assert _entries() == []
        made = services.consultant_assign(actor=adviser, citizen_id=citizen.pk, consultant_user_id=second.pk,
                                          reason="Borgeren ønsker det.")
    assert _entries() == [(adviser.pk, citizen.pk, "change", "segmentation: assigned a personal job consultant",
                           "job_adviser")]
    assert AccessLogEntry.all_tenants.get().criterion == f"assignment {made.pk}"


def test_a_failing_assignment_leaves_no_entry(municipality, member, monkeypatch):
    citizen = member(Role.CITIZEN, municipality).citizen
    adviser = member(Role.JOB_ADVISER, municipality)
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(consultant_services, "_announce_assignment", fail)
    with tenant_context(municipality), pytest.raises(RuntimeError):
        services.consultant_assign(actor=adviser, citizen_id=citizen.pk, consultant_user_id=consultant.pk,
                                   reason="Fast kontakt.")
    assert _entries() == [] and ConsultantAssignment.all_tenants.count() == 0


def test_worklist_and_caseload_are_logged_as_searches_by_the_selector(municipality, member):
    citizen = member(Role.CITIZEN, municipality).citizen
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    suggestion(citizen, level=1)
    assignment(citizen, consultant)
    with tenant_context(municipality):
        data = selectors.access_worklist(actor=consultant, municipality_id=municipality.pk)
        caseload = selectors.access_caseload(actor=consultant, municipality_id=municipality.pk)
    assert [s.citizen_id for s in data.pending] == [citizen.pk]
    assert [a.citizen_id for a in caseload] == [citizen.pk]
    assert _entries() == [(consultant.pk, None, "search", "segmentation: worklist", "personal_consultant"),
                          (consultant.pk, None, "search", "segmentation: caseload", "personal_consultant")]


def test_a_failing_list_read_leaves_no_entry_and_outsiders_get_nothing(municipality, other_municipality, member,
                                                                        monkeypatch):
    consultant = member(Role.PERSONAL_CONSULTANT, municipality)
    outsider = member(Role.PERSONAL_CONSULTANT, other_municipality)
    citizen = member(Role.CITIZEN, municipality)

    def fail(*args, **kwargs):
        raise RuntimeError("boom")

    with tenant_context(municipality):
        for actor in (outsider, citizen):
            with pytest.raises(NotFound):
                selectors.access_worklist(actor=actor, municipality_id=municipality.pk)
            with pytest.raises(NotFound):
                selectors.access_caseload(actor=actor, municipality_id=municipality.pk)
        monkeypatch.setattr(selectors, "override_statistics", fail)
        with pytest.raises(RuntimeError):
            selectors.access_worklist(actor=consultant, municipality_id=municipality.pk)
    assert _entries() == []
